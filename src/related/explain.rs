//! Stage 4 (related), for editors: why an article's related list is what it is, signal by
//! signal, so weights can be tuned.

use std::fmt::Write;

use super::{Engine, Related};
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
        "  weights: text {} · tags {} · category {} · date {} (half-life {} days) · min_score {}\n",
        config.text_weight,
        config.tag_weight,
        config.category_weight,
        config.date_weight,
        config.half_life_days,
        config.min_score
    );
    for (rank, item) in list.iter().enumerate() {
        let other = library.get(item.id);
        let _ = writeln!(out, "{:>2}. {} (/{})", rank + 1, other.article.title, other.path);
        if me.pins.contains(&item.id) {
            let _ = writeln!(out, "    pinned by `related` in the front matter");
        } else if item.fallback {
            let _ = writeln!(
                out,
                "    fallback: newest in {} (no stronger match)",
                library.categories[me.category].name
            );
        } else if let Some(m) = matches.iter().find(|m| m.id == item.id) {
            let s = m.signals;
            let _ = writeln!(
                out,
                "    score {:.3} = (text {:.3}×{} + tags {:.3}×{}) × (1 + category {}×{} + date {:.3}×{})",
                m.score,
                s.text,
                config.text_weight,
                s.tags,
                config.tag_weight,
                s.category,
                config.category_weight,
                s.date,
                config.date_weight
            );
            let words: Vec<String> =
                engine.shared_terms(library, id, item.id).into_iter().take(8).map(|(w, _)| w).collect();
            if !words.is_empty() {
                let _ = writeln!(out, "    shared words: {}", words.join(", "));
            }
            let tags = shared_tags(library, id, item.id);
            if !tags.is_empty() {
                let _ = writeln!(out, "    shared tags: {}", tags.join(", "));
            }
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

fn shared_tags(library: &Library, a: ArticleId, b: ArticleId) -> Vec<String> {
    let (ea, eb) = (library.get(a), library.get(b));
    ea.tags
        .iter()
        .filter(|t| eb.tags.contains(t))
        .map(|&t| format!("{} (on {} articles)", library.tags[t].name, library.tags[t].articles.len()))
        .collect()
}
