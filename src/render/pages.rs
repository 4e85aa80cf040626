//! Stage 5 (render): the list of pages a site has, and rendering one page to an `OutputFile`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fingerprint::{CurrentOutput, PageValues, Purpose, Rendered, SharedValues};
use super::lists::PageText;
use super::theme::{Theme, BUILTIN_ASSETS};
use super::views::Views;
use super::OutputFile;
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
    /// `/search-index.json` (part 0, the newest articles) or `/search-index-N.json` (older).
    SearchIndex(usize),
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
    /// `site`, the same on every page.
    shared: SharedValues,
    pub(super) now: DateTime<Utc>,
}

/// Values shared by every page template: `page`.
/// How long an article page's description may be when it is taken from the body.
const DESCRIPTION_LENGTH: usize = 160;

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
    /// Absolute URL of the page's image (for social cards), if any: an article's own, the
    /// front page's top story's.
    image: Option<String>,
    /// That image's alternative text (empty when it has none).
    image_alt: &'a str,
    /// Link path of the page's own Atom feed (category pages), if any.
    feed: Option<String>,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering: builds the values every page shares and renders the theme's
    /// site-wide partials with them; an error names the partial that failed.
    pub fn new(input: RenderInput<'a>) -> Result<Self, Diagnostic> {
        let RenderInput { library, related, config, theme, tz, now } = input;
        // A build renders every page; the preview renders one at a time.
        let whole_site = matches!(related, RelatedLists::All(_));
        let views = Views::new(library, config, tz, whole_site);
        let mut shared = SharedValues::new("site", &views.site());
        let partials = theme.render_partials(shared.context())?;
        shared.insert_derived("partials", serde_json::Value::Object(partials));
        Ok(Renderer { views, theme, related, shared, now })
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let rendered = self.render_unless(page, None)?;
        Ok(OutputFile { path: rendered.path, bytes: rendered.bytes.unwrap_or_default() })
    }

    /// Renders one page, unless it comes from a template and `current` says the output
    /// already holds it rendered from inputs with the same fingerprint. Then its view
    /// structs are only encoded to fingerprint them, and no template values are built.
    /// Without `current` (a preview, or a build that saves no cache), pages are rendered
    /// without fingerprints.
    pub fn render_unless(
        &self,
        page: &Page,
        current: Option<&dyn CurrentOutput>,
    ) -> Result<Rendered, Diagnostic> {
        let (path, bytes) = match page {
            Page::ThemeAsset(i) => {
                (BUILTIN_ASSETS[*i].0.to_string(), BUILTIN_ASSETS[*i].1.as_bytes().to_vec())
            }
            Page::Generated(which) => (self.link_path(page), self.generated(which).into_bytes()),
            _ => return self.render_template_page(page, current),
        };
        Ok(Rendered { path, bytes: Some(bytes), fingerprint: None })
    }

    fn render_template_page(
        &self,
        page: &Page,
        current: Option<&dyn CurrentOutput>,
    ) -> Result<Rendered, Diagnostic> {
        let path = self.output_path(page);
        let theme = &self.theme.fingerprint;
        let (template, values, fingerprint) = match current {
            None => {
                let mut values = PageValues::new(&self.shared, Purpose::Render);
                (self.context(page, &mut values), values, None)
            }
            // The last build wrote this page: fingerprint first, build values only if needed.
            Some(current) if current.knows(&path) => {
                let mut print = PageValues::new(&self.shared, Purpose::Fingerprint);
                let template = self.context(page, &mut print);
                let fingerprint = print.fingerprint(theme, template);
                if let Some(fingerprint) = fingerprint.filter(|f| current.holds(&path, f)) {
                    return Ok(Rendered { path, bytes: None, fingerprint: Some(fingerprint) });
                }
                let mut values = PageValues::new(&self.shared, Purpose::Render);
                self.context(page, &mut values);
                (template, values, fingerprint)
            }
            Some(_) => {
                let mut values = PageValues::new(&self.shared, Purpose::Both);
                let template = self.context(page, &mut values);
                let fingerprint = values.fingerprint(theme, template);
                (template, values, fingerprint)
            }
        };
        let html = self.theme.render(template, &values.into_context(), &["/", &path].concat())?;
        Ok(Rendered { path, bytes: Some(html), fingerprint })
    }

    /// Fills `ctx` with the page's template values; returns the template.
    fn context(&self, page: &Page, ctx: &mut PageValues) -> &'static str {
        let v = &self.views;
        let lib = v.library;
        let config = v.config;
        let (template, title, description, kind): PageText = match page {
            Page::Front => {
                self.front(ctx);
                ("index.html", config.title.clone(), config.description.clone(), "front")
            }
            Page::Article(id) => {
                let e = lib.get(*id);
                ctx.insert("article", &v.article(*id, &self.related.of(lib, *id)));
                // A summary taken from the body can be paragraphs long; search results and
                // link previews show about 160 characters.
                let description = if e.article.summary_written {
                    e.article.summary.clone()
                } else {
                    crate::markdown::excerpt(&e.article.summary, DESCRIPTION_LENGTH)
                };
                ("article.html", e.article.title.clone(), description, "article")
            }
            Page::Group(kind, g, n) => self.group_page(ctx, *kind, *g, *n),
            Page::GroupIndex(kind) => self.group_index(ctx, *kind),
            Page::Day(d) => self.day(ctx, *d),
            Page::Archive => {
                ctx.insert("months", &self.archive());
                let description = v.strings.fill("archive_description", &[("site", &config.title)]);
                ("archive.html", v.strings.get("archive").into(), description, "archive")
            }
            Page::Alias(id, _) => {
                ctx.insert("target", &v.card(*id));
                ("alias.html", lib.get(*id).article.title.clone(), String::new(), "alias")
            }
            Page::NotFound => {
                let description = v.strings.fill("not_found_description", &[("site", &config.title)]);
                ("404.html", v.strings.get("not_found").into(), description, "404")
            }
            Page::Search => {
                ctx.insert("search_parts", &v.search_parts());
                ctx.insert("search_strings", &v.search_strings());
                let description = v.strings.fill("search_description", &[("site", &config.title)]);
                ("search.html", v.strings.get("search").into(), description, "search")
            }
            Page::ThemeAsset(_) | Page::Generated(_) => unreachable!("not a template page"),
        };
        let path = self.link_path(page);
        let pictured = match page {
            Page::Article(id) => Some(*id),
            Page::Front if !lib.entries.is_empty() => Some(ArticleId(0)),
            _ => None,
        };
        let card_image =
            pictured.and_then(|id| v.card(id).image.as_ref().map(|i| (v.absolute(&i.url), i.alt)));
        let (image, image_alt) = match card_image {
            Some((url, alt)) => (Some(url), alt),
            None => (None, ""),
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
            image_alt,
            feed,
        };
        ctx.insert("page", &meta);
        template
    }
}
