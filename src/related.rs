//! Stage 4 (related): the related-news list of every article, computed once per build.

use crate::library::{ArticleId, Library};

/// One item of an article's related-news list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    /// The related article.
    pub id: ArticleId,
    /// True when the item only fills the list (newest in the category), not a real match.
    pub fallback: bool,
}

/// For every article (by id), up to `count` related articles: pinned ones first, then the
/// newest articles of its category.
pub fn compute(library: &Library, count: usize) -> Vec<Vec<Related>> {
    library
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let me = ArticleId(i as u32);
            let mut list: Vec<Related> = Vec::with_capacity(count);
            for &pin in &entry.pins {
                if pin != me && list.len() < count && !list.iter().any(|r| r.id == pin) {
                    list.push(Related {
                        id: pin,
                        fallback: false,
                    });
                }
            }
            for &other in &library.categories[entry.category].articles {
                if list.len() >= count {
                    break;
                }
                if other != me && !list.iter().any(|r| r.id == other) {
                    list.push(Related {
                        id: other,
                        fallback: true,
                    });
                }
            }
            list
        })
        .collect()
}
