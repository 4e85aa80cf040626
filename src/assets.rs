//! Stage 6 (output), planning: which files are copied into the site as they are, and where:
//! `static/` at the root, and each asset under `content/` next to the articles of its folder.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::library::Library;

/// One file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Source file, inside the site folder.
    pub from: PathBuf,
    /// Path in the output, `/`-separated.
    pub to: String,
}

/// Every copy the build makes, `static/` first. `assets` are relative to the site folder.
pub fn plan(site: &Path, library: &Library, assets: &[PathBuf]) -> Vec<Copy> {
    let mut copies = Vec::new();
    let dir = site.join("static");
    for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        // `.gitkeep` only keeps an empty folder in git (`init` puts one in static/).
        let placeholder = entry.file_name() == ".gitkeep";
        if entry.file_type().is_file() && !crate::content::is_editor_scratch(entry.path()) && !placeholder {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            copies.push(Copy { from: entry.path().to_path_buf(), to: slash(rel) });
        }
    }
    for (asset, places) in assets.iter().zip(library.asset_destinations(assets)) {
        copies.extend(places.into_iter().map(|to| Copy { from: site.join(asset), to }));
    }
    copies
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
