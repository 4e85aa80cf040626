//! Golden-file tests: each fixture under tests/fixtures/<case>/site is built and every output
//! file is compared byte for byte with tests/fixtures/<case>/expected/. Missing and extra files
//! fail. Regenerate with `BROADSHEET_BLESS=1 cargo test --test golden`.

mod common;

use std::path::Path;

use broadsheet::{build, BuildOptions};
use chrono::TimeZone;

/// Builds fixture `site_case` (with `base_url` replaced when given) and compares the output
/// with tests/fixtures/`case`/expected.
fn check_golden(case: &str, site_case: &str, base_url: Option<&str>) {
    let (_dir, site) = common::site_copy(site_case);
    let out = site.parent().unwrap().join("out");
    let options = BuildOptions {
        source: site.clone(),
        output: Some(out.clone()),
        drafts: false,
        future: false,
        base_url: base_url.map(str::to_string),
        now: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
        cancel: None,
        use_cache: true,
    };
    let report = build(&options).unwrap_or_else(|e| panic!("{case} failed to build: {e}"));
    assert_eq!(report.cache.parse_hits, 0, "the first build has no cache");
    let actual = common::read_tree(&out);
    // A second build into a fresh folder takes every article from the cache and must make
    // the same bytes.
    let again = site.parent().unwrap().join("again");
    let report = build(&BuildOptions { output: Some(again.clone()), ..options })
        .unwrap_or_else(|e| panic!("{case} failed to rebuild: {e}"));
    assert_eq!((report.cache.parsed, report.cache.rendered), (0, 0), "{:?}", report.cache);
    assert!(report.cache.parse_hits > 0 && report.cache.render_hits > 0, "{:?}", report.cache);
    assert!(common::read_tree(&again) == actual, "a build from the cache differs from a clean build");
    let expected_dir = common::fixture(case).join("expected");
    if std::env::var_os("BROADSHEET_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &actual {
            let target = expected_dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
        return;
    }
    compare(&expected_dir, &actual);
}

fn compare(expected_dir: &Path, actual: &std::collections::BTreeMap<String, Vec<u8>>) {
    let expected = common::read_tree(expected_dir);
    let missing: Vec<&String> = expected.keys().filter(|k| !actual.contains_key(*k)).collect();
    let extra: Vec<&String> = actual.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(missing.is_empty(), "files not built: {missing:?} (BROADSHEET_BLESS=1 regenerates)");
    assert!(extra.is_empty(), "unexpected files: {extra:?} (BROADSHEET_BLESS=1 regenerates)");
    for (path, bytes) in &expected {
        let got = &actual[path];
        if got != bytes {
            let (e, g) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(got));
            let line = e.lines().zip(g.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
            panic!("{path} differs from the golden file at line {line}:\nexpected: {:?}\n     got: {:?}\n(BROADSHEET_BLESS=1 regenerates)",
                e.lines().nth(line.saturating_sub(1)).unwrap_or(""), g.lines().nth(line.saturating_sub(1)).unwrap_or(""));
        }
    }
}

#[test]
fn basic_site_matches_golden_files() {
    check_golden("basic", "basic", None);
}

#[test]
fn a_base_url_with_a_path_matches_golden_files() {
    check_golden("subpath", "basic", Some("https://example.org/news/"));
}
