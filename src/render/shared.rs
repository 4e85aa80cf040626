//! Stage 5 (render): views of each article built once per render run and shared by every
//! page that shows them.

use std::sync::OnceLock;

use serde::Serialize;

use crate::library::ArticleId;

/// A view of each article, built the first time a page shows it and then shared by every
/// page that lists it; or, when a render run makes only a few pages (the preview server),
/// built on each use rather than setting aside a slot for every article.
pub(super) struct PerArticle<T>(Option<Box<[OnceLock<T>]>>);

impl<T> PerArticle<T> {
    pub(super) fn new(articles: usize, shared: bool) -> Self {
        PerArticle(shared.then(|| (0..articles).map(|_| OnceLock::new()).collect()))
    }

    pub(super) fn get(&self, id: ArticleId, make: impl FnOnce() -> T) -> Shared<'_, T> {
        match &self.0 {
            Some(slots) => Shared::Borrowed(slots[id.index()].get_or_init(make)),
            None => Shared::Owned(make()),
        }
    }
}

/// A view shared from `PerArticle`, or built for this one use; templates see the view.
#[derive(Debug)]
pub enum Shared<'v, T> {
    Borrowed(&'v T),
    Owned(T),
}

impl<T> std::ops::Deref for Shared<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Shared::Borrowed(view) => view,
            Shared::Owned(view) => view,
        }
    }
}

impl<T: Serialize> Serialize for Shared<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
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
}
