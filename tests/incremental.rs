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

#[test]
fn a_folder_of_the_last_site_can_become_a_file_and_back() {
    let (dir, site) = common::site_copy("basic");
    write(&site.join("static/foo/bar.txt"), "bar\n");
    write(&site.join("static/foo/deep/baz.txt"), "baz\n");
    assert!(broadsheet(&site, &["build"]).status.success());
    std::fs::remove_dir_all(site.join("static/foo")).unwrap();
    write(&site.join("static/foo"), "now a file\n");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(site.join("public/foo")).unwrap(), "now a file\n");
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(common::read_tree(&site.join("public")), common::read_tree(&clean));
    // And back: the file becomes a folder again.
    std::fs::remove_file(site.join("static/foo")).unwrap();
    write(&site.join("static/foo/bar.txt"), "bar\n");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(site.join("public/foo/bar.txt")).unwrap(), "bar\n");
    let listed = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    };
    assert!(!listed(dir.path()).iter().any(|n| n.contains("broadsheet-tmp")), "{:?}", listed(dir.path()));
}

#[test]
fn an_update_that_changes_every_page_replaces_files_inside_the_same_folder() {
    use std::os::unix::fs::MetadataExt;
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let public = site.join("public");
    std::fs::write(public.join("CNAME"), "news.example.org\n").unwrap();
    let folder = std::fs::metadata(&public).unwrap().ino();
    let summit = std::fs::metadata(public.join("world/summit/index.html")).unwrap().ino();
    // A new title changes every page; a new article adds a folder; a removed one leaves one.
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    std::fs::write(&config, text.replace(&title, "title = \"The Renamed Digest\"")).unwrap();
    write(&site.join("content/tech/fresh.md"), "+++\ntitle = \"Fresh\"\ndate = 2026-11-20\n+++\nNew.\n");
    std::fs::remove_file(site.join("content/tech/chips.md")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));

    assert_eq!(std::fs::metadata(&public).unwrap().ino(), folder, "the output folder itself stays");
    let replaced = std::fs::metadata(public.join("world/summit/index.html")).unwrap();
    assert_ne!(replaced.ino(), summit, "the page is a new file, moved over the old one");
    assert_eq!(std::fs::read_to_string(public.join("CNAME")).unwrap(), "news.example.org\n");
    let mut site_files = common::read_tree(&public);
    site_files.remove("CNAME");
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(site_files, common::read_tree(&clean), "byte-identical to a clean build");
    for entry in walkdir::WalkDir::new(&public).into_iter().map(Result::unwrap) {
        if entry.file_type().is_file() {
            assert_eq!(
                entry.metadata().unwrap().nlink(),
                1,
                "{}: no link left behind",
                entry.path().display()
            );
        }
    }
    let left = common::build_folders(&site);
    assert!(left.is_empty(), "no temporary or backup folder is left: {left:?}");
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

    // So is one whose damage still decodes: one byte of a cached body's HTML changed.
    let cache = site.join(".broadsheet-cache/articles.bin");
    let mut bytes = std::fs::read(&cache).unwrap();
    let at = bytes.windows(4).position(|w| w == b"</p>").expect("a cached body");
    bytes[at + 2] = b'q';
    std::fs::write(&cache, bytes).unwrap();
    let edited = site.join("content/tech/chips.md"); // so that pages are written again
    std::fs::write(&edited, std::fs::read_to_string(&edited).unwrap().replace("Sales", "Sales figures"))
        .unwrap();
    let damaged = broadsheet(&site, &["build", "--timings"]);
    assert!(damaged.status.success(), "{}", stderr(&damaged));
    assert!(cache_line(&damaged).contains("7 of 7 articles parsed"), "{}", cache_line(&damaged));
    std::fs::remove_dir_all(&clean).unwrap();
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

/// (files rendered or copied, files in all) from the `cache:` line of `build --timings`,
/// which says how many files were kept without rendering.
fn pages_rendered(out: &std::process::Output) -> (usize, usize) {
    let line = cache_line(out);
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "kept").unwrap_or_else(|| panic!("no file count in {line}"));
    let (kept, files): (usize, usize) = (words[at - 4].parse().unwrap(), words[at - 2].parse().unwrap());
    (files - kept, files)
}

#[test]
fn pages_whose_inputs_and_files_are_unchanged_are_not_rendered_again() {
    let (dir, site) = common::site_copy("basic");
    let clean_build = |name: &str| {
        let clean = dir.path().join(name);
        assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
        common::read_tree(&clean)
    };
    let first = broadsheet(&site, &["build", "--timings"]);
    let (rendered, files) = pages_rendered(&first);
    assert_eq!(rendered, files, "a first build renders everything");
    assert!(site.join(".broadsheet-cache/pages.bin").is_file());

    // Nothing changed: only files that do not come from templates (feeds, sitemaps, the
    // style sheet) are made again.
    let again = broadsheet(&site, &["build", "--timings"]);
    let (rendered, files) = pages_rendered(&again);
    assert!(rendered <= 12 && files > 40, "{}", cache_line(&again));

    // A page changed by hand (same length, so only its stamp tells) is rendered again and
    // restored.
    let page = site.join("public/world/summit/index.html");
    let original = std::fs::read(&page).unwrap();
    let mut tampered = original.clone();
    let at = tampered.iter().position(|b| *b == b'<').unwrap();
    tampered[at + 1] = b'X';
    std::fs::write(&page, &tampered).unwrap();
    let restored = broadsheet(&site, &["build", "--timings"]);
    assert_eq!(pages_rendered(&restored).0, rendered + 1, "{}", cache_line(&restored));
    assert_eq!(std::fs::read(&page).unwrap(), original);
    // The records now hold the restored file's stamp, and still those of the kept files.
    let settled = broadsheet(&site, &["build", "--timings"]);
    assert_eq!(pages_rendered(&settled).0, rendered, "{}", cache_line(&settled));

    // A new headline re-renders the pages that show it, not the others.
    let chips = site.join("content/tech/chips.md");
    let text = std::fs::read_to_string(&chips).unwrap();
    std::fs::write(&chips, text.replace("Chip makers report record quarter", "Chip makers report a record"))
        .unwrap();
    let edited = broadsheet(&site, &["build", "--timings"]);
    let (after_edit, _) = pages_rendered(&edited);
    assert!(after_edit > rendered + 3 && after_edit < files, "{}", cache_line(&edited));
    assert_eq!(common::read_tree(&site.join("public")), clean_build("clean-1"));

    // A template change re-renders every page.
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock content %}",
    );
    let retemplated = broadsheet(&site, &["build", "--timings"]);
    assert!(retemplated.status.success(), "{}", stderr(&retemplated));
    let (rendered, files) = pages_rendered(&retemplated);
    assert_eq!(rendered, files, "{}", cache_line(&retemplated));
    assert_eq!(common::read_tree(&site.join("public")), clean_build("clean-2"));

    // Records describe the last output folder built: after a build elsewhere, `public/` is
    // rendered whole again.
    let elsewhere = dir.path().join("elsewhere");
    assert!(broadsheet(&site, &["build", "-o", elsewhere.to_str().unwrap()]).status.success());
    let out = broadsheet(&site, &["build", "--timings"]);
    let (rendered, files) = pages_rendered(&out);
    assert_eq!(rendered, files, "{}", cache_line(&out));
}

#[test]
fn a_theme_that_reads_the_environment_is_rendered_again_when_it_changes() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>{{ get_env(name=\"EDITION\", default=\"none\") }} edition</p>{% endblock content %}",
    );
    let build_with = |edition: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .arg("build")
            .env("EDITION", edition)
            .current_dir(&site)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(site.join("public/404.html")).unwrap()
    };
    assert!(build_with("morning").contains("<p>morning edition</p>"));
    assert!(build_with("evening").contains("<p>evening edition</p>"), "the page is not left stale");
}
