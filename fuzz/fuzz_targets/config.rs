//! Fuzz target: config.toml parsing and its checks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = broadsheet::config::Config::parse(text) {
            assert!(config.base_url.ends_with('/'));
            assert!(config.articles_per_page > 0);
            assert!(config.base_path().starts_with('/'));
        }
    }
});
