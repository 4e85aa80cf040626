//! Stage 4 (related): every article's related-news list, computed once per build from the
//! text, tags, category and dates of the library. A pure function of the library. The list
//! tells the article's story first (matches on its distinctive words and tags, above
//! `min_score`), then fills up with the articles closest in subject (topic words and theme).

mod explain;
mod index;
mod latent;
mod signals;
mod sparse;
mod text;
mod topic;

pub use explain::explain;
pub use index::{frequency_cap, term_bag, term_bags, Collection, SIGNATURE_TERMS};
use signals::Profile;
pub use signals::{Match, Signals};
pub use sparse::TermBag;
pub use text::{is_cjk, Analyzer};

use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::cache::Cache;
use crate::config::RelatedConfig;
use crate::library::{ArticleId, Library};
use index::Index;
use signals::rank;

/// One item of an article's related-news list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    /// The related article.
    pub id: ArticleId,
    /// True when the item only fills the list (newest in the category) because the article
    /// has no content to compare (no words other articles use, no tags).
    pub fallback: bool,
}

/// Candidates scored in full per article: those with the most evidence from the posting
/// lists (at least; four times `count` when that is more).
const SHORTLIST: usize = 96;

/// The related-news engine over one library: the index, built once; lists are then computed
/// for all articles (a build) or one at a time (the preview server). Holds no reference to
/// the library, so it can be kept beside it; every query takes the library it was built from.
pub struct Engine {
    config: RelatedConfig,
    index: Index,
    analyzer: Arc<Analyzer>,
    /// Per article, what scoring reads of it as a candidate (theme, date, category).
    profiles: Vec<Profile>,
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
    /// The candidates of the article being scored, with their ranking key (`take_strongest`).
    found: Vec<(u32, f32, Evidence)>,
}

#[derive(Clone, Copy, Default, PartialEq)]
struct Evidence {
    text: f32,
    tags: f32,
    words: f32,
}

impl Evidence {
    /// Whether nothing was added yet; `&`, not `&&`, so that testing it takes no branch.
    fn is_empty(&self) -> bool {
        (self.text == 0.0) & (self.tags == 0.0) & (self.words == 0.0)
    }
}

/// Which part of the evidence a posting list adds to.
#[derive(Clone, Copy)]
enum Signal {
    Text,
    Tags,
    Words,
}

impl Scratch {
    fn new(articles: usize) -> Scratch {
        Scratch {
            evidence: vec![Evidence::default(); articles],
            touched: Vec::new(),
            touched_len: 0,
            found: Vec::new(),
        }
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
                Signal::Words => evidence.words += weight * v,
            }
        }
    }

    /// The `limit` touched articles with the most evidence (story and topic words plus
    /// `tag_weight` × tags; ties by article) among the `allowed` ones, leaving the
    /// accumulators empty for the next query. Candidates are kept while they can still be
    /// among the best: whenever twice `limit` are kept, the weaker half goes, and its
    /// strongest becomes the bar a later candidate must reach.
    fn take_strongest(
        &mut self,
        limit: usize,
        tag_weight: f32,
        allowed: impl Fn(u32) -> bool,
    ) -> &[(u32, f32, Evidence)] {
        let key = |e: &Evidence| e.text + e.words + tag_weight * e.tags;
        let stronger =
            |a: &(u32, f32, Evidence), b: &(u32, f32, Evidence)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        self.found.clear();
        let mut bar = f32::NEG_INFINITY;
        for &doc in &self.touched[..self.touched_len] {
            let evidence = std::mem::take(&mut self.evidence[doc as usize]);
            if evidence.is_empty() || !allowed(doc) {
                continue; // touched by zero weights only, or ruled out by the settings
            }
            let k = key(&evidence);
            if k < bar {
                continue;
            }
            self.found.push((doc, k, evidence));
            if self.found.len() >= 2 * limit.max(1) {
                self.found.select_nth_unstable_by(limit, stronger);
                self.found.truncate(limit);
                bar = self.found.iter().map(|f| f.1).fold(f32::INFINITY, f32::min);
            }
        }
        self.touched_len = 0;
        if self.found.len() > limit {
            self.found.select_nth_unstable_by(limit, stronger);
            self.found.truncate(limit);
        }
        &self.found
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
        Engine {
            config: config.clone(),
            profiles: profiles(library, &index),
            index,
            analyzer: Arc::new(analyzer),
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
            profiles: profiles(library, &index),
            index,
            analyzer: self.analyzer.clone(),
            bags,
            collection,
        }
    }

    /// Related lists for every article, in article order. The articles go in a few chunks
    /// per thread; a chunk borrows accumulators from a pool and returns them, so that a
    /// build zeroes a few of them (one per article each, a megabyte at 100,000 articles),
    /// not one for every piece of work rayon splits off.
    pub fn all(&self, library: &Library) -> Vec<Vec<Related>> {
        let n = library.entries.len();
        let ids: Vec<u32> = (0..n as u32).collect();
        let chunk = n.div_ceil(rayon::current_num_threads() * 8).max(1);
        let pool: Mutex<Vec<Scratch>> = Mutex::default();
        let take =
            || pool.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_else(|| Scratch::new(n));
        let chunks: Vec<Vec<Vec<Related>>> = ids
            .par_chunks(chunk)
            .map(|chunk| {
                let mut scratch = take();
                let lists = chunk.iter().map(|&i| self.list(library, ArticleId(i), &mut scratch)).collect();
                pool.lock().unwrap_or_else(PoisonError::into_inner).push(scratch);
                lists
            })
            .collect();
        chunks.into_iter().flatten().collect()
    }

    /// One article's related list (the same as its item of `all`).
    pub fn one(&self, library: &Library, id: ArticleId) -> Vec<Related> {
        self.list(library, id, &mut Scratch::new(library.entries.len()))
    }

    /// The best matches of one article, best first, at most `count`.
    pub fn matches(&self, library: &Library, id: ArticleId) -> Vec<Match> {
        self.ranked(library, id, &mut Scratch::new(library.entries.len()), self.config.count)
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
        for m in self.ranked(library, id, scratch, count + entry.pins.len()) {
            push(&mut list, m.id, false);
        }
        if self.has_content(id) {
            return list; // every place is earned by content, even if fewer than `count`
        }
        // Nothing to compare: the newest of the category fill the list; with `include_newer
        // = false`, the newest of those published before this one, as for the matches.
        let earlier = |other: ArticleId| {
            self.config.include_newer || self.profiles[other.index()].date <= self.profiles[id.index()].date
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

    /// Whether the article has words other articles use, or a tag that can link it.
    fn has_content(&self, id: ArticleId) -> bool {
        let d = id.index();
        !self.index.topics.vectors[d].is_empty() || self.index.tag_vectors[d].iter().any(|&(_, w)| w > 0.0)
    }

    /// The best `want` matches, best first.
    fn ranked(&self, library: &Library, id: ArticleId, scratch: &mut Scratch, want: usize) -> Vec<Match> {
        let c = &self.config;
        if c.count == 0 {
            return Vec::new(); // related news turned off
        }
        let (d, topics) = (id.index(), &self.index.topics);
        for &(t, w) in &self.index.signatures[d] {
            scratch.add(&self.index.text_postings[t as usize], w, Signal::Text);
        }
        for &(t, w) in topics.query(d) {
            scratch.add(&topics.postings[t as usize], w, Signal::Words);
        }
        for &(t, w) in &self.index.tag_vectors[d] {
            scratch.add(&self.index.tag_postings[t as usize], w, Signal::Tags);
        }
        let allowed = |doc: u32| self.allowed(id, ArticleId(doc));
        let shortlist = scratch.take_strongest(SHORTLIST.max(4 * want), c.tag_weight as f32, allowed);
        let mut best: Vec<Match> = shortlist
            .iter()
            .map(|&(doc, _, evidence)| {
                let other = ArticleId(doc);
                Match::new(other, self.signals(id, other, evidence), c)
            })
            .collect();
        best.sort_by(|a, b| rank(library, a, b));
        best.truncate(want);
        best
    }

    /// Whether the settings let `other` be listed for `me`: not itself, not newer with
    /// `include_newer = false`, not of another category with `same_category_only`.
    fn allowed(&self, me: ArticleId, other: ArticleId) -> bool {
        let (i, j) = (me.index(), other.index());
        let (c, p) = (&self.config, &self.profiles);
        i != j
            && (c.include_newer || p[j].date <= p[i].date)
            && (!c.same_category_only || p[i].category == p[j].category)
    }

    /// All the signals of an allowed candidate: the evidence summed from the posting lists,
    /// and its theme, category and closeness in time.
    fn signals(&self, me: ArticleId, other: ArticleId, evidence: Evidence) -> Signals {
        let (a, b) = (&self.profiles[me.index()], &self.profiles[other.index()]);
        let mut signals = Signals {
            text: evidence.text,
            tags: evidence.tags.min(1.0),
            words: evidence.words.min(1.0),
            latent: a.theme_similarity(b),
            category: if a.category == b.category { 1.0 } else { 0.0 },
            date: 0.0,
        };
        if signals.text > 0.0 || signals.tags > 0.0 {
            // Closeness only discounts story evidence: without any, it would not be used.
            let days = a.date.abs_diff(b.date) as f32 / 86_400.0;
            signals.date = 0.5f32.powf(days / self.config.half_life_days.max(0.001) as f32);
        }
        signals
    }
}

/// Every article's scoring profile, from the library and the index's theme embeddings.
fn profiles(library: &Library, index: &Index) -> Vec<Profile> {
    library
        .entries
        .iter()
        .zip(&index.topics.embeddings)
        .map(|(e, theme)| Profile::new(theme, e.article.date.timestamp(), e.category))
        .collect()
}

/// Every article's related list: pinned articles first, then the story matches, then the
/// topic matches, `config.count` in all; the newest articles of its category only for an
/// article with no content to compare.
pub fn compute(library: &Library, config: &RelatedConfig, language: &str) -> Vec<Vec<Related>> {
    Engine::new(library, config, language).all(library)
}

#[cfg(test)]
mod tests;
