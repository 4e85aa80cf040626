//! The command line as a user meets it: flags, exit codes, the summary line, output safety
//! and template overrides.

mod common;

use common::{broadsheet, stderr, stdout, write};

#[test]
fn help_and_version_succeed_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let help = broadsheet(dir.path(), &["build", "--help"]);
    assert!(help.status.success());
    for flag in ["--source", "--output", "--drafts", "--future", "--base-url"] {
        assert!(stdout(&help).contains(flag), "--help lists {flag}");
    }
    let version = broadsheet(dir.path(), &["--version"]);
    assert_eq!(stdout(&version).trim(), format!("broadsheet {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(broadsheet(dir.path(), &["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(broadsheet(dir.path(), &["frobnicate"]).status.code(), Some(2));
}

#[test]
fn build_with_source_and_output_prints_a_summary() {
    let (dir, site) = common::site_copy("basic");
    let out = broadsheet(dir.path(), &["build", "-s", "site", "-o", "built"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.starts_with("Built 4 articles, "), "{summary}");
    assert!(summary.contains(" files in ") && summary.contains(" s into built"), "{summary}");
    assert!(dir.path().join("built/world/summit/index.html").is_file());
    assert!(!site.join("public").exists());
}

#[test]
fn drafts_and_future_articles_need_their_flags() {
    let (_dir, site) = common::site_copy("basic");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success());
    let said = stdout(&out);
    assert!(
        said.contains("note: left out: 1 draft (`--drafts` builds them); 1 article scheduled, the next due "),
        "{said}"
    );
    assert!(said.contains("(`--future` builds them)"), "{said}");
    assert!(!site.join("public/world/draft").exists());
    assert!(!site.join("public/world/scheduled").exists());
    assert!(broadsheet(&site, &["build", "--drafts", "--future"]).status.success());
    assert!(site.join("public/world/draft/index.html").is_file());
    assert!(site.join("public/world/scheduled/index.html").is_file());
}

#[test]
fn base_url_flag_overrides_config() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build", "--base-url", "https://news.example/desk"]).status.success());
    let html = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    assert!(html.contains("<link rel=\"canonical\" href=\"https://news.example/desk/world/summit/\">"));
    assert!(html.contains("href=\"/desk/style.css\""), "links carry the base path");
}

#[test]
fn a_site_without_config_builds_with_defaults_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("content/news/hello.md"), "+++\ntitle = \"Hello\"\ndate = 2026-01-02\n+++\nHi.\n");
    let out = broadsheet(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no config.toml"), "{}", stdout(&out));
    assert!(dir.path().join("public/news/hello/index.html").is_file());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("public/precious.txt"), "keep me");
    let out = broadsheet(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("was not made by Broadsheet"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(site.join("public/precious.txt")).unwrap(), "keep me");
    let into_site = broadsheet(&site, &["build", "-o", "."]);
    assert_eq!(into_site.status.code(), Some(1));
    assert!(stderr(&into_site).contains("it contains the site itself"), "{}", stderr(&into_site));
    // Through a symbolic link to content/, a folder that does not exist yet is still inside.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.join("content"), site.join("linked")).unwrap();
        let through_link = broadsheet(&site, &["build", "-o", "linked/out"]);
        assert_eq!(through_link.status.code(), Some(1), "{}", stderr(&through_link));
        assert!(
            stderr(&through_link).contains("inside the site's content/ folder"),
            "{}",
            stderr(&through_link)
        );
        assert!(!site.join("content/out").exists(), "nothing was written into content/");
    }
}

#[test]
fn rebuilding_replaces_its_own_output() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    std::fs::remove_file(site.join("content/tech/chips.md")).unwrap();
    assert!(broadsheet(&site, &["build"]).status.success());
    assert!(!site.join("public/tech/chips").exists(), "stale pages disappear");
}

#[test]
fn overriding_only_article_html_works() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("templates/article.html"), "{% extends \"base.html\" %}{% block content %}<h1 class=\"mine\">{{ article.title }}</h1>{% endblock content %}");
    assert!(broadsheet(&site, &["build"]).status.success());
    let article = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    assert!(article.contains("<h1 class=\"mine\">Leaders meet in &quot;Harbour&quot; summit</h1>"));
    assert!(article.contains("class=\"masthead\""), "the built-in base.html still applies");
    let front = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(front.contains("top-story"), "other pages keep the built-in theme");
}

#[test]
fn a_site_partial_is_rendered_once_and_shown_on_every_page() {
    let (_dir, site) = common::site_copy("basic");
    // A partial of the site's own, and an override of a built-in one.
    write(&site.join("templates/partials/banner.html"), "<p class=\"banner\">{{ site.title }} & co</p>\n");
    write(
        &site.join("templates/partials/footer.html"),
        "<footer class=\"mine\">{{ site.generator }}</footer>\n",
    );
    write(&site.join("templates/partials/ads/top.html"), "<aside>ad</aside>");
    write(
        &site.join("templates/article.html"),
        "{% extends \"base.html\" %}{% block content %}{{ partials.banner | safe }}|{{ partials.banner }}\
         |{{ partials[\"ads/top\"] | safe }}{% endblock content %}",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    // The file's final newline is dropped; unpiped through `safe`, the HTML is escaped.
    assert!(
        article
            .contains("<p class=\"banner\">Fixture Times & co</p>|&lt;p class=&quot;banner&quot;&gt;Fixture"),
        "{article}"
    );
    assert!(article.contains("&lt;/p&gt;|<aside>ad</aside>"), "a partial in a subfolder: {article}");
    let front = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        front.contains("<footer class=\"mine\">Broadsheet "),
        "the site's footer partial replaces the theme's"
    );
    assert!(!front.contains("site-footer"), "{front}");
}

#[test]
fn static_files_and_colocated_assets_are_copied() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    assert!(site.join("public/robots.txt").is_file());
    assert!(site.join("public/tech/rocket/rocket.svg").is_file());
    let html = std::fs::read_to_string(site.join("public/tech/rocket/index.html")).unwrap();
    assert!(
        html.contains("<img src=\"rocket.svg\" alt=\"Launch pad\""),
        "relative image resolves next to the page"
    );
    assert!(
        html.contains("<img src=\"/tech/rocket/rocket.svg\" alt=\"A rocket on its pad\">"),
        "hero image URL"
    );
}

#[test]
fn relative_links_to_files_in_other_folders_of_content_resolve_to_their_copies() {
    let (_dir, site) = common::site_copy("basic");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    write(&site.join("content/tech/img/diagram.svg"), svg); // a folder without articles
    write(&site.join("content/shared/logo.svg"), svg);
    write(&site.join("content/tech/beside.svg"), svg); // published beside the page
    write(
        &site.join("content/tech/figures.md"),
        "+++\ntitle = \"Figures\"\ndate = 2026-11-02\nimage = \"img/diagram.svg\"\n+++\n![d](img/diagram.svg) ![l](../shared/logo.svg) \
         ![b](beside.svg) ![r](launch/rocket.svg) [q](launch/rocket.md?ref=1) [gone](img/missing.png)\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(site.join("public/tech/figures/index.html")).unwrap();
    for expected in [
        "<img src=\"/tech/img/diagram.svg\" alt=\"d\"",
        "<img src=\"/shared/logo.svg\" alt=\"l\"",
        "<img src=\"beside.svg\" alt=\"b\"",
        "<img src=\"/tech/rocket/rocket.svg\" alt=\"r\"",
        "<a href=\"/tech/rocket/?ref=1\">q</a>",
        "<a href=\"img/missing.png\">gone</a>",
        // The front matter's image too, on the page and for social networks.
        "<meta property=\"og:image\" content=\"https://example.org/tech/img/diagram.svg\">",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let hero = html.split("class=\"hero\"").nth(1).unwrap_or_default();
    assert!(hero.starts_with("><img src=\"/tech/img/diagram.svg\""), "{html}");
    assert!(
        site.join("public/tech/img/diagram.svg").is_file() && site.join("public/shared/logo.svg").is_file()
    );
    let check = broadsheet(&site, &["check"]);
    assert!(stderr(&check).contains("broken link `img/missing.png`"), "{}", stderr(&check));
    assert!(
        !stderr(&check).contains("diagram.svg") && !stderr(&check).contains("logo.svg"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn editor_backups_and_swap_files_are_neither_content_nor_copied() {
    let (_dir, site) = common::site_copy("basic");
    let draft = "+++\ntitle = \"Unpublished scoop\"\ndate = 2026-11-01\n+++\nNot yet.\n";
    for scratch in [
        "content/tech/scoop.md~",
        "content/tech/#scoop.md#",
        "content/tech/.#scoop.md",
        "content/tech/scoop.tmp",
    ] {
        write(&site.join(scratch), draft);
    }
    write(&site.join("static/robots.txt~"), "User-agent: *\nDisallow: /old/\n");
    write(&site.join("static/notes.swp"), "swap");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<String> = common::read_tree(&site.join("public")).into_keys().collect();
    let leaked: Vec<&String> =
        files.iter().filter(|f| f.contains("scoop") || f.ends_with('~') || f.ends_with(".swp")).collect();
    assert!(leaked.is_empty(), "scratch files in the output: {leaked:?}");
    assert!(files.contains(&"tech/rocket/rocket.svg".to_string()), "real assets are still copied: {files:?}");
    assert!(files.contains(&"robots.txt".to_string()), "{files:?}");
}

#[test]
fn quiet_prints_only_errors_and_verbose_adds_timings() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("content/world/linker.md"),
        "+++\ntitle = \"Links\"\ndate = 2026-11-20\n+++\n\n[gone](gone.md)\n",
    );
    let normal = broadsheet(&site, &["build"]);
    assert!(stderr(&normal).contains("warning: broken link"), "{}", stderr(&normal));
    let quiet = broadsheet(&site, &["-q", "build"]);
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    assert_eq!((stdout(&quiet).as_str(), stderr(&quiet).as_str()), ("", ""), "no summary, no warnings");
    let verbose = broadsheet(&site, &["build", "--verbose"]);
    assert!(stdout(&verbose).contains("render and write:"), "{}", stdout(&verbose));
    assert!(stdout(&verbose).contains("save cache:"), "{}", stdout(&verbose));
    let uncached = broadsheet(&site, &["build", "--verbose", "--no-cache"]);
    assert!(!stdout(&uncached).contains("save cache:"), "nothing saved: {}", stdout(&uncached));
    assert!(stdout(&verbose).contains("Built 5 articles, "), "{}", stdout(&verbose));
    assert!(stderr(&verbose).contains("warning: broken link"), "{}", stderr(&verbose));
    assert_eq!(broadsheet(&site, &["-q", "-v", "build"]).status.code(), Some(2));
    write(&site.join("config.toml"), "titel = \"x\"\n");
    let failed = broadsheet(&site, &["-q", "build"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr(&failed).contains("error: unknown key `titel`"), "errors are never hidden");
}

#[test]
fn colours_only_when_wanted_and_never_with_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("config.toml"), "titel = \"x\"\n");
    let run = |env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.arg("build").current_dir(dir.path()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        stderr(&command.envs(env.iter().copied()).output().unwrap())
    };
    let piped = run(&[]);
    assert!(piped.starts_with("error: unknown key `titel`"), "{piped}");
    assert!(!piped.contains('\u{1b}'), "no escape codes into a pipe: {piped:?}");
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.starts_with("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m unknown key"), "{forced:?}");
    let no_color = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert_eq!(no_color, piped, "NO_COLOR wins");
}

#[test]
fn the_article_page_shows_a_standfirst_only_when_the_front_matter_gives_one() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let page = |path: &str| std::fs::read_to_string(site.join("public").join(path)).unwrap();

    let written = page("tech/rocket/index.html");
    assert_eq!(written.matches("<p class=\"standfirst\">").count(), 1, "{written}");

    // talks.md has no `summary`: its summary is the text before `<!-- more -->`, which the
    // body opens with, so it serves the description and the cards but is not repeated.
    let derived = page("world/talks/index.html");
    assert!(!derived.contains("class=\"standfirst\""), "{derived}");
    assert!(
        derived.contains("<meta name=\"description\" content=\"Negotiators kept talking past midnight.\">")
    );
    assert_eq!(
        derived.matches("Negotiators kept talking past midnight.").count(),
        5,
        "description, og, twitter, JSON-LD and body once each"
    );
    assert!(
        page("world/index.html").contains("Negotiators kept talking past midnight."),
        "the card keeps it"
    );
}

#[test]
fn a_missing_site_folder_or_content_folder_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["build"][..], &["check"], &["serve"], &["related", "x"], &["theme", "list"]] {
        let mut with_source = vec!["-s", "no-such-site"];
        with_source.extend_from_slice(args);
        let out = broadsheet(dir.path(), &with_source);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("the site folder no-such-site does not exist"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("broadsheet init DIR"), "{args:?}: {}", stderr(&out));
    }
    write(&dir.path().join("site/config.toml"), "title = \"x\"\n");
    let out = broadsheet(dir.path(), &["-s", "site", "build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the site has no content/ folder"), "{}", stderr(&out));
    assert!(stderr(&out).contains("broadsheet new"), "{}", stderr(&out));
}

#[test]
fn templates_have_teras_builtins_and_a_bare_date_shows_no_time_of_day() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p id=\"b\">{{ \"2026-11-24T09:30:00Z\" | date(format=\"%Y\") }} \
         {{ \"Zürich Café\" | slugify }} {{ \"a b&c\" | urlencode }} {{ now() | date(format=\"%Y\") | length }}</p>{% endblock content %}",
    );
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    let config = format!("date_format = \"%H:%M, %-d %B %Y\"\nday_format = \"%-d %B %Y\"\n{config}");
    write(&site.join("config.toml"), &config);
    write(&site.join("content/world/bare.md"), "+++\ntitle = \"Bare date\"\ndate = 2026-11-20\n+++\nText.\n");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.join("public/404.html")).unwrap();
    assert!(page.contains("<p id=\"b\">2026 zurich-cafe a%20b%26c 4</p>"), "{page}");
    let bare = std::fs::read_to_string(site.join("public/world/bare/index.html")).unwrap();
    assert!(bare.contains(">20 November 2026</time>"), "the day alone, not 00:00:\n{bare}");
    let timed = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    assert!(
        timed.contains(">10:00, 20 November 2026</time>"),
        "a date with a time of day keeps it:\n{timed}"
    );
}

#[test]
fn empty_lists_say_so_and_other_commands_do_not_speak_of_a_build() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("config.toml"), "base_url = \"https://example.org/\"\n");
    write(&dir.path().join("content/news/one.md"), "+++\ntitle = \"One\"\ndate = 2026-11-20\n+++\nText.\n");
    assert!(broadsheet(dir.path(), &["build"]).status.success());
    let tags = std::fs::read_to_string(dir.path().join("public/tags/index.html")).unwrap();
    assert!(tags.contains("Nothing here yet.") && !tags.contains("<ul class=\"group-list\">"), "{tags}");
    let day = std::fs::read_to_string(dir.path().join("public/2026/11/20/index.html")).unwrap();
    assert!(!day.contains("class=\"prev-next\""), "no empty navigation on the only day");
    let not_found = std::fs::read_to_string(dir.path().join("public/404.html")).unwrap();
    assert!(not_found.contains("<meta name=\"description\""), "{not_found}");

    write(&dir.path().join("templates/article.html"), "{{ article.title }\n");
    let out = broadsheet(dir.path(), &["theme", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stopped by 1 problem"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("build failed"), "{}", stderr(&out));
}

#[test]
fn a_macro_of_ones_own_can_show_the_sites_words_and_title() {
    let (_dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("language = \"fr\"\n{config}"));
    write(
        &site.join("templates/macros.html"),
        "{% macro byline(article) %}<p class=\"byline\">{{ site.strings.by }} | {{ site.title }} | \
         {{ site.strings.by | upper }}</p>{% endmacro byline %}\
         {% macro card(article, level=3, show_category=true, show_image=false) %}<p>{{ article.title }}</p>{% endmacro card %}\
         {% macro paginator(paginator) %}{% endmacro paginator %}\
         {% macro related_item(item) %}{% endmacro related_item %}\
         {% macro section_links(categories, current) %}{% endmacro section_links %}",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.join("public/world/summit/index.html")).unwrap();
    assert!(page.contains("<p class=\"byline\">Par | Fixture Times | PAR</p>"), "{page}");
}

#[test]
fn a_listed_category_without_articles_is_a_warning_naming_the_unlisted_ones() {
    let (_dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("{config}\n[[categories]]\nname = \"Zürich\"\n"));
    write(&site.join("content/zuerich/tram.md"), "+++\ntitle = \"Tram\"\ndate = 2026-11-20\n+++\nText.\n");
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("category `Zürich` has no published articles"), "{err}");
    let line = config.lines().count() + 3;
    assert!(err.contains(&format!("config.toml:{line}")), "at its name's line ({line}):\n{err}");
    assert!(err.contains("not listed: `zuerich`"), "{err}");
}

#[test]
fn a_hero_image_that_names_no_file_is_a_warning() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("content/tech/missing.md"),
        "+++\ntitle = \"Missing\"\ndate = 2026-11-02\nimage = { src = \"../sports/nonexistent.svg\", alt = \"Route\" }\n+++\nText.\n",
    );
    write(
        &site.join("content/tech/site-path.md"),
        "+++\ntitle = \"Site path\"\ndate = 2026-11-03\nimage = \"/served/elsewhere.png\"\n+++\nText.\n",
    );
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("`image` `../sports/nonexistent.svg` is not a file in content/"), "{err}");
    assert!(err.contains("--> content/tech/missing.md"), "{err}");
    assert_eq!(
        err.matches("is not a file in content/").count(),
        1,
        "not the site path, nor rocket.svg:\n{err}"
    );
}
