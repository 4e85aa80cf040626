//! Stage 5 (render): a page's template values and what they depend on. The values are
//! fingerprinted with the theme, so that a build can tell a page it rendered before from
//! one whose inputs changed, and skip rendering the first kind.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::Context;
use xxhash_rust::xxh3::Xxh3;

use super::encode::encode;
use crate::cache::{ContentHash, PageFingerprint};

/// Template values every page sees (`site`): built, fingerprinted and handed to Tera once
/// per render run, not once per page.
pub(super) struct SharedValues {
    context: Arc<Context>,
    /// The encoding of every value (see `encode`).
    encoded: Vec<u8>,
}

impl SharedValues {
    pub(super) fn new<T: Serialize>(name: &str, value: &T) -> SharedValues {
        let mut encoded = Vec::new();
        encode(&mut encoded, name);
        encode(&mut encoded, value);
        let mut context = Context::new();
        // Views are plain structs of strings, numbers and lists, which always serialise.
        context.insert(name, &serde_json::to_value(value).unwrap_or(Value::Null));
        SharedValues { context: Arc::new(context), encoded }
    }

    /// The shared values as Tera sees them.
    pub(super) fn context(&self) -> &Context {
        &self.context
    }

    /// Adds a value computed from the theme and the shared values alone (the site-wide
    /// partials), so it is not encoded: the fingerprint already holds both.
    pub(super) fn insert_derived(&mut self, name: &str, value: Value) {
        Arc::make_mut(&mut self.context).insert(name, &value);
    }
}

/// What a page's values are built for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Only to fingerprint them: the output may already hold the page.
    Fingerprint,
    /// Only to render them (the preview, or a page whose fingerprint was just taken).
    Render,
    /// Both: the output cannot hold the page (a first build, a new page).
    Both,
}

/// A page's template values: the data Tera will see, built once per page and fingerprinted,
/// rendered or both, plus the values all pages share. Fingerprinting encodes the view
/// structs themselves (`encode`), so a page that is not rendered never has its values built.
pub(super) struct PageValues<'s> {
    shared: &'s SharedValues,
    /// Names and values encoded in insertion order, when fingerprinting.
    encoded: Option<Vec<u8>>,
    /// The values as Tera sees them, when rendering.
    values: Option<Map<String, Value>>,
}

impl<'s> PageValues<'s> {
    pub(super) fn new(shared: &'s SharedValues, purpose: Purpose) -> Self {
        PageValues {
            shared,
            encoded: (purpose != Purpose::Render).then(|| Vec::with_capacity(16 * 1024)),
            values: (purpose != Purpose::Fingerprint).then(Map::new),
        }
    }

    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Some(encoded) = &mut self.encoded {
            encode(encoded, key);
            encode(encoded, value);
        }
        if let Some(values) = &mut self.values {
            // Views are plain structs of strings, numbers and lists, which always serialise;
            // `Context::insert` would panic here instead.
            values.insert(key.to_string(), serde_json::to_value(value).unwrap_or(Value::Null));
        }
    }

    /// Hash of the theme, the template and every value, shared or not: pages with equal
    /// fingerprints render to equal bytes. `None` unless built to be fingerprinted.
    pub(super) fn fingerprint(&self, theme: &ContentHash, template: &str) -> Option<PageFingerprint> {
        let encoded = self.encoded.as_ref()?;
        let mut hasher = Xxh3::new();
        hasher.update(theme);
        hasher.update(&(template.len() as u64).to_le_bytes());
        hasher.update(template.as_bytes());
        hasher.update(&self.shared.encoded);
        hasher.update(encoded);
        Some(hasher.digest128().to_le_bytes())
    }

    /// The values for Tera (none unless built to be rendered).
    pub(super) fn into_context(self) -> Context {
        // An object always makes a context.
        let values = Value::Object(self.values.unwrap_or_default());
        let mut context = Context::from_value(values).unwrap_or_default();
        context.set_shared(Arc::clone(&self.shared.context));
        context
    }
}

/// What the output folder already holds, as far as rendering needs to know.
pub trait CurrentOutput: Sync {
    /// Whether the last build recorded `file` at all.
    fn knows(&self, file: &str) -> bool;
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

    fn fingerprint_of(value: Value) -> PageFingerprint {
        let shared = SharedValues::new("site", &json!({}));
        let mut values = PageValues::new(&shared, Purpose::Fingerprint);
        values.insert("page", &value);
        values.fingerprint(&[0; 32], "article.html").unwrap()
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
            json!({"a": "", "b": ""}),
            json!({"a": {"b": ""}}),
            json!([["a"], "b"]),
            json!([["a", "b"]]),
            json!([[], []]),
            json!([[[]]]),
        ];
        let prints: std::collections::HashSet<_> =
            distinct.iter().map(|v| fingerprint_of(v.clone())).collect();
        assert_eq!(prints.len(), distinct.len());
        assert_eq!(fingerprint_of(json!({"a": [1, "x"]})), fingerprint_of(json!({"a": [1, "x"]})));
    }

    #[test]
    fn the_template_theme_and_shared_values_are_part_of_the_fingerprint() {
        let shared = SharedValues::new("site", &json!({"title": "Daily"}));
        let mut values = PageValues::new(&shared, Purpose::Both);
        values.insert("title", "Headline");
        let base = values.fingerprint(&[0; 32], "article.html").unwrap();
        assert_ne!(base, values.fingerprint(&[1; 32], "article.html").unwrap());
        assert_ne!(base, values.fingerprint(&[0; 32], "tag.html").unwrap());
        let other_site = SharedValues::new("site", &json!({"title": "Weekly"}));
        let mut same_page = PageValues::new(&other_site, Purpose::Fingerprint);
        same_page.insert("title", "Headline");
        assert_ne!(base, same_page.fingerprint(&[0; 32], "article.html").unwrap());
        let context = values.into_context();
        assert_eq!(context.get("title"), Some(&json!("Headline")));
        assert_eq!(context.get("site"), Some(&json!({"title": "Daily"})));
    }

    #[test]
    fn a_view_struct_and_its_json_value_fingerprint_alike_only_with_themselves() {
        #[derive(Serialize)]
        struct Card<'a> {
            title: &'a str,
            image: Option<&'a str>,
            tags: Vec<&'a str>,
        }
        let card = Card { title: "A", image: None, tags: vec!["x"] };
        let print = |value: &dyn Fn(&mut PageValues)| {
            let shared = SharedValues::new("site", &json!({}));
            let mut values = PageValues::new(&shared, Purpose::Fingerprint);
            value(&mut values);
            values.fingerprint(&[0; 32], "t.html").unwrap()
        };
        let once = print(&|v| v.insert("card", &card));
        assert_eq!(once, print(&|v| v.insert("card", &card)));
        let changed = Card { image: Some("a.jpg"), ..card };
        assert_ne!(once, print(&|v| v.insert("card", &changed)));
        // Only fingerprinting builds no values; only rendering takes no fingerprint.
        let shared = SharedValues::new("site", &json!({}));
        let mut render_only = PageValues::new(&shared, Purpose::Render);
        render_only.insert("card", &changed);
        assert!(render_only.fingerprint(&[0; 32], "t.html").is_none());
        assert_eq!(
            render_only.into_context().get("card"),
            Some(&json!({"title": "A", "image": "a.jpg", "tags": ["x"]}))
        );
    }
}
