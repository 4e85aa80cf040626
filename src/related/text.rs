//! Stage 4 (related): turning an article's text into weighted terms: plain text from HTML,
//! words lower-cased, stop words dropped, stems from the Snowball stemmer of the site's language.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use rust_stemmers::{Algorithm, Stemmer};

/// How much more a word in the headline counts than one in the body.
pub const TITLE_BOOST: f32 = 3.0;
/// How much more a word in the standfirst counts than one in the body.
pub const SUMMARY_BOOST: f32 = 1.5;

/// Splits text into index terms for one language.
pub struct Analyzer {
    stop_words: FxHashSet<String>,
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    /// An analyzer for a BCP 47 language tag (`en`, `de-CH`); stemming only when asked and
    /// when Snowball knows the language. Unknown languages get no stop words.
    pub fn new(language: &str, stemming: bool) -> Analyzer {
        let code = language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase();
        let stop_words = if STOP_WORD_LANGUAGES.contains(&code.as_str()) {
            stop_words::get(code.as_str()).into_iter().collect()
        } else {
            FxHashSet::default()
        };
        let stemmer = stemming.then(|| algorithm(&code)).flatten().map(Stemmer::create);
        Analyzer { stop_words, stemmer }
    }

    /// Calls `emit(term)` for every index term of `text`, in order.
    pub fn terms(&self, text: &str, mut emit: impl FnMut(&str)) {
        self.terms_with_words(text, |term, _| emit(term));
    }

    /// Calls `emit(term, word)` for every index term of `text` and the lower-case word it
    /// came from, in order.
    pub fn terms_with_words(&self, text: &str, mut emit: impl FnMut(&str, &str)) {
        let mut lower = String::new();
        for word in words::<false>(text) {
            if word.chars().count() < 2 || word.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            if self.stop_words.contains(&lower) {
                continue;
            }
            match &self.stemmer {
                Some(stemmer) => emit(&stemmer.stem(&lower), &lower),
                None => emit(&lower, &lower),
            }
        }
    }
}

/// Counts articles' index terms, one article at a time, remembering the analysis: each
/// distinct word is lower-cased, looked up in the stop words and stemmed once per counter
/// (a build keeps a few per thread), not once per occurrence, and its term gets a dense
/// slot, so that counting an occurrence costs one hash lookup of the word. Words are keyed
/// by a 64-bit hash of their text, as terms are (`term_id`): the lookup then compares two
/// integers instead of following a pointer to the word's copy and comparing bytes.
#[derive(Default)]
pub struct TermCounter {
    /// Word (by `term_id` of its text) -> its term's slot, or `NO_TERM` for stop words and
    /// numbers.
    slot_of_word: FxHashMap<u64, u32>,
    /// Term id -> slot (consulted only for words not seen before).
    slot_of_term: FxHashMap<u64, u32>,
    /// Slot -> term id.
    terms: Vec<u64>,
    /// Slot -> weighted count in the article being counted.
    counts: Vec<f32>,
    /// Slots counted in the article being counted, in first-seen order.
    touched: Vec<u32>,
}

const NO_TERM: u32 = u32::MAX;

impl TermCounter {
    /// Adds `weight` per occurrence of each index term of plain `text`.
    pub fn add_text(&mut self, analyzer: &Analyzer, text: &str, weight: f32) {
        self.add_words(analyzer, words::<false>(text), weight);
    }

    /// Adds `weight` per occurrence of each index term of an HTML fragment's text (the words
    /// `html_text` would give: tags are gaps, so are ampersands).
    pub fn add_html(&mut self, analyzer: &Analyzer, html: &str, weight: f32) {
        self.add_words(analyzer, words::<true>(html), weight);
    }

    fn add_words<'t>(&mut self, analyzer: &Analyzer, words: impl Iterator<Item = &'t str>, weight: f32) {
        for word in words {
            let key = term_id(word);
            let slot = match self.slot_of_word.get(&key) {
                Some(&slot) => slot,
                None => self.learn(analyzer, word, key),
            };
            if slot == NO_TERM {
                continue;
            }
            let count = &mut self.counts[slot as usize];
            if *count == 0.0 {
                self.touched.push(slot);
            }
            // Counts start at 0.0 and add in occurrence order, as a map entry would.
            *count += weight;
        }
    }

    /// Analyses a word this counter has not seen and remembers its slot.
    fn learn(&mut self, analyzer: &Analyzer, word: &str, key: u64) -> u32 {
        let mut term = None;
        analyzer.terms(word, |t| term = Some(term_id(t)));
        let slot = match term {
            None => NO_TERM,
            Some(id) => *self.slot_of_term.entry(id).or_insert_with(|| {
                self.terms.push(id);
                self.counts.push(0.0);
                (self.terms.len() - 1) as u32
            }),
        };
        self.slot_of_word.insert(key, slot);
        slot
    }

    /// The counted terms (term id, weighted count), sorted by term id; the counter is then
    /// ready for the next article.
    pub fn take(&mut self) -> Vec<(u64, f32)> {
        let mut bag: Vec<(u64, f32)> = self
            .touched
            .drain(..)
            .map(|slot| (self.terms[slot as usize], std::mem::take(&mut self.counts[slot as usize])))
            .collect();
        bag.sort_unstable_by_key(|(t, _)| *t);
        bag
    }
}

/// A 64-bit id for a term, the same in every run on every machine (FxHash has no random key).
pub fn term_id(term: &str) -> u64 {
    let mut hasher = FxHasher::default();
    term.hash(&mut hasher);
    hasher.finish()
}

/// The words of `text`: its runs of alphanumeric characters (Unicode's definition), except
/// that text written without spaces between its words (Chinese, Japanese; see `is_cjk`)
/// gives its overlapping pairs of characters, as search engines index it: `国防预算` gives
/// `国防`, `防预` and `预算`, so that two articles sharing the word `预算` share a term. A
/// run of one such character gives that character. ASCII, most of a news text, is
/// classified a byte at a time by table lookup without decoding characters. With
/// `SKIP_TAGS`, `text` is HTML and each tag (`<` to the next `>`; an unclosed one hides the
/// rest) is a gap between words.
fn words<const SKIP_TAGS: bool>(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // Whether the character at `pos` was the second of the pair just given.
    let mut in_pair = false;
    std::iter::from_fn(move || {
        let start = loop {
            match BYTE_CLASS[*bytes.get(pos)? as usize] {
                ALPHANUMERIC => break pos,
                TAG_START if SKIP_TAGS => {
                    pos = text[pos..].find('>').map_or(text.len(), |end| pos + end + 1);
                }
                AMPERSAND if SKIP_TAGS => pos += entity_len(&bytes[pos..]),
                NOT_ASCII => {
                    let c = text[pos..].chars().next()?;
                    if is_cjk(c) {
                        let first = pos;
                        pos += c.len_utf8();
                        match text[pos..].chars().next().filter(|&next| is_cjk(next)) {
                            Some(next) => {
                                in_pair = true;
                                return Some(&text[first..pos + next.len_utf8()]);
                            }
                            // The run's last character, already given with the one before.
                            None if std::mem::take(&mut in_pair) => continue,
                            None => return Some(&text[first..pos]),
                        }
                    }
                    if c.is_alphanumeric() {
                        break pos;
                    }
                    pos += c.len_utf8();
                }
                _ => pos += 1,
            }
        };
        // (`in_pair` needs no reset here: after a pair, the next call starts at the pair's
        // second character, which takes it.)
        while let Some(&byte) = bytes.get(pos) {
            match BYTE_CLASS[byte as usize] {
                ALPHANUMERIC => pos += 1,
                NOT_ASCII => match text[pos..].chars().next() {
                    Some(c) if c.is_alphanumeric() && !is_cjk(c) => pos += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        Some(&text[start..pos])
    })
}

/// Whether `c` belongs to a script written without spaces between words: Han ideographs
/// (Chinese, Japanese kanji), Japanese kana, and Hangul, whose words carry their particles.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FA}'       // Hiragana, Katakana (to U+30FB, the middle dot: a separator)
        | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'     // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'     // Han extension A
        | '\u{4E00}'..='\u{9FFF}'     // Han
        | '\u{AC00}'..='\u{D7AF}'     // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'     // Han compatibility
        | '\u{FF66}'..='\u{FF9D}'     // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}'   // Han extensions B to F, supplement
    )
}

/// How many bytes of HTML starting at an `&` are a gap between words: a whole character
/// reference (`&amp;`, `&#39;`), whose name is no word of the text, else the `&` alone.
fn entity_len(html: &[u8]) -> usize {
    let name = html.iter().skip(1).take(32).take_while(|b| b.is_ascii_alphanumeric() || **b == b'#').count();
    if name > 0 && html.get(1 + name) == Some(&b';') {
        name + 2
    } else {
        1
    }
}

/// What a byte of UTF-8 text is to `words`: an ASCII letter or digit, `<`, `&`, any other
/// ASCII character, or part of a character beyond ASCII (decoded to be classified).
const ALPHANUMERIC: u8 = 0;
const TAG_START: u8 = 1;
const OTHER_ASCII: u8 = 2;
const NOT_ASCII: u8 = 3;
const AMPERSAND: u8 = 4;
const BYTE_CLASS: [u8; 256] = {
    let mut class = [NOT_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        class[byte] = match byte as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ALPHANUMERIC,
            b'<' => TAG_START,
            b'&' => AMPERSAND,
            _ => OTHER_ASCII,
        };
        byte += 1;
    }
    class
};

/// The text of an HTML fragment: each tag replaced by a space, and each character
/// reference (`&amp;`) or bare `&` too, so that `M&amp;A` gives the words `M` and `A`, not
/// `amp`. Copies the text between them in slices.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.bytes().position(|b| b == b'<' || b == b'&') {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = if rest.as_bytes()[at] == b'&' {
            &rest[at + entity_len(&rest.as_bytes()[at..])..]
        } else {
            // A tag runs to the next `>`; an unclosed one hides the rest.
            rest[at..].find('>').map_or("", |end| &rest[at + end + 1..])
        };
    }
    out.push_str(rest);
    out
}

const STOP_WORD_LANGUAGES: &[&str] = &[
    "ar", "az", "da", "nl", "en", "fi", "fr", "de", "el", "hu", "id", "it", "kk", "ne", "no", "pt", "ro",
    "ru", "sl", "es", "sv", "tg", "tr",
];

fn algorithm(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(analyzer: &Analyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        analyzer.terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn drops_stop_words_and_numbers_and_stems() {
        let en = Analyzer::new("en-GB", true);
        assert_eq!(
            terms(&en, "The investors were investing in 2026, and it's AI."),
            vec!["investor", "invest", "ai"]
        );
    }

    #[test]
    fn unknown_languages_still_split_words() {
        let xx = Analyzer::new("xx", true);
        assert_eq!(terms(&xx, "Kala mosi"), vec!["kala", "mosi"]);
    }

    #[test]
    fn html_text_drops_tags() {
        assert_eq!(
            html_text("<p>Hello <em>world</em></p>").split_whitespace().collect::<Vec<_>>(),
            vec!["Hello", "world"]
        );
    }

    #[test]
    fn words_are_runs_of_alphanumerics_in_any_script() {
        let text = "Kyiv's 2026 budget—Zürich, Αθήνα & 東 «x»  a1 ";
        let expected: Vec<&str> =
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        assert_eq!(words::<false>(text).collect::<Vec<_>>(), expected);
        assert_eq!(expected, ["Kyiv", "s", "2026", "budget", "Zürich", "Αθήνα", "東", "x", "a1"]);
        assert_eq!(words::<false>("").count(), 0);
        // A character beyond ASCII that is not alphanumeric ends a word (a line separator).
        assert_eq!(words::<false>("a\u{2028}b").collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn text_without_spaces_gives_pairs_of_characters() {
        assert_eq!(words::<false>("国防预算").collect::<Vec<_>>(), ["国防", "防预", "预算"]);
        assert_eq!(
            words::<false>("2026年度の予算案、AI投資").collect::<Vec<_>>(),
            ["2026", "年度", "度の", "の予", "予算", "算案", "AI", "投資"]
        );
        assert_eq!(words::<true>("<p>東京</p>&amp;日").collect::<Vec<_>>(), ["東京", "日"]);
        // Two articles sharing a word share its term.
        let zh = Analyzer::new("zh-TW", true);
        let (a, b) = (terms(&zh, "立法院通過國防預算"), terms(&zh, "在野黨批評國防預算"));
        assert!(a.contains(&"國防".to_string()) && b.contains(&"預算".to_string()), "{a:?} {b:?}");
    }

    /// Words by their definition: the text split at every character that is not alphanumeric,
    /// and each run of characters of `is_cjk` within a word as its overlapping pairs (or the
    /// character alone).
    fn reference_words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let chars: Vec<(usize, char)> = word.char_indices().collect();
            let end_of = |k: usize| chars.get(k).map_or(word.len(), |(at, _)| *at);
            let mut i = 0;
            while i < chars.len() {
                let cjk = is_cjk(chars[i].1);
                let run = chars[i..].iter().take_while(|(_, c)| is_cjk(*c) == cjk).count();
                if !cjk || run == 1 {
                    out.push(&word[chars[i].0..end_of(i + run)]);
                } else {
                    out.extend((i..i + run - 1).map(|k| &word[chars[k].0..end_of(k + 2)]));
                }
                i += run;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_match_their_definition_in_text_and_html(
            text in "([a-zA-Z0-9 <>&;.,'#-]|é|ß|Ω|東|京|の|ア|한|・|\u{2028}|\u{00A0}|\u{0301}|<p>|</a>|&amp;|&#39;){0,40}"
        ) {
            proptest::prop_assert_eq!(words::<false>(&text).collect::<Vec<_>>(), reference_words(&text));
            let html = html_text(&text);
            proptest::prop_assert_eq!(words::<true>(&text).collect::<Vec<_>>(), reference_words(&html));
        }
    }

    #[test]
    fn html_text_replaces_tags_and_ampersands_with_spaces() {
        assert_eq!(html_text("<p>A &amp; B</p> 3 > 2"), " A   B  3 > 2");
        assert_eq!(html_text("M&amp;A AT&T &#39;x&#39; & y"), "M A AT T  x    y");
        assert_eq!(html_text("x <a href=\"<y>\">z"), "x  \">z");
        assert_eq!(html_text("cut <unclosed tag"), "cut  ");
        assert_eq!(html_text("plain"), "plain");
    }

    /// The bag the counter's definition gives: each term of the text (HTML through
    /// `html_text`), counted with its weight in occurrence order, sorted by term id.
    fn reference_bag(analyzer: &Analyzer, parts: &[(&str, bool, f32)]) -> Vec<(u64, f32)> {
        let mut counts: Vec<(u64, f32)> = Vec::new();
        for &(text, is_html, weight) in parts {
            let text = if is_html { html_text(text) } else { text.to_string() };
            analyzer.terms(&text, |term| match counts.iter_mut().find(|(id, _)| *id == term_id(term)) {
                Some((_, count)) => *count += weight,
                None => counts.push((term_id(term), weight)),
            });
        }
        counts.sort_by_key(|(id, _)| *id);
        counts
    }

    #[test]
    fn term_counter_matches_the_text_of_the_html_and_resets_between_articles() {
        let en = Analyzer::new("en", true);
        let mut counter = TermCounter::default();
        let articles: [&[(&str, bool, f32)]; 3] = [
            &[
                ("Investors invest in Zürich", false, TITLE_BOOST),
                (
                    "<p class=\"lead\">Investing &amp; investors <a href=\"/zurich/\">Zürich</a></p>",
                    true,
                    1.0,
                ),
            ],
            &[
                ("Zürich", false, SUMMARY_BOOST),
                ("x <a href=\"<y>\">banks z</a> cut <unclosed banks", true, 1.0),
            ],
            &[("", false, TITLE_BOOST), ("<p></p>", true, 1.0)],
        ];
        for parts in articles {
            for &(text, is_html, weight) in parts {
                if is_html {
                    counter.add_html(&en, text, weight);
                } else {
                    counter.add_text(&en, text, weight);
                }
            }
            assert_eq!(counter.take(), reference_bag(&en, parts));
        }
        // The attribute's words are not the text's: `lead` and `zurich` are not counted.
        counter.add_html(&en, "<p class=\"lead\"><a href=\"/zurich/\">x</a></p>", 1.0);
        assert_eq!(counter.take(), vec![]);
    }

    #[test]
    fn term_ids_are_stable() {
        assert_eq!(term_id("aws"), term_id("aws"));
        assert_ne!(term_id("aws"), term_id("awz"));
    }
}
