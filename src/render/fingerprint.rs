//! Stage 5 (render): what a page depends on. A page's template values are fingerprinted
//! with the theme, so that a build can tell a page it rendered before from one whose inputs
//! changed, and skip rendering the first kind.

use serde::Serialize;
use tera::Context;

use crate::cache::ContentHash;

/// Where a page's template values go: a Tera context, a fingerprint, or both.
pub(super) trait ContextSink {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T);
}

impl ContextSink for Context {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        Context::insert(self, key, value);
    }
}

impl<A: ContextSink, B: ContextSink> ContextSink for (A, B) {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.0.insert(key, value);
        self.1.insert(key, value);
    }
}

/// Collects a page's template values as JSON (the data Tera would see) to hash them with
/// the theme and template: pages with equal fingerprints render to equal bytes.
#[derive(Default)]
pub(super) struct Fingerprinter {
    json: Vec<u8>,
}

impl ContextSink for Fingerprinter {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.json.extend_from_slice(key.as_bytes());
        self.json.push(0);
        // Writing into a Vec cannot fail, and a value that cannot be serialised fails the
        // same way in `Context::insert`.
        let _ = serde_json::to_writer(&mut self.json, value);
        self.json.push(0);
    }
}

impl Fingerprinter {
    pub(super) fn finish(&self, theme: &ContentHash, template: &str) -> ContentHash {
        let mut hasher = blake3::Hasher::new();
        hasher.update(theme);
        hasher.update(template.as_bytes());
        hasher.update(b"\0");
        hasher.update(&self.json);
        *hasher.finalize().as_bytes()
    }
}

/// What the output folder already holds, as far as rendering needs to know.
pub trait CurrentOutput: Sync {
    /// Whether `file` may hold a page rendered by an earlier build (worth fingerprinting
    /// before rendering).
    fn may_hold(&self, file: &str) -> bool;
    /// Whether `file` holds the page rendered from inputs with `fingerprint`.
    fn holds(&self, file: &str, fingerprint: &ContentHash) -> bool;
}

/// An output that holds nothing yet.
pub struct Nothing;

impl CurrentOutput for Nothing {
    fn may_hold(&self, _: &str) -> bool {
        false
    }

    fn holds(&self, _: &str, _: &ContentHash) -> bool {
        false
    }
}

/// One page's output.
pub struct Rendered {
    /// Path relative to the output folder.
    pub path: String,
    /// The file's bytes; `None` when the output already holds it (see `render_unless`).
    pub bytes: Option<Vec<u8>>,
    /// Fingerprint of the inputs of a template page (theme and context).
    pub fingerprint: Option<ContentHash>,
}
