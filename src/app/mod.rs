//! What the commands share beyond one analysis: shards of a run or comparison,
//! their partial-result files (untrusted input when merged) and the exact merge.

pub mod shard;
