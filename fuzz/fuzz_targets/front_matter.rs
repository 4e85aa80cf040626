//! Fuzz target: splitting a file into front matter and body (BOM, CRLF, fences).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let text = broadsheet::content::normalise(text.to_string());
        if let Ok(split) = broadsheet::content::split(&text) {
            assert!(split.body_line >= 3);
            assert!(text.len() >= split.front_matter.len() + split.body.len());
        }
    }
});
