//! A session's events as the terminal shows them: notes and step progress
//! go through one display, so that no line tears the progress bars; errors
//! go to stderr.

use std::sync::OnceLock;

use crate::diagnostic;
use crate::report::summary;
use crate::session::event::{Event, EventSink};
use crate::session::prepare::PrepareError;

use super::progress::Progress;
use super::terminal;

pub struct Render {
    color: bool,
    /// stdout is a terminal: progress is drawn as spinners.
    terminal: bool,
    /// Made when the workflows start, when it is known whether several
    /// run at once.
    progress: OnceLock<Progress>,
}

impl Render {
    pub fn new(color: bool, terminal: bool) -> Render {
        Render {
            color,
            terminal,
            progress: OnceLock::new(),
        }
    }

    fn progress(&self) -> &Progress {
        self.progress
            .get_or_init(|| Progress::new(self.terminal, self.color, false))
    }

    /// A line on stdout, above the progress bars when there are some.
    fn line(&self, text: String) {
        match self.progress.get() {
            Some(progress) => progress.line(text),
            None => terminal::out_line(&text),
        }
    }

    fn not_prepared(&self, error: &PrepareError) -> String {
        match error {
            PrepareError::Plan { file, diagnostics } => diagnostic::render(file, diagnostics, self.color),
            PrepareError::Recording { workflow, error } => format!(
                "error: {error}\n  help: a replay needs the recording next to the workflow; make it with `rehearse run --record {}` (see docs/recording.md)\n",
                workflow.display()
            ),
        }
    }
}

impl EventSink for Render {
    fn emit(&self, event: &Event<'_>) {
        match event {
            Event::Sharded {
                shard,
                selected,
                total,
            } => self.line(format!(
                "shard {}/{}: {selected} of {total} workflow(s)",
                shard.index, shard.count
            )),
            Event::NotPrepared(error) => terminal::err(&self.not_prepared(error)),
            Event::WrongAccount { message } => terminal::err_line(&format!("error: {message}")),
            Event::Started { jobs, .. } => {
                let _ = self
                    .progress
                    .set(Progress::new(self.terminal, self.color, *jobs > 1));
            }
            Event::Replaying { about } => self.line(about.to_string()),
            Event::Engine(event) => crate::engine::event::EventSink::emit(self.progress(), event),
            Event::UnusedExchanges { file, count, steps } => self.line(format!(
                "note: {count} recorded exchange(s) or step result(s) of {} were not used (steps: {}); the recording may be out of date",
                file.display(),
                steps.join(", ")
            )),
            Event::Crashed { error } => {
                terminal::err_line(&format!("error: a workflow's run stopped unexpectedly (a bug in rehearse): {error}"))
            }
            // Every workflow has ended and its bars are gone: the summary
            // is printed as it is.
            Event::Finished {
                run,
                not_run,
                notes,
            } => {
                terminal::out_line("");
                terminal::out(&summary::render(run, self.color));
                if *not_run > 0 {
                    terminal::out_line(&format!("{not_run} workflow(s) not run (--fail-fast or a signal)"));
                }
                for note in *notes {
                    terminal::out_line(note);
                }
            }
            Event::ReportNotWritten { message } => terminal::err_line(&format!("error: {message}")),
        }
    }
}
