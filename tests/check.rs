//! `broadsheet check`: internal links and anchors in the built site, and external links
//! against a local HTTP server.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::{broadsheet, stderr, stdout, write};

#[test]
fn a_clean_site_has_no_broken_links_and_writes_nothing() {
    let (_dir, site) = common::site_copy("basic");
    let out = broadsheet(&site, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(": 0 broken"), "{}", stdout(&out));
    assert!(!site.join("public").exists(), "check builds in memory");
}

#[test]
fn broken_pages_and_anchors_are_reported_with_their_page() {
    let (_dir, site) = common::site_copy("basic");
    write(
        &site.join("content/world/links.md"),
        "+++\ntitle = \"Links\"\ndate = 2026-11-20\n+++\n\n[ok](/world/summit/#agenda) [gone](/world/nowhere/) [anchor](/world/summit/#no-such-part) [here](#nothing) [img](missing.png) [file](/robots.txt)\n",
    );
    let out = broadsheet(&site, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: broken link `/world/nowhere/` on /world/links/: no such page"), "{err}");
    assert!(err.contains("error: broken link `/world/summit/#no-such-part` on /world/links/: the page has no element with id `no-such-part`"), "{err}");
    assert!(err.contains("error: broken link `#nothing` on /world/links/"), "{err}");
    assert!(err.contains("error: broken link `missing.png` on /world/links/"), "{err}");
    assert!(!err.contains("#agenda") && !err.contains("robots.txt"), "good links pass: {err}");
    assert!(stdout(&out).contains(": 4 broken"), "{}", stdout(&out));
}

#[test]
fn an_id_on_two_elements_of_a_page_is_reported() {
    let (_dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(&site.join("config.toml"), &format!("{config}\n[markdown]\nraw_html = \"allow\"\n"));
    write(
        &site.join("content/world/ids.md"),
        "+++\ntitle = \"Ids\"\ndate = 2026-11-20\n+++\n\n<p id=\"twice\">a</p>\n\n<p id=\"twice\">b</p>\n",
    );
    let out = broadsheet(&site, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: id `twice` is on more than one element of /world/ids/"), "{err}");
    assert!(stdout(&out).contains(": 0 broken, 1 repeated id"), "{}", stdout(&out));
}

/// Serves `/ok` with 200 and everything else with 404, for `requests` connections.
fn serve(requests: usize) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let status =
                if request.split_whitespace().nth(1) == Some("/ok") { "200 OK" } else { "404 Not Found" };
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, handle)
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let (_dir, site) = common::site_copy("basic");
    let (url, server) = serve(2);
    write(
        &site.join("content/world/out.md"),
        &format!("+++\ntitle = \"Out\"\ndate = 2026-11-20\n+++\n\n[fine]({url}/ok) [dead]({url}/gone)\n"),
    );
    let internal_only = broadsheet(&site, &["check"]);
    assert!(internal_only.status.success(), "{}", stderr(&internal_only));
    let out = broadsheet(&site, &["check", "--external"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("broken link `{url}/gone` on /world/out/: answered HTTP 404")), "{err}");
    assert!(!err.contains("/ok`"), "{err}");
    server.join().unwrap();
}

#[test]
fn a_site_under_a_path_checks_clean() {
    let (_dir, site) = common::site_copy("basic");
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    write(
        &site.join("config.toml"),
        &config.replace("base_url = \"https://example.org/\"", "base_url = \"https://example.org/news/\""),
    );
    let out = broadsheet(&site, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(": 0 broken"), "{}", stdout(&out));
}
