//! The `broadsheet` command line: argument parsing, and printing results and errors once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use broadsheet::scaffold::{self, Written};
use broadsheet::ui::{counted, BuildProgress, Ui, Verbosity};
use broadsheet::{build_with_progress, BuildOptions, Error, HeldBack};

/// A build allocates millions of small strings (template values, HTML pieces) from two
/// threads; mimalloc spends a fraction of glibc malloc's time on them (measured in
/// bench/run.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (`include/mimalloc.h`), which the
/// Rust bindings do not name; a test below checks that this option has its documented
/// default of 1000 ms.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a process that makes one build and ends: memory the build frees stays with the
/// allocator for the next stage instead of going back to the kernel a second after it was
/// freed. Given back, it came back as fresh pages that the kernel had to zero again, and
/// huge pages were split to give back parts of them. Three alternating pairs of builds of
/// 100,000 articles into `/dev/shm`: 11.00 to 11.84 s and 2,000 page faults, against 11.36 to
/// 12.53 s and 30,000 to 37,000, for 4% more peak memory (`bench/HISTORY.md`). The preview
/// server keeps the default, since it lives on between builds.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` stores one option value, which mimalloc reads whenever it
    // considers giving memory back; it may be called at any time from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// A static site generator for news digests.
#[derive(Parser)]
#[command(name = "broadsheet", version, about, propagate_version = true)]
struct Cli {
    /// The site folder (with config.toml and content/).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    source: PathBuf,
    /// Print only errors (and a command's own result, such as the path `new` wrote).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each stage's wall time and each file written.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site with sample articles in DIR.
    Init(InitArgs),
    /// Write a new article with its front matter filled in, and print its path.
    New(NewArgs),
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Show an article's related news with each signal's contribution.
    Related(RelatedArgs),
    /// Build in memory and check that every internal link and #anchor resolves.
    Check(CheckArgs),
    /// Preview the site on a local web server that reloads the browser on every edit.
    Serve(ServeArgs),
    /// Copy the built-in theme into the site, or list what the site overrides.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script (e.g. `broadsheet completions bash`).
    Completions(CompletionsArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (use 0.0.0.0 or :: to let other machines in).
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on; if it is taken, the next free one is used.
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

impl ServeArgs {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        broadsheet::serve::serve(broadsheet::serve::ServeOptions {
            source,
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
            future: self.future,
            open: self.open,
            quiet: ui.verbosity == Verbosity::Quiet,
        })
    }
}

#[derive(Args)]
struct CheckArgs {
    /// Also request every external link (HEAD, then GET), 8 at a time, 10 s timeout each.
    #[arg(long)]
    external: bool,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
}

impl CheckArgs {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        let options = BuildOptions::read_only(source, self.drafts, self.future);
        let limits =
            broadsheet::check::ExternalCheck { concurrency: 8, timeout: std::time::Duration::from_secs(10) };
        let report = broadsheet::check::check(&options, self.external.then_some(&limits))?;
        for b in &report.broken {
            ui.error(&format!("broken link `{}` on {}: {}", b.target, b.page, b.reason));
        }
        for (page, id) in &report.repeated_ids {
            ui.error(&format!(
                "id `{id}` is on more than one element of {page}: a link to #{id} finds only the first"
            ));
        }
        let external = if self.external {
            format!(", {}", counted(report.external_links, "external URL"))
        } else {
            String::new()
        };
        let repeated = match report.repeated_ids.len() {
            0 => String::new(),
            n => format!(", {}", counted(n, "repeated id")),
        };
        ui.status(&format!(
            "Checked {}, {}{external}: {} broken{repeated}",
            counted(report.pages, "page"),
            counted(report.internal_links, "internal link"),
            report.broken.len()
        ));
        match report.broken.len() + report.repeated_ids.len() {
            0 => Ok(()),
            problems => Err(Error::Check(problems)),
        }
    }
}

#[derive(Args)]
struct RelatedArgs {
    /// The article: its file (content/technology/a.md), category/slug, or slug.
    article: String,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
}

impl RelatedArgs {
    fn run(self, source: PathBuf) -> Result<(), Error> {
        let key = site_relative(&source, &self.article);
        let options = BuildOptions::read_only(source, self.drafts, self.future);
        let site = broadsheet::load(&options)?;
        let id = site.library.find(&key).map_err(Error::Usage)?;
        let text =
            broadsheet::related::explain(&site.library, &site.config.related, &site.config.language, id);
        print!("{text}");
        Ok(())
    }
}

/// An article file given as a path from here (`site/content/a.md`, or absolute) as the
/// site knows it (`content/a.md`); anything else (a slug, `category/slug`) as it is.
fn site_relative(site: &std::path::Path, article: &str) -> String {
    let (Ok(file), Ok(site)) = (std::fs::canonicalize(article), std::fs::canonicalize(site)) else {
        return article.to_string();
    };
    match file.strip_prefix(&site) {
        Ok(inside) if file.is_file() => inside.to_string_lossy().replace('\\', "/"),
        _ => article.to_string(),
    }
}

#[derive(Args)]
struct BuildArgs {
    /// Output folder [default: public inside the site folder].
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
    /// Replace config.toml's base_url for this build.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Print the wall time of each build stage, and what the build cache saved.
    #[arg(long)]
    timings: bool,
    /// Neither read nor update the build cache (.broadsheet-cache/ in the site folder).
    #[arg(long)]
    no_cache: bool,
}

/// A flag Ctrl-C sets, so a build stops before it changes the output folder and removes its
/// temporary folder; a second Ctrl-C exits at once.
fn cancel_on_ctrl_c() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    let _ = ctrlc::set_handler(move || {
        if handler_flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    flag
}

impl BuildArgs {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        keep_freed_memory();
        let options = BuildOptions {
            source: source.clone(),
            output: self.output,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url,
            now: chrono::Utc::now(),
            cancel: Some(cancel_on_ctrl_c()),
            use_cache: !self.no_cache,
        };
        let progress = BuildProgress::start(&ui);
        let result = build_with_progress(&options, &progress);
        progress.finish();
        let report = result?;
        for warning in &report.warnings {
            ui.warning(&format!("{}\n", warning.clone().from_here(&source)));
        }
        if self.timings || ui.verbose() {
            for (stage, time) in &report.timings {
                println!("{:>18}: {:8.1} ms", stage, time.as_secs_f64() * 1000.0);
            }
            let c = report.cache;
            println!(
                "{:>18}: {} of {} articles parsed, {} of {} bodies rendered (the rest from the cache); {} of {} files kept as they were without rendering (inputs unchanged)",
                "cache",
                c.parsed,
                c.parsed + c.parse_hits,
                c.rendered,
                c.rendered + c.render_hits,
                c.pages_kept,
                report.files
            );
        }
        if !report.config_found {
            ui.note(&format!("no config.toml in {}, using the defaults", source.display()));
        }
        ui.status(&format!(
            "Built {}, {}, {} in {:.2} s into {} ({} written, {} unchanged, {} removed)",
            counted(report.articles, "article"),
            counted(report.pages, "page"),
            counted(report.files, "file"),
            report.elapsed.as_secs_f64(),
            report.output.display(),
            report.changes.written,
            report.changes.unchanged,
            report.changes.removed
        ));
        let HeldBack { drafts, scheduled } = report.held_back;
        if drafts + scheduled > 0 {
            let mut parts = Vec::new();
            if drafts > 0 {
                parts.push(format!("{} (`--drafts` builds them)", counted(drafts, "draft")));
            }
            if let (true, Some(due)) = (scheduled > 0, report.next_scheduled) {
                let due = due.format("%Y-%m-%d %H:%M UTC");
                parts.push(format!(
                    "{} scheduled, the next due {due} (`--future` builds them)",
                    counted(scheduled, "article")
                ));
            }
            ui.note(&format!("left out: {}", parts.join("; ")));
        }
        Ok(())
    }
}

#[derive(Args)]
struct InitArgs {
    /// The folder to create the site in (created if missing).
    dir: PathBuf,
    /// Add the missing files to a folder that is not empty; existing files are kept.
    #[arg(long)]
    force: bool,
}

impl InitArgs {
    fn run(self, ui: Ui) -> Result<(), Error> {
        let written = scaffold::init(&self.dir, self.force, chrono::Utc::now())?;
        report_written(ui, &self.dir, &written, "it already exists");
        let dir = self.dir.display();
        match written.created.len() {
            0 => ui.status(&format!("Nothing to add: {dir} already has every file of a new site")),
            n => ui.status(&format!("Created a site in {dir} with {}", counted(n, "new file"))),
        }
        ui.status(&format!(
            "Next:\n  cd {dir}\n  broadsheet new \"Your headline\"   # write an article\n  \
             broadsheet serve                 # preview it at http://127.0.0.1:1111/\n  \
             broadsheet build                 # build the site into public/\n\
             Set base_url in config.toml before you publish."
        ));
        Ok(())
    }
}

#[derive(Args)]
struct NewArgs {
    /// The headline; the file name is made from it.
    title: String,
    /// Category [default: the first category in config.toml, else news].
    #[arg(long, value_name = "NAME")]
    category: Option<String>,
    /// Tags, separated by commas (`--tags "AI,Chips"`).
    #[arg(long, value_name = "TAGS", value_delimiter = ',')]
    tags: Vec<String>,
    /// Author [default: config.toml's default_author, at build time].
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    /// Mark the article `draft = true`, so builds leave it out unless given --drafts.
    #[arg(long)]
    draft: bool,
}

impl NewArgs {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        let article = scaffold::NewArticle {
            title: self.title,
            category: self.category,
            tags: self.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            author: self.author,
            draft: self.draft,
            now: chrono::Utc::now(),
        };
        let path = scaffold::new_article(&source, &article)?;
        println!("{}", scaffold::shown(&source, &path).display());
        if self.draft {
            ui.note_aside("this is a draft: `broadsheet serve --drafts` or `build --drafts` shows it");
        }
        Ok(())
    }
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Copy the built-in templates into templates/ and style.css and favicon.svg into static/.
    Eject {
        /// Overwrite files that already exist (without it they are kept, with a warning).
        #[arg(long)]
        force: bool,
    },
    /// List every built-in template and theme file, and whether the site overrides it.
    List,
}

impl ThemeCommand {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        match self {
            ThemeCommand::Eject { force } => {
                let written = scaffold::eject(&source, force)?;
                report_written(ui, &source, &written, "it already exists; --force overwrites it");
                ui.status(&format!(
                    "Ejected the theme: {} files created, {} replaced, {} kept",
                    written.created.len(),
                    written.replaced.len(),
                    written.skipped.len()
                ));
            }
            ThemeCommand::List => {
                let files = scaffold::theme_files(&source)?;
                let width = files.iter().map(|f| f.name.len()).max().unwrap_or(0);
                for file in files {
                    let state = match (&file.site_file, file.builtin) {
                        (None, _) => "built-in".to_string(),
                        (Some(own), true) => format!("overridden by {}", own.display()),
                        (Some(own), false) => format!("added by {}", own.display()),
                    };
                    println!("{:<width$} {state}", file.name);
                }
            }
        }
        Ok(())
    }
}

/// Prints a warning for each kept file and, with `-v`, each file written.
fn report_written(ui: Ui, site: &Path, written: &Written, why_kept: &str) {
    for path in &written.skipped {
        ui.warning(&format!("kept {} ({why_kept})", scaffold::shown(site, path).display()));
    }
    for path in &written.created {
        ui.detail(&format!("  created {}", scaffold::shown(site, path).display()));
    }
    for path in &written.replaced {
        ui.detail(&format!("  replaced {}", scaffold::shown(site, path).display()));
    }
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let ui = Ui { verbosity };
    let needs_site = !matches!(cli.command, Command::Init(_) | Command::Completions(_) | Command::New(_));
    let builds = matches!(cli.command, Command::Build(_));
    let source = cli.source.clone();
    let result = if needs_site { scaffold::require_site(&cli.source) } else { Ok(()) };
    let result = result.and_then(|()| match cli.command {
        Command::Init(args) => args.run(ui),
        Command::New(args) => args.run(cli.source, ui),
        Command::Build(args) => args.run(cli.source, ui),
        Command::Related(args) => args.run(cli.source),
        Command::Check(args) => args.run(cli.source, ui),
        Command::Serve(args) => args.run(cli.source, ui),
        Command::Theme(command) => command.run(cli.source, ui),
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "broadsheet", &mut std::io::stdout());
            Ok(())
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(ui, &err, builds, &source);
            ExitCode::from(match err {
                Error::Usage(_) => 2,
                Error::Interrupted => 130,
                _ => 1,
            })
        }
    }
}

/// Prints every problem, cargo style, then a count (for `build`, with the word that the
/// output folder is as it was).
fn report_error(ui: Ui, err: &Error, builds: bool, source: &Path) {
    let diagnostics = err.diagnostics();
    if let Error::Check(_) = err {
        return; // each broken link was printed already
    }
    if diagnostics.is_empty() {
        ui.error(&err.to_string());
        return;
    }
    for d in diagnostics {
        ui.error(&format!("{}\n", d.from_here(source)));
    }
    let problems = counted(err.diagnostics().len(), "problem");
    if builds {
        ui.error(&format!("build failed with {problems}; the output folder was not changed"));
    } else {
        ui.error(&format!("stopped by {problems}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_documents() {
        // SAFETY: reading an option has no preconditions.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        let expected =
            std::env::var("MIMALLOC_PURGE_DELAY").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        assert_eq!(delay, expected, "option {MI_OPTION_PURGE_DELAY} is not mimalloc's purge delay");
    }
}
