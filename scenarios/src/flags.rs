//! Flag values the CLI and the lab's grader share, checked before any work starts: a number of
//! worker threads within bounds, and output files and directories that can be written, so a
//! long run never ends in "cannot write" after its verdict is lost.
use std::fs::{self, OpenOptions};
use std::path::Path;

/// The most worker threads `--jobs` accepts. A fixed bound, not a multiple of this machine's
/// cores, so a command line that works on one machine is not a usage error on another; far
/// above any core count the runs could use, and far below the thread count at which starting
/// the pool itself fails or exhausts memory (`--jobs 100000`).
pub const MAX_JOBS: usize = 256;

/// Parses `--jobs N`: 1 to [`MAX_JOBS`]. A larger value is a usage error rather than quietly
/// clamped, so the number of jobs a run reports is the number it was given.
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a number of jobs (expected 1 to {MAX_JOBS})"));
    }
    // Digits that overflow a u64 are simply too many jobs.
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_JOBS as u64).contains(&n) => Ok(n as usize),
        _ => Err(format!("`{text}` jobs: expected 1 to {MAX_JOBS} worker threads")),
    }
}

/// Checks that the file `path` can be written, before the work whose result goes there: an
/// existing file is opened for writing (not truncated, so a run that fails later leaves it as
/// it was); a new one is created and removed again.
pub fn check_writable_file(path: &Path) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if path.is_dir() {
        return Err(format!("cannot write {}: it is a directory", path.display()));
    }
    if path.exists() {
        return OpenOptions::new().append(true).open(path).map(drop).map_err(cannot);
    }
    OpenOptions::new().write(true).create_new(true).open(path).map_err(cannot)?;
    fs::remove_file(path).map_err(cannot)
}

/// Checks that files can be written in the directory `dir`, creating it (and its parents) as
/// the run would; a probe file is created and removed in it.
pub fn check_writable_dir(dir: &Path) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write in {}: {e}", dir.display());
    fs::create_dir_all(dir).map_err(cannot)?;
    let probe = dir.join(".tenrec-write-probe");
    OpenOptions::new().write(true).create(true).truncate(true).open(&probe).map_err(cannot)?;
    fs::remove_file(&probe).map_err(cannot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_between_one_and_the_bound() {
        assert_eq!(parse_jobs("1"), Ok(1));
        assert_eq!(parse_jobs("256"), Ok(MAX_JOBS));
        for bad in ["0", "257", "100000", "99999999999999999999999", "-1", "two", ""] {
            assert!(parse_jobs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_output_under_a_file_is_not_writable() {
        let dir = std::env::temp_dir().join(format!("tenrec-flags-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a temp dir");
        let file = dir.join("plain");
        fs::write(&file, "x").expect("a file");
        assert!(check_writable_file(&file.join("out.html")).is_err());
        assert!(check_writable_dir(&file.join("out")).is_err());
        assert!(check_writable_file(&dir).is_err());
        let fresh = dir.join("fresh.html");
        assert_eq!(check_writable_file(&fresh), Ok(()));
        assert!(!fresh.exists(), "the probe leaves no file behind");
        assert_eq!(check_writable_file(&file), Ok(()));
        assert_eq!(fs::read_to_string(&file).ok().as_deref(), Some("x"), "not truncated");
        assert_eq!(check_writable_dir(&dir.join("out")), Ok(()));
        let _ = fs::remove_dir_all(&dir);
    }
}
