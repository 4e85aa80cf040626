//! Stage 4 (related): every article's related-news list, computed once per build from the
//! text, tags, category and dates of the library. A pure function of the library.

mod explain;
mod index;
mod text;

pub use explain::explain;
pub use index::{frequency_cap, term_bag, term_bags, Collection, Signals, TermBag, SIGNATURE_TERMS};
pub use text::{is_cjk, Analyzer};

use std::cmp::Ordering;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::Cache;
use crate::config::RelatedConfig;
use crate::library::{ArticleId, Library};
use index::Index;

/// One item of an article's related-news list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    /// The related article.
    pub id: ArticleId,
    /// True when the item only fills the list (newest in the category), not a real match.
    pub fallback: bool,
}

/// A scored candidate with each signal's part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// The candidate article.
    pub id: ArticleId,
    /// The signals before weighting.
    pub signals: Signals,
    /// The weighted total.
    pub score: f32,
}

/// The related-news engine over one library: the index, built once; lists are then computed
/// for all articles (a build) or one at a time (the preview server). Holds no reference to
/// the library, so it can be kept beside it; every query takes the library it was built from.
pub struct Engine {
    config: RelatedConfig,
    index: Index,
    analyzer: Arc<Analyzer>,
    /// Publication times (Unix seconds) by article, kept apart for cache-friendly scoring.
    dates: Vec<i64>,
    /// Category indexes by article.
    categories: Vec<usize>,
    /// Every article's term bag and their statistics, to patch the index after an edit.
    bags: Vec<Arc<TermBag>>,
    collection: Collection,
}

/// Per-thread accumulators, reused from article to article.
struct Scratch {
    /// Per article, the evidence summed so far: text and tags side by side, so that a
    /// candidate costs one cache miss, not two, once the array outgrows the cache.
    evidence: Vec<Evidence>,
    /// The articles with evidence, in first-touched order: the first `touched_len` items
    /// (the rest is room that `add` writes into).
    touched: Vec<u32>,
    touched_len: usize,
}

#[derive(Clone, Copy, Default, PartialEq)]
struct Evidence {
    text: f32,
    tags: f32,
}

impl Evidence {
    /// Whether nothing was added yet; `&`, not `&&`, so that testing it takes no branch.
    fn is_empty(&self) -> bool {
        (self.text == 0.0) & (self.tags == 0.0)
    }
}

/// Which part of the evidence a posting list adds to.
#[derive(Clone, Copy)]
enum Signal {
    Text,
    Tags,
}

impl Scratch {
    fn new(articles: usize) -> Scratch {
        Scratch { evidence: vec![Evidence::default(); articles], touched: Vec::new(), touched_len: 0 }
    }

    /// Adds `weight` times each posting's weight to its article's evidence, and notes the
    /// articles touched for the first time. Whether an article was touched before is a coin
    /// toss no branch predictor can learn, so nothing branches on it: every article is
    /// written to the next free slot of `touched`, and the count of kept slots moves on
    /// only if its evidence was empty.
    fn add(&mut self, postings: &[(u32, f32)], weight: f32, signal: Signal) {
        let room = self.touched_len + postings.len();
        if self.touched.len() < room {
            self.touched.resize(room, 0);
        }
        for &(doc, v) in postings {
            let evidence = &mut self.evidence[doc as usize];
            let fresh = evidence.is_empty();
            self.touched[self.touched_len] = doc;
            self.touched_len += usize::from(fresh);
            match signal {
                Signal::Text => evidence.text += weight * v,
                Signal::Tags => evidence.tags += weight * v,
            }
        }
    }

    fn clear_touched(&mut self) {
        self.touched_len = 0;
    }
}

impl Engine {
    /// Indexes the library. `language` picks stop words and the stemmer.
    pub fn new(library: &Library, config: &RelatedConfig, language: &str) -> Engine {
        let analyzer = Analyzer::new(language, config.stemming);
        let bags = term_bags(library, &analyzer, |_| None);
        Engine::from_bags(library, config, analyzer, &bags)
    }

    /// Indexes the library like `new`, with term bags from `cache` where it has them (and new
    /// ones saved to it).
    pub fn cached(library: &Library, config: &RelatedConfig, language: &str, cache: &mut Cache) -> Engine {
        let analyzer = Analyzer::new(language, config.stemming);
        let known: &Cache = cache;
        let bags = term_bags(library, &analyzer, |e| known.terms(&e.article.path));
        for (entry, bag) in library.entries.iter().zip(&bags) {
            cache.store_terms(&entry.article.path, bag.clone());
        }
        Engine::from_bags(library, config, analyzer, &bags)
    }

    /// Indexes the library from each article's term bag (from `term_bags`, perhaps cached),
    /// made by `analyzer`.
    pub fn from_bags(
        library: &Library,
        config: &RelatedConfig,
        analyzer: Analyzer,
        bags: &[Arc<TermBag>],
    ) -> Engine {
        let collection = Collection::of(bags);
        let index = Index::build(library, bags, &collection);
        let dates = library.entries.iter().map(|e| e.article.date.timestamp()).collect();
        let categories = library.entries.iter().map(|e| e.category).collect();
        Engine {
            config: config.clone(),
            index,
            analyzer: Arc::new(analyzer),
            dates,
            categories,
            bags: bags.to_vec(),
            collection,
        }
    }

    /// The engine for `library`, which is this engine's library with the text of the
    /// `edited` articles changed and nothing else (the same articles, dates, categories and
    /// tags): term bags of the edited articles come from `cache` or are analysed now, the
    /// collection statistics are updated, and the index is rebuilt from them. Equal to
    /// `Engine::cached` on `library`, without reading every bag again.
    pub fn patched(&self, library: &Library, edited: &[ArticleId], cache: &mut Cache) -> Engine {
        let mut bags = self.bags.clone();
        let mut collection = self.collection.clone();
        for &id in edited {
            let entry = library.get(id);
            let bag = cache
                .terms(&entry.article.path)
                .unwrap_or_else(|| Arc::new(index::term_bag(&self.analyzer, entry)));
            cache.store_terms(&entry.article.path, bag.clone());
            collection.replace(id.index(), &bags[id.index()], &bag);
            bags[id.index()] = bag;
        }
        let index = Index::build(library, &bags, &collection);
        Engine {
            config: self.config.clone(),
            index,
            analyzer: self.analyzer.clone(),
            dates: self.dates.clone(),
            categories: self.categories.clone(),
            bags,
            collection,
        }
    }

    /// Related lists for every article, in article order.
    pub fn all(&self, library: &Library) -> Vec<Vec<Related>> {
        let n = library.entries.len();
        (0..n)
            .into_par_iter()
            .map_init(|| Scratch::new(n), |scratch, i| self.list(library, ArticleId(i as u32), scratch))
            .collect()
    }

    /// One article's related list (the same as its item of `all`).
    pub fn one(&self, library: &Library, id: ArticleId) -> Vec<Related> {
        self.list(library, id, &mut Scratch::new(library.entries.len()))
    }

    /// The best matches of one article above `min_score`, best first, at most `count`.
    pub fn matches(&self, library: &Library, id: ArticleId) -> Vec<Match> {
        self.top_matches(library, id, &mut Scratch::new(library.entries.len()))
    }

    /// Words whose index terms both articles' signatures share, strongest first, with the
    /// product of their weights (the word as first written in `a`).
    pub fn shared_terms(&self, library: &Library, a: ArticleId, b: ArticleId) -> Vec<(String, f32)> {
        let (sa, sb) = (&self.index.signatures[a.index()], &self.index.signatures[b.index()]);
        let entry = library.get(a);
        let mut words: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
        let text = format!(
            "{} {} {}",
            entry.article.title,
            entry.article.summary,
            text::html_text(&entry.article.html)
        );
        self.analyzer.terms_with_words(&text, |term, word| {
            words.entry(text::term_id(term)).or_insert_with(|| word.to_string());
        });
        let mut shared: Vec<(String, f32)> = sa
            .iter()
            .filter_map(|&(t, wa)| {
                let wb = sb.iter().find(|(u, _)| *u == t)?.1;
                let word = words.get(&self.index.term_ids[t as usize])?;
                Some((word.clone(), wa * wb))
            })
            .collect();
        shared.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        shared
    }

    fn list(&self, library: &Library, id: ArticleId, scratch: &mut Scratch) -> Vec<Related> {
        let count = self.config.count;
        let entry = library.get(id);
        let mut list: Vec<Related> = Vec::with_capacity(count);
        let push = |list: &mut Vec<Related>, other: ArticleId, fallback: bool| {
            if other != id && list.len() < count && !list.iter().any(|r| r.id == other) {
                list.push(Related { id: other, fallback });
            }
        };
        for &pin in &entry.pins {
            push(&mut list, pin, false);
        }
        for m in self.top_matches(library, id, scratch) {
            push(&mut list, m.id, false);
        }
        // The newest of the category fill the rest: with `include_newer = false`, the newest
        // of those published before this one, as for the matches.
        let earlier = |other: ArticleId| {
            self.config.include_newer || self.dates[other.index()] <= self.dates[id.index()]
        };
        for &other in &library.categories[entry.category].articles {
            if list.len() >= count {
                break;
            }
            if earlier(other) {
                push(&mut list, other, true);
            }
        }
        list
    }

    fn top_matches(&self, library: &Library, id: ArticleId, scratch: &mut Scratch) -> Vec<Match> {
        if self.config.count == 0 {
            return Vec::new(); // related news turned off
        }
        let d = id.index();
        for &(t, w) in &self.index.signatures[d] {
            scratch.add(&self.index.text_postings[t as usize], w, Signal::Text);
        }
        for &(t, w) in &self.index.tag_vectors[d] {
            scratch.add(&self.index.tag_postings[t as usize], w, Signal::Tags);
        }
        // Keep the best `count` as we go; a candidate whose evidence cannot reach the current
        // last place even with full category and date boosts is skipped unscored.
        let c = &self.config;
        let max_boost = 1.0 + c.category_weight.max(0.0) as f32 + c.date_weight.max(0.0) as f32;
        let mut best: Vec<Match> = Vec::with_capacity(c.count + 1);
        for &doc in &scratch.touched[..scratch.touched_len] {
            let evidence = std::mem::take(&mut scratch.evidence[doc as usize]);
            if evidence.is_empty() {
                continue; // touched only by zero weights (and maybe more than once): no evidence
            }
            let signals = Signals { text: evidence.text, tags: evidence.tags.min(1.0), ..Signals::default() };
            let bound = signals.score(c) * max_boost;
            if bound < c.min_score as f32 || (best.len() == c.count && bound < best[c.count - 1].score) {
                continue;
            }
            if let Some(m) = self.score(id, ArticleId(doc), signals) {
                let at = best.partition_point(|x| rank(library, x, &m) == Ordering::Less);
                best.insert(at, m);
                best.truncate(c.count);
            }
        }
        scratch.clear_touched();
        best
    }

    /// Adds category and date to a candidate's text and tag signals; `None` if it is filtered.
    fn score(&self, me: ArticleId, other: ArticleId, mut signals: Signals) -> Option<Match> {
        let (i, j) = (me.index(), other.index());
        let c = &self.config;
        if i == j
            || (!c.include_newer && self.dates[j] > self.dates[i])
            || (c.same_category_only && self.categories[i] != self.categories[j])
        {
            return None;
        }
        signals.category = if self.categories[i] == self.categories[j] { 1.0 } else { 0.0 };
        let days = self.dates[i].abs_diff(self.dates[j]) as f32 / 86_400.0;
        signals.date = 0.5f32.powf(days / c.half_life_days.max(0.001) as f32);
        let score = signals.score(c);
        (score >= c.min_score as f32).then_some(Match { id: other, signals, score })
    }
}

/// Best first; ties by newer date, then by URL.
fn rank(library: &Library, a: &Match, b: &Match) -> Ordering {
    let (ea, eb) = (library.get(a.id), library.get(b.id));
    b.score
        .total_cmp(&a.score)
        .then_with(|| eb.article.date.cmp(&ea.article.date))
        .then_with(|| ea.path.cmp(&eb.path))
}

/// Every article's related list: pinned articles first, then the best matches, then the
/// newest articles of its category as fallback, `config.count` in all.
pub fn compute(library: &Library, config: &RelatedConfig, language: &str) -> Vec<Vec<Related>> {
    Engine::new(library, config, language).all(library)
}

#[cfg(test)]
mod tests;
