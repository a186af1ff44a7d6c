//! `run` steps: a shell script in its own process group, with the
//! workflow's variables in its environment.
//!
//! The process group matters: a script's children (a `kubectl` inside a
//! pipeline) must die with it when the step's deadline passes or on Ctrl-C,
//! or they would outlive the run and hold the terminal.

use std::process::Stdio;

use crate::action::process::{exit_result, process_output};
use tokio::process::Command;

use crate::ground::port::{ActionError, ActionResult, Backend, BoxFuture, Mode};

use crate::action::{Action, Request};

/// Runs `run` steps for real; rejects other actions (they need their own backends).
pub struct ShellBackend;

impl Backend<Action> for ShellBackend {
    fn mode(&self) -> Mode {
        Mode::Live
    }

    fn execute(&self, request: Request) -> BoxFuture<'_, ActionResult> {
        Box::pin(async move {
            match &request.action {
                Action::Run { script } => run_script(script, &request).await,
                other => Err(ActionError::runtime(format!(
                    "`{}` steps need a backend that is not available in this build",
                    other.kind()
                ))),
            }
        })
    }
}

/// Runs one script and returns `{stdout, stderr, exit_code}` (plus `json`
/// when stdout is JSON); a non-zero exit is an error carrying that output.
pub async fn run_script(script: &str, request: &Request) -> ActionResult {
    let Some((program, args)) = request.shell.split_first() else {
        return Err(ActionError::runtime("the shell is empty: set `[defaults] shell`"));
    };
    let mut cmd = Command::new(program);
    cmd.args(args).arg(script);
    let cannot_start = |e: std::io::Error| {
        ActionError::runtime(format!(
            "cannot start `{program}` in {}: {e}",
            request.dir.display()
        ))
    };
    let done = run_process(cmd, program, request, cannot_start).await?;
    exit_result(
        &done.stdout,
        &done.stderr,
        done.status.code(),
        signal_of(&done.status),
    )
}

/// What a process printed, and how it ended.
pub struct Finished {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: std::process::ExitStatus,
}

/// Runs `cmd` (named `program` in messages) in the request's folder, in a
/// process group of its own, with the request's environment and `stdin`,
/// until it ends or prints more than the step's `max-output` (then it is
/// stopped and the step fails). `cannot_start` says why it did not start.
pub async fn run_process(
    mut cmd: Command,
    program: &str,
    request: &Request,
    cannot_start: impl FnOnce(std::io::Error) -> ActionError,
) -> Result<Finished, ActionError> {
    cmd.envs(request.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&request.dir)
        .stdin(if request.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(cannot_start)?;
    let group = child.id().map(GroupGuard);
    if let (Some(input), Some(mut pipe)) = (&request.stdin, child.stdin.take()) {
        // Written from a task so that a script that does not read its input
        // cannot block on a full pipe; a script that exits early just closes it.
        let input = input.clone().into_bytes();
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = pipe.write_all(&input).await;
        });
    }
    let lost = |e: std::io::Error| ActionError::runtime(format!("lost the `{program}` process: {e}"));
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let (stdout, stderr, over) = read_bounded(stdout, stderr, request.max_output)
        .await
        .map_err(lost)?;
    if over {
        // Dropping the guard kills the whole group: the script and what it started.
        drop(group);
        let _ = child.wait().await;
        let result = process_output(&stdout, &stderr, None, Some(libc::SIGKILL));
        return Err(ActionError::failed(
            format!(
                "command printed more than {} (the step's `max-output`); it was stopped",
                human_size(request.max_output)
            ),
            Some(result),
        ));
    }
    let status = child.wait().await.map_err(lost)?;
    // The script is done: its group no longer needs killing.
    std::mem::forget(group);
    Ok(Finished {
        stdout,
        stderr,
        status,
    })
}

/// Reads stdout and stderr together until both close, or until they hold
/// more than `limit` bytes between them (then `true`: what was read stays,
/// up to the limit).
async fn read_bounded(
    stdout: Option<tokio::process::ChildStdout>,
    stderr: Option<tokio::process::ChildStderr>,
    limit: u64,
) -> std::io::Result<(Vec<u8>, Vec<u8>, bool)> {
    use tokio::io::AsyncReadExt;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let (mut out_open, mut err_open) = (stdout.is_some(), stderr.is_some());
    let (mut stdout, mut stderr) = (stdout, stderr);
    let (mut out_buf, mut err_buf) = ([0u8; 8192], [0u8; 8192]);
    while out_open || err_open {
        tokio::select! {
            n = async { stdout.as_mut().expect("open").read(&mut out_buf).await }, if out_open => {
                let n = n?;
                out_open = n > 0;
                out.extend_from_slice(&out_buf[..n]);
            }
            n = async { stderr.as_mut().expect("open").read(&mut err_buf).await }, if err_open => {
                let n = n?;
                err_open = n > 0;
                err.extend_from_slice(&err_buf[..n]);
            }
        }
        if (out.len() + err.len()) as u64 > limit {
            let keep = usize::try_from(limit).unwrap_or(usize::MAX);
            out.truncate(keep);
            err.truncate(keep.saturating_sub(out.len()));
            return Ok((out, err, true));
        }
    }
    Ok((out, err, false))
}

/// `16 MiB`, `512 KiB`, `1000 bytes`.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

pub fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

/// Kills a process group when dropped: the step was cancelled (deadline,
/// Ctrl-C) before its script finished.
struct GroupGuard(u32);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let Ok(pgid) = libc::pid_t::try_from(self.0) else {
            return;
        };
        // SAFETY: killpg only sends a signal; the group was created for this
        // script by `process_group(0)`, so its id is the script's pid.
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
    }
}
