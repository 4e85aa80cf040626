//! Stage 6 (output): writing the built site into a temporary sibling folder and swapping it
//! in only when the whole build succeeded. The only module that writes to disk.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::render::OutputFile;

/// File that marks a folder as Broadsheet output, so it may be replaced.
pub const MARKER: &str = ".broadsheet-output";

/// A build in progress: a temporary folder beside the output folder.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `target` may be replaced and creates the temporary folder beside it.
    pub fn create(site: &Path, target: &Path) -> Result<Staging, Error> {
        check_target(site, target)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        let name =
            target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let temp = parent.join(format!(".{name}.broadsheet-tmp-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(|e| Error::io("remove stale temporary folder", &temp, e))?;
        }
        fs::create_dir(&temp).map_err(|e| Error::io("create temporary folder", &temp, e))?;
        let staging = Staging { target: target.to_path_buf(), temp, committed: false };
        staging.write(&OutputFile {
            path: MARKER.into(),
            bytes: b"This folder is written by Broadsheet; a build replaces it.\n".to_vec(),
        })?;
        Ok(staging)
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, file: &OutputFile) -> Result<(), Error> {
        let path = self.inside(&file.path)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        }
        fs::write(&path, &file.bytes).map_err(|e| Error::io("write", &path, e))
    }

    /// Copies a file from the site into the staging folder at `to`.
    pub fn copy(&self, from: &Path, to: &str) -> Result<(), Error> {
        let path = self.inside(to)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        }
        fs::copy(from, &path).map(|_| ()).map_err(|e| Error::io("copy", from, e))
    }

    /// Whether a file was already written (e.g. to let `static/` override theme files).
    pub fn exists(&self, rel: &str) -> bool {
        self.inside(rel).is_ok_and(|p| p.exists())
    }

    /// Joins a relative output path, refusing anything that would leave the folder.
    fn inside(&self, rel: &str) -> Result<PathBuf, Error> {
        let rel_path = Path::new(rel);
        if rel.contains('\\') || !rel_path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::Output(format!(
                "refusing to write `{rel}`: it would leave the output folder"
            )));
        }
        Ok(self.temp.join(rel_path))
    }

    /// Swaps the staging folder in place of the output folder.
    pub fn commit(mut self) -> Result<(), Error> {
        let old = self.temp.with_extension("old");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)
                .map_err(|e| Error::io("move aside the old output", &self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io("move the new site into", &self.target, e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| Error::io("remove the old output", &old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Refuses output folders that are not ours or that would swallow the site.
fn check_target(site: &Path, target: &Path) -> Result<(), Error> {
    let abs =
        |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()));
    let (site_abs, target_abs) = (abs(site), abs(target));
    if site_abs.starts_with(&target_abs) {
        return Err(Error::Output(format!(
            "refusing to use {} as output: it contains the site itself",
            target.display()
        )));
    }
    for own in ["content", "templates", "static"] {
        if target_abs.starts_with(site_abs.join(own)) {
            return Err(Error::Output(format!(
                "refusing to use {} as output: it is inside the site's {own}/ folder",
                target.display()
            )));
        }
    }
    if target.is_file() {
        return Err(Error::Output(format!("the output path {} is a file", target.display())));
    }
    if target.is_dir() {
        let empty = fs::read_dir(target).map_err(|e| Error::io("read", target, e))?.next().is_none();
        if !empty && !target.join(MARKER).exists() {
            return Err(Error::Output(format!(
                "refusing to replace {}: it is not empty and was not made by Broadsheet (no {MARKER} file)\n   = help: choose another folder with --output, or empty this one yourself",
                target.display()
            )));
        }
    }
    Ok(())
}
