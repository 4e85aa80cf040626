//! Stage 3 (markdown): Markdown body -> HTML, plain-text summary and word count.

use std::collections::HashSet;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::config::{MarkdownConfig, RawHtml};
use crate::slugs::slugify;

/// The shortcodes of Hugo (`{{< figure … >}}`, `{{% notice %}}`), Zola
/// (`{{ youtube(id="…") }}`) and Jekyll (`{% include … %}`) in a run of text, each to its
/// end (at most 60 characters): none of them is Markdown, and each would show as text.
fn shortcodes_in(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from
            + text[from..].match_indices('{').map(|(at, _)| at).find(|&at| {
                let rest = &text[from + at..];
                let zola = rest.strip_prefix("{{").map(str::trim_start).is_some_and(|call| {
                    let name = call.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                    name > 0 && call[name..].starts_with('(')
                });
                let jekyll = rest.strip_prefix("{%").is_some_and(|r| r.starts_with([' ', '-']));
                rest.starts_with("{{<") || rest.starts_with("{{%") || zola || jekyll
            })?;
        let rest = &text[start..];
        let close = if rest.starts_with("{%") { "%}" } else { "}}" };
        let end = rest[2..].find(close).map_or(rest.len(), |at| at + 4);
        let end = end.min(rest.char_indices().nth(60).map_or(rest.len(), |(at, _)| at));
        from = start + end;
        Some(&rest[..end])
    })
}

/// Whether raw HTML is the marker that ends a hand-picked summary, however it is spaced or cased (`<!-- more -->`,
/// `<!--more-->` as Hugo, Jekyll and WordPress write it).
fn is_more_marker(html: &str) -> bool {
    let inner = html.trim().strip_prefix("<!--").and_then(|rest| rest.strip_suffix("-->"));
    inner.is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// A rendered article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Body HTML.
    pub html: String,
    /// Plain-text summary: the text before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// Words in the body text.
    pub word_count: usize,
    /// Link targets ending in `.md` that the resolver did not know, with their 1-based
    /// line in the body.
    pub broken_links: Vec<(String, usize)>,
    /// Another generator's shortcodes (`{{< figure >}}`), which show as text, with their
    /// 1-based line in the body.
    pub shortcodes: Vec<(String, usize)>,
}

/// What becomes of a link target written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Resolution {
    /// Leave it as written.
    Keep,
    /// Replace it with this URL.
    Replace(String),
    /// It points at a Markdown file that is not a published article.
    Broken,
}

/// Maps link targets written in Markdown to the URLs they should become.
pub trait LinkResolver {
    /// Resolves one `target`.
    fn resolve(&self, target: &str) -> Resolution;
}

/// A resolver that leaves every link as written.
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _: &str) -> Resolution {
        Resolution::Keep
    }
}

fn options(config: &MarkdownConfig) -> Options {
    let mut options = Options::empty();
    let flags = [
        (config.tables, Options::ENABLE_TABLES),
        (config.footnotes, Options::ENABLE_FOOTNOTES),
        (config.strikethrough, Options::ENABLE_STRIKETHROUGH),
        (config.task_lists, Options::ENABLE_TASKLISTS),
        (config.smart_punctuation, Options::ENABLE_SMART_PUNCTUATION),
        (config.heading_ids, Options::ENABLE_HEADING_ATTRIBUTES),
    ];
    for (on, flag) in flags {
        if on {
            options.insert(flag);
        }
    }
    options
}

/// Renders a body with the site's options, resolving links with `links`.
pub fn render(markdown: &str, config: &MarkdownConfig, links: &dyn LinkResolver) -> Rendered {
    let mut events: Vec<Event> = Vec::new();
    let mut broken_links = Vec::new();
    let mut shortcodes = Vec::new();
    let mut in_code_block = false;
    let (mut run, mut run_start) = (String::new(), 0);
    let mut words = WordCounter::default();
    let mut has_raw_html = false;
    // Where the summary ends: the index in `events` of the first `<!-- more -->`.
    let mut more_at = None;
    for (event, range) in Parser::new_ext(markdown, options(config)).into_offset_iter() {
        let event = match event {
            Event::Html(ref html) | Event::InlineHtml(ref html) if is_more_marker(html) => {
                // The summary marker is Broadsheet's, not the author's HTML: never on the page.
                more_at.get_or_insert(events.len());
                continue;
            }
            Event::Html(html) | Event::InlineHtml(html) if config.raw_html == RawHtml::Escape => {
                Event::Text(html)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                event
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id })
                if config.raw_html != RawHtml::Allow && is_script_url(&dest_url) =>
            {
                Event::Start(Tag::Link { link_type, dest_url: "".into(), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id })
                if config.raw_html != RawHtml::Allow && is_script_url(&dest_url) =>
            {
                Event::Start(Tag::Image { link_type, dest_url: "".into(), title, id })
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = resolve(dest_url, links, &mut broken_links, || line_of(markdown, range.start));
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = resolve(dest_url, links, &mut broken_links, || line_of(markdown, range.start));
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            other => other,
        };
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }
        // Text runs on across events (`{{` `<` ` figure src=` `“`…): gathered from the first
        // piece with a `{` up to the next other event, then searched for shortcodes.
        match (&event, in_code_block) {
            (Event::Text(text), false) if !run.is_empty() || text.contains('{') => {
                if run.is_empty() {
                    run_start = range.start;
                }
                run.push_str(text);
            }
            _ if !run.is_empty() => {
                // Quoted as written in the file, not as smart punctuation rendered it.
                let mut from = run_start;
                for code in shortcodes_in(&run) {
                    let written =
                        shortcodes_in(&markdown[from..]).next().filter(|w| w.get(..3) == code.get(..3));
                    let (text, at) = match written {
                        Some(w) => (w, from + markdown[from..].find(w).unwrap_or(0)),
                        None => (code, from),
                    };
                    shortcodes.push((text.to_string(), line_of(markdown, at)));
                    from = at + text.len();
                }
                run.clear();
            }
            _ => {}
        }
        match &event {
            Event::Text(text) | Event::Code(text) => words.add(text),
            // Inline markup does not end a word (`**Bold**ly` is one); everything else does.
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {}
            _ => words.gap(),
        }
        events.push(event);
    }
    if config.heading_ids {
        add_heading_ids(&mut events);
    }
    below_the_headline(&mut events);
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, events.iter().cloned());
    // Markdown without raw HTML renders to safe markup: pulldown-cmark escapes text and
    // attributes, and script URLs were removed above. Only raw HTML needs the sanitizer.
    if config.raw_html == RawHtml::Sanitize && has_raw_html {
        html_out = sanitize(&html_out);
    }
    let summary = summary(&events, more_at);
    Rendered { html: html_out, summary, word_count: words.total(), broken_links, shortcodes }
}

/// Whether a link target would run script when followed (`javascript:`, `vbscript:`,
/// `data:text/html`), however it is spelt.
pub fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:text/html")
}

/// Keeps safe markup only: what Markdown produces (with heading ids, footnotes and task list
/// checkboxes) and common HTML, without scripts, event handlers or script URLs.
fn sanitize(html: &str) -> String {
    // What a `<noscript>` holds is text to an HTML parser that runs scripts, as ammonia's
    // does: the markup in it (often the `<img>` of a lazy-loading script) would show as text.
    // Without its tags, the markup is kept or cleaned as any other.
    let unwrapped;
    let html = if html.contains("noscript") || html.contains("NOSCRIPT") {
        unwrapped = remove_noscript_tags(html);
        unwrapped.as_str()
    } else {
        html
    };
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // `<a name="note">`, an anchor older pages (and migrated archives) link to.
        .add_tag_attributes("a", ["name"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// `html` without its `<noscript>` and `</noscript>` tags (in any case), keeping what is
/// between them.
fn remove_noscript_tags(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find("noscript") {
        let name = at + found;
        let open =
            lower[..name].rfind('<').filter(|&lt| lower[lt + 1..name].trim_matches('/').trim().is_empty());
        match (open, lower[name..].find('>')) {
            (Some(open), Some(close)) if open >= at => {
                out.push_str(&html[at..open]);
                at = name + close + 1;
            }
            _ => {
                out.push_str(&html[at..name + "noscript".len()]);
                at = name + "noscript".len();
            }
        }
    }
    out.push_str(&html[at..]);
    out
}

/// How many words `text` has: what `text.split_whitespace().count()` gives, except for text
/// written without spaces (see `CHARACTERS_PER_UNSPACED_WORD`).
pub fn count_words(text: &str) -> usize {
    let mut counter = WordCounter::default();
    counter.add(text);
    counter.total()
}

/// Counts the words of a text given in pieces (a body's text events): a word that runs on
/// from one piece into the next (`we` `’` `ll`, as smart punctuation splits `we'll`, or
/// `**Bold**ly`) is one word; `gap` marks a break between pieces (a paragraph's end).
#[derive(Default)]
pub struct WordCounter {
    words: usize,
    /// Characters of text written without spaces (`related::is_cjk`).
    unspaced: usize,
    /// Whether the last piece ended inside a word.
    in_word: bool,
}

impl WordCounter {
    /// Counts the words of `text`. ASCII text (most of it) is counted in vector code; other
    /// text a byte at a time for ASCII characters and a character at a time only for the
    /// rest (0.4% fewer instructions for a whole build than decoding every character).
    pub fn add(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let Some((&first, rest)) = bytes.split_first() else { return };
        if text.is_ascii() {
            // A word starts at every non-space byte that follows a space (or opens the text).
            // Counted over byte pairs without a branch, which the compiler turns into vector
            // code: a quarter of the instructions of the loop below (1.8% of a build's).
            let before = &bytes[..rest.len()];
            // In blocks of at most 255 pairs, so that the vector lanes can count in bytes.
            let starts: usize = before
                .chunks(255)
                .zip(rest.chunks(255))
                .map(|(a, b)| {
                    let n: u8 =
                        a.iter().zip(b).map(|(&a, &b)| (is_ascii_space(a) & !is_ascii_space(b)) as u8).sum();
                    n as usize
                })
                .sum();
            self.words += (!is_ascii_space(first) && !self.in_word) as usize + starts;
            self.in_word = !is_ascii_space(bytes[bytes.len() - 1]);
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let (space, len) = if bytes[i].is_ascii() {
                (is_ascii_space(bytes[i]), 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if crate::related::is_cjk(c) || is_unspaced_punctuation(c) {
                    self.unspaced += crate::related::is_cjk(c) as usize;
                    self.in_word = false;
                    i += c.len_utf8();
                    continue;
                }
                (c.is_whitespace(), c.len_utf8())
            };
            if !space && !self.in_word {
                self.words += 1;
            }
            self.in_word = !space;
            i += len;
        }
    }

    /// A break between pieces: the next piece starts a new word.
    pub fn gap(&mut self) {
        self.in_word = false;
    }

    /// The words counted so far.
    pub fn total(&self) -> usize {
        self.words + self.unspaced.div_ceil(CHARACTERS_PER_UNSPACED_WORD)
    }
}

/// The punctuation of text written without spaces (`、`, `。`, `「`, full-width `，`), which,
/// set between its characters, is no word of its own.
pub fn is_unspaced_punctuation(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{303F}' | '\u{30FB}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// Text written without spaces between its words (Chinese, Japanese) is counted one word
/// for every two of its characters (`related::is_cjk`), about the length of a word in
/// Chinese, so that reading times come out as they do for other languages (a reader takes
/// in some 400 to 500 such characters a minute).
const CHARACTERS_PER_UNSPACED_WORD: usize = 2;

/// Whether an ASCII byte is one of the characters `char::is_whitespace` accepts: tab, LF,
/// VT, FF, CR (9 to 13) and space. Without a branch, so that it vectorises.
fn is_ascii_space(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn resolve<'a>(
    dest: CowStr<'a>,
    links: &dyn LinkResolver,
    broken: &mut Vec<(String, usize)>,
    line: impl Fn() -> usize,
) -> CowStr<'a> {
    match links.resolve(&dest) {
        Resolution::Replace(url) => url.into(),
        Resolution::Keep => dest,
        Resolution::Broken => {
            broken.push((dest.to_string(), line()));
            dest
        }
    }
}

/// Ids the built-in theme's article page gives its own elements (`<main id="main">`, the
/// headline), which a heading in the body must not take.
pub const PAGE_IDS: [&str; 2] = ["main", "headline"];

/// Gives every heading without an explicit `{#id}` an id from its text, unique in the page:
/// not the id of another heading (given or made), of a footnote (`[^1]` is `id="1"`) or of
/// the page around the body (`PAGE_IDS`); a repeat takes the next free `-2`, `-3`, ...
/// The article page's headline is its one `<h1>`: a body that uses `#` headings has every
/// heading moved one level down (`#` to `<h2>`, `##` to `<h3>`, `######` stays `<h6>`), so
/// that the page's outline has no second `<h1>` and skips no level.
fn below_the_headline(events: &mut [Event]) {
    use pulldown_cmark::HeadingLevel::{self, *};
    let has_h1 = events.iter().any(|e| matches!(e, Event::Start(Tag::Heading { level: H1, .. })));
    if !has_h1 {
        return;
    }
    let lower = |level: HeadingLevel| match level {
        H1 => H2,
        H2 => H3,
        H3 => H4,
        H4 => H5,
        H5 | H6 => H6,
    };
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => *level = lower(*level),
            Event::End(TagEnd::Heading(level)) => *level = lower(*level),
            _ => {}
        }
    }
}

fn add_heading_ids(events: &mut [Event]) {
    let mut taken: HashSet<String> = PAGE_IDS.iter().map(|id| id.to_string()).collect();
    for event in events.iter() {
        match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => taken.insert(id.to_string()),
            Event::Start(Tag::FootnoteDefinition(label)) => taken.insert(label.to_string()),
            _ => false,
        };
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let base = Some(slugify(&text)).filter(|s| !s.is_empty()).unwrap_or_else(|| "section".into());
            let unique = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}-{n}")))
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or(base);
            taken.insert(unique.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(unique.into());
            }
        }
        i += 1;
    }
}

/// The text before `<!-- more -->` (the events before index `more_at`, parsed with the
/// whole body, so that a reference link defined further down is a link there too), else
/// the first paragraph, as plain text.
fn summary(events: &[Event], more_at: Option<usize>) -> String {
    if let Some(cut) = more_at {
        return plain_text(&events[..cut]);
    }
    let start = events.iter().position(|e| matches!(e, Event::Start(Tag::Paragraph)));
    match start {
        Some(s) => {
            let end = events[s..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                .map_or(events.len(), |e| s + e);
            plain_text(&events[s..end])
        }
        None => String::new(),
    }
}

/// Joins the text of events into one line of plain text.
pub fn plain_text(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders inline Markdown (a front matter summary) to plain text.
pub fn inline_plain_text(text: &str, config: &MarkdownConfig) -> String {
    // A reference link whose definition is in the body (`[Rust][rust-release]`) keeps its text.
    let mut keep_text = |_: pulldown_cmark::BrokenLink| Some((CowStr::from(""), CowStr::from("")));
    let events: Vec<Event> =
        Parser::new_with_broken_link_callback(text, options(config), Some(&mut keep_text)).collect();
    plain_text(&events)
}

/// Minutes an average reader (230 words a minute) needs; at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(230).max(1)
}

/// Cuts `text` to at most `max` characters at a word boundary, adding `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches(|c: char| c.is_whitespace() || ",;:.–—-".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Rendered {
        render(text, &MarkdownConfig::default(), &KeepLinks)
    }

    #[test]
    fn a_body_with_level_one_headings_is_moved_below_the_headline() {
        let r = md("# Part one\n\nText.\n\n## Detail\n\n###### Small\n");
        assert!(r.html.contains("<h2 id=\"part-one\">Part one</h2>"), "{}", r.html);
        assert!(
            r.html.contains("<h3 id=\"detail\">Detail</h3>") && r.html.contains("<h6 id=\"small\">"),
            "{}",
            r.html
        );
        // Without a `#` heading, levels stay as written.
        assert!(md("## Agenda\n").html.contains("<h2 id=\"agenda\">Agenda</h2>"));
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        let r = md("# Head\n\nFirst *para* here.\n\nSecond.\n");
        assert_eq!(r.summary, "First para here.");
    }

    #[test]
    fn summary_stops_at_the_more_marker() {
        let r = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(r.summary, "One. Two.");
        // Spelled as other generators spell it, too.
        assert_eq!(md("One.\n\nTwo.\n\n<!--more-->\n\nThree.\n").summary, "One. Two.");
        assert_eq!(md("One.\n\nTwo. <!--More-->\n\nThree.\n").summary, "One. Two.");
        // A reference link defined below the marker is a link in the summary too.
        let r = md("See [the report][r].\n\n<!--more-->\n\nRest.\n\n[r]: https://example.org/\n");
        assert_eq!(r.summary, "See the report.");
    }

    #[test]
    fn extensions_are_on() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = md("## The Vote\n\n## The Vote\n\n## Custom {#mine}\n");
        assert!(r.html.contains("<h2 id=\"the-vote\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"the-vote-2\">"));
        assert!(r.html.contains("<h2 id=\"mine\">"));
    }

    #[test]
    fn heading_ids_leave_the_pages_footnotes_and_given_ids_alone() {
        let r = md("Intro[^1].\n\n## Main\n\n## Headline\n\n## 1\n\n## Vote {#vote-2}\n\n## Vote\n\n## Vote\n\n[^1]: A note.\n");
        let ids: Vec<&str> =
            r.html.split("id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "every id once: {ids:?}");
        for id in ["main-2", "headline-2", "1-2", "vote-2", "vote", "vote-3"] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        assert!(!ids.contains(&"main") && !ids.contains(&"headline"), "the theme's ids are the page's");
    }

    #[test]
    fn front_matter_summaries_become_plain_text() {
        let config = MarkdownConfig::default();
        assert_eq!(inline_plain_text("The [Rust][rel] *team* -- again", &config), "The Rust team – again");
    }

    fn with(raw_html: RawHtml, text: &str) -> String {
        let config = MarkdownConfig { raw_html, ..MarkdownConfig::default() };
        render(text, &config, &KeepLinks).html
    }

    #[test]
    fn raw_html_modes() {
        let text = "Hi <b onclick=\"x()\">bold</b>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(2))\n";
        let allowed = with(RawHtml::Allow, text);
        assert!(
            allowed.contains("<script>alert(1)</script>") && allowed.contains("href=\"javascript:alert(1)\"")
        );
        let escaped = with(RawHtml::Escape, text);
        let marked = with(RawHtml::Escape, "Opening.\n\n<!-- more -->\n\nRest <b>x</b>.\n");
        assert!(
            !marked.contains("more") && marked.contains("&lt;b&gt;"),
            "the marker is never text: {marked}"
        );
        assert!(
            escaped.contains("&lt;script&gt;") && !escaped.contains("<script") && !escaped.contains("<b "),
            "{escaped}"
        );
        assert!(!escaped.to_lowercase().contains("javascript:"), "{escaped}");
        let clean = with(RawHtml::Sanitize, text);
        assert!(
            clean.contains("<b>bold</b>") && !clean.contains("onclick") && !clean.contains("<script"),
            "{clean}"
        );
        assert!(!clean.to_lowercase().contains("javascript:"), "{clean}");
    }

    #[test]
    fn script_urls_go_even_without_raw_html() {
        // No raw HTML: the sanitizer does not run, so the event filter alone must do it.
        let text =
            "[x](javascript:alert(1)) ![y]( JaVaScRiPt:alert(2)) <vbscript:x> [ok](https://a.example/)\n";
        for mode in [RawHtml::Sanitize, RawHtml::Escape] {
            let html = with(mode, text);
            let lower = html.to_lowercase().replace(' ', "");
            assert!(!lower.contains("=\"javascript:") && !lower.contains("=\"vbscript:"), "{mode:?}: {html}");
            assert!(html.contains("href=\"https://a.example/\""), "{html}");
        }
    }

    #[test]
    fn sanitize_keeps_the_markup_of_a_noscript_not_as_text() {
        let html = with(
            RawHtml::Sanitize,
            "Chart:\n\n<noscript><img alt=\"map\" src=\"map.png\"/></noscript>\n\nA noscript word. <NOSCRIPT ><b>x</b></NOSCRIPT>\n",
        );
        assert!(html.contains("<img alt=\"map\" src=\"map.png\">"), "{html}");
        assert!(!html.contains("&lt;") && !html.contains("oscript>"), "{html}");
        assert!(html.contains("A noscript word.") && html.contains("<b>x</b>"), "{html}");
    }

    #[test]
    fn sanitize_keeps_what_markdown_makes() {
        let html = with(
            RawHtml::Sanitize,
            "## Head\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n\n| a |\n|---|\n| 1 |\n",
        );
        assert!(html.contains("<h2 id=\"head\">"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("class=\"footnote-definition\""), "{html}");
        assert!(html.contains("<table>"), "{html}");
        let anchor = with(
            RawHtml::Sanitize,
            "See [1](#note-1).\n\n<a name=\"note-1\" onclick=\"x()\">1</a>: a note.\n",
        );
        assert!(anchor.contains("<a name=\"note-1\">1</a>") && !anchor.contains("onclick"), "{anchor}");
    }

    #[test]
    fn counts_words_and_minutes() {
        assert_eq!(md("one two three\n\nfour").word_count, 4);
        // Text without spaces: a word for every two characters (17 here), beside "AI".
        assert_eq!(md("国会は防衛費を含む予算案をAI審議した").word_count, 1 + 9);
        // Smart punctuation splits `we'll` into three text events; it is still one word, and
        // so is a word with markup inside it. Paragraphs and line breaks end words.
        assert_eq!(md("We'll 'quote' it, don't **bold**ly\nnext\n\nline").word_count, 7);
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
    }

    #[test]
    fn excerpt_cuts_at_a_word() {
        assert_eq!(excerpt("short", 120), "short");
        assert_eq!(excerpt("alpha beta gamma delta", 14), "alpha beta…");
        assert!(excerpt(&"word ".repeat(60), 120).chars().count() <= 121);
    }

    struct Map;
    impl LinkResolver for Map {
        fn resolve(&self, target: &str) -> Resolution {
            match target {
                "other.md" => Resolution::Replace("/tech/other/".into()),
                t if t.ends_with(".md") => Resolution::Broken,
                _ => Resolution::Keep,
            }
        }
    }

    #[test]
    fn links_to_articles_resolve_and_broken_ones_are_reported() {
        let r = render(
            "See [o](other.md).\n\nAnd [x](missing.md), ![c](chart.png).\n",
            &MarkdownConfig::default(),
            &Map,
        );
        assert!(r.html.contains("href=\"/tech/other/\""));
        assert!(r.html.contains("src=\"chart.png\""));
        assert_eq!(r.broken_links, vec![("missing.md".to_string(), 3)]);
    }

    #[test]
    fn other_generators_shortcodes_are_found_outside_code() {
        let r = md("Intro.\n\n{{< figure src=\"/a.png\" >}}\n\nA {{% notice %}} and {{ youtube(id=\"x\") }}.\n\n\
                    {% include note.html %}\n\n```\n{{< in code >}}\n```\n\n`{{< inline code >}}` and {{ not }} {a}\n");
        let found: Vec<(&str, usize)> = r.shortcodes.iter().map(|(c, l)| (c.as_str(), *l)).collect();
        assert_eq!(
            found,
            [
                ("{{< figure src=\"/a.png\" >}}", 3),
                ("{{% notice %}}", 5),
                ("{{ youtube(id=\"x\") }}", 5),
                ("{% include note.html %}", 7)
            ]
        );
    }
}
