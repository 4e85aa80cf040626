//! The `broadsheet` command line: argument parsing, and printing results and errors once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use broadsheet::{build, BuildOptions, Error};

/// A static site generator for news digests.
#[derive(Parser)]
#[command(name = "broadsheet", version, about, propagate_version = true)]
struct Cli {
    /// The site folder (with config.toml and content/).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    source: PathBuf,
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
    fn run(self, source: PathBuf) -> Result<(), Error> {
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
            eprintln!("error: broken link `{}` on {}: {}", b.target, b.page, b.reason);
        }
        let external =
            if self.external { format!(", {} external URLs", report.external_links) } else { String::new() };
        println!(
            "Checked {} pages, {} internal links{external}: {} broken",
            report.pages,
            report.internal_links,
            report.broken.len()
        );
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
    fn run(self, source: PathBuf) -> Result<(), Error> {
        let options = BuildOptions {
            source: source.clone(),
            output: self.output,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url,
            now: chrono::Utc::now(),
        };
        let report = build(&options)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}\n");
        }
        if self.timings {
            for (stage, time) in &report.timings {
                println!("{:>18}: {:8.1} ms", stage, time.as_secs_f64() * 1000.0);
            }
        }
        if !report.config_found {
            println!("note: no config.toml in {}, using the defaults", source.display());
        }
        println!(
            "Built {} articles, {} pages, {} files in {:.2} s into {} ({} written, {} unchanged, {} removed)",
            report.articles,
            report.pages,
            report.files,
            report.elapsed.as_secs_f64(),
            report.output.display(),
            report.changes.written,
            report.changes.unchanged,
            report.changes.removed
        );
        Ok(())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => args.run(cli.source),
        Command::Related(args) => args.run(cli.source),
        Command::Check(args) => args.run(cli.source),
        Command::Serve(args) => args.run(cli.source),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err);
            ExitCode::from(if matches!(err, Error::Usage(_)) { 2 } else { 1 })
        }
    }
}

/// Prints every problem, cargo style, then a count.
fn report_error(err: &Error) {
    let diagnostics = err.diagnostics();
    if let Error::Check(_) = err {
        return; // each broken link was printed already
    }
    if diagnostics.is_empty() {
        eprintln!("error: {err}");
        return;
    }
    for d in &diagnostics {
        eprintln!("error: {d}\n");
    }
    let n = diagnostics.len();
    eprintln!(
        "error: build failed with {n} problem{}; the output folder was not changed",
        if n == 1 { "" } else { "s" }
    );
}
