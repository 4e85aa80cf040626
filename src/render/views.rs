//! Stage 5 (render): the plain structs templates see. Built from the library by id at
//! render time; templates never see model types.

use chrono::format::{DelayedFormat, Item, StrftimeItems};
use chrono::{DateTime, Locale, NaiveDate, Utc};
use chrono_tz::Tz;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;

use super::shared::{PerArticle, Shared};
use crate::config::Config;
use crate::library::{ArticleId, Entry, Group, Library};
use crate::markdown::{excerpt, reading_minutes};
use crate::related::Related;
use crate::slugs::slugify;
use crate::strings::Strings;

/// Categories the navigation bar shows when config.toml lists none.
pub const NAV_CATEGORIES: usize = 12;

/// The generator named in every page's head (`site.generator`).
pub const GENERATOR: &str = concat!("Broadsheet ", env!("CARGO_PKG_VERSION"));

/// Site-wide values, the same on every page: `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute base URL with trailing slash.
    pub base_url: &'a str,
    /// Path prefix of every internal link (`/` or `/news/`).
    pub base_path: String,
    pub language: &'a str,
    /// `rtl` when `language` is written from right to left, else `ltr`: `<html dir>`.
    pub direction: &'static str,
    /// `language` as OpenGraph's `og:locale` wants it (`de_CH`, `en_US`).
    pub og_locale: Option<String>,
    /// Whether the site has a JSON Feed (`[feeds] json_feed`), for its autodiscovery link.
    pub json_feed: bool,
    /// The theme's fixed words in the site's language (`site.strings.related_news`).
    pub strings: Strings,
    /// Date of the newest article, formatted: the masthead's edition date.
    pub edition_date: String,
    /// The same date as `YYYY-MM-DD`, for `<time datetime>`.
    pub edition_iso: String,
    /// Categories in the navigation bar: those listed in config.toml, in their order; if
    /// none are listed, the `NAV_CATEGORIES` largest. `/categories/` lists them all.
    pub categories: Vec<LinkView<'a>>,
    pub generator: &'static str,
}

/// A named link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A date as templates need it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// Formatted with `date_format` in the site's time zone.
    pub display: String,
    /// The time of day, formatted with `time_format` in the site's time zone, when the front
    /// matter gave one (`2026-11-24T09:30:00Z`) and `display` does not show it already; none
    /// for a day alone (`2026-11-24`).
    pub time: Option<String>,
}

/// An article as a list item (front page, category, tag pages): `articles[i]`.
#[derive(Debug, Clone, Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub summary: &'a str,
    /// The summary cut to about 200 characters at a word, for lists.
    pub excerpt: String,
    pub category: LinkView<'a>,
    pub authors: Vec<LinkView<'a>>,
    pub image: Option<ImageView<'a>>,
    pub reading_time: usize,
    /// The reading time in words (`4 min read`, the `min_read` string), made once per
    /// article rather than by a filter on every card that shows it.
    pub reading_time_text: String,
    pub word_count: usize,
}

/// A hero image with its URL resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView<'a> {
    pub url: String,
    pub alt: &'a str,
}

/// The full article on its own page: `article`.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    #[serde(flatten)]
    pub card: Shared<'a, CardView<'a>>,
    /// Body HTML (insert with `| safe`).
    pub content: &'a str,
    /// The summary when the front matter gives one, else empty: a summary taken from the
    /// body's opening would only repeat it under the headline.
    pub standfirst: &'a str,
    pub tags: Vec<LinkView<'a>>,
    pub source: Option<SourceView<'a>>,
    pub share: ShareView,
    /// Older article in the same category.
    pub previous: Option<LinkView<'a>>,
    /// Newer article in the same category.
    pub next: Option<LinkView<'a>>,
    pub related: Vec<RelatedView<'a>>,
    /// How many of `related` are real matches; the rest are fallbacks. Lets a theme title
    /// the two parts without filtering the list (a filtered copy is slow in Tera).
    pub related_matches: usize,
    /// The front matter's `[extra]` table, as written.
    pub extra: &'a toml::Table,
    /// Schema.org `NewsArticle` as JSON, safe inside `<script>` (insert with `| safe`).
    pub json_ld: String,
    /// The theme's words with this article's category filled in (`More in Technology`):
    /// the `more_in`, `previous_in` and `next_in` strings.
    pub in_category: InCategoryView,
}

/// An article's `in_category` words.
#[derive(Debug, Serialize)]
pub struct InCategoryView {
    pub more: String,
    pub previous: String,
    pub next: String,
}

/// A source credit.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    pub name: &'a str,
    pub url: Option<&'a str>,
}

/// Share links (plain links, no trackers).
#[derive(Debug, Serialize)]
pub struct ShareView {
    pub email: String,
    pub x: String,
    pub facebook: String,
    pub linkedin: String,
}

/// One related-news item: the shared item's fields and `fallback`, side by side.
#[derive(Debug)]
pub struct RelatedView<'a> {
    pub article: Shared<'a, RelatedArticle<'a>>,
    /// True when the item only fills the list ("More in Technology"), not a real match.
    pub fallback: bool,
}

/// Templates see the item's fields beside `fallback` (flattened). A page fingerprint takes
/// the shared item as its digest, which a flattened field cannot give: serde's flattening
/// reports every format as human-readable to what it flattens.
impl Serialize for RelatedView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'v, 'a> {
            #[serde(flatten)]
            article: &'v RelatedArticle<'a>,
            fallback: bool,
        }
        #[derive(Serialize)]
        struct Digested<'v, 'a> {
            article: &'v Shared<'a, RelatedArticle<'a>>,
            fallback: bool,
        }
        if serializer.is_human_readable() {
            Flat { article: &self.article, fallback: self.fallback }.serialize(serializer)
        } else {
            Digested { article: &self.article, fallback: self.fallback }.serialize(serializer)
        }
    }
}

/// An article as a related-news item shows it, the same in every sidebar.
#[derive(Debug, Serialize)]
pub struct RelatedArticle<'a> {
    pub title: &'a str,
    pub url: String,
    pub category: &'a str,
    /// About 120 characters of the summary, cut at a word, with an ellipsis.
    pub excerpt: String,
    pub date: DateView,
    pub image: Option<ImageView<'a>>,
}

/// Schema.org `NewsArticle` as JSON-LD. Fields are declared in the alphabetical order of
/// their JSON names, the order the output had when it was built as a sorted JSON map.
#[derive(Serialize)]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection")]
    section: &'a str,
    author: Vec<PersonLd<'a>>,
    #[serde(rename = "dateModified")]
    modified: &'a str,
    #[serde(rename = "datePublished")]
    published: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
    #[serde(rename = "inLanguage")]
    language: &'a str,
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    page: WebPageLd<'a>,
    publisher: OrganizationLd<'a>,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

#[derive(Serialize)]
struct PersonLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    /// The author's page.
    url: String,
}

#[derive(Serialize)]
struct WebPageLd<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

/// Builds views from the library; one per render run.
pub struct Views<'a> {
    pub library: &'a Library,
    pub config: &'a Config,
    pub tz: Tz,
    pub base_path: String,
    /// Scheme and host of `base_url` (`https://example.org`), for absolute URLs.
    pub origin: String,
    /// `date_format` and `day_format`, parsed once instead of on every date shown.
    date_items: Vec<Item<'static>>,
    day_items: Vec<Item<'static>>,
    /// `time_format`'s items; none when `date_format` shows the time itself.
    time_items: Option<Vec<Item<'static>>>,
    /// `%B %Y`, parsed once: the archive's month headings.
    month_items: Vec<Item<'static>>,
    /// The month and day names of `language` (`None`: English).
    locale: Option<Locale>,
    /// The theme's fixed words in the site's language.
    pub strings: Strings,
    /// Each article's card.
    cards: PerArticle<CardView<'a>>,
    /// Each article as a related-news item.
    related_items: PerArticle<RelatedArticle<'a>>,
}

impl<'a> Views<'a> {
    /// Views of `library` with `config`'s settings; `whole_site` when most pages will be
    /// rendered, so that each article's views are built once and shared.
    pub fn new(library: &'a Library, config: &'a Config, tz: Tz, whole_site: bool) -> Views<'a> {
        let n = library.entries.len();
        Views {
            library,
            config,
            tz,
            base_path: config.base_path(),
            origin: super::feeds::origin(&config.base_url),
            date_items: parsed_format(&config.date_format),
            day_items: parsed_format(config.day_format()),
            time_items: (!config.date_format_shows_time()).then(|| parsed_format(&config.time_format)),
            month_items: parsed_format("%B %Y"),
            locale: crate::language::date_locale(&config.language),
            strings: Strings::new(&config.language, &config.strings),
            cards: PerArticle::new(n, whole_site),
            related_items: PerArticle::new(n, whole_site),
        }
    }

    /// Site-relative path -> link path with the base path (`/news/technology/`).
    pub fn url(&self, path: &str) -> String {
        // `concat`, not `format!`: these joins run several times per page, and the formatting
        // machinery cost 3% of a 10,000-article build.
        [self.base_path.as_str(), path].concat()
    }

    /// Site-relative path -> absolute URL.
    pub fn permalink(&self, path: &str) -> String {
        [self.config.base_url.as_str(), path].concat()
    }

    /// A link path (`/news/a.svg`) or URL -> an absolute URL on the site's host.
    pub fn absolute(&self, url: &str) -> String {
        if url.contains("://") {
            url.to_string()
        } else {
            [self.origin.as_str(), url].concat()
        }
    }

    /// A moment as templates show it; with `has_time`, its time of day too.
    pub fn date(&self, date: DateTime<Utc>, has_time: bool) -> DateView {
        let local = date.with_timezone(&self.tz);
        // A bare date has no time of day to show: when `date_format` shows one (then there is
        // no separate `time_items`), the day's format shows it instead of a false 00:00.
        let items = if has_time || self.time_items.is_some() { &self.date_items } else { &self.day_items };
        DateView {
            iso: local.to_rfc3339(),
            display: self.format(&local, items),
            time: self.time_items.as_ref().filter(|_| has_time).map(|items| self.format(&local, items)),
        }
    }

    /// The search script's words, as a JSON object safe inside `<script>`.
    pub fn search_strings(&self) -> String {
        let keys = [
            "type_to_search",
            "search_failed",
            "results_one",
            "results_other",
            "searching_older",
            "results_searching_older",
            "no_match",
            "older_not_searched",
        ];
        let words: serde_json::Map<String, serde_json::Value> =
            keys.iter().map(|k| (k.to_string(), serde_json::Value::from(self.strings.get(k)))).collect();
        script_safe_json(&serde_json::Value::Object(words).to_string())
    }

    /// A day in `day_format`.
    pub fn day(&self, date: NaiveDate) -> String {
        self.format_day(date, &self.day_items)
    }

    /// A month and its year (`November 2026`, `März 2026`): the archive's headings.
    pub fn month(&self, date: NaiveDate) -> String {
        self.format_day(date, &self.month_items)
    }

    fn format(&self, local: &DateTime<Tz>, items: &[Item<'static>]) -> String {
        match self.locale {
            Some(locale) => local.format_localized_with_items(items.iter(), locale).to_string(),
            None => local.format_with_items(items.iter()).to_string(),
        }
    }

    fn format_day(&self, date: NaiveDate, items: &[Item<'static>]) -> String {
        match self.locale {
            Some(locale) => {
                DelayedFormat::new_with_locale(Some(date), None, items.iter(), locale).to_string()
            }
            None => date.format_with_items(items.iter()).to_string(),
        }
    }

    pub fn site(&self) -> SiteView<'a> {
        let config = self.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: self.base_path.clone(),
            language: &config.language,
            direction: crate::language::direction(&config.language),
            og_locale: crate::language::og_locale(&config.language),
            json_feed: config.feeds.json_feed,
            strings: self.strings.clone(),
            edition_iso: self.library.days.first().map(|d| d.date.to_string()).unwrap_or_default(),
            edition_date: self.library.days.first().map(|d| self.day(d.date)).unwrap_or_default(),
            categories: self.navigation(),
            generator: GENERATOR,
        }
    }

    /// The navigation bar's categories: a bar of thousands of links would be on every page.
    fn navigation(&self) -> Vec<LinkView<'a>> {
        self.navigation_groups().into_iter().map(|c| self.group_link(c, "")).collect()
    }

    /// The categories of the navigation bar (and of the front page's sections), in order.
    pub fn navigation_groups(&self) -> Vec<&'a Group> {
        let lib = self.library;
        let configured: Vec<&Group> = lib
            .categories
            .iter()
            .filter(|c| self.config.categories.iter().any(|k| slugify(&k.name) == c.slug))
            .collect();
        let mut shown: Vec<&Group> =
            if configured.is_empty() { lib.categories.iter().collect() } else { configured };
        if shown.len() > NAV_CATEGORIES && self.config.categories.is_empty() {
            let mut by_size = shown.clone();
            by_size.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then_with(|| a.slug.cmp(&b.slug)));
            by_size.truncate(NAV_CATEGORIES);
            shown.retain(|c| by_size.iter().any(|b| b.slug == c.slug));
        }
        shown
    }

    /// Link to a category (`prefix` ""), tag (`tags/`) or author (`authors/`) page.
    pub fn group_link(&self, group: &'a Group, prefix: &str) -> LinkView<'a> {
        LinkView { name: &group.name, url: [self.base_path.as_str(), prefix, &group.slug, "/"].concat() }
    }

    /// An article's card (built once per render run).
    pub fn card(&self, id: ArticleId) -> Shared<'_, CardView<'a>> {
        self.cards.get(id, || self.new_card(id))
    }

    fn new_card(&self, id: ArticleId) -> CardView<'a> {
        let entry: &'a Entry = self.library.get(id);
        let a = &entry.article;
        CardView {
            title: &a.title,
            url: self.url(&entry.path),
            permalink: self.permalink(&entry.path),
            date: self.date(a.date, a.date_has_time),
            updated: a.updated.map(|u| self.date(u, a.updated_has_time)),
            summary: &a.summary,
            excerpt: excerpt(&a.summary, 200),
            category: self.group_link(&self.library.categories[entry.category], ""),
            authors: entry
                .authors
                .iter()
                .map(|&i| self.group_link(&self.library.authors[i], "authors/"))
                .collect(),
            image: self.image(entry),
            reading_time: reading_minutes(a.word_count),
            reading_time_text: self
                .strings
                .fill("min_read", &[("minutes", &reading_minutes(a.word_count).to_string())]),
            word_count: a.word_count,
        }
    }

    fn image(&self, entry: &'a Entry) -> Option<ImageView<'a>> {
        let image = entry.article.image.as_ref()?;
        let src = image.src.as_str();
        let url = if let Some(resolved) = &image.resolved {
            resolved.clone()
        } else if src.contains("://") || src.starts_with("//") {
            src.to_string()
        } else if let Some(site_path) = src.strip_prefix('/') {
            self.url(site_path)
        } else {
            self.url(&format!("{}{src}", entry.path))
        };
        Some(ImageView { url, alt: &image.alt })
    }

    pub fn article<'v>(&'v self, id: ArticleId, related: &[Related]) -> ArticleView<'v>
    where
        'a: 'v,
    {
        let entry = self.library.get(id);
        let a = &entry.article;
        let siblings = &self.library.categories[entry.category].articles;
        // A group lists its articles in id order (newest first), so the search is binary.
        let pos = siblings.binary_search(&id).unwrap_or(0);
        let link = |other: &ArticleId| {
            let e = self.library.get(*other);
            LinkView { name: e.article.title.as_str(), url: self.url(&e.path) }
        };
        let card = self.card(id);
        let json_ld = self.json_ld(id, &card);
        ArticleView {
            json_ld,
            share: share_links(&a.title, &card.permalink),
            card,
            content: &a.html,
            standfirst: if a.summary_written { &a.summary } else { "" },
            tags: entry.tags.iter().map(|&t| self.group_link(&self.library.tags[t], "tags/")).collect(),
            source: a.source.as_ref().map(|s| SourceView { name: &s.name, url: s.url.as_deref() }),
            previous: siblings.get(pos + 1).map(link),
            next: pos.checked_sub(1).and_then(|p| siblings.get(p)).map(link),
            related: related.iter().map(|r| self.related(r)).collect(),
            related_matches: related.iter().filter(|r| !r.fallback).count(),
            extra: &a.extra,
            in_category: {
                let category = [("category", self.library.categories[entry.category].name.as_str())];
                InCategoryView {
                    more: self.strings.fill("more_in", &category),
                    previous: self.strings.fill("previous_in", &category),
                    next: self.strings.fill("next_in", &category),
                }
            },
        }
    }

    /// Schema.org `NewsArticle` for search engines, escaped so that no text can end the
    /// `<script>` element it sits in.
    fn json_ld(&self, id: ArticleId, card: &CardView) -> String {
        let entry = self.library.get(id);
        let a = &entry.article;
        // `Article::updated_or_date`, taken from the dates the card already formatted.
        let modified = match &card.updated {
            Some(updated) if a.updated_or_date() > a.date => updated.iso.as_str(),
            _ => card.date.iso.as_str(),
        };
        let ld = NewsArticleLd {
            context: "https://schema.org",
            kind: "NewsArticle",
            section: &self.library.categories[entry.category].name,
            author: entry
                .authors
                .iter()
                .map(|&i| {
                    let author = &self.library.authors[i];
                    let url = self.permalink(&["authors/", &author.slug, "/"].concat());
                    PersonLd { kind: "Person", name: &author.name, url }
                })
                .collect(),
            modified,
            published: &card.date.iso,
            description: &a.summary,
            headline: &a.title,
            image: card.image.as_ref().map(|i| [self.absolute(&i.url)]),
            language: &self.config.language,
            keywords: entry.tags.iter().map(|&t| self.library.tags[t].name.as_str()).collect(),
            page: WebPageLd { id: &card.permalink, kind: "WebPage" },
            publisher: OrganizationLd {
                kind: "Organization",
                name: &self.config.title,
                url: &self.config.base_url,
            },
            word_count: a.word_count,
        };
        script_safe_json(&serde_json::to_string(&ld).unwrap_or_default())
    }

    fn related<'v>(&'v self, item: &Related) -> RelatedView<'v>
    where
        'a: 'v,
    {
        let article = self.related_items.get(item.id, || {
            let entry = self.library.get(item.id);
            RelatedArticle {
                title: &entry.article.title,
                url: self.url(&entry.path),
                category: &self.library.categories[entry.category].name,
                excerpt: excerpt(&entry.article.summary, 120),
                date: self.date(entry.article.date, entry.article.date_has_time),
                image: self.image(entry),
            }
        });
        RelatedView { article, fallback: item.fallback }
    }
}

/// A strftime format as chrono's items. The config checks reject a format chrono cannot parse
/// (`config::check_date_formats`), so the error item stands in for one that cannot occur.
fn parsed_format(format: &str) -> Vec<Item<'static>> {
    StrftimeItems::new(format).parse_to_owned().unwrap_or_else(|_| vec![Item::Error])
}

fn share_links(title: &str, permalink: &str) -> ShareView {
    let t = utf8_percent_encode(title, NON_ALPHANUMERIC).to_string();
    let u = utf8_percent_encode(permalink, NON_ALPHANUMERIC).to_string();
    ShareView {
        email: format!("mailto:?subject={t}&body={u}"),
        x: format!("https://x.com/intent/post?text={t}&url={u}"),
        facebook: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        linkedin: format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
    }
}

/// Escapes `<`, `>`, `&` and the JavaScript line separators in JSON, so that a value such as
/// `</script>` cannot close the script element; JSON parsers read the escapes back unchanged.
pub fn script_safe_json(json: &str) -> String {
    let bytes = json.as_bytes();
    // The bytes that can start something to escape; most JSON-LD has none or few of them.
    let candidate = |b: &u8| matches!(b, b'<' | b'>' | b'&' | 0xE2);
    let mut out = String::with_capacity(json.len() + 16);
    let mut clean_from = 0;
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(candidate) {
        let i = from + offset;
        from = i + 1;
        // (escape, bytes it replaces); U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
        let (escape, width) = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'<', _, _) => ("\\u003c", 1),
            (b'>', _, _) => ("\\u003e", 1),
            (b'&', _, _) => ("\\u0026", 1),
            (0xE2, Some(0x80), Some(0xA8)) => ("\\u2028", 3),
            (0xE2, Some(0x80), Some(0xA9)) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[clean_from..i]);
        out.push_str(escape);
        clean_from = i + width;
        from = clean_from;
    }
    out.push_str(&json[clean_from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_scripts_cannot_close_the_element() {
        let headline = "</script><script>alert(1)</script> & more\u{2028}é\u{2029}";
        let json = serde_json::json!({ "headline": headline }).to_string();
        let safe = script_safe_json(&json);
        assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{safe}");
        assert!(safe.contains("\\u2028é\\u2029"), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["headline"], headline);
    }

    #[test]
    fn share_links_are_encoded() {
        let s = share_links("A & B", "https://x.org/a/");
        assert_eq!(s.facebook, "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx%2Eorg%2Fa%2F");
        assert!(s.email.starts_with("mailto:?subject=A%20%26%20B&body="));
    }
}
