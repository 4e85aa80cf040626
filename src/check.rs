//! `broadsheet check`: builds the site in memory and verifies that every internal link and
//! `#anchor` resolves, and with `--external`, that external links answer.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::render::SiteConstants;
use crate::render::{RelatedLists, RenderInput, Renderer, Theme};
use crate::{related, BuildOptions, Error};

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page the link is on (`/world/summit/`).
    pub page: String,
    /// The link as written.
    pub target: String,
    /// Why it is broken.
    pub reason: String,
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// HTML pages checked.
    pub pages: usize,
    /// Internal links checked.
    pub internal_links: usize,
    /// Distinct external URLs checked (with `--external`).
    pub external_links: usize,
    /// Every broken link, sorted by page.
    pub broken: Vec<BrokenLink>,
    /// Ids that more than one element of a page has, as (page, id), sorted: a link to such
    /// an `#id` finds only the first, and HTML allows each id once.
    pub repeated_ids: Vec<(String, String)>,
}

/// Limits for external checks.
#[derive(Debug, Clone)]
pub struct ExternalCheck {
    /// Requests at once.
    pub concurrency: usize,
    /// Time allowed per request.
    pub timeout: Duration,
}

/// Links and ids of one HTML page.
#[derive(Default)]
struct Scan {
    links: Vec<String>,
    ids: HashSet<String>,
    /// `id` values a second element has too.
    repeated_ids: Vec<String>,
}

/// Builds the site in memory (nothing is written) and checks its links.
pub fn check(options: &BuildOptions, external: Option<&ExternalCheck>) -> Result<CheckReport, Error> {
    let site = crate::load(options)?;
    let related = related::compute(&site.library, &site.config.related, &site.config.language);
    let theme = Theme::load(&options.source, &SiteConstants::of(&site.config))?;
    let renderer = Renderer::new(RenderInput {
        library: &site.library,
        related: RelatedLists::All(&related),
        config: &site.config,
        theme: &theme,
        tz: site.tz,
        now: options.now,
    })
    .map_err(Error::Template)?;
    let plan = crate::plan_output(&options.source, &renderer, &site.library, &site.assets)?;
    let (copies, pages) = (plan.copies, plan.pages);
    let mut known: HashSet<String> = copies.into_iter().map(|c| c.to).collect();
    let files: Vec<String> = pages.iter().map(|p| renderer.output_path(p)).collect();
    known.extend(files.iter().cloned());
    let base_path = site.config.base_path();
    let base_url = &site.config.base_url;
    // Each page is rendered, scanned and dropped in one pass: only its ids and the links
    // that need another page's ids are kept (100,000 articles: 4.9 GB when every page was
    // kept in memory until the end).
    let selectors = Selectors::new();
    let checked = pages
        .par_iter()
        .zip(&files)
        .filter(|(_, file)| file.ends_with(".html"))
        .map(|(page, file)| {
            let html = renderer.render(page).map_err(Error::Template)?.bytes;
            Ok(check_page(file, &String::from_utf8_lossy(&html), &selectors, base_url, &base_path, &known))
        })
        .collect::<Result<Vec<PageCheck>, Error>>()
        .map_err(|e| match e {
            Error::Template(_) => crate::first_template_error(&renderer, &pages).unwrap_or(e),
            other => other,
        })?;
    let mut report = CheckReport { pages: checked.len(), ..CheckReport::default() };
    let mut ids: HashMap<String, HashSet<String>> = HashMap::with_capacity(checked.len());
    let mut anchors = Vec::new();
    let mut externals: BTreeSet<(String, String)> = BTreeSet::new();
    for page in checked {
        report.internal_links += page.internal_links;
        report.broken.extend(page.broken);
        anchors.extend(page.anchors);
        externals.extend(page.external.into_iter().map(|link| (link, page.url.clone())));
        report.repeated_ids.extend(page.repeated_ids.into_iter().map(|id| (page.url.clone(), id)));
        ids.insert(page.file, page.ids);
    }
    for anchor in anchors {
        if ids.get(&anchor.file).is_some_and(|ids| !ids.contains(&anchor.id)) {
            let reason = format!("the page has no element with id `{}`", anchor.id);
            report.broken.push(BrokenLink { page: anchor.page, target: anchor.link, reason });
        }
    }
    if let Some(limits) = external {
        let urls: BTreeSet<&String> = externals.iter().map(|(u, _)| u).collect();
        report.external_links = urls.len();
        let failures = check_external(&urls.into_iter().cloned().collect::<Vec<_>>(), limits);
        for (url, reason) in failures {
            for (_, page) in externals.iter().filter(|(u, _)| *u == url) {
                report.broken.push(BrokenLink {
                    page: page.clone(),
                    target: url.clone(),
                    reason: reason.clone(),
                });
            }
        }
    }
    report.broken.sort();
    report.repeated_ids.sort();
    Ok(report)
}

enum Kind {
    Skip,
    External,
    Internal(String),
}

/// External, skipped (mailto:, data: ...), or internal as a path from the host's root.
fn classify(link: &str, base_url: &str, base_path: &str) -> Kind {
    let lower = link.to_ascii_lowercase();
    if let Some(rest) = link.strip_prefix(base_url) {
        return Kind::Internal(format!("{base_path}{rest}"));
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        Kind::External
    } else if lower.contains(':')
        && !lower.starts_with('/')
        && !lower.starts_with('#')
        && !lower.starts_with('.')
    {
        Kind::Skip // mailto:, tel:, data:, javascript:
    } else {
        Kind::Internal(link.to_string())
    }
}

/// The URL path of an output file (`world/a/index.html` -> `/base/world/a/`).
fn page_url(base_path: &str, file: &str) -> String {
    format!("{base_path}{}", file.strip_suffix("index.html").unwrap_or(file))
}

/// What one page's check found.
struct PageCheck {
    /// Its output file (`world/a/index.html`).
    file: String,
    /// Its URL path (`/world/a/`).
    url: String,
    ids: HashSet<String>,
    repeated_ids: Vec<String>,
    internal_links: usize,
    /// Internal links to no page or file.
    broken: Vec<BrokenLink>,
    /// Internal links to an anchor, which can only be checked once every page is scanned.
    anchors: Vec<Anchor>,
    /// External links, as written.
    external: Vec<String>,
}

/// A link to an `#anchor` of an existing output file.
struct Anchor {
    file: String,
    id: String,
    page: String,
    link: String,
}

/// Scans one page and checks its internal links against the output files.
fn check_page(
    file: &str,
    html: &str,
    selectors: &Selectors,
    base_url: &str,
    base_path: &str,
    known: &HashSet<String>,
) -> PageCheck {
    let url = page_url(base_path, file);
    let scan = scan(html, selectors);
    let mut page = PageCheck {
        file: file.to_string(),
        url,
        ids: scan.ids,
        repeated_ids: scan.repeated_ids,
        internal_links: 0,
        broken: Vec::new(),
        anchors: Vec::new(),
        external: Vec::new(),
    };
    for link in scan.links {
        match classify(&link, base_url, base_path) {
            Kind::Skip => {}
            Kind::External => page.external.push(link),
            Kind::Internal(target) => {
                page.internal_links += 1;
                match resolve(&target, &page.url, base_path, known) {
                    Ok((_, None)) => {}
                    Ok((file, Some(id))) => {
                        page.anchors.push(Anchor { file, id, page: page.url.clone(), link })
                    }
                    Err(reason) => {
                        page.broken.push(BrokenLink { page: page.url.clone(), target: link, reason })
                    }
                }
            }
        }
    }
    page
}

/// The output file that `target` (as written on `page`) names, and its anchor if it has one.
fn resolve(
    target: &str,
    page: &str,
    base_path: &str,
    known: &HashSet<String>,
) -> Result<(String, Option<String>), String> {
    let (rest, fragment) = target.split_once('#').map_or((target, None), |(p, f)| (p, Some(f)));
    let path = rest.split('?').next().unwrap_or_default();
    let absolute = if path.is_empty() {
        page.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        join(page, path)
    };
    let Some(inside) = absolute.strip_prefix(base_path) else {
        return Err(format!("points outside the site's base path {base_path}"));
    };
    let inside = percent_decode_str(inside).decode_utf8_lossy().to_string();
    let file = [
        if inside.is_empty() || inside.ends_with('/') {
            format!("{inside}index.html")
        } else {
            inside.clone()
        },
        format!("{inside}/index.html"),
    ]
    .into_iter()
    .find(|f| known.contains(f))
    .ok_or_else(|| "no such page or file in the built site".to_string())?;
    let id =
        fragment.filter(|f| !f.is_empty()).map(|id| percent_decode_str(id).decode_utf8_lossy().into_owned());
    Ok((file, id))
}

/// Resolves a relative path against a page URL ending in `/` (or a file URL).
fn join(page: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the file name, or "" after the trailing slash
    for part in relative.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The selectors `scan` looks for, parsed once per check rather than once per page.
struct Selectors {
    ids: lol_html::Selector,
    names: lol_html::Selector,
    hrefs: lol_html::Selector,
    sources: lol_html::Selector,
}

impl Selectors {
    fn new() -> Selectors {
        let parse = |selector: &str| selector.parse::<lol_html::Selector>();
        // Fixed, valid selectors: a failure here is a bug, caught by every test that checks.
        let (Ok(ids), Ok(names), Ok(hrefs), Ok(sources)) = (
            parse("[id]"),
            parse("a[name]"),
            parse("a[href], link[href], area[href]"),
            parse("img[src], script[src], source[src], iframe[src], video[src], audio[src]"),
        ) else {
            unreachable!("the link checker's selectors are valid CSS")
        };
        Selectors { ids, names, hrefs, sources }
    }
}

/// The links and element ids of one page. The page is only read: its rewritten output,
/// which lol_html would otherwise build up as a copy of the page, goes nowhere.
fn scan(html: &str, selectors: &Selectors) -> Scan {
    use lol_html::html_content::Element;
    use lol_html::{ElementContentHandlers, HtmlRewriter, Settings};
    use std::borrow::Cow;

    let found = RefCell::new(Scan::default());
    // A handler that keeps one attribute of each matched element as an id or as a link.
    let keep = |attribute: &'static str, as_id: bool| {
        let found = &found;
        ElementContentHandlers::default().element(move |el: &mut Element| {
            if let Some(value) = el.get_attribute(attribute) {
                let mut found = found.borrow_mut();
                if as_id {
                    if !found.ids.insert(value.clone()) && attribute == "id" {
                        found.repeated_ids.push(value);
                    }
                } else {
                    found.links.push(value);
                }
            }
            Ok(())
        })
    };
    let settings = Settings {
        element_content_handlers: vec![
            (Cow::Borrowed(&selectors.ids), keep("id", true)),
            (Cow::Borrowed(&selectors.names), keep("name", true)),
            (
                Cow::Borrowed(&selectors.hrefs),
                ElementContentHandlers::default().element(|el: &mut Element| {
                    let rel = el.get_attribute("rel").unwrap_or_default();
                    // Share links and other `nofollow` links are not the site's own references.
                    if let Some(href) = el
                        .get_attribute("href")
                        .filter(|_| !rel.contains("preconnect") && !rel.contains("nofollow"))
                    {
                        found.borrow_mut().links.push(href);
                    }
                    Ok(())
                }),
            ),
            (Cow::Borrowed(&selectors.sources), keep("src", false)),
        ],
        // The page is UTF-8 (as `rewrite_str` would take it), whatever a meta tag says.
        adjust_charset_on_meta_tag: false,
        ..Settings::new()
    };
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // A page lol_html cannot parse still gets checked for what was found before the error.
    match rewriter.write(html.as_bytes()) {
        Ok(()) => drop(rewriter.end()),
        Err(_) => drop(rewriter),
    }
    found.into_inner()
}

/// Requests each URL (HEAD, then GET when HEAD is refused) with a timeout, `concurrency` at
/// a time; returns the failures.
fn check_external(urls: &[String], limits: &ExternalCheck) -> Vec<(String, String)> {
    let agent = ureq::AgentBuilder::new()
        .timeout(limits.timeout)
        .redirects(5)
        .user_agent(concat!("broadsheet-check/", env!("CARGO_PKG_VERSION")))
        .build();
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(limits.concurrency.max(1)).build() {
        Ok(pool) => pool,
        Err(e) => return urls.iter().map(|u| (u.clone(), format!("cannot start checks: {e}"))).collect(),
    };
    let url_for = |u: &String| if u.starts_with("//") { format!("https:{u}") } else { u.clone() };
    pool.install(|| {
        urls.par_iter()
            .filter_map(|u| {
                let url = url_for(u);
                let result = match agent.head(&url).call() {
                    Err(ureq::Error::Status(405 | 403 | 501, _)) => agent.get(&url).call(),
                    other => other,
                };
                match result {
                    Ok(_) => None,
                    Err(ureq::Error::Status(code, _)) => Some((u.clone(), format!("answered HTTP {code}"))),
                    Err(e) => Some((u.clone(), format!("failed: {e}"))),
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_join_against_the_page() {
        assert_eq!(join("/news/world/a/", "b.svg"), "/news/world/a/b.svg");
        assert_eq!(join("/news/world/a/", "../b/"), "/news/world/b/");
        assert_eq!(join("/404.html", "x/"), "/x/");
    }

    #[test]
    fn scan_finds_links_and_ids() {
        let s = scan(
            r#"<h2 id="top">T</h2><a href="/a/#top">a</a><img src="x.png"><a name="old"></a>"#,
            &Selectors::new(),
        );
        assert_eq!(s.links, vec!["/a/#top", "x.png"]);
        assert!(s.ids.contains("top") && s.ids.contains("old"));
    }
}
