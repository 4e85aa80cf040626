//! Stage 5 (render): machine-readable files: Atom, RSS and JSON feeds, sitemaps, the Google
//! News sitemap, robots.txt and the search index.

use atom_syndication as atom;
use chrono::{DateTime, Duration, Utc};
use quick_xml::escape::escape;
use serde_json::json;

use super::views::Views;
use crate::library::{ArticleId, Entry};

/// Most URLs one sitemap file may list (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;
/// Most articles the Google News sitemap may list.
pub const NEWS_SITEMAP_LIMIT: usize = 1_000;

/// One sitemap URL with its last change.
pub struct SitemapUrl {
    /// Absolute URL.
    pub loc: String,
    /// Last change.
    pub lastmod: DateTime<Utc>,
}

/// Writes feeds and sitemaps from the views.
pub struct Feeds<'v, 'a> {
    /// URL and date helpers.
    pub views: &'v Views<'a>,
    /// Build time (the News sitemap lists the last two days before it).
    pub now: DateTime<Utc>,
}

impl Feeds<'_, '_> {
    fn newest(&self, ids: &[ArticleId]) -> Vec<ArticleId> {
        ids.iter().take(self.views.config.feeds.limit).copied().collect()
    }

    /// The newest articles of the whole site, as many as a feed lists.
    fn newest_of_site(&self) -> Vec<ArticleId> {
        let n = self.views.library.entries.len().min(self.views.config.feeds.limit);
        (0..n).map(|i| ArticleId(i as u32)).collect()
    }

    fn updated(&self, id: ArticleId) -> DateTime<Utc> {
        self.views.library.get(id).article.updated_or_date()
    }

    /// The body for feeds: full HTML with absolute links, or the summary.
    fn body(&self, id: ArticleId) -> String {
        let e = self.views.library.get(id);
        if self.views.config.feeds.full_content {
            absolute_links(&e.article.html, &self.views.permalink(&e.path), &self.views.origin)
        } else {
            escape(e.article.summary.as_str()).into_owned()
        }
    }

    /// A stable id: a tag URI (RFC 4151) from the host, the publication date and the path.
    fn entry_id(&self, id: ArticleId) -> String {
        let e = self.views.library.get(id);
        let host = self.views.origin.split("://").nth(1).unwrap_or("localhost");
        format!("tag:{host},{}:{}{}", e.article.date.format("%Y-%m-%d"), self.views.base_path, e.path)
    }

    /// Atom 1.0 feed of `ids` (newest first) at `path`, for the page at `page_path`.
    pub fn atom(&self, ids: &[ArticleId], title: &str, path: &str, page_path: &str) -> String {
        let v = self.views;
        let ids = self.newest(ids);
        let updated = ids.iter().map(|&id| self.updated(id)).max().unwrap_or(self.now);
        let entries = ids
            .iter()
            .map(|&id| {
                let e = v.library.get(id);
                let a = &e.article;
                atom::Entry {
                    title: atom::Text::plain(a.title.clone()),
                    id: self.entry_id(id),
                    updated: self.updated(id).fixed_offset(),
                    published: Some(a.date.fixed_offset()),
                    authors: a
                        .authors
                        .iter()
                        .map(|n| atom::Person { name: n.clone(), ..Default::default() })
                        .collect(),
                    categories: std::iter::once(&v.library.categories[e.category].name)
                        .chain(e.tags.iter().map(|&t| &v.library.tags[t].name))
                        .map(|c| atom::Category { term: c.clone(), ..Default::default() })
                        .collect(),
                    links: vec![atom::Link {
                        href: v.permalink(&e.path),
                        rel: "alternate".into(),
                        mime_type: Some("text/html".into()),
                        ..Default::default()
                    }],
                    summary: Some(atom::Text::plain(a.summary.clone())),
                    content: Some(atom::Content {
                        value: Some(self.body(id)),
                        content_type: Some("html".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            })
            .collect();
        let feed = atom::Feed {
            title: atom::Text::plain(title.to_string()),
            id: v.permalink(path),
            updated: updated.fixed_offset(),
            subtitle: (!v.config.description.is_empty())
                .then(|| atom::Text::plain(v.config.description.clone())),
            links: vec![
                atom::Link {
                    href: v.permalink(path),
                    rel: "self".into(),
                    mime_type: Some("application/atom+xml".into()),
                    ..Default::default()
                },
                atom::Link {
                    href: v.permalink(page_path),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                },
            ],
            generator: Some(atom::Generator {
                value: "Broadsheet".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
                ..Default::default()
            }),
            lang: Some(v.config.language.clone()),
            entries,
            ..Default::default()
        };
        feed.to_string()
    }

    /// RSS 2.0 feed of the whole site at `rss.xml`.
    pub fn rss(&self) -> String {
        let v = self.views;
        let ids = self.newest_of_site();
        let items = ids
            .iter()
            .map(|&id| {
                let e = v.library.get(id);
                let a = &e.article;
                rss::Item {
                    title: Some(a.title.clone()),
                    link: Some(v.permalink(&e.path)),
                    description: Some(self.body(id)),
                    guid: Some(rss::Guid { value: self.entry_id(id), permalink: false }),
                    pub_date: Some(a.date.to_rfc2822()),
                    categories: std::iter::once(&v.library.categories[e.category].name)
                        .chain(e.tags.iter().map(|&t| &v.library.tags[t].name))
                        .map(|c| rss::Category { name: c.clone(), domain: None })
                        .collect(),
                    dublin_core_ext: Some(rss::extension::dublincore::DublinCoreExtension {
                        creators: a.authors.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            })
            .collect();
        let channel = rss::Channel {
            title: v.config.title.clone(),
            link: v.permalink(""),
            description: if v.config.description.is_empty() {
                v.config.title.clone()
            } else {
                v.config.description.clone()
            },
            language: Some(v.config.language.clone()),
            generator: Some(format!("Broadsheet {}", env!("CARGO_PKG_VERSION"))),
            last_build_date: ids.first().map(|&id| self.updated(id).to_rfc2822()),
            atom_ext: Some(rss::extension::atom::AtomExtension {
                links: vec![atom::Link {
                    href: v.permalink("rss.xml"),
                    rel: "self".into(),
                    mime_type: Some("application/rss+xml".into()),
                    ..Default::default()
                }],
            }),
            namespaces: [
                ("atom", rss::extension::atom::NAMESPACE),
                ("dc", rss::extension::dublincore::NAMESPACE),
            ]
            .into_iter()
            .map(|(k, u)| (k.to_string(), u.to_string()))
            .collect(),
            items,
            ..Default::default()
        };
        channel.to_string()
    }

    /// JSON Feed 1.1 of the whole site at `feed.json`.
    pub fn json_feed(&self) -> String {
        let v = self.views;
        let ids = self.newest_of_site();
        let items: Vec<serde_json::Value> = ids
            .iter()
            .map(|&id| {
                let e = v.library.get(id);
                let a = &e.article;
                json!({
                    "id": self.entry_id(id),
                    "url": v.permalink(&e.path),
                    "title": a.title,
                    "summary": a.summary,
                    "content_html": self.body(id),
                    "date_published": a.date.to_rfc3339(),
                    "date_modified": self.updated(id).to_rfc3339(),
                    "authors": a.authors.iter().map(|n| json!({ "name": n })).collect::<Vec<_>>(),
                    "tags": e.tags.iter().map(|&t| &v.library.tags[t].name).collect::<Vec<_>>(),
                })
            })
            .collect();
        let feed = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": v.config.title,
            "home_page_url": v.permalink(""),
            "feed_url": v.permalink("feed.json"),
            "description": v.config.description,
            "language": v.config.language,
            "items": items,
        });
        serde_json::to_string_pretty(&feed).unwrap_or_default()
    }

    /// One sitemap file (a part of at most `SITEMAP_LIMIT` URLs).
    pub fn sitemap(&self, urls: &[SitemapUrl]) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for u in urls {
            out.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n  </url>\n",
                escape(u.loc.as_str()),
                w3c_date(u.lastmod)
            ));
        }
        out.push_str("</urlset>\n");
        out
    }

    /// The sitemap index listing `parts` sitemap files (`sitemap-1.xml`...).
    pub fn sitemap_index(&self, parts: &[DateTime<Utc>]) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (i, lastmod) in parts.iter().enumerate() {
            let loc = self.views.permalink(&format!("sitemap-{}.xml", i + 1));
            out.push_str(&format!(
                "  <sitemap>\n    <loc>{}</loc>\n    <lastmod>{}</lastmod>\n  </sitemap>\n",
                escape(loc.as_str()),
                w3c_date(*lastmod)
            ));
        }
        out.push_str("</sitemapindex>\n");
        out
    }

    /// The articles the Google News sitemap lists: those of the last two days before the
    /// build, at most 1,000.
    fn news_articles(&self) -> impl Iterator<Item = &std::sync::Arc<Entry>> + '_ {
        let (since, now) = (self.now - Duration::days(2), self.now);
        let entries = self.views.library.entries.iter();
        entries.filter(move |e| e.article.date >= since && e.article.date <= now).take(NEWS_SITEMAP_LIMIT)
    }

    /// Whether the site has a Google News sitemap: only with articles for it, since a
    /// sitemap must list at least one URL.
    pub fn has_news_sitemap(&self) -> bool {
        self.news_articles().next().is_some()
    }

    /// Google News sitemap: articles of the last two days before the build, at most 1,000.
    pub fn news_sitemap(&self) -> String {
        let v = self.views;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
        for e in self.news_articles() {
            out.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        <news:name>{}</news:name>\n        <news:language>{}</news:language>\n      </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
                escape(v.permalink(&e.path).as_str()),
                escape(v.config.title.as_str()),
                escape(crate::language::news_language(&v.config.language).as_str()),
                w3c_date(e.article.date),
                escape(e.article.title.as_str()),
            ));
        }
        out.push_str("</urlset>\n");
        out
    }

    /// robots.txt allowing everything and naming the sitemaps.
    pub fn robots(&self) -> String {
        let mut robots =
            format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", self.views.permalink("sitemap.xml"));
        if self.has_news_sitemap() {
            robots.push_str(&format!("Sitemap: {}\n", self.views.permalink("news-sitemap.xml")));
        }
        robots
    }

    /// Part `part` of the search index (see `search_part_entries`): one compact record per
    /// article, newest first, written as it is made (no list of JSON values is held first).
    pub fn search_index(&self, part: usize) -> String {
        use serde::Serializer;
        let v = self.views;
        let entries = search_part_entries(v.library.entries.len(), v.config.search.articles_per_file, part);
        let mut out = Vec::with_capacity(entries.len() * 256);
        let records = v.library.entries[entries].iter().map(|e| SearchRecord {
            c: &v.library.categories[e.category].name,
            d: v.date(e.article.date, false).display,
            k: e.tags.iter().map(|&t| v.library.tags[t].name.as_str()).collect(),
            s: &e.article.summary,
            t: &e.article.title,
            u: v.url(&e.path),
        });
        // Strings and lists of strings always serialise, and serde_json writes UTF-8.
        let _ = serde_json::Serializer::new(&mut out).collect_seq(records);
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Views<'_> {
    /// How many files this site's search index takes (`search_parts`).
    pub fn search_parts(&self) -> usize {
        search_parts(self.library.entries.len(), self.config.search.articles_per_file)
    }
}

/// How many files the search index of `articles` articles takes, at most `per_file` each:
/// `search-index.json` with the newest, and older runs of `per_file` counted from the oldest
/// article (`search-index-1.json` holds the oldest). Counted from the oldest, a numbered file
/// keeps its articles when new ones are published: a new article changes only
/// `search-index.json`, until that is full and the next number takes its articles.
fn search_parts(articles: usize, per_file: usize) -> usize {
    1 + articles.saturating_sub(1) / per_file.max(1)
}

/// The library entries (newest first) in search index part `part`: 0 is `search-index.json`,
/// the newest; `n` (from 1) is `search-index-n.json`.
fn search_part_entries(articles: usize, per_file: usize, part: usize) -> std::ops::Range<usize> {
    let per_file = per_file.max(1);
    let older = search_parts(articles, per_file) - 1;
    match part {
        0 => 0..articles - older * per_file,
        n => articles - (n * per_file).min(articles)..articles - ((n - 1) * per_file).min(articles),
    }
}

/// One article in the search index (`search.html` reads it): category, date as shown,
/// tags ("keywords"), standfirst, title and URL, in this order.
#[derive(serde::Serialize)]
struct SearchRecord<'a> {
    c: &'a str,
    d: String,
    k: Vec<&'a str>,
    s: &'a str,
    t: &'a str,
    u: String,
}

/// RFC 3339 in UTC with seconds, the W3C datetime sitemaps accept.
fn w3c_date(date: DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `https://example.org` from `https://example.org/news/`; empty if the URL has no host.
pub fn origin(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()),
        None => String::new(),
    }
}

/// Rewrites relative `href` and `src` values in HTML to absolute URLs, for readers that show
/// the HTML away from the page (feeds). `page` is the page's absolute URL (ending in `/`).
pub fn absolute_links(html: &str, page: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(pos) = find_url_attribute(rest) {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        if value.contains("://")
            || value.starts_with("//")
            || value.starts_with("mailto:")
            || value.starts_with("data:")
        {
            out.push_str(value);
        } else if value.starts_with('/') {
            out.push_str(origin);
            out.push_str(value);
        } else {
            out.push_str(page);
            out.push_str(value);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Byte offset just after the next ` href="` or ` src="`.
fn find_url_attribute(html: &str) -> Option<usize> {
    let href = html.find(" href=\"").map(|i| i + 7);
    let src = html.find(" src=\"").map(|i| i + 6);
    match (href, src) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute() {
        let html = r##"<a href="/tech/x/">x</a> <img src="chart.svg"> <a href="#note">n</a> <a href="https://e.com/">e</a>"##;
        assert_eq!(
            absolute_links(html, "https://s.org/news/a/", "https://s.org"),
            r##"<a href="https://s.org/tech/x/">x</a> <img src="https://s.org/news/a/chart.svg"> <a href="https://s.org/news/a/#note">n</a> <a href="https://e.com/">e</a>"##
        );
    }

    #[test]
    fn search_parts_hold_every_article_once_and_old_parts_keep_theirs() {
        let parts = |articles: usize, per_file: usize| -> Vec<std::ops::Range<usize>> {
            (0..search_parts(articles, per_file))
                .map(|p| search_part_entries(articles, per_file, p))
                .collect()
        };
        assert_eq!(parts(0, 3), vec![0..0], "an empty site still has its (empty) index");
        assert_eq!(parts(3, 3), vec![0..3], "a site that fits has one file");
        // Entries are newest first: part 0 the newest, part 1 the oldest run.
        assert_eq!(parts(4, 3), [0..1, 1..4]);
        assert_eq!(parts(7, 3), [0..1, 4..7, 1..4]);
        for articles in 0..40 {
            let mut covered: Vec<usize> = parts(articles, 4).into_iter().flatten().collect();
            covered.sort_unstable();
            assert_eq!(covered, (0..articles).collect::<Vec<_>>(), "{articles} articles");
        }
        // Publishing an article (a new entry 0) leaves every numbered part's articles as they
        // were: the same oldest-counted articles, now one entry further down.
        for articles in 1..40 {
            let (before, after) = (parts(articles, 4), parts(articles + 1, 4));
            for (part, range) in before.iter().enumerate().skip(1) {
                assert_eq!(after[part], range.start + 1..range.end + 1, "{articles} articles, part {part}");
            }
        }
    }

    #[test]
    fn origin_of_the_base_url() {
        assert_eq!(origin("https://example.org/news/"), "https://example.org");
        assert_eq!(origin("/"), "");
    }
}
