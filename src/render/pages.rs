//! Stage 5 (render): the list of pages a site has, and rendering one page to an `OutputFile`.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use tera::Context;

use super::feeds::{Feeds, SitemapUrl, SITEMAP_LIMIT};
use super::lists::PageText;
use super::theme::{Theme, BUILTIN_ASSETS};
use super::views::{page_count, page_path, Views};
use super::OutputFile;
use crate::cache::ContentHash;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::library::{ArticleId, Library};
use crate::related::{Engine, Related};
use chrono_tz::Tz;

/// Which kind of group page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    Category,
    Tag,
    Author,
}

impl GroupKind {
    pub(super) fn prefix(self) -> &'static str {
        match self {
            GroupKind::Category => "",
            GroupKind::Tag => "tags/",
            GroupKind::Author => "authors/",
        }
    }
}

/// One page (or theme file) of the site, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Front,
    Article(ArticleId),
    /// Page `page` (1-based) of a category, tag or author list.
    Group(GroupKind, usize, usize),
    /// `/categories/`, `/tags/` or `/authors/`.
    GroupIndex(GroupKind),
    /// A daily digest, by index into `Library::days`.
    Day(usize),
    Archive,
    /// A redirect from an old path to an article.
    Alias(ArticleId, String),
    NotFound,
    /// A file of the built-in theme (`style.css`), by index into `BUILTIN_ASSETS`.
    ThemeAsset(usize),
    /// The search page `/search/`.
    Search,
    /// A feed, sitemap or other machine-readable file.
    Generated(Generated),
}

/// Machine-readable files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// `/atom.xml`, or `/<category>/atom.xml` for a category index.
    Atom(Option<usize>),
    /// `/rss.xml`.
    Rss,
    /// `/feed.json`.
    JsonFeed,
    /// `/sitemap.xml` (part 0, when one file is enough) or `/sitemap-N.xml`.
    Sitemap(usize),
    /// `/sitemap.xml` as an index of parts, past 50,000 URLs.
    SitemapIndex,
    /// `/news-sitemap.xml`.
    NewsSitemap,
    /// `/robots.txt`.
    Robots,
    /// `/search-index.json`.
    SearchIndex,
}

/// Where article pages get their related-news lists.
#[derive(Clone, Copy)]
pub enum RelatedLists<'a> {
    /// Every list, computed up front (a build renders every article).
    All(&'a [Vec<Related>]),
    /// Each list computed when its page is rendered (the preview renders few pages).
    OnDemand(&'a Engine),
}

impl RelatedLists<'_> {
    /// The related list of one article.
    pub fn of(&self, library: &Library, id: ArticleId) -> std::borrow::Cow<'_, [Related]> {
        match self {
            RelatedLists::All(lists) => std::borrow::Cow::Borrowed(&lists[id.index()]),
            RelatedLists::OnDemand(engine) => std::borrow::Cow::Owned(engine.one(library, id)),
        }
    }
}

/// Everything a render run reads.
pub struct RenderInput<'a> {
    /// The model.
    pub library: &'a Library,
    /// Related lists by article.
    pub related: RelatedLists<'a>,
    /// Settings.
    pub config: &'a Config,
    /// Compiled templates.
    pub theme: &'a Theme,
    /// The site's time zone.
    pub tz: Tz,
    /// The build time.
    pub now: DateTime<Utc>,
}

/// Renders pages of one library with one theme.
pub struct Renderer<'a> {
    pub(super) views: Views<'a>,
    theme: &'a Theme,
    related: RelatedLists<'a>,
    site: tera::Value,
    now: DateTime<Utc>,
}

/// Values shared by every page template: `page`.
#[derive(Serialize)]
struct PageMeta<'a> {
    /// `<title>` text (without the site title).
    title: &'a str,
    description: &'a str,
    /// Link path of this page.
    url: String,
    /// Absolute URL of this page.
    permalink: String,
    /// `article`, `front`, `category`, `tag`, `author`, `categories`, `tags`, `authors`,
    /// `day`, `archive`, `alias` or `404`.
    kind: &'a str,
    /// Absolute URL of the page's image (for social cards), if any.
    image: Option<String>,
    /// Link path of the page's own Atom feed (category pages), if any.
    feed: Option<String>,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering.
    pub fn new(input: RenderInput<'a>) -> Self {
        let RenderInput { library, related, config, theme, tz, now } = input;
        let views = Views { library, config, tz, base_path: config.base_path() };
        let site = tera::to_value(views.site()).unwrap_or_default();
        Renderer { views, theme, related, site, now }
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let lib = self.views.library;
        let per_page = self.views.config.articles_per_page;
        let mut pages = vec![Page::Front, Page::Archive, Page::NotFound];
        pages.extend((0..BUILTIN_ASSETS.len()).map(Page::ThemeAsset));
        pages.extend((0..lib.entries.len()).map(|i| Page::Article(ArticleId(i as u32))));
        for (kind, groups) in [
            (GroupKind::Category, &lib.categories),
            (GroupKind::Tag, &lib.tags),
            (GroupKind::Author, &lib.authors),
        ] {
            pages.push(Page::GroupIndex(kind));
            for (g, group) in groups.iter().enumerate() {
                pages.extend(
                    (1..=page_count(group.articles.len(), per_page)).map(|p| Page::Group(kind, g, p)),
                );
            }
        }
        pages.extend((0..lib.days.len()).map(Page::Day));
        pages.push(Page::Search);
        let sitemap_pages = pages.iter().filter(|p| in_sitemap(p)).count();
        for (i, e) in lib.entries.iter().enumerate() {
            pages.extend(e.article.aliases.iter().map(|a| Page::Alias(ArticleId(i as u32), a.clone())));
        }
        let mut generated = vec![Generated::Atom(None), Generated::Rss];
        if self.views.config.feeds.json_feed {
            generated.push(Generated::JsonFeed);
        }
        generated.extend((0..lib.categories.len()).map(|c| Generated::Atom(Some(c))));
        if sitemap_pages <= SITEMAP_LIMIT {
            generated.push(Generated::Sitemap(0));
        } else {
            generated.push(Generated::SitemapIndex);
            generated.extend((1..=sitemap_pages.div_ceil(SITEMAP_LIMIT)).map(Generated::Sitemap));
        }
        generated.extend([Generated::NewsSitemap, Generated::Robots, Generated::SearchIndex]);
        pages.extend(generated.into_iter().map(Page::Generated));
        pages
    }

    /// The sitemap entry of an HTML page that belongs in the sitemap (see `in_sitemap`).
    fn sitemap_url(&self, page: &Page) -> Option<SitemapUrl> {
        if !in_sitemap(page) {
            return None;
        }
        let lib = self.views.library;
        let newest = |ids: &[ArticleId]| ids.iter().map(|&id| lib.get(id).article.updated_or_date()).max();
        let lastmod = match page {
            Page::Front | Page::Archive | Page::GroupIndex(_) | Page::Search => {
                newest(&[ArticleId(0)][..lib.entries.len().min(1)])
            }
            Page::Article(id) => Some(lib.get(*id).article.updated_or_date()),
            Page::Group(kind, g, n) => {
                let per_page = self.views.config.articles_per_page;
                let slice = self.groups(*kind)[*g].articles.chunks(per_page).nth(n - 1).unwrap_or_default();
                newest(slice)
            }
            Page::Day(d) => newest(&lib.days[*d].articles),
            _ => return None,
        };
        Some(SitemapUrl {
            loc: self.views.permalink(&self.link_path(page)),
            lastmod: lastmod.unwrap_or(self.now),
        })
    }

    /// The page's path relative to the site root as links write it: `world/a/` for pages,
    /// `404.html` or `atom.xml` for files.
    pub fn link_path(&self, page: &Page) -> String {
        let lib = self.views.library;
        match page {
            Page::Front => String::new(),
            Page::Archive => "archive/".into(),
            Page::Search => "search/".into(),
            Page::NotFound => "404.html".into(),
            Page::GroupIndex(GroupKind::Category) => "categories/".into(),
            Page::GroupIndex(GroupKind::Tag) => "tags/".into(),
            Page::GroupIndex(GroupKind::Author) => "authors/".into(),
            Page::Article(id) => lib.get(*id).path.clone(),
            Page::Group(kind, g, n) => {
                page_path(&format!("{}{}/", kind.prefix(), self.groups(*kind)[*g].slug), *n)
            }
            Page::Day(d) => day_path(lib.days[*d].date),
            Page::Alias(_, alias) => alias.clone(),
            Page::ThemeAsset(i) => BUILTIN_ASSETS[*i].0.to_string(),
            Page::Generated(which) => generated_path(which, lib),
        }
    }

    /// The file a page is written to (`world/a/index.html`).
    pub fn output_path(&self, page: &Page) -> String {
        html_file(&self.link_path(page))
    }

    /// The text of a generated file.
    fn generated(&self, which: &Generated) -> String {
        let feeds = Feeds { views: &self.views, now: self.now };
        let lib = self.views.library;
        let all: Vec<ArticleId> = (0..lib.entries.len()).map(|i| ArticleId(i as u32)).collect();
        match which {
            Generated::Atom(None) => feeds.atom(&all, &self.views.config.title, "atom.xml", ""),
            Generated::Atom(Some(c)) => {
                let cat = &lib.categories[*c];
                let title = format!("{}: {}", self.views.config.title, cat.name);
                feeds.atom(
                    &cat.articles,
                    &title,
                    &format!("{}/atom.xml", cat.slug),
                    &format!("{}/", cat.slug),
                )
            }
            Generated::Rss => feeds.rss(),
            Generated::JsonFeed => feeds.json_feed(),
            Generated::Sitemap(part) => {
                let urls: Vec<SitemapUrl> = self.pages().iter().filter_map(|p| self.sitemap_url(p)).collect();
                if *part == 0 {
                    feeds.sitemap(&urls)
                } else {
                    feeds.sitemap(urls.chunks(SITEMAP_LIMIT).nth(part - 1).unwrap_or_default())
                }
            }
            Generated::SitemapIndex => {
                let urls: Vec<SitemapUrl> = self.pages().iter().filter_map(|p| self.sitemap_url(p)).collect();
                let parts: Vec<DateTime<Utc>> = urls
                    .chunks(SITEMAP_LIMIT)
                    .map(|c| c.iter().map(|u| u.lastmod).max().unwrap_or(self.now))
                    .collect();
                feeds.sitemap_index(&parts)
            }
            Generated::NewsSitemap => feeds.news_sitemap(),
            Generated::Robots => feeds.robots(),
            Generated::SearchIndex => feeds.search_index(),
        }
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let rendered = self.render_unless(page, &Nothing)?;
        Ok(OutputFile { path: rendered.path, bytes: rendered.bytes.unwrap_or_default() })
    }

    /// Renders one page, unless it comes from a template and `current` says the output
    /// already holds it rendered from inputs with the same fingerprint. Then only its
    /// template context is built, and only to fingerprint it.
    pub fn render_unless(&self, page: &Page, current: &dyn CurrentOutput) -> Result<Rendered, Diagnostic> {
        let (path, bytes) = match page {
            Page::ThemeAsset(i) => {
                (BUILTIN_ASSETS[*i].0.to_string(), BUILTIN_ASSETS[*i].1.as_bytes().to_vec())
            }
            Page::Generated(which) => (self.link_path(page), self.generated(which).into_bytes()),
            _ => return self.render_template_page(page, current),
        };
        Ok(Rendered { path, bytes: Some(bytes), fingerprint: None })
    }

    fn render_template_page(&self, page: &Page, current: &dyn CurrentOutput) -> Result<Rendered, Diagnostic> {
        let path = self.output_path(page);
        let mut print = Fingerprinter::default();
        let (template, context) = if current.may_hold(&path) {
            let template = self.context(page, &mut print);
            let fingerprint = print.finish(&self.theme.fingerprint, template);
            if current.holds(&path, &fingerprint) {
                return Ok(Rendered { path, bytes: None, fingerprint: Some(fingerprint) });
            }
            let mut context = Context::new();
            self.context(page, &mut context);
            (template, context)
        } else {
            let mut both = (print, Context::new());
            let template = self.context(page, &mut both);
            print = both.0;
            (template, both.1)
        };
        let html = self.theme.render(template, &context, &format!("/{path}"))?;
        let fingerprint = Some(print.finish(&self.theme.fingerprint, template));
        Ok(Rendered { path, bytes: Some(html.into_bytes()), fingerprint })
    }

    /// Fills `ctx` with the page's template values; returns the template.
    fn context(&self, page: &Page, ctx: &mut impl ContextSink) -> &'static str {
        let v = &self.views;
        let lib = v.library;
        ctx.insert("site", &self.site);
        let config = v.config;
        let (template, title, description, kind): PageText = match page {
            Page::Front => {
                self.front(ctx);
                ("index.html", config.title.clone(), config.description.clone(), "front")
            }
            Page::Article(id) => {
                let e = lib.get(*id);
                ctx.insert("article", &v.article(*id, &self.related.of(lib, *id)));
                ("article.html", e.article.title.clone(), e.article.summary.clone(), "article")
            }
            Page::Group(kind, g, n) => self.group_page(ctx, *kind, *g, *n),
            Page::GroupIndex(kind) => self.group_index(ctx, *kind),
            Page::Day(d) => self.day(ctx, *d),
            Page::Archive => {
                ctx.insert("months", &self.archive());
                ("archive.html", "Archive".into(), format!("Every edition of {}", config.title), "archive")
            }
            Page::Alias(id, _) => {
                ctx.insert("target", &v.card(*id));
                ("alias.html", lib.get(*id).article.title.clone(), String::new(), "alias")
            }
            Page::NotFound => ("404.html", "Page not found".into(), String::new(), "404"),
            Page::Search => ("search.html", "Search".into(), format!("Search {}", config.title), "search"),
            Page::ThemeAsset(_) | Page::Generated(_) => unreachable!("not a template page"),
        };
        let path = self.link_path(page);
        let image = match page {
            Page::Article(id) => v.card(*id).image.map(|i| absolute(&i.url, &v.config.base_url)),
            _ => None,
        };
        let feed = match page {
            Page::Group(GroupKind::Category, g, _) => {
                Some(v.url(&format!("{}/atom.xml", lib.categories[*g].slug)))
            }
            _ => None,
        };
        let meta = PageMeta {
            title: &title,
            description: &description,
            url: v.url(&path),
            permalink: v.permalink(&path),
            kind,
            image,
            feed,
        };
        ctx.insert("page", &meta);
        template
    }
}

/// Where a page's template values go: a Tera context, a fingerprint, or both.
pub(super) trait ContextSink {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T);
}

impl ContextSink for Context {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        Context::insert(self, key, value);
    }
}

impl<A: ContextSink, B: ContextSink> ContextSink for (A, B) {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.0.insert(key, value);
        self.1.insert(key, value);
    }
}

/// Collects a page's template values as JSON (the data Tera would see) to hash them with
/// the theme and template: pages with equal fingerprints render to equal bytes.
#[derive(Default)]
struct Fingerprinter {
    json: Vec<u8>,
}

impl ContextSink for Fingerprinter {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.json.extend_from_slice(key.as_bytes());
        self.json.push(0);
        // Writing into a Vec cannot fail, and a value that cannot be serialised fails the
        // same way in `Context::insert`.
        let _ = serde_json::to_writer(&mut self.json, value);
        self.json.push(0);
    }
}

impl Fingerprinter {
    fn finish(&self, theme: &ContentHash, template: &str) -> ContentHash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(theme);
        hasher.update(template.as_bytes());
        hasher.update(b"\0");
        hasher.update(&self.json);
        *hasher.finalize().as_bytes()
    }
}

/// What the output folder already holds, as far as rendering needs to know.
pub trait CurrentOutput: Sync {
    /// Whether `file` may hold a page rendered by an earlier build (worth fingerprinting
    /// before rendering).
    fn may_hold(&self, file: &str) -> bool;
    /// Whether `file` holds the page rendered from inputs with `fingerprint`.
    fn holds(&self, file: &str, fingerprint: &ContentHash) -> bool;
}

/// An output that holds nothing yet.
pub struct Nothing;

impl CurrentOutput for Nothing {
    fn may_hold(&self, _: &str) -> bool {
        false
    }

    fn holds(&self, _: &str, _: &ContentHash) -> bool {
        false
    }
}

/// One page's output.
pub struct Rendered {
    /// Path relative to the output folder.
    pub path: String,
    /// The file's bytes; `None` when the output already holds it (see `render_unless`).
    pub bytes: Option<Vec<u8>>,
    /// Fingerprint of the inputs of a template page (theme and context).
    pub fingerprint: Option<ContentHash>,
}

/// Whether a page is listed in the sitemap: HTML pages, not aliases, 404 or files.
fn in_sitemap(page: &Page) -> bool {
    matches!(
        page,
        Page::Front
            | Page::Archive
            | Page::GroupIndex(_)
            | Page::Search
            | Page::Article(_)
            | Page::Group(..)
            | Page::Day(_)
    )
}

/// `2026/11/24/` for a day.
pub fn day_path(date: chrono::NaiveDate) -> String {
    format!("{:04}/{:02}/{:02}/", date.year(), date.month(), date.day())
}

/// Output path of a generated file.
fn generated_path(which: &Generated, lib: &Library) -> String {
    match which {
        Generated::Atom(None) => "atom.xml".into(),
        Generated::Atom(Some(c)) => format!("{}/atom.xml", lib.categories[*c].slug),
        Generated::Rss => "rss.xml".into(),
        Generated::JsonFeed => "feed.json".into(),
        Generated::Sitemap(0) | Generated::SitemapIndex => "sitemap.xml".into(),
        Generated::Sitemap(part) => format!("sitemap-{part}.xml"),
        Generated::NewsSitemap => "news-sitemap.xml".into(),
        Generated::Robots => "robots.txt".into(),
        Generated::SearchIndex => "search-index.json".into(),
    }
}

/// A link path (`/news/a.svg`) or URL -> an absolute URL on the site's host.
fn absolute(url: &str, base_url: &str) -> String {
    if url.contains("://") {
        url.to_string()
    } else {
        format!("{}{url}", super::feeds::origin(base_url))
    }
}

/// A page path -> its file: folders get `index.html`.
fn html_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".into()
    } else if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
