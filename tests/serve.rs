//! `broadsheet serve` end to end, with bounded waits: pages served from memory, live reload
//! after an edit (article, category page, feed), the error overlay while the last good site
//! stays served, and refused path traversal.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::write;

/// The server process, killed when the test ends (even on failure).
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(site: &Path) -> Server {
    let port = free_port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--port", &port])
        .current_dir(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = loop {
        assert!(Instant::now() < deadline, "the server did not start");
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.strip_prefix("Serving ") {
            break rest.split(" at ").nth(1).unwrap().split(' ').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop)); // keep draining stdout
    Server { child, url }
}

fn get(url: &str) -> (u16, String) {
    match ureq::get(url).timeout(Duration::from_secs(10)).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("{url}: {e}"),
    }
}

/// A raw connection to the event stream, read line by line with a deadline.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(base: &str) -> Events {
        let addr = base.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        write!(
            stream,
            "GET /__broadsheet/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events(BufReader::new(stream));
        events.wait_for("event: hello");
        events
    }

    /// Reads until a line equal to `wanted` arrives, or fails after 15 seconds.
    fn wait_for(&mut self, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut seen = String::new();
        while Instant::now() < deadline {
            let mut line = String::new();
            match self.0.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed; saw:\n{seen}"),
                Ok(_) => {
                    seen.push_str(&line);
                    if line.trim_end() == wanted {
                        let mut data = String::new();
                        let _ = self.0.read_line(&mut data);
                        return data;
                    }
                }
                Err(_) => continue, // read timeout: try again until the deadline
            }
        }
        panic!("no `{wanted}` within 15 s; saw:\n{seen}");
    }
}

#[test]
fn edits_reload_and_errors_show_while_the_last_good_site_stays() {
    let (_dir, site) = common::site_copy("basic");
    let server = start(&site);
    let article = format!("{}world/summit/", server.url);
    let (status, html) = get(&article);
    assert_eq!(status, 200);
    assert!(html.contains("Leaders meet in &quot;Harbour&quot; summit"));
    assert!(html.contains("__broadsheet/events"), "the live script is injected");

    let mut events = Events::open(&server.url);
    let source = site.join("content/world/summit.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replace("Leaders meet in", "Presidents gather in")).unwrap();
    events.wait_for("event: reload");
    assert!(get(&article).1.contains("Presidents gather in"), "article");
    assert!(get(&format!("{}world/page/2/", server.url)).1.contains("Presidents gather in"), "category page");
    assert!(
        get(&format!("{}tags/harbour-summit/", server.url)).1.contains("Presidents gather in"),
        "tag page"
    );
    assert!(get(&format!("{}atom.xml", server.url)).1.contains("Presidents gather in"), "feed");
    assert!(get(&server.url).1.contains("Presidents gather in"), "front page");

    write(
        &site.join("content/world/broken.md"),
        "+++\ntitle = \"Broken\"\ncatgory = \"World\"\ndate = 2026-11-20\n+++\n",
    );
    let data = events.wait_for("event: failed");
    assert!(data.contains("unknown key `catgory`"), "{data}");
    let (status, html) = get(&article);
    assert_eq!(status, 200, "the last good page is still served");
    assert!(html.contains("Presidents gather in"));
    assert!(
        html.contains("content/world/broken.md:3:1") && html.contains("did you mean `category`?"),
        "overlay text"
    );

    std::fs::remove_file(site.join("content/world/broken.md")).unwrap();
    events.wait_for("event: reload");
    assert!(!get(&article).1.contains("broken.md"), "the overlay is gone once fixed");
    assert!(!site.join("public").exists(), "serve never writes the output folder");
}

#[test]
fn paths_outside_the_site_are_refused() {
    let (_dir, site) = common::site_copy("basic");
    write(&site.join("secret.txt"), "do not serve");
    let server = start(&site);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/world/..%2f..%2fsecret.txt",
        "/config.toml",
        "/content/world/summit.md",
        "/..\\secret.txt",
    ] {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split_whitespace().nth(1).unwrap_or_default().to_string();
        assert!(status == "400" || status == "404", "{path} gave {status}");
        assert!(!response.contains("do not serve") && !response.contains("title = "), "{path} leaked a file");
    }
    let (status, html) = get(&format!("{}no/such/page/", server.url));
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"), "the theme's 404 page");
    let css = ureq::get(&format!("{}style.css", server.url)).call().unwrap();
    assert_eq!(css.content_type(), "text/css");
}

/// Sends raw bytes on a new connection and returns what comes back (until close or 20 s).
fn raw(addr: &str, request: &[u8]) -> (String, Duration) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    (String::from_utf8_lossy(&response).to_string(), started.elapsed())
}

#[test]
fn hostile_clients_are_turned_away_and_many_are_served() {
    let (_dir, site) = common::site_copy("basic");
    let server = start(&site);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();

    let mut big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1 << 20));
    big.extend(b"\r\n\r\n");
    assert!(raw(&addr, &big).0.starts_with("HTTP/1.1 431"), "oversized headers");
    assert!(raw(&addr, b"BLAH\r\n\r\n").0.starts_with("HTTP/1.1 400"), "malformed request");
    let (response, waited) = raw(&addr, b"GET / HTTP/1.1\r\nHost: x\r\n");
    assert!(
        response.is_empty() && waited < Duration::from_secs(19),
        "an idle half-sent request is dropped ({waited:?})"
    );

    // 1,000 connections open at once, each with a request; every one gets the page.
    let mut streams: Vec<TcpStream> = (0..1000).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    for s in &mut streams {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(s, "GET /world/summit/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    }
    let mut ok = 0;
    for s in &mut streams {
        let mut response = String::new();
        let _ = s.read_to_string(&mut response);
        ok += usize::from(response.starts_with("HTTP/1.1 200") && response.contains("Leaders meet in"));
    }
    assert_eq!(ok, 1000);
}

/// The related-news sidebar of a page.
fn sidebar(html: &str) -> String {
    let after = html.split(r#"class="related-news""#).nth(1).unwrap_or_default();
    after.split("</aside>").next().unwrap_or_default().to_string()
}

#[test]
fn a_new_article_enters_the_related_news_of_unchanged_pages() {
    let (_dir, site) = common::site_copy("basic");
    let server = start(&site);
    let summit = format!("{}world/summit/", server.url);
    let headline = "Harbour summit leaders sign accord";
    assert!(!sidebar(&get(&summit).1).contains(headline));

    let mut events = Events::open(&server.url);
    write(
        &site.join("content/world/accord.md"),
        &format!(
            "+++\ntitle = \"{headline}\"\ndate = 2026-11-21T09:00:00Z\ntags = [\"Diplomacy\", \"Harbour Summit\"]\n+++\n\nLeaders at the harbour summit signed an accord, the first such summit in a decade.\n"
        ),
    );
    events.wait_for("event: reload");
    let side = sidebar(&get(&summit).1);
    assert!(side.contains(headline), "summit.md did not change, but its sidebar must: {side}");

    // Retitling it shows on the unchanged page too.
    let source = site.join("content/world/accord.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replace(headline, "Summit accord signed")).unwrap();
    events.wait_for("event: reload");
    let side = sidebar(&get(&summit).1);
    assert!(side.contains("Summit accord signed") && !side.contains(headline), "{side}");
}

#[test]
fn after_edits_every_served_file_equals_a_clean_build() {
    let (dir, site) = common::site_copy("basic");
    let server = start(&site);
    let mut events = Events::open(&server.url);
    // A retitle, a new article linking to another by file, a moved article (new slug), and
    // a deletion: each rebuild reuses what it can from the last one.
    let edit = |path: &str, from: &str, to: &str| {
        let file = site.join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{path} has no `{from}`");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    edit("content/world/summit.md", "Leaders meet in", "Presidents gather in");
    events.wait_for("event: reload");
    write(
        &site.join("content/world/links.md"),
        "+++\ntitle = \"Links\"\ndate = 2026-11-21T08:00:00Z\ntags = [\"Chips\"]\n+++\nSee [the chips story](../tech/chips.md).\n",
    );
    events.wait_for("event: reload");
    edit("content/tech/chips.md", "tags = [", "slug = \"chip-sales\"\ntags = [");
    events.wait_for("event: reload");
    std::fs::remove_file(site.join("content/world/talks.md")).unwrap();
    events.wait_for("event: reload");

    let clean = dir.path().join("clean");
    let base = server.url.clone();
    let out = common::broadsheet(
        &site,
        &["build", "--no-cache", "--base-url", &base, "-o", clean.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut compared = 0;
    for (path, bytes) in common::read_tree(&clean) {
        if path == ".broadsheet-output" {
            continue;
        }
        let (status, served) = get(&format!("{base}{path}"));
        assert_eq!(status, 200, "{path}");
        let expected = String::from_utf8_lossy(&bytes);
        assert_eq!(without_live_script(&served), expected, "{path} is stale in the preview");
        compared += 1;
    }
    assert!(compared > 20, "compared only {compared} files");
    assert!(get(&format!("{base}tech/chip-sales/")).1.contains("Chip makers"));
    assert!(get(&format!("{base}world/links/")).1.contains(r#"href="/tech/chip-sales/""#));
}

/// A served page without the live-reload script the preview adds.
fn without_live_script(html: &str) -> String {
    match (html.find("<script data-broadsheet-live>"), html.rfind("</body>")) {
        (Some(start), Some(end)) if start < end => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_string(),
    }
}

#[test]
fn folders_made_while_serving_are_watched_and_a_page_without_its_slash_redirects() {
    let (_dir, site) = common::site_copy("basic");
    for folder in ["static", "templates"] {
        let _ = std::fs::remove_dir_all(site.join(folder));
    }
    let server = start(&site);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();

    // A page asked for without its closing slash: redirected, as a web host does, so
    // that its relative links resolve inside its folder.
    let (response, _) = raw(&addr, b"GET /world/summit?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 301"), "{response}");
    assert!(response.to_lowercase().contains("location: /world/summit/?x=1\r\n"), "{response}");
    let (response, _) = raw(&addr, b"GET //world/summit HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(
        response.to_lowercase().contains("location: /world/summit/\r\n"),
        "never to a host `world`: {response}"
    );
    let (response, _) = raw(&addr, b"GET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 200"), "a file is served as it is");

    // static/ and templates/ made after the server started: what goes into them counts.
    let mut events = Events::open(&server.url);
    std::fs::create_dir(site.join("static")).unwrap();
    std::fs::create_dir(site.join("templates")).unwrap();
    events.wait_for("event: reload");
    write(&site.join("static/hello.txt"), "hello");
    write(
        &site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}CUSTOM404{% endblock content %}",
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let hello = get(&format!("{}hello.txt", server.url));
        let missing = get(&format!("{}no/such/page/", server.url));
        if hello == (200, "hello".to_string()) && missing.1.contains("CUSTOM404") {
            break;
        }
        assert!(Instant::now() < deadline, "new folders' files not served: {} and {}", hello.0, missing.0);
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_scheduled_article_is_served_once_it_is_due_without_an_edit() {
    let (_dir, site) = common::site_copy("basic");
    let due = chrono::Utc::now() + chrono::Duration::seconds(3);
    write(
        &site.join("content/world/soon.md"),
        &format!(
            "+++\ntitle = \"Embargoed report\"\ndate = {}\n+++\nText.\n",
            due.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    let server = start(&site);
    let url = format!("{}world/soon/", server.url);
    assert_eq!(get(&url).0, 404, "not before its time");
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(&url).0 != 200 {
        assert!(Instant::now() < deadline, "not served after its time");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(get(&server.url).1.contains("Embargoed report"), "and listed on the front page");
}
