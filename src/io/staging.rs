//! Output folders that never lose a user's files.
//!
//! - **Only shorecast's files are deleted.** Every folder shorecast writes holds
//!   a marker file, [`MARKER`], naming the version and command that wrote it and
//!   listing every file it wrote with its size and SHA-256. An existing `--out`
//!   is used only when it is empty, or when everything in it is a file that its
//!   marker lists, unchanged (files the user deleted may be missing). Anything
//!   else (a user's notes, an edited report, a marker without a list, a file, a
//!   symbolic link) is refused before any simulation, naming what is in the way
//!   ([`StageError::Refused`]): a marker alone proves nothing, since anyone can
//!   copy one.
//! - **While a run writes**, its hidden staging folder's marker lists the names
//!   of the files it is writing (each added before the file is created); a
//!   staging folder left by a dead run is deleted only when it holds nothing
//!   else.
//! - **One run at a time per folder.** A run holds an advisory lock on a hidden
//!   lock file beside the folder (`.NAME.lock`) from start to finish; a second run
//!   into the same folder is refused ([`StageError::Busy`]) rather than racing.
//! - **One atomic swap.** Files are written into a hidden sibling staging folder
//!   (`.NAME.partial-PID`, marker first). On Linux the complete staging folder and
//!   the old folder trade places in one `renameat2(RENAME_EXCHANGE)` call, so at
//!   every instant the path holds either the complete old results or the complete
//!   new ones; the old results, now in the staging path, are then deleted. A new
//!   folder is moved into place with `RENAME_NOREPLACE`.
//! - **Fallback** (other systems, or a file system that cannot exchange): the old
//!   folder is renamed aside to `.NAME.previous-PID`, then the new one into place.
//!   A process killed between those two renames leaves the path missing for an
//!   instant; the next run into the same folder puts the previous results back
//!   before doing anything else.
//! - **Stale folders are cleaned.** Staging and previous folders whose process is
//!   gone are removed (or restored) by the next run into the same place, under the
//!   lock; only folders that pass the checks above (or empty ones) are deleted.
//! - **Signals.** [`abandon`] removes the staging folder of the run in progress, so
//!   a signal handler can stop cleanly; it waits for a swap under way to finish.
//!
//! For tests only: when the environment variable `SHORECAST_TEST_ABORT_AT` names a
//! step (`locked`, `staged`, `written`, `aside`, `swapped`, `cleaned`), the process
//! aborts there, as if killed, so the fault-injection tests can check every step;
//! `SHORECAST_TEST_NO_EXCHANGE` forces the fallback swap (where `aside` is).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::io::error::{OutputError, WithPath};

/// The marker file inside every folder shorecast writes.
pub const MARKER: &str = ".shorecast-output";

/// The marker being rewritten (renamed over [`MARKER`] when complete).
const MARKER_TMP: &str = ".shorecast-output.tmp";

/// The heading of a finished folder's file list in its marker.
const DONE_HEADING: &str = "files (SHA-256, bytes, name):";

/// The heading of a staging folder's list of the files being written.
const WRITING_HEADING: &str = "files being written:";

/// Largest marker read: a list of a few hundred files.
const MAX_MARKER_BYTES: u64 = 1 << 20;

/// Why an output folder cannot be staged.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The path holds something shorecast did not write (bad input: exit 2).
    #[error("{} {reason}", path.display())]
    Refused {
        /// The output path given.
        path: PathBuf,
        /// What is there and how to proceed.
        reason: String,
    },
    /// Another run is writing the same folder.
    #[error(
        "another shorecast run{holder} is writing {}; wait for it to finish, or choose another folder with --out",
        path.display()
    )]
    Busy {
        /// The output path given.
        path: PathBuf,
        /// " (process N)" when known.
        holder: String,
    },
    /// The file system said no.
    #[error(transparent)]
    Io(#[from] OutputError),
}

/// The staging folder of the run in progress and its target, for [`abandon`].
static ACTIVE: Mutex<Option<Active>> = Mutex::new(None);

/// What a signal handler must clean up.
#[derive(Clone)]
struct Active {
    staging: PathBuf,
    target: PathBuf,
    lock: PathBuf,
}

/// A folder being written: files go to a hidden staging folder until
/// [`StagedDir::commit`] swaps it in. Dropped without commit, it removes itself.
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    parent: PathBuf,
    name: String,
    /// The advisory lock, released when dropped.
    _lock: Lock,
    committed: bool,
    /// The files written so far, in order, each with its marker line (the
    /// last one may still be being written).
    written: Mutex<Vec<(String, String)>>,
}

impl StagedDir {
    /// Checks that `target` may be written, locks it and starts a staging folder
    /// beside it (parents are created as needed). Fails before any simulation.
    pub fn new(target: &Path) -> Result<StagedDir, StageError> {
        let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(refused(
                target,
                "does not name a folder; give a folder name such as --out results",
            ));
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // The folder itself, not what a trailing `/` or `/.` would reach through
        // a link: `results/.` is `results`.
        let target = &match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(&name),
            _ => PathBuf::from(&name),
        };
        check_kind(target)?;
        fs::create_dir_all(&parent).at(&parent)?;
        // From here on, a failure (a full disk, say) removes the lock file.
        let lock = lock_beside(target, &parent, &name)?;
        test_hook("locked");
        clean_stale(target, &parent, &name)?;
        // Checked under the lock only: another run may be swapping its results
        // in until then, and a folder read half before and half after a swap
        // would look changed.
        check_replaceable(target)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        // Left by an earlier process of the same number: removed only if ours.
        if fs::symlink_metadata(&staging).is_ok() {
            remove_if_ours(&staging, Written::InProgress).at(&staging)?;
            if fs::symlink_metadata(&staging).is_ok() {
                return Err(refused(
                    &staging,
                    "is in the way of the staging folder and is not one of shorecast's; move it \
                     away, or choose another --out",
                ));
            }
        }
        fs::create_dir(&staging).at(&staging)?;
        *active() = Some(Active {
            staging: staging.clone(),
            target: target.to_path_buf(),
            lock: lock.path.clone(),
        });
        let dir = StagedDir {
            target: target.to_path_buf(),
            staging,
            parent,
            name,
            _lock: lock,
            committed: false,
            written: Mutex::new(Vec::new()),
        };
        write_marker(&dir.staging, &marker_text(WRITING_HEADING, &[]))?;
        test_hook("staged");
        Ok(dir)
    }

    /// The path of `file` inside the staging folder (to name it in errors).
    pub fn file(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// Writes `contents` to `file`.
    pub fn write(&self, file: &str, contents: impl AsRef<[u8]>) -> Result<(), OutputError> {
        self.write_with(file, |path| fs::write(path, contents).at(path))
    }

    /// Lets `write` create `file` at the path it is given (for writers that take
    /// a path, such as the PNG encoder). The file is listed in the staging
    /// folder's marker before it is created.
    pub fn write_with(
        &self,
        file: &str,
        write: impl FnOnce(&Path) -> Result<(), OutputError>,
    ) -> Result<(), OutputError> {
        assert!(
            plain_name(file) && file != MARKER && file != MARKER_TMP,
            "output file names are plain names: {file}"
        );
        let path = self.file(file);
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        // Listed before it is created, without a checksum: the one file a
        // dead run's staging folder may hold unfinished.
        written.retain(|(name, _)| name != file);
        written.push((file.to_string(), format!("- - {file}")));
        let lines: Vec<String> = written.iter().map(|(_, line)| line.clone()).collect();
        write_marker(&self.staging, &marker_text(WRITING_HEADING, &lines))?;
        write(&path)?;
        let size = fs::metadata(&path).at(&path)?.len();
        let line = format!("{} {size} {file}", hash_file(&path).at(&path)?);
        if let Some(last) = written.last_mut() {
            last.1 = line;
        }
        Ok(())
    }

    /// Replaces the target folder with the staged one in one step, then deletes
    /// the old results.
    pub fn commit(mut self) -> Result<PathBuf, StageError> {
        // Every file was hashed as it was written: the list is final.
        let mut written = self
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        written.sort();
        let manifest: Vec<String> = written.into_iter().map(|(_, line)| line).collect();
        write_marker(&self.staging, &marker_text(DONE_HEADING, &manifest))?;
        sync_folder(&self.staging)?;
        test_hook("written");
        let mut active = active();
        // The folder may have changed during the run.
        check_replaceable(&self.target)?;
        let existed = fs::symlink_metadata(&self.target).is_ok();
        if existed {
            swap(&self.staging, &self.target, &self.parent, &self.name)?;
        } else {
            move_new(&self.staging, &self.target)?;
        }
        self.committed = true;
        test_hook("swapped");
        if existed {
            // The staging path now holds the old results (or the empty folder),
            // checked under the lock just before the swap.
            remove_if_ours(&self.staging, Written::Finished).at(&self.staging)?;
        }
        *active = None;
        drop(active);
        if let Ok(dir) = File::open(&self.parent) {
            let _ = dir.sync_all();
        }
        test_hook("cleaned");
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.staging);
            let mut active = active();
            if active.as_ref().is_some_and(|a| a.staging == self.staging) {
                *active = None;
            }
        }
    }
}

/// A held lock file: removed, then let go, when dropped.
struct Lock {
    /// Held open for its advisory lock.
    file: File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Removes the staging folder of the run in progress, if any, and returns the
/// output folder it was for (left as it was). Meant for signal handlers: it
/// waits for a swap under way, and the caller should exit right after, while
/// nothing else can start a swap.
pub fn abandon() -> Option<PathBuf> {
    let active = active();
    let Active {
        staging,
        target,
        lock,
    } = active.clone()?;
    // The main thread may still be writing into it: try a few times.
    for _ in 0..20 {
        match remove_ours(&staging) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            _ => break,
        }
    }
    let _ = fs::remove_file(lock);
    // Keep the lock on ACTIVE until the process exits.
    std::mem::forget(active);
    Some(target)
}

fn active() -> std::sync::MutexGuard<'static, Option<Active>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn refused(path: &Path, reason: &str) -> StageError {
    StageError::Refused {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Whether `target` is absent, an empty folder or a folder shorecast wrote.
fn check_replaceable(target: &Path) -> Result<(), StageError> {
    if !check_kind(target)? {
        return Ok(());
    }
    match check_ours(target, Written::Finished).at(target)? {
        Ours::Yes => Ok(()),
        Ours::No(why) => Err(refused(
            target,
            &format!(
                "{why}, so shorecast will not replace it: it deletes only the files it wrote. \
                 Choose a new or empty folder with --out, or move those files away first"
            ),
        )),
    }
}

/// Whether `target` exists as a real folder (`false`: nothing there), refusing
/// a link or a file; from its metadata alone, so it can run before the lock.
fn check_kind(target: &Path) -> Result<bool, StageError> {
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StageError::Io(Err::<(), _>(e).at(target).unwrap_err())),
    };
    if meta.file_type().is_symlink() {
        return Err(refused(
            target,
            "is a symbolic link; shorecast does not replace links. Give the folder it points to, or another --out",
        ));
    }
    if !meta.is_dir() {
        return Err(refused(
            target,
            "is a file, not a results folder; shorecast will not replace it. Choose another --out (a new or empty folder)",
        ));
    }
    Ok(true)
}

/// Which marker a folder must carry to be shorecast's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Written {
    /// A finished folder: every file listed with its size and SHA-256.
    Finished,
    /// A staging folder of a dead run: the files it was writing, by name.
    InProgress,
}

/// Whether a folder may be deleted, and if not, why.
#[derive(Debug, PartialEq, Eq)]
enum Ours {
    Yes,
    No(String),
}

/// Whether everything in `dir` is a file shorecast wrote there: an empty
/// folder, or one whose marker lists every other entry (unchanged, for a
/// finished folder). The reason names what is in the way.
fn check_ours(dir: &Path, kind: Written) -> io::Result<Ours> {
    // A link to a folder is not one: its files are someone else's.
    if !fs::symlink_metadata(dir)?.is_dir() {
        return Ok(Ours::No("is not a folder".to_string()));
    }
    let mut entries: Vec<(String, fs::FileType)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.push((
            entry.file_name().to_string_lossy().into_owned(),
            entry.file_type()?,
        ));
    }
    if entries.is_empty() {
        return Ok(Ours::Yes);
    }
    let listed = match read_marker(dir)? {
        // A dead run's staging folder may have finished its list, or (after a
        // swap) hold the old results.
        Some((heading, listed)) if heading == kind || kind == Written::InProgress => listed,
        Some((Written::InProgress, _)) => {
            return Ok(Ours::No(format!(
                "holds the files of an unfinished run (its {MARKER} lists no checksums)"
            )));
        }
        _ if entries.iter().any(|(name, _)| name == MARKER) => {
            return Ok(Ours::No(format!(
                "has a {MARKER} marker without a readable list of the files shorecast wrote \
                 (written by shorecast 0.4 or earlier, or copied or edited by hand)"
            )));
        }
        _ => {
            return Ok(Ours::No(format!(
                "already holds files that shorecast did not write ({})",
                list_names(entries.iter().map(|(n, _)| n.as_str()))
            )));
        }
    };
    let mut strangers = Vec::new();
    let mut changed = Vec::new();
    for (name, file_type) in &entries {
        let marker = name == MARKER || (kind == Written::InProgress && name == MARKER_TMP);
        if marker && file_type.is_file() {
            continue;
        }
        let Some(entry) = listed.iter().find(|e| e.name == *name) else {
            strangers.push(name.as_str());
            continue;
        };
        if !file_type.is_file() {
            changed.push(name.as_str());
            continue;
        }
        if let Some((size, sha256)) = &entry.digest {
            let path = dir.join(name);
            if fs::symlink_metadata(&path)?.len() != *size || hash_file(&path)? != *sha256 {
                changed.push(name.as_str());
            }
        }
    }
    let mut why = Vec::new();
    if !strangers.is_empty() {
        why.push(format!(
            "holds files that shorecast did not write there ({})",
            list_names(strangers.into_iter())
        ));
    }
    if !changed.is_empty() {
        why.push(format!(
            "holds files changed since shorecast wrote them ({})",
            list_names(changed.into_iter())
        ));
    }
    Ok(if why.is_empty() {
        Ours::Yes
    } else {
        Ours::No(why.join(" and "))
    })
}

/// Up to five names, then how many more.
fn list_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let shown: Vec<String> = names
        .iter()
        .take(5)
        .map(|n| crate::io::terminal::terminal_safe(n))
        .collect();
    match names.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

/// One file named in a marker.
#[derive(Debug, PartialEq, Eq)]
struct Listed {
    name: String,
    /// Size and hex SHA-256, for a finished folder.
    digest: Option<(u64, String)>,
}

/// Reads the marker of `dir`: which list it holds and the files on it; `None`
/// when there is no marker, it is not a regular file, or it does not read as
/// one shorecast writes.
fn read_marker(dir: &Path) -> io::Result<Option<(Written, Vec<Listed>)>> {
    let path = dir.join(MARKER);
    let meta = match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        other => other?,
    };
    if !meta.is_file() || meta.len() > MAX_MARKER_BYTES {
        return Ok(None);
    }
    let mut text = String::new();
    if File::open(&path)?
        .take(MAX_MARKER_BYTES)
        .read_to_string(&mut text)
        .is_err()
    {
        return Ok(None);
    }
    Ok(parse_marker(&text))
}

/// The list in a marker's text (see [`marker_text`]).
fn parse_marker(text: &str) -> Option<(Written, Vec<Listed>)> {
    if !text.starts_with("shorecast ") {
        return None;
    }
    let mut lines = text.lines();
    let kind = loop {
        match lines.next()? {
            DONE_HEADING => break Written::Finished,
            WRITING_HEADING => break Written::InProgress,
            _ => {}
        }
    };
    let mut listed = Vec::new();
    let mut pending = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, ' ');
        let (sha256, size, name) = (parts.next()?, parts.next()?, parts.next()?);
        let entry = if (sha256, size) == ("-", "-") && kind == Written::InProgress {
            // The one file a run was writing when it stopped.
            pending += 1;
            Listed {
                name: name.to_string(),
                digest: None,
            }
        } else {
            let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return None;
            }
            Listed {
                name: name.to_string(),
                digest: Some((size.parse().ok()?, sha256.to_ascii_lowercase())),
            }
        };
        if pending > 1 {
            return None;
        }
        if !plain_name(&entry.name) {
            return None;
        }
        listed.push(entry);
    }
    Some((kind, listed))
}

/// A name that stays inside its folder and reads on one line.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

/// Hex SHA-256 of a file's contents.
fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Writes the marker of `dir` whole: a temporary file renamed over it, so a
/// kill never leaves half a list.
fn write_marker(dir: &Path, text: &str) -> Result<(), OutputError> {
    let tmp = dir.join(MARKER_TMP);
    fs::write(&tmp, text).at(&tmp)?;
    let path = dir.join(MARKER);
    fs::rename(&tmp, &path).at(&path)
}

/// Takes the advisory lock on `.NAME.lock` beside the target. The lock file is
/// removed by its holder before it lets go, so a run that locked a file just
/// removed tries again with the new one.
fn lock_beside(target: &Path, parent: &Path, name: &str) -> Result<Lock, StageError> {
    let path = parent.join(format!(".{name}.lock"));
    loop {
        let file = open_lock(&path).map_err(|e| {
            if is_link_error(&e) {
                refused(
                    &path,
                    "is a symbolic link; shorecast does not write through links. Remove it, or \
                     choose another --out",
                )
            } else {
                StageError::Io(Err::<(), _>(e).at(&path).unwrap_err())
            }
        })?;
        check_lock_file(&file, &path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&path)
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .map_or_else(String::new, |pid| format!(" (process {pid})"));
                return Err(StageError::Busy {
                    path: target.to_path_buf(),
                    holder,
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Err::<(), _>(e).at(&path).unwrap_err().into());
            }
        }
        if !same_file(&file, &path) {
            continue;
        }
        let mut lock = Lock { file, path };
        // From the start: the check above read the file to its end.
        lock.file.set_len(0).at(&lock.path)?;
        io::Seek::rewind(&mut lock.file).at(&lock.path)?;
        write!(lock.file, "{}", std::process::id()).at(&lock.path)?;
        return Ok(lock);
    }
}

/// Opens (creating if needed) a lock file, never through a symbolic link.
fn open_lock(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

/// Whether opening failed because the path is a symbolic link.
fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Refuses a lock path that holds something other than a lock of shorecast's
/// (empty, or a process number): it is truncated and removed by its holder, so
/// it must be no one else's file, nor a second name of one (a hard link).
fn check_lock_file(file: &File, path: &Path) -> Result<(), StageError> {
    let meta = file.metadata().at(path)?;
    #[cfg(unix)]
    let links = std::os::unix::fs::MetadataExt::nlink(&meta);
    #[cfg(not(unix))]
    let links = 1;
    let mut text = String::new();
    let ours = meta.is_file()
        && links == 1
        && meta.len() <= 20
        && (&*file).read_to_string(&mut text).is_ok()
        && text.bytes().all(|b| b.is_ascii_digit());
    if ours {
        Ok(())
    } else {
        Err(refused(
            path,
            "is in the way: shorecast keeps its lock there (a process number), and this file \
             holds something else or is a second name of another file. Move it away, or choose \
             another --out",
        ))
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> bool {
    true
}

/// Removes staging folders of dead runs and puts back previous results that a
/// fallback swap left aside (called under the lock).
fn clean_stale(target: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    let partial = format!(".{name}.partial-");
    let previous = format!(".{name}.previous-");
    for entry in fs::read_dir(parent).at(parent)? {
        let entry = entry.at(parent)?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (is_previous, pid) = if let Some(pid) = file_name.strip_prefix(&partial) {
            (false, pid)
        } else if let Some(pid) = file_name.strip_prefix(&previous) {
            (true, pid)
        } else {
            continue;
        };
        // Only the names shorecast writes: a process number in plain digits.
        let canonical =
            !pid.is_empty() && !pid.starts_with('0') && pid.bytes().all(|b| b.is_ascii_digit());
        let Some(pid) = pid.parse::<u32>().ok().filter(|_| canonical) else {
            continue;
        };
        if process_alive(pid) && pid != std::process::id() {
            continue;
        }
        // Only real folders: a link or a file of that name is left alone.
        if !entry.file_type().at(parent)?.is_dir() {
            continue;
        }
        let path = entry.path();
        let previous_ours = || check_ours(&path, Written::Finished).is_ok_and(|o| o == Ours::Yes);
        if is_previous && fs::symlink_metadata(target).is_err() {
            // Previous results of shorecast's put back; anything else stays.
            if previous_ours() {
                fs::rename(&path, target).at(target)?;
            }
        } else if is_previous {
            remove_if_ours(&path, Written::Finished).at(&path)?;
        } else {
            remove_if_ours(&path, Written::InProgress).at(&path)?;
        }
    }
    Ok(())
}

/// Deletes `dir` if everything in it is shorecast's ([`check_ours`]); leaves
/// anything else alone.
fn remove_if_ours(dir: &Path, kind: Written) -> io::Result<()> {
    match check_ours(dir, kind) {
        Ok(Ours::Yes) => remove_ours(dir),
        Ok(Ours::No(_)) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Deletes a folder of shorecast's, its marker last: a deletion cut short by a
/// kill leaves a folder that still says it is shorecast's, so the next run
/// finishes the job instead of protecting the remains as a user's files.
fn remove_ours(dir: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        // Files only: shorecast writes no folders, so a folder here is not
        // its own and stops the deletion (the remove_dir below then fails).
        if entry.file_type()?.is_dir() {
            continue;
        }
        fs::remove_file(entry.path())?;
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Flushes every file of `dir` and the folder itself to disk.
fn sync_folder(dir: &Path) -> Result<(), OutputError> {
    for entry in fs::read_dir(dir).at(dir)? {
        let path = entry.at(dir)?.path();
        File::open(&path).and_then(|f| f.sync_all()).at(&path)?;
    }
    File::open(dir).and_then(|f| f.sync_all()).at(dir)
}

/// Whether process `pid` still exists.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // EPERM means it exists but belongs to someone else.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Unknown: treat as alive, so nothing of a live run is ever removed.
    true
}

/// Moves `staging` to the absent `target`, refusing to replace anything that
/// appeared meanwhile.
fn move_new(staging: &Path, target: &Path) -> Result<(), OutputError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if !unsupported(e) => return Err(io::Error::from(e)).at(target),
            Err(_) => {}
        }
    }
    fs::rename(staging, target).at(target)
}

/// Trades `staging` and `target` in one step where the system can.
fn swap(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if std::env::var_os("SHORECAST_TEST_NO_EXCHANGE").is_none() {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if !unsupported(e) => return Err(io::Error::from(e)).at(target),
            Err(_) => {}
        }
    }
    // Fallback: two renames; the next run restores `previous` if killed between.
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    fs::rename(target, &previous).at(target)?;
    test_hook("aside");
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&previous, target);
        return Err(e).at(target);
    }
    // Leave the old results where commit() deletes them.
    fs::rename(&previous, staging).at(staging)
}

/// Whether a rename flag is unsupported here (old kernel, other file system).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn unsupported(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP
}

/// The marker's text: what wrote the folder, what the marker means, and the
/// list under `heading` (one line per file).
fn marker_text(heading: &str, files: &[String]) -> String {
    let command: Vec<String> = std::env::args().collect();
    let mut text = format!(
        "shorecast {}\ncommand: {}\n\nThis folder was written by shorecast: a later run with the same \
         --out replaces it whole, provided it holds only the files listed below, unchanged. \
         Delete this file to protect the folder from being replaced.\n\n{heading}\n",
        env!("CARGO_PKG_VERSION"),
        crate::io::terminal::terminal_safe(&command.join(" ")).replace('\n', " ")
    );
    for line in files {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Kills the process at `step` when the test-only variable asks for it.
fn test_hook(step: &str) {
    if std::env::var_os("SHORECAST_TEST_ABORT_AT").is_some_and(|s| s == step) {
        #[cfg(unix)]
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The finished list of `dir`: `SHA256 SIZE NAME` for every file but the marker.
    fn manifest(dir: &Path) -> Result<Vec<String>, OutputError> {
        let mut lines = Vec::new();
        for entry in fs::read_dir(dir).at(dir)? {
            let entry = entry.at(dir)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == MARKER || name == MARKER_TMP {
                continue;
            }
            let path = entry.path();
            let size = entry.metadata().at(&path)?.len();
            lines.push(format!("{} {size} {name}", hash_file(&path).at(&path)?));
        }
        lines.sort_by(|a, b| a.splitn(3, ' ').nth(2).cmp(&b.splitn(3, ' ').nth(2)));
        Ok(lines)
    }

    /// A finished folder of two files, as a run leaves it.
    fn finished(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("summary.json"), "{}\n").unwrap();
        fs::write(dir.join("report.html"), "<html></html>\n").unwrap();
        let manifest = manifest(dir).unwrap();
        write_marker(dir, &marker_text(DONE_HEADING, &manifest)).unwrap();
    }

    fn why(dir: &Path, kind: Written) -> String {
        match check_ours(dir, kind).unwrap() {
            Ours::Yes => "ours".to_string(),
            Ours::No(why) => why,
        }
    }

    #[test]
    fn only_folders_whose_every_file_is_listed_unchanged_are_ours() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("out");
        finished(&dir);
        assert_eq!(why(&dir, Written::Finished), "ours");
        // A file the user deleted may be missing.
        fs::remove_file(dir.join("report.html")).unwrap();
        assert_eq!(why(&dir, Written::Finished), "ours");
        // A user's file, or an edited one, is in the way, named.
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(why(&dir, Written::Finished).contains("did not write there (notes.txt)"));
        fs::remove_file(dir.join("notes.txt")).unwrap();
        fs::write(dir.join("summary.json"), "{ }\n").unwrap();
        assert!(
            why(&dir, Written::Finished)
                .contains("changed since shorecast wrote them (summary.json)")
        );
        // Same size, other bytes.
        fs::write(dir.join("summary.json"), "[]\n").unwrap();
        assert!(why(&dir, Written::Finished).contains("changed"));
        // A folder in place of a listed file.
        fs::remove_file(dir.join("summary.json")).unwrap();
        fs::create_dir(dir.join("summary.json")).unwrap();
        assert!(why(&dir, Written::Finished).contains("changed"));
    }

    #[test]
    fn a_marker_alone_proves_nothing() {
        let tmp = tempfile::TempDir::new().unwrap();
        let real = tmp.path().join("real");
        finished(&real);
        let user = tmp.path().join("thesis");
        fs::create_dir(&user).unwrap();
        fs::write(user.join("chapter1.tex"), "mine").unwrap();
        for marker in [
            String::new(),
            "anything".to_string(),
            "shorecast 0.4.0\ncommand: shorecast run\n\nThis folder was written by shorecast\n"
                .to_string(),
            fs::read_to_string(real.join(MARKER)).unwrap(),
            format!(
                "shorecast 9\n{DONE_HEADING}\n{} 4 chapter1.tex\n",
                "0".repeat(64)
            ),
            format!("shorecast 9\n{DONE_HEADING}\nnot a line\n"),
            format!(
                "shorecast 9\n{DONE_HEADING}\n{} 4 ../chapter1.tex\n",
                "0".repeat(64)
            ),
        ] {
            fs::write(user.join(MARKER), &marker).unwrap();
            assert_ne!(why(&user, Written::Finished), "ours", "{marker:?}");
            remove_if_ours(&user, Written::Finished).unwrap();
            assert!(user.join("chapter1.tex").exists(), "{marker:?}");
        }
        // A marker that is a link is no marker.
        #[cfg(unix)]
        {
            let linked = tmp.path().join("linked");
            fs::create_dir(&linked).unwrap();
            std::os::unix::fs::symlink(real.join(MARKER), linked.join(MARKER)).unwrap();
            assert_ne!(why(&linked, Written::Finished), "ours");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_and_strangers_beside_the_folder_are_never_followed_or_deleted() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::TempDir::new().unwrap();
        let target = tmp.path().join("out");
        let lock = tmp.path().join(".out.lock");
        let thesis = tmp.path().join("thesis.tex");
        fs::write(&thesis, "mine").unwrap();
        let refused = |what: &str| {
            assert!(
                matches!(StagedDir::new(&target), Err(StageError::Refused { .. })),
                "{what}"
            );
            assert_eq!(fs::read_to_string(&thesis).unwrap(), "mine", "{what}");
        };
        symlink(&thesis, &lock).unwrap();
        refused("a lock that links to a user's file");
        fs::remove_file(&lock).unwrap();
        fs::hard_link(&thesis, &lock).unwrap();
        refused("a lock that is a second name of a user's file");
        fs::remove_file(&lock).unwrap();
        fs::write(&lock, "notes").unwrap();
        assert!(matches!(
            StagedDir::new(&target),
            Err(StageError::Refused { .. })
        ));
        assert_eq!(fs::read_to_string(&lock).unwrap(), "notes");
        fs::remove_file(&lock).unwrap();
        // Named like a dead run's folders: a link to other results, a file,
        // and a user's folder where previous results would be.
        let keep = tmp.path().join("keep");
        finished(&keep);
        symlink(&keep, tmp.path().join(".out.partial-999999")).unwrap();
        fs::write(tmp.path().join(".out.partial-999998"), "a file").unwrap();
        let previous = tmp.path().join(".out.previous-999999");
        fs::create_dir(&previous).unwrap();
        fs::write(previous.join("notes.txt"), "mine").unwrap();
        // A dead run's lock (its process number) is taken over, rewritten whole.
        fs::write(&lock, "4194999").unwrap();
        let dir = StagedDir::new(&target).unwrap();
        assert_eq!(
            fs::read_to_string(&lock).unwrap(),
            std::process::id().to_string()
        );
        drop(dir);
        assert_eq!(fs::read_dir(&keep).unwrap().count(), 3, "keep is whole");
        assert!(previous.join("notes.txt").exists() && !target.exists());
        assert!(tmp.path().join(".out.partial-999998").exists());
        assert!(!lock.exists());
    }

    #[test]
    fn a_dead_runs_staging_folder_is_removed_only_with_the_files_it_was_writing() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join(".out.partial-1");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("summary.json"), "{}").unwrap();
        let done = manifest(&dir).unwrap();
        let listed = [done[0].clone(), "- - fan.png".to_string()];
        write_marker(&dir, &marker_text(WRITING_HEADING, &listed)).unwrap();
        // Cut off while writing: the file may be partial.
        fs::write(dir.join("fan.png"), "half a pic").unwrap();
        fs::write(dir.join(MARKER_TMP), "half a marker").unwrap();
        assert_eq!(why(&dir, Written::InProgress), "ours");
        // An in-progress list does not pass as a finished folder.
        assert_ne!(why(&dir, Written::Finished), "ours");
        fs::write(dir.join("other.txt"), "not listed").unwrap();
        remove_if_ours(&dir, Written::InProgress).unwrap();
        assert!(dir.join("other.txt").exists());
        fs::remove_file(dir.join("other.txt")).unwrap();
        // A finished file changed, a second file without checksum, or a folder
        // where the marker's temporary file goes: not ours.
        fs::write(dir.join("summary.json"), "[]").unwrap();
        assert_ne!(why(&dir, Written::InProgress), "ours");
        fs::write(dir.join("summary.json"), "{}").unwrap();
        let two = [done[0].clone(), "- - fan.png".into(), "- - a.svg".into()];
        write_marker(&dir, &marker_text(WRITING_HEADING, &two)).unwrap();
        assert_ne!(why(&dir, Written::InProgress), "ours");
        write_marker(&dir, &marker_text(WRITING_HEADING, &listed)).unwrap();
        let _ = fs::remove_file(dir.join(MARKER_TMP));
        fs::create_dir_all(dir.join(MARKER_TMP).join("deep")).unwrap();
        fs::write(dir.join(MARKER_TMP).join("deep/thesis.tex"), "mine").unwrap();
        remove_if_ours(&dir, Written::InProgress).unwrap();
        assert!(dir.join(MARKER_TMP).join("deep/thesis.tex").exists());
        fs::remove_dir_all(dir.join(MARKER_TMP)).unwrap();
        remove_if_ours(&dir, Written::InProgress).unwrap();
        assert!(!dir.exists());
    }
}
