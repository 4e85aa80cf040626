//! Stage 4 (related): the topic signals, which fill an article's list once its own story is
//! listed: TF-IDF vectors over the whole vocabulary (common words of a subject included,
//! such as "shares" or "crude"), their inverted lists to find candidates, and the theme
//! embeddings (`latent`). Each word's list keeps the articles it matters most in, so the
//! work per article is bounded at any library size.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::latent::{self, Embedding};
use super::sparse::{Postings, TermBag, Vector};

/// Terms kept per article in its topic vector (short articles keep all of theirs).
pub const VECTOR_TERMS: usize = 64;
/// Terms of an article that look up its topic candidates: its strongest ones.
pub const QUERY_TERMS: usize = 12;
/// Articles kept in one word's posting list: those the word weighs most in. A word in more
/// articles than this still counts in every similarity; it only finds candidates among the
/// articles it is most typical of.
pub const POSTING_LIMIT: usize = 250;

/// The topic vectors, their inverted lists and the theme embeddings of a library.
pub struct TopicIndex {
    /// Per article, its TF-IDF vector (term index, weight), strongest first.
    pub vectors: Vec<Vector>,
    /// Per term index, at most `POSTING_LIMIT` articles with the term's highest weights.
    pub postings: Postings,
    /// Per article, its theme embedding.
    pub embeddings: Vec<Embedding>,
    /// Term index -> term id, to explain matches.
    pub term_ids: Vec<u64>,
}

impl TopicIndex {
    /// Builds the topic index from every article's term bag and document frequencies.
    pub fn build(bags: &[Arc<TermBag>], df: &HashMap<u64, u32>) -> TopicIndex {
        let terms = numbering(df);
        let n = bags.len();
        let vectors: Vec<Vector> = bags.par_iter().map(|bag| tf_idf(bag, &terms, n)).collect();
        let mut postings: Postings = vec![Vec::new(); terms.len()];
        for (doc, vector) in vectors.iter().enumerate() {
            for &(t, w) in vector {
                postings[t as usize].push((doc as u32, w));
            }
        }
        postings.par_iter_mut().for_each(keep_strongest);
        let mut term_ids = vec![0u64; terms.len()];
        for (&id, &(index, _)) in &terms {
            term_ids[index as usize] = id;
        }
        let embeddings = latent::embed(&vectors, &term_ids);
        TopicIndex { vectors, postings, embeddings, term_ids }
    }

    /// The article's strongest `QUERY_TERMS` terms, which look up its topic candidates.
    pub fn query(&self, article: usize) -> &[(u32, f32)] {
        let vector = &self.vectors[article];
        &vector[..vector.len().min(QUERY_TERMS)]
    }

    /// Terms of article `b`'s vector that several articles use, by how close they are to
    /// article `a`'s theme (the centre, in the theme space, of the articles each term is most
    /// typical of), closest first: the words that make `b` a neighbour of `a` in subject.
    pub fn theme_terms(&self, a: usize, b: usize) -> Vec<(u32, f32)> {
        let mut terms: Vec<(u32, f32)> = self.vectors[b]
            .iter()
            .filter(|&&(t, _)| self.postings[t as usize].len() >= 5)
            .map(|&(t, _)| {
                let mut centre = [0.0f32; latent::DIMS];
                for &(doc, v) in &self.postings[t as usize] {
                    let e = &self.embeddings[doc as usize];
                    centre.iter_mut().zip(e).for_each(|(c, x)| *c += v * x);
                }
                let norm = centre.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
                let closeness = latent::similarity(&centre.map(|x| x / norm), &self.embeddings[a]);
                (t, closeness)
            })
            .filter(|&(_, score)| score > 0.0)
            .collect();
        terms.sort_unstable_by(stronger);
        terms
    }
}

/// A dense index for every term at least two articles use (in term id order, so the same
/// on every run), with its document frequency.
fn numbering(df: &HashMap<u64, u32>) -> HashMap<u64, (u32, u32)> {
    let mut ids: Vec<u64> = df.iter().filter(|(_, &d)| d >= 2).map(|(&id, _)| id).collect();
    ids.sort_unstable();
    ids.iter().enumerate().map(|(index, id)| (*id, (index as u32, df[id]))).collect()
}

/// Heavier first, ties by index: the same order on every run.
fn stronger<K: Ord + Copy>(a: &(K, f32), b: &(K, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The article's strongest terms by TF-IDF weight, strongest first: sublinear term
/// frequency (1 + ln tf, so a word said ten times is not ten times the evidence) times
/// smoothed inverse document frequency, over every term that at least two articles use. The
/// kept terms are divided by the norm of all terms, so their products with another vector's
/// are close to the cosine of the whole texts.
fn tf_idf(bag: &[(u64, f32)], terms: &HashMap<u64, (u32, u32)>, n: usize) -> Vector {
    let n = n as f32;
    let mut weighted: Vector = bag
        .iter()
        .filter_map(|&(term, tf)| {
            let &(index, d) = terms.get(&term)?;
            let idf = ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0;
            Some((index, (1.0 + tf.max(1.0).ln()) * idf))
        })
        .collect();
    let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if weighted.len() > VECTOR_TERMS {
        weighted.select_nth_unstable_by(VECTOR_TERMS, stronger);
        weighted.truncate(VECTOR_TERMS);
    }
    weighted.sort_unstable_by(stronger);
    if norm > 0.0 {
        weighted.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    weighted
}

/// Cuts a posting list to the `POSTING_LIMIT` articles the term weighs most in, left in
/// article order.
fn keep_strongest(postings: &mut Vec<(u32, f32)>) {
    if postings.len() > POSTING_LIMIT {
        postings.select_nth_unstable_by(POSTING_LIMIT, stronger);
        postings.truncate(POSTING_LIMIT);
        postings.sort_unstable_by_key(|(doc, _)| *doc);
        postings.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_posting_lists_keep_the_strongest_articles_in_article_order() {
        let mut list: Vec<(u32, f32)> = (0..POSTING_LIMIT as u32 + 10).map(|d| (d, (d % 7) as f32)).collect();
        keep_strongest(&mut list);
        assert_eq!(list.len(), POSTING_LIMIT);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0));
        let dropped = POSTING_LIMIT as u32 + 10 - list.len() as u32;
        assert_eq!(dropped, 10);
        assert!(list.iter().filter(|(_, w)| *w == 0.0).count() < (POSTING_LIMIT + 10) / 7);
    }

    #[test]
    fn a_word_in_every_article_still_weighs_and_a_word_of_one_does_not() {
        let bags: Vec<Arc<TermBag>> = (0..4u64).map(|i| Arc::new(vec![(1, 1.0), (10 + i, 2.0)])).collect();
        let mut df: HashMap<u64, u32> = HashMap::default();
        for bag in &bags {
            for (t, _) in bag.iter() {
                *df.entry(*t).or_default() += 1;
            }
        }
        let index = TopicIndex::build(&bags, &df);
        assert_eq!(index.vectors[0].len(), 1, "the unique word is left out");
        assert_eq!(index.vectors[0][0].0, index.vectors[1][0].0);
        assert!((index.vectors[0][0].1 - 1.0).abs() < 1e-6, "alone, it has all the weight");
    }
}
