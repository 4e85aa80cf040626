//! Incremental work, for pages: what the last build left in its output folder, so that a
//! page whose inputs and file are both unchanged is not rendered again.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{write_in_cache, FileStamp, CACHE_DIR, FORMAT};
use crate::error::Error;
use crate::output::absolute;

/// What the last build wrote into its output folder: per page file, the fingerprint of the
/// page's inputs (theme and template context, see `Renderer::render_unless`) and the stamp
/// of the file as it was left. A page whose fingerprint is the same and whose file still has
/// that stamp holds exactly what rendering it again would give, so it is not rendered.
#[derive(Default, Serialize, Deserialize)]
pub struct PageRecords {
    format: String,
    /// The output folder the records describe (absolute).
    output: PathBuf,
    pages: HashMap<String, (PageFingerprint, FileStamp)>,
}

const PAGES_FILE: &str = "pages.bin";

/// A 128-bit hash (XXH3) of a page's inputs. Pages are many and their inputs large (an
/// article's body among them), so a fast hash; a collision between a page's inputs in two
/// builds, the only comparison made, is as unlikely as two random 128-bit values agreeing.
pub type PageFingerprint = [u8; 16];

/// A template page a build staged: its output file, the fingerprint of its inputs,
/// whether it was kept as the last build left it rather than rendered, and its file's stamp
/// when staging knew it (see `output::Staged`).
pub struct StagedPage {
    pub file: String,
    pub fingerprint: PageFingerprint,
    pub kept: bool,
    pub stamp: Option<FileStamp>,
}

impl PageRecords {
    /// The records of the last build into `output`, or none (another output folder, another
    /// version, no cache).
    pub fn open(site: &Path, output: &Path) -> PageRecords {
        let output = absolute(output);
        fs::read(site.join(CACHE_DIR).join(PAGES_FILE))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<PageRecords>(&bytes).ok())
            .filter(|r| r.format == FORMAT && r.output == output)
            .unwrap_or_default()
    }

    /// Whether the last build recorded `file`.
    pub fn knows(&self, file: &str) -> bool {
        self.pages.contains_key(file)
    }

    /// Whether `file` was rendered from inputs with `fingerprint` and is still as the build
    /// left it (`current` is its stamp now).
    pub fn unchanged(
        &self,
        file: &str,
        fingerprint: &PageFingerprint,
        current: impl FnOnce() -> Option<FileStamp>,
    ) -> bool {
        self.pages.get(file).is_some_and(|(known, stamp)| known == fingerprint && current() == Some(*stamp))
    }

    /// Records of the pages now in `output`, with their files' stamps. A page kept from the
    /// last build (`previous`) has the stamp recorded then, which `unchanged` just compared
    /// with its file; a written page has the stamp staging took, if it took one; only the
    /// other files are looked at again.
    pub fn of(output: &Path, pages: Vec<StagedPage>, previous: &PageRecords) -> PageRecords {
        let pages = pages
            .into_par_iter()
            .filter_map(|StagedPage { file, fingerprint, kept, stamp }| {
                let recorded = previous.pages.get(&file).filter(|_| kept).map(|(_, stamp)| *stamp);
                let stamp = match recorded.or(stamp) {
                    Some(stamp) => stamp,
                    None => FileStamp::of(&fs::metadata(output.join(&file)).ok()?),
                };
                Some((file, (fingerprint, stamp)))
            })
            .collect();
        PageRecords { format: FORMAT.into(), output: absolute(output), pages }
    }

    /// Saves the records in `site`'s cache folder (written beside, then renamed into place).
    pub fn save(&self, site: &Path) -> Result<(), Error> {
        let bytes = postcard::to_stdvec(self)
            .map_err(|e| Error::Output(format!("cannot encode the page records: {e}")))?;
        write_in_cache(site, PAGES_FILE, |out| {
            use std::io::Write;
            out.write_all(&bytes).map_err(|e| Error::io("write", Path::new(PAGES_FILE), e))
        })
    }
}
