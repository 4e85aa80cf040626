//! Preview server: watching content/, templates/, static/ and config.toml, rebuilding in
//! memory on change and telling open pages what happened.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{LiveEvent, Preview, Shared};
use crate::cache::Cache;
use crate::{BuildOptions, Error};

/// Quiet time after the last file event before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// Rebuilds the site in memory. On success the new site replaces the old one and pages are
/// told to reload (or only to swap styles when `css_only`); on failure the old site stays
/// and pages are shown the error.
pub fn rebuild(shared: &Shared, options: &BuildOptions, cache: &mut Cache, css_only: bool) {
    let started = Instant::now();
    let options = BuildOptions { now: chrono::Utc::now(), ..options.clone() };
    match Preview::build(&options, cache) {
        Ok(preview) => {
            let articles = preview.articles();
            let old = shared.preview.write().ok().and_then(|mut slot| slot.replace(Arc::new(preview)));
            if let Ok(mut error) = shared.error.write() {
                *error = None;
            }
            let generation = shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
            let _ = shared.events.send(if css_only {
                LiveEvent::Css(generation)
            } else {
                LiveEvent::Reload(generation)
            });
            let c = cache.stats;
            println!(
                "Built {articles} articles in {:.0} ms ({} parsed, {} rendered; the rest unchanged)",
                started.elapsed().as_secs_f64() * 1000.0,
                c.parsed,
                c.rendered
            );
            // Freeing the last site takes a while on big sites; pages are already told.
            std::thread::spawn(move || drop(old));
        }
        Err(e) => {
            let report = crate::error::report(&e);
            eprintln!("{report}");
            if let Ok(mut error) = shared.error.write() {
                *error = Some(report.clone());
            }
            let _ = shared.events.send(LiveEvent::Failed(report));
        }
    }
}

/// Starts watching the site; the returned watcher must be kept alive.
pub fn start(
    shared: Arc<Shared>,
    options: BuildOptions,
    mut cache: Cache,
) -> Result<RecommendedWatcher, Error> {
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(move |result| {
        let _ = tx.send(result);
    })
    .map_err(|e| Error::Output(format!("cannot watch files: {e}")))?;
    // Events name absolute paths, so compare against the absolute site folder.
    let site = std::fs::canonicalize(&options.source).unwrap_or_else(|_| options.source.clone());
    for name in ["content", "templates", "static"] {
        let dir = site.join(name);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| Error::Output(format!("cannot watch {}: {e}", dir.display())))?;
        }
    }
    // The site folder itself, not recursively: config.toml, and folders created later.
    watcher
        .watch(&site, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Output(format!("cannot watch {}: {e}", site.display())))?;
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // Collect everything that arrives until the files have been quiet for DEBOUNCE.
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut next = Some(first);
            while let Some(result) = next {
                match result {
                    // Reading files (the rebuild itself) must not trigger another rebuild.
                    Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                        changed.extend(event.paths.into_iter().filter(|p| relevant(&site, p)));
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("warning: file watching: {e}"),
                }
                next = rx.recv_timeout(DEBOUNCE).ok();
            }
            if changed.is_empty() {
                continue;
            }
            let css_only = changed.iter().all(|p| p.extension().is_some_and(|e| e == "css"));
            rebuild(&shared, &options, &mut cache, css_only);
        }
    });
    Ok(watcher)
}

/// Changes that can affect the site: under content/, templates/ or static/, or config.toml;
/// not editor backups, swap files or the output folder.
fn relevant(site: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site) else { return false };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    if name.starts_with(".#") || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return false;
    }
    let first =
        rel.components().next().map(|c| c.as_os_str().to_string_lossy().to_string()).unwrap_or_default();
    matches!(first.as_str(), "content" | "templates" | "static" | "config.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_trigger_rebuilds() {
        let site = Path::new("/s");
        assert!(relevant(site, Path::new("/s/content/a/b.md")));
        assert!(relevant(site, Path::new("/s/config.toml")));
        assert!(relevant(site, Path::new("/s/templates/article.html")));
        assert!(!relevant(site, Path::new("/s/public/index.html")));
        assert!(!relevant(site, Path::new("/s/content/a/.b.md.swp")));
        assert!(!relevant(site, Path::new("/s/content/a/b.md~")));
        assert!(!relevant(site, Path::new("/elsewhere/content/x.md")));
    }
}
