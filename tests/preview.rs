//! The preview server's patch (article edits taken in without rebuilding the model) serves
//! exactly what a full build of the same files serves, and is refused whenever the edit could
//! change the model's shape.

mod common;

use std::path::{Path, PathBuf};

use broadsheet::cache::Cache;
use broadsheet::serve::Preview;
use broadsheet::BuildOptions;
use chrono::{DateTime, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn options(site: &Path, now: DateTime<Utc>) -> BuildOptions {
    BuildOptions { now, ..BuildOptions::read_only(site.to_path_buf(), false, false) }
}

/// Every file a build of `site` publishes (the output of a real `build`).
fn published(site: &Path, scratch: &Path) -> Vec<String> {
    let out = scratch.join("listing");
    let run = common::broadsheet(site, &["build", "--no-cache", "-o", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let files: Vec<String> =
        common::read_tree(&out).into_keys().filter(|f| f != ".broadsheet-output").collect();
    std::fs::remove_dir_all(&out).unwrap();
    files
}

fn body(preview: &Preview, file: &str) -> Vec<u8> {
    let found = preview.get(&format!("/{file}")).unwrap().unwrap_or_else(|| panic!("{file} is served"));
    found.bytes.to_vec()
}

fn related_section(preview: &Preview, file: &str) -> String {
    let html = String::from_utf8(body(preview, file)).unwrap();
    let start = html.find("class=\"related-news\"").expect("a related-news sidebar");
    html[start..].split("</aside>").next().unwrap().to_string()
}

const TOPICS: [(&str, &str, &str); 6] = [
    ("world", "volcano", "volcano eruption lava ash crater magma evacuation"),
    ("world", "football", "football league striker goalkeeper penalty stadium"),
    ("world", "election", "election ballot parliament coalition candidate turnout"),
    ("tech", "chips", "semiconductor wafer foundry lithography transistor fab"),
    ("tech", "storage", "database replication shard index query latency"),
    ("tech", "rates", "bank interest inflation mortgage lending deposit"),
];

fn article(title: &str, day: u32, words: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-11-{day:02}T09:00:00Z\ntags = [\"News\"]\n+++\n\n{words}. {words}, again: {words}.\n"
    )
}

/// Six articles on six topics, no two sharing a distinctive word.
fn topics_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::write(
        &site.join("config.toml"),
        "title = \"Patch Times\"\nbase_url = \"https://example.org/\"\n",
    );
    for (i, (category, slug, words)) in TOPICS.iter().enumerate() {
        let title = format!("Story about {slug}");
        common::write(
            &site.join(format!("content/{category}/{slug}.md")),
            &article(&title, 10 + i as u32, words),
        );
    }
    (dir, site)
}

#[test]
fn a_patched_preview_serves_what_a_full_build_serves() {
    let (dir, site) = topics_site();
    let opts = options(&site, now());
    let mut cache = Cache::in_memory();
    let before = Preview::build(&opts, &mut cache).unwrap();
    let volcano_page = "world/volcano/index.html";
    assert!(!related_section(&before, volcano_page).contains("Lava reaches the central bank"));

    // The rates story now shares the volcano story's words: sidebars elsewhere change too.
    let rates = PathBuf::from("content/tech/rates.md");
    common::write(&site.join(&rates), &article("Lava reaches the central bank", 15, TOPICS[0].2));
    let patched =
        before.patch(std::slice::from_ref(&rates), &opts, &mut cache).expect("a text edit is patched");
    let patched = patched.unwrap();
    assert_eq!((cache.stats.parsed, cache.stats.rendered), (1, 1), "only the edited file is redone");

    let full = Preview::build(&opts, &mut Cache::in_memory()).unwrap();
    let files = published(&site, dir.path());
    assert!(files.len() > 20, "{files:?}");
    for file in &files {
        assert!(body(&patched, file) == body(&full, file), "{file} differs from a full build");
    }
    let sidebar = related_section(&patched, volcano_page);
    assert!(
        sidebar.contains("Lava reaches the central bank"),
        "the unchanged volcano page's sidebar: {sidebar}"
    );
    assert!(String::from_utf8(body(&patched, "tech/index.html"))
        .unwrap()
        .contains("Lava reaches the central bank"));
}

/// A preview started from the cache a `build` saved serves what a preview started from
/// nothing serves, and parses and renders nothing it found there. The saved cache holds no
/// Markdown, so the preview keeps each file's when it first reads it: an article it does
/// not read again, whose link starts to resolve, is rendered again from that Markdown.
#[test]
fn a_preview_started_from_the_build_cache_serves_what_a_fresh_one_serves() {
    let (dir, site) = topics_site();
    let volcano =
        format!("{}\nSee [the ash report](ash.md).\n", article("Story about volcano", 10, TOPICS[0].2));
    common::write(&site.join("content/world/volcano.md"), &volcano);
    let built = common::broadsheet(&site, &["build"]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let opts = options(&site, now());

    let mut cache = Cache::for_preview(&site);
    let warm = Preview::build(&opts, &mut cache).unwrap();
    assert_eq!((cache.stats.parsed, cache.stats.rendered), (0, 0), "all from the build's cache");
    let cold = Preview::build(&opts, &mut Cache::in_memory()).unwrap();
    for file in &published(&site, dir.path()) {
        assert!(body(&warm, file) == body(&cold, file), "{file} differs from a preview without the cache");
    }

    common::write(&site.join("content/world/ash.md"), &article("Ash report", 17, "ash plume aviation"));
    let rebuilt = Preview::build(&opts, &mut cache).unwrap();
    assert_eq!(cache.stats.parsed, 1, "only the new file is parsed");
    let page = String::from_utf8(body(&rebuilt, "world/volcano/index.html")).unwrap();
    assert!(page.contains(r#"<a href="/world/ash/">the ash report</a>"#), "{page}");
    let fresh = Preview::build(&opts, &mut Cache::in_memory()).unwrap();
    for file in &published(&site, dir.path()) {
        assert!(body(&rebuilt, file) == body(&fresh, file), "{file} differs from a fresh preview");
    }
}

#[test]
fn a_patch_is_refused_whenever_the_shape_of_the_site_could_change() {
    let (_dir, site) = topics_site();
    let opts = options(&site, now());
    let chips = PathBuf::from("content/tech/chips.md");
    let original = std::fs::read_to_string(site.join(&chips)).unwrap();
    let edits: [(&str, String); 7] = [
        ("a new date", original.replace("2026-11-13", "2026-11-01")),
        ("another tag", original.replace("[\"News\"]", "[\"News\", \"Fabs\"]")),
        ("a slug", original.replace("+++\n\n", "slug = \"wafers\"\n+++\n\n")),
        ("a category", original.replace("+++\n\n", "category = \"World\"\n+++\n\n")),
        ("made a draft", original.replace("+++\n\n", "draft = true\n+++\n\n")),
        ("an alias", original.replace("+++\n\n", "aliases = [\"/old/chips/\"]\n+++\n\n")),
        ("broken front matter", original.replace("title = ", "title = = ")),
    ];
    for (what, text) in edits {
        let mut cache = Cache::in_memory();
        let preview = Preview::build(&opts, &mut cache).unwrap();
        common::write(&site.join(&chips), &text);
        assert!(preview.patch(std::slice::from_ref(&chips), &opts, &mut cache).is_none(), "{what}");
        common::write(&site.join(&chips), &original);
    }

    let mut cache = Cache::in_memory();
    let preview = Preview::build(&opts, &mut cache).unwrap();
    let new_article = PathBuf::from("content/tech/new.md");
    common::write(&site.join(&new_article), &article("New", 20, "fresh words"));
    let deleted = PathBuf::from("content/world/football.md");
    std::fs::rename(site.join(&deleted), site.join("football.bak")).unwrap();
    for path in
        [new_article, deleted, "templates/article.html".into(), "config.toml".into(), "static/a.css".into()]
    {
        assert!(
            preview.patch(std::slice::from_ref(&path), &opts, &mut cache).is_none(),
            "{}",
            path.display()
        );
    }

    // An editor's temporary file that is gone again, and hidden files, change nothing.
    let harmless = [PathBuf::from("content/tech/4913"), PathBuf::from("content/tech/.chips.md.swx")];
    assert!(preview.patch(&harmless, &opts, &mut cache).is_some_and(|r| r.is_ok()));
}

#[test]
fn a_patch_is_refused_once_a_scheduled_article_comes_due() {
    let (_dir, site) = common::site_copy("basic");
    let mut cache = Cache::in_memory();
    let preview = Preview::build(&options(&site, now()), &mut cache).unwrap();
    let chips = PathBuf::from("content/tech/chips.md");
    let text = std::fs::read_to_string(site.join(&chips)).unwrap();
    common::write(&site.join(&chips), &text.replace("Sales rose sharply.", "Sales rose."));
    let later = options(&site, Utc.with_ymd_and_hms(2099, 1, 2, 0, 0, 0).unwrap());
    assert!(preview.patch(std::slice::from_ref(&chips), &later, &mut cache).is_none(), "scheduled.md is due");
    let patched = preview.patch(std::slice::from_ref(&chips), &options(&site, now()), &mut cache);
    assert!(patched.is_some_and(|r| r.is_ok()), "before it is due, the edit is patched");
}
