//! Stage 5 (render): a page's template values and what they depend on. The values are
//! fingerprinted with the theme, so that a build can tell a page it rendered before from
//! one whose inputs changed, and skip rendering the first kind.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;

use crate::cache::{ContentHash, PageFingerprint};

/// Template values every page sees (`site`): built, fingerprinted and handed to Tera once
/// per render run, not once per page.
pub(super) struct SharedValues {
    context: Arc<Context>,
    /// `encode_value` of every value, in name order.
    encoded: Vec<u8>,
}

impl SharedValues {
    pub(super) fn new(values: Map<String, Value>) -> SharedValues {
        let mut encoded = Vec::new();
        for (key, value) in &values {
            encode_str(&mut encoded, key);
            encode_value(&mut encoded, value);
        }
        // An object always makes a context.
        let context = Context::from_value(Value::Object(values)).unwrap_or_default();
        SharedValues { context: Arc::new(context), encoded }
    }
}

/// A page's template values: the data Tera will see, built once per page and both
/// fingerprinted and rendered, plus the values all pages share.
pub(super) struct PageValues<'s> {
    values: Map<String, Value>,
    shared: &'s SharedValues,
}

impl<'s> PageValues<'s> {
    pub(super) fn new(shared: &'s SharedValues) -> Self {
        PageValues { values: Map::new(), shared }
    }

    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        // Views are plain structs of strings, numbers and lists, which always serialise;
        // `Context::insert` would panic here instead.
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.values.insert(key.to_string(), value);
    }

    /// Hash of the theme, the template and every value, shared or not: pages with equal
    /// fingerprints render to equal bytes.
    pub(super) fn fingerprint(&self, theme: &ContentHash, template: &str) -> PageFingerprint {
        let mut bytes = Vec::with_capacity(16 * 1024);
        bytes.extend_from_slice(theme);
        encode_str(&mut bytes, template);
        bytes.extend_from_slice(&self.shared.encoded);
        for (key, value) in &self.values {
            encode_str(&mut bytes, key);
            encode_value(&mut bytes, value);
        }
        xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes()
    }

    pub(super) fn into_context(self) -> Context {
        // An object always makes a context.
        let mut context = Context::from_value(Value::Object(self.values)).unwrap_or_default();
        context.set_shared(Arc::clone(&self.shared.context));
        context
    }
}

/// Writes `value` into `out` unambiguously: a type tag, then lengths before contents.
/// Cheaper than JSON, which escapes every string.
fn encode_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.push(1 + u8::from(*b)),
        Value::Number(n) => {
            out.push(3);
            encode_str(out, &n.to_string());
        }
        Value::String(s) => {
            out.push(4);
            encode_str(out, s);
        }
        Value::Array(items) => {
            out.push(5);
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                encode_value(out, item);
            }
        }
        Value::Object(map) => {
            out.push(6);
            out.extend_from_slice(&(map.len() as u64).to_le_bytes());
            for (key, item) in map {
                encode_str(out, key);
                encode_value(out, item);
            }
        }
    }
}

fn encode_str(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// What the output folder already holds, as far as rendering needs to know.
pub trait CurrentOutput: Sync {
    /// Whether `file` holds the page rendered from inputs with `fingerprint`.
    fn holds(&self, file: &str, fingerprint: &PageFingerprint) -> bool;
}

/// One page's output.
pub struct Rendered {
    /// Path relative to the output folder.
    pub path: String,
    /// The file's bytes; `None` when the output already holds it (see `render_unless`).
    pub bytes: Option<Vec<u8>>,
    /// Fingerprint of the inputs of a template page (theme and context).
    pub fingerprint: Option<PageFingerprint>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_shared_values() -> SharedValues {
        SharedValues::new(Map::new())
    }

    fn fingerprint_of(value: Value) -> PageFingerprint {
        let shared = no_shared_values();
        let mut values = PageValues::new(&shared);
        values.insert("page", &value);
        values.fingerprint(&[0; 32], "article.html")
    }

    #[test]
    fn values_that_render_differently_have_different_fingerprints() {
        let distinct = [
            json!(["ab"]),
            json!(["a", "b"]),
            json!("1"),
            json!(1),
            json!(1.5),
            json!(null),
            json!(false),
            json!(true),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!([["a"], "b"]),
            json!([["a", "b"]]),
        ];
        let prints: std::collections::HashSet<_> =
            distinct.iter().map(|v| fingerprint_of(v.clone())).collect();
        assert_eq!(prints.len(), distinct.len());
        assert_eq!(fingerprint_of(json!({"a": [1, "x"]})), fingerprint_of(json!({"a": [1, "x"]})));
    }

    #[test]
    fn the_template_and_theme_are_part_of_the_fingerprint() {
        let shared = no_shared_values();
        let mut values = PageValues::new(&shared);
        values.insert("title", "Headline");
        let base = values.fingerprint(&[0; 32], "article.html");
        assert_ne!(base, values.fingerprint(&[1; 32], "article.html"));
        assert_ne!(base, values.fingerprint(&[0; 32], "tag.html"));
        let context = values.into_context();
        assert_eq!(context.get("title"), Some(&json!("Headline")));
    }
}
