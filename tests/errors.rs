//! Broken sites: every problem is reported in one run with file, line and a fix, the exit
//! code is 1, and the previous output folder is left untouched.

mod common;

use common::{broadsheet, stderr, write};

/// Asserts that one error block names the message, the location and the help.
fn assert_reported(err: &str, message: &str, location: &str, help: &str) {
    let block = err
        .split("error: ")
        .find(|b| b.contains(message))
        .unwrap_or_else(|| panic!("no error `{message}` in:\n{err}"));
    assert!(block.contains(&format!("--> {location}")), "`{message}` should point at {location}:\n{block}");
    assert!(block.contains(help), "`{message}` should say `{help}`:\n{block}");
}

#[test]
fn every_content_error_is_reported_in_one_run() {
    let (_dir, site) = common::site_copy("invalid/many-errors");
    std::fs::write(
        site.join("content/world/latin1.md"),
        b"+++\ntitle = \"Caf\xe9\"\ndate = 2026-11-20\n+++\n",
    )
    .unwrap();
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_reported(&err, "unknown key `catgory`", "content/world/typo.md:4:1", "did you mean `category`?");
    assert_reported(&err, "missing `date`", "content/world/no-date.md:1", "add the publication date");
    assert_reported(&err, "invalid date", "content/world/bad-date.md:3", "write dates like `2026-11-24`");
    assert_reported(
        &err,
        "two articles have the URL /world/same/",
        "content/world/dup-two.md:4",
        "another `slug`",
    );
    assert!(
        err.contains("content/world/dup-one.md:4 and content/world/dup-two.md"),
        "both files and their `slug` lines are named:\n{err}"
    );
    assert_reported(&err, "the file is empty", "content/world/empty.md", "add front matter");
    assert_reported(
        &err,
        "no front matter",
        "content/world/no-front-matter.md:1:1",
        "start the file with `+++`",
    );
    assert_reported(
        &err,
        "slug `../../../outside` contains a path separator",
        "content/world/escape.md:4",
        "one URL segment",
    );
    assert_reported(
        &err,
        "alias `/../../../etc/evil/` would leave the output folder",
        "content/world/escape.md:5",
        "a path inside the site",
    );
    assert_reported(
        &err,
        "related article `no-such-article` does not exist",
        "content/world/pin.md:4",
        "use the slug of a published article",
    );
    assert_reported(&err, "not valid UTF-8", "content/world/latin1.md:2", "save the file as UTF-8");
    assert!(err.contains("build failed with 10 problems"), "{err}");
    assert!(!site.join("public").exists(), "a failed build writes no output");
}

#[test]
fn escaping_slugs_write_nothing_outside_the_site() {
    let (dir, site) = common::site_copy("invalid/many-errors");
    let before = common::read_tree(dir.path());
    let out = broadsheet(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::read_tree(dir.path()), before, "nothing was written anywhere");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let before = common::read_tree(&site.join("public"));
    write(&site.join("content/world/broken.md"), "+++\ntitle = \"Broken\"\n+++\n");
    let out = broadsheet(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::read_tree(&site.join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders are removed: {leftovers:?}");
    drop(dir);
}

#[test]
fn a_template_error_names_template_line_and_page() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("templates/article.html"), "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title }}</h1>\n<p>{{ article.no_such_field }}</p>\n{% endblock content %}\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--> templates/article.html:4"), "{err}");
    assert!(err.contains("no_such_field"), "{err}");
    // The first article page in page order (the newest), on every run.
    assert!(err.contains("while rendering /world/talks/index.html"), "names the page:\n{err}");
    for _ in 0..3 {
        assert!(stderr(&broadsheet(&site, &["build"])).contains("while rendering /world/talks/index.html"));
    }
}

#[test]
fn an_error_in_a_parent_template_or_macro_file_names_that_file_and_line() {
    let (_dir, site) = common::site_copy("basic");
    let builtin = |name: &str| {
        std::fs::read_to_string(format!("{}/templates/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    // Tera blames the page's template (index.html) for what its parent or a macro does.
    let base =
        builtin("base.html").replacen("<main id=\"main\"", "{{ page.no_such_value }}\n<main id=\"main\"", 1);
    let line = base.lines().position(|l| l.contains("no_such_value")).unwrap() + 1;
    write(&site.join("templates/base.html"), &base);
    let err = stderr(&broadsheet(&site, &["build"]));
    assert!(err.contains(&format!("--> templates/base.html:{line}")), "{err}");
    std::fs::remove_file(site.join("templates/base.html")).unwrap();

    let macros = builtin("macros.html").replacen(
        "{{ article.date.display }}",
        "{{ article.date.display | no_such_filter }}",
        1,
    );
    let line = macros.lines().position(|l| l.contains("no_such_filter")).unwrap() + 1;
    write(&site.join("templates/macros.html"), &macros);
    let err = stderr(&broadsheet(&site, &["build"]));
    assert!(err.contains("Filter 'no_such_filter' not found"), "{err}");
    assert!(err.contains(&format!("--> templates/macros.html:{line}")), "{err}");
    std::fs::remove_file(site.join("templates/macros.html")).unwrap();

    write(&site.join("templates/article.html"), "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title | upper_case }}</h1>\n{% endblock content %}\n");
    let err = stderr(&broadsheet(&site, &["build"]));
    assert!(err.contains("--> templates/article.html:3"), "an unknown filter has its line:\n{err}");
}

#[test]
fn a_template_syntax_error_names_the_line() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("templates/article.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ article.title \n{% endblock content %}\n",
    );
    let err = stderr(&broadsheet(&site, &["build"]));
    assert!(err.contains("--> templates/article.html:4"), "{err}");
    assert!(err.contains("Failed to parse 'article.html'"), "{err}");
}

#[test]
fn a_partial_that_reads_page_values_names_the_partial() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("templates/partials/footer.html"), "<footer>\n{{ page.title }}\n</footer>\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--> templates/partials/footer.html:2"), "{err}");
    assert!(err.contains("while rendering the site-wide partials"), "{err}");
    assert!(err.contains("sees only `site`"), "{err}");
    assert!(!site.join("public").exists(), "nothing was written");
}

#[test]
fn config_errors_suggest_the_right_key() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("config.toml"), "title = \"x\"\ntimezon = \"UTC\"\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_reported(&err, "unknown key `timezon`", "config.toml:2:1", "did you mean `timezone`?");
}

#[test]
fn every_problem_of_a_config_is_reported_with_its_line() {
    let (_dir, site) = common::site_copy("basic");
    let config = "title = \"x\"\nbase_url = \"https://example.org/news/?page=1\"\nlanguage = \"english!!\"\n\
        timezone = \"Mars/Olympus\"\ndate_format = \"\"\n\n[related]\nmin_score = nan\n\n\
        [[categories]]\nname = \"News\"\n\n[[categories]]\nname = \"news\"\n";
    write(&site.join("config.toml"), config);
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_reported(
        &err,
        "base_url `https://example.org/news/?page=1` has a query",
        "config.toml:2",
        "public address",
    );
    assert_reported(&err, "`language` `english!!` is not a language tag", "config.toml:3", "BCP 47");
    assert_reported(&err, "unknown time zone `Mars/Olympus`", "config.toml:4", "IANA");
    assert_reported(&err, "`date_format` is empty", "config.toml:5", "remove the key");
    assert_reported(
        &err,
        "`related.min_score` must be a number of 0 or more, not NaN",
        "config.toml:8",
        "remove the key",
    );
    assert_reported(&err, "`[[categories]]` names `news` twice", "config.toml:14", "one entry");
    assert!(err.contains("build failed with 6 problems"), "{err}");
    for (base_url, why) in [
        ("ftp://example.org/", "is a `ftp:` address; a web site needs `https:` or `http:`"),
        ("https://exa mple.org/", "contains a space"),
    ] {
        write(&site.join("config.toml"), &format!("base_url = \"{base_url}\"\n"));
        let err = stderr(&broadsheet(&site, &["build"]));
        assert_reported(&err, &format!("base_url `{base_url}` {why}"), "config.toml:1", "public address");
    }
    write(&site.join("config.toml"), "[[categories]]\nname = \"World\"\n\n[[categories]]\nname = \"!!!\"\n");
    let err = stderr(&broadsheet(&site, &["build"]));
    assert_reported(&err, "category `!!!` has no letters or digits", "config.toml:5", "a name like");
    write(&site.join("config.toml"), "language = \"english\"\n");
    let err = stderr(&broadsheet(&site, &["build"]));
    assert_reported(
        &err,
        "`language` `english` is not a language tag",
        "config.toml:1",
        "two- or three-letter code",
    );
    write(&site.join("config.toml"), "title = \"x\"\n");
    for (flag, why) in [
        ("ftp://example.org/", "is a `ftp:` address"),
        ("https:///nohost/", "has no host name"),
        ("https://example.org/news//", "has an empty part (`//`)"),
    ] {
        let out = broadsheet(&site, &["build", "--base-url", flag]);
        assert_eq!(out.status.code(), Some(2), "a usage error: {}", stderr(&out));
        assert!(stderr(&out).contains(&format!("--base-url `{flag}` {why}")), "{}", stderr(&out));
    }
    assert!(!site.join("public").exists(), "nothing built with a bad address");
    write(&site.join("config.toml"), "categories = \"News\"\n");
    let err = stderr(&broadsheet(&site, &["build"]));
    assert_reported(
        &err,
        "expected a sequence",
        "config.toml:1:14",
        "write `[[categories]]` on a line of its own",
    );
}

#[test]
fn a_date_format_with_a_time_of_day_needs_a_day_format_before_anything_is_built() {
    let (_dir, site) = common::site_copy("basic");
    let built = broadsheet(&site, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = common::read_tree(&site.join("public"));
    write(&site.join("config.toml"), "title = \"x\"\ndate_format = \"%H:%M, %-d %B %Y\"\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_reported(&err, "need a `day_format` of their own", "config.toml:2", "day_format = \"%-d %B %Y\"");
    assert_eq!(common::read_tree(&site.join("public")), before, "the last build's output is kept");

    write(
        &site.join("config.toml"),
        "title = \"x\"\ndate_format = \"%H:%M, %-d %B %Y\"\nday_format = \"%A %-d %B %Y\"\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let archive = std::fs::read_to_string(site.join("public/archive/index.html")).unwrap();
    assert!(archive.contains("Friday 20 November 2026"), "days use day_format:\n{archive}");
    let front = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        front.contains("<time datetime=\"2026-11-20\">Friday 20 November 2026</time>"),
        "the edition is a day:\n{front}"
    );
    let article = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    assert!(
        article.contains(">09:00, 20 November 2026</time>"),
        "moments use date_format, with no time_format after a time it shows:\n{article}"
    );
}

#[test]
fn a_broken_link_between_articles_is_a_warning_with_its_line() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("content/world/linker.md"), "+++\ntitle = \"Links\"\ndate = 2026-11-20\n+++\n\nGood: [summit](summit.md), [rocket](@/tech/launch/rocket.md).\n\nBad: [gone](gone.md).\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: broken link: `gone.md` is not a published article\n  --> content/world/linker.md:8"
        ),
        "{err}"
    );
    let html = std::fs::read_to_string(site.join("public/world/linker/index.html")).unwrap();
    assert!(html.contains("<a href=\"/world/summit/\">summit</a>"), "{html}");
    assert!(html.contains("<a href=\"/tech/rocket/\">rocket</a>"), "{html}");
}

/// A small site in a temporary folder: config.toml and the given files.
fn small_site(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site.join("config.toml"), "base_url = \"https://example.org/\"\n");
    for (path, text) in files {
        write(&site.join(path), text);
    }
    (dir, site)
}

#[test]
fn an_alias_on_a_page_or_file_of_the_site_is_an_error_with_its_line() {
    let (_dir, site) = small_site(&[
        ("content/news/good.md", "+++\ntitle = \"Good\"\ndate = 2026-01-10\n+++\nBody.\n"),
        (
            "content/news/old.md",
            "+++\ntitle = \"Old\"\ndate = 2026-01-12\naliases = [\n  \"/404.html\",\n  \"/index.html\",\n  \"/news/\",\n  \"/atom.xml\",\n  \"/2026/01/10/\",\n  \"/moved/\",\n]\n+++\nBody.\n",
        ),
    ]);
    // Several runs: which page won used to depend on the threads' timing.
    for _ in 0..3 {
        let out = broadsheet(&site, &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_reported(
            &err,
            "alias `/404.html` would replace the 404 page",
            "content/news/old.md:5",
            "remove the alias",
        );
        assert_reported(
            &err,
            "alias `/index.html` would replace the front page",
            "content/news/old.md:6",
            "remove the alias",
        );
        assert_reported(
            &err,
            "alias `/news/` would replace the category page `news`",
            "content/news/old.md:7",
            "remove the alias",
        );
        assert_reported(
            &err,
            "alias `/atom.xml/` would turn the site's file /atom.xml into a folder",
            "content/news/old.md:8",
            "remove the alias",
        );
        assert_reported(
            &err,
            "alias `/2026/01/10/` would replace the daily digest of 2026-01-10",
            "content/news/old.md:9",
            "remove the alias",
        );
        assert!(!err.contains("/moved/"), "an alias the site does not use is fine:\n{err}");
        assert!(err.contains("build failed with 5 problems"), "{err}");
        assert!(!site.join("public").exists());
    }
    let check = broadsheet(&site, &["check"]);
    assert_eq!(check.status.code(), Some(1), "check reports it too");
    assert!(
        stderr(&check).contains("alias `/index.html` would replace the front page"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_copied_file_in_the_place_of_a_page_is_an_error_and_a_static_page_a_warning() {
    let (_dir, site) = small_site(&[
        ("content/news/good.md", "+++\ntitle = \"Good\"\ndate = 2026-01-10\n+++\nBody.\n"),
        // Copied next to every article of content/news/: it would replace their pages.
        ("content/news/index.html", "<p>asset</p>"),
        ("static/archive", "a file where /archive/ must be a folder"),
    ]);
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_reported(
        &err,
        "the file would be published as /news/good/index.html, replacing the article content/news/good.md",
        "content/news/index.html",
        "rename the file",
    );
    assert_reported(
        &err,
        "the file is published as /archive, where the archive needs a folder",
        "static/archive",
        "rename the file",
    );

    // A static/ file may replace a page on purpose, as static/style.css replaces the
    // theme's: the build publishes it and says so.
    std::fs::remove_file(site.join("content/news/index.html")).unwrap();
    std::fs::remove_file(site.join("static/archive")).unwrap();
    write(&site.join("static/index.html"), "<p>our own front page</p>");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: replaces the front page in the output"), "{err}");
    assert!(err.contains("--> static/index.html"), "{err}");
    let front = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert_eq!(front, "<p>our own front page</p>");
    let summary = common::stdout(&out);
    let (files, written) =
        (summary.split(" files").next().unwrap(), summary.split(" written").next().unwrap());
    let count = |text: &str| text.rsplit(|c: char| !c.is_ascii_digit()).next().unwrap().to_string();
    assert_eq!(count(files), count(written), "each file counted once: {summary}");
}

#[test]
fn values_no_site_could_publish_are_errors_with_their_line() {
    let long = "x".repeat(300);
    let (_dir, site) = small_site(&[
        (
            "content/news/script.md",
            "+++\ntitle = \"Story\"\ndate = 2026-01-10\nsource = { name = \"Wire\", url = \" JavaScript:alert(1)\" }\n+++\nx\n",
        ),
        // In UTC this is the year 10000, which RSS's dates cannot show (it panicked).
        ("content/news/far.md", "+++\ntitle = \"Far\"\ndate = 9999-12-31T23:00:00-05:00\n+++\nx\n"),
        (
            "content/news/long.md",
            &format!("+++\ntitle = \"Long\"\ndate = 2026-01-10\ntags = [\"{long}\"]\nslug = \"{long}\"\n+++\nx\n"),
        ),
        (
            "content/news/aliases.md",
            "+++\ntitle = \"Aliases\"\ndate = 2026-01-10\naliases = [\"/p/?id=5\", \"/q/#top\"]\n+++\nx\n",
        ),
        ("content/news/twice.md", "+++\ntitle = \"Twice\"\ndate = 2026-01-10\naliases = [\"/old/\", \"/old\"]\n+++\nx\n"),
        ("content/news/empty-slug.md", "+++\ntitle = \"Empty\"\ndate = 2026-01-10\nslug = \" \"\n+++\nx\n"),
    ]);
    let out = broadsheet(&site, &["build", "--future"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exits with an error, not a panic:\n{err}");
    assert_reported(&err, "would run a script when clicked", "content/news/script.md:4:10", "web address");
    assert_reported(&err, "is out of range", "content/news/far.md:3:8", "write a date like");
    assert_reported(
        &err,
        "slug `xxxxxxxxxxxxxxxxxxxx…` is 300 bytes long",
        "content/news/long.md:5:8",
        "shorten",
    );
    assert_reported(
        &err,
        "the slug of tag `xxxxxxxxxxxxxxxxxxxx…` is 300 bytes long",
        "content/news/long.md:4:",
        "shorter",
    );
    assert_reported(
        &err,
        "alias `/p/?id=5` has a query or fragment",
        "content/news/aliases.md:4:",
        "a path inside",
    );
    assert_reported(
        &err,
        "alias `/q/#top` has a query or fragment",
        "content/news/aliases.md:4:",
        "a path inside",
    );
    assert_reported(&err, "slug ` ` is empty", "content/news/empty-slug.md:4:8", "one URL segment");
    assert_reported(
        &err,
        "the URL /old/ is listed twice in its aliases",
        "content/news/twice.md",
        "remove the repeated",
    );
    assert!(err.contains("build failed with 8 problems"), "{err}");
}

#[test]
fn a_pinned_draft_and_a_malformed_image_or_author_say_what_is_wrong() {
    let (_dir, site) = small_site(&[
        ("content/news/draft.md", "+++\ntitle = \"Draft\"\ndate = 2026-01-10\ndraft = true\n+++\nx\n"),
        ("content/news/pin.md", "+++\ntitle = \"Pin\"\ndate = 2026-01-10\nrelated = [\"draft\"]\n+++\nx\n"),
        (
            "content/news/image.md",
            "+++\ntitle = \"Image\"\ndate = 2026-01-10\nimage = { alt = \"A chart\" }\n+++\nx\n",
        ),
        ("content/news/author.md", "+++\ntitle = \"Author\"\ndate = 2026-01-10\nauthor = 3\n+++\nx\n"),
    ]);
    let err = stderr(&broadsheet(&site, &["build"]));
    assert_reported(
        &err,
        "related article `draft` is a draft, so it is not published",
        "content/news/pin.md:4",
        "--drafts",
    );
    assert_reported(
        &err,
        "`image` must be a file name, or a table with `src`",
        "content/news/image.md:4:9",
        "TOML",
    );
    assert_reported(
        &err,
        "`author` must be a name or a list of names",
        "content/news/author.md:4:10",
        "TOML",
    );
}

#[test]
fn tags_that_share_a_slug_but_not_a_spelling_are_a_warning() {
    let (_dir, site) = small_site(&[
        ("content/news/c.md", "+++\ntitle = \"C\"\ndate = 2026-01-10\ntags = [\"C\"]\n+++\nx\n"),
        (
            "content/news/cpp.md",
            "+++\ntitle = \"C++\"\ndate = 2026-01-11\ntags = [\"C++\", \"AI\"]\n+++\nx\n",
        ),
        ("content/news/lower.md", "+++\ntitle = \"ai\"\ndate = 2026-01-12\ntags = [\"ai\"]\n+++\nx\n"),
    ]);
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning: tag `C++` is the same tag as `C`: both have the URL slug `c`"), "{err}");
    assert!(err.contains("--> content/news/cpp.md"), "{err}");
    assert!(!err.contains("`ai`"), "a change of case is the same name:\n{err}");
}

#[test]
fn every_wrong_key_and_value_of_one_file_is_reported_at_its_place() {
    let (_dir, site) = small_site(&[(
        "content/news/many.md",
        "+++\ntitle = 42\ndate = 2026-01-10\ntags = \"x\"\ndraft = \"yes\"\ncatgory = \"a\"\nimage = { alt = \"x\" }\n+++\nx\n",
    )]);
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_reported(
        &err,
        "`title`: invalid type: integer `42`, expected a string",
        "content/news/many.md:2:9",
        "TOML",
    );
    assert_reported(
        &err,
        "`tags`: invalid type: string \"x\", expected a sequence",
        "content/news/many.md:4:8",
        "tags = [\"x\"]",
    );
    assert_reported(
        &err,
        "`draft`: invalid type: string \"yes\", expected a boolean",
        "content/news/many.md:5:9",
        "write `draft = true` or `draft = false`",
    );
    assert_reported(&err, "unknown key `catgory`", "content/news/many.md:6:1", "did you mean `category`?");
    assert_reported(&err, "`image` must be a file name", "content/news/many.md:7:9", "TOML");
    assert!(err.contains("build failed with 5 problems"), "{err}");
    // Hints for a date written another way and for names in one string.
    write(&site.join("content/news/many.md"), "+++\ntitle = \"T\"\ndate = 2026/11/29\n+++\nx\n");
    write(
        &site.join("content/news/tags.md"),
        "+++\ntitle = \"T\"\ndate = 2026-11-29\ntags = \"Markets, Economy\"\n+++\nx\n",
    );
    let err = stderr(&broadsheet(&site, &["build"]));
    assert_reported(
        &err,
        "string values must be quoted",
        "content/news/many.md:3",
        "(year, month, day, with dashes)",
    );
    assert_reported(
        &err,
        "expected a sequence",
        "content/news/tags.md:4:8",
        "`tags = [\"Markets\", \"Economy\"]`",
    );
}
