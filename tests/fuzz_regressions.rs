//! Inputs the fuzzers (fuzz/) found interesting, kept as regression tests: every one must
//! parse to an article or to located errors, and render, without panicking.

use std::path::Path;

use broadsheet::config::{MarkdownConfig, RawHtml};
use broadsheet::content::{normalise, Article, ParseContext};
use broadsheet::markdown::{render, KeepLinks};

#[test]
fn fuzzer_inputs_parse_and_render_without_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let ctx = ParseContext { tz: chrono_tz::Europe::Berlin, default_author: "Desk" };
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = normalise(String::from_utf8_lossy(&bytes).to_string());
        match Article::parse(Path::new("content/news/a.md"), &text, &ctx) {
            Ok(article) => assert!(!article.slug.is_empty() && !article.slug.contains('/')),
            Err(errors) => assert!(errors.iter().all(|e| !e.message.is_empty())),
        }
        for raw_html in [RawHtml::Allow, RawHtml::Escape, RawHtml::Sanitize] {
            let html =
                render(&text, &MarkdownConfig { raw_html, ..MarkdownConfig::default() }, &KeepLinks).html;
            if raw_html == RawHtml::Sanitize {
                assert!(!html.to_ascii_lowercase().contains("<script"));
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "the regression inputs are there ({checked})");
}
