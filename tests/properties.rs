//! Property tests: slugs and site paths never escape the output folder and are stable,
//! colliding slugs are reported, local dates survive every time zone and DST change,
//! pagination covers every article exactly once, and words are counted as
//! `split_whitespace` counts them.

use std::path::Path;

use broadsheet::config::Config;
use broadsheet::content::{to_utc, Article, ParseContext};
use broadsheet::library::{Library, Selection};
use broadsheet::render::{page_count, page_path};
use broadsheet::slugs::{check_segment, check_site_path, slugify};
use chrono::{NaiveDate, TimeZone, Timelike};
use proptest::prelude::*;

const ZONES: [chrono_tz::Tz; 6] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Pacific::Chatham,
];

proptest! {
    #[test]
    fn slugs_are_safe_single_segments_and_stable(name in "\\PC{0,40}") {
        let slug = slugify(&name);
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
        prop_assert_eq!(slugify(&slug), slug.clone(), "slugify is idempotent");
        if !slug.is_empty() {
            prop_assert!(check_segment(&slug).is_ok());
        }
    }

    #[test]
    fn accepted_site_paths_stay_inside(path in "[a-z./\\\\:%-]{0,30}") {
        if let Ok(clean) = check_site_path(&path) {
            prop_assert!(!clean.starts_with('/'));
            prop_assert!(clean.split('/').all(|s| s != ".." && s != "."));
            prop_assert!(!clean.contains('\\') && !clean.contains("://"));
            prop_assert!(Path::new(&clean).components().all(|c| matches!(c, std::path::Component::Normal(_))));
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them(text in "(\\PC|\\s|[\u{85}\u{a0}\u{2028}\u{3000}\t\u{b} ]|東|京|の|、|。|，){0,60}") {
        // Characters of text written without spaces, and its punctuation, are gaps between
        // words; the characters count one word for every two.
        let cjk = |c: char| broadsheet::related::is_cjk(c);
        let gap = |c: char| cjk(c) || broadsheet::markdown::is_unspaced_punctuation(c);
        let spaced: String = text.chars().map(|c| if gap(c) { ' ' } else { c }).collect();
        let expected = spaced.split_whitespace().count() + text.chars().filter(|&c| cjk(c)).count().div_ceil(2);
        prop_assert_eq!(broadsheet::markdown::count_words(&text), expected, "{:?}", text);
    }

    #[test]
    fn ascii_words_are_counted_as_split_whitespace_counts_them(text in "[\\x00-\\x7f]{0,60}") {
        prop_assert_eq!(broadsheet::markdown::count_words(&text), text.split_whitespace().count(), "{:?}", text);
    }

    #[test]
    fn accepted_slugs_are_one_segment(segment in "\\PC{0,20}") {
        if check_segment(&segment).is_ok() {
            prop_assert!(!segment.contains('/') && !segment.contains('\\'));
            prop_assert!(segment != "." && segment != "..");
        }
    }

    #[test]
    fn colliding_slugs_are_reported(a in "[A-Za-z ]{1,12}", b in "[A-Za-z ]{1,12}") {
        let ctx = ParseContext { tz: chrono_tz::UTC, default_author: "Desk" };
        let parse = |file: &str, slug: &str| {
            let text = format!("+++\ntitle = \"t\"\ndate = 2026-01-01\nslug = \"{slug}\"\n+++\n");
            Article::parse(Path::new(file), &text, &ctx)
        };
        if let (Ok(x), Ok(y)) = (parse("content/n/x.md", &a), parse("content/n/y.md", &b)) {
            let selection = Selection { drafts: false, future: false, now: chrono::Utc::now() };
            let (_, errors) = Library::build(vec![x, y], &[], chrono_tz::UTC, &selection);
            let collide = slugify(&a) == slugify(&b);
            prop_assert_eq!(errors.iter().any(|e| e.message.starts_with("two articles have the URL")), collide);
        }
    }

    #[test]
    fn local_dates_round_trip_in_every_zone(day in 0i64..3650, minutes in 0u32..1440, zone in 0usize..ZONES.len()) {
        let tz = ZONES[zone];
        let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(day);
        let text = format!("{}T{:02}:{:02}:00", date, minutes / 60, minutes % 60);
        let value: toml::value::Datetime = text.parse().unwrap();
        let utc = to_utc(&value, tz).unwrap();
        let local = utc.with_timezone(&tz).naive_local();
        let written = date.and_hms_opt(minutes / 60, minutes % 60, 0).unwrap();
        if tz.from_local_datetime(&written).single().is_some() || tz.from_local_datetime(&written).earliest().is_some() {
            prop_assert_eq!(local, written, "an existing local time is kept");
        } else {
            // Skipped by a DST change: moved forward by the gap, to the same minute an hour later.
            prop_assert!(local > written && local - written <= chrono::Duration::hours(1));
            prop_assert_eq!(local.minute(), written.minute());
        }
    }

    #[test]
    fn pagination_covers_every_article_once(items in 0usize..500, per_page in 1usize..60) {
        let pages = page_count(items, per_page);
        prop_assert!(pages >= 1);
        let covered: usize = (1..=pages).map(|n| items.saturating_sub((n - 1) * per_page).min(per_page)).sum();
        prop_assert_eq!(covered, items);
        prop_assert!(items == 0 || (pages - 1) * per_page < items, "no empty last page");
        prop_assert_eq!(page_path("world/", 1), "world/");
        prop_assert_eq!(page_path("world/", pages.max(2)), format!("world/page/{}/", pages.max(2)));
    }

    #[test]
    fn any_base_url_gives_a_rooted_base_path(url in "[a-z:/.]{0,25}") {
        if let Ok(config) = Config::parse(&format!("base_url = \"{url}\"")) {
            prop_assert!(config.base_path().starts_with('/') && config.base_path().ends_with('/'));
        }
    }
}
