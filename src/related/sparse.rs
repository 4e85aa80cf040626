//! Stage 4 (related): the sparse shapes every part of the engine shares: an article's term
//! counts, weighted vectors and posting lists. Imports nothing of the crate.

/// An article's term frequencies (term id, weighted count), sorted by term id: all the
/// related-news engine needs of its text. A pure function of headline, standfirst and body.
pub type TermBag = Vec<(u64, f32)>;

/// Weighted sparse vector: (feature index, weight), L2-normalised.
pub type Vector = Vec<(u32, f32)>;

/// Per feature, the articles (by index) that have it, with their weights.
pub type Postings = Vec<Vec<(u32, f32)>>;
