//! Stage 1 (content): one checked `Article` from one file's text (`Article::parse` is pure).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use toml::value::{Datetime, Offset};
use toml::Spanned;

use super::frontmatter::{self, Authors, FrontMatter, ImageField, KeyError, SourceField, SplitError};
use crate::error::{line_col, toml_diagnostic, unknown_key, Diagnostic};
use crate::slugs;

/// A news article as the model holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// Path of the Markdown file relative to the site folder (`content/tech/a.md`).
    pub path: PathBuf,
    /// Headline.
    pub title: String,
    /// Publication time.
    pub date: DateTime<Utc>,
    /// Last significant change, if any.
    pub updated: Option<DateTime<Utc>>,
    /// Whether `date` was written with a time of day (`2026-11-24T09:30:00Z`), not as a
    /// day alone (`2026-11-24`, which means midnight): only then do pages show its time.
    pub date_has_time: bool,
    /// The same for `updated`.
    pub updated_has_time: bool,
    /// Summary: from front matter, else filled by the Markdown stage from the body's opening.
    pub summary: String,
    /// Whether the front matter gives the summary: only then is it a standfirst of its own,
    /// shown under the headline, rather than the text the body opens with.
    pub summary_written: bool,
    /// Authors, never empty (the site default when none is given).
    pub authors: Vec<String>,
    /// Category name as written (front matter, else first folder).
    pub category: String,
    /// Tag names as written.
    pub tags: Vec<String>,
    /// Original reporting credited.
    pub source: Option<Source>,
    /// Hero image.
    pub image: Option<Image>,
    /// URL segment of the article, unique within its category.
    pub slug: String,
    /// Front matter line of an explicit `slug`; `None` when the file name gives it.
    pub slug_line: Option<usize>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Old site paths that redirect here (`old/aws/`, checked to stay inside the site), with
    /// their front matter line.
    pub aliases: Vec<(String, usize)>,
    /// Slugs pinned first in the related-news sidebar, with their front matter line.
    pub related_pins: Vec<(String, usize)>,
    /// Free-form `[extra]` table, passed to templates as-is.
    #[serde(with = "toml_text")]
    pub extra: toml::Table,
    /// Markdown body (shared, so the incremental cache keeps it without a copy).
    pub markdown: Arc<str>,
    /// 1-based file line where the body starts.
    pub body_line: usize,
    /// Rendered body, filled by the Markdown stage.
    pub html: Arc<str>,
    /// Words in the body, filled by the Markdown stage.
    pub word_count: usize,
}

/// A source credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Outlet name (`Reuters`).
    pub name: String,
    /// Link to the original story, if given.
    pub url: Option<String>,
}

/// A hero image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// As written: a URL, a site path, or a file next to the article.
    pub src: String,
    /// Alternative text (empty when the image is decorative).
    pub alt: String,
    /// The link path a relative `src` resolves to when the file is in another folder of
    /// `content/` (`img/a.png` -> `/news/img/a.png`), filled by the Markdown stage as it is
    /// for a link in the body; `None` when `src` works as written.
    #[serde(default)]
    pub resolved: Option<String>,
}

/// What an article needs from the site to be checked.
#[derive(Debug, Clone)]
pub struct ParseContext<'a> {
    /// Zone for dates without an offset.
    pub tz: Tz,
    /// Author when none is named.
    pub default_author: &'a str,
}

impl Article {
    /// The last significant change: `updated` when given (and not before `date`), else `date`.
    pub fn updated_or_date(&self) -> DateTime<Utc> {
        self.updated.unwrap_or(self.date).max(self.date)
    }

    /// Whether `other` sits in the site exactly where this article does: same file, URL,
    /// date (order, day), category, tags, authors, draft state, aliases and pins. Two
    /// versions of a file with the same placement give the model the same shape, so the
    /// preview server can swap one for the other without rebuilding the model.
    pub fn same_placement(&self, other: &Article) -> bool {
        let paths = |list: &[(String, usize)]| list.iter().map(|(path, _)| path.clone()).collect::<Vec<_>>();
        self.path == other.path
            && self.date == other.date
            && self.slug == other.slug
            && self.category == other.category
            && self.tags == other.tags
            && self.authors == other.authors
            && self.draft == other.draft
            && paths(&self.aliases) == paths(&other.aliases)
            && paths(&self.related_pins) == paths(&other.related_pins)
    }

    /// Parses a file's text. `path` is relative to the site (it starts with `content/`).
    pub fn parse(path: &Path, text: &str, ctx: &ParseContext) -> Result<Article, Vec<Diagnostic>> {
        let split = frontmatter::split(text).map_err(|e| vec![split_diagnostic(path, e)])?;
        let fm_line = split.front_matter_line;
        let raw: FrontMatter = frontmatter::parse(split.front_matter).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| key_diagnostic(path, split.front_matter, fm_line, e))
                .collect::<Vec<_>>()
        })?;
        let mut checker = Checker { path, text: split.front_matter, first_line: fm_line, errors: Vec::new() };
        let article = checker.unpack(raw, split.body, split.body_line, ctx);
        match article {
            Some(a) if checker.errors.is_empty() => Ok(a),
            _ => Err(checker.errors),
        }
    }
}

fn split_diagnostic(path: &Path, err: SplitError) -> Diagnostic {
    let d = Diagnostic::new(path, "");
    match err {
        SplitError::Empty => Diagnostic { message: "the file is empty".into(), ..d }
            .hint("add front matter with at least `title` and `date`, or delete the file"),
        SplitError::NoFrontMatter => {
            Diagnostic { message: "no front matter: the first line is not `+++`".into(), ..d }
                .at(1, Some(1))
                .hint("start the file with `+++`, then `title = \"...\"` and `date = 2026-01-31`, then `+++`")
        }
        SplitError::YamlFrontMatter => {
            Diagnostic { message: "YAML front matter (`---`): Broadsheet reads TOML between `+++` lines".into(), ..d }
                .at(1, Some(1))
                .hint("write it as TOML: `+++`, then `title = \"...\"` and `date = 2026-01-31` (quoted text, `key = value`), then `+++`; the README's *Moving a site to Broadsheet* shows the conversion")
        }
        SplitError::Unterminated => Diagnostic { message: "front matter is not closed".into(), ..d }
            .at(1, Some(1))
            .hint("add a line `+++` after the last front matter key"),
    }
}

/// Collects every problem in one article's front matter.
struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    first_line: usize,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn line_of<T>(&self, spanned: &Spanned<T>) -> (usize, usize) {
        let (line, col) = line_col(self.text, spanned.span().start);
        (line + self.first_line - 1, col)
    }

    fn error_at<T>(&mut self, spanned: &Spanned<T>, message: String, hint: &str) {
        let (line, col) = self.line_of(spanned);
        self.errors.push(Diagnostic::new(self.path, message).at(line, Some(col)).hint(hint));
    }

    fn missing(&mut self, key: &str, hint: &str) {
        self.errors.push(
            Diagnostic::new(self.path, format!("missing `{key}` in front matter"))
                .at(self.first_line - 1, Some(1))
                .hint(hint),
        );
    }

    /// Unpacks every front matter key by name, so a new key nobody handles does not compile.
    fn unpack(
        &mut self,
        raw: FrontMatter,
        body: &str,
        body_line: usize,
        ctx: &ParseContext,
    ) -> Option<Article> {
        let FrontMatter {
            title,
            date,
            updated,
            summary,
            author,
            category,
            tags,
            source,
            image,
            slug,
            draft,
            aliases,
            related,
            extra,
        } = raw;
        let title = match title {
            Some(t) if t.get_ref().trim().is_empty() => {
                self.error_at(&t, "`title` is empty".into(), "write the headline between the quotes");
                None
            }
            Some(t) => Some(t.into_inner().trim().to_string()),
            None => {
                self.missing("title", "add a headline: `title = \"...\"`");
                None
            }
        };
        let date_has_time = date.as_ref().is_some_and(|d| d.get_ref().time.is_some());
        let updated_has_time = updated.as_ref().is_some_and(|u| u.get_ref().time.is_some());
        let date = match date {
            Some(d) => self.datetime(&d, ctx.tz),
            None => {
                self.missing(
                    "date",
                    "add the publication date: `date = 2026-11-24T09:30:00Z` or `date = 2026-11-24`",
                );
                None
            }
        };
        let updated = updated.and_then(|u| {
            let time = self.datetime(&u, ctx.tz)?;
            if date.is_some_and(|published| time < published) {
                self.error_at(
                    &u,
                    format!("`updated` ({}) is before `date`, the publication", u.get_ref()),
                    "`updated` is the time of the last significant change: correct it, or remove it",
                );
            }
            Some(time)
        });
        let category = self.category(category);
        let slug_line = slug.as_ref().map(|s| self.line_of(s).0);
        let slug = self.slug(slug);
        let aliases = aliases.unwrap_or_default().into_iter().filter_map(|a| self.alias(a)).collect();
        let tags = self.tags(tags.unwrap_or_default());
        let related_pins = related
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.get_ref().clone(), self.line_of(&r).0))
            .collect();
        let authors = self.authors(author, ctx.default_author);
        let source = source.and_then(|s| self.source(s));
        let image = image.map(|i| match i {
            ImageField::Src(src) => Image { src, alt: String::new(), resolved: None },
            ImageField::Full { src, alt } => Image { src, alt: alt.unwrap_or_default(), resolved: None },
        });
        Some(Article {
            path: self.path.to_path_buf(),
            title: title?,
            date: date?,
            updated,
            date_has_time,
            updated_has_time,
            summary_written: summary.as_ref().is_some_and(|s| !s.trim().is_empty()),
            summary: summary.map(|s| s.trim().to_string()).unwrap_or_default(),
            authors,
            category: category?,
            tags,
            source,
            image,
            slug: slug?,
            slug_line,
            draft: draft.unwrap_or(false),
            aliases,
            related_pins,
            extra: extra.unwrap_or_default(),
            markdown: body.into(),
            body_line,
            html: Arc::from(""),
            word_count: 0,
        })
    }

    fn datetime(&mut self, value: &Spanned<Datetime>, tz: Tz) -> Option<DateTime<Utc>> {
        match to_utc(value.get_ref(), tz).and_then(|d| within_publishable_years(d, value.get_ref())) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error_at(value, message, "write a date like `2026-11-24` or `2026-11-24T09:30:00Z`");
                None
            }
        }
    }

    fn category(&mut self, category: Option<Spanned<String>>) -> Option<String> {
        if let Some(c) = category {
            let slug = slugs::slugify(c.get_ref());
            if slug.is_empty() {
                self.error_at(
                    &c,
                    format!("category `{}` has no letters or digits", c.get_ref()),
                    "use a name like `Technology`",
                );
                return None;
            }
            if let Some(why) = slugs::too_long(&slug) {
                self.error_at(&c, format!("the category's slug {why}"), "use a shorter name");
                return None;
            }
            return Some(c.into_inner().trim().to_string());
        }
        // content/<folder>/.../file.md: the first folder under content/ is the category.
        let folders: Vec<String> =
            self.path.components().skip(1).map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
        if folders.len() >= 2 {
            return Some(folders[0].clone());
        }
        self.errors.push(
            Diagnostic::new(self.path, "no category: the article is not in a folder and names no `category`")
                .at(self.first_line - 1, Some(1))
                .hint("add `category = \"...\"` or move the file into a folder such as content/technology/"),
        );
        None
    }

    fn slug(&mut self, slug: Option<Spanned<String>>) -> Option<String> {
        let Some(s) = slug else {
            let stem = default_slug_source(self.path);
            let slug = slugs::slugify(&stem);
            if slug.is_empty() {
                self.errors.push(
                    Diagnostic::new(self.path, "the file name gives an empty slug")
                        .hint("add `slug = \"...\"` or rename the file"),
                );
                return None;
            }
            if let Some(why) = slugs::too_long(&slug) {
                self.errors.push(
                    Diagnostic::new(self.path, format!("the slug the file name gives {why}"))
                        .at(self.first_line - 1, Some(1))
                        .hint("add a shorter `slug = \"...\"` or rename the file"),
                );
                return None;
            }
            return Some(slug);
        };
        if let Err(why) = slugs::check_segment(s.get_ref()) {
            self.error_at(
                &s,
                format!("slug `{}` {why}", s.get_ref()),
                "a slug is one URL segment such as `my-article`, without `/`, `\\` or `..`",
            );
            return None;
        }
        let slug = slugs::slugify(s.get_ref());
        if slug.is_empty() {
            self.error_at(
                &s,
                format!("slug `{}` has no letters or digits", s.get_ref()),
                "use a slug like `my-article`",
            );
            return None;
        }
        if let Some(why) = slugs::too_long(&slug) {
            let start: String = s.get_ref().chars().take(20).collect();
            self.error_at(&s, format!("slug `{start}…` {why}"), "shorten the slug");
            return None;
        }
        Some(slug)
    }

    /// The source credit; its link must be a web address, not a script to run on a click.
    fn source(&mut self, source: Spanned<SourceField>) -> Option<Source> {
        if let SourceField::Full { url: Some(url), .. } = source.get_ref() {
            if crate::markdown::is_script_url(url) {
                self.error_at(
                    &source,
                    format!("the source's `url` `{url}` would run a script when clicked"),
                    "give the web address of the original story, e.g. `url = \"https://example.com/story\"`",
                );
                return None;
            }
        }
        Some(match source.into_inner() {
            SourceField::Name(name) => Source { name, url: None },
            SourceField::Full { name, url } => Source { name, url },
        })
    }

    fn alias(&mut self, alias: Spanned<String>) -> Option<(String, usize)> {
        match slugs::check_site_path(alias.get_ref()) {
            Ok(path) => Some((path, self.line_of(&alias).0)),
            Err(why) => {
                self.error_at(
                    &alias,
                    format!("alias `{}` {why}", alias.get_ref()),
                    "an alias is a path inside the site such as `/2026/04/old-title/`",
                );
                None
            }
        }
    }

    /// The author names as written, each author once (names whose slugs are equal are one
    /// author, as with tags); the site's default author when none is given.
    fn authors(&mut self, author: Option<Spanned<Authors>>, default: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(author) = &author {
            let names = match author.get_ref() {
                Authors::One(name) => std::slice::from_ref(name),
                Authors::Many(names) => names.as_slice(),
            };
            let names = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).map(|n| (n, author));
            out = self.distinct_by_slug(names, "author", "write the name in letters, or remove it");
        }
        if out.is_empty() {
            out.push(default.to_string());
        }
        out
    }

    fn tags(&mut self, tags: Vec<Spanned<String>>) -> Vec<String> {
        let names = tags.iter().map(|t| (t.get_ref().trim(), t));
        self.distinct_by_slug(names, "tag", "remove it or write it as a word")
    }

    /// The names, each once: names whose slugs are equal (`AI`, `ai`) are one, the first
    /// spelling kept. A name with no letters or digits would have a page without a URL: it is
    /// an error at its entry's place in the front matter.
    fn distinct_by_slug<'n, T: 'n>(
        &mut self,
        names: impl Iterator<Item = (&'n str, &'n Spanned<T>)>,
        kind: &str,
        hint: &str,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (name, entry) in names {
            let slug = slugs::slugify(name);
            if slug.is_empty() {
                self.error_at(entry, format!("{kind} `{name}` has no letters or digits"), hint);
            } else if let Some(why) = slugs::too_long(&slug) {
                self.error_at(
                    entry,
                    format!("the slug of {kind} `{}…` {why}", name.chars().take(20).collect::<String>()),
                    "use a shorter name",
                );
            } else if seen.insert(slug) {
                out.push(name.to_string());
            }
        }
        out
    }
}

/// The diagnostic of a front matter key that could not be read; `text` is the front matter,
/// which starts on file line `first_line`.
fn key_diagnostic(path: &Path, text: &str, first_line: usize, error: KeyError) -> Diagnostic {
    let at = |span: std::ops::Range<usize>| {
        let (line, col) = line_col(text, span.start);
        (line + first_line - 1, Some(col))
    };
    match error {
        KeyError::Unknown { key, span } => {
            let (line, col) = at(span);
            let diagnostic = unknown_key(path, &key, &frontmatter::KEYS).at(line, col);
            match other_generators_key(&key) {
                Some(hint) => diagnostic.hint(hint),
                None => diagnostic,
            }
        }
        KeyError::Value { key, error, span } => {
            let mut diagnostic = toml_diagnostic(path, text, first_line, &error);
            if diagnostic.line.is_none() {
                let (line, col) = at(span);
                diagnostic = diagnostic.at(line, col);
            }
            // A type error says what it expected, not of which key: name the key.
            if let Some(key) = key.filter(|k| !diagnostic.message.starts_with(&format!("`{k}`"))) {
                diagnostic.message = format!("`{key}`: {}", diagnostic.message);
            }
            diagnostic
        }
    }
}

/// What an article's slug is made from when its front matter gives none: its file name, or
/// for an `index.md` in a folder of its own (a page bundle, as Hugo calls it:
/// `content/tech/chips/index.md` with its pictures beside it) the folder's name.
fn default_slug_source(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let folder = path.parent().filter(|p| p != &Path::new("content")).and_then(Path::file_name);
    match folder {
        Some(folder) if stem == "index" => folder.to_string_lossy().to_string(),
        _ => stem,
    }
}

/// What Broadsheet calls a front matter key of Hugo, Zola or Jekyll, as a hint for a site
/// that is moving its articles over.
fn other_generators_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "lastmod" | "last_modified_at" | "modified" => "Broadsheet calls the last change `updated`: `updated = 2026-11-24T09:30:00Z`",
        "publishDate" | "publishdate" | "pubdate" | "pubDate" => "Broadsheet calls the publication date `date`",
        "description" | "excerpt" | "subtitle" => "Broadsheet calls the standfirst `summary`: `summary = \"...\"`",
        "categories" => "an article has one category: `category = \"Technology\"`",
        "authors" => "Broadsheet calls the byline `author`, one name or a list: `author = [\"A\", \"B\"]`",
        "taxonomies" => "write tags at the top level: `tags = [\"a\", \"b\"]` (and `category = \"...\"`)",
        "params" => "free-form values go in `[extra]`, which templates read as `article.extra`",
        "published" => "Broadsheet has `draft`: `published = false` is `draft = true` (without either, the article is published)",
        "keywords" => "Broadsheet calls them `tags`: `tags = [\"a\", \"b\"]`",
        "url" | "permalink" | "path" => "set the URL's last part with `slug = \"...\"`; keep an old URL working with `aliases = [\"/old/path/\"]`",
        "weight" | "toc" | "layout" | "template" | "type" | "sort_by" | "paginate_by" | "comments" => {
            "Broadsheet has no such setting; keep the value for your templates under `[extra]`, or remove it"
        }
        "featured_image" | "cover" | "thumbnail" | "images" | "hero" => "Broadsheet calls the article's picture `image`: `image = { src = \"photo.jpg\", alt = \"...\" }`",
        _ => return None,
    })
}

/// `date` if feeds and pages can show it in any time zone: years 1 to 9999 (RFC 2822, which
/// RSS uses, has four-digit years), with a day to spare at either end for the site's zone.
fn within_publishable_years(date: DateTime<Utc>, value: &Datetime) -> Result<DateTime<Utc>, String> {
    let day = chrono::Duration::days(1);
    let fits = |d: Option<DateTime<Utc>>| d.is_some_and(|d| (0..=9999).contains(&chrono::Datelike::year(&d)));
    if fits(date.checked_sub_signed(day)) && fits(date.checked_add_signed(day)) {
        Ok(date)
    } else {
        Err(format!("date `{value}` is out of range: dates between the years 1 and 9999 can be published"))
    }
}

/// Converts a TOML date or datetime to UTC; a value without offset is in `tz`.
pub fn to_utc(value: &Datetime, tz: Tz) -> Result<DateTime<Utc>, String> {
    let Some(d) = value.date else {
        return Err(format!("`{value}` is a time without a date"));
    };
    let date = NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        .ok_or_else(|| format!("invalid date `{value}`"))?;
    let time = match value.time {
        Some(t) => NaiveTime::from_hms_nano_opt(
            t.hour.into(),
            t.minute.into(),
            t.second.min(59).into(),
            t.nanosecond,
        )
        .ok_or_else(|| format!("invalid time in `{value}`"))?,
        None => NaiveTime::MIN,
    };
    let naive = date.and_time(time);
    match value.offset {
        Some(Offset::Z) => Ok(Utc.from_utc_datetime(&naive)),
        Some(Offset::Custom { minutes }) => {
            Ok(Utc.from_utc_datetime(&(naive - chrono::Duration::minutes(minutes.into()))))
        }
        None => match tz.from_local_datetime(&naive) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
            // A local time skipped by a DST change: take the instant one hour later.
            LocalResult::None => tz
                .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| format!("`{value}` does not exist in time zone {tz}")),
        },
    }
}

/// `[extra]` kept as TOML text in the incremental cache, whose binary format cannot hold
/// self-describing values.
mod toml_text {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(table: &toml::Table, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&table.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<toml::Table, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ParseContext<'static> {
        ParseContext { tz: chrono_tz::Europe::Berlin, default_author: "Desk" }
    }

    fn parse(path: &str, text: &str) -> Result<Article, Vec<Diagnostic>> {
        Article::parse(Path::new(path), text, &ctx())
    }

    #[test]
    fn parses_every_field() {
        let a = parse(
            "content/technology/aws.md",
            "+++\ntitle = \"AWS\"\ndate = 2026-04-09T10:30:00Z\nauthor = [\"A\", \"B\"]\ntags = [\"AWS\", \"aws\", \"AI\"]\nsource = { name = \"TechCrunch\", url = \"https://techcrunch.com/\" }\nimage = \"aws.jpg\"\naliases = [\"/old/aws\"]\n[extra]\nviews = 1\n+++\nBody\n",
        )
        .unwrap();
        assert_eq!(a.title, "AWS");
        assert_eq!(a.category, "technology");
        assert_eq!(a.slug, "aws");
        assert_eq!(a.authors, vec!["A", "B"]);
        assert_eq!(a.tags, vec!["AWS", "AI"], "duplicate tags by slug are merged");
        assert_eq!(a.source.unwrap().url.as_deref(), Some("https://techcrunch.com/"));
        assert_eq!(a.image.unwrap().src, "aws.jpg");
        assert_eq!(a.aliases, vec![("old/aws/".to_string(), 8)], "with the front matter line");
        assert_eq!(a.extra["views"].as_integer(), Some(1));
        assert_eq!(a.body_line, 12);
    }

    #[test]
    fn local_dates_use_the_site_time_zone() {
        let a = parse("content/x/a.md", "+++\ntitle = \"t\"\ndate = 2026-07-01T12:00:00\n+++\n").unwrap();
        assert_eq!(a.date.to_rfc3339(), "2026-07-01T10:00:00+00:00");
        let b = parse("content/x/a.md", "+++\ntitle = \"t\"\ndate = 2026-01-01\n+++\n").unwrap();
        assert_eq!(b.date.to_rfc3339(), "2025-12-31T23:00:00+00:00");
    }

    #[test]
    fn one_author_under_two_spellings_is_listed_once_and_a_nameless_one_is_an_error() {
        let fm = |author: &str| format!("+++\ntitle = \"t\"\ndate = 2026-01-01\nauthor = {author}\n+++\n");
        let a = parse("content/x/a.md", &fm(r#"["Jane Doe", "jane doe", " Ann "]"#)).unwrap();
        assert_eq!(a.authors, vec!["Jane Doe", "Ann"]);
        let errors = parse("content/x/a.md", &fm(r#"["Jane Doe", "!!!"]"#)).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "author `!!!` has no letters or digits");
        assert_eq!(errors[0].line, Some(4));
    }

    #[test]
    fn one_tag_under_two_spellings_is_listed_once_and_a_nameless_one_is_an_error_at_its_place() {
        let fm = |tags: &str| format!("+++\ntitle = \"t\"\ndate = 2026-01-01\ntags = {tags}\n+++\n");
        let a = parse("content/x/a.md", &fm(r#"["AI", "ai", " Chips "]"#)).unwrap();
        assert_eq!(a.tags, vec!["AI", "Chips"]);
        let errors = parse("content/x/a.md", &fm(r#"["AI", "--"]"#)).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].message.as_str(), errors[0].line, errors[0].column),
            ("tag `--` has no letters or digits", Some(4), Some(15))
        );
    }

    #[test]
    fn updated_before_the_publication_date_is_an_error() {
        let fm = |updated: &str| {
            format!("+++\ntitle = \"t\"\ndate = 2026-11-28T10:00:00Z\nupdated = {updated}\n+++\n")
        };
        let errors = parse("content/x/a.md", &fm("2026-11-20T10:00:00Z")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].message.as_str(), errors[0].line),
            ("`updated` (2026-11-20T10:00:00Z) is before `date`, the publication", Some(4))
        );
        // The same moment, or any later one, is an update.
        assert!(parse("content/x/a.md", &fm("2026-11-28T10:00:00Z")).is_ok());
        assert!(parse("content/x/a.md", &fm("2026-11-28T10:30:00Z")).is_ok());
    }

    #[test]
    fn default_author_applies() {
        let a = parse("content/x/a.md", "+++\ntitle = \"t\"\ndate = 2026-01-01\n+++\n").unwrap();
        assert_eq!(a.authors, vec!["Desk"]);
    }

    #[test]
    fn unknown_key_names_line_and_suggestion() {
        let errs =
            parse("content/x/a.md", "+++\ntitle = \"t\"\ndate = 2026-01-01\ncatgory = \"World\"\n+++\n")
                .unwrap_err();
        assert_eq!(errs[0].line, Some(4));
        assert_eq!(errs[0].message, "unknown key `catgory`");
        assert!(errs[0].hint.as_deref().unwrap().starts_with("did you mean `category`?"));
    }

    #[test]
    fn all_problems_of_one_file_are_reported() {
        let errs = parse("a.md", "+++\nslug = \"../up\"\n+++\n").unwrap_err();
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(messages.contains(&"missing `title` in front matter"), "{messages:?}");
        assert!(messages.contains(&"missing `date` in front matter"));
        assert!(messages.iter().any(|m| m.starts_with("slug `../up`")));
        assert!(messages.iter().any(|m| m.starts_with("no category")));
    }

    #[test]
    fn invalid_date_is_located() {
        let errs = parse("content/x/a.md", "+++\ntitle = \"t\"\ndate = 2026-13-01\n+++\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
    }
}
