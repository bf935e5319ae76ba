//! Running graded tests side by side: a pool of threads pulls the next test, results come back
//! in test order whatever the timing; and, for the grading binary, each test in a child
//! process of its own (the same binary in worker mode, under coreutils' `timeout`), killed at
//! the wall-clock cap, so an implementation that hangs or livelocks inside a single step fails
//! its test instead of hanging the grader.
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::plan::Task;
use super::worker::{decode, TestResult};
use crate::run::Options;

/// `run` on every task, `jobs` at a time; the results in task order.
pub(crate) fn parallel(
    tasks: &[Task],
    jobs: usize,
    run: impl Fn(&Task) -> TestResult + Sync,
) -> Vec<TestResult> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(tasks.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, tasks.len().max(1)) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(task) = tasks.get(k) else { break };
                let result = run(task);
                done.lock().unwrap_or_else(|e| e.into_inner()).push((k, result));
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The exit status of coreutils' `timeout --foreground --signal=KILL` when it killed its
/// command. `--foreground` kills the worker alone, not `timeout`'s own process group, so
/// `timeout` lives to report it rather than dying by the same signal.
const KILLED_AT_CAP: i32 = 128 + 9;

/// Runs `task` over `seeds` in a child process of `exe` (worker mode), killed after `cap`.
/// The cap is enforced by coreutils' `timeout`, so the grader itself reads no clock and sleeps
/// nowhere: it only waits for the worker's answer.
pub(crate) fn in_child(
    exe: &Path,
    prefix: &[&str],
    task: &Task,
    seeds: &[u64],
    options: Options,
    cap: Duration,
) -> TestResult {
    let seeds_arg: Vec<String> = seeds.iter().map(u64::to_string).collect();
    let mut command = Command::new("timeout");
    command
        .args(["--foreground", "--signal=KILL", &format!("{:.3}", cap.as_secs_f64())])
        .arg(exe)
        .args(prefix);
    command.args(["--worker", task.scenario, "--seeds", &seeds_arg.join(",")]);
    for bug in options.bugs.names().into_iter().chain(options.kv_bugs.names()) {
        command.args(["--bug", bug]);
    }
    let failed = |why: String| TestResult {
        part: task.part,
        scenario: task.scenario,
        test: task.test.clone(),
        passed: false,
        seeds_run: 0,
        failed_seed: None,
        trace_digest: 0,
        output: why,
    };
    let output = match command.stdin(Stdio::null()).stderr(Stdio::null()).output() {
        Ok(output) => output,
        Err(e) => {
            return failed(format!(
                "the grader could not start a worker under coreutils' `timeout` (which caps \
                 each test's wall time): {e}"
            ))
        }
    };
    if output.status.code() == Some(KILLED_AT_CAP) {
        return failed(format!(
            "{} did not finish within the wall-clock cap of {} s: the implementation hangs or \
             livelocks inside a step (the virtual-time budget catches stories that never end)",
            task.test,
            cap.as_secs_f64()
        ));
    }
    decode(task, &String::from_utf8_lossy(&output.stdout)).unwrap_or_else(|| {
        failed(format!("{} crashed its worker process (status {})", task.test, output.status))
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::lab::Part;

    fn task() -> Task {
        Task { part: Part::Raft3A, scenario: "election.x", test: "part3a_election_x".into() }
    }

    #[test]
    fn a_worker_that_hangs_is_killed_at_the_cap_and_fails_its_test() {
        // A stand-in worker that never answers: `sh -c 'sleep 30'` (the worker's own
        // arguments land in the shell's positional parameters).
        let cap = Duration::from_millis(300);
        let prefix = ["-c", "exec sleep 30", "sh"];
        let result =
            in_child(Path::new("/bin/sh"), &prefix, &task(), &[1], Options::default(), cap);
        assert!(!result.passed);
        assert!(result.output.contains("wall-clock cap"), "{}", result.output);
    }

    #[test]
    fn a_worker_that_dies_without_an_answer_fails_its_test() {
        let prefix = ["-c", "exit 3", "sh"];
        let cap = Duration::from_secs(10);
        let result =
            in_child(Path::new("/bin/sh"), &prefix, &task(), &[1], Options::default(), cap);
        assert!(!result.passed);
        assert!(result.output.contains("crashed its worker"), "{}", result.output);
    }

    #[test]
    fn results_come_back_in_task_order() {
        let tasks: Vec<Task> = (0..7)
            .map(|k| Task { part: Part::Raft3A, scenario: "election.x", test: format!("t{k}") })
            .collect();
        let results = parallel(&tasks, 3, |task| TestResult {
            part: task.part,
            scenario: task.scenario,
            test: task.test.clone(),
            passed: true,
            seeds_run: 1,
            failed_seed: None,
            trace_digest: 0,
            output: String::new(),
        });
        let names: Vec<&str> = results.iter().map(|r| r.test.as_str()).collect();
        assert_eq!(names, ["t0", "t1", "t2", "t3", "t4", "t5", "t6"]);
    }
}
