//! Stage 6 (output): writing the built site. New and changed files go to a temporary folder
//! beside the output folder; only when the whole build has succeeded are they moved in and
//! files the site no longer has removed. Unchanged files are never rewritten, so their
//! mtimes stay and rsync or S3 sync upload only what changed. The only module that writes.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::cache::FileStamp;
use crate::error::Error;
use crate::render::OutputFile;

/// File that marks a folder as Broadsheet output, so it may be updated.
pub const MARKER: &str = ".broadsheet-output";
/// First line of the marker; the files of the last build follow, one per line, so the next
/// build knows which files are its own to remove.
const MARKER_HEADER: &str = "This folder is written by Broadsheet; a build replaces the files listed below.";

/// What a commit changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were (same bytes).
    pub unchanged: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
}

/// What staging one file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staged {
    /// False if the path was already taken (a `static/` file wins over a page).
    pub claimed: bool,
    /// The stamp the file will have in the output folder, when it is known without looking
    /// again: a new site's files move in with their folder and keep the stamp they were
    /// written with, while an update moves each file in, which changes its ctime.
    pub stamp: Option<FileStamp>,
}

/// A build in progress.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    /// Whether `target` already holds a site to update (else the temp folder becomes it).
    update: bool,
    produced: Mutex<FxHashSet<String>>,
    changed: Mutex<Vec<String>>,
    committed: bool,
    /// Held for the whole build: a second build into the same folder is refused.
    lock: (fs::File, PathBuf),
}

impl Staging {
    /// Checks that `target` may be written and creates the temporary folder beside it.
    pub fn create(site: &Path, target: &Path) -> Result<Staging, Error> {
        check_target(site, target)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        let name =
            target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let lock = lock_output(parent, &name, target)?;
        let temp = parent.join(format!(".{name}.broadsheet-tmp-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(|e| Error::io("remove stale temporary folder", &temp, e))?;
        }
        fs::create_dir(&temp).map_err(|e| Error::io("create temporary folder", &temp, e))?;
        let update = target.join(MARKER).is_file();
        let staging = Staging {
            target: target.to_path_buf(),
            temp,
            update,
            produced: Mutex::new(FxHashSet::default()),
            changed: Mutex::new(Vec::new()),
            committed: false,
            lock,
        };
        staging.claim(MARKER);
        Ok(staging)
    }

    /// Stages one file, unless the output folder already has it with the same bytes.
    pub fn write(&self, file: &OutputFile) -> Result<Staged, Error> {
        let rel = checked(&file.path)?;
        if !self.claim(&file.path) {
            return Ok(Staged { claimed: false, stamp: None });
        }
        let mut stamp = None;
        if !self.same_as_current(rel, &file.bytes) {
            let path = self.temp.join(rel);
            create_parent(&path)?;
            stamp = write_file(&path, &file.bytes, !self.update).map_err(|e| Error::io("write", &path, e))?;
            self.record_change(&file.path);
        }
        Ok(Staged { claimed: true, stamp })
    }

    /// Keeps the output folder's file at `rel` as it is (it is known to be current).
    /// Returns false if the path was already taken.
    pub fn keep(&self, rel: &str) -> Result<bool, Error> {
        checked(rel)?;
        Ok(self.claim(rel))
    }

    /// The stamp of the output folder's file at `rel` as the last build left it, if the
    /// folder is being updated and has that file.
    pub fn current_stamp(&self, rel: &str) -> Option<FileStamp> {
        let path = self.target.join(checked(rel).ok()?);
        self.update
            .then(|| fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| FileStamp::of(&m)))
            .flatten()
    }

    /// Stages a copy of a site file at `to`, unless the output folder has the same bytes.
    pub fn copy(&self, from: &Path, to: &str) -> Result<(), Error> {
        let rel = checked(to)?;
        if !self.claim(to) {
            return Ok(());
        }
        let current = self.target.join(rel);
        let unchanged = self.update
            && fs::metadata(&current)
                .ok()
                .zip(fs::metadata(from).ok())
                .is_some_and(|(a, b)| a.len() == b.len())
            && fs::read(&current).ok() == fs::read(from).ok();
        if !unchanged {
            let path = self.temp.join(rel);
            create_parent(&path)?;
            fs::copy(from, &path).map_err(|e| Error::io("copy", from, e))?;
            self.record_change(to);
        }
        Ok(())
    }

    /// Whether a file was already staged (e.g. to let `static/` override theme files).
    pub fn exists(&self, rel: &str) -> bool {
        self.produced.lock().is_ok_and(|p| p.contains(rel))
    }

    /// Notes that the site has `rel`; false if something already claimed it (first wins).
    fn claim(&self, rel: &str) -> bool {
        self.produced.lock().is_ok_and(|mut p| p.insert(rel.to_string()))
    }

    fn record_change(&self, rel: &str) {
        if let Ok(mut changed) = self.changed.lock() {
            changed.push(rel.to_string());
        }
    }

    fn same_as_current(&self, rel: &Path, bytes: &[u8]) -> bool {
        if !self.update {
            return false;
        }
        let current = self.target.join(rel);
        fs::metadata(&current).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && fs::read(&current).is_ok_and(|old| old == bytes)
    }

    /// Moves the staged files into the output folder and removes files the site no longer
    /// has. Called only after every page was rendered.
    pub fn commit(mut self) -> Result<Changes, Error> {
        let produced = std::mem::take(&mut *self.produced.lock().map_err(|_| poisoned())?);
        let mut changed = std::mem::take(&mut *self.changed.lock().map_err(|_| poisoned())?);
        let mut changes =
            Changes { written: changed.len(), unchanged: produced.len() - 1 - changed.len(), removed: 0 };
        let mut listed: Vec<&String> = produced.iter().filter(|p| *p != MARKER).collect();
        listed.par_sort_unstable();
        let mut manifest = String::with_capacity(listed.iter().map(|s| s.len() + 1).sum::<usize>() + 64);
        for line in std::iter::once(MARKER_HEADER).chain(listed.iter().map(|s| s.as_str())) {
            manifest.push_str(line);
            manifest.push('\n');
        }
        let marker_changed = !self.same_as_current(Path::new(MARKER), manifest.as_bytes());
        // An unchanged marker lists exactly the files produced now: none can be stale.
        let previous = if self.update && marker_changed { previous_files(&self.target) } else { Vec::new() };
        let marker = self.temp.join(MARKER);
        fs::write(&marker, manifest).map_err(|e| Error::io("write", &marker, e))?;
        if !self.update {
            if self.target.exists() {
                // An empty folder the user made: replace it with the staged site.
                fs::remove_dir(&self.target)
                    .map_err(|e| Error::io("replace the empty folder", &self.target, e))?;
            }
            fs::rename(&self.temp, &self.target)
                .map_err(|e| Error::io("move the new site into", &self.target, e))?;
            self.committed = true;
            return Ok(changes);
        }
        changed.par_sort_unstable(); // the same order on every run, whatever the threads did
        let marker = marker_changed.then_some(MARKER);
        let stale: Vec<&str> =
            previous.iter().map(String::as_str).filter(|p| !produced.contains(*p)).collect();
        let mut journal = Journal::new(&self.target, &self.temp);
        let applied = journal.apply(changed.iter().map(String::as_str).chain(marker), &stale);
        if let Err(e) = applied {
            return Err(journal.undo(e));
        }
        changes.removed = journal.removed;
        remove_empty_folders(&self.target, &stale);
        self.committed = true;
        let _ = fs::remove_dir_all(&self.temp);
        let _ = fs::remove_dir_all(&journal.backup);
        Ok(changes)
    }
}

/// The moves of an update commit, recorded so that a failure part-way can put every file
/// back: a replaced or stale file is moved aside into a backup folder (beside the
/// temporary one) rather than overwritten or deleted, until the whole update is in place.
/// The backup is flat (files named by step number), so setting a file aside creates no
/// folders.
struct Journal<'a> {
    target: &'a Path,
    temp: &'a Path,
    backup: PathBuf,
    steps: Vec<Step<'a>>,
    /// Folders the update created for new files, parents before children.
    created: Vec<PathBuf>,
    /// Stale files moved out of the site.
    removed: usize,
}

/// One step; an old file set aside is `backup/<the step's index>`.
enum Step<'a> {
    /// A new file was moved to `rel` (if `moved_in`), the old one (if `had_old`) set aside.
    Replaced { rel: &'a str, had_old: bool, moved_in: bool },
    /// A stale file was set aside.
    Removed { rel: &'a str },
}

impl<'a> Journal<'a> {
    fn new(target: &'a Path, temp: &'a Path) -> Journal<'a> {
        let mut name = temp.file_name().unwrap_or_default().to_os_string();
        name.push("-replaced");
        Journal {
            target,
            temp,
            backup: temp.with_file_name(name),
            steps: Vec::new(),
            created: Vec::new(),
            removed: 0,
        }
    }

    /// Moves the changed files in and the stale files out.
    fn apply(&mut self, changed: impl Iterator<Item = &'a str>, stale: &[&'a str]) -> Result<(), Error> {
        // A folder of this name can only be left by a build of ours that died mid-commit (a
        // container reuses process ids); it holds old versions of generated files.
        if self.backup.exists() {
            fs::remove_dir_all(&self.backup)
                .map_err(|e| Error::io("remove stale folder", &self.backup, e))?;
        }
        fs::create_dir(&self.backup).map_err(|e| Error::io("create folder", &self.backup, e))?;
        for rel in changed {
            let (from, to) = (self.temp.join(rel), self.target.join(rel));
            let had_old = to.symlink_metadata().is_ok();
            if had_old {
                self.set_aside(rel)?;
            } else {
                self.create_parent(&to)?;
            }
            self.steps.push(Step::Replaced { rel, had_old, moved_in: false });
            fs::rename(&from, &to).map_err(|e| Error::io("move into place", &to, e))?;
            if let Some(Step::Replaced { moved_in, .. }) = self.steps.last_mut() {
                *moved_in = true;
            }
        }
        for &rel in stale {
            if self.target.join(rel).symlink_metadata().is_ok() {
                self.set_aside(rel)?;
                self.steps.push(Step::Removed { rel });
                self.removed += 1;
            }
        }
        Ok(())
    }

    /// Moves the old file at `rel` to the backup, under the number of the step about to be
    /// recorded.
    fn set_aside(&self, rel: &str) -> Result<(), Error> {
        let from = self.target.join(rel);
        fs::rename(&from, self.aside(self.steps.len()))
            .map_err(|e| Error::io("move the old file aside", &from, e))
    }

    /// Creates the missing folders above `file`, noting each, so an undo can remove them.
    fn create_parent(&mut self, file: &Path) -> Result<(), Error> {
        let missing: Vec<&Path> = file.ancestors().skip(1).take_while(|dir| !dir.exists()).collect();
        for dir in missing.into_iter().rev() {
            fs::create_dir(dir).map_err(|e| Error::io("create folder", dir, e))?;
            self.created.push(dir.to_path_buf());
        }
        Ok(())
    }

    fn aside(&self, step: usize) -> PathBuf {
        self.backup.join(step.to_string())
    }

    /// Puts the site back as it was, newest step first, and returns `failure`, with a note
    /// of what could not be restored (kept in the backup folder) if anything.
    fn undo(self, failure: Error) -> Error {
        let mut lost = Vec::new();
        for (number, step) in self.steps.iter().enumerate().rev() {
            let (rel, had_old, moved_in) = match *step {
                Step::Replaced { rel, had_old, moved_in } => (rel, had_old, moved_in),
                Step::Removed { rel } => (rel, true, false),
            };
            let to = self.target.join(rel);
            if moved_in {
                let _ = fs::remove_file(&to);
            }
            if had_old && fs::rename(self.aside(number), &to).is_err() {
                lost.push(rel);
            }
        }
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir); // empty again once the files moved in are gone
        }
        if lost.is_empty() {
            let _ = fs::remove_dir_all(&self.backup);
            return Error::refused(
                failure.to_string(),
                "the previous site was put back as it was; fix the cause above (often a folder in it that is not writable), then build again",
            );
        }
        Error::Output(format!(
            "{failure}\n   = note: {} file(s) of the previous site could not be put back; they are in {}",
            lost.len(),
            self.backup.display()
        ))
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        if !self.committed || self.temp.exists() {
            let _ = fs::remove_dir_all(&self.temp);
        }
        let _ = fs::remove_file(&self.lock.1);
        let _ = self.lock.0.unlock();
    }
}

/// Takes the lock file beside the output folder, or refuses if another build holds it.
fn lock_output(parent: &Path, name: &str, target: &Path) -> Result<(fs::File, PathBuf), Error> {
    let path = parent.join(format!(".{name}.broadsheet-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => Error::refused(
                format!("cannot write in {}, beside the output folder: {e}", parent.display()),
                format!(
                    "a build writes the new site into a temporary folder beside {}, then moves it in; make {} writable or choose another output with --output",
                    target.display(),
                    parent.display()
                ),
            ),
            _ => Error::io("create the lock file", &path, e),
        })?;
    match file.try_lock() {
        Ok(()) => Ok((file, path)),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Output(format!(
            "another build is writing to {} right now\n   = help: wait for it to finish, then build again",
            target.display()
        ))),
        Err(fs::TryLockError::Error(e)) => Err(Error::io("lock", &path, e)),
    }
}

fn poisoned() -> Error {
    Error::Output("a writer thread panicked".into())
}

/// A relative output path that stays inside the output folder.
fn checked(rel: &str) -> Result<&Path, Error> {
    let path = Path::new(rel);
    if rel.is_empty() || rel.contains('\\') || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::Output(format!("refusing to write `{rel}`: it would leave the output folder")));
    }
    Ok(path)
}

/// Writes `bytes` to a new file at `path`; with `stamp`, returns the file's stamp, taken
/// from the open file (no second lookup of the path).
fn write_file(path: &Path, bytes: &[u8], stamp: bool) -> std::io::Result<Option<FileStamp>> {
    use std::io::Write;
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    Ok(if stamp { Some(FileStamp::of(&file.metadata()?)) } else { None })
}

fn create_parent(path: &Path) -> Result<(), Error> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e)),
        None => Ok(()),
    }
}

/// The files the last build listed in its marker.
fn previous_files(target: &Path) -> Vec<String> {
    fs::read_to_string(target.join(MARKER))
        .map(|text| text.lines().skip(1).filter(|l| checked(l).is_ok()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Removes the folders that setting the stale files aside left empty (only those: files
/// someone else put in the output folder, and their folders, stay).
fn remove_empty_folders(target: &Path, stale: &[&str]) {
    for rel in stale {
        let path = target.join(rel);
        let mut folder = path.parent();
        while let Some(dir) = folder.filter(|d| *d != target) {
            if fs::remove_dir(dir).is_err() {
                break; // not empty
            }
            folder = dir.parent();
        }
    }
}

/// The path with symbolic links resolved, or (for a path that does not exist yet) made
/// absolute, so that two spellings of one folder compare equal.
pub fn absolute(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.to_path_buf()))
}

/// Refuses output folders that are not ours or that would swallow the site.
fn check_target(site: &Path, target: &Path) -> Result<(), Error> {
    let (site_abs, target_abs) = (absolute(site), absolute(target));
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
