//! Stage 4 (related): the scoring index: BM25 signatures of each article's distinctive terms
//! (the names and words of its story) and idf-weighted tags in inverted lists, so each
//! article meets only the articles it shares a distinctive word or tag with; beside them the
//! topic index (`topic`). Memory grows with the number of articles, never with its square.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::sparse::{Postings, TermBag, Vector};
use super::text::{Analyzer, TermCounter, SUMMARY_BOOST, TITLE_BOOST};
use super::topic::TopicIndex;
use crate::library::Library;

/// Terms kept per article: its most distinctive ones.
pub const SIGNATURE_TERMS: usize = 32;
/// BM25 parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Inverted lists for text and tags over the whole library.
pub struct Index {
    /// Per article, its signature (term index, weight).
    pub signatures: Vec<Vector>,
    /// Per term index, the articles (and weights) whose signature has it.
    pub text_postings: Postings,
    /// Per article, its tag vector (tag index, weight).
    pub tag_vectors: Vec<Vector>,
    /// Per tag index, the articles (and weights) carrying it; very common tags have none.
    pub tag_postings: Postings,
    /// The topic vectors and theme embeddings, which fill the list after the story.
    pub topics: TopicIndex,
}

/// Largest document frequency a term or tag may have to link articles: 5% of the library,
/// at least 200 articles so that small sites keep their recurring themes, at most 2,000 so
/// that the work per article stays bounded on large archives. Words this common say little
/// about one story and cost the most.
pub fn frequency_cap(articles: usize) -> usize {
    (articles / 20).clamp(200, 2000)
}

/// Every article's term bag, in article order: `known(entry)` when it has one (from the
/// incremental cache), else analysed now. The articles go in a few chunks per thread. A
/// chunk borrows a counter from a pool and returns it when done, so that a word is analysed
/// about once per thread, not once per chunk (rayon's `map_init` would start a fresh
/// counter for every piece of work it splits off, as often as stealing asks). A bag does
/// not depend on which counter made it.
pub fn term_bags(
    library: &Library,
    analyzer: &Analyzer,
    known: impl Fn(&crate::library::Entry) -> Option<Arc<TermBag>> + Sync,
) -> Vec<Arc<TermBag>> {
    let chunk = library.entries.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let counters: Mutex<Vec<TermCounter>> = Mutex::default();
    let chunks: Vec<Vec<Arc<TermBag>>> = library
        .entries
        .par_chunks(chunk)
        .map(|entries| {
            let mut counter = lock(&counters).pop().unwrap_or_default();
            let bags = entries
                .iter()
                .map(|e| known(e).unwrap_or_else(|| Arc::new(bag(analyzer, &mut counter, e))))
                .collect();
            lock(&counters).push(counter);
            bags
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// The pool's list, even if a thread panicked while holding it (the counters stay valid).
fn lock(counters: &Mutex<Vec<TermCounter>>) -> std::sync::MutexGuard<'_, Vec<TermCounter>> {
    counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The one article's term bag, analysed now.
pub fn term_bag(analyzer: &Analyzer, entry: &crate::library::Entry) -> TermBag {
    bag(analyzer, &mut TermCounter::default(), entry)
}

/// What BM25 needs of the whole collection besides one article's bag: how many articles
/// each term occurs in, and each bag's length. Kept by the preview server so that an edit
/// updates it instead of counting every bag again.
#[derive(Clone)]
pub struct Collection {
    pub(super) df: HashMap<u64, u32>,
    /// Sum of each bag's weighted counts, in article order.
    lengths: Vec<f32>,
}

impl Collection {
    /// Counts the statistics of every bag.
    pub fn of(bags: &[Arc<TermBag>]) -> Collection {
        let mut df: HashMap<u64, u32> = HashMap::default();
        for bag in bags {
            for (term, _) in bag.iter() {
                *df.entry(*term).or_default() += 1;
            }
        }
        Collection { df, lengths: bags.iter().map(|b| bag_length(b)).collect() }
    }

    /// The statistics once article `i`'s bag `old` is replaced by `new`: the same numbers
    /// `of` would count.
    pub fn replace(&mut self, i: usize, old: &TermBag, new: &TermBag) {
        for (term, _) in old {
            if let Some(d) = self.df.get_mut(term) {
                *d -= 1;
                if *d == 0 {
                    self.df.remove(term);
                }
            }
        }
        for (term, _) in new {
            *self.df.entry(*term).or_default() += 1;
        }
        self.lengths[i] = bag_length(new);
    }

    /// The average bag length (summed in article order, so always to the same float).
    fn average_length(&self) -> f32 {
        self.lengths.iter().sum::<f32>() / self.lengths.len().max(1) as f32
    }
}

fn bag_length(bag: &TermBag) -> f32 {
    bag.iter().map(|(_, tf)| tf).sum::<f32>()
}

impl Index {
    /// Builds the index from every article's term bag and their statistics.
    pub fn build(library: &Library, bags: &[Arc<TermBag>], collection: &Collection) -> Index {
        let n = bags.len();
        let cap = frequency_cap(n) as u32;
        let avg_len = collection.average_length();
        let df = &collection.df;
        let raw: Vec<Vec<(u64, f32)>> =
            bags.par_iter().map(|bag| signature(bag, df, cap, n, avg_len)).collect();
        let (signatures, text_postings, _) = invert(raw);
        let (tag_vectors, tag_postings) = tag_index(library, cap as usize);
        let topics = TopicIndex::build(bags, df);
        Index { signatures, text_postings, tag_vectors, tag_postings, topics }
    }
}

/// Term frequencies of one article, the headline and standfirst boosted, sorted by term id.
fn bag(analyzer: &Analyzer, counter: &mut TermCounter, entry: &crate::library::Entry) -> TermBag {
    let a = &entry.article;
    counter.add_text(analyzer, &a.title, TITLE_BOOST);
    counter.add_text(analyzer, &a.summary, SUMMARY_BOOST);
    counter.add_html(analyzer, &a.html, 1.0);
    counter.take()
}

/// The article's most distinctive terms by BM25 weight, L2-normalised.
fn signature(
    bag: &[(u64, f32)],
    df: &HashMap<u64, u32>,
    cap: u32,
    n: usize,
    avg_len: f32,
) -> Vec<(u64, f32)> {
    let len: f32 = bag.iter().map(|(_, tf)| tf).sum();
    let norm = K1 * (1.0 - B + B * len / avg_len.max(1.0));
    let mut weighted: Vec<(u64, f32)> = bag
        .iter()
        .filter_map(|&(term, tf)| {
            let d = df[&term];
            // A term no other article has cannot link two articles.
            (d >= 2 && d <= cap).then(|| {
                let idf = (1.0 + (n as f32 - d as f32 + 0.5) / (d as f32 + 0.5)).ln();
                (term, idf * tf * (K1 + 1.0) / (tf + norm))
            })
        })
        .collect();
    // The strongest terms (ties by term id, so the choice is the same on every run): a
    // partial selection, then only the kept terms are ordered (strongest first, the order
    // the norm is summed in).
    let stronger = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if weighted.len() > SIGNATURE_TERMS {
        weighted.select_nth_unstable_by(SIGNATURE_TERMS, stronger);
        weighted.truncate(SIGNATURE_TERMS);
    }
    weighted.sort_unstable_by(stronger);
    normalise(&mut weighted);
    weighted.sort_unstable_by_key(|(t, _)| *t);
    weighted
}

fn normalise<K>(vector: &mut [(K, f32)]) {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

/// Dense term indexes (in first-seen order, so deterministic) and posting lists.
fn invert(raw: Vec<Vec<(u64, f32)>>) -> (Vec<Vector>, Postings, Vec<u64>) {
    let mut index_of: HashMap<u64, u32> = HashMap::default();
    let mut term_ids = Vec::new();
    let mut postings: Vec<Vec<(u32, f32)>> = Vec::new();
    let mut signatures = Vec::with_capacity(raw.len());
    for (doc, sig) in raw.into_iter().enumerate() {
        let vector: Vector = sig
            .into_iter()
            .map(|(term, w)| {
                let i = *index_of.entry(term).or_insert_with(|| {
                    term_ids.push(term);
                    postings.push(Vec::new());
                    (term_ids.len() - 1) as u32
                });
                postings[i as usize].push((doc as u32, w));
                (i, w)
            })
            .collect();
        signatures.push(vector);
    }
    (signatures, postings, term_ids)
}

/// Tags weighted by rarity so that the tag signal of two articles is the sum, over the tags
/// they share, of idf / ln N (idf = ln(N / df)), at most 1: a tag on every article adds 0, a
/// tag on half the site ln 2 / ln N, a tag on three articles of ten thousand 0.87. Each side
/// stores the square root, so the product accumulated in scoring is the share.
fn tag_index(library: &Library, cap: usize) -> (Vec<Vector>, Postings) {
    let n = library.entries.len().max(1) as f32;
    let scale = n.ln().max(1.0);
    let weight: Vec<f32> = library
        .tags
        .iter()
        .map(|t| ((n / t.articles.len().max(1) as f32).ln().max(0.0) / scale).sqrt())
        .collect();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); library.tags.len()];
    let mut vectors = Vec::with_capacity(library.entries.len());
    for (doc, entry) in library.entries.iter().enumerate() {
        let mut v: Vector = entry.tags.iter().map(|&t| (t as u32, weight[t])).collect();
        v.sort_unstable_by_key(|(t, _)| *t);
        for &(t, w) in &v {
            // A tag on every article weighs 0: evidence of nothing, so it links nothing.
            if w > 0.0 && library.tags[t as usize].articles.len() <= cap {
                postings[t as usize].push((doc as u32, w));
            }
        }
        vectors.push(v);
    }
    (vectors, postings)
}
