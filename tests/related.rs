//! Related news end to end: a generated corpus of story clusters (articles of one story share
//! rare names, only some tags, sometimes not the category) is built with the real binary, and
//! the links in each page's `<aside class="related-news">` must find the story.

mod common;

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use common::{broadsheet, stderr, stdout, write};

/// A small deterministic generator (no external randomness, so the test is repeatable).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> String {
        const SYL: [&str; 16] = [
            "ka", "lo", "mer", "vin", "tor", "sa", "pel", "qui", "dra", "nox", "fen", "ul", "bri", "zan",
            "cor", "eth",
        ];
        (0..3).map(|_| SYL[self.below(SYL.len())]).collect()
    }
}

const COMMON: &str = "the of and to in said says will would more after over new also which their about year week people time first last government report company market city officials group plan data public support change growth expected";
const CATEGORIES: [&str; 5] = ["world", "business", "science", "sports", "culture"];
const GENERIC_TAGS: [&str; 4] = ["breaking", "analysis", "update", "feature"];

/// Writes the corpus; returns slug -> story (None for stand-alone pieces).
fn generate(site: &Path, articles: usize) -> HashMap<String, Option<usize>> {
    let mut rng = Lcg(42);
    let common: Vec<&str> = COMMON.split(' ').collect();
    let mut truth = HashMap::new();
    let mut story = 0;
    let mut n = 0;
    while n < articles {
        let size = if rng.below(10) < 7 { 2 + rng.below(4) } else { 1 };
        story += 1;
        let names: Vec<String> = (0..6).map(|_| rng.word()).collect();
        let story_tag = rng.word();
        let home = CATEGORIES[rng.below(CATEGORIES.len())];
        let day = 1 + rng.below(25);
        for _ in 0..size.min(articles - n) {
            let category = if rng.below(10) < 7 { home } else { CATEGORIES[rng.below(CATEGORIES.len())] };
            let mut tags = vec![GENERIC_TAGS[rng.below(GENERIC_TAGS.len())].to_string()];
            if size > 1 && rng.below(2) == 0 {
                tags.push(story_tag.clone());
            }
            let mut body = String::new();
            for _ in 0..4 {
                for _ in 0..40 {
                    let w = if size > 1 && rng.below(6) == 0 {
                        names[rng.below(names.len())].clone()
                    } else {
                        common[rng.below(common.len())].to_string()
                    };
                    write!(body, "{w} ").unwrap();
                }
                body.push_str(".\n\n");
            }
            let title: Vec<String> = (0..5)
                .map(|_| {
                    if size > 1 && rng.below(2) == 0 {
                        names[rng.below(3)].clone()
                    } else {
                        common[rng.below(common.len())].to_string()
                    }
                })
                .collect();
            let slug = format!("a{n:04}");
            let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
            write(
                &site.join(format!("content/{category}/{slug}.md")),
                &format!(
                    "+++\ntitle = \"{}\"\ndate = 2026-03-{day:02}T{:02}:00:00Z\ntags = [{}]\n+++\n\n{body}",
                    title.join(" "),
                    rng.below(24),
                    tags.join(", ")
                ),
            );
            truth.insert(slug, (size > 1).then_some(story));
            n += 1;
        }
    }
    truth
}

/// The hrefs inside the element with class `related-news`, in order.
fn sidebar_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"related-news\"") else {
        return Vec::new();
    };
    let end = html[start..].find("</aside>").map_or(html.len(), |e| start + e);
    html[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn sidebars_find_the_story_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let truth = generate(dir.path(), 300);
    write(&dir.path().join("config.toml"), "title = \"Bench\"\n");
    let out = broadsheet(dir.path(), &["build"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    truth.values().flatten().for_each(|s| *sizes.entry(*s).or_default() += 1);
    let (mut hits, mut slots, mut pages, mut covered) = (0, 0, 0, 0);
    for entry in walkdir::WalkDir::new(dir.path().join("public")).into_iter().map(Result::unwrap) {
        let slug = entry.file_name().to_string_lossy().to_string();
        let Some(story) = truth.get(&slug) else {
            continue;
        };
        let html = std::fs::read_to_string(entry.path().join("index.html")).unwrap();
        let links: Vec<String> = sidebar_links(&html)
            .iter()
            .map(|h| h.trim_end_matches('/').rsplit('/').next().unwrap().to_string())
            .collect();
        pages += 1;
        covered += usize::from(!links.is_empty());
        if let Some(s) = story {
            let m = (sizes[s] - 1).min(5);
            hits += links.iter().take(m).filter(|l| truth.get(*l) == Some(&Some(*s))).count();
            slots += m;
        }
    }
    assert_eq!(pages, 300, "every article page was scored");
    assert_eq!(covered, pages, "every article has a sidebar");
    let precision = hits as f64 / slots as f64;
    assert!(precision >= 0.9, "precision {precision:.3} ({hits}/{slots}) is below 0.9");
}

/// Real-looking articles in three subjects (football, interest rates, space), weeks or months
/// apart and in one category, so that no story, date or category links them: the first three
/// sidebar links of each must mostly be of its subject.
#[test]
fn sidebars_find_the_subject_on_real_text() {
    let (_dir, site) = common::site_copy("related-topics");
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let (mut hits, mut slots, mut pages) = (0, 0, 0);
    for entry in std::fs::read_dir(site.join("public/news")).unwrap() {
        let entry = entry.unwrap();
        let slug = entry.file_name().to_string_lossy().to_string();
        let Some((subject, _)) = slug.split_once('-') else { continue };
        let Ok(html) = std::fs::read_to_string(entry.path().join("index.html")) else { continue };
        assert!(!html.contains("More in News"), "{slug}: every place is earned by content");
        let links = sidebar_links(&html);
        assert_eq!(links.len(), 5, "{slug}: {links:?}");
        pages += 1;
        for link in links.iter().take(3) {
            hits += usize::from(link.trim_end_matches('/').rsplit('/').next().unwrap().starts_with(subject));
            slots += 1;
        }
    }
    assert_eq!(pages, 24);
    let precision = hits as f64 / slots as f64;
    assert!(precision >= 0.85, "precision@3 {precision:.3} ({hits} of {slots})");
}

#[test]
fn related_command_explains_each_signal() {
    let (_dir, site) = common::site_copy("basic");
    let out = broadsheet(&site, &["related", "content/world/summit.md"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.starts_with("Related to “Leaders meet in \"Harbour\" summit” (/world/summit/)"), "{text}");
    assert!(
        text.contains(" 1. Talks continue into the night (/world/talks/)")
            || text.contains(" 2. Talks continue into the night (/world/talks/)"),
        "{text}"
    );
    assert!(
        (text.contains("same story: ") && text.contains("(story words ") && text.contains("× closeness "))
            || (text.contains("same subject: ") && text.contains("(theme ") && text.contains("× category ")),
        "{text}"
    );
    assert!(text.contains("shared tags: Diplomacy (on 2 articles)"), "{text}");
    let by_slug = broadsheet(&site, &["related", "-s", ".", "summit"]);
    assert_eq!(stdout(&by_slug), text, "a slug finds the same article");
    // The file as a path from elsewhere, or an absolute one, finds it too.
    let parent = site.parent().unwrap();
    let name = site.file_name().unwrap().to_string_lossy().to_string();
    let from_outside = format!("{name}/content/world/summit.md");
    let by_path = broadsheet(parent, &["-s", &name, "related", &from_outside]);
    assert_eq!(stdout(&by_path), text, "{}", stderr(&by_path));
    let absolute = site.join("content/world/summit.md").to_string_lossy().to_string();
    assert_eq!(stdout(&broadsheet(parent, &["-s", &name, "related", &absolute])), text);
    let missing = broadsheet(&site, &["related", "no-such-story"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no published article matches `no-such-story`"),
        "{}",
        stderr(&missing)
    );
}

/// The whole site comes out the same whatever the number of threads: the text analysis
/// splits the articles into one chunk list per thread count, and pages render in whatever
/// order the threads take them.
#[test]
fn the_site_is_the_same_built_on_one_thread_or_several() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 240);
    write(&dir.path().join("config.toml"), "title = \"Bench\"\n");
    let build_with = |threads: &str| {
        let output = dir.path().join(format!("out-{threads}"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["build", "--no-cache", "-o", output.to_str().unwrap()])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        common::read_tree(&output)
    };
    let one = build_with("1");
    assert!(one.len() > 240, "{} files", one.len());
    assert!(one.keys().any(|f| f.starts_with("world/a0")), "the articles were built");
    for threads in ["3", "8"] {
        let many = build_with(threads);
        assert_eq!(one.keys().collect::<Vec<_>>(), many.keys().collect::<Vec<_>>(), "{threads} threads");
        let differing: Vec<&String> = one.keys().filter(|f| one[*f] != many[*f]).collect();
        assert!(differing.is_empty(), "with {threads} threads these files differ: {differing:?}");
    }
}

#[test]
fn html_character_references_are_no_words_that_relate_articles() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("config.toml"), "base_url = \"https://example.org/\"\n");
    write(
        &dir.path().join("content/news/ferry.md"),
        "+++\ntitle = \"Harbour ferry timetable changes\"\ndate = 2026-11-28T12:00:00Z\n+++\nThe harbour ferry & tram timetable changes on Monday; boats leave at 7 & 9 when x < y.\n",
    );
    write(
        &dir.path().join("content/news/chess.md"),
        "+++\ntitle = \"Chess club elects new captain\"\ndate = 2026-11-28T12:30:00Z\n+++\nThe chess club & library committee voted; results & minutes follow, x > y.\n",
    );
    let out = broadsheet(dir.path(), &["related", "ferry"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!text.contains("amp") && !text.contains(" lt") && !text.contains(" gt"), "{text}");
    assert!(!text.contains("1. Chess club") || text.contains("fallback"), "no real match: {text}");
}
