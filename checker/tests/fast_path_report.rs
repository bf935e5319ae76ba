//! A violation the fast path finds is explained in the report: the result names the cycle,
//! the HTML report shows it (escaped), and the search still gives a small history its
//! witness prefix and the operation that cannot be placed.
mod common;

use checker::models::{Register, RegisterInput, RegisterOutput};
use checker::report::{build, html, Source};
use checker::{check, Options, Verdict};
use common::done;

#[test]
fn a_fast_path_violation_is_explained_as_a_cycle() {
    // write 1, then write 2, then a read of 1, then a read of 2: each write's run must
    // precede the other's.
    let history = vec![
        done(0, RegisterInput::Write(1), 0, 2, RegisterOutput::Written),
        done(1, RegisterInput::Write(2), 3, 5, RegisterOutput::Written),
        done(2, RegisterInput::Read, 6, 8, RegisterOutput::Read(Some(1))),
        done(0, RegisterInput::Read, 9, 10, RegisterOutput::Read(Some(2))),
    ];
    let model = Register::new(None);
    let result = check(&model, &history, &Options::default());
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    let partition = &result.partitions[0];
    assert!(partition.fast_path, "unique values: the fast path decides");
    let cycle = partition.violation.as_ref().expect("a cycle").to_string();
    assert!(cycle.starts_with("cycle: ") && cycle.contains("-rt->"), "{cycle}");
    assert_eq!(partition.blocked, Some(2), "the witness search still runs on a small history");

    let source = Source {
        file: "h.json".to_string(),
        format: "json".to_string(),
        failed: 0,
        elapsed: std::time::Duration::from_millis(1),
    };
    let page = html(&build(&model, &history, &result, None, source));
    assert!(page.contains("<pre class=\"cycle\">cycle: "), "the report shows the cycle");
    assert!(page.contains("-rt-&gt;") && !page.contains("-rt->"), "escaped for HTML");

    let one_step = check(&model, &history, &Options { max_steps: Some(1), ..Options::default() });
    assert_eq!(one_step.verdict, Verdict::NotLinearizable, "the fast path needs no steps");
    assert!(one_step.steps() <= 1, "the witness search keeps to --max-steps");

    let without = check(&model, &history, &Options { witness: false, ..Options::default() });
    assert_eq!(without.partitions[0].blocked, None, "no witness search when not wanted");
    let searched = check(&model, &history, &Options { fast_paths: false, ..Options::default() });
    assert_eq!(searched.verdict, Verdict::NotLinearizable);
    assert!(!searched.partitions[0].fast_path && searched.partitions[0].violation.is_none());
}
