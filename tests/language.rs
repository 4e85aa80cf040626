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

#[test]
fn text_without_spaces_has_related_news_and_reading_times() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    write(&site.join("config.toml"), "language = \"zh-TW\"\n");
    let article = |name: &str, title: &str, date: &str, body: &str| {
        write(
            &site.join(format!("content/news/{name}.md")),
            &format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n{body}\n"),
        );
    };
    article(
        "a",
        "立法院三讀通過國防預算",
        "2026-11-20T09:00:00Z",
        "立法院今天三讀通過明年度總預算，其中國防預算大幅增加。",
    );
    article(
        "b",
        "在野黨批評國防預算增加",
        "2026-11-21T09:00:00Z",
        "在野黨批評立法院通過的國防預算大幅增加。",
    );
    article(
        "c",
        "颱風明天登陸東部",
        "2026-11-22T09:00:00Z",
        &"氣象局發布颱風警報，東部沿海地區注意強風豪雨。".repeat(40),
    );
    let out = broadsheet(site, &["related", "a"]);
    let shown = common::stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = shown.split(" 2. ").next().unwrap();
    assert!(first.contains(" 1. 在野黨批評國防預算增加") && first.contains("shared words:"), "{shown}");
    assert!(first.contains("國防") && first.contains("預算"), "{shown}");
    assert!(
        !shown.contains("颱風明天登陸東部"),
        "the typhoon shares no words, so it is not listed:\n{shown}"
    );

    let out = broadsheet(site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 40 sentences of 21 characters (and 2 commas): 840 characters, 420 words, 2 minutes.
    let typhoon = page(site, "news/c/index.html");
    assert!(typhoon.contains("\"wordCount\":420"), "{typhoon}");
    assert!(typhoon.contains("2 min read"), "{typhoon}");
}

#[test]
fn the_themes_words_follow_the_language_and_config_strings() {
    let (_dir, site) = site_with("language = \"de\"\n\n[strings]\nrelated_news = \"Mehr zum Thema\"\n");
    // `[strings]` sits after the fixture's tables' keys would: move it to the end.
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    let (head, tail) = config.split_once("[strings]").unwrap();
    let (strings, rest) = tail.split_once("\n\n").unwrap();
    write(&site.join("config.toml"), &format!("{head}{rest}\n[strings]{strings}\n"));
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = page(&site, "world/summit/index.html");
    for words in
        ["<h2>Mehr zum Thema</h2>", "Min. Lesezeit", ">Startseite</a>", "Zum Inhalt springen", "Quelle:"]
    {
        assert!(article.contains(words), "{words}:\n{article}");
    }
    assert!(!article.contains("Related news") && !article.contains("min read"), "{article}");
    let day = page(&site, "2026/11/20/index.html");
    assert!(day.contains("<title>Nachrichten vom"), "{day}");
    assert!(page(&site, "tags/diplomacy/index.html").contains("<title>Thema „Diplomacy“"));
    let search = page(&site, "search/index.html");
    assert!(search.contains("\"type_to_search\":\"Suchbegriff eingeben.\""), "{search}");
}

#[test]
fn an_unknown_strings_key_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("config.toml"), "title = \"T\"\n\n[strings]\nrelated_newz = \"Siehe auch\"\n");
    write(&dir.path().join("content/a/b.md"), "+++\ntitle = \"B\"\ndate = 2026-11-20\n+++\nText.\n");
    let out = broadsheet(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown key `related_newz` in `[strings]`"), "{err}");
    assert!(err.contains("config.toml:4") && err.contains("did you mean `related_news`?"), "{err}");
}

#[test]
fn a_strings_placeholder_the_phrase_does_not_fill_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config.toml"),
        "title = \"T\"\n\n[strings]\nmin_read = \"{minute} Min.\"\nrelated_news = \"Siehe {x}\"\nnewer = \"{Neuer}\"\n",
    );
    write(&dir.path().join("content/a/b.md"), "+++\ntitle = \"B\"\ndate = 2026-11-20\n+++\nText.\n");
    let out = broadsheet(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`[strings]` `min_read` has `{minute}`, which is never filled in"), "{err}");
    assert!(err.contains("config.toml:4") && err.contains("this text fills `{minutes}`"), "{err}");
    assert!(err.contains("`related_news` has `{x}`") && err.contains("config.toml:5"), "{err}");
    assert!(err.contains("this text has no placeholders"), "{err}");
    assert!(!err.contains("Neuer"), "a brace around other text is text:\n{err}");
}
