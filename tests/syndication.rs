//! Feeds, sitemaps, structured data and redirects as crawlers and feed readers read them:
//! every feed parses with feed-rs, the sitemaps have the sitemaps.org structure, JSON-LD
//! parses with serde_json, and hostile headlines cannot break out of their context.

mod common;

use std::collections::HashSet;

use common::{broadsheet, stderr, write};

fn build_basic() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = common::site_copy("basic");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, site)
}

fn read(site: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(site.join("public").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_feed_parses_with_unique_ids_and_dates() {
    let (_dir, site) = build_basic();
    for (path, entries) in
        [("atom.xml", 4), ("rss.xml", 4), ("feed.json", 4), ("world/atom.xml", 2), ("tech/atom.xml", 2)]
    {
        let feed =
            feed_rs::parser::parse(read(&site, path).as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(feed.entries.len(), entries, "{path}");
        let ids: HashSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), entries, "{path}: ids are unique");
        for entry in &feed.entries {
            assert!(entry.published.is_some() || entry.updated.is_some(), "{path}: dated");
            assert!(
                entry.links.iter().any(|l| l.href.starts_with("https://example.org/")),
                "{path}: absolute links"
            );
        }
        let newest = &feed.entries[0];
        if path != "tech/atom.xml" {
            assert_eq!(
                newest.title.as_ref().unwrap().content,
                "Talks continue into the night",
                "{path}: newest first"
            );
        }
    }
    let atom = read(&site, "atom.xml");
    assert!(atom
        .contains(r#"<link href="https://example.org/atom.xml" rel="self" type="application/atom+xml"/>"#));
    assert!(atom.contains("<id>tag:example.org,2026-11-20:/world/summit/</id>"), "stable tag URI ids");
    let rss = read(&site, "rss.xml");
    assert!(rss.contains(
        r#"<atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>"#
    ));
    assert!(rss.contains("<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>"), "RFC 822 dates");
    assert!(rss.contains("<dc:creator>Ana Ruiz</dc:creator>"));
}

#[test]
fn pages_announce_the_json_feed_only_when_the_site_has_one() {
    let link = r#"<link rel="alternate" type="application/feed+json" title="Fixture Times (JSON Feed)" href="/feed.json">"#;
    let (_dir, site) = build_basic();
    assert!(read(&site, "world/summit/index.html").contains(link));
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("{config}\n[feeds]\njson_feed = false\n"));
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.join("public/feed.json").exists());
    assert!(!read(&site, "world/summit/index.html").contains("application/feed+json"));
}

#[test]
fn feed_content_uses_absolute_links() {
    let (_dir, site) = build_basic();
    let feed = feed_rs::parser::parse(read(&site, "atom.xml").as_bytes()).unwrap();
    let rocket = feed.entries.iter().find(|e| e.id.ends_with("/tech/rocket/")).unwrap();
    let html = &rocket.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(html.contains(r#"src="https://example.org/tech/rocket/rocket.svg""#), "{html}");
}

#[test]
fn sitemap_lists_every_page_with_lastmod() {
    let (_dir, site) = build_basic();
    let xml = read(&site, "sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let urls: Vec<&str> = xml.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    let lastmods = xml.matches("<lastmod>").count();
    assert_eq!(urls.len(), lastmods, "every url has a lastmod");
    for page in [
        "https://example.org/",
        "https://example.org/world/summit/",
        "https://example.org/world/page/2/",
        "https://example.org/tags/diplomacy/",
        "https://example.org/2026/11/20/",
    ] {
        assert!(urls.contains(&page), "{page} missing from {urls:?}");
    }
    assert!(
        !urls.iter().any(|u| u.contains("old-summit") || u.ends_with("404.html") || u.ends_with("/search/")),
        "no redirects, 404 or search page"
    );
    // Neither page is for search engines: they say so, and the 404 page names no canonical URL.
    for (page, canonical) in [("404.html", false), ("search/index.html", true)] {
        let html = read(&site, page);
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
        assert_eq!(html.contains("rel=\"canonical\""), canonical, "{page}");
    }
    assert!(!read(&site, "index.html").contains("noindex"));
    for url in &urls {
        let page = url.strip_prefix("https://example.org/").unwrap();
        let file = if page.is_empty() || page.ends_with('/') {
            format!("{page}index.html")
        } else {
            page.to_string()
        };
        assert!(site.join("public").join(&file).is_file(), "{url} exists");
    }
    assert!(xml.contains("<lastmod>2026-11-20T20:30:00Z</lastmod>"), "W3C datetime");
}

#[test]
fn news_sitemap_lists_only_the_last_two_days_and_is_left_out_without_them() {
    let (_dir, site) = common::site_copy("basic");
    std::fs::remove_file(site.join("static/robots.txt")).unwrap();
    let now = chrono::Utc::now();
    let fresh = (now - chrono::Duration::hours(3)).format("%Y-%m-%dT%H:%M:%SZ");
    write(
        &site.join("content/world/fresh.md"),
        &format!("+++\ntitle = \"Fresh <news> & views\"\ndate = {fresh}\n+++\nNew.\n"),
    );
    assert!(broadsheet(&site, &["build"]).status.success());
    let news = read(&site, "news-sitemap.xml");
    assert_eq!(news.matches("<url>").count(), 1, "{news}");
    assert!(news.contains("<loc>https://example.org/world/fresh/</loc>"));
    assert!(
        news.contains("<news:name>Fixture Times</news:name>")
            && news.contains("<news:language>en</news:language>")
    );
    assert!(news.contains("<news:title>Fresh &lt;news&gt; &amp; views</news:title>"), "{news}");
    assert!(news.contains("<news:publication_date>"));
    let robots = read(&site, "robots.txt");
    assert!(robots
        .contains("Sitemap: https://example.org/sitemap.xml\nSitemap: https://example.org/news-sitemap.xml"));

    // Without an article of the last two days there is no news sitemap (one must list a URL).
    std::fs::remove_file(site.join("content/world/fresh.md")).unwrap();
    assert!(broadsheet(&site, &["build"]).status.success());
    assert!(!site.join("public/news-sitemap.xml").exists());
    assert_eq!(
        read(&site, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );
}

#[test]
fn article_pages_carry_social_tags_and_json_ld() {
    let (_dir, site) = build_basic();
    let html = read(&site, "tech/rocket/index.html");
    for tag in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Rocket launch set for Friday">"#,
        r#"<meta property="og:image" content="https://example.org/tech/rocket/rocket.svg">"#,
        r#"<meta property="og:image:alt" content="A rocket on its pad">"#,
        r#"<meta property="article:section" content="Tech">"#,
        r#"<meta property="article:tag" content="Space">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<link rel="canonical" href="https://example.org/tech/rocket/">"#,
        r#"<link rel="alternate" type="application/atom+xml" title="Fixture Times (Atom)" href="/atom.xml">"#,
    ] {
        assert!(html.contains(tag), "missing {tag}");
    }
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Rocket launch set for Friday");
    assert_eq!(ld["author"][0]["name"], "Cleo Park");
    assert_eq!(ld["author"][0]["url"], "https://example.org/authors/cleo-park/");
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(ld["image"][0], "https://example.org/tech/rocket/rocket.svg");
    assert_eq!(ld["mainEntityOfPage"]["@id"], "https://example.org/tech/rocket/");
    assert_eq!(ld["publisher"]["name"], "Fixture Times");
    assert_eq!(ld["articleSection"], "Tech");
    assert_eq!(ld["keywords"], serde_json::json!(["Space", "Aurora"]));
    assert!(ld["datePublished"].as_str().unwrap().starts_with("2026-11-19"));
    // The newest article, the front page's top story, has no picture: nor has the front page.
    assert!(!read(&site, "index.html").contains("og:image"));
}

#[test]
fn the_front_page_shows_social_networks_its_top_storys_picture() {
    let (_dir, site) = common::site_copy("basic");
    let talks = site.join("content/world/talks.md");
    let text = std::fs::read_to_string(&talks).unwrap();
    write(
        &talks,
        &text.replacen("+++\n", "+++\nimage = { src = \"/talks.png\", alt = \"Delegates at a table\" }\n", 1),
    );
    assert!(broadsheet(&site, &["build"]).status.success());
    let front = read(&site, "index.html");
    assert!(
        front.contains(r#"<meta property="og:image" content="https://example.org/talks.png">"#),
        "{front}"
    );
    assert!(front.contains(r#"<meta name="twitter:image:alt" content="Delegates at a table">"#), "{front}");
}

/// The JSON-LD of an article page.
fn json_ld(html: &str) -> serde_json::Value {
    let json = html.split(r#"<script type="application/ld+json">"#).nth(1).unwrap().split("</script>").next();
    serde_json::from_str(json.unwrap()).unwrap()
}

#[test]
fn json_ld_date_modified_is_the_update_and_an_update_before_the_date_is_an_error() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("content/world/revised.md"),
        "+++\ntitle = 'Revised'\ndate = 2026-11-19T09:00:00Z\nupdated = 2026-11-20T15:30:00Z\n+++\nBody.\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let revised = json_ld(&read(&site, "world/revised/index.html"));
    assert!(revised["datePublished"].as_str().unwrap().starts_with("2026-11-19T10:00:00"), "{revised}");
    assert!(revised["dateModified"].as_str().unwrap().starts_with("2026-11-20T16:30:00"), "{revised}");

    // An update before the publication (a typo, or a date moved without its update) would
    // show as "Updated" on a day before the article appeared: the build names the line.
    write(
        &site.join("content/world/backdated.md"),
        "+++\ntitle = 'Backdated'\ndate = 2026-11-19T09:00:00Z\nupdated = 2026-11-18T15:30:00Z\n+++\nBody.\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("`updated` (2026-11-18T15:30:00Z) is before `date`"), "{err}");
    assert!(err.contains("content/world/backdated.md:4:11"), "{err}");
}

/// An article page shows the time of a `date` or `updated` written with one, in the site's
/// time zone with `time_format`; a date written as a day alone shows no time (it is not
/// "00:00"), in the byline or in "Updated".
#[test]
fn article_pages_show_the_time_only_of_dates_written_with_one() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("content/world/revised.md"),
        "+++\ntitle = 'Revised'\ndate = 2026-11-19T09:00:00Z\nupdated = 2026-11-19T15:30:00Z\n+++\nBody.\n",
    );
    write(
        &site.join("content/world/daily.md"),
        "+++\ntitle = 'Daily'\ndate = 2026-11-19\nupdated = 2026-11-20\n+++\nBody.\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let revised = read(&site, "world/revised/index.html");
    // Europe/Berlin, the fixture's time zone: one hour ahead of UTC in November.
    assert!(
        revised.contains(r#"<time datetime="2026-11-19T10:00:00+01:00">November 19, 2026, 10:00 CET</time>"#),
        "{revised}"
    );
    assert!(
        revised.contains(
            r#"Updated <time datetime="2026-11-19T16:30:00+01:00">November 19, 2026, 16:30 CET</time>"#
        ),
        "{revised}"
    );
    let daily = read(&site, "world/daily/index.html");
    assert!(
        daily.contains(r#"<time datetime="2026-11-19T00:00:00+01:00">November 19, 2026</time>"#),
        "{daily}"
    );
    assert!(
        daily.contains(r#"Updated <time datetime="2026-11-20T00:00:00+01:00">November 20, 2026</time>"#),
        "{daily}"
    );

    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(
        &site.join("config.toml"),
        &config.replacen("timezone", "time_format = \"%-I.%M %P\"\ntimezone", 1),
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let revised = read(&site, "world/revised/index.html");
    assert!(revised.contains(">November 19, 2026, 4.30 pm</time>"), "{revised}");

    write(&site.join("config.toml"), &config.replacen("timezone", "time_format = \"%H:%Q\"\ntimezone", 1));
    let out = broadsheet(&site, &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("`time_format` = \"%H:%Q\" has a `%` field chrono does not know"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_headlines_stay_text_everywhere() {
    let (_dir, site) = common::site_copy("basic");
    let title = r#"</script><script>alert(1)</script> "><img src=x onerror=alert(1)> <IBM>"#;
    write(
        &site.join("content/world/evil.md"),
        &format!("+++\ntitle = '{title}'\ndate = 2026-11-21\ntags = ['<b>tag</b>']\n+++\nBody.\n"),
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&site, "world/evil/index.html");
    assert!(
        !html.contains("<script>alert(1)")
            && !html.contains("<img src=x")
            && !html.contains("<IBM>")
            && !html.contains("<b>tag"),
        "{html}"
    );
    assert!(html.contains("&lt;&#x2F;script&gt;") || html.contains("&lt;/script&gt;"));
    let json = html
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(ld["headline"], title, "JSON-LD keeps the exact text");
    for feed in ["atom.xml", "rss.xml", "feed.json"] {
        let parsed = feed_rs::parser::parse(read(&site, feed).as_bytes()).unwrap();
        assert_eq!(parsed.entries[0].title.as_ref().unwrap().content, title, "{feed}");
    }
    let index: serde_json::Value = serde_json::from_str(&read(&site, "search-index.json")).unwrap();
    assert_eq!(index[0]["t"], title);
}

#[test]
fn aliases_redirect_to_the_article() {
    let (_dir, site) = build_basic();
    let html = read(&site, "2026/11/old-summit/index.html");
    assert!(html.contains(r#"<meta http-equiv="refresh" content="0; url=/world/summit/">"#));
    assert!(html.contains(r#"<link rel="canonical" href="https://example.org/world/summit/">"#));
    assert!(html.contains(r#"<a href="/world/summit/">Leaders meet in &quot;Harbour&quot; summit</a>"#));
}

#[test]
fn search_page_and_index() {
    let (_dir, site) = build_basic();
    let index: serde_json::Value = serde_json::from_str(&read(&site, "search-index.json")).unwrap();
    assert_eq!(index.as_array().unwrap().len(), 4);
    assert_eq!(index[0]["u"], "/world/talks/");
    assert_eq!(index[0]["c"], "World");
    let page = read(&site, "search/index.html");
    assert!(page.contains(r#"var files = ["search-index.json"];"#), "one file for a small site");
    assert!(page.contains(r#"fetch("/" + files[loaded])"#));
    assert!(!site.join("public/search-index-1.json").exists());
    assert!(page.contains(r#"<input id="search-input" name="q" type="search""#));
    let article = read(&site, "world/summit/index.html");
    assert!(!article.contains("<script>"), "only the search page has a script");
}

/// The search page's own script, run by Node against the index the build wrote (with the
/// page's DOM and `fetch` stood in for): a term matches words from their start, every term
/// must match, and a word is found while it is still being typed.
#[test]
fn search_matches_words_from_their_start() {
    let (dir, site) = common::site_copy("basic");
    write(
        &site.join("content/tech/accelerators.md"),
        "+++\ntitle = \"Chipmakers race to build AI accelerators\"\ndate = 2026-11-19T08:00:00\ntags = [\"AI\"]\n+++\n\nDemand for AI chips keeps rising.\n",
    );
    write(
        &site.join("content/world/resume.md"),
        "+++\ntitle = \"Minister said talks would resume\"\ndate = 2026-11-19T09:00:00\n+++\n\nThe minister said so on Monday.\n",
    );
    write(
        &site.join("content/world/chips-cn.md"),
        "+++\ntitle = \"人工智能芯片需求上升\"\ndate = 2026-11-18T08:00:00\nslug = \"chips-cn\"\n+++\n\n需求上升。\n",
    );
    write(
        &site.join("content/world/election-hi.md"),
        "+++\ntitle = \"भारत में चुनाव\"\ndate = 2026-11-18T09:00:00\nslug = \"election-hi\"\n+++\n\nमतदान शुरू।\n",
    );
    write(
        &site.join("content/world/lodz.md"),
        "+++\ntitle = \"Łódź and Østersund twin their harbours\"\ndate = 2026-11-17T09:00:00\n\
         summary = \"The two cities signed an agreement on ferries, freight and student exchanges, the mayors \
         announced after a meeting that ran late into the evening, and they will meet again in the spring at Gdynia.\"\n+++\n\nText.\n",
    );
    write(
        &site.join("content/world/oil-ar.md"),
        "+++\ntitle = \"ارتفاع أسعار النفط\"\ndate = 2026-11-16T09:00:00\nslug = \"oil-ar\"\n+++\n\nنص.\n",
    );
    write(
        &site.join("content/world/toyota-ja.md"),
        "+++\ntitle = \"トヨタ株155円高\"\ndate = 2026-11-16T08:00:00\nslug = \"toyota-ja\"\n+++\n\n本文。\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let search = |query: &str| search_page(dir.path(), &site, query).titles;
    let twins = "Łódź and Østersund twin their harbours";
    assert_eq!(search("lodz"), [twins], "Ł is spelt L, whatever the accents");
    assert_eq!(search("ostersund"), [twins], "Ø is spelt O");
    assert_eq!(search("gdynia"), [twins], "the summary's last word, past what a result shows");
    let accelerators = "Chipmakers race to build AI accelerators";
    assert_eq!(search("AI"), [accelerators], "not \"said\"");
    assert_eq!(search("said"), ["Minister said talks would resume"]);
    assert_eq!(search("accel"), [accelerators], "a word being typed");
    assert_eq!(search("ai chips"), [accelerators], "every term");
    assert!(search("celerators").is_empty(), "not from the middle of a word");
    assert_eq!(search("芯片"), ["人工智能芯片需求上升"], "Chinese has no spaces between words");
    assert_eq!(search("चुन"), ["भारत में चुनाव"], "a Hindi word's vowel signs are part of it");
    assert!(search("नाव").is_empty(), "nor is a Hindi word matched from its middle");
    assert_eq!(search("اسعار"), ["ارتفاع أسعار النفط"], "the hamza is an accent: اسعار finds أسعار");
    assert_eq!(search("نفط"), ["ارتفاع أسعار النفط"], "an Arabic word is found after its prefix (ال)");
    assert_eq!(search("أَسْعَار"), ["ارتفاع أسعار النفط"], "vowel signs typed or not");
    assert_eq!(search("１５５円"), ["トヨタ株155円高"], "full-width digits as typed on a Japanese keyboard");
    assert_eq!(search("ﾄﾖﾀ"), ["トヨタ株155円高"], "half-width katakana");
}

/// A large site's search index is split into files of `[search] articles_per_file`: the
/// newest in `search-index.json`, older runs numbered from the oldest. The search page loads
/// them newest first and stops as soon as it has 50 results; publishing an article changes
/// only `search-index.json`.
#[test]
fn search_index_is_split_and_loaded_only_as_far_as_a_search_needs() {
    let (dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("{config}\n[search]\narticles_per_file = 50\n"));
    // 116 dispatches (and the example's 4 articles): 120 articles, the newest 20 in
    // search-index.json, then 50 in each numbered file.
    for i in 0..116 {
        let (day, hour) = (1 + i / 24, i % 24);
        let topic = if i == 0 { "Lighthouse" } else { "Shipping" };
        write(
            &site.join(format!("content/world/dispatch-{i:03}.md")),
            &format!("+++\ntitle = \"{topic} dispatch {i}\"\ndate = 2026-10-{day:02}T{hour:02}:00:00\n+++\n\nA dispatch.\n"),
        );
    }
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let titles_in = |file: &str| -> Vec<String> {
        let index: serde_json::Value = serde_json::from_str(&read(&site, file)).unwrap();
        index.as_array().unwrap().iter().map(|r| r["t"].as_str().unwrap().to_string()).collect()
    };
    let newest = titles_in("search-index.json");
    let (second, oldest) = (titles_in("search-index-2.json"), titles_in("search-index-1.json"));
    assert_eq!((newest.len(), second.len(), oldest.len()), (20, 50, 50));
    assert!(!site.join("public/search-index-3.json").exists());
    assert_eq!(newest[0], "Talks continue into the night", "newest first");
    assert_eq!(oldest.last().map(String::as_str), Some("Lighthouse dispatch 0"), "the oldest is last");
    let every: HashSet<&String> = newest.iter().chain(&second).chain(&oldest).collect();
    assert_eq!(every.len(), 120, "each article in one file");

    let found = search_page(dir.path(), &site, "dispatch");
    assert_eq!(found.titles.len(), 50, "at most 50 results");
    assert_eq!(found.titles[0], "Shipping dispatch 115", "newest first across files");
    assert_eq!(found.fetched, ["/search-index.json", "/search-index-2.json"], "stops at 50 results");
    assert_eq!(found.status, "50+ results");
    let found = search_page(dir.path(), &site, "lighthouse");
    assert_eq!(found.titles, ["Lighthouse dispatch 0"], "found in the oldest file");
    assert_eq!(found.fetched.len(), 3, "every file, newest first");
    assert_eq!(found.status, "1 result");
    let found = search_page(dir.path(), &site, "nothing-like-this");
    assert!(found.titles.is_empty());
    assert_eq!(found.status, "No articles match.");

    // An older file that cannot be loaded: the page searches the rest and says so.
    let oldest = site.join("public/search-index-1.json");
    let saved = std::fs::read(&oldest).unwrap();
    std::fs::remove_file(&oldest).unwrap();
    let found = search_page(dir.path(), &site, "lighthouse");
    assert!(found.titles.is_empty());
    assert_eq!(found.status, "No articles match. Older articles could not be searched.");
    let found = search_page(dir.path(), &site, "shipping dispatch 11");
    assert!(!found.titles.is_empty() && found.titles.len() < 50, "{:?}", found.titles);
    assert_eq!(
        found.status,
        format!("{} results. Older articles could not be searched.", found.titles.len())
    );
    std::fs::write(&oldest, saved).unwrap();

    // A new article goes into search-index.json; the numbered files stay as they were.
    let numbered = || ["search-index-1.json", "search-index-2.json"].map(|f| read(&site, f));
    let before = numbered();
    write(
        &site.join("content/world/latest.md"),
        "+++\ntitle = \"Harbour reopens\"\ndate = 2026-11-25T08:00:00\n+++\n\nShips return.\n",
    );
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(numbered(), before);
    assert_eq!(titles_in("search-index.json")[0], "Harbour reopens");
}

/// What the search page showed for one query: the headlines it listed, the index files it
/// fetched (in order) and its status line.
#[derive(serde::Deserialize)]
struct SearchOutcome {
    titles: Vec<String>,
    fetched: Vec<String>,
    status: String,
}

/// Runs the search page of the site built in `site/public` with `?q=query`, in Node.
fn search_page(scratch: &std::path::Path, site: &std::path::Path, query: &str) -> SearchOutcome {
    let page = read(site, "search/index.html");
    let script = page.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).expect("a script");
    write(&scratch.join("search.js"), script);
    write(&scratch.join("harness.cjs"), SEARCH_HARNESS);
    let out = std::process::Command::new("node")
        .arg(scratch.join("harness.cjs"))
        .arg(scratch.join("search.js"))
        .arg(site.join("public"))
        .arg(query)
        .output()
        .expect("node is installed (.ci/run installs it)");
    assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a search page's script (argument 1) with `?q=` set to argument 3, its `fetch`
/// reading files from the site folder at argument 2, and prints what it listed, fetched and
/// said as JSON.
const SEARCH_HARNESS: &str = r#"
const fs = require("fs");
const path = require("path");
const [script, siteDir, query] = process.argv.slice(2);
function element() {
  // Setting textContent replaces the children, as in a browser.
  let text = "";
  return {
    className: "", href: "", value: "", children: [],
    get textContent() { return text; },
    set textContent(value) { text = value; this.children = []; },
    appendChild(child) { this.children.push(child); },
    append(...children) { this.children.push(...children); },
    addEventListener() {},
    form: { addEventListener() {} },
  };
}
const elements = { "search-input": element(), "search-status": element(), "search-results": element() };
const fetched = [];
globalThis.document = { getElementById: (id) => elements[id], createElement: () => element() };
globalThis.location = { search: "?q=" + encodeURIComponent(query) };
globalThis.history = { replaceState() {} };
globalThis.fetch = (url) => {
  fetched.push(url);
  const file = path.join(siteDir, url);
  if (!fs.existsSync(file)) return Promise.resolve({ ok: false, status: 404 });
  return Promise.resolve({ ok: true, json: () => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))) });
};
new Function(fs.readFileSync(script, "utf8"))();
// Every fetch above settles in promise jobs, which all run before this timer.
setTimeout(() => {
  const titles = elements["search-results"].children.map((item) => item.children[1].children[0].textContent);
  console.log(JSON.stringify({ titles, fetched, status: elements["search-status"].textContent }));
}, 0);
"#;

#[test]
fn a_description_taken_from_the_body_is_cut_for_search_results_and_previews() {
    let (_dir, site) = common::site_copy("basic");
    let opening = "The council met for nine hours on Tuesday. ".repeat(12);
    write(
        &site.join("content/world/long.md"),
        &format!("+++\ntitle = \"Long\"\ndate = 2026-11-02\n+++\n{opening}\n\nMore.\n"),
    );
    let written = "A standfirst written by hand, kept whole however long it is. ".repeat(4);
    write(
        &site.join("content/world/kept.md"),
        &format!("+++\ntitle = \"Kept\"\ndate = 2026-11-03\nsummary = \"{}\"\n+++\nBody.\n", written.trim()),
    );
    assert!(broadsheet(&site, &["build"]).status.success());
    let description = |page: &str| -> String {
        let html = read(&site, page);
        let start = html.find("<meta name=\"description\" content=\"").unwrap() + 34;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let cut = description("world/long/index.html");
    assert!(cut.ends_with('…') && cut.chars().count() <= 161, "{cut}");
    assert!(cut.starts_with("The council met for nine hours on Tuesday. The council"), "{cut}");
    assert_eq!(description("world/kept/index.html"), written.trim());
}
