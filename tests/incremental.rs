//! Rebuilds into an existing output folder: unchanged files keep their bytes and mtimes,
//! changed ones are replaced, removed articles disappear, and the result is byte-identical
//! to a clean build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use common::{broadsheet, stderr, stdout, write};

fn mtimes(root: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_string_lossy().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_one_file_edit_rewrites_only_what_changed_and_matches_a_clean_build() {
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let before = mtimes(&site.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(50));

    let article = site.join("content/tech/chips.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("Sales rose sharply.", "Sales rose sharply in Asia.")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = mtimes(&site.join("public"));

    let rewritten: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(rewritten.contains(&&"tech/chips/index.html".to_string()), "{rewritten:?}");
    assert!(
        !rewritten.contains(&&"style.css".to_string())
            && !rewritten.contains(&&"world/summit/index.html".to_string()),
        "{rewritten:?}"
    );
    assert!(rewritten.len() < after.len() / 2, "only a few files change: {rewritten:?}");
    assert!(stdout(&out).contains(&format!("({} written, ", rewritten.len())), "{}", stdout(&out));

    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(
        common::read_tree(&site.join("public")),
        common::read_tree(&clean),
        "byte-identical to a clean build"
    );
}

#[test]
fn removed_articles_disappear_and_foreign_files_stay() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    std::fs::write(site.join("public/CNAME"), "news.example.org\n").unwrap();
    std::fs::remove_file(site.join("content/tech/chips.md")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.join("public/tech/chips").exists(), "the removed article's page and folder are gone");
    assert!(!site.join("public/tags/chips").exists());
    assert_eq!(
        std::fs::read_to_string(site.join("public/CNAME")).unwrap(),
        "news.example.org\n",
        "a file Broadsheet did not write is kept"
    );
}

/// The `cache:` line of `build --timings`.
fn cache_line(out: &std::process::Output) -> String {
    stdout(out).lines().find(|l| l.trim_start().starts_with("cache:")).unwrap_or_default().trim().to_string()
}

#[test]
fn the_build_cache_reuses_only_what_is_provably_the_same() {
    let (dir, site) = common::site_copy("basic");
    write(
        &site.join("content/world/links.md"),
        "+++\ntitle = \"Links\"\ndate = 2026-11-20T08:00:00Z\n+++\nSee [the chips story](../tech/chips.md).\n",
    );
    let first = broadsheet(&site, &["build", "--timings"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(cache_line(&first).contains("7 of 7 articles parsed"), "{}", cache_line(&first));
    assert!(site.join(".broadsheet-cache/articles.bin").is_file());
    let links = site.join("public/world/links/index.html");
    assert!(std::fs::read_to_string(&links).unwrap().contains(r#"href="/tech/chips/""#));

    // Nothing changed: nothing is parsed or rendered again.
    let again = broadsheet(&site, &["build", "--timings"]);
    assert!(
        cache_line(&again).contains("0 of 7 articles parsed, 0 of 5 bodies rendered"),
        "{}",
        cache_line(&again)
    );

    // The linked article gets a new URL. Only its file changed, but the body that links to
    // it must be rendered again: the link now resolves differently.
    let chips = site.join("content/tech/chips.md");
    let text = std::fs::read_to_string(&chips).unwrap();
    std::fs::write(&chips, text.replace("tags = [", "slug = \"chip-sales\"\ntags = [")).unwrap();
    let moved = broadsheet(&site, &["build", "--timings"]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    assert!(
        cache_line(&moved).contains("1 of 7 articles parsed, 2 of 5 bodies rendered"),
        "{}",
        cache_line(&moved)
    );
    assert!(std::fs::read_to_string(&links).unwrap().contains(r#"href="/tech/chip-sales/""#));

    // A setting that changes every rendering empties the cache.
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[markdown]\nsmart_punctuation = false\n")).unwrap();
    let reconfigured = broadsheet(&site, &["build", "--timings"]);
    assert!(cache_line(&reconfigured).contains("7 of 7 articles parsed"), "{}", cache_line(&reconfigured));

    // A damaged cache is ignored, and the result is the same as a build without one.
    std::fs::write(site.join(".broadsheet-cache/articles.bin"), b"\x01\x02 not a cache").unwrap();
    let damaged = broadsheet(&site, &["build", "--timings"]);
    assert!(damaged.status.success(), "{}", stderr(&damaged));
    assert!(cache_line(&damaged).contains("7 of 7 articles parsed"), "{}", cache_line(&damaged));
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(common::read_tree(&site.join("public")), common::read_tree(&clean));
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let (_dir, site) = common::site_copy("basic");
    let out = broadsheet(&site, &["build", "--no-cache", "--timings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.join(".broadsheet-cache").exists());
    assert!(cache_line(&out).contains("6 of 6 articles parsed"), "{}", cache_line(&out));
}
