//! Fuzz target: the whole article parse (front matter, checks, dates, slugs), then Markdown.
#![no_main]
use std::path::Path;

use broadsheet::config::MarkdownConfig;
use broadsheet::content::{normalise, Article, ParseContext};
use broadsheet::markdown::{render, KeepLinks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let ctx = ParseContext { tz: chrono_tz::Europe::Berlin, default_author: "Desk" };
        match Article::parse(Path::new("content/news/a.md"), &normalise(text.to_string()), &ctx) {
            Ok(article) => {
                assert!(!article.slug.is_empty() && !article.slug.contains(['/', '\\']));
                assert!(article.aliases.iter().all(|a| !a.split('/').any(|s| s == "..")));
                let _ = render(&article.markdown, &MarkdownConfig::default(), &KeepLinks);
            }
            Err(errors) => assert!(!errors.is_empty()),
        }
    }
});
