//! URL slugs and site paths: every name that becomes part of an output path goes through here.

/// Lower-case ASCII slug (`"Zürich Café"` -> `zurich-cafe`); empty when nothing is left.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// The longest slug, in bytes: a slug names a folder, and file systems take at most 255
/// bytes in a name (ext4, XFS, APFS, NTFS). A headline in a script that is transliterated
/// (Chinese, Japanese) grows about fivefold as a slug.
pub const MAX_SLUG_BYTES: usize = 255;

/// Why `slug` cannot name a folder, if it is too long.
pub fn too_long(slug: &str) -> Option<String> {
    (slug.len() > MAX_SLUG_BYTES)
        .then(|| format!("is {} bytes long; a folder name takes at most {MAX_SLUG_BYTES}", slug.len()))
}

/// `slug` cut to at most `max` bytes at a hyphen, so that no word is cut in half (or at
/// `max` when the first word is longer).
pub fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let cut = &slug[..max]; // a slug is ASCII
    match cut.rfind('-') {
        Some(end) if end > 0 => &cut[..end],
        _ => cut,
    }
}

/// Checks that a user-written slug is a single safe path segment.
pub fn check_segment(segment: &str) -> Result<(), &'static str> {
    if segment.trim().is_empty() {
        Err("is empty")
    } else if segment.contains(['/', '\\']) {
        Err("contains a path separator")
    } else if segment.split('.').all(str::is_empty) {
        Err("would leave its folder (`.` and `..` are not slugs)")
    } else if segment.chars().any(char::is_control) {
        Err("contains a control character")
    } else {
        Ok(())
    }
}

/// Checks a site path such as an alias (`/2026/04/old/`) and returns it relative to the site
/// root with a trailing slash (`2026/04/old/`), or a file path when it ends in `.html`.
pub fn check_site_path(path: &str) -> Result<String, &'static str> {
    if path.contains("://") || path.starts_with("//") {
        return Err("is a full URL, not a path inside the site");
    }
    if path.contains('\\') {
        return Err("contains a backslash");
    }
    if path.chars().any(char::is_control) {
        return Err("contains a control character");
    }
    if path.contains(['?', '#']) {
        return Err(
            "has a query or fragment (`?` or `#`), which a request for a page of a static site never reaches",
        );
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("is the site root");
    }
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err("would leave the output folder (`..` or `.` segments)");
    }
    if segments.iter().any(|s| s.len() > MAX_SLUG_BYTES) {
        return Err("has a part longer than the 255 bytes a folder name takes");
    }
    let joined = segments.join("/");
    Ok(if joined.ends_with(".html") { joined } else { format!("{joined}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("AWS boss: Anthropic & OpenAI!"), "aws-boss-anthropic-openai");
        assert_eq!(slugify("Zürich Café"), "zurich-cafe");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_hyphen() {
        assert_eq!(shorten("budget-vote", 100), "budget-vote");
        assert_eq!(shorten("budget-vote-passes", 14), "budget-vote");
        assert_eq!(shorten("budgetvotepasses", 6), "budget", "one long word is cut where it must be");
        assert!(too_long(&"x".repeat(MAX_SLUG_BYTES)).is_none());
        assert!(too_long(&"x".repeat(MAX_SLUG_BYTES + 1)).is_some());
    }

    #[test]
    fn segments_cannot_escape() {
        assert!(check_segment("ok-slug").is_ok());
        assert!(check_segment("../etc").is_err());
        assert!(check_segment("..").is_err());
        assert!(check_segment("a\\b").is_err());
        assert!(check_segment("/abs").is_err());
    }

    #[test]
    fn site_paths_are_normalised_and_contained() {
        assert_eq!(check_site_path("/2026/04/old").unwrap(), "2026/04/old/");
        assert_eq!(check_site_path("old.html").unwrap(), "old.html");
        assert!(check_site_path("/a/../../b").is_err());
        assert!(check_site_path("https://evil.example/").is_err());
        assert!(check_site_path("/").is_err());
        assert!(check_site_path("a\\..\\b").is_err());
    }
}
