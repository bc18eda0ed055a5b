//! Shards: one process simulates a contiguous share of the paths and writes its
//! unfinished statistics as a partial result; [`merge`] combines the partial
//! results of all shards into exactly the statistics a single run would have.
//!
//! Path `i` draws only from streams keyed by `(seed, i, purpose)` and every
//! accumulated figure is an integer, so cutting the paths into shards loses
//! nothing: merged statistics are bit-identical to a single run's.
//!
//! A partial result is one file, [`PARTIAL_FILE`], laid out as the magic bytes
//! [`MAGIC`], the format version as a little-endian `u32`, then a [`Header`] in
//! postcard (a compact, documented serde format), a [`Body`] in postcard
//! compressed with DEFLATE (zlib): histograms are stored densely, and their
//! runs of zeros shrink five- to tenfold), and last the SHA-256 of everything
//! before it, so a truncated or damaged file is refused whole, header included.
//! The header carries everything needed to check that shards belong together
//! and to rebuild the scenario for writing outputs (the scenario files' text
//! itself, and the posterior's, so that `merge` reads no file a shard names).
//!
//! Shards in a shared cluster folder are input from other people, so a file
//! that checks out is still not trusted: [`Partial::decode`] refuses another
//! shorecast version, names that are not plain file names, a body larger than
//! its header declares (decompression stops there), and statistics that
//! disagree with themselves or with the header's paths, before anything is
//! merged.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::compare::PartialComparison;
use crate::analysis::plan::{PartialPlan, PlanChoices};
use crate::core::scenario::Target;
use crate::core::stats::Accumulator;

/// Name of the partial-result file inside a shard's output folder.
pub const PARTIAL_FILE: &str = "partial.shorecast";

/// First bytes of every partial-result file.
pub const MAGIC: &[u8; 16] = b"shorecast-shard\n";

/// Version of the partial-result layout; bumped whenever [`Header`] or
/// [`Body`] change shape.
pub const FORMAT_VERSION: u32 = 4;

/// Largest decompressed body read: far above a real shard's statistics
/// (a few megabytes for Oujda), far below what would exhaust memory.
pub const MAX_BODY_BYTES: u64 = 128 << 20;

/// Longest file stem a shard may carry (it names the merged folder).
const MAX_STEM_CHARS: usize = 200;

/// Most paths of a sharded run, all shards together. Histograms count each
/// value in 32 bits, so no merged count may pass `u32::MAX`.
pub const MAX_SHARDED_PATHS: u64 = crate::core::stats::MAX_MERGED_PATHS;

/// Shard `index` of `count` (counted from 1, as in `--shard 3/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u64,
    /// How many shards share the paths.
    pub count: u64,
}

impl Shard {
    /// Reads `K/N` with `1 <= K <= N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let fix = "write it K/N with 1 <= K <= N, for example --shard 3/8";
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a shard; {fix}"))?;
        let number = |s: &str| s.trim().parse::<u64>().ok();
        match (number(k), number(n)) {
            (Some(index), Some(count)) if index >= 1 && index <= count => {
                Ok(Shard { index, count })
            }
            _ => Err(format!("`{text}` is not a shard; {fix}")),
        }
    }

    /// The paths of this shard among `total`: the `index`-th of `count`
    /// contiguous ranges whose sizes differ by at most one.
    pub fn paths(self, total: u64) -> Range<u64> {
        let bound = |k: u64| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        bound(self.index - 1)..bound(self.index)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Which command wrote a partial result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// `shorecast run`.
    Run,
    /// `shorecast compare`.
    Compare,
    /// `shorecast plan`.
    Plan,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Run => "run",
            Kind::Compare => "compare",
            Kind::Plan => "plan",
        })
    }
}

/// A scenario file as it was read, kept so that the merge rebuilds exactly the
/// scenario the shards simulated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceText {
    /// Where it came from, as errors name it.
    pub origin: String,
    /// File name without extension, for the default output folder.
    pub stem: String,
    /// The file's text.
    pub text: String,
}

/// What identifies a shard and the run it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// shorecast's version that wrote the file.
    pub shorecast_version: String,
    /// The command.
    pub kind: Kind,
    /// SHA-256 of the scenario file(s) as read (as in `summary.json`).
    pub scenario_sha256: String,
    /// SHA-256 of the resolved scenario(s), command-line overrides included.
    pub resolved_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Paths of the whole run, all shards together.
    pub paths: u64,
    /// This shard.
    pub shard: Shard,
    /// The paths this shard simulated.
    pub path_range: Range<u64>,
    /// Trajectories kept for charts (of the first paths of the whole run).
    pub sample_paths: u64,
    /// Whether a comparison gave each option its own streams.
    pub independent_streams: bool,
    /// Wall-clock time of this shard's simulation.
    pub elapsed_seconds: f64,
    /// The scenario files, in the order they were given.
    pub sources: Vec<SourceText>,
    /// The posterior the paths drew their inputs from, as `posterior.csv`
    /// text (`None`: the priors).
    pub posterior: Option<String>,
    /// For a plan: what its answer looks for (none for other kinds).
    pub plan: Option<PlanChoices>,
    /// Bytes of the body once decompressed.
    pub body_bytes: u64,
}

/// The unfinished statistics of a shard.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Body {
    /// A run's accumulator.
    Run(Accumulator),
    /// A comparison's accumulators and paired sums.
    Compare(PartialComparison),
    /// A plan's sums per package.
    Plan(PartialPlan),
}

impl Body {
    /// Whether the statistics agree with themselves and cover `paths` paths.
    fn is_consistent(&self, paths: u64) -> bool {
        match self {
            Body::Run(a) => a.paths() == paths && a.is_consistent(),
            Body::Compare(c) => c.is_consistent(paths),
            Body::Plan(p) => p.is_consistent(paths),
        }
    }

    /// Bytes the statistics take.
    fn heap_bytes(&self) -> u64 {
        match self {
            Body::Run(a) => a.heap_bytes(),
            Body::Compare(c) => c.accumulators.iter().map(Accumulator::heap_bytes).sum(),
            Body::Plan(p) => p.heap_bytes(),
        }
    }

    /// Whether `other` can be merged into this one.
    fn same_shape(&self, other: &Body) -> bool {
        match (self, other) {
            (Body::Run(a), Body::Run(b)) => a.same_shape(b),
            (Body::Compare(a), Body::Compare(b)) => a.same_shape(b),
            (Body::Plan(a), Body::Plan(b)) => a.same_shape(b),
            _ => false,
        }
    }

    /// Adds everything `other` holds (of the same kind).
    fn merge(self, other: Body) -> Body {
        match (self, other) {
            (Body::Run(a), Body::Run(b)) => Body::Run(a.merge(b)),
            (Body::Compare(a), Body::Compare(b)) => Body::Compare(a.merge(b)),
            (Body::Plan(a), Body::Plan(b)) => Body::Plan(a.merge(b)),
            _ => unreachable!("kinds are checked equal before merging"),
        }
    }

    /// True when the body has the shape a run of `options` options (1 for a
    /// run) over `paths` paths with this horizon, target and sample limit makes.
    pub fn fits(
        &self,
        options: usize,
        paths: u64,
        horizon: u32,
        target: Target,
        sample_limit: u64,
    ) -> bool {
        let fits = |a: &Accumulator| a.paths() == paths && a.fits(horizon, target, sample_limit);
        match self {
            // A run's statistics also carry the headcounts its verdict pairs
            // with its counterfactuals.
            Body::Run(a) => {
                options == 1
                    && fits(a)
                    && a.target_limit() == crate::analysis::findings::verdict_paths(paths)
            }
            Body::Compare(c) => {
                c.accumulators.len() == options
                    && c.sums.len() == options
                    && c.accumulators.iter().all(fits)
            }
            Body::Plan(p) => p.fits(options),
        }
    }
}

/// A shard's partial result.
#[derive(Clone, Debug)]
pub struct Partial {
    /// What it belongs to.
    pub header: Header,
    /// Its statistics.
    pub body: Body,
}

/// Hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Partial {
    /// The file's bytes (the header's `body_bytes` is set here).
    pub fn encode(&self) -> Vec<u8> {
        let plain = postcard::to_stdvec(&self.body).expect("a partial result always serialises");
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(&plain)
            .expect("compressing into memory cannot fail");
        let body = zlib.finish().expect("compressing into memory cannot fail");
        let mut header = self.header.clone();
        header.body_bytes = plain.len() as u64;
        let header = postcard::to_stdvec(&header).expect("a header always serialises");
        let mut bytes = Vec::with_capacity(MAGIC.len() + 4 + header.len() + body.len() + 32);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&header);
        bytes.extend_from_slice(&body);
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        bytes
    }

    /// Reads a file's bytes back; `path` names the file in errors.
    pub fn decode(bytes: &[u8], path: &Path) -> Result<Partial, ShardError> {
        let corrupt = |why: String| ShardError::Corrupt {
            path: path.to_path_buf(),
            why,
        };
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| corrupt("it does not start as a shorecast partial result".into()))?;
        let (version, _) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| corrupt("it ends before its format version".into()))?;
        let version = u32::from_le_bytes(*version);
        if version != FORMAT_VERSION {
            return Err(ShardError::Format {
                path: path.to_path_buf(),
                found: version,
            });
        }
        let checked = bytes
            .len()
            .checked_sub(32)
            .filter(|&n| n >= MAGIC.len() + 4);
        let Some(checked) = checked else {
            return Err(corrupt("it ends before its checksum".into()));
        };
        if Sha256::digest(&bytes[..checked]).as_slice() != &bytes[checked..] {
            return Err(corrupt(
                "it does not match its checksum (truncated or damaged)".into(),
            ));
        }
        let rest = &bytes[MAGIC.len() + 4..checked];
        let (header, body): (Header, &[u8]) = postcard::take_from_bytes(rest)
            .map_err(|e| corrupt(format!("its header cannot be read ({e})")))?;
        if header.shorecast_version != env!("CARGO_PKG_VERSION") {
            return Err(ShardError::Version {
                path: path.to_path_buf(),
                found: header.shorecast_version,
            });
        }
        check_header(&header).map_err(corrupt)?;
        let mut plain = Vec::with_capacity(header.body_bytes as usize);
        flate2::read::ZlibDecoder::new(body)
            .take(header.body_bytes + 1)
            .read_to_end(&mut plain)
            .map_err(|e| corrupt(format!("its statistics cannot be decompressed ({e})")))?;
        if plain.len() as u64 != header.body_bytes {
            return Err(corrupt(format!(
                "its statistics decompress to {} bytes where its header declares {}",
                plain.len(),
                header.body_bytes
            )));
        }
        let body: Body = postcard::from_bytes(&plain)
            .map_err(|e| corrupt(format!("its statistics cannot be read ({e})")))?;
        let kind_matches = matches!(
            (&body, header.kind),
            (Body::Run(_), Kind::Run)
                | (Body::Compare(_), Kind::Compare)
                | (Body::Plan(_), Kind::Plan)
        );
        if !kind_matches {
            return Err(corrupt("its header contradicts itself".into()));
        }
        let range = &header.path_range;
        if !body.is_consistent(range.end - range.start) {
            return Err(corrupt(
                "its statistics disagree with themselves or with its paths".into(),
            ));
        }
        Ok(Partial { header, body })
    }

    /// Reads the partial result in the folder `dir`: a regular file of at most
    /// [`MAX_PARTIAL_BYTES`](crate::input::file::MAX_PARTIAL_BYTES), never
    /// through a symbolic link.
    pub fn read(dir: &Path) -> Result<Partial, ShardError> {
        use crate::input::file::{Links, MAX_PARTIAL_BYTES, read_bytes};
        let path = dir.join(PARTIAL_FILE);
        let bytes = read_bytes(&path, MAX_PARTIAL_BYTES, Links::Refuse).map_err(|source| {
            if source.kind() == io::ErrorKind::NotFound {
                ShardError::NotAPartial {
                    dir: dir.to_path_buf(),
                }
            } else {
                ShardError::Read {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        Partial::decode(&bytes, &path)
    }
}

/// Checks the parts of a header that nothing else checks: its shard and path
/// range agree, its sizes are within bounds, and its file stems are plain
/// names (they name the merged folder, so must not lead elsewhere).
fn check_header(h: &Header) -> Result<(), String> {
    let range_matches = h.shard.index >= 1
        && h.shard.index <= h.shard.count
        && h.paths <= MAX_SHARDED_PATHS
        && h.shard.paths(h.paths) == h.path_range;
    if !range_matches {
        return Err("its header contradicts itself (shard, paths and range)".into());
    }
    if h.shard.count > h.paths {
        return Err("its header contradicts itself (more shards than paths)".into());
    }
    if !(h.elapsed_seconds.is_finite() && (0.0..1e9).contains(&h.elapsed_seconds)) {
        return Err("its header gives an impossible elapsed time".into());
    }
    if h.body_bytes > MAX_BODY_BYTES {
        return Err(format!(
            "its header declares {} bytes of statistics, more than the {MAX_BODY_BYTES} shorecast reads",
            h.body_bytes
        ));
    }
    if h.sources.is_empty() {
        return Err("its header holds no scenario file".into());
    }
    match (h.kind, &h.plan) {
        (Kind::Plan, Some(choices)) if choices.is_valid() => {}
        (Kind::Plan, _) => return Err("its header gives a plan impossible choices".into()),
        (_, Some(_)) => return Err("its header contradicts itself (plan choices)".into()),
        (_, None) => {}
    }
    if let Some(bad) = h.sources.iter().find(|s| !is_plain_stem(&s.stem)) {
        return Err(format!(
            "its header names the output folder {:?}, which is not a plain file name",
            crate::io::terminal::terminal_safe(&bad.stem)
        ));
    }
    Ok(())
}

/// A file stem that is safe as a folder name under `output/`: not empty, not
/// hidden, no separators, no control characters, of reasonable length.
pub fn is_plain_stem(stem: &str) -> bool {
    !stem.is_empty()
        && !stem.starts_with('.')
        && stem.chars().count() <= MAX_STEM_CHARS
        && !stem.chars().any(|c| {
            c.is_control()
                || crate::core::local_text::is_hidden(c)
                || matches!(c, '/' | '\\' | ':' | '\u{200b}'..='\u{200f}' | '\u{feff}')
        })
}

/// Why partial results could not be read or merged. All are bad input.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// No folder given.
    #[error(
        "no shard folder given; give the folders written by `run --shard` or `compare --shard`"
    )]
    NoInput,
    /// A file could not be read.
    #[error("cannot read {}; check the path and its permissions", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A folder without a partial result.
    #[error(
        "{} holds no {PARTIAL_FILE}; give the folders written by `run --shard` or `compare --shard` (or a folder of them)",
        dir.display()
    )]
    NotAPartial {
        /// The folder.
        dir: PathBuf,
    },
    /// Another layout version.
    #[error(
        "{} is a partial result of format version {found}, and this shorecast reads version {FORMAT_VERSION}; run every shard and the merge with the same shorecast",
        path.display()
    )]
    Format {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u32,
    },
    /// Statistics that would take more memory than allowed.
    #[error(
        "merging {} would take the statistics to {} of memory, more than the {} allowed; real shards' statistics stay far smaller, so check where these files come from (or raise the limit with --max-memory)",
        path.display(), crate::analysis::budget::show_bytes(*bytes), crate::analysis::budget::show_bytes(*max_bytes)
    )]
    TooLarge {
        /// The shard folder merged last.
        path: PathBuf,
        /// Bytes of the merged statistics.
        bytes: u64,
        /// The limit.
        max_bytes: u64,
    },
    /// Written by another shorecast.
    #[error(
        "{} was written by shorecast {found}, and this is shorecast {}; run every shard and the merge with the same shorecast",
        path.display(), env!("CARGO_PKG_VERSION")
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version it names.
        found: String,
    },
    /// A damaged file.
    #[error("{} is damaged: {why}; run that shard again", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// Two shards of different runs.
    #[error(
        "{} and {} are shards of different runs: {field} is {first_value} in the first and {other_value} in the second; merge only shards of one run (same scenario, seed, paths, shard count and shorecast version)",
        first.display(), other.display()
    )]
    Mismatch {
        /// What differs.
        field: &'static str,
        /// The first shard's folder.
        first: PathBuf,
        /// Its value.
        first_value: String,
        /// The other shard's folder.
        other: PathBuf,
        /// Its value.
        other_value: String,
    },
    /// The same shard twice.
    #[error(
        "shard {shard} is given twice, in {} and {}; give each shard once",
        first.display(), second.display()
    )]
    Duplicate {
        /// Which.
        shard: Shard,
        /// One folder.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// Shards not given.
    #[error("{absent} of {count} shards missing: {}; run them (or find their folders) and merge again", missing.join(", "))]
    Missing {
        /// How many shards the run has.
        count: u64,
        /// How many are missing.
        absent: u64,
        /// Each missing shard with its paths.
        missing: Vec<String>,
    },
}

/// The folders holding partial results among `dirs`: each folder that holds
/// [`PARTIAL_FILE`] itself, or else its subfolders that do (so `merge shards/`
/// takes a whole folder of shard folders), in name order.
pub fn partial_dirs(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, ShardError> {
    let mut found = Vec::new();
    // A link is not followed (the file is read without following one too):
    // a folder of shards from other people may point anywhere.
    let holds_partial =
        |dir: &Path| fs::symlink_metadata(dir.join(PARTIAL_FILE)).is_ok_and(|m| m.is_file());
    for dir in dirs {
        if fs::symlink_metadata(dir.join(PARTIAL_FILE)).is_ok() {
            found.push(dir.clone());
            continue;
        }
        let entries = fs::read_dir(dir).map_err(|source| ShardError::Read {
            path: dir.clone(),
            source,
        })?;
        let mut inner: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) && holds_partial(p))
            .collect();
        if inner.is_empty() {
            return Err(ShardError::NotAPartial { dir: dir.clone() });
        }
        inner.sort();
        found.extend(inner);
    }
    if found.is_empty() {
        return Err(ShardError::NoInput);
    }
    Ok(found)
}

/// The merged statistics of a complete set of shards.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The header of the first shard read: the run's identity (its shard
    /// fields are that shard's).
    pub header: Header,
    /// The statistics of all paths.
    pub body: Body,
    /// The shards' simulation times added up, in shard order.
    pub elapsed_seconds: f64,
}

/// Checks that `parts` (each with the folder it came from, or the error of
/// reading it) are all the shards of one run, each once, and merges them. Each
/// shard is merged as soon as it is read, so memory holds two shards' statistics
/// at most; integer merges give the same statistics in any order.
pub fn merge(
    parts: impl IntoIterator<Item = Result<(PathBuf, Partial), ShardError>>,
    max_bytes: u64,
) -> Result<Merged, ShardError> {
    let mut first: Option<(PathBuf, Header, Body)> = None;
    let mut seen: BTreeMap<u64, (PathBuf, f64)> = BTreeMap::new();
    for part in parts {
        let (dir, Partial { header, body }) = part?;
        if let Some((first_dir, h, first_body)) = &first {
            check_same_run(first_dir, h, &dir, &header)?;
            if !first_body.same_shape(&body) {
                return Err(ShardError::Corrupt {
                    path: dir.join(PARTIAL_FILE),
                    why: format!(
                        "its statistics have another shape than those of {}",
                        first_dir.display()
                    ),
                });
            }
        }
        if let Some((earlier, _)) = seen.get(&header.shard.index) {
            return Err(ShardError::Duplicate {
                shard: header.shard,
                first: earlier.clone(),
                second: dir,
            });
        }
        seen.insert(header.shard.index, (dir.clone(), header.elapsed_seconds));
        let last = dir.clone();
        let merged = match first {
            None => (dir, header, body),
            Some((first_dir, h, merged)) => (first_dir, h, merged.merge(body)),
        };
        // Statistics of real shards stay small; crafted ones could claim
        // ever more distinct values: the merge stops at the memory limit.
        let bytes = merged.2.heap_bytes();
        if bytes > max_bytes {
            return Err(ShardError::TooLarge {
                path: last,
                bytes,
                max_bytes,
            });
        }
        first = Some(merged);
    }
    let Some((_, header, body)) = first else {
        return Err(ShardError::NoInput);
    };
    let count = header.shard.count;
    let absent = count - seen.len() as u64;
    if absent > 0 {
        // At most ten named: the count may be large.
        let mut missing: Vec<String> = (1..=count)
            .filter(|k| !seen.contains_key(k))
            .take(10)
            .map(|k| {
                let shard = Shard { index: k, count };
                let r = shard.paths(header.paths);
                format!("{shard} (paths {} to {})", r.start, r.end.saturating_sub(1))
            })
            .collect();
        if absent > 10 {
            missing.push(format!("and {} more", absent - 10));
        }
        return Err(ShardError::Missing {
            count,
            absent,
            missing,
        });
    }
    Ok(Merged {
        header,
        body,
        elapsed_seconds: seen.values().map(|(_, seconds)| seconds).sum(),
    })
}

/// Refuses a shard (`other`, from `dir`) of another run than the first one
/// read, naming the first field that differs.
fn check_same_run(first_dir: &Path, h: &Header, dir: &Path, o: &Header) -> Result<(), ShardError> {
    // The most specific difference first: seed and paths are part of the
    // resolved scenario too. The scenario's SHA-256 covers the files' text
    // (not where they were read from: shards may see them at other paths).
    let posterior = |h: &Header| {
        h.posterior.as_ref().map_or_else(
            || "none (the priors)".to_string(),
            |t| hex_sha256(t.as_bytes()),
        )
    };
    let checks: [(&'static str, String, String); 10] = [
        (
            "the shorecast version",
            h.shorecast_version.clone(),
            o.shorecast_version.clone(),
        ),
        ("the command", h.kind.to_string(), o.kind.to_string()),
        ("the seed", h.seed.to_string(), o.seed.to_string()),
        (
            "the number of paths",
            h.paths.to_string(),
            o.paths.to_string(),
        ),
        (
            "the number of shards",
            h.shard.count.to_string(),
            o.shard.count.to_string(),
        ),
        (
            "the number of sample paths",
            h.sample_paths.to_string(),
            o.sample_paths.to_string(),
        ),
        (
            "the random-stream mode",
            streams(h.independent_streams).to_string(),
            streams(o.independent_streams).to_string(),
        ),
        (
            "the scenario's SHA-256",
            h.scenario_sha256.clone(),
            o.scenario_sha256.clone(),
        ),
        (
            "the resolved scenario's SHA-256",
            h.resolved_sha256.clone(),
            o.resolved_sha256.clone(),
        ),
        ("the posterior's SHA-256", posterior(h), posterior(o)),
    ];
    match checks.into_iter().find(|(_, a, b)| a != b) {
        Some((field, first_value, other_value)) => Err(ShardError::Mismatch {
            field,
            first: first_dir.to_path_buf(),
            first_value,
            other: dir.to_path_buf(),
            other_value,
        }),
        None => Ok(()),
    }
}

/// How a comparison's random streams are named in messages.
fn streams(independent: bool) -> &'static str {
    if independent { "independent" } else { "common" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_paths_once_in_order() {
        for total in [1u64, 2, 7, 1000, 1_000_003] {
            for count in 1..=9u64.min(total) {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.paths(total);
                    assert_eq!(r.start, next, "{index}/{count} of {total}");
                    assert!(r.end - r.start >= total / count);
                    assert!(r.end - r.start <= total.div_ceil(count));
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    /// Shard `shard` of a run of `total` paths of `scenario`.
    fn partial(scenario: &crate::core::scenario::Scenario, total: u64, shard: Shard) -> Partial {
        let options = crate::core::engine::RunOptions {
            paths: total,
            seed: 5,
            sample_paths: 4,
            target_paths: crate::analysis::findings::verdict_paths(total),
        };
        let paths = shard.paths(total);
        let body = Body::Run(crate::core::engine::accumulate(
            scenario,
            options,
            paths.clone(),
            &|_| {},
        ));
        let header = Header {
            shorecast_version: env!("CARGO_PKG_VERSION").into(),
            kind: Kind::Run,
            scenario_sha256: "s".into(),
            resolved_sha256: "r".into(),
            seed: 5,
            paths: total,
            shard,
            path_range: paths,
            sample_paths: 4,
            independent_streams: false,
            elapsed_seconds: 0.0,
            sources: vec![SourceText {
                origin: "oujda.toml".into(),
                stem: "oujda".into(),
                text: String::new(),
            }],
            posterior: None,
            plan: None,
            body_bytes: 0,
        };
        Partial { header, body }
    }

    #[test]
    fn shards_survive_the_file_and_merge_exactly_in_any_order() {
        let (scenario, _) =
            crate::input::policy::load_with_policies(crate::input::oujda::OUJDA, "oujda")
                .expect("the built-in scenario loads");
        let (total, horizon, target) = (60, scenario.meta.horizon_months, scenario.target);
        let finished = |body: Body| match body {
            Body::Run(a) => format!("{:?}", a.finish()),
            Body::Compare(_) | Body::Plan(_) => unreachable!("a run"),
        };
        let whole = partial(&scenario, total, Shard { index: 1, count: 1 });
        let expected = finished(whole.body);
        for count in [2, 3, 7] {
            let mut files: Vec<(PathBuf, Vec<u8>)> = (1..=count)
                .map(|index| {
                    let p = partial(&scenario, total, Shard { index, count });
                    (PathBuf::from(format!("shard-{index}")), p.encode())
                })
                .collect();
            files.rotate_left(1);
            files.reverse();
            let merged = merge(
                files
                    .iter()
                    .map(|(dir, bytes)| Partial::decode(bytes, dir).map(|p| (dir.clone(), p))),
                u64::MAX,
            )
            .expect("a complete set merges");
            // The same set against a memory limit it passes: refused, named.
            let limited = merge(
                files
                    .iter()
                    .map(|(dir, bytes)| Partial::decode(bytes, dir).map(|p| (dir.clone(), p))),
                1000,
            );
            assert!(matches!(limited, Err(ShardError::TooLarge { .. })));
            assert!(merged.body.fits(1, total, horizon, target, 4));
            assert!(!merged.body.fits(1, total + 1, horizon, target, 4));
            assert!(!merged.body.fits(1, total, horizon + 1, target, 4));
            assert!(!merged.body.fits(2, total, horizon, target, 4));
            assert_eq!(finished(merged.body), expected, "{count} shards");
        }
        // Statistics without the verdict's headcounts (or with too few) are
        // refused, not merged into a verdict that cannot pair its paths.
        let mut without = crate::core::stats::Accumulator::new(horizon, target, 4);
        let mut trajectory = crate::core::model::Trajectory::new(horizon);
        for path in 0..total {
            crate::core::model::simulate_path(
                &scenario,
                5,
                path,
                &mut crate::core::model::Workspace::default(),
                &mut trajectory,
            );
            without.add(path, &trajectory);
        }
        let without = Body::Run(without.settled());
        assert!(!without.fits(1, total, horizon, target, 4));
    }

    /// A file of `header` and the plain body `plain` exactly as given (no field
    /// set for it), compressed and sealed with a valid checksum: what a forger
    /// can write.
    fn sealed(header: &Header, plain: &[u8]) -> Vec<u8> {
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(plain).unwrap();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&postcard::to_stdvec(header).unwrap());
        bytes.extend_from_slice(&zlib.finish().unwrap());
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        bytes
    }

    fn refusal(bytes: &[u8]) -> String {
        match Partial::decode(bytes, Path::new("p")) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn forged_shards_are_refused_before_merging() {
        let (scenario, _) =
            crate::input::policy::load_with_policies(crate::input::oujda::OUJDA, "oujda")
                .expect("the built-in scenario loads");
        let good = partial(&scenario, 40, Shard { index: 1, count: 2 });
        let plain = postcard::to_stdvec(&good.body).unwrap();
        let with = |change: &dyn Fn(&mut Header)| {
            let mut h = good.header.clone();
            h.body_bytes = plain.len() as u64;
            change(&mut h);
            sealed(&h, &plain)
        };
        assert!(Partial::decode(&with(&|_| {}), Path::new("p")).is_ok());
        for (change, why) in [
            (
                &(|h: &mut Header| h.sources[0].stem = "../../victim".into())
                    as &dyn Fn(&mut Header),
                "not a plain file name",
            ),
            (
                &|h| h.sources[0].stem = "/tmp/x".into(),
                "not a plain file name",
            ),
            (
                &|h| h.sources[0].stem = ".hidden".into(),
                "not a plain file name",
            ),
            (&|h| h.sources.clear(), "no scenario file"),
            (
                &|h| h.shorecast_version = "9.9.9".into(),
                "written by shorecast 9.9.9",
            ),
            (&|h| h.body_bytes -= 1, "decompress to"),
            (&|h| h.body_bytes += 1, "decompress to"),
            (&|h| h.body_bytes = MAX_BODY_BYTES + 1, "more than"),
            (&|h| h.paths = u64::MAX, "contradicts itself"),
            (&|h| h.path_range = 0..21, "contradicts itself"),
            (&|h| h.kind = Kind::Compare, "contradicts itself"),
            (&|h| h.kind = Kind::Plan, "impossible choices"),
            (
                &|h| {
                    h.plan = Some(PlanChoices {
                        budget_per_year: None,
                        probability: 0.5,
                        value_per_job: None,
                    })
                },
                "contradicts itself (plan choices)",
            ),
            (
                &|h| {
                    h.kind = Kind::Plan;
                    h.plan = Some(PlanChoices {
                        budget_per_year: Some(f64::NAN),
                        probability: 2.0,
                        value_per_job: Some(-1.0),
                    })
                },
                "impossible choices",
            ),
            (&|h| h.elapsed_seconds = f64::NAN, "impossible elapsed time"),
            (&|h| h.elapsed_seconds = -1e308, "impossible elapsed time"),
            (
                &|h| {
                    h.paths = 300;
                    h.shard = Shard {
                        index: 2,
                        count: 1 << 50,
                    };
                    h.path_range = h.shard.paths(h.paths);
                },
                "more shards than paths",
            ),
        ] {
            let e = refusal(&with(change));
            assert!(e.contains(why), "expected {why:?}: {e}");
        }
        // Statistics that claim more histograms than any horizon has are
        // refused while read, before they are allocated.
        #[derive(Serialize)]
        enum FakeBody {
            Run(FakeAccumulator),
        }
        #[derive(Serialize)]
        struct FakeAccumulator {
            months: usize,
            target: crate::core::scenario::Target,
            sample_limit: u64,
            paths: u64,
            histograms: Vec<crate::core::stats::CountHistogram>,
        }
        let many = postcard::to_stdvec(&FakeBody::Run(FakeAccumulator {
            months: 37,
            target: scenario.target,
            sample_limit: 4,
            paths: 20,
            histograms: vec![Default::default(); 100_000],
        }))
        .unwrap();
        let e = refusal(&sealed(
            &Header {
                body_bytes: many.len() as u64,
                ..good.header.clone()
            },
            &many,
        ));
        assert!(e.contains("cannot be read"), "{e}");
        // A bomb: a megabyte of zeros declared as a few bytes stops there.
        let e = refusal(&sealed(
            &Header {
                body_bytes: 10,
                ..good.header.clone()
            },
            &vec![0u8; 1 << 20],
        ));
        assert!(e.contains("decompress to 11 bytes"), "{e}");
        // Statistics that were never settled (a crafted pending batch) or
        // that count other paths than the header's range.
        let (horizon, target) = (scenario.meta.horizon_months, scenario.target);
        let mut unsettled = crate::core::stats::Accumulator::new(horizon, target, 4)
            .keeping_target_headcounts(crate::analysis::findings::verdict_paths(40));
        let mut trajectory = crate::core::model::Trajectory::new(horizon);
        let mut work = crate::core::model::Workspace::default();
        for path in 0..20 {
            crate::core::model::simulate_path(&scenario, 5, path, &mut work, &mut trajectory);
            unsettled.add(path, &trajectory);
        }
        let settled_plain = postcard::to_stdvec(&Body::Run(unsettled.clone().settled())).unwrap();
        let unsettled_plain = postcard::to_stdvec(&Body::Run(unsettled)).unwrap();
        let over_twenty = |plain: &[u8]| {
            let header = Header {
                body_bytes: plain.len() as u64,
                paths: 40,
                shard: Shard { index: 1, count: 2 },
                path_range: 0..20,
                ..good.header.clone()
            };
            sealed(&header, plain)
        };
        assert!(Partial::decode(&over_twenty(&settled_plain), Path::new("p")).is_ok());
        // (an unsettled batch is refused while read: none is ever written)
        assert!(refusal(&over_twenty(&unsettled_plain)).contains("cannot be read"));
        let header = Header {
            body_bytes: settled_plain.len() as u64,
            paths: 60,
            shard: Shard { index: 1, count: 2 },
            path_range: 0..30,
            ..good.header.clone()
        };
        assert!(refusal(&sealed(&header, &settled_plain)).contains("disagree"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(300))]

        /// Any change to a partial result's bytes is refused, never a panic.
        #[test]
        fn damaged_files_are_refused(at in 0usize..100_000, xor in 1u8..=255, cut in 0usize..100_000) {
            let (scenario, _) = crate::input::policy::load_with_policies(crate::input::oujda::OUJDA, "oujda")
                .expect("the built-in scenario loads");
            let bytes = partial(&scenario, 12, Shard { index: 2, count: 3 }).encode();
            let mut flipped = bytes.clone();
            let at = at % bytes.len();
            flipped[at] ^= xor;
            proptest::prop_assert!(Partial::decode(&flipped, Path::new("p")).is_err());
            let cut = cut % bytes.len();
            proptest::prop_assert!(Partial::decode(&bytes[..cut], Path::new("p")).is_err());
        }

        /// Arbitrary headers and bodies behind a valid checksum (what a forger
        /// can write) are read or refused, never a panic or a runaway allocation.
        #[test]
        fn forged_contents_never_panic(
            header in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
            plain in proptest::collection::vec(proptest::num::u8::ANY, 0..2000),
            keep in 0usize..400,
        ) {
            let (scenario, _) = crate::input::policy::load_with_policies(crate::input::oujda::OUJDA, "oujda")
                .expect("the built-in scenario loads");
            let good = partial(&scenario, 12, Shard { index: 2, count: 3 });
            // A real header's first bytes, then noise; the noise as the body.
            let mut h = postcard::to_stdvec(&Header { body_bytes: plain.len() as u64, ..good.header }).unwrap();
            h.truncate(keep.min(h.len()));
            h.extend_from_slice(&header);
            let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            zlib.write_all(&plain).unwrap();
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            bytes.extend_from_slice(&h);
            bytes.extend_from_slice(&zlib.finish().unwrap());
            let digest = Sha256::digest(&bytes);
            bytes.extend_from_slice(&digest);
            let _ = Partial::decode(&bytes, Path::new("p"));
        }
    }

    #[test]
    fn shard_parsing_names_the_fix() {
        assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
        for bad in ["0/4", "5/4", "3", "a/b", "-1/4", "1/0"] {
            let e = Shard::parse(bad).unwrap_err();
            assert!(e.contains("K/N"), "{bad}: {e}");
        }
    }
}
