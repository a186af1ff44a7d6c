//! Reading an input file: a workflow, a recording, a report, a manifest,
//! a `file://` value. Only regular files are read, and only up to a limit:
//! a FIFO would block the run for good, `/dev/zero` would fill memory, and
//! a file far larger than any lab is a mistake that is cheaper to refuse
//! than to parse.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// A workflow file: the largest lab is tens of kilobytes.
pub const WORKFLOW_LIMIT: u64 = 1024 * 1024;
/// A recording, a report, a manifest or a `file://` value: live captures
/// with long watches reach a few megabytes.
pub const DATA_LIMIT: u64 = 64 * 1024 * 1024;

/// Why a file was not read: the words for an error message, which name
/// neither the file (the caller does) nor a hint.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("it is a {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("it is larger than the limit of {} MiB", .0 / (1024 * 1024))]
    TooLarge(u64),
}

/// The bytes of the regular file at `path`, if it holds at most `limit`.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // O_NONBLOCK: opening a FIFO that has no writer returns at once, so
    // that its type can be refused instead of waiting for a writer.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(&kind)));
    }
    read_at_most(file, limit)
}

/// The text of the regular file at `path`, if it holds at most `limit`
/// bytes of UTF-8.
pub fn read_to_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

fn read_at_most(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        "folder"
    } else if kind.is_fifo() {
        "FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "device"
    } else if kind.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "abc").unwrap();
        assert_eq!(read(&path, 3).unwrap(), b"abc");
        assert!(matches!(read(&path, 2), Err(ReadError::TooLarge(2))));
    }

    #[test]
    fn a_fifo_and_a_device_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo only creates a file at a path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read(&fifo, 10).unwrap_err();
        assert_eq!(err.to_string(), "it is a FIFO (named pipe), not a regular file");
        let err = read(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(err.to_string(), "it is a device, not a regular file");
        let err = read(dir.path(), 10).unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");
    }
}
