//! Stage 4 (related), for editors: why an article's related list is what it is, signal by
//! signal and in words, so weights can be tuned.

use std::collections::HashMap;
use std::fmt::Write;

use super::signals::Match;
use super::{text, Engine, Related};
use crate::config::RelatedConfig;
use crate::library::{ArticleId, Library};

/// A readable report of `id`'s related list with each signal's contribution.
pub fn explain(library: &Library, config: &RelatedConfig, language: &str, id: ArticleId) -> String {
    let engine = Engine::new(library, config, language);
    let list: Vec<Related> = engine.one(library, id);
    let matches = engine.matches(library, id);
    let me = library.get(id);
    let mut out = String::new();
    let _ =
        writeln!(out, "Related to “{}” (/{})\n  {}", me.article.title, me.path, me.article.path.display());
    let _ = writeln!(
        out,
        "  same story when (story words {} × text + tags {} × tags) × closeness ≥ min_score {} \
         (date_weight {}, half-life {} days);\n  else by subject: theme {} × theme + topic words {} × words, \
         × {} in the same category\n",
        config.text_weight,
        config.tag_weight,
        config.min_score,
        config.date_weight,
        config.half_life_days,
        config.latent_weight,
        config.words_weight,
        1.0 + config.category_weight
    );
    for (rank, item) in list.iter().enumerate() {
        let other = library.get(item.id);
        let _ = writeln!(out, "{:>2}. {} (/{})", rank + 1, other.article.title, other.path);
        if me.pins.contains(&item.id) {
            let _ = writeln!(out, "    pinned by `related` in the front matter");
        } else if item.fallback {
            let _ = writeln!(
                out,
                "    fallback: newest in {} (this article has no words other articles use, and no tags)",
                library.categories[me.category].name
            );
        } else if let Some(m) = matches.iter().find(|m| m.id == item.id) {
            describe(&mut out, &engine, library, id, m);
        }
    }
    if list.is_empty() {
        let none = if config.count == 0 {
            "(related news is off: `count = 0` in config.toml's [related])"
        } else {
            "(no other article to list)"
        };
        let _ = writeln!(out, "  {none}");
    }
    out
}

/// The lines under one listed match: its score, signal by signal, and the words behind it.
fn describe(out: &mut String, engine: &Engine, library: &Library, id: ArticleId, m: &Match) {
    let (s, c) = (m.signals, &engine.config);
    let days = (library.get(id).article.date - library.get(m.id).article.date).num_days().abs();
    if m.story {
        let _ = writeln!(
            out,
            "    same story: {:.3} = (story words {:.3}×{} + tags {:.3}×{}) × closeness {:.2} ({days} days apart)",
            m.score,
            s.text,
            c.text_weight,
            s.tags,
            c.tag_weight,
            1.0 - c.date_weight as f32 + c.date_weight as f32 * s.date
        );
    } else if m.score <= 0.0 {
        let _ = writeln!(
            out,
            "    only tags in common: story score {:.3} is below min_score {}",
            s.story_score(c),
            c.min_score
        );
    } else {
        let _ = writeln!(
            out,
            "    same subject: {:.3} = (theme {:.3}×{} + topic words {:.3}×{}) × category {}",
            m.score,
            s.latent,
            c.latent_weight,
            s.words,
            c.words_weight,
            1.0 + c.category_weight as f32 * s.category
        );
    }
    let shared = shared_words(engine, library, id, m.id);
    if !shared.is_empty() {
        let _ = writeln!(out, "    shared words: {}", shared.join(", "));
    }
    if !m.story {
        let theme = theme_words(engine, library, id, m.id);
        if !theme.is_empty() {
            let _ = writeln!(out, "    its words closest to this article's subject: {}", theme.join(", "));
        }
    }
    let tags = shared_tags(library, id, m.id);
    if !tags.is_empty() {
        let _ = writeln!(out, "    shared tags: {}", tags.join(", "));
    }
}

/// Words both articles' topic vectors have, strongest first (as first written in `a`).
pub fn shared_words(engine: &Engine, library: &Library, a: ArticleId, b: ArticleId) -> Vec<String> {
    let topics = &engine.index.topics;
    let (va, vb) = (&topics.vectors[a.index()], &topics.vectors[b.index()]);
    let words = written(engine, library, a);
    let mut shared: Vec<(&String, f32)> = va
        .iter()
        .filter_map(|&(t, wa)| {
            let wb = vb.iter().find(|(u, _)| *u == t)?.1;
            Some((words.get(&topics.term_ids[t as usize])?, wa * wb))
        })
        .collect();
    shared.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
    shared.into_iter().take(8).map(|(w, _)| w.clone()).collect()
}

/// Words of `b` that are close to `a`'s subject and that `a` does not use.
fn theme_words(engine: &Engine, library: &Library, a: ArticleId, b: ArticleId) -> Vec<String> {
    let topics = &engine.index.topics;
    let in_a = &topics.vectors[a.index()];
    let words = written(engine, library, b);
    topics
        .theme_terms(a.index(), b.index())
        .into_iter()
        .filter(|(t, _)| !in_a.iter().any(|(u, _)| u == t))
        .filter_map(|(t, _)| words.get(&topics.term_ids[t as usize]).cloned())
        .take(6)
        .collect()
}

/// Term id -> the word it was first written as in the article.
fn written(engine: &Engine, library: &Library, id: ArticleId) -> HashMap<u64, String> {
    let entry = library.get(id);
    let mut words = HashMap::new();
    let body = text::html_text(&entry.article.html);
    let text = format!("{} {} {}", entry.article.title, entry.article.summary, body);
    engine.analyzer.terms_with_words(&text, |term, word| {
        words.entry(text::term_id(term)).or_insert_with(|| word.to_string());
    });
    words
}

fn shared_tags(library: &Library, a: ArticleId, b: ArticleId) -> Vec<String> {
    let (ea, eb) = (library.get(a), library.get(b));
    ea.tags
        .iter()
        .filter(|t| eb.tags.contains(t))
        .map(|&t| format!("{} (on {} articles)", library.tags[t].name, library.tags[t].articles.len()))
        .collect()
}
