//! Running the `tenrec` binary from a test: its exit code and what it printed, shared by the
//! test files that drive the command line.
use std::process::Command;

/// What one `tenrec` invocation did.
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `tenrec` (the binary Cargo built for this test) with `args`.
pub fn tenrec(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_tenrec")).args(args).output().expect("tenrec runs");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
