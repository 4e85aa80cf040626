//! Stage 5 (render): every page of the site as `OutputFile`s, in memory; no disk access.

mod claims;
mod encode;
mod feeds;
mod fingerprint;
mod lists;
mod pages;
mod pagination;
mod paths;
mod shared;
mod theme;
mod views;

pub use claims::Conflicts;
pub use feeds::absolute_links;
pub use fingerprint::{CurrentOutput, Rendered};
pub use pages::{Generated, GroupKind, Page, RelatedLists, RenderInput, Renderer};
pub use pagination::{page_count, page_path};
pub use theme::{SiteConstants, Theme, BUILTIN_ASSETS, BUILTIN_TEMPLATES};
pub use views::script_safe_json;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated (`technology/aws/index.html`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}
