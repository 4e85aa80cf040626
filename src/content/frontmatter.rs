//! Stage 1 (content): splitting a file into TOML front matter and body, and the raw
//! `FrontMatter` serde type exactly as FORMAT.md defines it.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

/// A file cut in two at its `+++` fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front_matter: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based file line of the first front matter line.
    pub front_matter_line: usize,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// Nothing but white space.
    Empty,
    /// The first line is not `+++`.
    NoFrontMatter,
    /// The file starts with YAML front matter (`---`), as Hugo, Jekyll and others write it.
    YamlFrontMatter,
    /// The opening `+++` has no closing one.
    Unterminated,
}

/// Splits normalised text (no BOM, `\n` line ends) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() == "---" {
        return Err(SplitError::YamlFrontMatter);
    }
    if first.trim_end() != "+++" {
        return Err(SplitError::NoFrontMatter);
    }
    let start = first.len();
    let mut offset = start;
    for (line_no, line) in (2..).zip(lines) {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &text[start..offset],
                body: &text[offset + line.len()..],
                front_matter_line: 2,
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unterminated)
}

/// Removes a UTF-8 byte order mark, turns CRLF line ends into LF and NUL bytes into U+FFFD
/// (as CommonMark does), so no NUL reaches a page, feed or attribute.
pub fn normalise(text: String) -> String {
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let text = if text.contains('\0') { text.replace('\0', "\u{fffd}") } else { text };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// A key of the front matter that could not be read.
#[derive(Debug)]
pub enum KeyError {
    /// A key FORMAT.md does not define, and where it is.
    Unknown { key: String, span: std::ops::Range<usize> },
    /// A value of the wrong type or shape: the key, the error, and the value's place (for
    /// errors that do not carry one, such as those of the either-or keys).
    Value { key: Option<String>, error: toml::de::Error, span: std::ops::Range<usize> },
}

/// The front matter's keys every article may have, in FORMAT.md's order.
pub const KEYS: [&str; 14] = [
    "title", "date", "updated", "summary", "author", "category", "tags", "source", "image", "slug", "draft",
    "aliases", "related", "extra",
];

/// Reads front matter TOML key by key, so that a file with several wrong keys or values
/// reports every one of them at its place (a whole-struct read stops at the first). A TOML
/// syntax error is the one problem reported, as nothing after it can be read.
pub fn parse(text: &str) -> Result<FrontMatter, Vec<KeyError>> {
    use toml::de::{DeTable, ValueDeserializer};
    let table = DeTable::parse(text).map_err(|error| {
        let span = error.span().unwrap_or_default();
        vec![KeyError::Value { key: None, error, span }]
    })?;
    let mut raw = FrontMatter::default();
    let mut errors = Vec::new();
    for (key, value) in table.into_inner() {
        let span = key.span();
        let name = key.into_inner();
        let value = Value { key: name.as_ref(), span: value.span(), de: ValueDeserializer::from(value) };
        let e = &mut errors;
        match name.as_ref() {
            "title" => raw.title = value.read(e),
            "date" => raw.date = value.read(e),
            "updated" => raw.updated = value.read(e),
            "summary" => raw.summary = value.read(e),
            "author" => raw.author = value.read(e),
            "category" => raw.category = value.read(e),
            "tags" => raw.tags = value.read(e),
            "source" => raw.source = value.read(e),
            "image" => raw.image = value.read(e),
            "slug" => raw.slug = value.read(e),
            "draft" => raw.draft = value.read(e),
            "aliases" => raw.aliases = value.read(e),
            "related" => raw.related = value.read(e),
            "extra" => raw.extra = value.read(e),
            _ => e.push(KeyError::Unknown { key: name.to_string(), span }),
        }
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        errors.sort_by_key(|e| match e {
            KeyError::Unknown { span, .. } => span.start,
            KeyError::Value { error, span, .. } => error.span().unwrap_or(span.clone()).start,
        });
        Err(errors)
    }
}

/// One key's value, to be read as the type of its field.
struct Value<'k, 'de> {
    key: &'k str,
    span: std::ops::Range<usize>,
    de: toml::de::ValueDeserializer<'de>,
}

impl<'de> Value<'_, 'de> {
    /// The value as a `T`, or none, with the error noted.
    fn read<T: Deserialize<'de>>(self, errors: &mut Vec<KeyError>) -> Option<T> {
        let (key, span) = (self.key.to_string(), self.span);
        T::deserialize(self.de)
            .map_err(|error| errors.push(KeyError::Value { key: Some(key), error, span }))
            .ok()
    }
}

/// The front matter as written: every key optional here, checked in `Article::from_raw`.
/// Read key by key (`parse`, which a test keeps in step with these fields); each key's
/// type is the serde type of its value.
#[derive(Debug, Default)]
pub struct FrontMatter {
    pub title: Option<Spanned<String>>,
    pub date: Option<Spanned<Datetime>>,
    pub updated: Option<Spanned<Datetime>>,
    pub summary: Option<String>,
    pub author: Option<Spanned<Authors>>,
    pub category: Option<Spanned<String>>,
    pub tags: Option<Vec<Spanned<String>>>,
    pub source: Option<Spanned<SourceField>>,
    pub image: Option<ImageField>,
    pub slug: Option<Spanned<String>>,
    pub draft: Option<bool>,
    pub aliases: Option<Vec<Spanned<String>>>,
    pub related: Option<Vec<Spanned<String>>>,
    pub extra: Option<toml::Table>,
}

/// `author = "A"` or `author = ["A", "B"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "`author` must be a name or a list of names")]
pub enum Authors {
    One(String),
    Many(Vec<String>),
}

/// `source = "Reuters"` or `source = { name = "Reuters", url = "https://..." }`.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "`source` must be a name, or a table with `name` and an optional `url`: { name = \"...\", url = \"...\" }"
)]
pub enum SourceField {
    Name(String),
    Full { name: String, url: Option<String> },
}

/// `image = "a.jpg"` or `image = { src = "a.jpg", alt = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "`image` must be a file name, or a table with `src` and an optional `alt`: { src = \"...\", alt = \"...\" }"
)]
pub enum ImageField {
    Src(String),
    Full { src: String, alt: Option<String> },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field is read by `parse`: the pattern names each field (no `..`), so a new one
    /// does not compile until it is listed here, and then fails until `parse` reads it.
    #[test]
    fn parse_reads_every_key_into_its_field() {
        let text =
            "title = \"T\"\ndate = 2026-11-24\nupdated = 2026-11-25\nsummary = \"S\"\nauthor = \"A\"\n\
            category = \"C\"\ntags = [\"t\"]\nsource = \"R\"\nimage = \"i.png\"\nslug = \"s\"\ndraft = true\n\
            aliases = [\"/a/\"]\nrelated = [\"r\"]\n[extra]\nx = 1\n";
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
        } = parse(text).unwrap();
        let read = [
            title.is_some(),
            date.is_some(),
            updated.is_some(),
            summary.is_some(),
            author.is_some(),
            category.is_some(),
            tags.is_some(),
            source.is_some(),
            image.is_some(),
            slug.is_some(),
            draft.is_some(),
            aliases.is_some(),
            related.is_some(),
            extra.is_some(),
        ];
        assert_eq!(read, [true; KEYS.len()], "in the order of KEYS: {KEYS:?}");
        assert!(matches!(parse("titel = \"T\"").unwrap_err().as_slice(), [KeyError::Unknown { .. }]));
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ntitle = \"a\"\n+++\n\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"a\"\n");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = normalise("\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\nBody\r\n".to_string());
        let s = split(&text).unwrap();
        assert_eq!(s.front_matter, "title = \"a\"\n");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn reports_missing_and_unterminated_front_matter() {
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert_eq!(split("# Title\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: A\n---\n"), Err(SplitError::YamlFrontMatter));
        assert_eq!(split("+++\ntitle = \"a\"\n"), Err(SplitError::Unterminated));
    }

    #[test]
    fn a_plus_line_inside_the_body_is_body() {
        let s = split("+++\na = 1\n+++\nx\n+++\n").unwrap();
        assert_eq!(s.body, "x\n+++\n");
    }
}
