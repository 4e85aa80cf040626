//! URL slugs and site paths: every name that becomes part of an output path goes through here.

/// Lower-case ASCII slug (`"Zürich Café"` -> `zurich-cafe`); empty when nothing is left.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// Checks that a user-written slug is a single safe path segment.
pub fn check_segment(segment: &str) -> Result<(), &'static str> {
    if segment.contains(['/', '\\']) {
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
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("is the site root");
    }
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err("would leave the output folder (`..` or `.` segments)");
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
