//! Stage 5 (render): the contexts of list pages: the front page, category, tag and author
//! pages and their indexes, daily digests and the archive.

use serde::Serialize;

use super::fingerprint::PageValues;
use super::pages::{GroupKind, Renderer};
use super::pagination::page_count;
use super::paths::day_path;
use super::shared::Shared;
use super::views::{CardView, LinkView};
use crate::library::{ArticleId, Group};

/// A template page's template, title, description and kind (see `PageMeta`).
pub(super) type PageText = (&'static str, String, String, &'static str);

impl<'a> Renderer<'a> {
    pub(super) fn cards(&self, ids: &[ArticleId]) -> Vec<Shared<'_, CardView<'a>>> {
        ids.iter().map(|&id| self.views.card(id)).collect()
    }

    pub(super) fn front(&self, ctx: &mut PageValues) {
        #[derive(Serialize)]
        struct Section<'b> {
            category: LinkView<'b>,
            description: &'b str,
            articles: Vec<Shared<'b, CardView<'b>>>,
        }
        let lib = self.views.library;
        let top = lib.entries.first().map(|_| ArticleId(0));
        ctx.insert("top_story", &top.map(|id| self.views.card(id)));
        let sections: Vec<Section> = self
            .views
            .navigation_groups()
            .into_iter()
            .map(|c| {
                let ids: Vec<ArticleId> =
                    c.articles.iter().copied().filter(|&id| Some(id) != top).take(4).collect();
                Section {
                    category: self.views.group_link(c, ""),
                    description: &c.description,
                    articles: self.cards(&ids),
                }
            })
            .filter(|s| !s.articles.is_empty())
            .collect();
        ctx.insert("sections", &sections);
        let latest: Vec<ArticleId> = (1..lib.entries.len().min(7)).map(|i| ArticleId(i as u32)).collect();
        ctx.insert("latest", &self.cards(&latest));
    }

    pub(super) fn groups(&self, kind: GroupKind) -> &'a [Group] {
        let lib = self.views.library;
        match kind {
            GroupKind::Category => &lib.categories,
            GroupKind::Tag => &lib.tags,
            GroupKind::Author => &lib.authors,
        }
    }

    pub(super) fn group_page(&self, ctx: &mut PageValues, kind: GroupKind, g: usize, n: usize) -> PageText {
        let v = &self.views;
        let group = &self.groups(kind)[g];
        let per_page = v.config.articles_per_page;
        let first = [kind.prefix(), &group.slug, "/"].concat();
        let ids: Vec<ArticleId> =
            group.articles.iter().skip((n - 1) * per_page).take(per_page).copied().collect();
        ctx.insert("group", &v.group_link(group, kind.prefix()));
        ctx.insert("description", &group.description);
        ctx.insert("articles", &self.cards(&ids));
        ctx.insert("paginator", &v.paginator(&first, n, page_count(group.articles.len(), per_page)));
        let t = &v.strings;
        let name = [("name", group.name.as_str())];
        let (template, label, kind_name) = match kind {
            GroupKind::Category => ("category.html", group.name.clone(), "category"),
            GroupKind::Tag => ("tag.html", t.fill("tag_title", &name), "tag"),
            GroupKind::Author => ("author.html", t.fill("author_title", &name), "author"),
        };
        let later_page = |text: &str| t.fill("later_page", &[("title", text), ("n", &n.to_string())]);
        let title = if n > 1 { later_page(&label) } else { label };
        let description = match kind {
            _ if !group.description.is_empty() => group.description.clone(),
            GroupKind::Author => t.fill("author_description", &name),
            _ => t.fill("group_description", &name),
        };
        // Each page of a list has a description of its own.
        let description = if n > 1 { later_page(&description) } else { description };
        (template, title, description, kind_name)
    }

    pub(super) fn group_index(&self, ctx: &mut PageValues, kind: GroupKind) -> PageText {
        #[derive(Serialize)]
        struct Item<'b> {
            name: &'b str,
            url: String,
            description: &'b str,
            count: usize,
            /// `count` in words: "3 articles".
            count_text: String,
        }
        let v = &self.views;
        let items: Vec<Item> = self
            .groups(kind)
            .iter()
            .map(|g| Item {
                name: &g.name,
                url: v.group_link(g, kind.prefix()).url,
                description: &g.description,
                count: g.articles.len(),
                count_text: v.strings.count("articles", g.articles.len(), &[]),
            })
            .collect();
        ctx.insert("groups", &items);
        let (key, kind_name) = match kind {
            GroupKind::Category => ("sections", "categories"),
            GroupKind::Tag => ("topics", "tags"),
            GroupKind::Author => ("authors", "authors"),
        };
        let title = v.strings.get(key);
        ctx.insert("heading", title);
        let description =
            v.strings.fill("groups_description", &[("title", title), ("site", &v.config.title)]);
        ("groups.html", title.into(), description, kind_name)
    }

    pub(super) fn day(&self, ctx: &mut PageValues, d: usize) -> PageText {
        #[derive(Serialize)]
        struct Section<'b> {
            category: LinkView<'b>,
            articles: Vec<Shared<'b, CardView<'b>>>,
        }
        let v = &self.views;
        let lib = v.library;
        let day = &lib.days[d];
        let sections: Vec<Section> = lib
            .categories
            .iter()
            .enumerate()
            .filter_map(|(c, cat)| {
                let ids: Vec<ArticleId> =
                    day.articles.iter().copied().filter(|&id| lib.get(id).category == c).collect();
                (!ids.is_empty())
                    .then(|| Section { category: v.group_link(cat, ""), articles: self.cards(&ids) })
            })
            .collect();
        let day_link = |i: usize| {
            lib.days.get(i).map(|o| LinkOwned { name: v.day(o.date), url: v.url(&day_path(o.date)) })
        };
        ctx.insert("sections", &sections);
        ctx.insert("date", &v.day(day.date));
        ctx.insert("count", &day.articles.len());
        ctx.insert("count_text", &v.strings.count("published_this_day", day.articles.len(), &[]));
        ctx.insert("previous_day", &day_link(d + 1));
        ctx.insert("next_day", &d.checked_sub(1).and_then(day_link));
        let date = v.day(day.date);
        let title = v.strings.fill("day_title", &[("day", &date)]);
        let description = v.strings.count("day_description", day.articles.len(), &[("day", &date)]);
        ("day.html", title, description, "day")
    }

    pub(super) fn archive(&self) -> Vec<ArchiveMonth> {
        let v = &self.views;
        let mut months: Vec<ArchiveMonth> = Vec::new();
        for day in &v.library.days {
            let name = v.month(day.date);
            if months.last().is_none_or(|m| m.name != name) {
                months.push(ArchiveMonth { name, count: 0, count_text: String::new(), days: Vec::new() });
            }
            if let Some(month) = months.last_mut() {
                month.count += day.articles.len();
                month.days.push(ArchiveDay {
                    date: v.day(day.date),
                    url: v.url(&day_path(day.date)),
                    count: day.articles.len(),
                });
            }
        }
        for month in &mut months {
            month.count_text = v.strings.count("articles", month.count, &[]);
        }
        months
    }
}

/// A month of the archive.
#[derive(Serialize)]
pub(super) struct ArchiveMonth {
    name: String,
    count: usize,
    /// `count` in words: "12 articles".
    count_text: String,
    days: Vec<ArchiveDay>,
}

#[derive(Serialize)]
pub(super) struct ArchiveDay {
    date: String,
    url: String,
    count: usize,
}

/// A link whose name was formatted for it (a day).
#[derive(Serialize)]
struct LinkOwned {
    name: String,
    url: String,
}
