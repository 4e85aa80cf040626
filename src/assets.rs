//! Stage 6 (output), planning: which files are copied into the site as they are, and where:
//! `static/` at the root, and each asset under `content/` next to the articles of its folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::library::Library;

/// One file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Source file, inside the site folder.
    pub from: PathBuf,
    /// Path in the output, `/`-separated.
    pub to: String,
}

/// Every copy the build makes, `static/` first. `assets` are relative to the site folder.
pub fn plan(site: &Path, library: &Library, assets: &[PathBuf]) -> Vec<Copy> {
    let mut copies = Vec::new();
    let dir = site.join("static");
    for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && !crate::content::is_editor_scratch(entry.path()) {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            copies.push(Copy { from: entry.path().to_path_buf(), to: slash(rel) });
        }
    }
    let mut pages_by_folder: HashMap<&Path, Vec<&str>> = HashMap::new();
    for e in &library.entries {
        pages_by_folder.entry(e.article.path.parent().unwrap_or(Path::new(""))).or_default().push(&e.path);
    }
    for asset in assets {
        let folder = asset.parent().unwrap_or(Path::new(""));
        let name = asset.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        match pages_by_folder.get(folder) {
            Some(pages) => {
                copies.extend(pages.iter().map(|p| Copy { from: site.join(asset), to: format!("{p}{name}") }))
            }
            None => copies.push(Copy {
                from: site.join(asset),
                to: slash(asset.strip_prefix("content").unwrap_or(asset)),
            }),
        }
    }
    copies
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
