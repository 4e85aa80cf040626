//! Stage 5 (render): pagination of lists: how many pages a list has, their paths, and the
//! page links templates see as `paginator`.

use serde::Serialize;

use super::views::Views;

/// Page links of a paginated list: `paginator`.
#[derive(Debug, Serialize)]
pub struct PaginatorView {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// One numbered page link.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// True when pages between the previous link and this one are not linked (show "…").
    pub gap_before: bool,
}

/// Pages linked around the current one in a paginator, on each side.
pub const PAGINATOR_WINDOW: usize = 2;

impl Views<'_> {
    /// Page links for page `current` (1-based) of `total`, whose first page is at `path`.
    pub fn paginator(&self, path: &str, current: usize, total: usize) -> PaginatorView {
        let page_url = |n: usize| {
            if n == 1 {
                self.url(path)
            } else {
                self.url(&format!("{path}page/{n}/"))
            }
        };
        PaginatorView {
            current,
            total,
            previous: (current > 1).then(|| page_url(current - 1)),
            next: (current < total).then(|| page_url(current + 1)),
            pages: paginator_numbers(current, total)
                .scan(0, |last, n| {
                    let gap_before = n > *last + 1;
                    *last = n;
                    Some(PageLink { number: n, url: page_url(n), current: n == current, gap_before })
                })
                .collect(),
        }
    }
}

/// The page numbers a paginator links, in order: the first and last pages and those within
/// `PAGINATOR_WINDOW` of the current one, so that a list of a thousand pages does not put a
/// thousand links on each of them.
fn paginator_numbers(current: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = current.saturating_sub(PAGINATOR_WINDOW).max(1)..=(current + PAGINATOR_WINDOW).min(total);
    let first = (*near.start() > 1).then_some(1);
    let last = (*near.end() < total).then_some(total);
    first.into_iter().chain(near).chain(last)
}

/// Site-relative path of page `n` of a list whose first page is `path`.
pub fn page_path(path: &str, n: usize) -> String {
    if n == 1 {
        path.to_string()
    } else {
        format!("{path}page/{n}/")
    }
}

/// Number of pages for `items` items, `per_page` a page; an empty list still has one page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_boundaries() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_path("technology/", 1), "technology/");
        assert_eq!(page_path("technology/", 3), "technology/page/3/");
    }

    #[test]
    fn paginators_link_the_ends_and_a_window_around_the_current_page() {
        let numbers = |current, total| paginator_numbers(current, total).collect::<Vec<_>>();
        assert_eq!(numbers(1, 1), [1]);
        assert_eq!(numbers(1, 4), [1, 2, 3, 4]);
        assert_eq!(numbers(1, 354), [1, 2, 3, 354]);
        assert_eq!(numbers(4, 354), [1, 2, 3, 4, 5, 6, 354]);
        assert_eq!(numbers(100, 354), [1, 98, 99, 100, 101, 102, 354]);
        assert_eq!(numbers(354, 354), [1, 352, 353, 354]);
    }
}
