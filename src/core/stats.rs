//! Streaming statistics over paths: exact count histograms, a mergeable
//! accumulator of whole trajectories, and the finished [`Summary`].
//!
//! Every figure is accumulated in integers (counts and sums of counts), so merging
//! partial results is exact and gives the same answer in any order: the results do
//! not depend on how the work was split between threads. Memory grows with the
//! spread of the values seen, never with the number of paths.

use std::collections::BTreeMap;

use ndarray::{Array2, Array3};
use serde::{Deserialize, Serialize};

use crate::core::model::{Series, Trajectory};
use crate::core::scenario::Target;

/// Quantile levels reported, in percent.
pub const QUANTILES: [u32; 7] = [5, 10, 25, 50, 75, 90, 95];

/// The 97.5th percentile of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Beyond this many distinct slots a histogram stops storing counts densely.
const MAX_DENSE_WIDTH: usize = 1 << 16;

/// Below this many slots a histogram stays dense however few its values.
const SMALL_DENSE_WIDTH: usize = 1 << 12;

/// Bytes a sparse histogram spends per distinct value (a B-tree entry with its
/// share of the node), against 4 per slot when dense.
pub const SPARSE_ENTRY_BYTES: usize = 24;

/// Exact counts of whole-number values. Stored densely from the smallest value
/// seen while the values span at most `MAX_DENSE_WIDTH` slots and the slots
/// are not mostly empty (the usual case: fast, and a few hundred kilobytes at
/// most); otherwise sparsely, so memory is the smaller of the two: bounded by
/// the range of the values and by the number of distinct values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountHistogram {
    lo: u32,
    #[serde(deserialize_with = "bounded::<_, _, MAX_DENSE_WIDTH>")]
    counts: Vec<u32>,
    sparse: Option<BTreeMap<u32, u64>>,
}

impl CountHistogram {
    /// Counts one more `value`.
    #[inline]
    pub fn add(&mut self, value: u32) {
        self.add_all(&[value]);
    }

    /// Counts every value of `values` (one batch of paths): the range is
    /// widened once for the whole batch, then each value is one increment.
    #[inline]
    pub fn add_all(&mut self, values: &[u32]) {
        let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
            return;
        };
        if self.cover(min, max) {
            let counts = &mut self.counts[(min - self.lo) as usize..=(max - self.lo) as usize];
            for &v in values {
                counts[(v - min) as usize] += 1;
            }
        } else {
            let map = self.sparse.as_mut().expect("not dense, so sparse");
            let before = map.len();
            for &v in values {
                *map.entry(v).or_default() += 1;
            }
            // Back to dense storage once that is smaller, checked each time the
            // number of distinct values passes a power of two.
            if (before + 1..=map.len()).any(usize::is_power_of_two) {
                self.densify_if_smaller();
            }
        }
    }

    /// Widens the dense range to hold `min..=max`, and says whether it does;
    /// past [`MAX_DENSE_WIDTH`] slots the histogram turns sparse instead.
    fn cover(&mut self, min: u32, max: u32) -> bool {
        if self.sparse.is_some() {
            return false;
        }
        if self.counts.is_empty() {
            self.lo = min;
        }
        let (lo, hi) = (
            self.lo.min(min),
            (self.lo as usize + self.counts.len()).max(max as usize + 1),
        );
        let width = hi - lo as usize;
        if width > self.counts.len()
            && (width > MAX_DENSE_WIDTH
                || (width > SMALL_DENSE_WIDTH
                    && width * 4 > self.total() as usize * SPARSE_ENTRY_BYTES))
        {
            self.make_sparse();
            return false;
        }
        if min < self.lo {
            self.extend_down(min);
        }
        if hi - self.lo as usize > self.counts.len() {
            self.counts.resize(hi - self.lo as usize, 0);
        }
        true
    }

    fn extend_down(&mut self, value: u32) {
        let shift = (self.lo - value) as usize;
        self.counts.splice(0..0, std::iter::repeat_n(0, shift));
        self.lo = value;
    }

    fn make_sparse(&mut self) {
        let map = self.iter().collect();
        self.counts = Vec::new();
        self.sparse = Some(map);
    }

    /// Goes back to dense storage once that takes less memory.
    fn densify_if_smaller(&mut self) {
        let Some(map) = &self.sparse else {
            return;
        };
        let (Some((&lo, _)), Some((&hi, _))) = (map.first_key_value(), map.last_key_value()) else {
            return;
        };
        let width = (hi - lo) as usize + 1;
        if width > MAX_DENSE_WIDTH || width * 4 > map.len() * SPARSE_ENTRY_BYTES {
            return;
        }
        let mut counts = vec![0u32; width];
        for (&v, &c) in map {
            let Ok(c) = u32::try_from(c) else {
                return;
            };
            counts[(v - lo) as usize] = c;
        }
        (self.lo, self.counts, self.sparse) = (lo, counts, None);
    }

    /// Bytes of memory the counts take.
    pub fn heap_bytes(&self) -> usize {
        match &self.sparse {
            Some(map) => map.len() * SPARSE_ENTRY_BYTES,
            None => self.counts.capacity() * 4,
        }
    }

    /// Whether the counts are stored sparsely.
    pub fn is_sparse(&self) -> bool {
        self.sparse.is_some()
    }

    /// Adds all counts of `other`.
    pub fn merge(&mut self, other: &CountHistogram) {
        if other.total() == 0 {
            return;
        }
        if self.counts.is_empty() && self.sparse.is_none() {
            self.clone_from(other);
            return;
        }
        let dense_width = |h: &CountHistogram| (h.lo, h.lo as usize + h.counts.len());
        let ((a_lo, a_hi), (b_lo, b_hi)) = (dense_width(self), dense_width(other));
        // Dense slots count in 32 bits: a merge whose total could pass that
        // goes to the sparse form, whose counts are 64-bit.
        let fits = self.sparse.is_none()
            && other.sparse.is_none()
            && a_hi.max(b_hi) - a_lo.min(b_lo) as usize <= MAX_DENSE_WIDTH
            && self.total() + other.total() <= u64::from(u32::MAX);
        if !fits {
            if self.sparse.is_none() {
                self.make_sparse();
            }
            if let Some(map) = self.sparse.as_mut() {
                for (value, count) in other.iter() {
                    *map.entry(value).or_default() += count;
                }
            }
            self.densify_if_smaller();
            return;
        }
        if other.lo < self.lo {
            self.extend_down(other.lo);
        }
        let offset = (other.lo - self.lo) as usize;
        if offset + other.counts.len() > self.counts.len() {
            self.counts.resize(offset + other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts[offset..].iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
    }

    /// Whether the histogram is one that counting could have made, holding
    /// exactly `paths` values: a check on statistics read back from a file,
    /// after which merging and reading it cannot overflow or index out of range.
    pub fn is_well_formed(&self, paths: u64) -> bool {
        let total = match &self.sparse {
            Some(map) => {
                // Every value counted at least once: no more entries than paths.
                if !self.counts.is_empty() || map.values().any(|&c| c == 0) {
                    return false;
                }
                map.values().try_fold(0u64, |sum, &c| sum.checked_add(c))
            }
            None => {
                if self.counts.len() > MAX_DENSE_WIDTH
                    || u64::from(self.lo) + self.counts.len() as u64 > u64::from(u32::MAX) + 1
                {
                    return false;
                }
                Some(self.counts.iter().map(|&c| u64::from(c)).sum())
            }
        };
        total == Some(paths)
    }

    /// Number of values counted.
    pub fn total(&self) -> u64 {
        self.iter().map(|(_, c)| c).sum()
    }

    /// The `rank`-th smallest value (from 1), or `None` past the end.
    pub fn nth_smallest(&self, rank: u64) -> Option<u32> {
        let mut seen = 0u64;
        self.iter().find_map(|(value, count)| {
            seen += count;
            (seen >= rank).then_some(value)
        })
    }

    /// The `percent`-quantile: the smallest value whose cumulative share of the
    /// counts is at least `percent`/100.
    pub fn quantile(&self, percent: u32) -> Option<u32> {
        self.nth_smallest(quantile_rank(self.total(), percent))
    }

    /// The quantiles at each of `percents` (increasing), in one walk over the
    /// counts; `None` when empty.
    pub fn quantiles<const N: usize>(&self, percents: [u32; N]) -> Option<[u32; N]> {
        let total = self.total();
        let mut out = [0; N];
        let mut seen = 0u64;
        let mut level = 0;
        for (value, count) in self.iter() {
            seen += count;
            while level < N && seen >= quantile_rank(total, percents[level]) {
                out[level] = value;
                level += 1;
            }
            if level == N {
                return Some(out);
            }
        }
        None
    }

    /// Number of values at least `threshold`.
    pub fn count_at_least(&self, threshold: u32) -> u64 {
        self.iter()
            .filter(|&(v, _)| v >= threshold)
            .map(|(_, c)| c)
            .sum()
    }

    /// Each value seen with its count, in increasing order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (u32, u64)> + '_> {
        match &self.sparse {
            Some(map) => Box::new(map.iter().map(|(&v, &c)| (v, c))),
            None => Box::new(
                self.counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(i, &c)| (self.lo + i as u32, u64::from(c))),
            ),
        }
    }
}

/// The rank (from 1) of the `percent`-quantile among `n` sorted values:
/// `ceil(n * percent / 100)`, at least 1.
pub fn quantile_rank(n: u64, percent: u32) -> u64 {
    (n * u64::from(percent)).div_ceil(100).max(1)
}

/// A proportion with its Wilson 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Proportion {
    /// Successes over trials.
    pub estimate: f64,
    /// Lower end of the 95% interval.
    pub ci95_low: f64,
    /// Upper end of the 95% interval.
    pub ci95_high: f64,
}

impl Proportion {
    /// The Wilson score interval for `successes` out of `trials` (trials > 0).
    pub fn wilson(successes: u64, trials: u64) -> Proportion {
        let n = trials as f64;
        let p = successes as f64 / n;
        let z2 = Z95 * Z95;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Proportion {
            estimate: p,
            ci95_low: (centre - half).max(0.0),
            ci95_high: (centre + half).min(1.0),
        }
    }
}

/// Partial results over a set of paths; [`Accumulator::merge`] combines two.
/// It serialises whole, so partial results of shards can be merged elsewhere.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Accumulator {
    months: usize,
    target: Target,
    sample_limit: u64,
    paths: u64,
    /// `histograms[series * months + month]`.
    #[serde(deserialize_with = "bounded::<_, _, MAX_CELLS>")]
    histograms: Vec<CountHistogram>,
    /// Sums matching `histograms`, for means.
    #[serde(deserialize_with = "bounded::<_, _, MAX_CELLS>")]
    sums: Vec<u64>,
    /// Paths whose first month at or above the target is `m`; the last entry
    /// counts paths that never reach it.
    #[serde(deserialize_with = "bounded::<_, _, MAX_MONTHS_AND_NEVER>")]
    first_hit: Vec<u64>,
    demand_months: u64,
    labour_limited_months: u64,
    /// Headcount trajectories of the paths with index below `sample_limit`.
    #[serde(deserialize_with = "bounded::<_, _, MAX_KEPT>")]
    samples: Vec<(u64, Vec<u32>)>,
    /// Paths below this index also keep their headcount at the target month.
    target_limit: u64,
    /// Those headcounts, with their path's index.
    #[serde(deserialize_with = "bounded::<_, _, MAX_KEPT>")]
    at_target: Vec<(u64, u32)>,
    /// Values of paths added but not yet counted,
    /// `pending[cell * pending_stride(cells) + i]` for the `i`-th pending path:
    /// counting a batch histogram by histogram keeps each one's counts in
    /// cache. Empty after [`Accumulator::settled`], the only form written.
    #[serde(deserialize_with = "bounded::<_, _, 0>")]
    pending: Vec<u32>,
    /// Paths in `pending`.
    pending_paths: usize,
}

/// Most paths that merged statistics may count: histograms count each value in
/// 32 bits, so no merged count may pass `u32::MAX`.
pub const MAX_MERGED_PATHS: u64 = 4_000_000_000;

/// Most cells (series times months) an accumulator read back may hold.
const MAX_CELLS: usize = Series::ALL.len() * (crate::core::scenario::MAX_HORIZON as usize + 1);

/// Most first-month counts an accumulator read back may hold.
const MAX_MONTHS_AND_NEVER: usize = crate::core::scenario::MAX_HORIZON as usize + 2;

/// Most kept trajectories or target headcounts an accumulator read back may
/// hold (far more than any command keeps).
const MAX_KEPT: usize = 1 << 20;

/// Reads a sequence of at most `MAX` items, refusing a longer one before
/// reading it: statistics read back from a file cannot make shorecast allocate
/// more than their shape allows, whatever length the file claims.
pub fn bounded<'de, D, T, const MAX: usize>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Bounded<T, const MAX: usize>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>, const MAX: usize> serde::de::Visitor<'de> for Bounded<T, MAX> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a sequence of at most {MAX} items")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            use serde::de::Error;
            let too_long = || A::Error::custom(format!("a sequence longer than {MAX} items"));
            if seq.size_hint().is_some_and(|n| n > MAX) {
                return Err(too_long());
            }
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX).min(1024));
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX {
                    return Err(too_long());
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(Bounded::<T, MAX>(std::marker::PhantomData))
}

/// Most paths whose values [`Accumulator`] holds back to count together:
/// enough that the values of a batch land mostly on cache lines of a
/// histogram already loaded. Measured on the Oujda case (530 cells), counting
/// 1,024 paths at a time took about half the time of 64 at a time, and 4,096
/// little less than 1,024.
const MAX_BATCH: usize = 1024;

/// Fewest paths in a batch, however many cells (months times series).
const MIN_BATCH: usize = 64;

/// Pending values an accumulator holds at most (4 MB), unless that is less
/// than [`MIN_BATCH`] paths: long horizons get smaller batches.
const PENDING_VALUES: usize = 1 << 20;

/// Paths in a batch of an accumulator of `cells` cells.
fn batch_paths(cells: usize) -> usize {
    (PENDING_VALUES / cells.max(1)).clamp(MIN_BATCH, MAX_BATCH)
}

/// Distance between the pending values of two cells: one cache line more than
/// a batch, so that a path's values, written one per cell, do not all fall in
/// the same cache set (as a stride of a power of two bytes would).
fn pending_stride(cells: usize) -> usize {
    batch_paths(cells) + 16
}

impl Accumulator {
    /// An empty accumulator for months `0..=horizon`, keeping the headcount
    /// trajectories of the first `sample_limit` paths.
    pub fn new(horizon: u32, target: Target, sample_limit: u64) -> Accumulator {
        let months = horizon as usize + 1;
        Accumulator {
            months,
            target,
            sample_limit,
            paths: 0,
            histograms: vec![CountHistogram::default(); Series::ALL.len() * months],
            sums: vec![0; Series::ALL.len() * months],
            first_hit: vec![0; months + 1],
            demand_months: 0,
            labour_limited_months: 0,
            samples: Vec::new(),
            target_limit: 0,
            at_target: Vec::new(),
            pending: Vec::new(),
            pending_paths: 0,
        }
    }

    /// The same, also keeping the headcount at the target month of each path
    /// with index below `limit` (for the verdict, which pairs each with its
    /// counterfactuals).
    pub fn keeping_target_headcounts(mut self, limit: u64) -> Accumulator {
        self.target_limit = limit;
        self
    }

    /// Paths below this index keep their headcount at the target month
    /// ([`Accumulator::keeping_target_headcounts`]).
    pub fn target_limit(&self) -> u64 {
        self.target_limit
    }

    /// Adds path number `path`.
    pub fn add(&mut self, path: u64, t: &Trajectory) {
        self.paths += 1;
        let cells = self.histograms.len();
        let stride = pending_stride(cells);
        if self.pending.len() != cells * stride {
            self.pending = vec![0; cells * stride];
        }
        let values = t
            .values
            .as_slice()
            .expect("a trajectory is in standard layout");
        for (slot, &v) in self.pending[self.pending_paths..]
            .iter_mut()
            .step_by(stride)
            .zip(values)
        {
            *slot = v;
        }
        self.pending_paths += 1;
        if self.pending_paths == batch_paths(cells) {
            self.count_pending();
        }
        let headcount = t.values.row(Series::Headcount as usize);
        let hit = headcount
            .iter()
            .position(|&h| h >= self.target.headcount)
            .unwrap_or(self.months);
        self.first_hit[hit] += 1;
        self.demand_months += u64::from(t.demand_months);
        self.labour_limited_months += u64::from(t.labour_limited_months);
        if path < self.sample_limit {
            self.samples.push((path, headcount.to_vec()));
        }
        if path < self.target_limit {
            self.at_target
                .push((path, headcount[self.target.month as usize]));
        }
    }

    /// Counts the values of the pending paths into the histograms and sums.
    fn count_pending(&mut self) {
        let paths = self.pending_paths;
        if paths == 0 {
            return;
        }
        let stride = pending_stride(self.histograms.len());
        for ((h, s), values) in self
            .histograms
            .iter_mut()
            .zip(self.sums.iter_mut())
            .zip(self.pending.chunks_exact(stride))
        {
            let values = &values[..paths];
            h.add_all(values);
            *s += values.iter().map(|&v| u64::from(v)).sum::<u64>();
        }
        self.pending_paths = 0;
    }

    /// The same statistics with every pending path counted: the form in which
    /// a shard's partial result is written (and checked by [`Accumulator::fits`]).
    pub fn settled(mut self) -> Accumulator {
        self.count_pending();
        self.pending = Vec::new();
        self
    }

    /// Adds everything `other` holds.
    pub fn merge(mut self, mut other: Accumulator) -> Accumulator {
        self.count_pending();
        other.count_pending();
        self.paths += other.paths;
        for (h, o) in self.histograms.iter_mut().zip(&other.histograms) {
            h.merge(o);
        }
        for (s, o) in self.sums.iter_mut().zip(&other.sums) {
            *s += o;
        }
        for (f, o) in self.first_hit.iter_mut().zip(&other.first_hit) {
            *f += o;
        }
        self.demand_months += other.demand_months;
        self.labour_limited_months += other.labour_limited_months;
        self.samples.extend(other.samples);
        self.at_target.extend(other.at_target);
        self
    }

    /// Number of paths added.
    pub fn paths(&self) -> u64 {
        self.paths
    }

    /// True when this accumulator has the shape of one made by
    /// [`Accumulator::new`] with these arguments and its counts agree with its
    /// number of paths: a check on partial results read back from a file.
    pub fn fits(&self, horizon: u32, target: Target, sample_limit: u64) -> bool {
        self.is_consistent()
            && self.months == horizon as usize + 1
            && self.target.headcount == target.headcount
            && self.target.month == target.month
            && self.sample_limit == sample_limit
    }

    /// True when the accumulator agrees with itself: settled, its tables of one
    /// size for its months, every count adding up to its number of paths, and
    /// its sums within what that many paths can give. Checked on statistics
    /// read back from a file before anything is merged, so that no crafted
    /// file can make a merge index out of range or overflow.
    pub fn is_consistent(&self) -> bool {
        let months = self.months;
        let cells = Series::ALL.len() * months;
        let most_sum = self.paths.checked_mul(u64::from(u32::MAX));
        months >= 1
            && months <= crate::core::scenario::MAX_HORIZON as usize + 1
            && (self.target.month as usize) < months
            && self.pending_paths == 0
            && self.pending.is_empty()
            && self.histograms.len() == cells
            && self.sums.len() == cells
            && self.first_hit.len() == months + 1
            && self
                .first_hit
                .iter()
                .try_fold(0u64, |sum, &c| sum.checked_add(c))
                == Some(self.paths)
            && self.histograms.iter().all(|h| h.is_well_formed(self.paths))
            && most_sum.is_some_and(|most| self.sums.iter().all(|&s| s <= most))
            && most_sum.is_some_and(|most| {
                self.demand_months <= most && self.labour_limited_months <= most
            })
            && self.samples.len() as u64 <= self.paths.min(self.sample_limit)
            && self
                .samples
                .iter()
                .all(|(path, t)| *path < self.sample_limit && t.len() == months)
            && self.at_target.len() as u64 == self.paths.min(self.target_limit)
            && self
                .at_target
                .iter()
                .all(|&(path, _)| path < self.target_limit)
    }

    /// Whether `other` has the same shape (months, target, kept paths), so the
    /// two can be merged.
    pub fn same_shape(&self, other: &Accumulator) -> bool {
        self.months == other.months
            && self.target.headcount == other.target.headcount
            && self.target.month == other.target.month
            && self.sample_limit == other.sample_limit
            && self.target_limit == other.target_limit
    }

    /// Estimated bytes of an accumulator that has seen `paths` paths, from this
    /// one's after `seen` paths (a pilot): dense histograms are bounded by their
    /// range; sparse ones grow with their distinct values, which at most grow in
    /// proportion to the paths, and go dense when that is smaller, unless their
    /// values span more than a dense histogram can hold.
    pub fn projected_bytes(&self, seen: u64, paths: u64) -> u64 {
        let scale = paths as f64 / seen.max(1) as f64;
        let dense_cap = (MAX_DENSE_WIDTH * 4) as f64;
        let histograms: f64 = self
            .histograms
            .iter()
            .map(|h| {
                let bytes = h.heap_bytes() as f64;
                if !h.is_sparse() {
                    // Room for the range to widen as more paths come.
                    return (1.5 * bytes).min(dense_cap);
                }
                let grown = bytes * scale;
                let (lo, hi) = (h.iter().next(), h.iter().last());
                let span = match (lo, hi) {
                    (Some((lo, _)), Some((hi, _))) => (hi - lo) as usize + 1,
                    _ => 0,
                };
                if span * 2 <= MAX_DENSE_WIDTH {
                    grown.min(dense_cap)
                } else {
                    grown
                }
            })
            .sum();
        // The batch of pending paths is allocated at the first path (and
        // freed when settled).
        let fixed = (self.sums.len() + self.first_hit.len()) * 8
            + self.histograms.len()
                * (std::mem::size_of::<CountHistogram>()
                    + pending_stride(self.histograms.len()) * 4);
        histograms as u64 + fixed as u64
    }

    /// Bytes the accumulator takes now.
    pub fn heap_bytes(&self) -> u64 {
        let histograms: usize = self.histograms.iter().map(CountHistogram::heap_bytes).sum();
        let fixed = (self.sums.len() + self.first_hit.len()) * 8
            + self.histograms.len() * std::mem::size_of::<CountHistogram>()
            + self.pending.capacity() * 4;
        (histograms + fixed) as u64
    }

    /// The histogram of `series` at month `m` (pending paths counted).
    pub fn histogram(&mut self, series: Series, m: u32) -> &CountHistogram {
        self.count_pending();
        &self.histograms[series as usize * self.months + m as usize]
    }

    /// Finishes the statistics. Needs at least one path.
    pub fn finish(mut self) -> Summary {
        assert!(self.paths > 0, "a summary needs at least one path");
        self.count_pending();
        let n = self.paths;
        let (series, months) = (Series::ALL.len(), self.months);
        let mean = Array2::from_shape_fn((series, months), |(s, m)| {
            self.sums[s * months + m] as f64 / n as f64
        });
        let levels: Vec<[u32; QUANTILES.len()]> = self
            .histograms
            .iter()
            .map(|h| {
                h.quantiles(QUANTILES)
                    .expect("every path records every month")
            })
            .collect();
        let quantiles = Array3::from_shape_fn((series, months, QUANTILES.len()), |(s, m, q)| {
            levels[s * months + m][q]
        });
        let mut reached = 0;
        let p_reached_by = self.first_hit[..months]
            .iter()
            .map(|&hits| {
                reached += hits;
                reached as f64 / n as f64
            })
            .collect();
        let half = quantile_rank(n, 50);
        let mut cumulative = 0;
        let median_month_reached = self.first_hit[..months].iter().position(|&hits| {
            cumulative += hits;
            cumulative >= half
        });
        let at_target = self.histogram(Series::Headcount, self.target.month).clone();
        let above = at_target.count_at_least(self.target.headcount);
        self.samples.sort_by_key(|(path, _)| *path);
        self.at_target.sort_unstable_by_key(|&(path, _)| path);
        Summary {
            paths: n,
            mean,
            quantiles,
            p_reached_by,
            p_target: Proportion::wilson(above, n),
            median_month_reached: median_month_reached.map(|m| m as u32),
            labour_limited_share: if self.demand_months == 0 {
                0.0
            } else {
                self.labour_limited_months as f64 / self.demand_months as f64
            },
            headcount_at_target: at_target,
            sample_paths: self.samples.into_iter().map(|(_, t)| t).collect(),
            target_headcounts: self.at_target.into_iter().map(|(_, h)| h).collect(),
        }
    }
}

/// The finished statistics of a run.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Number of paths.
    pub paths: u64,
    /// `mean[[series, month]]`.
    pub mean: Array2<f64>,
    /// `quantiles[[series, month, q]]` at the levels of [`QUANTILES`].
    pub quantiles: Array3<u32>,
    /// Share of paths that reached the target at least once by each month.
    pub p_reached_by: Vec<f64>,
    /// Share of paths at or above the target at the target month.
    pub p_target: Proportion,
    /// Median first month of reaching the target; `None` when fewer than half
    /// the paths ever reach it.
    pub median_month_reached: Option<u32>,
    /// Share of path-months with hiring demand in which labour was short (`A < D`).
    pub labour_limited_share: f64,
    /// The distribution of headcount at the target month.
    pub headcount_at_target: CountHistogram,
    /// Headcount trajectories of the first paths, in path order.
    pub sample_paths: Vec<Vec<u32>>,
    /// Headcount at the target month of the first paths (those below the
    /// limit given to [`Accumulator::keeping_target_headcounts`]), in path
    /// order.
    pub target_headcounts: Vec<u32>,
}

impl Summary {
    /// The `percent`-quantile of `series` at month `m` (a level of [`QUANTILES`]).
    pub fn quantile(&self, series: Series, m: u32, percent: u32) -> u32 {
        let q = QUANTILES
            .iter()
            .position(|&p| p == percent)
            .expect("a reported quantile level");
        self.quantiles[[series as usize, m as usize, q]]
    }

    /// The mean of `series` at month `m`.
    pub fn mean(&self, series: Series, m: u32) -> f64 {
        self.mean[[series as usize, m as usize]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_read_back_must_count_every_value_they_hold() {
        let mut h = CountHistogram::default();
        h.add_all(&[3, 5, 5]);
        assert!(h.is_well_formed(3) && !h.is_well_formed(4));
        h.make_sparse();
        assert!(h.is_well_formed(3));
        // A value counted zero times: an entry no counting makes.
        h.sparse.as_mut().unwrap().insert(9, 0);
        assert!(!h.is_well_formed(3));
    }

    #[test]
    fn merged_counts_past_32_bits_are_kept_whole() {
        let full = CountHistogram {
            lo: 7,
            counts: vec![u32::MAX, 1],
            sparse: None,
        };
        let mut merged = full.clone();
        merged.merge(&full);
        assert_eq!(merged.total(), 2 * (u64::from(u32::MAX) + 1));
        assert_eq!(
            merged.iter().collect::<Vec<_>>(),
            [(7, 2 * u64::from(u32::MAX)), (8, 2)]
        );
        assert!(merged.is_sparse());
    }
    use proptest::prelude::*;

    fn sorted_quantile(values: &[u32], percent: u32) -> u32 {
        let mut v = values.to_vec();
        v.sort_unstable();
        v[quantile_rank(v.len() as u64, percent) as usize - 1]
    }

    proptest! {
        #[test]
        fn histogram_quantiles_equal_sorting(
            values in proptest::collection::vec(prop_oneof![0u32..5000, 0u32..=u32::MAX], 1..400),
            split in 0usize..400,
        ) {
            let split = split.min(values.len());
            let (mut a, mut b) = (CountHistogram::default(), CountHistogram::default());
            values[..split].iter().for_each(|&v| a.add(v));
            values[split..].iter().for_each(|&v| b.add(v));
            a.merge(&b);
            prop_assert_eq!(a.total(), values.len() as u64);
            for p in QUANTILES {
                prop_assert_eq!(a.quantile(p), Some(sorted_quantile(&values, p)));
            }
        }
    }

    proptest! {
        /// Batches (as the accumulator counts them) give the same counts as
        /// one value at a time, across the dense and sparse forms; all
        /// quantile levels at once equal each level alone.
        #[test]
        fn batches_count_like_single_values(
            values in proptest::collection::vec(prop_oneof![0u32..300, 0u32..=u32::MAX], 1..300),
            batch in 1usize..80,
        ) {
            let (mut one, mut batched) = (CountHistogram::default(), CountHistogram::default());
            values.iter().for_each(|&v| one.add(v));
            values.chunks(batch).for_each(|c| batched.add_all(c));
            prop_assert_eq!(one.iter().collect::<Vec<_>>(), batched.iter().collect::<Vec<_>>());
            let all = batched.quantiles(QUANTILES).unwrap();
            for (q, p) in all.iter().zip(QUANTILES) {
                prop_assert_eq!(Some(*q), one.quantile(p));
            }
        }
    }

    /// Paths over two full batches and a partial one, a fifth of them merged
    /// in from a second accumulator mid-batch, count exactly as each value
    /// added alone: every cell, every path, no path counted twice or lost.
    #[test]
    fn batched_accumulator_counts_every_path_once() {
        let horizon = 6;
        let target = Target {
            headcount: 50,
            month: 3,
        };
        let cells = Series::ALL.len() * (horizon as usize + 1);
        let paths = 3 * batch_paths(cells) as u64 + 300;
        let mut t = Trajectory::new(horizon);
        let (mut first, mut second) = (
            Accumulator::new(horizon, target, 0),
            Accumulator::new(horizon, target, 0),
        );
        let mut alone = vec![CountHistogram::default(); cells];
        for path in 0..paths {
            for (cell, v) in t.values.iter_mut().enumerate() {
                // A different spread per cell, wide enough in some to go sparse.
                let spread = 1 + (cell as u64 % 7) * 3000;
                *v = ((path * 7919 + cell as u64 * 104_729) % spread) as u32;
                alone[cell].add(*v);
            }
            if path % 5 == 0 {
                second.add(path, &t);
            } else {
                first.add(path, &t);
            }
        }
        let mut merged = first.merge(second).settled();
        assert_eq!(merged.paths(), paths);
        assert!(merged.fits(horizon, target, 0));
        for (cell, expected) in alone.iter().enumerate() {
            let months = horizon as usize + 1;
            let (series, m) = (Series::ALL[cell / months], (cell % months) as u32);
            let got = merged.histogram(series, m);
            assert_eq!(
                got.iter().collect::<Vec<_>>(),
                expected.iter().collect::<Vec<_>>()
            );
        }
    }

    /// Oujda's 530 cells get full batches; a 600-month horizon smaller ones,
    /// its pending values bounded; no horizon fewer than the minimum.
    #[test]
    fn batches_shrink_with_the_horizon() {
        assert_eq!(batch_paths(10 * 53), MAX_BATCH);
        let long = 10 * 601;
        assert!(batch_paths(long) < MAX_BATCH);
        assert!(long * pending_stride(long) <= PENDING_VALUES + 16 * long);
        assert_eq!(batch_paths(10 * 100_000), MIN_BATCH);
    }

    #[test]
    fn wilson_matches_a_reference_value() {
        // 81 of 263: Wilson 95% interval (0.2553, 0.3662), Newcombe (1998), table I.
        let p = Proportion::wilson(81, 263);
        assert!((p.ci95_low - 0.2553).abs() < 5e-4, "{p:?}");
        assert!((p.ci95_high - 0.3662).abs() < 5e-4, "{p:?}");
        let none = Proportion::wilson(0, 10);
        assert_eq!(none.ci95_low, 0.0);
        assert!(none.ci95_high > 0.25 && none.ci95_high < 0.31);
    }
}
