//! Stage 5 (render): who claims each path of the output folder (pages, aliases, `static/`
//! files and content assets), checked before anything is written, so that no file silently
//! takes another's place and no path is both a file and a folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::pages::{GroupKind, Page, Renderer};
use crate::assets::Copy;
use crate::error::Diagnostic;

const ALIAS_HINT: &str = "remove the alias, or give it a path the site does not use";
const COPY_HINT: &str = "rename the file, or move it into a folder of its own";

/// What a build would write at one path.
#[derive(Clone, Copy)]
enum Claim<'a> {
    /// A file of `static/`, copied as it is.
    Static(&'a Path),
    /// A file under `content/`, copied next to the articles of its folder.
    Asset(&'a Path),
    Page(&'a Page),
}

/// The problems found: errors stop the build; warnings say that a `static/` file replaces
/// a page the site would render (allowed, as `static/style.css` replaces the theme's).
#[derive(Default)]
pub struct Conflicts {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Renderer<'_> {
    /// Checks that every output path has one owner and that no file sits where another
    /// claim needs a folder. `copies` come first (as the build stages them), then `pages`;
    /// `site` makes the copies' paths relative in messages.
    pub fn conflicts(&self, site: &Path, copies: &[Copy], pages: &[Page]) -> Conflicts {
        let mut found = Conflicts::default();
        let claims = copies
            .iter()
            .map(|c| {
                let from = c.from.strip_prefix(site).unwrap_or(&c.from);
                let claim = if from.starts_with("static") { Claim::Static(from) } else { Claim::Asset(from) };
                (c.to.clone(), claim)
            })
            // Aliases last, so that a clash names the alias rather than the page it hides.
            .chain(
                pages
                    .iter()
                    .filter(|p| !matches!(p, Page::Alias(..)))
                    .map(|p| (self.output_path(p), Claim::Page(p))),
            )
            .chain(
                pages
                    .iter()
                    .filter(|p| matches!(p, Page::Alias(..)))
                    .map(|p| (self.output_path(p), Claim::Page(p))),
            );
        let mut owners: HashMap<String, Claim> = HashMap::new();
        for (path, claim) in claims {
            match owners.get(&path) {
                Some(&first) => self.same_path(&mut found, &path, first, claim),
                None => {
                    owners.insert(path, claim);
                }
            }
        }
        // A file where another claim needs a folder (`/atom.xml` and `/atom.xml/index.html`).
        for (path, &claim) in &owners {
            let folders = path.match_indices('/').map(|(end, _)| &path[..end]);
            if let Some((folder, &file)) = folders.filter_map(|f| owners.get_key_value(f)).next() {
                found.errors.push(self.file_in_the_way(folder, file, path, claim));
            }
        }
        found.errors.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
        found.errors.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
        found
    }

    /// Two claims on one path: an alias or an asset is an error; a `static/` file replacing
    /// a page is a warning.
    fn same_path(&self, found: &mut Conflicts, path: &str, first: Claim, second: Claim) {
        match (first, second) {
            (other, Claim::Page(Page::Alias(id, alias))) | (Claim::Page(Page::Alias(id, alias)), other) => {
                found.errors.push(
                    self.alias_diagnostic(
                        *id,
                        alias,
                        format!("alias `/{alias}` would replace {}", self.noun(other, path)),
                    )
                    .hint(ALIAS_HINT),
                );
            }
            (Claim::Asset(asset), other) | (other, Claim::Asset(asset)) => found.errors.push(
                Diagnostic::new(
                    asset,
                    format!("the file would be published as /{path}, replacing {}", self.noun(other, path)),
                )
                .hint(COPY_HINT),
            ),
            (Claim::Static(file), Claim::Page(page)) => found.warnings.push(
                Diagnostic::new(
                    file,
                    format!("replaces {} in the output", self.noun(Claim::Page(page), path)),
                )
                .hint("that is what a file in static/ does; rename it if it should not"),
            ),
            (first, second) => found.errors.push(
                Diagnostic::new(
                    self.blame(second),
                    format!(
                        "{} and {} are both published as /{path}",
                        self.noun(first, path),
                        self.noun(second, path)
                    ),
                )
                .hint("rename one of them"),
            ),
        }
    }

    /// The error for a claim on `path` inside `folder`, which `file` claims as a file.
    fn file_in_the_way(&self, folder: &str, file: Claim, path: &str, claim: Claim) -> Diagnostic {
        match (claim, file) {
            (Claim::Page(Page::Alias(id, alias)), _) => self
                .alias_diagnostic(
                    *id,
                    alias,
                    format!("alias `/{alias}` would turn {} into a folder", self.noun(file, folder)),
                )
                .hint(ALIAS_HINT),
            (_, Claim::Page(Page::Alias(id, alias))) => self
                .alias_diagnostic(
                    *id,
                    alias,
                    format!("alias `/{alias}` is a file where {} needs a folder", self.noun(claim, path)),
                )
                .hint(ALIAS_HINT),
            // A copied file in the way of a page: the file is the one to move.
            (_, Claim::Static(blocking) | Claim::Asset(blocking)) => Diagnostic::new(
                blocking,
                format!(
                    "the file is published as /{folder}, where {} needs a folder",
                    self.noun(claim, path)
                ),
            )
            .hint(COPY_HINT),
            _ => Diagnostic::new(
                self.blame(claim),
                format!(
                    "{} needs /{folder}/ to be a folder, but it is {}",
                    self.noun(claim, path),
                    self.noun(file, folder)
                ),
            )
            .hint("rename one of them"),
        }
    }

    fn alias_diagnostic(&self, id: crate::library::ArticleId, alias: &str, message: String) -> Diagnostic {
        let article = &self.views.library.get(id).article;
        let line = article.aliases.iter().find(|(path, _)| path == alias).map(|(_, line)| *line);
        let diagnostic = Diagnostic::new(&article.path, message);
        match line {
            Some(line) => diagnostic.at(line, None),
            None => diagnostic,
        }
    }

    /// The file to name in an error about `claim`.
    fn blame(&self, claim: Claim) -> PathBuf {
        match claim {
            Claim::Static(path) | Claim::Asset(path) => path.to_path_buf(),
            Claim::Page(Page::Article(id) | Page::Alias(id, _)) => {
                self.views.library.get(*id).article.path.clone()
            }
            Claim::Page(_) => PathBuf::from("config.toml"),
        }
    }

    /// What a claim is, for messages: "the category page `News`".
    fn noun(&self, claim: Claim, path: &str) -> String {
        let lib = self.views.library;
        let page = match claim {
            Claim::Static(file) | Claim::Asset(file) => return format!("the file {}", file.display()),
            Claim::Page(page) => page,
        };
        let group_kind = |kind: GroupKind| match kind {
            GroupKind::Category => "category",
            GroupKind::Tag => "tag",
            GroupKind::Author => "author",
        };
        match page {
            Page::Front => "the front page".into(),
            Page::Article(id) => format!("the article {}", lib.get(*id).article.path.display()),
            Page::Group(kind, g, 1) => {
                format!("the {} page `{}`", group_kind(*kind), self.groups(*kind)[*g].name)
            }
            Page::Group(kind, g, n) => {
                format!("page {n} of the {} `{}`", group_kind(*kind), self.groups(*kind)[*g].name)
            }
            Page::GroupIndex(kind) => format!("the list of every {}", group_kind(*kind)),
            Page::Day(d) => format!("the daily digest of {}", lib.days[*d].date),
            Page::Archive => "the archive".into(),
            Page::Alias(id, _) => format!("an alias of {}", lib.get(*id).article.path.display()),
            Page::NotFound => "the 404 page".into(),
            Page::Search => "the search page".into(),
            Page::ThemeAsset(_) | Page::Generated(_) => format!("the site's file /{path}"),
        }
    }
}
