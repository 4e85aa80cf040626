//! Preview server: one built site held in memory: the model, a map from request paths to
//! pages and files, and pages rendered on first request (then cached until the next build).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::content::{self, ParseContext};
use crate::error::Diagnostic;
use crate::library::{ArticleId, LinkMap};
use crate::related::Engine;
use crate::render::SiteConstants;
use crate::render::{GroupKind, Page, RelatedLists, RenderInput, Renderer, Theme};
use crate::{BuildOptions, Error, Site};

/// What a request path maps to.
#[derive(Debug, Clone)]
enum Target {
    /// A page rendered from the model.
    Page(Page),
    /// A file copied as-is (static/ or a co-located asset).
    File(PathBuf),
}

/// A built site, ready to answer requests. Replaced whole on every rebuild; what did not
/// change comes from the cache, and related-news lists are computed per page requested.
pub struct Preview {
    site: Site,
    engine: Engine,
    theme: Arc<Theme>,
    now: DateTime<Utc>,
    /// Request files to pages; shared by a patched preview, whose pages are the same.
    targets: Arc<HashMap<String, Target>>,
    /// The first page of each template, rendered by every build to find template errors.
    samples: Arc<Vec<String>>,
    /// Article files to link paths, made by the first patch and shared by later ones.
    links: OnceLock<Arc<LinkMap>>,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

/// A response body found for a path.
pub struct Found {
    /// The bytes.
    pub bytes: Arc<Vec<u8>>,
    /// The output file name it came from (for the MIME type).
    pub file: String,
}

impl Preview {
    /// Loads and indexes the site, reusing and updating `cache`; nothing is written, and
    /// only one page of each kind is rendered (to find template errors).
    pub fn build(options: &BuildOptions, cache: &mut Cache) -> Result<Preview, Error> {
        let site = crate::load_cached(options, cache)?;
        let engine = Engine::cached(&site.library, &site.config.related, &site.config.language, cache);
        let theme = Arc::new(Theme::load(&options.source, &SiteConstants::of(&site.config))?);
        let mut preview = Preview {
            site,
            engine,
            theme,
            now: options.now,
            targets: Arc::default(),
            samples: Arc::default(),
            links: OnceLock::new(),
            rendered: Mutex::new(HashMap::new()),
        };
        let renderer = preview.renderer()?;
        let site = &preview.site;
        let plan = crate::plan_output(&options.source, &renderer, &site.library, &site.assets)?;
        let mut targets = HashMap::new();
        for copy in plan.copies {
            targets.insert(copy.to, Target::File(copy.from));
        }
        let mut samples = Vec::new();
        let mut seen = HashSet::new();
        for page in plan.pages {
            let file = renderer.output_path(&page);
            if let Some(template) = template_kind(&page) {
                if seen.insert(template) {
                    samples.push(file.clone());
                }
            }
            targets.insert(file, Target::Page(page));
        }
        drop(renderer);
        preview.site.warnings.extend(plan.warnings);
        preview.targets = Arc::new(targets);
        preview.samples = Arc::new(samples);
        preview.samples.par_iter().try_for_each(|file| preview.load(file).map(drop))?;
        Ok(preview)
    }

    /// This site with edits to article files taken in, when that provably gives the site
    /// `build` would: every changed path (relative to the site folder) is the Markdown file
    /// of a published article and still parses, to an article placed exactly where it was
    /// (`Article::same_placement`), and no scheduled article has come due. Then the model
    /// keeps its shape: only the edited articles' bodies and the related-news index are
    /// redone, and the page map and theme are shared. Paths the site never had that are
    /// gone again (an editor's temporary files) and hidden files change nothing. `None`
    /// when the edit needs a full `build`.
    pub fn patch(
        &self,
        changed: &[PathBuf],
        options: &BuildOptions,
        cache: &mut Cache,
    ) -> Option<Result<Preview, Error>> {
        let site = &self.site;
        if site.next_scheduled.is_some_and(|due| due <= options.now) {
            return None;
        }
        let edits = self.edited_articles(changed, &options.source)?;
        let ctx = ParseContext { tz: site.tz, default_author: &site.config.default_author };
        cache.begin(crate::cache_settings(&site.config, site.tz));
        let mut library = site.library.clone();
        let links = self
            .links
            .get_or_init(|| Arc::new(library.link_map(&site.config.base_path(), &site.assets)))
            .clone();
        let mut warnings: Vec<Diagnostic> =
            site.warnings.iter().filter(|w| !edits.iter().any(|(_, p)| **p == w.path)).cloned().collect();
        for &(id, path) in &edits {
            // A file that no longer parses gets the full build, which reports every error.
            let article = content::load_one(&options.source, path, &ctx, cache).ok()?;
            if !library.get(id).article.same_placement(&article) {
                return None;
            }
            warnings.extend(library.replace_article(id, article, &links, &site.config.markdown, cache));
        }
        let ids: Vec<ArticleId> = edits.iter().map(|(id, _)| *id).collect();
        let engine = self.engine.patched(&library, &ids, cache);
        let preview = Preview {
            site: Site {
                library,
                warnings,
                assets: site.assets.clone(),
                config: site.config.clone(),
                ..*site
            },
            engine,
            theme: self.theme.clone(),
            now: options.now,
            targets: self.targets.clone(),
            samples: self.samples.clone(),
            links: OnceLock::from(links),
            rendered: Mutex::new(HashMap::new()),
        };
        let renderer = match preview.renderer() {
            Ok(renderer) => renderer,
            Err(e) => return Some(Err(e)),
        };
        let mut check: Vec<String> =
            edits.iter().map(|(id, _)| renderer.output_path(&Page::Article(*id))).collect();
        drop(renderer);
        check.extend(preview.samples.iter().cloned());
        Some(check.par_iter().try_for_each(|file| preview.load(file).map(drop)).map(|()| preview))
    }

    /// The published articles whose files `changed` names (paths relative to the site
    /// folder `source`), once each; `None` if any other change could matter to the site.
    fn edited_articles<'p>(
        &self,
        changed: &'p [PathBuf],
        source: &Path,
    ) -> Option<Vec<(ArticleId, &'p PathBuf)>> {
        let site = &self.site;
        let mut edits = Vec::new();
        for path in changed {
            if !path.starts_with("content") {
                return None;
            }
            if content::is_hidden(path, Path::new("content")) {
                continue; // content::load skips them
            }
            let full = source.join(path);
            let is_file = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
            let known = site.library.entries.iter().position(|e| &e.article.path == path);
            match known {
                Some(i) if is_file => edits.push((ArticleId(i as u32), path)),
                None if !full.exists()
                    && !site.assets.contains(path)
                    && path.extension().is_none_or(|e| e != "md") => {}
                _ => return None,
            }
        }
        edits.sort();
        edits.dedup();
        Some(edits)
    }

    fn renderer(&self) -> Result<Renderer<'_>, Error> {
        Renderer::new(RenderInput {
            library: &self.site.library,
            related: RelatedLists::OnDemand(&self.engine),
            config: &self.site.config,
            theme: &self.theme,
            tz: self.site.tz,
            now: self.now,
        })
        .map_err(Error::Template)
    }

    /// The output file for a decoded request path (`/world/a/` -> `world/a/index.html`), if
    /// the site has one. Never touches a file the build would not publish.
    pub fn get(&self, request_path: &str) -> Result<Option<Found>, Error> {
        let rel = request_path.trim_start_matches('/');
        let file =
            if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
        if self.targets.contains_key(&file) {
            return self.load(&file).map(|bytes| Some(Found { bytes, file }));
        }
        Ok(None)
    }

    /// Whether `request_path` names a page's folder without its closing slash
    /// (`/world/summit`): a web host answers that with a redirect to the folder, so that the
    /// page's relative links (`chart.png`) resolve inside it.
    pub fn is_folder_without_slash(&self, request_path: &str) -> bool {
        let rel = request_path.trim_start_matches('/');
        !rel.is_empty()
            && !rel.ends_with('/')
            && !self.targets.contains_key(rel)
            && self.targets.contains_key(&format!("{rel}/index.html"))
    }

    /// The theme's 404 page.
    pub fn not_found(&self) -> Result<Arc<Vec<u8>>, Error> {
        self.load("404.html")
    }

    fn load(&self, file: &str) -> Result<Arc<Vec<u8>>, Error> {
        if let Some(hit) = self.rendered.lock().ok().and_then(|cache| cache.get(file).cloned()) {
            return Ok(hit);
        }
        let bytes = match self.targets.get(file) {
            Some(Target::Page(page)) => {
                Arc::new(self.renderer()?.render(page).map_err(Error::Template)?.bytes)
            }
            Some(Target::File(path)) => return read(path),
            None => Arc::new(Vec::new()),
        };
        if let Ok(mut cache) = self.rendered.lock() {
            cache.insert(file.to_string(), bytes.clone());
        }
        Ok(bytes)
    }

    /// Articles in the model.
    pub fn articles(&self) -> usize {
        self.site.library.entries.len()
    }

    /// What the build of this site warned of.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.site.warnings
    }

    /// When the next article held back for its date is due, if there is one.
    pub fn next_scheduled(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.site.next_scheduled
    }
}

/// Pages render on request, so a template error would surface only when its page is opened;
/// rendering the first page of each template at build time makes such a build fail up front,
/// while the last good site stays served. The key tells templates apart; `None` for files
/// that use no template (feeds, sitemaps, the style sheet).
fn template_kind(page: &Page) -> Option<(std::mem::Discriminant<Page>, Option<GroupKind>)> {
    match page {
        Page::ThemeAsset(_) | Page::Generated(_) => None,
        Page::Group(kind, _, _) => Some((std::mem::discriminant(page), Some(*kind))),
        _ => Some((std::mem::discriminant(page), None)),
    }
}

fn read(path: &Path) -> Result<Arc<Vec<u8>>, Error> {
    std::fs::read(path).map(Arc::new).map_err(|e| Error::io("read", path, e))
}
