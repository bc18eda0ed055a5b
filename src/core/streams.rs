//! Every random stream of shorecast, in one place: a path's randomness depends
//! only on `(seed, path, purpose, key)`, where the key is the month or a
//! parameter's name hash, never on the thread, the chunk or the other options
//! of a comparison. Calibration and back-testing key their own draws here too,
//! each with its salt, so that no two purposes ever share a stream.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The random purposes of a path, each with its own stream.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Purpose {
    /// Firms arriving.
    Arrivals = 1,
    /// Sites closing.
    Closures = 2,
    /// Employees leaving.
    Attrition = 3,
    /// Employees moving up a tenure band.
    Ageing = 4,
    /// Candidates joining and leaving the pool.
    Pool = 5,
    /// Candidates hired.
    Hiring = 6,
    /// Full sites expanding.
    Expansion = 7,
    /// Parameter draws use one stream per parameter, keyed by a hash of its name.
    Parameter = 8,
    /// Which particle of an attached posterior a path takes.
    Particle = 9,
}

/// Mixes 64 bits (SplitMix64's finaliser): a fixed, portable bijection.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `(seed, path, purpose, key)` (the key is the month, or
/// a parameter's name hash): Xoshiro256++ seeded (via
/// SplitMix64) from a hash of the four numbers. It depends on nothing else, so a
/// path's draws are the same whatever thread or chunk simulates it.
pub fn stream(seed: u64, path: u64, purpose: Purpose, key: u64) -> Xoshiro256PlusPlus {
    keyed_stream(purpose_hash(seed, path, purpose), key)
}

/// The part of a stream's hash that is fixed for a path and purpose.
pub fn purpose_hash(seed: u64, path: u64, purpose: Purpose) -> u64 {
    mix(mix(mix(seed) ^ path) ^ purpose as u64)
}

/// The stream `key` of a path and purpose given its [`purpose_hash`].
pub fn keyed_stream(purpose_hash: u64, key: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(purpose_hash ^ key))
}

/// Salt of the kernel's choices in calibration ("calibrat").
const CALIBRATION_SALT: u64 = 0x6361_6c69_6272_6174;

/// Salt of the observation noise of back-testing ("back").
const BACKTEST_SALT: u64 = 0x6261_636b;

/// The path number under which attempt `attempt` of particle `particle` in
/// generation `generation` of a calibration simulates.
pub fn calibration_attempt_key(generation: u32, particle: u32, attempt: u32) -> u64 {
    mix(mix(mix(u64::from(generation)) ^ u64::from(particle)) ^ u64::from(attempt))
}

/// The generator of a calibration kernel's choices for one attempt (ancestor,
/// moves), keyed by [`calibration_attempt_key`].
pub fn calibration_kernel_stream(seed: u64, attempt_key: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(mix(seed ^ CALIBRATION_SALT) ^ attempt_key))
}

/// The generator of the observation noise a back-test adds to path `path`.
pub fn backtest_noise_stream(seed: u64, path: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(mix(seed ^ BACKTEST_SALT) ^ path))
}
