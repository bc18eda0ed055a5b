//! Inputs given to a path instead of drawn (a posterior particle's values) and
//! the past it replays: what the model takes from a posterior, apart from the
//! posterior itself.

use crate::core::dist::DistSpec;

/// FNV-1a over the concatenated `parts`, to key a parameter's stream by its
/// name (such as `firm[Intelcia].ramp_months`) without building the string.
pub fn name_key(parts: &[&str]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// The key of the uncertain input called `name`, as [`InputColumns`] stores it.
pub fn input_key(name: &str) -> u64 {
    name_key(&[name])
}

/// The uncertain inputs that a [`Given`] supplies, by name key, each with the
/// distribution it was calibrated under (for `firm[X].happens`, that of
/// `firm[X].probability`). A path takes a given value only where its own
/// scenario still has that distribution, so a policy or a one-at-a-time
/// sensitivity run that changes a parameter draws or fixes it as it says.
#[derive(Clone, Debug, Default)]
pub struct InputColumns {
    keys: Vec<u64>,
    specs: Vec<DistSpec>,
}

impl InputColumns {
    /// Adds the input whose name has key `key`, calibrated under `spec`.
    pub fn push(&mut self, key: u64, spec: DistSpec) {
        self.keys.push(key);
        self.specs.push(spec);
    }

    /// The column of the input with key `key` given under `spec`, if any.
    pub fn find(&self, key: u64, spec: &DistSpec) -> Option<usize> {
        (0..self.keys.len()).find(|&j| self.keys[j] == key && self.specs[j] == *spec)
    }
}

/// Which streams replay a calibration particle's own past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replay {
    /// The calibration's master seed.
    pub seed: u64,
    /// The particle's stream key (its path number in the calibration).
    pub path: u64,
    /// Months `1..=until` draw from the particle's streams; later months from
    /// the path's own.
    pub until: u32,
}

/// Input values given instead of drawn, and optionally a past to replay.
#[derive(Clone, Copy, Debug)]
pub struct Given<'a> {
    /// Which inputs the values are.
    pub columns: &'a InputColumns,
    /// One value per column.
    pub values: &'a [f64],
    /// The particle's past to replay, if any.
    pub replay: Option<Replay>,
}
