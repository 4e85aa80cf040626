//! Rebuilds into an existing output folder: unchanged files keep their bytes and mtimes,
//! changed ones are replaced, removed articles disappear, and the result is byte-identical
//! to a clean build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use common::{broadsheet, stderr, stdout};

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
    assert!(broadsheet(&site, &["build", "-o", clean.to_str().unwrap()]).status.success());
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
