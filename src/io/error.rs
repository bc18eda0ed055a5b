//! Files that could not be written: the error names the path and says what
//! the system said, with a plain word for a full disk.

use std::io;
use std::path::{Path, PathBuf};

/// A file or folder that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {}", path.display(), describe_io(source))]
pub struct OutputError {
    /// What could not be written.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// What the OS said, with a plain word for a full disk.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            format!("the disk is full ({e}); free some space or write elsewhere")
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            format!("{e}; choose a folder you can write with --out")
        }
        _ => e.to_string(),
    }
}

/// Attaches the path to an I/O error.
pub trait WithPath<T> {
    /// Names `path` in the error.
    fn at(self, path: &Path) -> Result<T, OutputError>;
}

impl<T, E: Into<io::Error>> WithPath<T> for Result<T, E> {
    fn at(self, path: &Path) -> Result<T, OutputError> {
        self.map_err(|e| OutputError {
            path: path.to_path_buf(),
            source: e.into(),
        })
    }
}
