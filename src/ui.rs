//! Output for people: cargo-style `error:`, `warning:` and `note:` lines, the `-q`/`-v`
//! levels, and the progress bar of long builds. Colours appear only on a terminal and
//! never when `NO_COLOR` is set (anstream strips them otherwise).

use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Progress;

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();
const ARROW: Style = AnsiColor::Blue.on_default().bold();
const HELP: Style = Style::new().bold();

/// `n` and the noun, plural unless `n` is 1: "1 article", "23 articles".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// How much the command line prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `-q`: errors and the command's own result only.
    Quiet,
    /// The default: results, warnings, notes and one-line summaries.
    Normal,
    /// `-v`: also stage timings and each file written.
    Verbose,
}

/// Prints messages for people at one verbosity level.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// How much to print.
    pub verbosity: Verbosity,
}

impl Ui {
    /// An `error:` on stderr; printed at every level.
    pub fn error(&self, text: &str) {
        anstream::eprintln!("{}", labelled(ERROR, "error", text));
    }

    /// A `warning:` on stderr, unless quiet.
    pub fn warning(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            anstream::eprintln!("{}", labelled(WARNING, "warning", text));
        }
    }

    /// A `note:` on stdout, unless quiet.
    pub fn note(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            anstream::println!("{}", labelled(NOTE, "note", text));
        }
    }

    /// A `note:` on stderr, unless quiet: for a command whose stdout is its result alone
    /// (`new` prints the path it wrote, for `$EDITOR "$(broadsheet new ...)"`).
    pub fn note_aside(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            anstream::eprintln!("{}", labelled(NOTE, "note", text));
        }
    }

    /// A plain line on stdout, such as a summary, unless quiet.
    pub fn status(&self, text: &str) {
        if self.verbosity > Verbosity::Quiet {
            anstream::println!("{text}");
        }
    }

    /// A plain line on stdout, only with `-v`.
    pub fn detail(&self, text: &str) {
        if self.verbose() {
            anstream::println!("{text}");
        }
    }

    /// Whether `-v` was given.
    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }
}

/// `label: text` with the label styled, and a diagnostic's `-->` and `= help:` styled as
/// cargo does. Without colour the text is exactly `label: text`.
fn labelled(style: Style, label: &str, text: &str) -> String {
    let mut out = format!("{style}{label}:{style:#} ");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Some(rest) = line.strip_prefix("  --> ") {
            out.push_str(&format!("  {ARROW}-->{ARROW:#} {rest}"));
        } else if let Some(rest) = line.strip_prefix("   = help:") {
            out.push_str(&format!("   {HELP}= help:{HELP:#}{rest}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// How long a build runs before its progress bar appears.
const BAR_DELAY: Duration = Duration::from_secs(1);

/// The build's progress bar on stderr. It appears only after the build has run for a
/// second, and only when stdout and stderr are terminals and the user did not ask for `-q`.
pub struct BuildProgress {
    bar: ProgressBar,
    stop: Option<mpsc::Sender<()>>,
    timer: Option<JoinHandle<()>>,
}

impl BuildProgress {
    /// Starts the timer that shows the bar after a second, when a bar may be shown at all.
    pub fn start(ui: &Ui) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        set_style(&bar, "{spinner} Building: {msg}");
        let terminal = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        if !terminal || ui.verbosity == Verbosity::Quiet {
            return BuildProgress { bar, stop: None, timer: None };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let timer = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(BAR_DELAY) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        BuildProgress { bar, stop: Some(stop), timer: Some(timer) }
    }

    /// Stops the timer and erases the bar, so the summary that follows stands alone.
    pub fn finish(mut self) {
        drop(self.stop.take());
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Progress for BuildProgress {
    fn stage_done(&self, stage: &'static str) {
        self.bar.set_message(format!("{stage} done"));
    }

    fn render_started(&self, total: usize) {
        set_style(&self.bar, "{spinner} Building [{bar:25}] {pos}/{len} files");
        self.bar.set_length(total as u64);
    }

    fn file_written(&self) {
        self.bar.inc(1);
    }
}

fn set_style(bar: &ProgressBar, template: &str) {
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "article"), "1 article");
        assert_eq!(counted(0, "page"), "0 pages");
        assert_eq!(counted(23, "file"), "23 files");
    }

    #[test]
    fn without_colour_a_message_reads_exactly_as_written() {
        let text = "unknown key `catgory`\n  --> content/a.md:4:1\n   = help: did you mean `category`?";
        let styled = labelled(ERROR, "error", text);
        assert!(styled.contains("\u{1b}["), "styled for a terminal: {styled:?}");
        assert_eq!(anstream::adapter::strip_str(&styled).to_string(), format!("error: {text}"));
    }

    #[test]
    fn a_progress_bar_that_never_showed_finishes_quietly() {
        let progress = BuildProgress::start(&Ui { verbosity: Verbosity::Normal });
        progress.render_started(3);
        progress.file_written();
        assert!(progress.bar.is_hidden());
        progress.finish();
    }
}
