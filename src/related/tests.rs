//! Unit tests of the related-news engine on small hand-made libraries.

use std::path::Path;

use chrono::{TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
use crate::config::{MarkdownConfig, RelatedConfig};
use crate::content::{Article, ParseContext};
use crate::library::Selection;

/// (file, front matter lines, body) -> a rendered library.
fn library(articles: &[(&str, &str, &str)]) -> Library {
    let ctx = ParseContext { tz: Tz::UTC, default_author: "Desk" };
    let parsed: Vec<Article> = articles
        .iter()
        .map(|(path, fm, body)| {
            Article::parse(Path::new(path), &format!("+++\n{fm}\n+++\n{body}\n"), &ctx).unwrap()
        })
        .collect();
    let selection =
        Selection { drafts: false, future: false, now: Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap() };
    let (mut lib, errors) = Library::build(parsed, &[], Tz::UTC, &selection);
    assert!(errors.is_empty(), "{errors:?}");
    lib.render_markdown(&MarkdownConfig::default(), "/", &[], &mut crate::cache::Cache::new());
    lib
}

fn id_of(lib: &Library, path: &str) -> ArticleId {
    ArticleId(lib.entries.iter().position(|e| e.path == path).unwrap() as u32)
}

fn paths(lib: &Library, list: &[Related]) -> Vec<String> {
    list.iter().map(|r| lib.get(r.id).path.clone()).collect()
}

/// Twelve filler articles so that document frequencies mean something.
fn filler() -> Vec<(String, String, String)> {
    let topics = [
        "harbour ferry timetable",
        "library opening hours",
        "school lunch menu",
        "road resurfacing works",
        "bakery award",
        "choir concert",
        "rainfall record",
        "bus fares",
        "park bench donation",
        "museum night",
        "tennis club",
        "cycle lane",
    ];
    topics
        .iter()
        .enumerate()
        .map(|(i, topic)| {
            (
                format!("content/local/filler-{i}.md"),
                format!("title = \"Update on the {topic}\"\ndate = 2026-10-{:02}\ntags = [\"local\", \"update\"]", i + 1),
                format!("Officials said the {topic} would change next week, according to the council. People said the plan was expected."),
            )
        })
        .collect()
}

fn with_filler(extra: &[(&str, &str, &str)]) -> Library {
    let filler = filler();
    let mut all: Vec<(&str, &str, &str)> =
        filler.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    all.extend_from_slice(extra);
    library(&all)
}

const STORY: [(&str, &str, &str); 3] = [
    ("content/business/quarvex-bid.md", "title = \"Quarvex makes bid for Tellimar\"\ndate = 2026-10-10\ntags = [\"update\"]", "Quarvex offered to buy Tellimar, the shipping group, in a deal that would create the largest operator of the Ostrava corridor."),
    ("content/politics/quarvex-review.md", "title = \"Regulators open review of Quarvex deal\"\ndate = 2026-10-12\ntags = [\"local\"]", "Competition regulators will examine whether the Quarvex takeover of Tellimar harms freight customers along the Ostrava corridor."),
    ("content/business/tellimar-board.md", "title = \"Tellimar board backs Quarvex offer\"\ndate = 2026-10-13", "The Tellimar board told shareholders to accept the Quarvex offer, citing the Ostrava corridor and the shipping outlook."),
];

#[test]
fn rare_shared_story_terms_rank_the_story_first() {
    let lib = with_filler(&STORY);
    let related = compute(&lib, &RelatedConfig::default(), "en");
    let bid = id_of(&lib, "business/quarvex-bid/");
    let top: Vec<String> = paths(&lib, &related[bid.index()])[..2].to_vec();
    assert!(top.contains(&"politics/quarvex-review/".to_string()), "{top:?}");
    assert!(top.contains(&"business/tellimar-board/".to_string()), "{top:?}");
    assert!(!related[bid.index()][0].fallback);
}

#[test]
fn common_tags_do_not_dominate() {
    // The review shares the generic "local" tag with twelve filler articles but its words with
    // the story; the story must still come first.
    let lib = with_filler(&STORY);
    let related = compute(&lib, &RelatedConfig::default(), "en");
    let review = id_of(&lib, "politics/quarvex-review/");
    let mut top = paths(&lib, &related[review.index()])[..2].to_vec();
    top.sort();
    assert_eq!(top, vec!["business/quarvex-bid/", "business/tellimar-board/"]);
}

#[test]
fn rare_shared_tags_link_articles_without_shared_words() {
    let lib = with_filler(&[
        (
            "content/science/a.md",
            "title = \"Probe reaches orbit\"\ndate = 2026-10-20\ntags = [\"Velomir mission\"]",
            "Engineers cheered.",
        ),
        (
            "content/science/b.md",
            "title = \"Cameras switched on\"\ndate = 2026-10-21\ntags = [\"Velomir mission\"]",
            "First pictures soon.",
        ),
    ]);
    let related = compute(&lib, &RelatedConfig::default(), "en");
    let a = id_of(&lib, "science/a/");
    assert_eq!(paths(&lib, &related[a.index()])[0], "science/b/");
    assert!(!related[a.index()][0].fallback);
}

#[test]
fn the_same_content_gives_the_same_lists_in_any_order() {
    let mut files: Vec<(String, String, String)> = filler();
    files.extend(STORY.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
    let as_refs = |v: &Vec<(String, String, String)>| -> Vec<(String, Vec<String>)> {
        let refs: Vec<(&str, &str, &str)> =
            v.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        let lib = library(&refs);
        let related = compute(&lib, &RelatedConfig::default(), "en");
        let mut out: Vec<(String, Vec<String>)> =
            lib.entries.iter().zip(&related).map(|(e, r)| (e.path.clone(), paths(&lib, r))).collect();
        out.sort();
        out
    };
    let first = as_refs(&files);
    files.reverse();
    files.swap(0, 7);
    assert_eq!(as_refs(&files), first);
    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    assert_eq!(single.install(|| as_refs(&files)), first, "thread count does not matter");
}

#[test]
fn pinned_articles_come_first_in_their_order() {
    let mut story = STORY.to_vec();
    story[0].1 = "title = \"Quarvex makes bid for Tellimar\"\ndate = 2026-10-10\nrelated = [\"filler-3\", \"local/filler-1\"]";
    let lib = with_filler(&story);
    let related = compute(&lib, &RelatedConfig::default(), "en");
    let bid = id_of(&lib, "business/quarvex-bid/");
    let list = paths(&lib, &related[bid.index()]);
    assert_eq!(&list[..2], &["local/filler-3/", "local/filler-1/"]);
    assert!(list[2..].contains(&"politics/quarvex-review/".to_string()));
}

#[test]
fn an_article_with_nothing_to_compare_is_given_the_newest_of_its_category_and_marked() {
    let lib = with_filler(&[(
        "content/local/lonely.md",
        "title = \"Zyxwv qponm\"\ndate = 2026-10-30",
        "Nothing in common at all.",
    )]);
    let config = RelatedConfig { count: 3, ..RelatedConfig::default() };
    let related = compute(&lib, &config, "en");
    let lonely = id_of(&lib, "local/lonely/");
    let list = &related[lonely.index()];
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|r| r.fallback));
    assert_eq!(paths(&lib, list), vec!["local/filler-11/", "local/filler-10/", "local/filler-9/"]);
}

/// Three football reports with no name in common, and the list of one of them.
fn football_list(count: usize) -> (Library, Vec<String>) {
    let lib = with_filler(&[
        ("content/sport/derby.md", "title = \"Late goal settles the derby\"\ndate = 2026-09-01", "The striker scored a late goal in the league match, and the home side climbed the table. The goalkeeper saved a penalty before the break; the season's top scorer hit the post."),
        ("content/sport/cup.md", "title = \"Goalkeeper saves penalty in cup tie\"\ndate = 2026-08-02", "A penalty save by the goalkeeper sent the side through. The striker missed two chances, the midfield controlled the match, and the manager praised the defence after the league leaders fell."),
        ("content/sport/transfer.md", "title = \"Striker signs before the season\"\ndate = 2026-07-03", "The club signed a striker who scored twenty league goals last season. The manager wants goals from the attack and a stronger defence before the first match of the season."),
    ]);
    let config = RelatedConfig { count, ..RelatedConfig::default() };
    let related = compute(&lib, &config, "en");
    let derby = id_of(&lib, "sport/derby/");
    assert!(related[derby.index()].iter().all(|r| !r.fallback));
    let list = paths(&lib, &related[derby.index()]);
    (lib, list)
}

#[test]
fn topical_neighbours_fill_the_list_instead_of_the_newest_articles() {
    // The reports are weeks apart and share no names: no story match, but the same subject.
    let (_, list) = football_list(2);
    let mut list = list;
    list.sort();
    assert_eq!(list, vec!["sport/cup/", "sport/transfer/"]);
}

#[test]
fn a_same_story_article_outranks_a_topical_neighbour() {
    let mut files = STORY.to_vec();
    // A business article on the same subject (takeovers of shipping groups) without the
    // story's names, weeks later.
    files.push((
        "content/business/merger-wave.md",
        "title = \"Shipping groups look for a buyer\"\ndate = 2026-11-20",
        "Several shipping groups want a deal with a larger operator; a takeover would need regulators to agree, and shareholders to accept an offer.",
    ));
    let lib = with_filler(&files);
    let related = compute(&lib, &RelatedConfig::default(), "en");
    let bid = id_of(&lib, "business/quarvex-bid/");
    let list = paths(&lib, &related[bid.index()]);
    let topical = list.iter().position(|p| p == "business/merger-wave/");
    let story_last = ["politics/quarvex-review/", "business/tellimar-board/"]
        .iter()
        .map(|p| list.iter().position(|q| q == p).expect("the story is listed"))
        .max();
    let engine = Engine::new(&lib, &RelatedConfig::default(), "en");
    let matches = engine.matches(&lib, bid);
    assert!(topical.is_some(), "the topical neighbour fills a place: {list:?} {matches:#?}");
    assert!(story_last < topical, "{list:?} {matches:#?}");
}

#[test]
fn include_newer_and_same_category_only_filter_candidates() {
    let lib = with_filler(&STORY);
    let bid = id_of(&lib, "business/quarvex-bid/");
    let older_only = RelatedConfig { include_newer: false, ..RelatedConfig::default() };
    let list = compute(&lib, &older_only, "en");
    let bid_list = paths(&lib, &list[bid.index()]);
    assert!(
        !bid_list.iter().any(|p| p.contains("quarvex") || p.contains("tellimar")),
        "the bid is the first of its story"
    );
    for (i, related) in list.iter().enumerate() {
        assert!(related.iter().all(|r| !r.fallback), "every article here has words to compare");
        let date = lib.entries[i].article.date;
        assert!(
            related.iter().all(|r| lib.get(r.id).article.date <= date),
            "no newer article, not even to fill the list: {}",
            lib.entries[i].path
        );
    }
    let same_cat = RelatedConfig { same_category_only: true, ..RelatedConfig::default() };
    let list = compute(&lib, &same_cat, "en");
    assert_eq!(paths(&lib, &list[bid.index()])[0], "business/tellimar-board/");
    assert!(!paths(&lib, &list[bid.index()]).contains(&"politics/quarvex-review/".to_string()));
}

#[test]
fn explain_names_the_shared_terms_and_signals() {
    let lib = with_filler(&STORY);
    let config = RelatedConfig::default();
    let engine = Engine::new(&lib, &config, "en");
    let bid = id_of(&lib, "business/quarvex-bid/");
    let best = engine.matches(&lib, bid)[0];
    assert!(best.signals.text > 0.3 && best.story, "{best:?}");
    assert!((best.score - best.signals.story_score(&config)).abs() < 1e-6);
    let words = explain::shared_words(&engine, &lib, bid, best.id);
    assert!(words.contains(&"quarvex".to_string()) && words.contains(&"tellimar".to_string()), "{words:?}");
}

#[test]
fn a_tag_on_every_article_adds_no_candidate_even_with_no_minimum_score() {
    // The tag is on all three articles, so its weight is 0: it is evidence of nothing, and
    // no candidate may come from it (nor come twice, once per posting).
    let lib = library(&[
        ("content/a/one.md", "title = \"Alpha\"\ndate = 2026-10-01\ntags = [\"all\"]", "Orchids."),
        ("content/a/two.md", "title = \"Beta\"\ndate = 2026-10-02\ntags = [\"all\"]", "Tractors."),
        ("content/a/three.md", "title = \"Gamma\"\ndate = 2026-10-03\ntags = [\"all\"]", "Violins."),
    ]);
    let config = RelatedConfig { min_score: 0.0, ..RelatedConfig::default() };
    let engine = Engine::new(&lib, &config, "en");
    for i in 0..3 {
        assert_eq!(engine.matches(&lib, ArticleId(i)), vec![], "article {i}");
    }
}

#[test]
fn bags_from_shared_counters_equal_bags_counted_alone() {
    // Fifteen articles make several chunks per thread, so counters are handed on from chunk
    // to chunk with words they learned from other articles.
    let lib = with_filler(&STORY);
    let analyzer = text::Analyzer::new("en", true);
    let together = term_bags(&lib, &analyzer, |_| None);
    assert_eq!(together.len(), lib.entries.len());
    for (entry, bag) in lib.entries.iter().zip(&together) {
        assert!(!bag.is_empty(), "{}", entry.path);
        assert_eq!(**bag, term_bag(&analyzer, entry), "{}", entry.path);
    }
}

/// A deterministic library of `n` articles: twenty stories told in six categories over two
/// months, each article with its story's words, words shared by many stories, and tags from a
/// small pool (some on most articles), so that candidates come in every strength. Every fifth
/// article is written in words of its own: it shares only tags, so that it is found (and finds
/// others) through the tags' posting lists alone.
fn generated_library(n: usize) -> Library {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % below
    };
    let syllables = ["ka", "lo", "mir", "ven", "tas", "ul", "dro", "pen", "ix", "sor", "bel", "qua"];
    let word = |parts: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
        (0..parts).map(|_| syllables[next(syllables.len())]).collect()
    };
    let common: Vec<String> = (0..40).map(|_| word(2, &mut next)).collect();
    let stories: Vec<Vec<String>> = (0..20).map(|_| (0..8).map(|_| word(3, &mut next)).collect()).collect();
    let categories = ["world", "business", "science", "sports", "health", "local"];
    let tags = ["markets", "policy", "weather", "courts", "energy", "transport", "trade", "schools"];
    let files: Vec<(String, String, String)> = (0..n)
        .map(|i| {
            let own: Vec<String> = (0..8).map(|k| format!("solo{i}x{k}")).collect();
            let story = if i % 5 == 0 { &own } else { &stories[next(stories.len())] };
            let mut words: Vec<&str> = Vec::new();
            for _ in 0..60 {
                let w = if i % 5 == 0 || next(3) == 0 {
                    &story[next(story.len())]
                } else {
                    &common[next(common.len())]
                };
                words.push(w);
            }
            let title: Vec<&str> = (0..4).map(|_| story[next(story.len())].as_str()).collect();
            let article_tags: Vec<String> = (0..next(4))
                .map(|_| format!("\"{}\"", tags[next(tags.len()).min(next(tags.len()))]))
                .collect();
            (
                format!("content/{}/a{i}.md", categories[next(categories.len())]),
                format!(
                    "title = \"{}\"\ndate = 2026-{:02}-{:02}T{:02}:00:00Z\ntags = [{}]",
                    title.join(" "),
                    9 + next(2),
                    1 + next(28),
                    next(24),
                    article_tags.join(", ")
                ),
                words.join(" "),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> =
        files.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    library(&refs)
}

/// The best matches found the slow way: every article with any evidence (a story word, a
/// query word or a tag) scored and ranked, no shortlist.
fn exhaustive_matches(engine: &Engine, library: &Library, id: ArticleId) -> Vec<Match> {
    let n = library.entries.len();
    let mut evidence = vec![Evidence::default(); n];
    for &(t, w) in &engine.index.signatures[id.index()] {
        for &(doc, v) in &engine.index.text_postings[t as usize] {
            evidence[doc as usize].text += w * v;
        }
    }
    for &(t, w) in engine.index.topics.query(id.index()) {
        for &(doc, v) in &engine.index.topics.postings[t as usize] {
            evidence[doc as usize].words += w * v;
        }
    }
    for &(t, w) in &engine.index.tag_vectors[id.index()] {
        for &(doc, v) in &engine.index.tag_postings[t as usize] {
            evidence[doc as usize].tags += w * v;
        }
    }
    let mut all: Vec<Match> = (0..n)
        .filter(|&doc| evidence[doc] != Evidence::default() && engine.allowed(id, ArticleId(doc as u32)))
        .map(|doc| {
            let other = ArticleId(doc as u32);
            Match::new(other, engine.signals(id, other, evidence[doc]), &engine.config)
        })
        .collect();
    all.sort_by(|a, b| rank(library, a, b));
    all.truncate(engine.config.count);
    all
}

#[test]
fn the_shortlist_finds_the_exhaustive_best_lists() {
    let lib = generated_library(300);
    let default = RelatedConfig::default();
    let configs = [
        default.clone(),
        RelatedConfig { count: 1, ..default.clone() },
        RelatedConfig { count: 12, min_score: 0.0, ..default.clone() },
        RelatedConfig { min_score: 0.2, ..default.clone() },
        RelatedConfig { include_newer: false, ..default.clone() },
        RelatedConfig { same_category_only: true, count: 8, ..default.clone() },
        RelatedConfig { tag_weight: 1.0, text_weight: 0.0, ..default.clone() },
        RelatedConfig { category_weight: 2.0, date_weight: 0.5, half_life_days: 0.5, ..default.clone() },
    ];
    for config in &configs {
        let engine = Engine::new(&lib, config, "en");
        let (mut same, mut listed) = (0, 0);
        for i in 0..lib.entries.len() {
            let id = ArticleId(i as u32);
            let expected = exhaustive_matches(&engine, &lib, id);
            let found = engine.matches(&lib, id);
            assert!(found.len() <= config.count);
            same += expected.iter().filter(|m| found.contains(m)).count();
            listed += expected.len();
        }
        assert!(listed * 2 > lib.entries.len(), "the library gives matches to compare: {listed}, {config:?}");
        assert!(same * 100 >= listed * 95, "{same} of {listed} found, {config:?}");
    }
}

#[test]
fn a_count_of_zero_turns_related_news_off() {
    let lib = with_filler(&STORY);
    let config = RelatedConfig { count: 0, ..RelatedConfig::default() };
    assert!(compute(&lib, &config, "en").iter().all(Vec::is_empty));
    let engine = Engine::new(&lib, &config, "en");
    assert_eq!(engine.matches(&lib, id_of(&lib, "business/quarvex-bid/")), vec![]);
}

#[test]
fn scratch_keeps_each_touched_article_once_in_first_touched_order() {
    let mut scratch = Scratch::new(5);
    scratch.add(&[(3, 0.5), (1, 0.25)], 2.0, Signal::Text);
    scratch.add(&[(1, 1.0), (4, 0.5)], 1.0, Signal::Tags);
    assert_eq!(&scratch.touched[..scratch.touched_len], &[3, 1, 4]);
    let evidence = |doc: usize| (scratch.evidence[doc].text, scratch.evidence[doc].tags);
    assert_eq!([evidence(1), evidence(3), evidence(4)], [(0.5, 1.0), (1.0, 0.0), (0.0, 0.5)]);
    assert!(scratch.evidence[0].is_empty() && scratch.evidence[2].is_empty());

    // A posting of weight 0 leaves the evidence empty, so the article counts as untouched
    // again and may be listed more than once; scoring skips articles with empty evidence.
    let mut taken: Vec<u32> =
        scratch.take_strongest(2, 1.0, |_| true).iter().map(|(doc, _, _)| *doc).collect();
    taken.sort();
    assert_eq!(taken, vec![1, 3], "the two with the most evidence");
    assert!((0..5).all(|doc| scratch.evidence[doc].is_empty()), "all accumulators are empty again");
    scratch.add(&[(0, 0.0), (0, 0.0), (2, 1.0)], 1.0, Signal::Text);
    assert_eq!(&scratch.touched[..scratch.touched_len], &[0, 0, 2]);
    assert!(scratch.evidence[0].is_empty());
    let taken: Vec<u32> = scratch.take_strongest(5, 1.0, |_| true).iter().map(|(doc, _, _)| *doc).collect();
    assert_eq!(taken, vec![2], "an article touched by zero weights only is no candidate");
}
