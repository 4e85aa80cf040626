//! Moving a site from another generator: what Broadsheet does with the files and front
//! matter of Hugo, Zola and Jekyll sites (page bundles build; the rest is an error that says
//! what to write instead).

mod common;

use common::{broadsheet, stderr, write};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("config.toml"), "title = \"Moved\"\nbase_url = \"https://example.org/\"\n");
    dir
}

#[test]
fn a_page_bundle_takes_its_folders_name_and_keeps_its_pictures() {
    let dir = site();
    let root = dir.path();
    write(
        &root.join("content/blog/my-bundle/index.md"),
        "+++\ntitle = \"Bundle\"\ndate = 2026-11-20\n+++\n![A chart](chart.png)\n",
    );
    write(&root.join("content/blog/my-bundle/chart.png"), "png");
    write(
        &root.join("content/blog/second/index.md"),
        "+++\ntitle = \"Second\"\ndate = 2026-11-21\n+++\nText.\n",
    );
    write(&root.join("content/blog/plain.md"), "+++\ntitle = \"Plain\"\ndate = 2026-11-22\n+++\nText.\n");
    let out = broadsheet(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = root.join("public");
    let page = std::fs::read_to_string(public.join("blog/my-bundle/index.html")).unwrap();
    assert!(page.contains("<img src=\"chart.png\" alt=\"A chart\""), "{page}");
    assert!(public.join("blog/my-bundle/chart.png").is_file());
    assert!(public.join("blog/second/index.html").is_file());
    assert!(public.join("blog/plain/index.html").is_file(), "other files keep their own names");
    assert!(!public.join("blog/index").exists());
}

#[test]
fn other_generators_files_and_keys_are_errors_that_say_what_to_write() {
    let dir = site();
    let root = dir.path();
    write(&root.join("content/news/yaml.md"), "---\ntitle: \"Hello\"\ndate: 2024-01-02\n---\nText.\n");
    write(&root.join("content/news/jekyll.markdown"), "+++\ntitle = \"J\"\ndate = 2026-11-20\n+++\nText.\n");
    write(&root.join("content/news/_index.md"), "+++\ntitle = \"News\"\nsort_by = \"date\"\n+++\n");
    write(
        &root.join("content/news/hugo.md"),
        "+++\ntitle = \"H\"\ndate = 2026-11-20\nlastmod = 2026-11-21\ndescription = \"D\"\npublished = false\n\n[taxonomies]\ntags = [\"a\"]\n+++\nText.\n",
    );
    let out = broadsheet(root, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let block = |needle: &str| -> String {
        err.split("error: ")
            .find(|b| b.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{err}"))
            .to_string()
    };
    let yaml = block("YAML front matter");
    assert!(yaml.contains("content/news/yaml.md:1:1") && yaml.contains("write it as TOML"), "{yaml}");
    let markdown = block("`.markdown`");
    assert!(
        markdown.contains("content/news/jekyll.markdown") && markdown.contains("rename it to `.md`"),
        "{markdown}"
    );
    let section = block("`_index.md`");
    assert!(section.contains("[[categories]]"), "{section}");
    assert!(block("unknown key `lastmod`").contains("content/news/hugo.md:4:1"), "{err}");
    assert!(block("unknown key `lastmod`").contains("`updated = "), "{err}");
    assert!(block("unknown key `description`").contains("`summary"), "{err}");
    assert!(block("unknown key `taxonomies`").contains("write tags at the top level"), "{err}");
    assert!(block("unknown key `published`").contains("`draft = true`"), "{err}");
    assert!(!root.join("public").exists(), "nothing is published");
}

#[test]
fn shortcodes_are_warnings_at_their_line_and_the_build_goes_on() {
    let dir = site();
    let root = dir.path();
    write(
        &root.join("content/news/moved.md"),
        "+++\ntitle = \"Moved\"\ndate = 2026-11-20\n+++\nIntro.\n\n{{< figure src=\"/img/pic.png\" caption=\"A caption\" >}}\n\n```\n{{< kept in code >}}\n```\n",
    );
    let out = broadsheet(root, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // Quoted as written, straight quotes and all (smart punctuation curls them on the page).
    assert!(
        err.contains(
            "`{{< figure src=\"/img/pic.png\" caption=\"A caption\" >}}` is another generator's shortcode"
        ),
        "{err}"
    );
    assert!(err.contains("content/news/moved.md:7"), "at its line:\n{err}");
    assert_eq!(err.matches("shortcode").count(), 1, "not the one in a code block:\n{err}");
    // The cached body says so again on the next build.
    let again = stderr(&broadsheet(root, &["build"]));
    assert!(again.contains("content/news/moved.md:7"), "{again}");
}
