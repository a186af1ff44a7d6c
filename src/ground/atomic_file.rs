//! Replacing a file atomically: readers see the old content or the new one,
//! never a half-written file, and an interrupted write leaves the old file
//! intact. Used for reports, and for recordings and snapshots.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes temporary files of concurrent writes within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically.
///
/// The bytes go to a temporary file in the same directory
/// (`.{name}.{pid}.{n}.tmp`), which is flushed to disk and then renamed
/// over `path`. An existing file's permissions are kept. On any error the
/// temporary file is removed and `path` is left as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file path", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };

    let mut tmp_name = OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = dir.join(tmp_name);
    remove_stale(dir, name);

    let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    let guard = TempGuard(Some(tmp));
    fill(file, path, bytes)?;
    fs::rename(guard.path(), path)?;
    guard.disarm();
    sync_dir(dir);
    Ok(())
}

/// Removes the temporary files that writes of `name` left behind when
/// their process was killed (SIGKILL, a power cut) before it could clean
/// up: those whose process no longer exists. Best effort: a file that
/// cannot be removed stays, and the write goes on.
fn remove_stale(dir: &Path, name: &std::ffi::OsStr) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = stale_pid(&file_name.to_string_lossy(), &prefix) else {
            continue;
        };
        if pid != std::process::id() && !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in `.{name}.{pid}.{n}.tmp`, when `file_name` is one of
/// ours for `name`.
fn stale_pid(file_name: &str, prefix: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, n) = rest.split_once('.')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

fn process_exists(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn fill(mut file: File, target: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(meta) = fs::metadata(target) {
        file.set_permissions(meta.permissions())?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename itself durable. Best effort: not every platform or
/// file system allows syncing a directory, and the write has succeeded.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes the temporary file unless disarmed.
struct TempGuard(Option<PathBuf>);

impl TempGuard {
    fn path(&self) -> &Path {
        self.0.as_deref().expect("armed guard")
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_writer_s_temporary_file_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.recording.yaml");
        // A process that has exited: its pid is free (until reused).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".x.recording.yaml.{gone}.0.tmp"));
        let running = dir
            .path()
            .join(format!(".x.recording.yaml.{}.99.tmp", std::process::id()));
        let other = dir.path().join(format!(".y.recording.yaml.{gone}.0.tmp"));
        for f in [&stale, &running, &other] {
            fs::write(f, "half").unwrap();
        }
        write_atomic(&path, b"whole").unwrap();
        assert!(!stale.exists(), "the dead writer's temporary file stays");
        assert!(running.exists(), "a running writer's file is not ours to remove");
        assert!(
            other.exists(),
            "another file's temporary file is not ours to remove"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "whole");
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn creates_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert_eq!(entries(dir.path()), ["report.json"]);
    }

    #[test]
    fn replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xml");
        fs::write(&path, "old content that is longer").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(entries(dir.path()), ["report.xml"]);
    }

    #[test]
    fn missing_directory_fails_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("report.json");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn failed_rename_keeps_the_old_file_and_removes_the_temp_file() {
        // Renaming a file over a non-empty directory fails after the
        // temporary file was written: the guard must remove it.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep"), "kept").unwrap();
        assert!(write_atomic(&target, b"x").is_err());
        assert_eq!(entries(dir.path()), ["out"]);
        assert_eq!(fs::read_to_string(target.join("keep")).unwrap(), "kept");
    }

    #[test]
    fn keeps_permissions_of_the_existing_file() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("script.sh");
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"new").unwrap();
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
    }

    #[test]
    fn path_without_file_name_is_rejected() {
        let err = write_atomic(Path::new(""), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
