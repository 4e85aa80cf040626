//! Stage 3 (markdown): every article body of the library rendered to HTML, with links
//! between articles resolved to their URLs, through the build cache; and one body again
//! when the preview server swaps in an edited article.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{ArticleId, Entry, Library};
use crate::cache::{Body, Cache};
use crate::config::MarkdownConfig;
use crate::content::Article;
use crate::error::Diagnostic;
use crate::markdown::{self, LinkResolver, Resolution};

impl Library {
    /// Renders every body to HTML in parallel, fills summaries and word counts, and drops the
    /// Markdown. Links to other articles' `.md` files become their URLs; the returned warnings
    /// name links to `.md` files that are not published articles. Bodies the cache has, whose
    /// links all still resolve the same way, are not rendered again.
    pub fn render_markdown(
        &mut self,
        config: &MarkdownConfig,
        base_path: &str,
        assets: &[PathBuf],
        cache: &mut Cache,
    ) -> Vec<Diagnostic> {
        let links = self.link_map(base_path, assets);
        let known: &Cache = cache;
        let results: Vec<(Option<Body>, Vec<Diagnostic>)> = self
            .entries
            .par_iter_mut()
            .map(|entry| render_body(Arc::make_mut(entry), &links, config, known))
            .collect();
        let mut warnings = Vec::new();
        for (entry, (fresh, found)) in self.entries.iter().zip(results) {
            match fresh {
                Some(body) => {
                    cache.stats.rendered += 1;
                    cache.store_body(&entry.article.path, body);
                }
                None => cache.stats.render_hits += 1,
            }
            warnings.extend(found);
        }
        warnings
    }

    /// Every article file (`content/tech/a.md`) with the link path of its page, and every
    /// file under content/ (`assets`) with the link path of (the first of) its published
    /// copies, to resolve links between articles and to files in other folders.
    pub fn link_map(&self, base_path: &str, assets: &[PathBuf]) -> LinkMap {
        let articles =
            self.entries.iter().map(|e| (e.article.path.clone(), format!("{base_path}{}", e.path)));
        let files = assets.iter().zip(self.asset_destinations(assets)).filter_map(|(asset, places)| {
            Some((asset.clone(), format!("{base_path}{}", places.into_iter().next()?)))
        });
        articles.chain(files).collect()
    }

    /// Replaces the article of one entry (same file, same placement: see
    /// `Article::placement`) and renders its body; returns the body's warnings.
    pub fn replace_article(
        &mut self,
        id: ArticleId,
        article: Article,
        links: &LinkMap,
        config: &MarkdownConfig,
        cache: &mut Cache,
    ) -> Vec<Diagnostic> {
        let entry = Arc::make_mut(&mut self.entries[id.index()]);
        entry.article = article;
        let (fresh, warnings) = render_body(entry, links, config, cache);
        match fresh {
            Some(body) => {
                cache.stats.rendered += 1;
                cache.store_body(&entry.article.path, body);
            }
            None => cache.stats.render_hits += 1,
        }
        warnings
    }
}

/// Article files and files under content/, with the link paths of their pages and copies
/// (see `Library::link_map`).
pub type LinkMap = HashMap<PathBuf, String>;

/// Renders one entry's body (or takes it from `cache` when every link in it still resolves
/// the same way), fills summary and word count and drops the Markdown. Returns the body if
/// it was rendered now, and warnings for links to `.md` files that are not published.
fn render_body(
    entry: &mut Entry,
    by_file: &LinkMap,
    config: &MarkdownConfig,
    cache: &Cache,
) -> (Option<Body>, Vec<Diagnostic>) {
    let article = &mut entry.article;
    let folder = article.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let resolver = ArticleLinks { folder: &folder, by_file };
    let body = match cache.body(&article.path).filter(|b| b.still_valid(&resolver)) {
        Some(body) => Cow::Borrowed(body),
        None => {
            let body = Body::render(
                &resolver,
                |links| markdown::render(&article.markdown, config, links),
                |from_body| {
                    if article.summary.is_empty() {
                        from_body
                    } else {
                        markdown::inline_plain_text(&article.summary, config)
                    }
                },
            );
            Cow::Owned(body)
        }
    };
    // The hero image's `src` resolves as a link in the body would (every build: the file
    // it names may have moved since the cached body was rendered).
    let mut missing_image = None;
    if let Some(image) = &mut article.image {
        image.resolved = match resolver.resolve(&image.src) {
            Resolution::Replace(url) => Some(url),
            _ => None,
        };
        if resolver.is_missing_file(&image.src) {
            missing_image = Some(image.src.clone());
        }
    }
    article.markdown = Arc::default();
    article.html = body.html.clone();
    article.word_count = body.word_count;
    article.summary = body.summary.clone();
    let broken_links = body.broken_links.iter().map(|(target, line)| {
        Diagnostic::new(&article.path, format!("broken link: `{target}` is not a published article"))
            .at(article.body_line + line - 1, None)
            .hint("check the file name; links are relative to this file's folder, or to content/ with `@/`")
    });
    let shortcodes = body.shortcodes.iter().map(|(code, line)| {
        Diagnostic::new(&article.path, format!("`{code}` is another generator's shortcode: it shows as text"))
            .at(article.body_line + line - 1, None)
            .hint("write it in Markdown or HTML instead: `![caption](picture.png)`, `<figure>`, a link")
    });
    let missing_image = missing_image.map(|src| {
        Diagnostic::new(&article.path, format!("`image` `{src}` is not a file in content/"))
            .hint("check the file name: a relative `image` is found from this file's folder; a site path starts with `/`")
    });
    let warnings = broken_links.chain(shortcodes).chain(missing_image).collect();
    let fresh = match body {
        Cow::Owned(body) => Some(body),
        Cow::Borrowed(_) => None,
    };
    (fresh, warnings)
}

struct ArticleLinks<'a> {
    folder: &'a Path,
    by_file: &'a LinkMap,
}

impl ArticleLinks<'_> {
    /// The path under the site of a file a link names (`img/a.png` from `content/news/`:
    /// `content/news/img/a.png`). `@/x.md` is relative to content/ (as in Zola); anything
    /// else to this article's folder.
    fn content_path(&self, file: &str) -> PathBuf {
        let (mut path, file) = match file.strip_prefix("@/") {
            Some(rest) => (PathBuf::from("content"), rest),
            None => (self.folder.to_path_buf(), file),
        };
        for part in file.split('/') {
            match part {
                "." | "" => {}
                ".." => {
                    path.pop();
                }
                p => path.push(p),
            }
        }
        path
    }

    /// Whether a relative image source names no file of `content/` (a site path or URL is
    /// not checked: it may be anything the site serves).
    fn is_missing_file(&self, src: &str) -> bool {
        let relative = !(src.contains("://") || src.starts_with(['/', '#']) || src.starts_with("data:"));
        relative
            && !self.by_file.contains_key(&self.content_path(src.split(['#', '?']).next().unwrap_or(src)))
    }
}

impl LinkResolver for ArticleLinks<'_> {
    /// A link to another article's `.md` file becomes that article's URL (or is broken); a
    /// relative link to a file under content/ outside this article's folder becomes the URL
    /// of its published copy (a file in the article's own folder is published beside the
    /// page, so the link works as written); anything else is kept.
    fn resolve(&self, target: &str) -> Resolution {
        if target.contains("://") || target.starts_with(['/', '#']) || target.starts_with("mailto:") {
            return Resolution::Keep;
        }
        // `a.md#part` and `a.md?x=1` keep their anchor and query.
        let end = target.find(['#', '?']).unwrap_or(target.len());
        let (file, rest) = target.split_at(end);
        let is_article = file.ends_with(".md");
        let mut path = self.content_path(file);
        if !is_article {
            return match self.by_file.get(&path) {
                Some(url) if path.parent() != Some(self.folder) => {
                    Resolution::Replace(format!("{url}{rest}"))
                }
                _ => Resolution::Keep,
            };
        }
        // A page-bundle link (`story/index.md`) also finds `story.md`.
        if !self.by_file.contains_key(&path) && path.ends_with("index.md") {
            path.pop();
            path.set_extension("md");
        }
        match self.by_file.get(&path) {
            Some(url) => Resolution::Replace(format!("{url}{rest}")),
            None => Resolution::Broken,
        }
    }
}
