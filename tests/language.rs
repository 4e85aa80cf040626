//! Sites in other languages: month and day names, writing direction, the language codes of
//! OpenGraph and Google News, and text without spaces between its words.

mod common;

use common::{broadsheet, stderr, write};
use std::path::Path;

/// The basic fixture with `settings` put first in its config.toml.
fn site_with(settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("{settings}\n{config}"));
    (dir, site)
}

fn page(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join("public").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn dates_are_written_in_the_sites_language() {
    let (_dir, site) = site_with(
        "language = \"de-CH\"\ndate_format = \"%-d. %B %Y\"\nday_format = \"%A, %-d. %B %Y\"\ntime_format = \"%H:%M\"",
    );
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p id=\"d\">{{ \"2026-03-28T09:30:00Z\" | date(format=\"%A %B\", locale=\"fr_FR\") }}</p>{% endblock content %}",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = page(&site, "world/summit/index.html");
    assert!(article.contains(">20. November 2026, 10:00</time>"), "{article}");
    let day = page(&site, "2026/11/20/index.html");
    assert!(day.contains("Freitag, 20. November 2026"), "the digest's day in German:\n{day}");
    let archive = page(&site, "archive/index.html");
    assert!(archive.contains("November 2026") && archive.contains("Freitag, 20. November 2026"), "{archive}");
    assert!(!archive.contains("Friday"), "no English day names:\n{archive}");
    let not_found = page(&site, "404.html");
    assert!(
        not_found.contains("<p id=\"d\">samedi mars</p>"),
        "Tera's date filter takes a locale:\n{not_found}"
    );
    assert!(article.contains("<html lang=\"de-CH\" dir=\"ltr\">"), "{article}");
    assert!(article.contains("<meta property=\"og:locale\" content=\"de_CH\">"), "{article}");
}

#[test]
fn month_names_differ_where_the_language_does() {
    // March is "März" in German, so this shows the names come from the language.
    let (_dir, site) = site_with("language = \"de\"\ndate_format = \"%-d. %B %Y\"");
    write(
        &site.join("content/world/spring.md"),
        "+++\ntitle = \"Frühling\"\ndate = 2026-03-02\n+++\nText.\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(page(&site, "world/spring/index.html").contains(">2. März 2026</time>"));
    assert!(page(&site, "archive/index.html").contains("März 2026"));
}

#[test]
fn right_to_left_languages_set_the_pages_direction() {
    let (_dir, site) = site_with("language = \"ar\"");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for path in ["index.html", "world/summit/index.html", "2026/11/old-summit/index.html"] {
        let html = page(&site, path);
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{path}:\n{html}");
    }
    assert!(page(&site, "index.html").contains("<meta property=\"og:locale\" content=\"ar_EG\">"));
}
