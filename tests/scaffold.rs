//! Starting a site as a newcomer does: `init`, `new`, `build`, `theme eject`, `theme list`,
//! `completions`, and every refusal that keeps the user's files safe.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::{broadsheet, read_tree, stderr, stdout, write};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `broadsheet init site` in a fresh temporary folder.
fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = broadsheet(dir.path(), &["init", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Created a site in site"), "{}", stdout(&out));
    let site = dir.path().join("site");
    (dir, site)
}

#[test]
fn init_new_build_eject_build() {
    let (dir, site) = new_site();
    for file in ["config.toml", "static/.gitkeep", "templates/README.md", ".gitignore"] {
        assert!(site.join(file).is_file(), "init writes {file}");
    }
    let articles: Vec<String> = read_tree(&site.join("content")).into_keys().collect();
    assert_eq!(articles.len(), 3, "{articles:?}");
    assert!(read(&site.join(".gitignore")).lines().any(|l| l == "/public"));
    assert!(read(&site.join("templates/README.md")).contains("`article.html`"));

    let new = broadsheet(
        dir.path(),
        &["new", "Hello \"world\"", "--tags", "Launch, AI", "--author", "Ana", "-s", "site"],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    assert_eq!(stdout(&new).trim(), "site/content/news/hello-world.md");
    let text = read(&site.join("content/news/hello-world.md"));
    assert!(text.contains("title = 'Hello \"world\"'\n"), "{text}");
    assert!(text.contains("category = \"News\"\ntags = [\"Launch\", \"AI\"]\nauthor = \"Ana\"\n"), "{text}");

    let build = broadsheet(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stdout(&build).starts_with("Built 4 articles, "), "{}", stdout(&build));
    let page = read(&site.join("public/news/hello-world/index.html"));
    assert!(page.contains("<h1 id=\"headline\">Hello &quot;world&quot;</h1>"), "{page}");
    assert!(site.join("public/guides/writing-articles/index.html").is_file(), "sample articles are built");

    let eject = broadsheet(&site, &["theme", "eject"]);
    assert!(eject.status.success(), "{}", stderr(&eject));
    assert!(stdout(&eject).contains("20 files created"), "{}", stdout(&eject));
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    assert_eq!(read(&site.join("templates/article.html")), read(&builtin.join("article.html")));
    assert_eq!(read(&site.join("static/style.css")), read(&builtin.join("style.css")));

    let template = read(&site.join("templates/article.html"))
        .replace("<h2>{{ site.strings.related_news }}</h2>", "<h2>See also</h2>");
    write(&site.join("templates/article.html"), &template);
    let list = broadsheet(&site, &["theme", "list"]);
    let printed = stdout(&list);
    let listed: Vec<Vec<&str>> = printed.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(
        listed.contains(&vec!["article.html", "overridden", "by", "templates/article.html"]),
        "{}",
        printed
    );
    assert!(
        listed.contains(&vec![
            "partials/masthead.html",
            "overridden",
            "by",
            "templates/partials/masthead.html"
        ]),
        "{printed}"
    );
    let state_columns: HashSet<usize> = printed.lines().filter_map(|l| l.find(" overridden by ")).collect();
    assert_eq!(state_columns.len(), 1, "the states line up in one column: {printed}");
    let rebuild = broadsheet(&site, &["build"]);
    assert!(rebuild.status.success(), "{}", stderr(&rebuild));
    assert!(read(&site.join("public/news/hello-world/index.html")).contains("<h2>See also</h2>"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_force_only_adds() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("site/notes.txt"), "mine");
    write(&dir.path().join("site/config.toml"), "title = \"Mine\"\n");
    let before = read_tree(dir.path());
    let refused = broadsheet(dir.path(), &["init", "site"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("error: site is not empty, so nothing was written"),
        "{}",
        stderr(&refused)
    );
    assert!(stderr(&refused).contains("--force"), "the error says how to go on");
    assert_eq!(read_tree(dir.path()), before, "nothing changed");

    let forced = broadsheet(dir.path(), &["init", "site", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        stderr(&forced).contains("warning: kept site/config.toml (it already exists)"),
        "{}",
        stderr(&forced)
    );
    assert_eq!(read(&dir.path().join("site/config.toml")), "title = \"Mine\"\n");
    assert_eq!(read(&dir.path().join("site/notes.txt")), "mine");
    assert!(dir.path().join("site/content/news/welcome.md").is_file(), "missing files are added");
    let again = broadsheet(dir.path(), &["init", "site", "--force"]);
    assert!(
        stdout(&again).contains("Nothing to add: site already has every file of a new site"),
        "{}",
        stdout(&again)
    );

    // The site builds; static/.gitkeep (which keeps the empty folder in git) is not published,
    // and a problem is shown with its path from where the command runs.
    write(&dir.path().join("site/content/news/bad.md"), "+++\ntitle = \"Bad\"\n+++\n");
    let out = broadsheet(dir.path(), &["-s", "site", "build"]);
    assert!(stderr(&out).contains("--> site/content/news/bad.md"), "{}", stderr(&out));
    std::fs::remove_file(dir.path().join("site/content/news/bad.md")).unwrap();
    assert!(broadsheet(dir.path(), &["-s", "site", "build"]).status.success());
    assert!(
        dir.path().join("site/static/.gitkeep").is_file()
            && !dir.path().join("site/public/.gitkeep").exists()
    );
}

#[test]
fn new_refuses_to_overwrite_an_article() {
    let (_dir, site) = new_site();
    assert!(broadsheet(&site, &["new", "Budget vote"]).status.success());
    let path = site.join("content/news/budget-vote.md");
    write(&path, "+++\ntitle = \"Budget vote\"\ndate = 2026-01-02\n+++\nMy draft.\n");
    let again = broadsheet(&site, &["new", "Budget vote"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("error: content/news/budget-vote.md already exists, so nothing was written"),
        "{}",
        stderr(&again)
    );
    assert!(read(&path).contains("My draft."), "the article is untouched");
}

#[test]
fn new_refuses_names_that_make_no_file_or_folder_and_writes_nothing() {
    let (_dir, site) = new_site();
    let before = read_tree(&site.join("content"));
    for (args, message) in [
        (vec!["new", "???"], "the title `???` has no letters or digits to make a file name from"),
        (
            vec!["new", "Budget", "--category", "!!!"],
            "the category `!!!` has no letters or digits to make a folder name from",
        ),
        (
            vec!["new", "Budget", "--category", "Tags"],
            "`Tags` can't be a category: its folder would be `/tags/`",
        ),
        (vec!["new", "Budget", "--author", "!!!"], "the author `!!!` has no letters or digits"),
        (vec!["new", "Budget", "--tags", "Economy,!!!"], "the tag `!!!` has no letters or digits"),
    ] {
        let out = broadsheet(&site, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(read_tree(&site.join("content")), before);
}

#[test]
fn new_dates_the_article_in_the_site_time_zone_and_honours_the_category() {
    let (_dir, site) = new_site();
    let config = read(&site.join("config.toml")).replace("timezone = \"UTC\"", "timezone = \"Asia/Tokyo\"");
    write(&site.join("config.toml"), &config);
    let out = broadsheet(&site, &["new", "Tokyo dispatch", "--category", "guides"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "content/guides/tokyo-dispatch.md");
    let text = read(&site.join("content/guides/tokyo-dispatch.md"));
    let date = text.lines().find(|l| l.starts_with("date = ")).unwrap();
    assert!(date.ends_with("+09:00"), "{date}");
    assert!(text.contains("category = \"Guides\""), "the configured spelling: {text}");
}

#[test]
fn a_draft_is_built_only_with_drafts() {
    let (_dir, site) = new_site();
    let out = broadsheet(&site, &["new", "Not yet", "--draft"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("note: this is a draft"), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "content/news/not-yet.md\n",
        "only the path, for $EDITOR \"$(broadsheet new ...)\""
    );
    assert!(read(&site.join("content/news/not-yet.md")).contains("\ndraft = true\n"));
    let build = broadsheet(&site, &["build"]);
    assert!(stdout(&build).starts_with("Built 3 articles, "), "{}", stdout(&build));
    assert!(
        stdout(&build).contains("note: left out: 1 draft (`--drafts` builds them)"),
        "{}",
        stdout(&build)
    );
    assert!(!site.join("public/news/not-yet").exists());
    assert!(broadsheet(&site, &["build", "--drafts"]).status.success());
    assert!(site.join("public/news/not-yet/index.html").is_file());
}

#[test]
fn eject_without_force_keeps_a_modified_template() {
    let (_dir, site) = new_site();
    write(&site.join("templates/article.html"), "{% extends \"base.html\" %}mine");
    let eject = broadsheet(&site, &["theme", "eject"]);
    assert!(eject.status.success(), "{}", stderr(&eject));
    assert!(
        stderr(&eject)
            .contains("warning: kept templates/article.html (it already exists; --force overwrites it)"),
        "{}",
        stderr(&eject)
    );
    assert!(stdout(&eject).contains("19 files created, 0 replaced, 1 kept"), "{}", stdout(&eject));
    assert_eq!(read(&site.join("templates/article.html")), "{% extends \"base.html\" %}mine");
    assert!(site.join("templates/base.html").is_file(), "the other templates are copied");
    assert!(site.join("templates/partials/footer.html").is_file(), "partials are copied into their folder");

    let forced = broadsheet(&site, &["theme", "eject", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(stdout(&forced).contains("0 files created, 20 replaced, 0 kept"), "{}", stdout(&forced));
    assert!(read(&site.join("templates/article.html")).contains("related-news"));
}

#[test]
fn commands_that_need_a_site_refuse_other_folders() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["new", "Hello"][..], &["theme", "eject"]] {
        let out = broadsheet(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("the current folder is not a site folder"), "{}", stderr(&out));
    }
    assert!(read_tree(dir.path()).is_empty(), "nothing was written");
}

#[test]
fn theme_list_names_every_template() {
    let (_dir, site) = new_site();
    let out = broadsheet(&site, &["theme", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&out);
    for name in ["base.html", "article.html", "search.html", "style.css", "favicon.svg"] {
        assert!(list.lines().any(|l| l.starts_with(name) && l.ends_with("built-in")), "{name}: {list}");
    }
}

#[test]
fn completions_are_printed_for_bash() {
    let dir = tempfile::tempdir().unwrap();
    let out = broadsheet(dir.path(), &["completions", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.contains("broadsheet"), "{script}");
    assert!(script.contains("init") && script.contains("eject"), "subcommands complete");
    assert_eq!(broadsheet(dir.path(), &["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn new_gives_a_long_headline_a_short_slug_and_keeps_the_headline() {
    let (_dir, site) = new_site();
    // Transliterated, each of these characters takes about five bytes of the slug.
    let headline = "東京".repeat(100);
    let out = broadsheet(&site, &["new", &headline]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<_> =
        std::fs::read_dir(site.join("content/news")).unwrap().map(|e| e.unwrap().file_name()).collect();
    let file =
        files.iter().map(|f| f.to_string_lossy().to_string()).find(|f| f.starts_with("dong-jing")).unwrap();
    let slug = file.strip_suffix(".md").unwrap();
    assert!(slug.len() <= 100 && !slug.ends_with('-'), "cut at a hyphen: {slug}");
    assert!(read(&site.join("content/news").join(&file)).contains(&headline), "the title keeps every word");
    let build = broadsheet(&site, &["build", "--drafts"]);
    assert!(build.status.success(), "{}", stderr(&build));
}
