//! Preview server: watching content/, templates/, static/ and config.toml, rebuilding in
//! memory on change and telling open pages what happened.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{LiveEvent, Preview, Shared};
use crate::cache::Cache;
use crate::{BuildOptions, Error};

/// Quiet time after the last file event before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// What changed since the site being served was built.
pub enum Changes<'a> {
    /// Unknown (the first build, a missed event, or a failed last build): build everything.
    Unknown,
    /// These paths, relative to the site folder, and nothing else.
    Paths(&'a [PathBuf]),
}

/// Rebuilds the site in memory: patched from the site being served when the changes allow
/// (`Preview::patch`), else built whole. On success the new site replaces the old one and
/// pages are told to reload (or only to swap styles when only style sheets changed); on
/// failure the old site stays and pages are shown the error. Returns whether it succeeded.
pub fn rebuild(shared: &Shared, options: &BuildOptions, cache: &mut Cache, changes: Changes) -> bool {
    let started = Instant::now();
    let options = BuildOptions { now: chrono::Utc::now(), ..options.clone() };
    let (css_only, patched) = match changes {
        Changes::Unknown => (false, None),
        Changes::Paths(paths) => {
            let css_only = paths.iter().all(|p| p.extension().is_some_and(|e| e == "css"));
            let current = shared.preview.read().ok().and_then(|slot| slot.clone());
            (css_only, current.and_then(|site| site.patch(paths, &options, cache)))
        }
    };
    let how = if patched.is_some() { "patched" } else { "built" };
    match patched.unwrap_or_else(|| Preview::build(&options, cache)) {
        Ok(preview) => {
            let articles = crate::ui::counted(preview.articles(), "article");
            let warnings = preview.warnings().to_vec();
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
            if !shared.quiet {
                // What `build` would warn of (a broken link between articles), on every rebuild.
                for warning in &warnings {
                    eprintln!("warning: {}\n", warning.clone().from_here(&options.source));
                }
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                println!(
                    "Built {articles} in {ms:.0} ms ({} parsed, {} rendered; the rest unchanged; {how})",
                    c.parsed, c.rendered
                );
            }
            // Freeing the last site takes a while on big sites; pages are already told.
            std::thread::spawn(move || drop(old));
            true
        }
        Err(e) => {
            let report = crate::error::report(&e);
            // In the terminal, files as paths from where `serve` runs, as `build` shows them.
            eprintln!("{}", crate::error::report_from(&e, &options.source));
            if let Ok(mut error) = shared.error.write() {
                *error = Some(report.clone());
            }
            let _ = shared.events.send(LiveEvent::Failed(report));
            false
        }
    }
}

/// The site's folders that are watched whole (when they exist, or once they are made).
const SOURCE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// Starts watching the site, then builds it; the returned watcher must be kept alive.
pub fn start(
    shared: Arc<Shared>,
    options: BuildOptions,
    mut cache: Cache,
) -> Result<Arc<Mutex<RecommendedWatcher>>, Error> {
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(move |result| {
        let _ = tx.send(result);
    })
    .map_err(|e| Error::Output(format!("cannot watch files: {e}")))?;
    // Events name absolute paths, so compare against the absolute site folder.
    let site = std::fs::canonicalize(&options.source).unwrap_or_else(|_| options.source.clone());
    for name in SOURCE_FOLDERS {
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
    let watcher = Arc::new(Mutex::new(watcher));
    let watching = Arc::clone(&watcher);
    // The first build starts once everything is watched, so no edit falls between the two.
    let first_ok = rebuild(&shared, &options, &mut cache, Changes::Unknown);
    std::thread::spawn(move || {
        // A patch needs every change since the served site was built: after a failed build
        // (or a missed event) only a full build is sure to be right.
        let mut last_ok = first_ok;
        loop {
            // Wait for a file event, or until the next scheduled article is due: then the
            // site changes with no edit, and is built again. (After a failed build, only an
            // edit can help: the served site's due time has passed, and no timer is set.)
            let served =
                shared.preview.read().ok().and_then(|slot| slot.as_ref().and_then(|p| p.next_scheduled()));
            let due = served.filter(|_| last_ok);
            let first = match due {
                Some(due) => {
                    let wait =
                        (due - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(50);
                    match rx.recv_timeout(wait) {
                        Ok(event) => event,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            last_ok = rebuild(&shared, &options, &mut cache, Changes::Unknown);
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
                None => match rx.recv() {
                    Ok(event) => event,
                    Err(_) => break,
                },
            };
            // Collect everything that arrives until the files have been quiet for DEBOUNCE.
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut missed = false;
            let mut next = Some(first);
            while let Some(result) = next {
                match result {
                    // Reading files (the rebuild itself) must not trigger another rebuild.
                    Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                        missed |= event.need_rescan();
                        changed.extend(
                            event
                                .paths
                                .iter()
                                .filter_map(|p| Some(p.strip_prefix(&site).ok()?.to_path_buf())),
                        );
                    }
                    Ok(_) => {}
                    Err(e) => {
                        missed = true;
                        eprintln!("warning: file watching: {e}");
                    }
                }
                next = rx.recv_timeout(DEBOUNCE).ok();
            }
            changed.retain(|p| relevant(p));
            if changed.is_empty() && !missed {
                continue;
            }
            // A source folder made (or made again) since: watch what goes into it. The
            // rebuild below reads whatever it already holds.
            for name in SOURCE_FOLDERS.iter().filter(|name| changed.iter().any(|p| p == Path::new(name))) {
                let dir = site.join(name);
                if dir.is_dir() {
                    if let Ok(mut watcher) = watching.lock() {
                        if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
                            eprintln!("warning: cannot watch {}: {e}", dir.display());
                        }
                    }
                }
            }
            let changes = if last_ok && !missed { Changes::Paths(&changed) } else { Changes::Unknown };
            last_ok = rebuild(&shared, &options, &mut cache, changes);
        }
    });
    Ok(watcher)
}

/// Changes (paths relative to the site folder) that can affect the site: under content/,
/// templates/ or static/, or config.toml; not editor backups, swap files or the output folder.
fn relevant(rel: &Path) -> bool {
    if crate::content::is_editor_scratch(rel) {
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
        assert!(relevant(Path::new("content/a/b.md")));
        assert!(relevant(Path::new("config.toml")));
        assert!(relevant(Path::new("templates/article.html")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("content/a/.b.md.swp")));
        assert!(!relevant(Path::new("content/a/b.md~")));
        assert!(!relevant(Path::new("content/a/#b.md#")));
        assert!(!relevant(Path::new("static/.#style.css")));
    }
}
