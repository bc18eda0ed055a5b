//! Reading files that shorecast did not write itself: scenarios, posteriors,
//! partial results. Every one is untrusted input, so a read takes only a
//! regular file (never a device such as `/dev/zero`, a FIFO that would block, or
//! a folder) and never more bytes than its kind can legitimately hold: the size
//! is checked before anything is allocated, and the read itself is bounded in
//! case the file grows meanwhile.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

/// Largest scenario file read (far above any real one, with room for many firms).
pub const MAX_SCENARIO_BYTES: u64 = 64 << 20;

/// Largest posterior file read: a million particles of a few dozen inputs.
pub const MAX_POSTERIOR_BYTES: u64 = 1 << 30;

/// Largest partial result read by `merge`.
pub const MAX_PARTIAL_BYTES: u64 = 1 << 30;

/// Whether a symbolic link at the path itself is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// A link to a regular file is read (a user's own scenario may be one).
    Follow,
    /// A link is refused (files in shared folders: partial results).
    Refuse,
}

/// Reads the regular file `path`, refusing anything larger than `limit` bytes.
/// The error explains what was found instead, in words for the user.
pub fn read_bytes(path: &Path, limit: u64, links: Links) -> io::Result<Vec<u8>> {
    let meta = match links {
        Links::Follow => fs::metadata(path)?,
        Links::Refuse => fs::symlink_metadata(path)?,
    };
    check_kind(&meta)?;
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let file = open(path, links)?;
    // The opened file is checked again: the path may have changed in between.
    let meta = file.metadata()?;
    check_kind(&meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Reads the regular file `path` as UTF-8 text, bounded as [`read_bytes`].
pub fn read_text(path: &Path, limit: u64, links: Links) -> io::Result<String> {
    String::from_utf8(read_bytes(path, limit, links)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "it is not UTF-8 text; save it as UTF-8",
        )
    })
}

/// Opens without blocking on a FIFO and, when links are refused, without
/// following one.
#[cfg(unix)]
fn open(path: &Path, links: Links) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = rustix::fs::OFlags::NONBLOCK;
    if links == Links::Refuse {
        flags |= rustix::fs::OFlags::NOFOLLOW;
    }
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path, _links: Links) -> io::Result<File> {
    File::open(path)
}

fn check_kind(meta: &fs::Metadata) -> io::Result<()> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link, which shorecast does not follow here"
    } else {
        "a device, pipe or socket"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file"),
    ))
}

fn too_large(size: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("it is too large ({size} bytes, at most {limit} are read); check the path"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_links_and_large_files_are_refused() {
        let tmp = tempfile::TempDir::new().unwrap();
        let file = tmp.path().join("a.toml");
        fs::write(&file, "x = 1\n").unwrap();
        assert_eq!(read_text(&file, 100, Links::Refuse).unwrap(), "x = 1\n");
        let err = read_text(&file, 3, Links::Follow).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
        let err = read_bytes(tmp.path(), 100, Links::Follow).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        #[cfg(unix)]
        {
            let err = read_bytes(Path::new("/dev/zero"), 100, Links::Follow).unwrap_err();
            assert!(err.to_string().contains("device"), "{err}");
            let link = tmp.path().join("link.toml");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_text(&link, 100, Links::Follow).unwrap(), "x = 1\n");
            let err = read_bytes(&link, 100, Links::Refuse).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
            let fifo = tmp.path().join("fifo");
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &fifo,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::from_raw_mode(0o600),
                0,
            )
            .unwrap();
            let err = read_bytes(&fifo, 100, Links::Follow).unwrap_err();
            assert!(err.to_string().contains("pipe"), "{err}");
        }
        let err = read_text(&tmp.path().join("missing"), 100, Links::Follow).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
