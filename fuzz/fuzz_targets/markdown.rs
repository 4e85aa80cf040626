//! Fuzz target: Markdown rendering with the site's options, in every raw HTML mode.
#![no_main]
use broadsheet::config::{MarkdownConfig, RawHtml};
use broadsheet::markdown::{excerpt, render, KeepLinks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for raw_html in [RawHtml::Allow, RawHtml::Escape, RawHtml::Sanitize] {
            let config = MarkdownConfig { raw_html, ..MarkdownConfig::default() };
            let rendered = render(text, &config, &KeepLinks);
            if raw_html == RawHtml::Sanitize {
                assert!(!rendered.html.to_ascii_lowercase().contains("<script"), "script survived sanitizing");
            }
            let _ = excerpt(&rendered.summary, 120);
        }
    }
});
