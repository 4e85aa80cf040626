//! Preview server: one built site held in memory: the model, a map from request paths to
//! pages and files, and pages rendered on first request (then cached until the next build).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::related::Engine;
use crate::render::{Generated, GroupKind, Page, RelatedLists, RenderInput, Renderer, Theme};
use crate::{assets, BuildOptions, Error, Site};

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
    theme: Theme,
    now: DateTime<Utc>,
    targets: HashMap<String, Target>,
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
        let theme = Theme::load(&options.source)?;
        let mut preview = Preview {
            site,
            engine,
            theme,
            now: options.now,
            targets: HashMap::new(),
            rendered: Mutex::new(HashMap::new()),
        };
        let mut targets = HashMap::new();
        for copy in assets::plan(&options.source, &preview.site.library, &preview.site.assets) {
            targets.insert(copy.to, Target::File(copy.from));
        }
        let renderer = preview.renderer();
        let pages = renderer.pages();
        let mut samples = Vec::new();
        let mut seen = HashSet::new();
        for page in pages {
            let file = renderer.output_path(&page);
            let overridden = matches!(page, Page::ThemeAsset(_) | Page::Generated(Generated::Robots));
            if overridden && targets.contains_key(&file) {
                continue;
            }
            if let Some(template) = template_kind(&page) {
                if seen.insert(template) {
                    samples.push(file.clone());
                }
            }
            targets.insert(file, Target::Page(page));
        }
        drop(renderer);
        preview.targets = targets;
        samples.par_iter().try_for_each(|file| preview.load(file).map(drop))?;
        Ok(preview)
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer::new(RenderInput {
            library: &self.site.library,
            related: RelatedLists::OnDemand(&self.engine),
            config: &self.site.config,
            theme: &self.theme,
            tz: self.site.tz,
            now: self.now,
        })
    }

    /// The output file for a decoded request path (`/world/a/` -> `world/a/index.html`), if
    /// the site has one. Never touches a file the build would not publish.
    pub fn get(&self, request_path: &str) -> Result<Option<Found>, Error> {
        let rel = request_path.trim_start_matches('/');
        let candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![format!("{rel}index.html")]
        } else {
            vec![rel.to_string(), format!("{rel}/index.html")]
        };
        for file in candidates {
            if self.targets.contains_key(&file) {
                return self.load(&file).map(|bytes| Some(Found { bytes, file }));
            }
        }
        Ok(None)
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
                Arc::new(self.renderer().render(page).map_err(Error::Template)?.bytes)
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
