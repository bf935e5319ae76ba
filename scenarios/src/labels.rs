//! The lab's integer commands and how scenarios and reports print them, plus the seeded
//! generator helpers use outside a cluster: small shared vocabulary that every layer (the
//! invariants, the cluster, the catalog) may use without depending on each other.
use raft::Command;
use sim::rand::SeedableRng;
use sim::ChaCha8Rng;

/// The lab's integer commands, as 8 little-endian bytes.
pub fn cmd(x: u64) -> Command {
    Command::from(x.to_le_bytes().to_vec())
}

/// A short label for a command in messages: the integer if it is one, else its size.
pub fn label(command: &Command) -> String {
    match <[u8; 8]>::try_from(command.as_bytes()) {
        Ok(bytes) => u64::from_le_bytes(bytes).to_string(),
        Err(_) => format!("<{} bytes>", command.len()),
    }
}

/// A seeded generator for helpers that need one outside a cluster.
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}
