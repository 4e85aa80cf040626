//! Broadsheet: a static site generator for news digests. `build()` runs the pipeline:
//! config -> content -> library -> markdown -> related -> render -> output.

pub mod assets;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod language;
pub mod library;
pub mod markdown;
pub mod output;
pub mod related;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slugs;
pub mod strings;
pub mod ui;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

pub use error::{Diagnostic, Error};

use cache::{Cache, PageRecords};
use config::Config;
use content::ParseContext;
use library::{Library, Selection};
use output::{Staged, Staging};
use related::Engine;
use render::{Generated, OutputFile, Page, RelatedLists, RenderInput, Renderer, Theme, BUILTIN_ASSETS};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with `config.toml` and `content/`).
    pub source: PathBuf,
    /// The output folder; `public` inside the site when `None`.
    pub output: Option<PathBuf>,
    /// Build drafts too.
    pub drafts: bool,
    /// Build articles dated in the future too.
    pub future: bool,
    /// Replaces `base_url` from config.toml.
    pub base_url: Option<String>,
    /// The build time (articles after it are scheduled).
    pub now: DateTime<Utc>,
    /// Set (e.g. by Ctrl-C) to stop the build before the output folder changes.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Read and update the build cache in `.broadsheet-cache/` (`build` only).
    pub use_cache: bool,
}

impl BuildOptions {
    /// Options to read a site as it stands now, without writing it anywhere.
    pub fn read_only(source: PathBuf, drafts: bool, future: bool) -> Self {
        BuildOptions {
            source,
            output: None,
            drafts,
            future,
            base_url: None,
            now: Utc::now(),
            cancel: None,
            use_cache: false,
        }
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Articles published.
    pub articles: usize,
    /// Pages rendered (HTML files from templates).
    pub pages: usize,
    /// Files written in all, pages and copies.
    pub files: usize,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Whether config.toml was found (else defaults were used).
    pub config_found: bool,
    /// Where the site was written.
    pub output: PathBuf,
    /// Problems that did not stop the build (broken links between articles).
    pub warnings: Vec<Diagnostic>,
    /// Files written, left unchanged and removed in the output folder.
    pub changes: output::Changes,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// How much of the work came from the build cache.
    pub cache: cache::Stats,
    /// Articles left out (drafts, scheduled).
    pub held_back: HeldBack,
    /// When the next scheduled article is due, if one was left out for its date.
    pub next_scheduled: Option<DateTime<Utc>>,
}

/// A site read and checked: config, the library with rendered bodies, and its assets.
#[derive(Debug)]
pub struct Site {
    /// Settings, with `--base-url` applied.
    pub config: Config,
    /// The site's time zone.
    pub tz: chrono_tz::Tz,
    /// Whether config.toml was found.
    pub config_found: bool,
    /// Every published article, rendered.
    pub library: Library,
    /// Non-Markdown files under content/, relative to the site folder.
    pub assets: Vec<PathBuf>,
    /// Problems that do not stop a build.
    pub warnings: Vec<Diagnostic>,
    /// The date of the next article held back only because it is dated after the build
    /// time, if any: at that time the published site changes.
    pub next_scheduled: Option<DateTime<Utc>>,
    /// Articles the build leaves out: drafts (without `--drafts`) and scheduled ones (dated
    /// after the build time, without `--future`).
    pub held_back: HeldBack,
}

/// How many articles a build left out, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldBack {
    /// Drafts, left out without `--drafts`.
    pub drafts: usize,
    /// Articles dated after the build time (and not drafts), left out without `--future`.
    pub scheduled: usize,
}

/// Watches a build as it runs, e.g. to draw a progress bar. Every method does nothing unless
/// overridden; `file_written` is called from many threads at once.
pub trait Progress: Sync {
    /// `stage` (one of the names in `Report::timings`) has finished.
    fn stage_done(&self, _stage: &'static str) {}
    /// Rendering starts: `total` files will be rendered and written.
    fn render_started(&self, _total: usize) {}
    /// One more file was rendered and written.
    fn file_written(&self) {}
}

/// A `Progress` that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Runs the stages up to the library: config, content, library, Markdown. Every content
/// error is collected before failing.
pub fn load(options: &BuildOptions) -> Result<Site, Error> {
    load_cached(options, &mut Cache::off())
}

/// Like `load`, reusing and updating `cache`: unchanged files are not parsed or rendered again.
pub fn load_cached(options: &BuildOptions, cache: &mut Cache) -> Result<Site, Error> {
    load_timed(options, &mut Stopwatch::new(&NoProgress), cache)
}

fn load_timed(options: &BuildOptions, clock: &mut Stopwatch, cache: &mut Cache) -> Result<Site, Error> {
    let site = &options.source;
    let mut loaded = Config::load(site)?;
    if let Some(url) = &options.base_url {
        if let Some(why) = config::base_url_problem(url) {
            return Err(Error::Usage(format!("--base-url `{url}` {why}")));
        }
        loaded.config.base_url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
    }
    let config = loaded.config;
    let ctx = ParseContext { tz: loaded.tz, default_author: &config.default_author };
    cache.begin(cache_settings(&config, loaded.tz));
    let content = content::load(site, &ctx, cache);
    clock.lap("load and parse");
    let mut errors = content.errors;
    let selection = Selection { drafts: options.drafts, future: options.future, now: options.now };
    let held_back = HeldBack {
        drafts: content.articles.iter().filter(|a| a.draft && !options.drafts).count(),
        scheduled: content
            .articles
            .iter()
            .filter(|a| !options.future && a.date > options.now && (options.drafts || !a.draft))
            .count(),
    };
    let next_scheduled = content
        .articles
        .iter()
        .filter(|a| !options.future && a.date > options.now && (options.drafts || !a.draft))
        .map(|a| a.date)
        .min();
    let (mut library, library_errors, mut warnings) =
        Library::build_with_warnings(content.articles, &config.categories, loaded.tz, &selection);
    errors.extend(library_errors);
    warnings.extend(empty_listed_categories(&loaded.text, &config.categories, &library));
    clock.lap("library");
    warnings.extend(library.render_markdown(&config.markdown, &config.base_path(), &content.assets, cache));
    if loaded.found && !config.base_url.contains("://") {
        warnings.push(
            Diagnostic::new("config.toml", format!("base_url `{}` is not an absolute URL", config.base_url))
                .hint(
                    "feeds, sitemaps and canonical links need one, e.g. base_url = \"https://example.org/\"",
                ),
        );
    }
    clock.lap("markdown");
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    Ok(Site {
        config,
        tz: loaded.tz,
        config_found: loaded.found,
        library,
        assets: content.assets,
        warnings,
        next_scheduled,
        held_back,
    })
}

/// The hash of every setting the build cache's results depend on besides the files.
pub fn cache_settings(config: &Config, tz: chrono_tz::Tz) -> cache::ContentHash {
    cache::settings_hash(&(
        &tz,
        &config.default_author,
        &config.markdown,
        config.base_path(),
        &config.language,
        config.related.stemming,
    ))
}

/// Builds the site: every stage in order; the output folder changes only on success.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    build_with_progress(options, &NoProgress)
}

/// Builds the site like `build`, telling `progress` how far it got.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, Error> {
    let started = Instant::now();
    let mut clock = Stopwatch::new(progress);
    let site = &options.source;
    let mut cache = if options.use_cache { Cache::open(site) } else { Cache::off() };
    let Site { config, tz, config_found, library, assets, mut warnings, held_back, next_scheduled, .. } =
        load_timed(options, &mut clock, &mut cache)?;
    let config = &config;
    let related = Engine::cached(&library, &config.related, &config.language, &mut cache).all(&library);
    clock.lap("related");
    let built = std::thread::scope(|scope| {
        let cache = &cache;
        // The article cache is complete: it is saved while the pages render.
        let saving = (options.use_cache && cache.dirty()).then(|| scope.spawn(move || cache.save(site)));
        let theme = Theme::load(site, &render::SiteConstants::of(config))?;
        let renderer = Renderer::new(RenderInput {
            library: &library,
            related: RelatedLists::All(&related),
            config,
            theme: &theme,
            tz,
            now: options.now,
        })
        .map_err(Error::Template)?;
        let OutputPlan { copies, pages, warnings: clashes } =
            plan_output(site, &renderer, &library, &assets)?;
        warnings.extend(clashes);
        let output = options.output.clone().unwrap_or_else(|| site.join("public"));
        let staging = Staging::create(site, &output)?;
        for copy in &copies {
            staging.copy(&copy.from, &copy.to)?;
        }
        progress.render_started(pages.len());
        let cancelled =
            || options.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst));
        let records =
            if options.use_cache { PageRecords::open(site, &output) } else { PageRecords::default() };
        let current = Output { records: &records, staging: &staging, fingerprint: options.use_cache };
        let (fingerprints, kept) =
            current.render_all(&renderer, &pages, progress, &cancelled).map_err(|e| match e {
                Error::Template(_) => first_template_error(&renderer, &pages).unwrap_or(e),
                other => other,
            })?;
        clock.lap("render and write");
        if cancelled() {
            return Err(Error::Interrupted);
        }
        let changes = staging.commit()?;
        clock.lap("move into place");
        if options.use_cache {
            let articles_saved = saving.map_or(Ok(()), |saver| {
                saver.join().unwrap_or_else(|_| Err(Error::Output("the cache writer panicked".into())))
            });
            let pages = PageRecords::of(&output, fingerprints, &records);
            warnings.extend(save_records(articles_saved, pages, site));
            // The rest of the saving, which the pages' rendering did not hide.
            clock.lap("save cache");
        }
        Ok(Report {
            articles: library.entries.len(),
            pages: pages.iter().filter(|p| !matches!(p, Page::ThemeAsset(_) | Page::Generated(_))).count(),
            files: pages.len() + copies.len(),
            changes,
            elapsed: started.elapsed(),
            config_found,
            output,
            warnings,
            timings: std::mem::take(&mut clock.laps),
            cache: cache::Stats { pages_kept: kept, ..cache.stats },
            held_back,
            next_scheduled,
        })
    });
    free_in_background((library, related, cache));
    built
}

/// Drops `value` on a thread of its own, so that nobody waits for it: freeing the model
/// of 100,000 articles took 0.4 s on one core after the site was built. The thread holds
/// only memory, so a process may exit before it finishes. If no thread can start, `value`
/// is dropped here.
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(value));
}

/// What a build, `check` or the preview publishes: the files copied as they are, and the
/// pages to render, less any a copied file takes; with the warnings of the check that
/// nothing else claims one path twice (which would be an error).
pub struct OutputPlan {
    pub copies: Vec<assets::Copy>,
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
}

/// Plans the output of `library` (see `OutputPlan`); `assets` are the files under content/.
pub fn plan_output(
    site: &std::path::Path,
    renderer: &Renderer,
    library: &Library,
    assets: &[PathBuf],
) -> Result<OutputPlan, Error> {
    let copies = assets::plan(site, library, assets);
    let pages = pages_to_render(renderer, &copies);
    let conflicts = renderer.conflicts(site, &copies, &pages);
    if !conflicts.errors.is_empty() {
        return Err(Error::Content(conflicts.errors));
    }
    // A file of static/ replacing a page (a warning): the page is not rendered at all.
    let pages = if conflicts.warnings.is_empty() { pages } else { not_copied(renderer, pages, &copies) };
    Ok(OutputPlan { copies, pages, warnings: conflicts.warnings })
}

/// Every page to render: the site's pages, less the theme files and robots.txt that the
/// site's `static/` provides (`copies`), which replace them without a word.
fn pages_to_render(renderer: &Renderer, copies: &[assets::Copy]) -> Vec<Page> {
    let copied = |path: &str| copies.iter().any(|c| c.to == path);
    renderer
        .pages()
        .into_iter()
        .filter(|p| match p {
            Page::ThemeAsset(i) => !copied(BUILTIN_ASSETS[*i].0),
            Page::Generated(Generated::Robots) => !copied("robots.txt"),
            _ => true,
        })
        .collect()
}

/// The error of the first page, in page order, whose template fails: the same page on every
/// run, whichever page a thread happened to fail on first. Only on a failed build.
pub(crate) fn first_template_error(renderer: &Renderer, pages: &[Page]) -> Option<Error> {
    pages.iter().find_map(|page| renderer.render(page).err()).map(Error::Template)
}

/// The pages whose output file no copy takes.
fn not_copied(renderer: &Renderer, pages: Vec<Page>, copies: &[assets::Copy]) -> Vec<Page> {
    let copied: std::collections::HashSet<&str> = copies.iter().map(|c| c.to.as_str()).collect();
    pages.into_iter().filter(|p| !copied.contains(renderer.output_path(p).as_str())).collect()
}

/// Saves the page records once the article cache was saved (`articles_saved`); a failure
/// of either is a warning, since the site itself was built.
fn save_records(
    articles_saved: Result<(), Error>,
    pages: PageRecords,
    site: &std::path::Path,
) -> Option<Diagnostic> {
    let saved = articles_saved.and_then(|()| pages.save(site));
    saved.err().map(|e| {
        Diagnostic::new(cache::CACHE_DIR, format!("the build cache was not saved: {e}")).hint(
            "the site was built; only the next build will be slower. Check that the site folder is writable",
        )
    })
}

/// The output folder as the last build left it: what rendering may skip.
struct Output<'a> {
    records: &'a PageRecords,
    staging: &'a Staging,
    /// Whether pages are fingerprinted for the next build (not when no cache is saved).
    fingerprint: bool,
}

impl Output<'_> {
    /// Renders (or keeps, when unchanged) and stages every page in parallel. Returns each
    /// template page staged with its fingerprint and whether it was kept, and how many pages
    /// were kept unrendered.
    fn render_all(
        &self,
        renderer: &Renderer,
        pages: &[Page],
        progress: &dyn Progress,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<(Vec<cache::StagedPage>, usize), Error> {
        let staged = longest_first(pages)
            .into_par_iter()
            .map(|page| {
                if cancelled() {
                    return Err(Error::Interrupted);
                }
                let current = self.fingerprint.then_some(self as &dyn render::CurrentOutput);
                let rendered = renderer.render_unless(page, current).map_err(Error::Template)?;
                let kept = rendered.bytes.is_none();
                let Staged { claimed, stamp } = match rendered.bytes {
                    Some(bytes) => self.staging.write(&OutputFile { path: rendered.path.clone(), bytes })?,
                    None => Staged { claimed: self.staging.keep(&rendered.path)?, stamp: None },
                };
                progress.file_written();
                let staged = rendered.fingerprint.filter(|_| claimed);
                Ok((
                    staged.map(|fingerprint| cache::StagedPage {
                        file: rendered.path,
                        fingerprint,
                        kept,
                        stamp,
                    }),
                    kept,
                ))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let kept = staged.iter().filter(|(_, kept)| *kept).count();
        Ok((staged.into_iter().filter_map(|(f, _)| f).collect(), kept))
    }
}

/// The pages in the order to render them: first those that each list the whole site (feeds,
/// sitemaps, the search index, the indexes of groups: up to a tenth of a second each at 10,000
/// articles), then the rest. In page order they came last, and one core finished them alone.
fn longest_first(pages: &[Page]) -> Vec<&Page> {
    let whole_site =
        |page: &&Page| matches!(page, Page::Generated(_) | Page::GroupIndex(_) | Page::Archive | Page::Front);
    pages.iter().filter(whole_site).chain(pages.iter().filter(|p| !whole_site(p))).collect()
}

impl render::CurrentOutput for Output<'_> {
    fn knows(&self, file: &str) -> bool {
        self.records.knows(file)
    }

    fn holds(&self, file: &str, fingerprint: &cache::PageFingerprint) -> bool {
        self.records.unchanged(file, fingerprint, || self.staging.current_stamp(file))
    }
}

/// Wall time of each stage, in order; tells `progress` as each one ends.
struct Stopwatch<'a> {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
    progress: &'a dyn Progress,
}

impl<'a> Stopwatch<'a> {
    fn new(progress: &'a dyn Progress) -> Self {
        Stopwatch { last: Instant::now(), laps: Vec::new(), progress }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
        self.progress.stage_done(stage);
    }
}

/// A warning for each category `config.toml` lists that has no published article: it gets
/// no page and no link in the navigation, which is easy to miss (a folder `zuerich/` is a
/// category of its own, not the listed `Zürich`). Names the categories with articles that
/// the list leaves out, where the articles may have meant to go.
fn empty_listed_categories(
    config_text: &str,
    listed: &[config::CategoryConfig],
    library: &Library,
) -> Vec<Diagnostic> {
    let with_articles = |name: &str| {
        let slug = slugs::slugify(name);
        library.categories.iter().any(|c| c.slug == slug && !c.articles.is_empty())
    };
    let empty: Vec<&config::CategoryConfig> = listed.iter().filter(|c| !with_articles(&c.name)).collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let listed_slugs: Vec<String> = listed.iter().map(|c| slugs::slugify(&c.name)).collect();
    let unlisted: Vec<&str> = library
        .categories
        .iter()
        .filter(|c| !c.articles.is_empty() && !listed_slugs.contains(&c.slug))
        .map(|c| c.name.as_str())
        .collect();
    empty
        .into_iter()
        .map(|c| {
            let message = format!(
                "category `{}` has no published articles, so it has no page and no link in the navigation",
                c.name
            );
            let hint = if unlisted.is_empty() {
                "give articles `category = \"...\"` with this name (drafts and scheduled articles do not count), or remove it from config.toml".to_string()
            } else {
                let shown: Vec<String> = unlisted.iter().take(5).map(|n| format!("`{n}`")).collect();
                format!(
                    "these categories have articles but are not listed: {}; to put their articles in `{}`, give them `category = \"{}\"` or move them to its folder",
                    shown.join(", "),
                    c.name,
                    c.name
                )
            };
            Diagnostic::new("config.toml", message).at_line(config::name_line(config_text, &c.name)).hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use library::ArticleId;
    use render::GroupKind;

    #[test]
    fn pages_that_list_the_whole_site_render_first_and_every_page_once() {
        let pages = [
            Page::Front,
            Page::Article(ArticleId(0)),
            Page::Group(GroupKind::Tag, 0, 1),
            Page::GroupIndex(GroupKind::Tag),
            Page::Archive,
            Page::Article(ArticleId(1)),
            Page::Generated(Generated::Rss),
        ];
        let expected = [&pages[0], &pages[3], &pages[4], &pages[6], &pages[1], &pages[2], &pages[5]];
        assert_eq!(longest_first(&pages), expected);
    }
}
