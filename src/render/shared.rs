//! Stage 5 (render): views of each article built once per render run and shared by every
//! page that shows them.

use std::sync::OnceLock;

use serde::Serialize;

use super::encode::digest;
use crate::library::ArticleId;

/// A view of each article, built the first time a page shows it and then shared by every
/// page that lists it; or, when a render run makes only a few pages (the preview server),
/// built on each use rather than setting aside a slot for every article.
pub(super) struct PerArticle<T>(Option<Box<[OnceLock<Digested<T>>]>>);

impl<T> PerArticle<T> {
    pub(super) fn new(articles: usize, shared: bool) -> Self {
        PerArticle(shared.then(|| (0..articles).map(|_| OnceLock::new()).collect()))
    }

    pub(super) fn get(&self, id: ArticleId, make: impl FnOnce() -> T) -> Shared<'_, T> {
        match &self.0 {
            Some(slots) => Shared::Borrowed(
                slots[id.index()].get_or_init(|| Digested { view: make(), digest: OnceLock::new() }),
            ),
            None => Shared::Owned(make()),
        }
    }
}

/// A shared view and, once a page fingerprint has needed it, the digest of its encoding.
pub(super) struct Digested<T> {
    view: T,
    digest: OnceLock<[u8; 16]>,
}

/// A view shared from `PerArticle`, or built for this one use; templates see the view.
pub enum Shared<'v, T> {
    Borrowed(&'v Digested<T>),
    Owned(T),
}

impl<T> std::ops::Deref for Shared<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Shared::Borrowed(shared) => &shared.view,
            Shared::Owned(view) => view,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Serialize> Shared<'_, T> {
    /// The digest of the view's fingerprint encoding, taken once per shared view.
    fn digest(&self) -> [u8; 16] {
        match self {
            Shared::Borrowed(shared) => *shared.digest.get_or_init(|| digest(&shared.view)),
            Shared::Owned(view) => digest(view),
        }
    }
}

/// Templates (serde_json, a human-readable format) get the view itself. A page fingerprint
/// (`encode`, the one format here that is not human-readable) gets the digest of the view's
/// encoding: a card listed on a dozen pages is encoded and hashed once, not on every page.
/// Owned views encode alike, so a page's fingerprint does not depend on how its views were
/// built.
impl<T: Serialize> Serialize for Shared<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            (**self).serialize(serializer)
        } else {
            serializer.serialize_bytes(&self.digest())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_shared_view_is_built_once_and_an_unshared_one_on_each_use() {
        let built = Cell::new(0);
        let make = || {
            built.set(built.get() + 1);
            format!("card {}", built.get())
        };
        let shared = PerArticle::new(3, true);
        let first = shared.get(ArticleId(1), make);
        let again = shared.get(ArticleId(1), make);
        assert_eq!((first.as_str(), again.as_str(), built.get()), ("card 1", "card 1", 1));
        assert!(matches!(again, Shared::Borrowed(_)));

        let unshared = PerArticle::new(3, false);
        assert_eq!(*unshared.get(ArticleId(1), make), "card 2");
        assert_eq!(*unshared.get(ArticleId(1), make), "card 3");
    }

    #[test]
    fn templates_see_a_shared_view_whole_and_fingerprints_see_its_digest() {
        fn encoding<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
            let mut out = Vec::new();
            crate::render::encode::encode(&mut out, value);
            out
        }
        let shared = PerArticle::new(2, true);
        let unshared = PerArticle::new(2, false);
        let card = || vec!["Headline".to_string(), "/news/headline/".to_string()];
        let (borrowed, owned) = (shared.get(ArticleId(0), card), unshared.get(ArticleId(0), card));
        assert!(matches!((&borrowed, &owned), (Shared::Borrowed(_), Shared::Owned(_))));

        assert_eq!(
            serde_json::to_value(&borrowed).unwrap(),
            serde_json::json!(["Headline", "/news/headline/"])
        );
        // Shared or not, a view encodes as the digest of its own encoding, 16 bytes.
        assert_eq!(encoding(&borrowed), encoding(&owned));
        assert_eq!(encoding(&borrowed), encoding(serde_bytes::Bytes::new(&digest(&card()))));
        let other = shared.get(ArticleId(1), || vec!["Headline".to_string(), "/news/other/".to_string()]);
        assert_ne!(encoding(&borrowed), encoding(&other));
    }
}
