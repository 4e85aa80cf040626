//! Stage 5 (render): the theme: the built-in templates embedded in the binary, overridden
//! file by file by the site's own `templates/`, compiled once into one Tera instance.

use std::borrow::Cow;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::cache::ContentHash;
use crate::config::Config;
use crate::error::{Diagnostic, Error};
use crate::strings::Strings;

/// Bytes set aside for a rendered page: most of the default theme's pages fit.
const PAGE_CAPACITY: usize = 16 * 1024;

/// The default theme's templates, embedded at compile time.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("category.html", include_str!("../../templates/category.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("author.html", include_str!("../../templates/author.html")),
    ("groups.html", include_str!("../../templates/groups.html")),
    ("day.html", include_str!("../../templates/day.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("partials/head.html", include_str!("../../templates/partials/head.html")),
    ("partials/masthead.html", include_str!("../../templates/partials/masthead.html")),
    ("partials/sections.html", include_str!("../../templates/partials/sections.html")),
    ("partials/footer.html", include_str!("../../templates/partials/footer.html")),
];

/// Templates under this folder are site-wide partials: rendered once per render run with
/// only the site-wide values, and shown to every page as `partials.<name>`.
pub const PARTIALS_DIR: &str = "partials/";

/// The default theme's static files (written unless the site's `static/` has the same file).
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../templates/style.css")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
];

/// The values of `site` that are the same on every page of a build and known before the
/// theme loads (from config.toml), by their path in templates: `site.title`,
/// `site.strings.related_news`... Folded into the templates when they load
/// (`fold_constants`).
#[derive(Debug, Default)]
pub struct SiteConstants(std::collections::HashMap<String, String>);

impl SiteConstants {
    /// The constants of a site with `config`.
    pub fn of(config: &Config) -> SiteConstants {
        let strings = Strings::of(config);
        let mut values: std::collections::HashMap<String, String> = [
            ("site.title", config.title.clone()),
            ("site.description", config.description.clone()),
            ("site.base_url", config.base_url.clone()),
            ("site.base_path", config.base_path()),
            ("site.language", config.language.clone()),
            ("site.direction", crate::language::direction(&config.language).to_string()),
            ("site.generator", super::views::GENERATOR.to_string()),
        ]
        .into_iter()
        .map(|(path, value)| (path.to_string(), value))
        .collect();
        // Folded only when there is one: `{% if site.og_locale %}` must stay false without.
        if let Some(locale) = crate::language::og_locale(&config.language) {
            values.insert("site.og_locale".into(), locale);
        }
        for key in crate::strings::keys() {
            values.insert(["site.strings.", key].concat(), strings.get(key).to_string());
        }
        SiteConstants(values)
    }
}

/// A template's source with each constant of `site` (see `SiteConstants`) inside its tags
/// (`{{ }}`, `{% %}`) folded in: a tag that only shows one (`{{ site.title }}`) becomes the
/// text it would write, a constant within a longer tag a string literal. They are the same
/// on every page, so they are folded in once, when the theme loads, rather than looked up
/// on every page (two or three nested map lookups each: the words of the theme alone took
/// 8% more instructions for a whole build). This also lets a macro, which sees only its
/// arguments, use them. What cannot be folded is left to be looked up, so a page renders
/// the same either way: a value with a line break (no line may move: errors keep their
/// line numbers), with all three of Tera's quotes, or shown as text that would read as a
/// tag.
fn fold_constants<'s>(source: &'s str, constants: &SiteConstants, escaped: bool) -> Cow<'s, str> {
    const PREFIX: &str = "site.";
    if constants.0.is_empty() || !source.contains(PREFIX) {
        return Cow::Borrowed(source);
    }
    let path_len = |text: &str| {
        text.bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'.')
            .count()
    };
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close_mark = if rest[open..].starts_with("{{") { "}}" } else { "%}" };
        let Some(close) = rest[open + 2..].find(close_mark).map(|at| open + 2 + at + 2) else { break };
        out.push_str(&rest[..open]);
        let mut tag = &rest[open..close];
        // What `{% raw %}` holds is text, shown as written: copied up to its `endraw`.
        if tag.trim_start_matches("{%").trim_end_matches("%}").trim_matches(['-', ' ']) == "raw" {
            let end = rest[close..]
                .find("endraw")
                .and_then(|at| rest[close + at..].find("%}").map(|e| close + at + e + 2));
            let end = end.unwrap_or(rest.len());
            out.push_str(&rest[open..end]);
            rest = &rest[end..];
            continue;
        }
        // A tag that only shows a constant becomes the constant's text, as the tag would have
        // written it: nothing is left to evaluate on each page.
        let shown =
            tag.strip_prefix("{{ ").and_then(|t| t.strip_suffix(" }}")).and_then(|t| constants.0.get(t));
        if let Some(text) = shown {
            let text = if escaped { escape_html(text) } else { text.clone() };
            if !["{{", "{%", "{#", "\n"].iter().any(|mark| text.contains(mark)) {
                out.push_str(&text);
                rest = &rest[close..];
                continue;
            }
        }
        while let Some(at) = tag.find(PREFIX) {
            let path = &tag[at..at + PREFIX.len() + path_len(&tag[at + PREFIX.len()..])];
            let path = path.trim_end_matches('.');
            let inside_a_name = at > 0 && {
                let before = tag.as_bytes()[at - 1];
                before.is_ascii_alphanumeric() || before == b'_' || before == b'.'
            };
            let literal =
                constants.0.get(path).filter(|_| !inside_a_name).and_then(|text| tera_literal(text));
            out.push_str(&tag[..at]);
            match literal {
                Some(literal) => out.push_str(&literal),
                None => out.push_str(path),
            }
            tag = &tag[at + path.len()..];
        }
        out.push_str(tag);
        rest = &rest[close..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether Tera escapes what the template `name` shows (its default: HTML and XML).
fn escapes(name: &str) -> bool {
    [".html", ".htm", ".xml"].iter().any(|extension| name.ends_with(extension))
}

/// `text` as a Tera string literal, in the first of Tera's three quotes it does not contain
/// (Tera strings have no escapes); none for a text with a line break or all three quotes.
fn tera_literal(text: &str) -> Option<String> {
    if text.contains('\n') {
        return None;
    }
    let quote = ['"', '\'', '`'].into_iter().find(|q| !text.contains(*q))?;
    Some(format!("{quote}{text}{quote}"))
}

/// Compiled templates plus their sources (to locate errors).
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    sources: Vec<(String, String, String)>,
    /// Hash of every template's name and source and of the Broadsheet version: a page
    /// rendered with the same fingerprint and context has the same bytes.
    pub fingerprint: ContentHash,
}

impl Theme {
    /// Loads the built-in theme and the site's overrides from `site/templates/`, with the
    /// site's constants folded in (see `fold_constants`).
    pub fn load(site: &Path, constants: &SiteConstants) -> Result<Theme, Error> {
        let mut sources: Vec<(String, String, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string(), format!("built-in theme {n}")))
            .collect();
        let dir = site.join("templates");
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| Error::Output(format!("cannot read {}: {e}", dir.display())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                if !name.ends_with(".html") && !name.ends_with(".xml") && !name.ends_with(".txt") {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path())
                    .map_err(|e| Error::io("read template", entry.path(), e))?;
                let shown = format!("templates/{name}");
                match sources.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(slot) => *slot = (name, text, shown),
                    None => sources.push((name, text, shown)),
                }
            }
        }
        let mut tera = Tera::default();
        tera.set_escape_fns(escape_html, escape_html_into);
        let folded: Vec<(&str, Cow<str>)> =
            sources.iter().map(|(n, s, _)| (n.as_str(), fold_constants(s, constants, escapes(n)))).collect();
        tera.add_raw_templates(folded.iter().map(|(n, s)| (*n, s.as_ref())))
            .map_err(|e| Error::Template(parse_error(&sources, &e)))?;
        let fingerprint = fingerprint(&sources);
        Ok(Theme { tera, sources, fingerprint })
    }

    /// Names of templates the site overrides or adds.
    pub fn overridden(&self) -> Vec<&str> {
        self.sources
            .iter()
            .filter(|(_, _, shown)| shown.starts_with("templates/"))
            .map(|(n, _, _)| n.as_str())
            .collect()
    }

    /// Renders every site-wide partial (`partials/<name>.html`) once with `context`, which
    /// holds only the values every page shares: `{name: html}`, each without its file's
    /// final newline, so that a partial can sit on a line of its own in the page template.
    pub fn render_partials(
        &self,
        context: &tera::Context,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Diagnostic> {
        let mut partials = serde_json::Map::new();
        for (name, _, _) in &self.sources {
            let Some(relative) = name.strip_prefix(PARTIALS_DIR) else { continue };
            let mut html = self.tera.render(name, context).map_err(|e| {
                self.render_error(name, "the site-wide partials", &e).hint(
                    "a partial is rendered once for the whole site and sees only `site`; \
                     move anything that depends on the page into the page's own template",
                )
            })?;
            if html.ends_with('\n') {
                html.pop();
            }
            let key = relative.rsplit_once('.').map_or(relative, |(stem, _)| stem);
            partials.insert(key.to_string(), serde_json::Value::String(html));
        }
        Ok(partials)
    }

    /// Renders `template` to the page's bytes; an error names the template, its line and
    /// the page.
    pub fn render(&self, template: &str, context: &tera::Context, page: &str) -> Result<Vec<u8>, Diagnostic> {
        // Room for a typical page up front, so the buffer is not regrown and copied as it fills.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(template, context, &mut html)
            .map_err(|e| self.render_error(template, page, &e))?;
        Ok(html)
    }

    fn render_error(&self, template: &str, page: &str, err: &tera::Error) -> Diagnostic {
        let chain = error_chain(err);
        // Tera names the innermost template in "... while rendering 'name'"; point there.
        let failing = chain
            .rsplit("rendering '")
            .next()
            .and_then(|rest| rest.split('\'').next())
            .filter(|n| self.sources.iter().any(|(name, _, _)| name == n))
            .unwrap_or(template);
        let (shown, line) = self.locate(failing, &chain);
        let hint = if shown.starts_with("built-in theme") {
            "a template of yours may feed it a value it cannot use; check the values the README lists for it"
        } else {
            "fix the template, or delete your copy to use the built-in one"
        };
        let mut d =
            Diagnostic::new(shown, format!("template error while rendering {page}: {chain}")).hint(hint);
        d.line = line;
        d
    }

    /// The template file and line an error of `failing` comes from. Tera names the page's
    /// template even when the fault is in a template it extends or a macro file it imports,
    /// so those are searched too for what the message names (the page's own template first,
    /// or its parents first when Tera says the error happened in one), then any other.
    fn locate(&self, failing: &str, chain: &str) -> (String, Option<usize>) {
        let mut order: Vec<&str> = Vec::new();
        if let Ok(template) = self.tera.get_template(failing) {
            let parents = template.parents.iter().map(String::as_str);
            if chain.contains("error happened in a parent template") {
                order.extend(parents);
                order.push(failing);
            } else {
                order.push(failing);
                order.extend(parents);
            }
            let chain_templates: Vec<&str> = order.clone();
            for name in chain_templates {
                if let Ok(t) = self.tera.get_template(name) {
                    order.extend(t.imported_macro_files.iter().map(|(file, _)| file.as_str()));
                }
            }
        }
        order.extend(self.sources.iter().map(|(name, _, _)| name.as_str()));
        let mut seen = std::collections::HashSet::new();
        for name in order.into_iter().filter(|n| seen.insert(*n)) {
            if let Some((_, source, shown)) = self.sources.iter().find(|(n, _, _)| n == name) {
                if let Some(line) = guess_line(source, chain) {
                    return (shown.clone(), Some(line));
                }
            }
        }
        let shown = self.sources.iter().find(|(n, _, _)| n == failing).map(|(_, _, shown)| shown.clone());
        (shown.unwrap_or_else(|| failing.to_string()), None)
    }
}

/// The theme's part of every page fingerprint: the Broadsheet version and every template's
/// name and source. Pages see nothing else from outside their context, except through
/// Tera's `get_env`, `now` and `get_random`: a theme that calls the first also fingerprints
/// the whole environment, and one that calls the others the moment of the build.
fn fingerprint(sources: &[(String, String, String)]) -> ContentHash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for (name, source, _) in sources {
        for part in [name.as_bytes(), b"\0", source.as_bytes(), b"\0"] {
            hasher.update(part);
        }
    }
    if sources.iter().any(|(_, source, _)| source.contains("get_env")) {
        let mut vars: Vec<(std::ffi::OsString, std::ffi::OsString)> = std::env::vars_os().collect();
        vars.sort();
        for (key, value) in vars {
            for part in [key.as_encoded_bytes(), b"=", value.as_encoded_bytes(), b"\0"] {
                hasher.update(part);
            }
        }
    }
    // `now()` and `get_random()` give another value on every build: so do the pages.
    if sources.iter().any(|(_, source, _)| source.contains("now(") || source.contains("get_random(")) {
        let moment = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        hasher.update(&moment.as_nanos().to_le_bytes());
    }
    *hasher.finalize().as_bytes()
}

/// Escapes text for HTML text and quoted attributes. Unlike Tera's default it leaves `/`
/// alone, so URLs stay readable.
pub fn escape_html(text: &str) -> String {
    if !text.bytes().any(|b| ESCAPED[b as usize]) {
        return text.to_string();
    }
    let mut out = Vec::with_capacity(text.len() + 8);
    // Writing into a Vec cannot fail; the bytes are the text's with ASCII replaced by ASCII.
    let _ = escape_html_into(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `escape_html` written straight into a page's output: `{{ }}` tags use it, which saves a
/// string per value printed.
pub fn escape_html_into(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    while let Some(offset) = find_escaped(&bytes[clean_from..]) {
        let at = clean_from + offset;
        out.write_all(&bytes[clean_from..at])?;
        out.write_all(html_entity(bytes[at]).unwrap_or_default().as_bytes())?;
        clean_from = at + 1;
    }
    out.write_all(&bytes[clean_from..])
}

/// Where the first byte `html_entity` replaces is (most values have none). Sixteen bytes are
/// tested at a time, with compares the compiler turns into vector code, and only a block with
/// one of them, and the last few bytes, one at a time: at 1,000 articles escaping took 4.7% of
/// a build's instructions this way and 5.5% with a table lookup per byte. (`memchr`'s
/// searches cost more: they set up for long texts, and most of these are short; testing the
/// last few bytes as a zero-padded block cost more too.)
fn find_escaped(bytes: &[u8]) -> Option<usize> {
    let one_at_a_time = |bytes: &[u8]| bytes.iter().position(|&b| ESCAPED[b as usize]);
    let mut blocks = bytes.chunks_exact(16);
    for (i, block) in blocks.by_ref().enumerate() {
        if block.iter().fold(false, |any, &b| any | html_entity_wanted(b)) {
            return one_at_a_time(block).map(|at| i * 16 + at);
        }
    }
    let rest = blocks.remainder();
    one_at_a_time(rest).map(|at| bytes.len() - rest.len() + at)
}

/// Whether `html_entity` replaces `byte`, without a branch.
fn html_entity_wanted(byte: u8) -> bool {
    (byte == b'&') | (byte == b'<') | (byte == b'>') | (byte == b'"') | (byte == b'\'')
}

/// The bytes `html_entity` replaces.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = html_entity(byte as u8).is_some();
        byte += 1;
    }
    table
};

/// The entity that replaces a byte in HTML text, if it needs one.
const fn html_entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

fn error_chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Finds the line of what the message names: a missing variable (`page.nosuch`, backquoted)
/// where the template uses it, or an unknown filter, test or function ('nosuch') where the
/// template calls it (`| nosuch`, `is nosuch`, `nosuch(`).
fn guess_line(source: &str, message: &str) -> Option<usize> {
    let called = ["Filter '", "Test '", "Function '"].iter().find_map(|kind| {
        let name = message.split(kind).nth(1)?.split('\'').next()?;
        Some((*kind, name))
    });
    let found = |line: &str| match called {
        Some(("Filter '", name)) => line.split('|').skip(1).any(|after| {
            after.trim_start().split(|c: char| !c.is_alphanumeric() && c != '_').next() == Some(name)
        }),
        Some(("Test '", name)) => line.split(" is ").skip(1).any(|after| {
            let after = after.trim_start().strip_prefix("not ").unwrap_or(after.trim_start());
            after.split(|c: char| !c.is_alphanumeric() && c != '_').next() == Some(name)
        }),
        Some((_, name)) => line.contains(&format!("{name}(")),
        None => message.split('`').nth(1).is_some_and(|name| line.contains(name)),
    };
    if called.is_none() && message.split('`').nth(1).is_none() {
        return None;
    }
    source.lines().position(found).map(|i| i + 1)
}

fn parse_error(sources: &[(String, String, String)], err: &tera::Error) -> Diagnostic {
    let chain = error_chain(err);
    let name = chain.split('\'').nth(1).unwrap_or_default();
    let shown = sources.iter().find(|(n, _, _)| n == name).map_or(name.to_string(), |(_, _, s)| s.clone());
    // Tera's parser reports "--> LINE:COL".
    let location = chain.split("--> ").nth(1).and_then(|rest| {
        let mut nums = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        Some((nums.next()?.parse().ok()?, nums.next().and_then(|c| c.parse().ok())))
    });
    let mut d = Diagnostic::new(shown, format!("template error: {chain}"))
        .hint("fix the template syntax at that line");
    if let Some((line, col)) = location {
        d = d.at(line, col);
    }
    d
}

#[cfg(test)]
mod tests {

    #[test]
    fn site_constants_are_folded_into_tags_only_and_keep_every_line() {
        let config = Config::parse(
            "title = \"Q&A Daily\"\n[strings]\nshare = \"Say \\\"hi\\\" 'now'\"\nmore = \"two\\nlines\"\nby = \"{{ x }}\"\n",
        )
        .unwrap();
        let constants = SiteConstants::of(&config);
        let source = "<p>{{ site.strings.related_news }}</p> site.title {# x #}\n\
                      {% if site.description %}{{ site.title | upper }}{% endif %}{% set t = site.title %}\n\
                      {{ site.strings.share }} {{ site.strings.more }} {{ site.strings.by }} {{ site.strings.nope }} \
                      {{ mysite.title }} {{ site.categories }} {{ site.strings }}";
        assert_eq!(
            fold_constants(source, &constants, true),
            "<p>Related news</p> site.title {# x #}\n\
             {% if \"\" %}{{ \"Q&A Daily\" | upper }}{% endif %}{% set t = \"Q&A Daily\" %}\n\
             Say &quot;hi&quot; &#39;now&#39; {{ site.strings.more }} {{ \"{{ x }}\" }} {{ site.strings.nope }} \
             {{ mysite.title }} {{ site.categories }} {{ site.strings }}"
        );
        // `{% raw %}` shows its text as written.
        let raw = "{% raw %}{{ site.title }}{% endraw %} {{ site.title }}";
        assert_eq!(
            fold_constants(raw, &constants, true),
            "{% raw %}{{ site.title }}{% endraw %} Q&amp;A Daily"
        );
        // Without escaping (a `.txt` template).
        assert_eq!(fold_constants("{{ site.strings.share }}", &constants, false), "Say \"hi\" 'now'");
        assert_eq!(fold_constants("{{ site.title }}", &SiteConstants::default(), true), "{{ site.title }}");
    }

    use super::*;

    #[test]
    fn html_is_escaped_the_same_into_a_page_as_into_a_string() {
        let samples = ["", "plain", "a/b?c=d", "Tom & Jerry's \"<b>\"", "<<&&>>", "é & ü ‘x’"];
        for text in samples {
            let mut streamed = Vec::new();
            escape_html_into(text, &mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), escape_html(text), "{text:?}");
        }
        assert_eq!(escape_html("Tom & Jerry's \"<b>\""), "Tom &amp; Jerry&#39;s &quot;&lt;b&gt;&quot;");
    }

    #[test]
    fn the_vector_test_wants_what_the_entity_table_replaces() {
        for byte in 0..=u8::MAX {
            assert_eq!(html_entity_wanted(byte), ESCAPED[byte as usize], "{byte}");
        }
    }

    proptest::proptest! {
        #[test]
        fn html_is_escaped_as_character_by_character(text in "([a-z &<>\"'é/]|\\PC){0,70}") {
            let expected: String = text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            let mut streamed = Vec::new();
            escape_html_into(&text, &mut streamed).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        }
    }

    #[test]
    fn templates_escape_printed_values_but_not_conditions() {
        let mut tera = Tera::default();
        tera.set_escape_fns(escape_html, escape_html_into);
        tera.add_raw_template(
            "t.html",
            "{% if v == \"a & b\" %}same{% endif %}|{% if v %}{{ v }}{% endif %}|{{ v | safe }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("v", "a & b");
        assert_eq!(tera.render("t.html", &context).unwrap(), "same|a &amp; b|a & b");
    }
}
