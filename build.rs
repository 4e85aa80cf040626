//! Build script: the build id, a hash of everything that decides what Broadsheet makes of a
//! site (its code, the vendored Tera, the locked dependency versions, the built-in theme).
//! The build cache is stamped with it, so a cache written by any other build of the program
//! is never trusted: a change to how front matter is parsed or Markdown rendered must not
//! meet results the old code cached under the same version number.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &["Cargo.toml", "Cargo.lock", "build.rs", "src", "templates", "vendor"];

fn main() {
    let mut files = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        collect(Path::new(input), &mut files);
    }
    files.sort();
    // Any hash that is the same for the same bytes within one compiler serves: a cache from
    // a binary built by another compiler is rightly not trusted either.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        hasher.write(file.to_string_lossy().as_bytes());
        hasher.write_usize(bytes.len());
        hasher.write(&bytes);
    }
    println!("cargo:rustc-env=BROADSHEET_BUILD_ID={:016x}", hasher.finish());
}

/// Every file at or under `path` (nothing if it does not exist).
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
