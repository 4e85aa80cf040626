//! Stage 1 (content): walking `content/`, reading every article and listing assets.

mod article;
mod frontmatter;

pub use article::{to_utc, Article, Image, ParseContext, Source};
pub use frontmatter::{normalise, split, SplitError};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::{DirEntry, WalkDir};

use crate::cache::{content_hash, Cache, ContentHash, FileStamp, ParsedRecord};
use crate::error::Diagnostic;

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Every valid article, drafts and scheduled ones included, in path order.
    pub articles: Vec<Article>,
    /// Non-Markdown files, relative to the site folder (`content/tech/chart.png`).
    pub assets: Vec<PathBuf>,
    /// Every problem found, in path order.
    pub errors: Vec<Diagnostic>,
}

/// Reads and parses every article under `site/content/` in parallel; files whose bytes the
/// cache knows are not parsed again.
pub fn load(site: &Path, ctx: &ParseContext, cache: &mut Cache) -> Content {
    let root = site.join("content");
    let mut content = Content::default();
    if !root.is_dir() {
        content.errors.push(
            Diagnostic::new("content", "the site has no content/ folder").hint(
                "articles go in content/<category>/<name>.md; `broadsheet new \"Headline\"` writes one",
            ),
        );
        return content;
    }
    let mut markdown = Vec::new();
    let readers = Readers::new();
    for entry in readers.run(|| walk(&root)) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(&root).to_path_buf();
                content.errors.push(Diagnostic::new(rel(site, &path), format!("cannot read: {e}")));
                continue;
            }
        };
        if is_hidden(entry.path(), &root) || is_editor_scratch(entry.path()) {
            continue;
        }
        if entry.path_is_symlink() {
            if let Err(problem) = check_symlink(entry.path(), &root) {
                content
                    .errors
                    .push(Diagnostic::new(rel(site, entry.path()), problem).hint(
                        "replace the link with the file itself, or point it at a file inside content/",
                    ));
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let path = rel(site, entry.path());
        if let Some(problem) = not_an_article(&path) {
            content.errors.push(problem);
        } else if path.extension().is_some_and(|e| e == "md") {
            markdown.push(path);
        } else {
            content.assets.push(path);
        }
    }
    let known: &Cache = cache;
    let results: Vec<Result<(Read, ParsedRecord), Vec<Diagnostic>>> = readers.run(|| {
        markdown
            .par_iter()
            .map(|path| {
                let read = from_file(site, path, ctx, known)?;
                let record = known.prepare_parsed(read.hash, read.stamp, &read.article);
                Ok((read, record))
            })
            .collect()
    });
    content.articles.reserve_exact(results.len());
    for result in results {
        match result {
            Ok((read, record)) => {
                cache.stats.count_parse(read.from_cache);
                cache.store_parsed(record);
                content.articles.push(read.article);
            }
            Err(errors) => content.errors.extend(errors),
        }
    }
    cache.retain(&content.articles);
    content
}

/// A file other generators read as content that Broadsheet would otherwise take for what
/// it is not: a Markdown file named `.markdown` (published as a download, front matter and
/// all) or a section file `_index.md` (read as an article).
fn not_an_article(path: &Path) -> Option<Diagnostic> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    if ["markdown", "mdown", "mkd", "mkdn"].contains(&extension.to_ascii_lowercase().as_str()) {
        return Some(
            Diagnostic::new(path, format!("a Markdown file named `.{extension}`: articles are `.md` files"))
                .hint("rename it to `.md` to publish it as an article (anything else under content/ is copied as it is, and this would be published with its front matter)"),
        );
    }
    if path.file_name().is_some_and(|n| n == "_index.md") {
        return Some(
            Diagnostic::new(path, "`_index.md` is a section file of Hugo or Zola; Broadsheet makes each category's page itself")
                .hint("describe the category in config.toml instead (`[[categories]]` with `name` and `description`), then delete this file"),
        );
    }
    None
}

/// Every entry under `root` (itself first), in the order of one walk sorted by name, with
/// the top-level folders walked in parallel: a walk of 100,000 files took half a second on
/// one thread.
fn walk(root: &Path) -> Vec<walkdir::Result<DirEntry>> {
    // Not walkdir's sort: with one, walkdir reads and sorts each top-level folder too before
    // it notices the depth limit (1% of a 10,000-article build, and every folder read twice).
    let mut top: Vec<walkdir::Result<DirEntry>> = WalkDir::new(root).max_depth(1).into_iter().collect();
    sort_like_a_sorted_walk(&mut top, root);
    let parts: Vec<Vec<walkdir::Result<DirEntry>>> = top
        .into_par_iter()
        .map(|entry| match entry {
            Ok(folder) if folder.depth() == 1 && folder.file_type().is_dir() => {
                let mut inside: Vec<_> = WalkDir::new(folder.path()).min_depth(1).into_iter().collect();
                sort_like_a_sorted_walk(&mut inside, folder.path());
                std::iter::once(Ok(folder)).chain(inside).collect()
            }
            other => vec![other],
        })
        .collect();
    parts.into_iter().flatten().collect()
}

/// Puts the entries of an unsorted walk of `folder` in the order of a walk sorted by name:
/// by their paths' components below `folder`, so that each folder comes just before what it
/// holds, and its entries in name order. Each path is taken apart once (walkdir's own sorting
/// took each name apart again on every comparison: 1.75% of a 10,000-article build's
/// instructions). The sort is stable, so an error reading a folder stays just after the
/// folder; errors without a path go last.
fn sort_like_a_sorted_walk(entries: &mut [walkdir::Result<DirEntry>], folder: &Path) {
    entries.sort_by_cached_key(|entry| {
        let path = match entry {
            Ok(entry) => Some(entry.path()),
            Err(error) => error.path(),
        };
        let components = |path: &Path| -> Vec<std::ffi::OsString> {
            let below = path.strip_prefix(folder).unwrap_or(path);
            below.components().map(|c| c.as_os_str().to_os_string()).collect()
        };
        (path.is_none(), path.map(components))
    });
}

/// The threads that walk `content/` and read its files. Reading waits on the disk when the
/// files are not in memory, so more threads than cores keep it busy: 10,000 articles just
/// dropped from the page cache loaded in 0.68 s with one thread per core here and in 0.44
/// to 0.57 s with 16. With the files in memory the two take the same time.
struct Readers(Option<rayon::ThreadPool>);

impl Readers {
    const THREADS: usize = 16;

    fn new() -> Readers {
        let threads = Readers::THREADS.max(rayon::current_num_threads());
        Readers(rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok())
    }

    /// Runs `work` (parallel iterators and all) on the reader threads, or on the caller's
    /// threads if they could not be started.
    fn run<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// Reads and parses one article file (`path` relative to the site) through the cache, and
/// records it there: the preview server's way to take in one edited file.
pub fn load_one(
    site: &Path,
    path: &Path,
    ctx: &ParseContext,
    cache: &mut Cache,
) -> Result<Article, Vec<Diagnostic>> {
    let read = from_file(site, path, ctx, cache)?;
    let record = cache.prepare_parsed(read.hash, read.stamp, &read.article);
    cache.stats.count_parse(read.from_cache);
    cache.store_parsed(record);
    Ok(read.article)
}

/// One article file, read.
struct Read {
    article: Article,
    hash: ContentHash,
    stamp: Option<FileStamp>,
    /// Whether the cache had it, so it was not parsed.
    from_cache: bool,
}

/// Reads one file and parses it, unless the cache has it: then only its Markdown body is
/// taken from the file (or, for the preview's in-memory cache, the file is not even read
/// while its stamp is unchanged). I/O and encoding problems become diagnostics.
fn from_file(site: &Path, path: &Path, ctx: &ParseContext, cache: &Cache) -> Result<Read, Vec<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        vec![Diagnostic::new(path, format!("cannot read the file: {e}"))
            .hint("check that the file's permissions let you read it")]
    };
    // One open file gives both the stamp and the bytes: a path lookup less per article.
    let mut file = std::fs::File::open(site.join(path)).map_err(unreadable)?;
    let metadata = file.metadata().ok();
    let stamp = metadata.as_ref().map(FileStamp::of);
    if let Some((known, hash)) = stamp.as_ref().and_then(|s| cache.unchanged(path, s)) {
        return Ok(Read { article: known.clone(), hash, stamp, from_cache: true });
    }
    let mut bytes = Vec::with_capacity(metadata.map_or(0, |m| m.len() as usize));
    // Through `take`: `File::read_to_end` would ask the file's size again.
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, u64::MAX), &mut bytes)
        .map_err(unreadable)?;
    let hash = content_hash(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = crate::error::line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        vec![Diagnostic::new(path, "the file is not valid UTF-8")
            .at(line, Some(col))
            .hint("save the file as UTF-8 in your editor")]
    })?;
    let text = normalise(text);
    if let Some(known) = cache.parsed(path, &hash) {
        if let Ok(split) = split(&text) {
            let article = Article { markdown: split.body.into(), ..known.clone() };
            return Ok(Read { article, hash, stamp, from_cache: true });
        }
    }
    let article = Article::parse(path, &text, ctx)?;
    Ok(Read { article, hash, stamp, from_cache: false })
}

/// A symbolic link is followed only when it points at a file inside content/; links that
/// leave the folder, point at folders, loop or dangle are reported, never followed.
fn check_symlink(link: &Path, root: &Path) -> Result<(), String> {
    let target = std::fs::canonicalize(link)
        .map_err(|e| format!("symbolic link cannot be followed ({e}): it dangles or loops"))?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !target.starts_with(&root) {
        return Err(format!("symbolic link points outside content/ (to {}); not followed", target.display()));
    }
    if !target.is_file() {
        return Err("symbolic link to a folder; not followed".into());
    }
    Ok(())
}

fn rel(site: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site).unwrap_or(path).to_path_buf()
}

/// Editors' backups, autosaves, locks and swap files (`a.md~`, `#a.md#`, `.#a.md`,
/// `a.swp`, `a.tmp`): never content or assets, never copied from `static/`, and not a
/// reason for the preview to rebuild. A draft's backup must not be published beside it.
pub(crate) fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp"].iter().any(|ext| name.ends_with(ext))
}

/// Dot-files and dot-folders (`.DS_Store`, `.git`) are not content.
pub(crate) fn is_hidden(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parallel_walk_gives_what_one_sorted_walk_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        // Names with `-` and `.`, which sort before `/` byte by byte but not by component.
        for file in [
            "b.md",
            "a/z.md",
            "a/c/d.md",
            "a/c.md",
            "a/c-d/e.md",
            "a/c d.md",
            "a/b.png",
            "a.md",
            "c/e/f/g.md",
            "c/e.f/h.md",
            "c/a.md",
            ".hidden/x.md",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir_all(root.join("empty")).unwrap();
        let paths = |entries: Vec<walkdir::Result<DirEntry>>| -> Vec<PathBuf> {
            entries.into_iter().map(|e| e.unwrap().into_path()).collect()
        };
        let one_walk = paths(WalkDir::new(&root).sort_by_file_name().into_iter().collect());
        assert_eq!(one_walk.len(), 22);
        assert_eq!(paths(walk(&root)), one_walk);
        assert_eq!(Readers::new().run(|| paths(walk(&root))), one_walk);

        // A missing folder is one error, as in one walk.
        let missing = walk(&dir.path().join("nothing"));
        assert!(matches!(missing.as_slice(), [Err(_)]));
    }
}
