//! The `broadsheet` command line: argument parsing, and printing results and errors once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use broadsheet::ui::{BuildProgress, Ui, Verbosity};
use broadsheet::{build_with_progress, BuildOptions, Error};

/// A static site generator for news digests.
#[derive(Parser)]
#[command(name = "broadsheet", version, about, propagate_version = true)]
struct Cli {
    /// The site folder (with config.toml and content/).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    source: PathBuf,
    /// Print only errors (and a command's own result, such as `related`'s list).
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
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Show an article's related news with each signal's contribution.
    Related(RelatedArgs),
    /// Build in memory and check that every internal link and #anchor resolves.
    Check(CheckArgs),
    /// Preview the site on a local web server that reloads the browser on every edit.
    Serve(ServeArgs),
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
    fn run(self, source: PathBuf) -> Result<(), Error> {
        broadsheet::serve::serve(broadsheet::serve::ServeOptions {
            source,
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
            future: self.future,
            open: self.open,
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
        let options = BuildOptions {
            source,
            output: None,
            drafts: self.drafts,
            future: self.future,
            base_url: None,
            now: chrono::Utc::now(),
        };
        let limits =
            broadsheet::check::ExternalCheck { concurrency: 8, timeout: std::time::Duration::from_secs(10) };
        let report = broadsheet::check::check(&options, self.external.then_some(&limits))?;
        for b in &report.broken {
            ui.error(&format!("broken link `{}` on {}: {}", b.target, b.page, b.reason));
        }
        let external =
            if self.external { format!(", {} external URLs", report.external_links) } else { String::new() };
        ui.status(&format!(
            "Checked {} pages, {} internal links{external}: {} broken",
            report.pages,
            report.internal_links,
            report.broken.len()
        ));
        if report.broken.is_empty() {
            Ok(())
        } else {
            Err(Error::Check(report.broken.len()))
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
        let options = BuildOptions {
            source,
            output: None,
            drafts: self.drafts,
            future: self.future,
            base_url: None,
            now: chrono::Utc::now(),
        };
        let site = broadsheet::load(&options)?;
        let id = site.library.find(&self.article).map_err(Error::Usage)?;
        let text =
            broadsheet::related::explain(&site.library, &site.config.related, &site.config.language, id);
        print!("{text}");
        Ok(())
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
    /// Print the wall time of each build stage.
    #[arg(long)]
    timings: bool,
}

impl BuildArgs {
    fn run(self, source: PathBuf, ui: Ui) -> Result<(), Error> {
        let options = BuildOptions {
            source: source.clone(),
            output: self.output,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url,
            now: chrono::Utc::now(),
        };
        let progress = BuildProgress::start(&ui);
        let result = build_with_progress(&options, &progress);
        progress.finish();
        let report = result?;
        for warning in &report.warnings {
            ui.warning(&format!("{warning}\n"));
        }
        if self.timings || ui.verbose() {
            for (stage, time) in &report.timings {
                println!("{:>18}: {:8.1} ms", stage, time.as_secs_f64() * 1000.0);
            }
        }
        if !report.config_found {
            ui.note(&format!("no config.toml in {}, using the defaults", source.display()));
        }
        ui.status(&format!(
            "Built {} articles, {} pages, {} files in {:.2} s into {}",
            report.articles,
            report.pages,
            report.files,
            report.elapsed.as_secs_f64(),
            report.output.display()
        ));
        Ok(())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let ui = Ui { verbosity };
    let result = match cli.command {
        Command::Build(args) => args.run(cli.source, ui),
        Command::Related(args) => args.run(cli.source),
        Command::Check(args) => args.run(cli.source, ui),
        Command::Serve(args) => args.run(cli.source),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(ui, &err);
            ExitCode::from(if matches!(err, Error::Usage(_)) { 2 } else { 1 })
        }
    }
}

/// Prints every problem, cargo style, then a count.
fn report_error(ui: Ui, err: &Error) {
    let diagnostics = err.diagnostics();
    if let Error::Check(_) = err {
        return; // each broken link was printed already
    }
    if diagnostics.is_empty() {
        ui.error(&err.to_string());
        return;
    }
    for d in &diagnostics {
        ui.error(&format!("{d}\n"));
    }
    let n = diagnostics.len();
    ui.error(&format!(
        "build failed with {n} problem{}; the output folder was not changed",
        if n == 1 { "" } else { "s" }
    ));
}
