//! Stage 0: `config.toml` -> `Config`, one struct per TOML table, every key optional.

use std::path::Path;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::{toml_diagnostic, Diagnostic, Error};

/// The site's settings from `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the masthead and page titles.
    pub title: String,
    /// One-line description of the site, for the front page and feeds.
    pub description: String,
    /// Public address of the site, with a trailing slash; may include a path
    /// (`https://example.org/news/`). All links are built from it.
    pub base_url: String,
    /// Language of the content, as a BCP 47 tag (`en`, `de-CH`): the `lang` attribute.
    pub language: String,
    /// IANA time zone (`Europe/Berlin`) for dates written without an offset, for daily
    /// digests and for dates shown to readers.
    pub timezone: String,
    /// Author credited when an article names none.
    pub default_author: String,
    /// Articles per page on category, tag and author pages.
    pub articles_per_page: usize,
    /// How dates are shown to readers (chrono strftime syntax).
    pub date_format: String,
    /// How a daily digest's day is shown (its title, the archive); `date_format` when unset.
    /// Only the date: a day has no time of day.
    pub day_format: Option<String>,
    /// How the time of day of a `date` or `updated` written with one is shown (chrono
    /// strftime syntax), beside the date on article pages.
    pub time_format: String,
    /// Categories in navigation order, with display names and descriptions. Categories
    /// used by articles but not listed here follow, alphabetically.
    pub categories: Vec<CategoryConfig>,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Related-news engine settings.
    pub related: RelatedConfig,
    /// Feed settings.
    pub feeds: FeedsConfig,
    /// Search index settings.
    pub search: SearchConfig,
    /// The theme's fixed words, by key (`related_news = "Mehr zum Thema"`), over the
    /// built-in ones of `language` (see `strings::ENGLISH` for the keys).
    pub strings: std::collections::BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Broadsheet".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            timezone: "UTC".into(),
            default_author: "Staff".into(),
            articles_per_page: 20,
            date_format: "%B %-d, %Y".into(),
            day_format: None,
            time_format: "%H:%M %Z".into(),
            categories: Vec::new(),
            markdown: MarkdownConfig::default(),
            related: RelatedConfig::default(),
            feeds: FeedsConfig::default(),
            search: SearchConfig::default(),
            strings: Default::default(),
        }
    }
}

/// One `[[categories]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// Display name (`Technology`); articles match it by slug, so `technology` works too.
    pub name: String,
    /// Description shown on the category page.
    #[serde(default)]
    pub description: String,
}

/// The `[markdown]` table: which extensions of CommonMark are on.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses (`"a" -- b...` -> “a” – b…).
    pub smart_punctuation: bool,
    /// GitHub-style tables.
    pub tables: bool,
    /// Footnotes (`[^1]`).
    pub footnotes: bool,
    /// `~~strikethrough~~`.
    pub strikethrough: bool,
    /// Task lists (`- [x] done`).
    pub task_lists: bool,
    /// Give every heading an `id` (from its text) so it can be linked to.
    pub heading_ids: bool,
    /// What happens to raw HTML in article bodies: `allow` keeps it as written, `escape`
    /// shows it as text, `sanitize` keeps safe markup only (no scripts, event handlers or
    /// `javascript:` URLs). Links with `javascript:` or other script URLs are removed in
    /// `escape` and `sanitize`.
    pub raw_html: RawHtml,
}

/// Treatment of raw HTML in Markdown bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep it as written (trusted authors only).
    Allow,
    /// Show it as text.
    Escape,
    /// Keep safe markup only (ammonia).
    Sanitize,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            heading_ids: true,
            raw_html: RawHtml::Sanitize,
        }
    }
}

/// The `[related]` table: how related news is scored. A list tells the article's story first
/// (story matches: story score at least `min_score`), then fills up with the articles
/// closest in subject (topic score); see the guide's related-news page.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// Related articles listed per article.
    pub count: usize,
    /// Story score: weight of story words, the cosine of BM25 vectors of each article's
    /// distinctive terms (names and rare words of headline, standfirst and body), 0..1.
    pub text_weight: f64,
    /// Story score: weight of shared tags, each counting by rarity: the sum of
    /// ln(N/df) / ln N over the shared tags, at most 1 (a tag on every article counts 0).
    pub tag_weight: f64,
    /// Topic score: weight of topic words, the cosine of TF-IDF vectors over the whole
    /// vocabulary, the common words of a subject included ("shares", "crude"), 0..1.
    pub words_weight: f64,
    /// Topic score: weight of theme, the cosine of the articles' places in a topic space
    /// learnt from the whole site (latent semantic analysis), 0..1. It links stories about
    /// one subject that put it in different words.
    pub latent_weight: f64,
    /// Topic score: multiplied by `1 + category_weight` for an article of the same category.
    pub category_weight: f64,
    /// Story score: how much time apart discounts it, 0..1: the score is multiplied by
    /// `1 - date_weight + date_weight × closeness`, closeness being 1 for the same moment and
    /// halving every `half_life_days`.
    pub date_weight: f64,
    /// The story score at which a candidate is the same story and comes before the topic
    /// matches.
    pub min_score: f64,
    /// Days after which closeness in time counts half.
    pub half_life_days: f64,
    /// Whether articles published after this one may be listed.
    pub include_newer: bool,
    /// Whether only articles of the same category may be listed.
    pub same_category_only: bool,
    /// Reduce words to their stems (Snowball, for the site's `language`) so `invest`,
    /// `investing` and `invested` match.
    pub stemming: bool,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 5,
            text_weight: 1.0,
            tag_weight: 0.1,
            words_weight: 0.5,
            latent_weight: 1.0,
            category_weight: 0.1,
            date_weight: 1.0,
            min_score: 0.35,
            half_life_days: 7.0,
            include_newer: true,
            same_category_only: false,
            stemming: true,
        }
    }
}

/// The `[feeds]` table: Atom, RSS and JSON feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsConfig {
    /// Newest articles in each feed.
    pub limit: usize,
    /// Whole articles in the feeds (`true`) or only their summaries (`false`).
    pub full_content: bool,
    /// Also write a JSON Feed 1.1 at `/feed.json`.
    pub json_feed: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { limit: 30, full_content: true, json_feed: true }
    }
}

/// The `[search]` table: how the search page's index is split into files.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Articles in each file of the search index: the newest in `search-index.json`, older
    /// ones in `search-index-1.json` (the oldest) and up, which the search page loads only
    /// when a search needs them.
    pub articles_per_file: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { articles_per_file: 5000 }
    }
}

/// A loaded config and what the user should know about how it was found.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The settings.
    pub config: Config,
    /// The site's time zone, parsed from `config.timezone`.
    pub tz: Tz,
    /// Whether `config.toml` existed (without it every default applies).
    pub found: bool,
    /// The text of `config.toml` (empty without one), to point warnings at their lines.
    pub text: String,
}

impl Config {
    /// Reads `config.toml` from the site folder; defaults if there is none.
    pub fn load(site: &Path) -> Result<LoadedConfig, Error> {
        let path = site.join("config.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let config = Config::parse_all(&text).map_err(|problems| {
                    Error::Config(problems.into_iter().map(|d| d.relative_to(site)).collect())
                })?;
                let tz = config.time_zone().map_err(|d| Error::Config(vec![d.relative_to(site)]))?;
                Ok(LoadedConfig { config, tz, found: true, text })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(LoadedConfig { config: Config::default(), tz: Tz::UTC, found: false, text: String::new() })
            }
            Err(e) => Err(Error::io("read", &path, e)),
        }
    }

    /// Parses and checks the text of a `config.toml`; the first problem if there are any.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse_all(text).map_err(|mut problems| problems.remove(0))
    }

    /// Parses and checks the text of a `config.toml`, with every problem it has.
    pub fn parse_all(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let path = Path::new("config.toml");
        let mut config: Config =
            toml::from_str(text).map_err(|e| vec![toml_diagnostic(path, text, 1, &e)])?;
        let mut problems = Vec::new();
        problems.extend(check_base_url(&config.base_url, text));
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        problems.extend(check_language(&config.language, text));
        if config.articles_per_page == 0 {
            problems.push(
                key_error(text, "articles_per_page", "`articles_per_page` must be at least 1")
                    .hint("remove the key to use the default of 20"),
            );
        }
        if config.feeds.limit == 0 {
            problems.push(
                key_error(text, "limit", "`feeds.limit` must be at least 1")
                    .hint("remove the key to list the newest 30 articles in each feed"),
            );
        }
        if config.search.articles_per_file == 0 {
            problems.push(
                key_error(text, "articles_per_file", "`search.articles_per_file` must be at least 1")
                    .hint("remove the key to use the default of 5000"),
            );
        }
        if crate::slugs::slugify(&config.default_author).is_empty() {
            problems.push(
                key_error(
                    text,
                    "default_author",
                    format!("`default_author` `{}` has no letters or digits", config.default_author),
                )
                .hint("write a name such as \"Staff\": articles without `author` link to its page"),
            );
        }
        problems.extend(check_categories(&config.categories, text));
        problems.extend(check_strings(&config.strings, text));
        problems.extend(check_related(&config.related, text));
        // The formats are checked in UTC when the zone is unknown, to report both at once.
        let tz = config.time_zone_in(text).unwrap_or_else(|problem| {
            problems.push(problem);
            Tz::UTC
        });
        problems.extend(check_date_formats(&config, tz, text).err());
        if problems.is_empty() {
            Ok(config)
        } else {
            problems.sort_by_key(|problem| problem.line); // in the order of the file
            Err(problems)
        }
    }

    /// Whether `date_format` shows a time of day itself: then dates need no time beside them.
    pub fn date_format_shows_time(&self) -> bool {
        !formats_a_day(&self.date_format)
    }

    /// The format of a day on the daily digest pages and the archive.
    pub fn day_format(&self) -> &str {
        self.day_format.as_deref().unwrap_or(&self.date_format)
    }

    /// The configured time zone.
    pub fn time_zone(&self) -> Result<Tz, Diagnostic> {
        self.time_zone_in("")
    }

    /// The configured time zone; an error points at its line in `text`, the config file.
    fn time_zone_in(&self, text: &str) -> Result<Tz, Diagnostic> {
        self.timezone.parse::<Tz>().map_err(|_| {
            key_error(text, "timezone", format!("unknown time zone `{}`", self.timezone))
                .hint("use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`")
        })
    }

    /// The path part of `base_url` (`/` or `/news/`): every internal link starts with it.
    pub fn base_path(&self) -> String {
        match self.base_url.split_once("://") {
            Some((_, rest)) => match rest.find('/') {
                Some(i) => rest[i..].to_string(),
                None => "/".to_string(),
            },
            None => {
                let trimmed = self.base_url.trim_matches('/');
                if trimmed.is_empty() {
                    "/".into()
                } else {
                    format!("/{trimmed}/")
                }
            }
        }
    }
}

/// `base_url` must be where the site is read: an `http` or `https` address with a host and
/// no query or fragment (every link is made by appending to it), or a path such as `/` for a
/// site only looked at locally (feeds and sitemaps then lack absolute links: a warning at
/// build time).
fn check_base_url(base_url: &str, text: &str) -> Option<Diagnostic> {
    let hint = "write the site's public address, e.g. base_url = \"https://example.org/\" or \"https://example.org/news/\"";
    base_url_problem(base_url)
        .map(|why| key_error(text, "base_url", format!("base_url `{base_url}` {why}")).hint(hint))
}

/// What is wrong with a `base_url` (from config.toml or `--base-url`), if anything.
pub fn base_url_problem(base_url: &str) -> Option<String> {
    let after_scheme = base_url.split_once("://").map(|(_, rest)| rest);
    if base_url.chars().any(char::is_whitespace) {
        Some("contains a space".to_string())
    } else if after_scheme.is_some_and(|rest| rest.starts_with('/')) {
        Some("has no host name".into())
    } else if after_scheme.unwrap_or(base_url).contains("//") {
        Some("has an empty part (`//`) in its path".into())
    } else if !base_url.contains("://") {
        base_url.contains(['?', '#']).then(|| "has a query or fragment (`?` or `#`)".to_string())
    } else {
        match url::Url::parse(base_url) {
            Err(e) => Some(format!("is not a valid address ({e})")),
            Ok(url) if !matches!(url.scheme(), "http" | "https") => {
                Some(format!("is a `{}:` address; a web site needs `https:` or `http:`", url.scheme()))
            }
            Ok(url) if url.host_str().is_none_or(str::is_empty) => Some("has no host name".into()),
            Ok(url) if url.query().is_some() || url.fragment().is_some() => {
                Some("has a query or fragment (`?` or `#`)".into())
            }
            Ok(_) => None,
        }
    }
}

/// `language` must look like a BCP 47 tag (`en`, `de-CH`, `zh-Hant-TW`): pages, feeds and
/// the stemmer read it.
fn check_language(language: &str, text: &str) -> Option<Diagnostic> {
    let mut subtags = language.split('-');
    let primary = subtags.next().unwrap_or_default();
    // Languages have two- or three-letter codes (ISO 639): `english` or `German` is a name.
    let well_formed = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags.all(|t| (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()));
    (!well_formed).then(|| {
        key_error(text, "language", format!("`language` `{language}` is not a language tag"))
            .hint("write a BCP 47 tag, which starts with the language's two- or three-letter code: \"en\", \"de-CH\" or \"pt-BR\"")
    })
}

/// Each key of `[strings]` names one of the theme's words.
fn check_strings(strings: &std::collections::BTreeMap<String, String>, text: &str) -> Vec<Diagnostic> {
    let keys = crate::strings::keys();
    let line_of = |key: &str| {
        let in_table = text.lines().enumerate().skip_while(|(_, l)| l.trim() != "[strings]");
        in_table.filter(|(_, l)| sets_key(l, key)).map(|(i, _)| i + 1).next()
    };
    let mut problems = Vec::new();
    for (key, text) in strings {
        if !keys.contains(&key.as_str()) {
            // Seventy keys are too many to list: the closest one, and where they all are.
            let hint = match crate::error::did_you_mean(key, &keys) {
                Some(best) => {
                    format!("did you mean `{best}`? The README's `[strings]` table lists every key")
                }
                None => "the README's `[strings]` table lists every key".to_string(),
            };
            problems.push(
                Diagnostic::new("config.toml", format!("unknown key `{key}` in `[strings]`"))
                    .at_line(line_of(key))
                    .hint(hint),
            );
            continue;
        }
        // A placeholder the phrase does not fill would reach every page as written.
        let filled = crate::strings::placeholders(crate::strings::english(key));
        let unknown: Vec<String> =
            crate::strings::placeholders(text).into_iter().filter(|p| !filled.contains(p)).collect();
        if !unknown.is_empty() {
            let shown =
                |names: &[String]| names.iter().map(|n| format!("`{{{n}}}`")).collect::<Vec<_>>().join(", ");
            let hint = if filled.is_empty() {
                "this text has no placeholders: write it out in full".to_string()
            } else {
                format!("this text fills {}", shown(&filled))
            };
            problems.push(
                Diagnostic::new(
                    "config.toml",
                    format!("`[strings]` `{key}` has {}, which is never filled in", shown(&unknown)),
                )
                .at_line(line_of(key))
                .hint(hint),
            );
        }
    }
    problems
}

/// The line of `config.toml` that sets a `[[categories]]` entry's `name = "..."` (the last
/// such line, for a name given twice).
pub fn name_line(text: &str, name: &str) -> Option<usize> {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    text.lines()
        .enumerate()
        .filter(|(_, l)| sets_key(l, "name") && quoted.iter().any(|q| l.contains(q.as_str())))
        .last()
        .map(|(i, _)| i + 1)
}

/// Each `[[categories]]` entry names another category: two entries whose names give one
/// slug would be one category with two descriptions.
fn check_categories(categories: &[CategoryConfig], text: &str) -> Vec<Diagnostic> {
    // The line of an entry's `name = "..."` (the last such line, for a name given twice).
    let at_its_line = |name: &str, problem: Diagnostic| {
        let line = text.lines().enumerate().filter(|(_, l)| sets_key(l, "name") && l.contains(name)).last();
        match line {
            Some((i, _)) => problem.at(i + 1, None),
            None => problem,
        }
    };
    let mut seen = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for c in categories {
        let slug = crate::slugs::slugify(&c.name);
        if slug.is_empty() {
            let problem =
                Diagnostic::new("config.toml", format!("category `{}` has no letters or digits", c.name));
            problems.push(at_its_line(&c.name, problem).hint("use a name like \"Technology\""));
        } else if let Some(first) = seen.insert(slug, &c.name) {
            let problem = Diagnostic::new(
                "config.toml",
                format!("`[[categories]]` names `{}` twice (as `{first}` and `{}`)", c.name, c.name),
            );
            problems.push(at_its_line(&c.name, problem).hint("keep one entry for each category"));
        }
    }
    problems
}

/// The related-news weights and limits must be numbers the engine can use.
fn check_related(related: &RelatedConfig, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if related.half_life_days.is_nan() || related.half_life_days <= 0.0 {
        problems.push(
            key_error(text, "half_life_days", "`related.half_life_days` must be more than 0")
                .hint("remove the key to use the default of 7 days"),
        );
    }
    if related.date_weight > 1.0 {
        problems.push(
            key_error(
                text,
                "date_weight",
                format!("`related.date_weight` must be 1 or less, not {}", related.date_weight),
            )
            .hint("1 discounts a story match fully by the time between the articles, 0 not at all"),
        );
    }
    let weights = [
        ("text_weight", related.text_weight),
        ("words_weight", related.words_weight),
        ("latent_weight", related.latent_weight),
        ("tag_weight", related.tag_weight),
        ("category_weight", related.category_weight),
        ("date_weight", related.date_weight),
        ("min_score", related.min_score),
    ];
    // Scores add evidence up and the engine bounds them from above: a negative or
    // infinite weight would make nonsense of both, and so would such a threshold.
    for (key, weight) in weights.into_iter().filter(|(_, w)| !(w.is_finite() && *w >= 0.0)) {
        problems.push(
            key_error(text, key, format!("`related.{key}` must be a number of 0 or more, not {weight}"))
                .hint("use 0 to leave this signal out, or remove the key to use the default"),
        );
    }
    problems
}

/// Checks that `date_format` formats a moment and the day format a day: chrono would fail
/// half-way through the build on an unknown `%` field, or on a time of day asked of a day.
fn check_date_formats(config: &Config, tz: Tz, text: &str) -> Result<(), Diagnostic> {
    use chrono::format::{Item, StrftimeItems};
    use chrono::TimeZone;
    use std::fmt::Write;

    let strftime_hint = |key: &str| {
        let example = if key == "time_format" { "%H:%M %Z" } else { "%B %-d, %Y" };
        format!("see https://docs.rs/chrono/latest/chrono/format/strftime/index.html for the `%` fields, e.g. \"{example}\"")
    };
    if config.date_format.trim().is_empty() {
        return Err(key_error(text, "date_format", "`date_format` is empty: every date would be blank")
            .hint("remove the key to use the default, or write one such as \"%B %-d, %Y\""));
    }
    for (key, format) in [
        ("date_format", Some(&config.date_format)),
        ("day_format", config.day_format.as_ref()),
        ("time_format", Some(&config.time_format)),
    ] {
        if let Some(format) = format {
            if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
                let message = format!("`{key}` = \"{format}\" has a `%` field chrono does not know");
                return Err(key_error(text, key, message).hint(strftime_hint(key)));
            }
        }
    }
    let moment =
        tz.with_ymd_and_hms(2026, 11, 28, 14, 5, 0).earliest().unwrap_or_else(|| tz.timestamp_nanos(0));
    for (key, format) in [("date_format", &config.date_format), ("time_format", &config.time_format)] {
        if write!(String::new(), "{}", moment.format(format)).is_err() {
            let message = format!("`{key}` = \"{format}\" cannot format a moment");
            return Err(key_error(text, key, message).hint(strftime_hint(key)));
        }
    }
    if !formats_a_day(config.day_format()) {
        let diagnostic = match &config.day_format {
            Some(format) => key_error(
                text,
                "day_format",
                format!("`day_format` = \"{format}\" asks for a time of day, which a day does not have"),
            )
            .hint("keep only date fields, e.g. \"%A %-d %B %Y\""),
            None => key_error(
                text,
                "date_format",
                format!(
                    "`date_format` = \"{}\" shows a time of day, so the daily digest pages need a `day_format` of their own",
                    config.date_format
                ),
            )
            .hint("add a `day_format` with the date alone, e.g. `day_format = \"%-d %B %Y\"`"),
        };
        return Err(diagnostic);
    }
    Ok(())
}

/// Whether a strftime `format` can format a day alone: not when it asks for a time of day.
fn formats_a_day(format: &str) -> bool {
    use std::fmt::Write;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    write!(String::new(), "{}", day.format(format)).is_ok()
}

/// Whether a line of TOML sets `key` (`key = ...`).
fn sets_key(line: &str, key: &str) -> bool {
    line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// An error about `key` of `config.toml`, at the line that sets it when one line plainly does.
fn key_error(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let diagnostic = Diagnostic::new("config.toml", message);
    match text.lines().position(|line| sets_key(line, key)) {
        Some(i) => diagnostic.at(i + 1, None),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_optional() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.articles_per_page, 20);
        assert_eq!(config.timezone, "UTC");
        assert!(config.markdown.smart_punctuation);
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let err = Config::parse("title = \"x\"\narticles_per_pag = 3\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.message, "unknown key `articles_per_pag`");
        assert!(err.hint.unwrap().starts_with("did you mean `articles_per_page`?"));
    }

    #[test]
    fn unknown_key_in_a_table_is_reported_too() {
        let err = Config::parse("[markdown]\nsmart_punctuaton = false\n").unwrap_err();
        assert!(err.hint.unwrap().contains("smart_punctuation"));
    }

    #[test]
    fn bad_time_zone_is_an_error_with_a_hint() {
        let err = Config::parse("timezone = \"Mars/Olympus\"").unwrap_err();
        assert!(err.message.contains("Mars/Olympus"));
        assert!(err.hint.unwrap().contains("Europe/Berlin"));
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let mut config = Config::parse("base_url = \"https://example.org/news\"").unwrap();
        assert_eq!(config.base_url, "https://example.org/news/");
        assert_eq!(config.base_path(), "/news/");
        config.base_url = "https://example.org/".into();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_line() {
        let err = Config::parse("title = \"x\"\n\n[related]\ncount = 3\ntag_weight = -0.5\n").unwrap_err();
        assert_eq!(err.message, "`related.tag_weight` must be a number of 0 or more, not -0.5");
        assert_eq!(err.line, Some(5));
        assert!(err.hint.unwrap().contains("use 0"));
        let err = Config::parse("[related]\ndate_weight = inf\n").unwrap_err();
        assert!(err.message.contains("`related.date_weight`"), "{}", err.message);
        let err = Config::parse("[related]\nhalf_life_days = 0.0\n").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.line),
            ("`related.half_life_days` must be more than 0", Some(2))
        );
        let err = Config::parse("[related]\ncount = 5\ndate_weight = 2\n").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.line),
            ("`related.date_weight` must be 1 or less, not 2", Some(3))
        );
        let err = Config::parse("[related]\nlatent_weight = -1\n").unwrap_err();
        assert_eq!(err.message, "`related.latent_weight` must be a number of 0 or more, not -1");
        let err = Config::parse("title = \"x\"\narticles_per_page = 0\n").unwrap_err();
        assert_eq!((err.message.as_str(), err.line), ("`articles_per_page` must be at least 1", Some(2)));
        let err = Config::parse("[feeds]\nfull_content = false\nlimit = 0\n").unwrap_err();
        assert_eq!((err.message.as_str(), err.line), ("`feeds.limit` must be at least 1", Some(3)));
        let err = Config::parse("[search]\narticles_per_file = 0\n").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.line),
            ("`search.articles_per_file` must be at least 1", Some(2))
        );
        assert_eq!(Config::parse("").unwrap().search.articles_per_file, 5000);
        assert_eq!(Config::parse("").unwrap().time_format, "%H:%M %Z");
        let err = Config::parse("title = \"x\"\ndefault_author = \"--\"\n").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.line),
            ("`default_author` `--` has no letters or digits", Some(2))
        );
        let config = Config::parse("[related]\ntext_weight = 0.0\ncategory_weight = 0\n").unwrap();
        assert_eq!((config.related.text_weight, config.related.category_weight), (0.0, 0.0));
    }

    #[test]
    fn date_formats_are_checked_before_the_build() {
        let err = Config::parse("title = \"x\"\ndate_format = \"%Q %-d\"\n").unwrap_err();
        assert_eq!(err.message, "`date_format` = \"%Q %-d\" has a `%` field chrono does not know");
        assert_eq!(err.line, Some(2));
        assert!(err.hint.unwrap().contains("strftime"));

        let err = Config::parse("date_format = \"%H:%M, %-d %B %Y\"\n").unwrap_err();
        assert!(err.message.contains("need a `day_format` of their own"), "{}", err.message);
        assert_eq!(err.line, Some(1));
        assert!(err.hint.unwrap().contains("day_format = "));

        let err = Config::parse("date_format = \"%H:%M\"\nday_format = \"%d %H\"\n").unwrap_err();
        assert!(
            err.message.starts_with("`day_format` = \"%d %H\" asks for a time of day"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(2));

        let config =
            Config::parse("date_format = \"%H:%M, %-d %B %Y %Z\"\nday_format = \"%A %-d %B\"\n").unwrap();
        assert_eq!((config.date_format.as_str(), config.day_format()), ("%H:%M, %-d %B %Y %Z", "%A %-d %B"));
        let config = Config::parse("").unwrap();
        assert_eq!(config.day_format(), "%B %-d, %Y");
    }
}
