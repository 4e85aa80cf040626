//! Starter files for people: `init` (a new site), `new` (an article) and `theme eject`
//! (the built-in theme as editable files). Nothing here ever deletes a file, and nothing
//! overwrites one unless the caller asks for it.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use crate::config::Config;
use crate::error::Error;
use crate::library::RESERVED_SLUGS;
use crate::render::{Theme, BUILTIN_ASSETS, BUILTIN_TEMPLATES};
use crate::slugs::{self, slugify};

/// The longest slug `new` makes from a headline, in bytes.
pub const NEW_SLUG_BYTES: usize = 100;

/// The starter `config.toml`: every key, commented, with its default.
pub const CONFIG: &str = include_str!("../scaffold/config.toml");

/// Sample articles: path in the site, text with `@DATE@` for the date, days before now.
const ARTICLES: &[(&str, &str, i64)] = &[
    ("content/news/welcome.md", include_str!("../scaffold/content/news/welcome.md"), 1),
    ("content/guides/writing-articles.md", include_str!("../scaffold/content/guides/writing-articles.md"), 2),
    ("content/guides/publishing.md", include_str!("../scaffold/content/guides/publishing.md"), 3),
];

const TEMPLATES_README: &str = include_str!("../scaffold/templates/README.md");
const GITIGNORE: &str = include_str!("../scaffold/gitignore");

/// The category of a new article when neither `--category` nor config.toml names one.
pub const DEFAULT_CATEGORY: &str = "news";

/// What a command did with each file, by path relative to the site folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files that did not exist and were written.
    pub created: Vec<PathBuf>,
    /// Files that existed and were overwritten (only when asked to).
    pub replaced: Vec<PathBuf>,
    /// Files that existed and were left as they were.
    pub skipped: Vec<PathBuf>,
}

/// The files `init` writes, relative to the site folder, with their text.
pub fn starter_files(now: DateTime<Utc>) -> Vec<(PathBuf, String)> {
    let names: Vec<String> = BUILTIN_TEMPLATES.iter().map(|(name, _)| format!("- `{name}`")).collect();
    let mut files = vec![(PathBuf::from("config.toml"), CONFIG.to_string())];
    for (path, text, days_ago) in ARTICLES {
        let date = (now - Duration::days(*days_ago)).format("%Y-%m-%dT%H:%M:00Z").to_string();
        files.push((PathBuf::from(path), text.replace("@DATE@", &date)));
    }
    files.push((PathBuf::from("static/.gitkeep"), String::new()));
    files.push((
        PathBuf::from("templates/README.md"),
        TEMPLATES_README.replace("@TEMPLATES@", &names.join("\n")),
    ));
    files.push((PathBuf::from(".gitignore"), GITIGNORE.to_string()));
    files
}

/// Creates a working site in `dir`. A folder that exists and is not empty is refused
/// unless `force`, and then only the missing files are added.
pub fn init(dir: &Path, force: bool, now: DateTime<Utc>) -> Result<Written, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::refused(
            format!("{} exists and is not a folder", dir.display()),
            "choose a new folder name for the site",
        ));
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries.count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(Error::io("read", dir, e)),
    };
    if entries > 0 && !force {
        return Err(Error::refused(
            format!("{} is not empty, so nothing was written", dir.display()),
            "choose a new folder, or pass --force to add only the files that are missing \
             (nothing is overwritten)",
        ));
    }
    let mut written = Written::default();
    for (path, text) in starter_files(now) {
        if create_new(&dir.join(&path), &text)? {
            written.created.push(path);
        } else {
            written.skipped.push(path);
        }
    }
    Ok(written)
}

/// A new article, as `broadsheet new` is asked for it.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The headline; the file name is its slug.
    pub title: String,
    /// Category name; the first configured category, else `news`, when `None`.
    pub category: Option<String>,
    /// Tags, in order.
    pub tags: Vec<String>,
    /// Author, when not the site's default author.
    pub author: Option<String>,
    /// Write `draft = true`.
    pub draft: bool,
    /// The article's date (shown in the site's time zone).
    pub now: DateTime<Utc>,
}

/// Writes `content/<category-slug>/<slug>.md` with its front matter filled in and returns
/// that path, relative to the site. An existing file is never overwritten.
pub fn new_article(site: &Path, article: &NewArticle) -> Result<PathBuf, Error> {
    require_site(site)?;
    let loaded = Config::load(site)?;
    let category = category_name(&loaded.config, article.category.as_deref());
    let category_slug = slugify(&category);
    // A long headline keeps its words in the title; the file name and URL take the first
    // `NEW_SLUG_BYTES` of its slug (transliterated scripts grow about fivefold).
    let slug = slugs::shorten(&slugify(&article.title), NEW_SLUG_BYTES).to_string();
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the title `{}` has no letters or digits to make a file name from",
            article.title
        )));
    }
    if category_slug.is_empty() {
        return Err(Error::Usage(format!(
            "the category `{category}` has no letters or digits to make a folder name from; \
             choose another name with --category"
        )));
    }
    if RESERVED_SLUGS.contains(&category_slug.as_str()) {
        return Err(Error::Usage(format!(
            "`{category}` can't be a category: its folder would be `/{category_slug}/`, which the \
             site's own pages use; choose another name with --category"
        )));
    }
    if let Some(author) = article.author.as_deref().filter(|a| slugify(a).is_empty()) {
        return Err(Error::Usage(format!(
            "the author `{author}` has no letters or digits to make the author's page from; \
             write a name with --author, or leave it out for the site's default author"
        )));
    }
    if let Some(tag) = article.tags.iter().find(|t| slugify(t).is_empty()) {
        return Err(Error::Usage(format!(
            "the tag `{tag}` has no letters or digits to make the tag's page from; write it as a word"
        )));
    }
    let path = Path::new("content").join(&category_slug).join(format!("{slug}.md"));
    let date = article.now.with_timezone(&loaded.tz).format("%Y-%m-%dT%H:%M:%S%:z");
    if !create_new(&site.join(&path), &front_matter(article, &category, &date.to_string()))? {
        return Err(Error::refused(
            format!("{} already exists, so nothing was written", shown(site, &path).display()),
            "edit that file, or choose another title",
        ));
    }
    Ok(path)
}

/// The configured name of `wanted` if a category has its slug; else `wanted`, the first
/// configured category, or `news`.
fn category_name(config: &Config, wanted: Option<&str>) -> String {
    match wanted {
        Some(name) => config
            .categories
            .iter()
            .find(|c| slugify(&c.name) == slugify(name))
            .map_or_else(|| name.to_string(), |c| c.name.clone()),
        None => config.categories.first().map_or_else(|| DEFAULT_CATEGORY.to_string(), |c| c.name.clone()),
    }
}

/// The text of a new article: front matter with every value written as TOML, then a
/// placeholder paragraph.
fn front_matter(article: &NewArticle, category: &str, date: &str) -> String {
    let string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let tags: Vec<String> = article.tags.iter().map(|t| string(t)).collect();
    let mut text = format!(
        "+++\ntitle = {}\ndate = {date}\ncategory = {}\ntags = [{}]\n",
        string(&article.title),
        string(category),
        tags.join(", ")
    );
    if let Some(author) = &article.author {
        text.push_str(&format!("author = {}\n", string(author)));
    }
    if article.draft {
        text.push_str("draft = true\n");
    }
    text.push_str(
        "+++\n\nWrite the article here. Its first paragraph is the summary unless you add `summary`.\n",
    );
    text
}

/// Copies the built-in templates into `templates/` and the theme's files into `static/`.
/// An existing file is overwritten only when `force`; otherwise it is skipped.
pub fn eject(site: &Path, force: bool) -> Result<Written, Error> {
    require_site(site)?;
    let files = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, text)| (Path::new("templates").join(name), text))
        .chain(BUILTIN_ASSETS.iter().map(|(name, text)| (Path::new("static").join(name), text)));
    let mut written = Written::default();
    for (path, text) in files {
        let target = site.join(&path);
        if create_new(&target, text)? {
            written.created.push(path);
        } else if force {
            std::fs::write(&target, text).map_err(|e| Error::io("write", &target, e))?;
            written.replaced.push(path);
        } else {
            written.skipped.push(path);
        }
    }
    Ok(written)
}

/// One file of the theme and where the site's own copy is, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    /// Name, such as `article.html` or `style.css`.
    pub name: String,
    /// Whether the built-in theme has this file (else the site added it).
    pub builtin: bool,
    /// The site's file that replaces or adds it, relative to the site.
    pub site_file: Option<PathBuf>,
}

/// Every built-in template and theme file, then the templates the site adds, each with
/// the site's copy if any.
pub fn theme_files(site: &Path) -> Result<Vec<ThemeFile>, Error> {
    // Only the names matter here, not the words.
    let theme = Theme::load(site, &crate::render::SiteConstants::default())?;
    let overridden = theme.overridden();
    let mut files: Vec<ThemeFile> = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, _)| ThemeFile {
            name: name.to_string(),
            builtin: true,
            site_file: overridden.contains(name).then(|| Path::new("templates").join(name)),
        })
        .collect();
    let added = overridden.iter().filter(|n| !BUILTIN_TEMPLATES.iter().any(|(b, _)| b == *n));
    files.extend(added.map(|name| ThemeFile {
        name: name.to_string(),
        builtin: false,
        site_file: Some(Path::new("templates").join(name)),
    }));
    files.extend(BUILTIN_ASSETS.iter().map(|(name, _)| {
        let own = Path::new("static").join(name);
        ThemeFile {
            name: name.to_string(),
            builtin: true,
            site_file: site.join(&own).is_file().then_some(own),
        }
    }));
    Ok(files)
}

/// A path in the site as the user would type it: without `./` for the current folder.
pub fn shown(site: &Path, path: &Path) -> PathBuf {
    if site == Path::new(".") {
        path.to_path_buf()
    } else {
        site.join(path)
    }
}

/// Refuses a folder that has neither `config.toml` nor `content/`: it is not a site.
pub fn require_site(site: &Path) -> Result<(), Error> {
    if site.join("config.toml").is_file() || site.join("content").is_dir() {
        return Ok(());
    }
    let name = if site == Path::new(".") { "the current folder".into() } else { site.display().to_string() };
    if !site.is_dir() {
        return Err(Error::refused(
            format!("the site folder {name} does not exist"),
            "pass the site's folder with `-s DIR`; `broadsheet init DIR` creates a site",
        ));
    }
    Err(Error::refused(
        format!("{name} is not a site folder: it has no config.toml and no content/"),
        "run it in the site folder or pass `-s DIR`; `broadsheet init DIR` creates a site",
    ))
}

/// Writes `text` to `path` unless the file exists (then returns `false`), creating its
/// folders. The check and the write are one step, so a file is never overwritten.
fn create_new(path: &Path, text: &str) -> Result<bool, Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => {
            file.write_all(text.as_bytes()).map_err(|e| Error::io("write", path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io("create", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys serde knows for a table, read from its unknown-field error.
    fn known_keys(toml_text: &str) -> Vec<String> {
        let err = toml::from_str::<Config>(toml_text).unwrap_err().message().to_string();
        err.split("expected one of ")
            .nth(1)
            .unwrap()
            .split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect()
    }

    #[test]
    fn the_starter_config_sets_every_key_to_its_default() {
        let table: toml::Table = toml::from_str(CONFIG).unwrap();
        for key in known_keys("zzz = 1") {
            // A key with no value by default is shown commented out, with an example.
            let commented = CONFIG.contains(&format!("\n# {key} = "));
            assert!(table.contains_key(&key) || commented, "config.toml lacks `{key}`");
        }
        for section in ["markdown", "related", "feeds"] {
            let keys = table[section].as_table().unwrap();
            for key in known_keys(&format!("[{section}]\nzzz = 1")) {
                assert!(keys.contains_key(&key), "config.toml lacks `{section}.{key}`");
            }
        }
        let config = Config::parse(CONFIG).unwrap();
        let default = Config::default();
        assert_eq!(format!("{:?}", config.markdown), format!("{:?}", default.markdown));
        assert_eq!(format!("{:?}", config.related), format!("{:?}", default.related));
        assert_eq!(format!("{:?}", config.feeds), format!("{:?}", default.feeds));
        assert_eq!(
            (config.title, config.base_url, config.date_format),
            (default.title, default.base_url, default.date_format)
        );
        assert_eq!(config.categories.len(), 2, "an example of [[categories]]");
    }

    #[test]
    fn the_templates_readme_names_every_template() {
        let files = starter_files(Utc::now());
        let readme = &files.iter().find(|(p, _)| p.ends_with("templates/README.md")).unwrap().1;
        for (name, _) in BUILTIN_TEMPLATES {
            assert!(readme.contains(&format!("`{name}`")), "{name}");
        }
        assert!(!readme.contains('@'));
    }

    #[test]
    fn front_matter_escapes_every_value_as_toml() {
        let article = NewArticle {
            title: "A \"quoted\" title \\ with a backslash".into(),
            category: None,
            tags: vec!["a\"b".into(), "AI".into()],
            author: Some("O'Brien".into()),
            draft: true,
            now: Utc::now(),
        };
        let text = front_matter(&article, "News", "2026-04-09T10:30:00+02:00");
        let toml_text = text.split("+++").nth(1).unwrap();
        let table: toml::Table = toml::from_str(toml_text).unwrap();
        assert_eq!(table["title"].as_str(), Some(article.title.as_str()));
        assert_eq!(table["tags"].as_array().unwrap()[0].as_str(), Some("a\"b"));
        assert_eq!(table["author"].as_str(), Some("O'Brien"));
        assert_eq!(table["draft"].as_bool(), Some(true));
        assert!(table["date"].as_datetime().unwrap().offset.is_some());
    }

    #[test]
    fn a_named_category_takes_its_configured_spelling() {
        let config = Config::parse(CONFIG).unwrap();
        assert_eq!(category_name(&config, Some("guides")), "Guides");
        assert_eq!(category_name(&config, Some("Sport")), "Sport");
        assert_eq!(category_name(&config, None), "News");
        assert_eq!(category_name(&Config::default(), None), "news");
    }
}
