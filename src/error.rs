//! Errors and diagnostics: what went wrong, in which file and line, and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the site's input, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, as the user would type it (relative to the site).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no line).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: None, column: None, message: message.into(), hint: None }
    }

    /// Sets the line (and column) the problem is on.
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Sets the line when it is known (no column).
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The diagnostic with its file as a path from where the command runs: with `-s lit`,
    /// the site's `content/a.md` is `lit/content/a.md` (the file must be there: a built-in
    /// template's name is left as it is).
    pub fn from_here(mut self, source: &Path) -> Self {
        if source != Path::new(".") && self.path.is_relative() && source.join(&self.path).exists() {
            self.path = source.join(&self.path);
        }
        self
    }

    /// Replaces the path, e.g. to make it relative to the site folder.
    pub fn relative_to(mut self, base: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(base) {
            self.path = rel.to_path_buf();
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    /// Cargo style: the message, then `--> file:line:col`, then `= help: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  --> {}", self.message, self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n   = help: {hint}")?;
        }
        Ok(())
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `config.toml` is invalid; every problem found.
    #[error("{}", list(.0))]
    Config(Vec<Diagnostic>),
    /// One or more articles are invalid; all of them are listed.
    #[error("{}", list(.0))]
    Content(Vec<Diagnostic>),
    /// A template failed to parse or render.
    #[error("{0}")]
    Template(Diagnostic),
    /// The build was interrupted (Ctrl-C) before the output folder changed.
    #[error("interrupted: the output folder was not changed")]
    Interrupted,
    /// `check` found broken links or repeated ids (already printed, one by one).
    #[error("{}", crate::ui::counted(*.0, "problem"))]
    Check(usize),
    /// The command line names something that does not exist.
    #[error("{0}")]
    Usage(String),
    /// The output folder cannot be used or written.
    #[error("{0}")]
    Output(String),
    /// A command would overwrite or clutter the user's files, so it did nothing.
    #[error("{message}\n   = help: {hint}")]
    Refused {
        /// What was refused and why.
        message: String,
        /// What to do instead.
        hint: String,
    },
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing, with the path.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O error with the path and the action that failed.
    pub fn io(action: &str, path: &Path, source: std::io::Error) -> Self {
        Error::Io { context: format!("cannot {action} {}", path.display()), source }
    }

    /// A refusal to touch the user's files, with what to do instead.
    pub fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Refused { message: message.into(), hint: hint.into() }
    }

    /// Every diagnostic this error carries, for printing one by one.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Template(d) => vec![d.clone()],
            Error::Config(list) | Error::Content(list) => list.clone(),
            _ => Vec::new(),
        }
    }
}

/// The full report of an error as the terminal shows it: every diagnostic, cargo style.
pub fn report(err: &Error) -> String {
    report_from(err, Path::new("."))
}

/// `report`, with each file shown as a path from where the command runs (see
/// `Diagnostic::from_here`) for a site in the folder `source`.
pub fn report_from(err: &Error, source: &Path) -> String {
    let diagnostics = err.diagnostics();
    if diagnostics.is_empty() {
        return format!("error: {err}");
    }
    let n = diagnostics.len();
    let mut out: Vec<String> =
        diagnostics.into_iter().map(|d| format!("error: {}\n", d.from_here(source))).collect();
    out.push(format!("error: build failed with {n} problem{}", if n == 1 { "" } else { "s" }));
    out.join("\n")
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("error: {d}")).collect::<Vec<_>>().join("\n")
}

/// Converts a byte offset in `text` to a 1-based (line, column).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Best match for a misspelt name among the known ones, if any is close.
pub fn did_you_mean<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Turns a TOML deserialisation error into a diagnostic, with a did-you-mean hint for an
/// unknown key. `text` is the TOML that was parsed and `first_line` the file line it starts on.
pub fn toml_diagnostic(path: &Path, text: &str, first_line: usize, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut diag = Diagnostic::new(path, message.clone());
    if let Some(span) = err.span() {
        let (line, col) = line_col(text, span.start);
        diag = diag.at(line + first_line - 1, Some(col));
    }
    // A string where a date or a list belongs: the hint shows the line as it should be.
    let quoted = err.span().filter(|_| message.starts_with("invalid type: string")).and_then(|span| {
        let before = text.get(..span.start)?;
        let key = before[before.rfind('\n').map_or(0, |i| i + 1)..].split('=').next()?.trim();
        Some((key, text.get(span)?.trim()))
    });
    // Only a string that is a date without its quotes: "yesterday" is no date either way.
    let unquoted_date = quoted
        .filter(|_| message.contains("datetime"))
        .map(|(key, value)| (key, value.trim_matches(['"', '\''])))
        .filter(|(_, date)| date.parse::<toml::value::Datetime>().is_ok());
    // The key set on the line of the error (`date = 2026/11/24` is a TOML syntax error).
    let line_key = err.span().and_then(|span| {
        let start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        let key = text.get(start..)?.split(['=', '\n']).next()?.trim();
        Some(key.to_string())
    });
    let is_date_key = line_key.as_deref().is_some_and(|k| k == "date" || k == "updated");
    diag.hint = Some(if let Some((key, date)) = unquoted_date {
        format!("write the date without quotes: `{key} = {date}`")
    } else if let Some((key, value)) = quoted.filter(|(_, v)| message.contains("sequence") && v.contains(','))
    {
        // `tags = "Markets, Economy"`: two names, each quoted in the list.
        let items: Vec<String> =
            value.trim_matches(['"', '\'']).split(',').map(|v| format!("\"{}\"", v.trim())).collect();
        format!("write a list in brackets, each name in quotes: `{key} = [{}]`", items.join(", "))
    } else if message.contains("expected a boolean") {
        let key = line_key.as_deref().unwrap_or("draft");
        format!("write `{key} = true` or `{key} = false`, without quotes")
    } else if is_date_key && !message.contains("sequence") {
        "write dates like `2026-11-24` or `2026-11-24T09:30:00Z` (year, month, day, with dashes), without quotes".into()
    } else if let Some((key, value)) = quoted.filter(|(key, _)| *key == "categories") {
        format!("`{key}` is a list of tables: write `[[categories]]` on a line of its own, then `name = {value}` below it")
    } else if let Some((key, value)) = quoted.filter(|_| message.contains("sequence")) {
        format!("write a list in brackets, even of one item: `{key} = [{value}]`")
    } else if message.contains("date") || message.contains("time") {
        "write dates like `2026-11-24` or `2026-11-24T09:30:00Z` (month 01-12, day 01-31)".into()
    } else {
        "this is TOML: `key = \"text\"`, `key = 2026-11-24`, `key = [\"a\", \"b\"]`".into()
    });
    if let Some((unknown, known)) = parse_unknown_field(&message) {
        let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let named = unknown_key(path, &unknown, &known_refs);
        (diag.message, diag.hint) = (named.message, named.hint);
    }
    diag
}

/// An unknown key, with the closest known one suggested.
pub fn unknown_key(path: &Path, unknown: &str, known: &[&str]) -> Diagnostic {
    Diagnostic::new(path, format!("unknown key `{unknown}`")).hint(match did_you_mean(unknown, known) {
        Some(best) => format!("did you mean `{best}`? Known keys: {}", known.join(", ")),
        None => format!("known keys are: {}", known.join(", ")),
    })
}

/// Reads serde's stable "unknown field `x`, expected one of `a`, `b`" message.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let known = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((unknown.to_string(), known))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_report_shows_files_from_where_the_command_runs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "").unwrap();
        let err = Error::Content(vec![
            Diagnostic::new("content/a.md", "bad").at(2, None),
            Diagnostic::new("built-in theme base.html", "worse"),
        ]);
        let report = report_from(&err, dir.path());
        assert!(report.contains(&format!("--> {}:2", dir.path().join("content/a.md").display())), "{report}");
        assert!(report.contains("--> built-in theme base.html"), "{report}");
        assert!(report.contains("build failed with 2 problems"), "{report}");
    }

    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        assert_eq!(did_you_mean("catgory", &["category", "title", "tags"]), Some("category"));
        assert_eq!(did_you_mean("zzz", &["category", "title"]), None);
    }

    #[test]
    fn reads_serde_unknown_field_messages() {
        let (unknown, known) =
            parse_unknown_field("unknown field `catgory`, expected one of `title`, `category`").unwrap();
        assert_eq!(unknown, "catgory");
        assert_eq!(known, vec!["title", "category"]);
    }

    #[test]
    fn a_quoted_date_or_a_bare_string_for_a_list_gets_a_hint_that_says_so() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct FrontMatter {
            date: Option<toml::value::Datetime>,
            tags: Option<Vec<String>>,
        }
        let hint = |toml_text: &str| {
            let err = toml::from_str::<FrontMatter>(toml_text).unwrap_err();
            toml_diagnostic(Path::new("a.md"), toml_text, 2, &err).hint.unwrap()
        };
        assert_eq!(
            hint("tags = []\ndate = \"2026-11-28\""),
            "write the date without quotes: `date = 2026-11-28`"
        );
        assert_eq!(
            hint("tags = \"Markets\""),
            "write a list in brackets, even of one item: `tags = [\"Markets\"]`"
        );
        assert!(hint("date = 2026-13-01").starts_with("write dates like"));
        assert!(hint("date = \"yesterday\"").starts_with("write dates like"), "not `date = yesterday`");
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
