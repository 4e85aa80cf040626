//! Incremental work: what parsing, Markdown and the related-news analysis made of each
//! article file, remembered by the file's content hash so that unchanged files are not done
//! again. `serve` keeps one in memory between rebuilds; `build` keeps it in
//! `.broadsheet-cache/` in the site folder. A cached result is used only when it provably
//! equals what a fresh run would make: same file bytes, same settings, and (for bodies) the
//! same answer for every link to another article.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::Article;
use crate::error::Error;
use crate::markdown::{LinkResolver, Rendered, Resolution};
use crate::related::TermBag;

mod packed_terms;
mod pages;

pub use pages::{PageFingerprint, PageRecords, StagedPage};

/// The cache folder inside the site folder.
pub const CACHE_DIR: &str = ".broadsheet-cache";
const CACHE_FILE: &str = "articles.bin";
/// Changes whenever the binary does (`build.rs` hashes its code, locked dependencies and
/// built-in theme), so a cache written by another build is never trusted.
const FORMAT: &str =
    concat!("broadsheet ", env!("CARGO_PKG_VERSION"), " build ", env!("BROADSHEET_BUILD_ID"));

/// A file's content hash (BLAKE3).
pub type ContentHash = [u8; 32];

/// Hashes a file's bytes.
pub fn content_hash(bytes: &[u8]) -> ContentHash {
    *blake3::hash(bytes).as_bytes()
}

/// Per-file results, with what they were computed under.
#[derive(Default)]
pub struct Cache {
    /// Hash of every setting the cached results depend on besides the file itself.
    settings: ContentHash,
    files: HashMap<PathBuf, Cached>,
    /// How much of the last run came from the cache.
    pub stats: Stats,
    /// Whether anything changed since it was opened or saved.
    dirty: bool,
    /// Keep Markdown sources and trust file stamps (the preview server, in memory only).
    in_memory: bool,
    /// Record nothing: the run's results are not kept (`build --no-cache`, `check`).
    off: bool,
}

/// The head of the saved cache; `files` entries follow, each a path and that file's results
/// encoded apart, so that saving streams and loading decodes in parallel.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    settings: ContentHash,
    files: u64,
}

/// Counts of reused results in one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Articles parsed from their file.
    pub parsed: usize,
    /// Articles taken from the cache unparsed.
    pub parse_hits: usize,
    /// Bodies rendered from Markdown.
    pub rendered: usize,
    /// Bodies taken from the cache.
    pub render_hits: usize,
    /// Pages not rendered: their inputs and output file were as the last build left them.
    pub pages_kept: usize,
}

impl Stats {
    /// Counts one article read: parsed, or taken from the cache.
    pub fn count_parse(&mut self, from_cache: bool) {
        if from_cache {
            self.parse_hits += 1;
        } else {
            self.parsed += 1;
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct Cached {
    hash: ContentHash,
    /// Size, inode and change times of the file when it was read (in memory only).
    #[serde(skip)]
    stamp: Option<FileStamp>,
    /// The article as parsed, before the Markdown stage. Its Markdown is kept only in
    /// memory (`Cache::in_memory`); a build reads every file anyway to hash it.
    parsed: Article,
    body: Option<Body>,
    #[serde(with = "packed_terms")]
    terms: Option<Arc<TermBag>>,
}

/// A parsed file's entry for the cache, prepared by `Cache::prepare_parsed`.
pub struct ParsedRecord {
    path: PathBuf,
    stamp: Option<FileStamp>,
    /// A new entry, or none when the cache already has these bytes (only the stamp is new).
    fresh: Option<Cached>,
    /// The Markdown for an in-memory cache's entry that came without it from the build's
    /// saved cache (`Cache::for_preview`).
    markdown: Option<Arc<str>>,
}

/// What `stat` says of a file: an edit changes at least its modification time, and a file
/// replaced by another (as a build replaces output files) has another inode. Trusted for
/// sources only by the preview server, which also hears of every edit from the file watcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
    #[cfg(unix)]
    changed: (i64, i64),
}

impl FileStamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: meta.ino(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// What the Markdown stage made of one article.
#[derive(Clone, Serialize, Deserialize)]
pub struct Body {
    /// The rendering.
    pub html: Arc<str>,
    /// Standfirst as plain text.
    pub summary: String,
    /// Words in the body.
    pub word_count: usize,
    /// `.md` links that are not published articles, with their body line.
    pub broken_links: Vec<(String, usize)>,
    /// Other generators' shortcodes, shown as text, with their body line.
    pub shortcodes: Vec<(String, usize)>,
    /// Every link target the body asked the resolver about, with the answer it got.
    links: Vec<(String, Resolution)>,
}

impl Body {
    /// Renders with `render`, recording every link resolution it asks for.
    pub fn render(
        links: &dyn LinkResolver,
        render: impl FnOnce(&dyn LinkResolver) -> Rendered,
        summary: impl FnOnce(String) -> String,
    ) -> Body {
        let recorder = Recorder { inner: links, asked: RefCell::new(Vec::new()) };
        let rendered = render(&recorder);
        let links = recorder.asked.into_inner();
        Body {
            html: rendered.html.into(),
            summary: summary(rendered.summary),
            word_count: rendered.word_count,
            broken_links: rendered.broken_links,
            shortcodes: rendered.shortcodes,
            links,
        }
    }

    /// Whether every link still resolves as it did, so the rendering is still right.
    pub fn still_valid(&self, links: &dyn LinkResolver) -> bool {
        self.links.iter().all(|(target, answer)| links.resolve(target) == *answer)
    }
}

struct Recorder<'a> {
    inner: &'a dyn LinkResolver,
    asked: RefCell<Vec<(String, Resolution)>>,
}

impl LinkResolver for Recorder<'_> {
    fn resolve(&self, target: &str) -> Resolution {
        let answer = self.inner.resolve(target);
        self.asked.borrow_mut().push((target.to_string(), answer.clone()));
        answer
    }
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Cache {
        Cache::default()
    }

    /// A cache that stays empty, for runs whose results are not kept (`build --no-cache`,
    /// `check`): no copy of each article is made for it, only the counts are kept.
    pub fn off() -> Cache {
        Cache { off: true, ..Cache::new() }
    }

    /// An empty cache for the preview server: it keeps Markdown sources in memory and takes
    /// a file whose stamp (size, inode, change times) is unchanged as unchanged, unread.
    pub fn in_memory() -> Cache {
        Cache { in_memory: true, ..Cache::new() }
    }

    /// The preview server's cache, started from what the last `build` saved in `site`'s
    /// cache folder (when this program made it), so that the first preview of a large site
    /// parses and analyses only files changed since. The preview never saves it. The saved
    /// entries have no Markdown; each file is read on the first run (it has no stamp yet),
    /// and its Markdown is kept then.
    pub fn for_preview(site: &Path) -> Cache {
        Cache { in_memory: true, ..Cache::open(site) }
    }

    /// The cache saved in `site`'s cache folder, or an empty one when there is none or it
    /// cannot be used (another version, damaged): a cache only ever saves work.
    pub fn open(site: &Path) -> Cache {
        let Ok(file) = fs::File::open(site.join(CACHE_DIR).join(CACHE_FILE)) else { return Cache::new() };
        // Mapped, not read: reading copied the file into memory the kernel first had to zero
        // (422 MB at 100,000 articles: 1.1 s of CPU on one thread before decoding could start).
        // SAFETY: the map is read-only and dropped when this function returns. Broadsheet never
        // changes a cache file in place: `save` writes a new file and renames it over the old
        // one, which leaves the mapped file as it was. Only another program truncating the file
        // during these few moments could break the map.
        let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else { return Cache::new() };
        let bytes: &[u8] = &map;
        let Ok((header, mut rest)) = postcard::take_from_bytes::<Header>(bytes) else { return Cache::new() };
        if header.format != FORMAT {
            return Cache::new();
        }
        let mut encoded: Vec<(PathBuf, &[u8], u64)> = Vec::new();
        for _ in 0..header.files {
            match postcard::take_from_bytes::<(PathBuf, &[u8], u64)>(rest) {
                Ok((entry, tail)) => {
                    encoded.push(entry);
                    rest = tail;
                }
                Err(_) => return Cache::new(),
            }
        }
        let files: Option<HashMap<PathBuf, Cached>> = encoded
            .into_par_iter()
            .map(|(path, bytes, sum)| {
                // A damaged entry can still decode (one changed byte of a body's HTML): the
                // whole cache is set aside then, rather than that byte published.
                let intact = entry_checksum(&path, bytes) == sum;
                intact.then(|| postcard::from_bytes::<Cached>(bytes).ok().map(|c| (path, c))).flatten()
            })
            .collect();
        match files {
            Some(files) => Cache { settings: header.settings, files, ..Cache::default() },
            None => Cache::new(),
        }
    }

    /// Saves the cache in `site`'s cache folder (written beside, then renamed into place),
    /// streamed one file's results at a time.
    pub fn save(&self, site: &Path) -> Result<(), Error> {
        let encode_error = |e: postcard::Error| Error::Output(format!("cannot encode the build cache: {e}"));
        write_in_cache(site, CACHE_FILE, |out| {
            let header =
                Header { format: FORMAT.into(), settings: self.settings, files: self.files.len() as u64 };
            postcard::to_io(&header, &mut *out).map_err(encode_error)?;
            let mut buffer = Vec::new();
            for (file, cached) in &self.files {
                buffer.clear();
                buffer = postcard::to_extend(cached, std::mem::take(&mut buffer)).map_err(encode_error)?;
                // As bytes (`serde_bytes`): serde would serialise a `&[u8]` as a list of numbers,
                // which postcard writes one call per byte into the `BufWriter`. Both encode
                // alike (a length, then the bytes), so it reads back as a `&[u8]`.
                let entry = serde_bytes::Bytes::new(&buffer);
                postcard::to_io(&(file, entry, entry_checksum(file, &buffer)), &mut *out)
                    .map_err(encode_error)?;
            }
            Ok(())
        })
    }

    /// Starts a run under `settings` (the hash of everything else results depend on); a
    /// change of settings empties the cache.
    pub fn begin(&mut self, settings: ContentHash) {
        if self.settings != settings {
            self.dirty = true;
            self.files.clear();
            self.settings = settings;
        }
        self.stats = Stats::default();
    }

    /// The parsed article of `path` if its bytes hash to `hash` (its Markdown only when the
    /// cache is in memory).
    pub fn parsed(&self, path: &Path, hash: &ContentHash) -> Option<&Article> {
        self.files.get(path).filter(|c| &c.hash == hash).map(|c| &c.parsed)
    }

    /// For an in-memory cache: the parsed article (with its Markdown) and hash of `path` if
    /// the file's stamp is the one it had when it was read.
    pub fn unchanged(&self, path: &Path, stamp: &FileStamp) -> Option<(&Article, ContentHash)> {
        let cached = self.files.get(path).filter(|c| self.in_memory && c.stamp.as_ref() == Some(stamp))?;
        Some((&cached.parsed, cached.hash))
    }

    /// What `store_parsed` needs to record `article` as what its file with `hash` (and
    /// `stamp`) parses to. Takes `&self`, so that files read in parallel prepare their
    /// records (copies of the article) in parallel too.
    pub fn prepare_parsed(
        &self,
        hash: ContentHash,
        stamp: Option<FileStamp>,
        article: &Article,
    ) -> ParsedRecord {
        if self.off {
            return ParsedRecord { path: article.path.clone(), stamp, fresh: None, markdown: None };
        }
        if let Some(known) = self.parsed(&article.path, &hash) {
            let markdown = (self.in_memory && known.markdown.is_empty() && !article.markdown.is_empty())
                .then(|| article.markdown.clone());
            return ParsedRecord { path: article.path.clone(), stamp, fresh: None, markdown };
        }
        let markdown = if self.in_memory { article.markdown.clone() } else { Arc::default() };
        let parsed = Article { markdown, ..article.clone() };
        let fresh = Some(Cached { hash, stamp, parsed, body: None, terms: None });
        ParsedRecord { path: article.path.clone(), stamp, fresh, markdown: None }
    }

    /// Records what `prepare_parsed` prepared; results computed from other bytes of the
    /// file are dropped.
    pub fn store_parsed(&mut self, record: ParsedRecord) {
        match record.fresh {
            Some(cached) => {
                self.dirty = true;
                self.files.insert(record.path, cached);
            }
            None => {
                if let Some(cached) = self.files.get_mut(&record.path) {
                    cached.stamp = record.stamp;
                    if let Some(markdown) = record.markdown {
                        cached.parsed.markdown = markdown;
                    }
                }
            }
        }
    }

    /// Forgets every file but those of `present` (deleted, renamed, or now failing to parse).
    pub fn retain(&mut self, present: &[Article]) {
        if self.files.is_empty() {
            return;
        }
        let present: HashSet<&Path> = present.iter().map(|a| a.path.as_path()).collect();
        let before = self.files.len();
        self.files.retain(|path, _| present.contains(path.as_path()));
        self.dirty |= self.files.len() != before;
    }

    /// The cached body of `path`, if any (check it with `Body::still_valid`).
    pub fn body(&self, path: &Path) -> Option<&Body> {
        self.files.get(path)?.body.as_ref()
    }

    /// Records a fresh body of `path`; its old term bag no longer applies.
    pub fn store_body(&mut self, path: &Path, body: Body) {
        if let Some(cached) = self.files.get_mut(path) {
            cached.body = Some(body);
            cached.terms = None;
            self.dirty = true;
        }
    }

    /// The cached related-news term bag of `path`, if any.
    pub fn terms(&self, path: &Path) -> Option<Arc<TermBag>> {
        self.files.get(path)?.terms.clone()
    }

    /// Records `path`'s term bag (valid while its body is).
    pub fn store_terms(&mut self, path: &Path, terms: Arc<TermBag>) {
        if let Some(cached) = self.files.get_mut(path) {
            if cached.body.is_some() && cached.terms.as_ref().is_none_or(|t| !Arc::ptr_eq(t, &terms)) {
                cached.terms = Some(terms);
                self.dirty = true;
            }
        }
    }

    /// Whether the cache changed since it was opened or last saved.
    pub fn dirty(&self) -> bool {
        self.dirty
    }
}

/// Writes `name` in `site`'s cache folder through `write`: into a temporary file beside
/// it, renamed into place once complete.
fn write_in_cache(
    site: &Path,
    name: &str,
    write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> Result<(), Error>,
) -> Result<(), Error> {
    use std::io::Write;
    let dir = site.join(CACHE_DIR);
    fs::create_dir_all(&dir).map_err(|e| Error::io("create folder", &dir, e))?;
    let readme = dir.join("README");
    if !readme.exists() {
        let text = "Broadsheet's build cache: safe to delete, rebuilt by the next `broadsheet build`.\n";
        fs::write(&readme, text).map_err(|e| Error::io("write", &readme, e))?;
    }
    let temp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    let written = fs::File::create(&temp).map_err(|e| Error::io("write", &temp, e)).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.flush().map_err(|e| Error::io("write", &temp, e))
    });
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    let path = dir.join(name);
    fs::rename(&temp, &path).map_err(|e| Error::io("move into place", &path, e))
}

/// The hash of settings: their `Debug` text, which names every field and value.
pub fn settings_hash(settings: &dyn std::fmt::Debug) -> ContentHash {
    content_hash(format!("{settings:?}").as_bytes())
}

/// The checksum saved with each cache entry: of its path and its encoded bytes.
fn entry_checksum(path: &Path, entry: &[u8]) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    let path = xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_bytes());
    xxhash_rust::xxh3::xxh3_64_with_seed(entry, path)
}

#[cfg(test)]
mod tests {
    use super::Cache;
    use crate::content::{load, ParseContext};
    use std::path::Path;

    fn read_fixture(cache: &mut Cache) -> usize {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site");
        let ctx = ParseContext { tz: chrono_tz::Tz::UTC, default_author: "Desk" };
        let content = load(&site, &ctx, cache);
        assert!(content.errors.is_empty(), "{:?}", content.errors);
        content.articles.len()
    }

    #[test]
    fn a_cache_written_by_another_build_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::new();
        let articles = read_fixture(&mut cache);
        cache.save(dir.path()).unwrap();
        assert_eq!(Cache::open(dir.path()).files.len(), articles);

        // The same cache, stamped by a build whose code differs (another build id).
        let file = dir.path().join(super::CACHE_DIR).join(super::CACHE_FILE);
        let bytes = std::fs::read(&file).unwrap();
        let ours = super::FORMAT.as_bytes();
        let id = env!("BROADSHEET_BUILD_ID");
        assert!(ours.ends_with(id.as_bytes()) && id.len() == 16, "{}", super::FORMAT);
        let at = bytes.windows(ours.len()).position(|w| w == ours).expect("the header names the build");
        let mut other = bytes.clone();
        let other_id = if id == "0000000000000000" { "1111111111111111" } else { "0000000000000000" };
        other[at + ours.len() - 16..at + ours.len()].copy_from_slice(other_id.as_bytes());
        std::fs::write(&file, other).unwrap();
        assert_eq!(Cache::open(dir.path()).files.len(), 0);
    }

    #[test]
    fn a_cache_that_is_off_counts_but_keeps_nothing() {
        let mut kept = Cache::new();
        let articles = read_fixture(&mut kept);
        assert!(articles > 0);
        assert_eq!((kept.files.len(), kept.stats.parsed), (articles, articles));
        assert!(kept.dirty());

        let mut off = Cache::off();
        assert_eq!(read_fixture(&mut off), articles);
        assert_eq!((off.files.len(), off.stats.parsed), (0, articles));
        assert!(!off.dirty());
    }
}
