//! Stage 5 (render): the site's pages: the list of every page in a stable order, where
//! each one lives (link path and output file), and the machine-readable files made from the
//! list and the model (feeds, sitemaps, robots.txt, the search index).

use chrono::{DateTime, Datelike, Utc};

use super::feeds::{Feeds, SitemapUrl, SITEMAP_LIMIT};
use super::pages::{Generated, GroupKind, Page, Renderer};
use super::pagination::{page_count, page_path};
use super::theme::BUILTIN_ASSETS;
use crate::library::{ArticleId, Library};

impl Renderer<'_> {
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
            pages.extend(e.article.aliases.iter().map(|(a, _)| Page::Alias(ArticleId(i as u32), a.clone())));
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
        if (Feeds { views: &self.views, now: self.now }).has_news_sitemap() {
            generated.push(Generated::NewsSitemap);
        }
        generated.push(Generated::Robots);
        generated.extend((0..self.views.search_parts()).map(Generated::SearchIndex));
        pages.extend(generated.into_iter().map(Page::Generated));
        pages
    }

    /// The sitemap entry of an HTML page that belongs in the sitemap (see `in_sitemap`).
    fn sitemap_url(&self, page: &Page) -> Option<SitemapUrl> {
        let lastmod = self.sitemap_lastmod(page)?;
        Some(SitemapUrl { loc: self.views.permalink(&self.link_path(page)), lastmod })
    }

    /// When a page in the sitemap last changed: its newest article's date (or the build
    /// time for a page without articles); `None` for a page not in the sitemap.
    fn sitemap_lastmod(&self, page: &Page) -> Option<DateTime<Utc>> {
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
        Some(lastmod.unwrap_or(self.now))
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
                page_path(&[kind.prefix(), &self.groups(*kind)[*g].slug, "/"].concat(), *n)
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
    pub(super) fn generated(&self, which: &Generated) -> String {
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
                // Each part makes only its own entries.
                let (skip, take) = sitemap_slice(*part);
                let pages = self.pages();
                let listed = pages.iter().filter(|p| in_sitemap(p)).skip(skip).take(take);
                let urls: Vec<SitemapUrl> = listed.filter_map(|p| self.sitemap_url(p)).collect();
                feeds.sitemap(&urls)
            }
            Generated::SitemapIndex => {
                let dates: Vec<DateTime<Utc>> =
                    self.pages().iter().filter_map(|p| self.sitemap_lastmod(p)).collect();
                let parts: Vec<DateTime<Utc>> = dates
                    .chunks(SITEMAP_LIMIT)
                    .map(|c| c.iter().copied().max().unwrap_or(self.now))
                    .collect();
                feeds.sitemap_index(&parts)
            }
            Generated::NewsSitemap => feeds.news_sitemap(),
            Generated::Robots => feeds.robots(),
            Generated::SearchIndex(part) => feeds.search_index(*part),
        }
    }
}

/// Which of the sitemap's pages (in page order) sitemap part `part` lists, as (how many to
/// skip, how many to take): part 0 is the whole sitemap in one file, part N (from 1) the Nth
/// run of `SITEMAP_LIMIT` pages.
fn sitemap_slice(part: usize) -> (usize, usize) {
    match part {
        0 => (0, usize::MAX),
        n => ((n - 1) * SITEMAP_LIMIT, SITEMAP_LIMIT),
    }
}

/// Whether a page is listed in the sitemap: HTML pages, not aliases, the 404 page, the search
/// page (which has nothing of its own to index) or files.
fn in_sitemap(page: &Page) -> bool {
    matches!(
        page,
        Page::Front | Page::Archive | Page::GroupIndex(_) | Page::Article(_) | Page::Group(..) | Page::Day(_)
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
        Generated::SearchIndex(0) => "search-index.json".into(),
        Generated::SearchIndex(part) => format!("search-index-{part}.json"),
    }
}

/// A page path -> its file: folders get `index.html`.
fn html_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".into()
    } else if path.ends_with('/') {
        [path, "index.html"].concat()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_parts_cover_every_page_once_in_order() {
        assert_eq!(sitemap_slice(0), (0, usize::MAX));
        let pages: Vec<usize> = (0..2 * SITEMAP_LIMIT + 7).collect();
        let parts: Vec<Vec<usize>> = (1..=pages.len().div_ceil(SITEMAP_LIMIT))
            .map(|part| {
                let (skip, take) = sitemap_slice(part);
                pages.iter().copied().skip(skip).take(take).collect()
            })
            .collect();
        assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), [SITEMAP_LIMIT, SITEMAP_LIMIT, 7]);
        assert_eq!(parts.concat(), pages);
    }
}
