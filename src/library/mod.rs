//! Stage 2 (library): the read-only model of the site: articles newest first, with their
//! URLs, categories, tags, authors and days, all linked by ids.

mod bodies;

pub use bodies::LinkMap;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::config::CategoryConfig;
use crate::content::Article;
use crate::error::Diagnostic;
use crate::slugs::slugify;

/// Index of an article in `Library::entries` (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

impl ArticleId {
    /// The index into `Library::entries`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An article placed in the site.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The article itself.
    pub article: Article,
    /// Path of its page relative to the site root, with a trailing slash (`technology/aws/`).
    pub path: String,
    /// Index into `Library::categories`.
    pub category: usize,
    /// Indexes into `Library::tags`.
    pub tags: Vec<usize>,
    /// Indexes into `Library::authors`.
    pub authors: Vec<usize>,
    /// Publication day in the site's time zone.
    pub day: NaiveDate,
    /// Articles pinned first in the related-news sidebar (`related = [...]`).
    pub pins: Vec<ArticleId>,
}

/// A group of articles with a page of its own (category, tag or author).
#[derive(Debug, Clone)]
pub struct Group {
    /// Display name.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Description (categories only, from config.toml).
    pub description: String,
    /// Member articles, newest first (so in `ArticleId` order).
    pub articles: Vec<ArticleId>,
}

/// One day's articles.
#[derive(Debug, Clone)]
pub struct Day {
    /// The date in the site's time zone.
    pub date: NaiveDate,
    /// Articles of that day, newest first.
    pub articles: Vec<ArticleId>,
}

/// The whole site's content.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Every published article, newest first (ties by path). Shared, so that the preview
    /// server can patch one entry of a copy without copying the rest.
    pub entries: Vec<Arc<Entry>>,
    /// Categories in navigation order.
    pub categories: Vec<Group>,
    /// Tags by slug.
    pub tags: Vec<Group>,
    /// Authors by slug.
    pub authors: Vec<Group>,
    /// Days, newest first.
    pub days: Vec<Day>,
}

/// Which articles to publish.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Include drafts.
    pub drafts: bool,
    /// Include articles dated after `now`.
    pub future: bool,
    /// The build time.
    pub now: DateTime<Utc>,
}

/// Top-level folders the site itself uses, so no category may take them.
pub const RESERVED_SLUGS: &[&str] = &["tags", "authors", "categories", "archive", "search", "static"];

impl Library {
    /// Builds the model from parsed articles (in path order), with every conflict found; the
    /// library stays usable for further checks when there are some.
    pub fn build(
        articles: Vec<Article>,
        categories: &[CategoryConfig],
        tz: Tz,
        selection: &Selection,
    ) -> (Library, Vec<Diagnostic>) {
        let (library, errors, _) = Library::build_with_warnings(articles, categories, tz, selection);
        (library, errors)
    }

    /// `build`, and warnings besides the errors: tags or authors spelt in ways that are
    /// more than a change of case apart (`C++` and `C#`) yet share a slug, so one page.
    pub fn build_with_warnings(
        articles: Vec<Article>,
        categories: &[CategoryConfig],
        tz: Tz,
        selection: &Selection,
    ) -> (Library, Vec<Diagnostic>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut merged = MergedNames::default();
        let (articles, held_back): (Vec<Article>, Vec<Article>) = articles
            .into_iter()
            .partition(|a| (selection.drafts || !a.draft) && (selection.future || a.date <= selection.now));
        // What a pin may name that is not published, to say so rather than "does not exist".
        let unpublished: HashMap<String, &'static str> = held_back
            .iter()
            .flat_map(|a| {
                let why = if a.draft { "a draft" } else { "scheduled for later" };
                [(a.slug.clone(), why), (format!("{}/{}", slugify(&a.category), a.slug), why)]
            })
            .collect();
        let mut names = Names::default();
        for c in categories {
            names.category.insert(slugify(&c.name), (c.name.clone(), c.description.clone()));
        }
        // Each name is slugified once, in parallel; the rest of the work is lookups.
        let slugged: Vec<Slugs> = articles.par_iter().map(Slugs::of).collect();
        for (a, slugs) in articles.iter().zip(&slugged) {
            let slug = &slugs.category;
            if RESERVED_SLUGS.contains(&slug.as_str()) {
                errors.push(
                    Diagnostic::new(
                        &a.path,
                        format!("category `{}` would replace the site's /{slug}/ pages", a.category),
                    )
                    .hint("choose another category name"),
                );
            }
            // The first spelling of each name is kept; known slugs are not copied again.
            if !names.category.contains_key(slug) {
                names.category.insert(slug.clone(), (a.category.clone(), String::new()));
            }
            for (t, slug) in a.tags.iter().zip(&slugs.tags) {
                match names.tag.get(slug) {
                    None => {
                        names.tag.insert(slug.clone(), t.clone());
                    }
                    Some(first) => merged.note("tag", first, t, slug, &a.path),
                }
            }
            for (au, slug) in a.authors.iter().zip(&slugs.authors) {
                match names.author.get(slug) {
                    None => {
                        names.author.insert(slug.clone(), au.clone());
                    }
                    Some(first) => merged.note("author", first, au, slug, &a.path),
                }
            }
        }
        let paths: Vec<String> = articles
            .iter()
            .zip(&slugged)
            .map(|(a, slugs)| format!("{}/{}/", slugs.category, a.slug))
            .collect();
        // Newest first, ties by URL path. Indexes are sorted, not the (large) articles.
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by(|&i, &j| articles[j].date.cmp(&articles[i].date).then_with(|| paths[i].cmp(&paths[j])));
        let mut library = Library::default();
        let nav = category_order(categories, &names);
        let cat_index: HashMap<&str, usize> = nav.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
        library.categories =
            nav.iter().map(|s| group(s, &names.category[s].0, &names.category[s].1)).collect();
        let (tags, authors) = (by_slug(names.tag), by_slug(names.author));
        let tag_index = slug_index(&tags);
        let author_index = slug_index(&authors);
        // Each entry is made in parallel where its article lies; then only pointers move into
        // page order (moving whole articles in that order took 0.36 s at 100,000 articles).
        let mut unplaced: Vec<Option<Arc<Entry>>> = paths
            .into_par_iter()
            .zip(slugged)
            .zip(articles)
            .map(|((path, slugs), article)| {
                Some(Arc::new(Entry {
                    category: cat_index[slugs.category.as_str()],
                    tags: slugs.tags.iter().map(|t| tag_index[t.as_str()]).collect(),
                    authors: slugs.authors.iter().map(|a| author_index[a.as_str()]).collect(),
                    day: article.date.with_timezone(&tz).date_naive(),
                    path,
                    article,
                    pins: Vec::new(),
                }))
            })
            .collect();
        library.entries = order.into_iter().filter_map(|i| unplaced[i].take()).collect();
        (library.tags, library.authors) = (tags, authors);
        let mut days: BTreeMap<NaiveDate, Vec<ArticleId>> = BTreeMap::new();
        for (i, entry) in library.entries.iter().enumerate() {
            let id = ArticleId(i as u32);
            library.categories[entry.category].articles.push(id);
            entry.tags.iter().for_each(|&t| library.tags[t].articles.push(id));
            entry.authors.iter().for_each(|&a| library.authors[a].articles.push(id));
            days.entry(entry.day).or_default().push(id);
        }
        library.categories.retain(|c| !c.articles.is_empty());
        library.reindex_categories();
        library.days = days.into_iter().rev().map(|(date, articles)| Day { date, articles }).collect();
        errors.extend(library.check_unique_paths());
        errors.extend(library.resolve_pins(&unpublished));
        (library, errors, merged.warnings)
    }

    /// Where each file under content/ (`assets`, relative to the site) is published, as
    /// output paths: next to every article page of its folder, so that the articles'
    /// relative links to it work as written; in a folder with no article, at its own path
    /// without `content/`.
    pub fn asset_destinations(&self, assets: &[std::path::PathBuf]) -> Vec<Vec<String>> {
        if assets.is_empty() {
            return Vec::new(); // most sites: no map of 100,000 articles' folders to build
        }
        let mut pages_by_folder: HashMap<&Path, Vec<&str>> = HashMap::default();
        for e in &self.entries {
            pages_by_folder
                .entry(e.article.path.parent().unwrap_or(Path::new("")))
                .or_default()
                .push(&e.path);
        }
        assets
            .iter()
            .map(|asset| {
                let folder = asset.parent().unwrap_or(Path::new(""));
                let name = asset.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                match pages_by_folder.get(folder) {
                    Some(pages) => pages.iter().map(|p| format!("{p}{name}")).collect(),
                    None => {
                        let own = asset.strip_prefix("content").unwrap_or(asset);
                        vec![own.to_string_lossy().replace('\\', "/")]
                    }
                }
            })
            .collect()
    }

    /// Looks an article up.
    pub fn get(&self, id: ArticleId) -> &Entry {
        &self.entries[id.index()]
    }

    /// Finds an article by its file (`content/tech/a.md`), its `category/slug`, or its slug.
    pub fn find(&self, key: &str) -> Result<ArticleId, String> {
        let key = key.trim_start_matches("./").trim_matches('/');
        let by = |test: &dyn Fn(&Entry) -> bool| -> Vec<ArticleId> {
            (0..self.entries.len()).filter(|&i| test(&self.entries[i])).map(|i| ArticleId(i as u32)).collect()
        };
        let file = Path::new(key);
        for found in [
            by(&|e| e.article.path == file || e.article.path.ends_with(file) && key.ends_with(".md")),
            by(&|e| e.path.trim_end_matches('/') == key),
            by(&|e| e.article.slug == key),
        ] {
            match found.as_slice() {
                [one] => return Ok(*one),
                [] => continue,
                many => {
                    let names: Vec<String> = many.iter().map(|id| self.get(*id).path.clone()).collect();
                    return Err(format!(
                        "`{key}` matches several articles: {}; write it as category/slug",
                        names.join(", ")
                    ));
                }
            }
        }
        Err(format!(
            "no published article matches `{key}`; give its file (content/...md), category/slug or slug"
        ))
    }

    fn reindex_categories(&mut self) {
        for (i, c) in self.categories.iter().enumerate() {
            for id in &c.articles {
                Arc::make_mut(&mut self.entries[id.index()]).category = i;
            }
        }
    }

    fn check_unique_paths(&self) -> Vec<Diagnostic> {
        // Each URL with the article that claims it and the front matter line that does so
        // (`slug` or the alias; none when the file name gives the URL).
        let mut seen: HashMap<&str, (&Path, Option<usize>)> = HashMap::default();
        let mut errors = Vec::new();
        for e in &self.entries {
            let own = std::iter::once((&e.path, e.article.slug_line));
            let claims = own.chain(e.article.aliases.iter().map(|(path, line)| (path, Some(*line))));
            for (path, line) in claims {
                let Some((other, other_line)) = seen.insert(path.as_str(), (&e.article.path, line)) else {
                    continue;
                };
                if other == e.article.path {
                    let message =
                        format!("the URL /{path} is listed twice in its aliases (or is its own URL)");
                    errors.push(
                        Diagnostic::new(other, message).at_line(line).hint("remove the repeated alias"),
                    );
                    continue;
                }
                // Reported where the fix most likely is: at the one claim written on a line
                // (an alias or `slug`) when the other comes from a file name, else at the
                // later file in path order; the message names the other claim's line too.
                let mine = (e.article.path.as_path(), line);
                let ((a, a_line), (b, b_line)) = if other_line.is_some() != line.is_some() {
                    if line.is_some() {
                        ((other, other_line), mine)
                    } else {
                        (mine, (other, other_line))
                    }
                } else if other < e.article.path.as_path() {
                    ((other, other_line), mine)
                } else {
                    (mine, (other, other_line))
                };
                let shown_a = match a_line {
                    Some(l) => format!("{}:{l}", a.display()),
                    None => a.display().to_string(),
                };
                let message = format!("two articles have the URL /{path}: {shown_a} and {}", b.display());
                errors.push(
                    Diagnostic::new(b, message)
                        .at_line(b_line)
                        .hint("give one of them another `slug` (or alias)"),
                );
            }
        }
        errors
    }

    fn resolve_pins(&mut self, unpublished: &HashMap<String, &str>) -> Vec<Diagnostic> {
        if self.entries.iter().all(|e| e.article.related_pins.is_empty()) {
            return Vec::new(); // most sites pin nothing: no lookup tables to build
        }
        let mut by_slug: HashMap<&str, Vec<ArticleId>> = HashMap::default();
        let mut by_path: HashMap<&str, ArticleId> = HashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            by_slug.entry(e.article.slug.as_str()).or_default().push(ArticleId(i as u32));
            by_path.insert(e.path.trim_end_matches('/'), ArticleId(i as u32));
        }
        let mut errors = Vec::new();
        let mut resolved = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            let mut pins = Vec::new();
            for (slug, line) in &e.article.related_pins {
                let key = slug.trim_matches('/');
                match (by_path.get(key), by_slug.get(key).map(Vec::as_slice)) {
                    (Some(id), _) | (None, Some([id])) => pins.push(*id),
                    (None, Some(_)) => errors.push(Diagnostic::new(&e.article.path, format!("related article `{slug}` is ambiguous: several articles have that slug"))
                        .at(*line, None)
                        .hint("write it as `category/slug`")),
                    (None, None) if unpublished.contains_key(key) => errors.push(Diagnostic::new(&e.article.path, format!("related article `{slug}` is {}, so it is not published", unpublished[key]))
                        .at(*line, None)
                        .hint("pin a published article, or build with --drafts and --future to see them all")),
                    (None, None) => errors.push(Diagnostic::new(&e.article.path, format!("related article `{slug}` does not exist"))
                        .at(*line, None)
                        .hint("use the slug of a published article, e.g. `aws-anthropic-openai` or `technology/aws-anthropic-openai`")),
                }
            }
            resolved.push(pins);
        }
        for (e, pins) in self.entries.iter_mut().zip(resolved) {
            if !pins.is_empty() {
                Arc::make_mut(e).pins = pins;
            }
        }
        errors
    }
}

/// The slugs of one article's category, tags and authors.
struct Slugs {
    category: String,
    tags: Vec<String>,
    authors: Vec<String>,
}

impl Slugs {
    fn of(a: &Article) -> Slugs {
        Slugs {
            category: slugify(&a.category),
            tags: a.tags.iter().map(|t| slugify(t)).collect(),
            authors: a.authors.iter().map(|t| slugify(t)).collect(),
        }
    }
}

/// Names that became one tag or author although they are spelt differently, not only in
/// case: `C++`, `C#` and `C` all have the slug `c`. Each spelling is reported once.
#[derive(Default)]
struct MergedNames {
    seen: std::collections::HashSet<(String, String)>,
    warnings: Vec<Diagnostic>,
}

impl MergedNames {
    fn note(&mut self, kind: &str, first: &str, other: &str, slug: &str, path: &Path) {
        if first == other || first.to_lowercase() == other.to_lowercase() {
            return; // `AI` and `ai`: the same name
        }
        if self.seen.insert((slug.to_string(), other.to_string())) {
            self.warnings.push(
                Diagnostic::new(path, format!("{kind} `{other}` is the same {kind} as `{first}`: both have the URL slug `{slug}`"))
                    .hint(format!("if they are one {kind}, spell it `{first}` everywhere; if not, give one a name that makes another slug")),
            );
        }
    }
}

/// Display names by slug, first spelling in path order unless config.toml names it.
#[derive(Default)]
struct Names {
    category: HashMap<String, (String, String)>,
    tag: HashMap<String, String>,
    author: HashMap<String, String>,
}

/// Groups of the names by slug, in slug order (a hash map collects them, then one sort:
/// an ordered map of 100,000 authors took 0.24 s to fill).
fn by_slug(names: HashMap<String, String>) -> Vec<Group> {
    let mut names: Vec<(String, String)> = names.into_iter().collect();
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    names
        .into_iter()
        .map(|(slug, name)| Group { name, slug, description: String::new(), articles: Vec::new() })
        .collect()
}

/// Each group's index by its slug.
fn slug_index(groups: &[Group]) -> HashMap<&str, usize> {
    groups.iter().enumerate().map(|(i, g)| (g.slug.as_str(), i)).collect()
}

fn group(slug: &str, name: &str, description: &str) -> Group {
    Group { name: name.into(), slug: slug.into(), description: description.into(), articles: Vec::new() }
}

/// Configured categories first, in their order, then the rest by slug.
fn category_order(configured: &[CategoryConfig], names: &Names) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for c in configured {
        let slug = slugify(&c.name);
        if !order.contains(&slug) {
            order.push(slug);
        }
    }
    let mut rest: Vec<&String> = names.category.keys().filter(|s| !order.contains(s)).collect();
    rest.sort();
    order.extend(rest.into_iter().cloned());
    order
}

/// Resolves `.md` links relative to the linking article's folder.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ParseContext;
    use chrono::TimeZone;

    fn article(path: &str, front_matter: &str) -> Article {
        let ctx = ParseContext { tz: Tz::UTC, default_author: "Desk" };
        Article::parse(Path::new(path), &format!("+++\n{front_matter}\n+++\nBody.\n"), &ctx).unwrap()
    }

    fn selection() -> Selection {
        Selection { drafts: false, future: false, now: Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap() }
    }

    #[test]
    fn permalinks_come_from_category_and_slug() {
        let articles = vec![
            article("content/world/a.md", "title = \"A\"\ndate = 2026-11-01"),
            article(
                "content/world/b.md",
                "title = \"B\"\ndate = 2026-11-02\ncategory = \"Big Tech\"\nslug = \"Custom Slug\"",
            ),
        ];
        let (lib, errors) = Library::build(articles, &[], Tz::UTC, &selection());
        assert!(errors.is_empty(), "{errors:?}");
        let paths: Vec<&str> = lib.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, vec!["big-tech/custom-slug/", "world/a/"], "newest first");
    }

    #[test]
    fn configured_categories_lead_the_navigation() {
        let articles = vec![
            article("content/alpha/a.md", "title = \"A\"\ndate = 2026-11-01"),
            article("content/zulu/z.md", "title = \"Z\"\ndate = 2026-11-01"),
            article("content/mike/m.md", "title = \"M\"\ndate = 2026-11-01"),
        ];
        let configured = vec![CategoryConfig { name: "Zulu".into(), description: "Last letter".into() }];
        let (lib, _) = Library::build(articles, &configured, Tz::UTC, &selection());
        let names: Vec<&str> = lib.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["Zulu", "alpha", "mike"]);
        assert_eq!(lib.categories[0].description, "Last letter");
        assert_eq!(lib.entries.iter().find(|e| e.path == "zulu/z/").unwrap().category, 0);
    }

    #[test]
    fn drafts_and_future_articles_are_left_out() {
        let articles = vec![
            article("content/w/a.md", "title = \"A\"\ndate = 2026-11-01\ndraft = true"),
            article("content/w/b.md", "title = \"B\"\ndate = 2099-01-01"),
            article("content/w/c.md", "title = \"C\"\ndate = 2026-11-01"),
        ];
        let (lib, _) = Library::build(articles.clone(), &[], Tz::UTC, &selection());
        assert_eq!(lib.entries.len(), 1);
        let everything = Selection { drafts: true, future: true, ..selection() };
        assert_eq!(Library::build(articles, &[], Tz::UTC, &everything).0.entries.len(), 3);
    }

    #[test]
    fn days_follow_the_site_time_zone() {
        let articles = vec![article("content/w/a.md", "title = \"A\"\ndate = 2026-11-01T23:30:00Z")];
        let (lib, _) = Library::build(articles, &[], chrono_tz::Europe::Berlin, &selection());
        assert_eq!(lib.days[0].date, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    }

    #[test]
    fn duplicate_urls_and_unknown_pins_are_errors() {
        let articles = vec![
            article("content/w/a.md", "title = \"A\"\ndate = 2026-11-01\nslug = \"same\""),
            article(
                "content/w/b.md",
                "title = \"B\"\ndate = 2026-11-02\nslug = \"same\"\nrelated = [\"nope\"]",
            ),
        ];
        let (_, errors) = Library::build(articles, &[], Tz::UTC, &selection());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("content/w/a.md:4 and content/w/b.md"), "{errors:?}");
        assert_eq!(errors[0].line, Some(4), "at b.md's `slug` line");
        assert_eq!(errors[1].line, Some(5));
    }

    #[test]
    fn a_url_claimed_twice_names_the_lines_that_claim_it() {
        let articles = vec![
            // Its URL comes from its file name, so it has no line.
            article("content/w/same.md", "title = \"A\"\ndate = 2026-11-01"),
            article("content/w/b.md", "title = \"B\"\ndate = 2026-11-02\naliases = [\"/w/same/\"]"),
            article("content/w/c.md", "title = \"C\"\ndate = 2026-11-03\naliases = [\"/x/\", \"/x/\"]"),
        ];
        let (_, mut errors) = Library::build(articles, &[], Tz::UTC, &selection());
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 2, "{shown:?}");
        // At the alias, the claim written on a line, though its file sorts first.
        assert!(errors[0].message.contains("/w/same/: content/w/same.md and content/w/b.md"), "{shown:?}");
        assert_eq!((errors[0].path.to_str(), errors[0].line), (Some("content/w/b.md"), Some(4)));
        assert!(errors[1].message.contains("/x/ is listed twice"), "{shown:?}");
        assert_eq!((errors[1].path.to_str(), errors[1].line), (Some("content/w/c.md"), Some(4)));
    }

    #[test]
    fn reserved_category_slugs_are_refused() {
        let articles = vec![article("content/tags/a.md", "title = \"A\"\ndate = 2026-11-01")];
        let (_, errors) = Library::build(articles, &[], Tz::UTC, &selection());
        assert!(errors[0].message.contains("/tags/"), "{errors:?}");
    }
}
