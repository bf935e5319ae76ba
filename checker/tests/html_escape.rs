//! The HTML of a small bad history, without a browser: the expected elements are there and
//! every string from the history or the model is escaped.
mod common;

use std::time::Duration;

use checker::explain::{explain_first_failure, MinimizeOptions};
use checker::models::{Kv, KvInput, KvOp, KvOutput};
use checker::report::{build, html, Source};
use checker::{check, Options};
use common::done;

const NASTY: &str = "<script>alert('x')</script>&\"";

fn put(key: &str, value: &str) -> KvInput {
    KvInput { key: key.to_string(), op: KvOp::Put(value.to_string()) }
}

fn get(key: &str) -> KvInput {
    KvInput { key: key.to_string(), op: KvOp::Get }
}

/// A stale read on a key whose name and values are markup.
fn page() -> String {
    let history = vec![
        done(0, put(NASTY, "<b>1</b>"), 0, 10, KvOutput::Ok),
        done(1, put(NASTY, "2"), 20, 30, KvOutput::Ok),
        done(2, get(NASTY), 40, 50, KvOutput::Value("<b>1</b>".to_string())),
        done(3, get("plain"), 0, 5, KvOutput::Value(String::new())),
    ];
    let result = check(&Kv, &history, &Options { all_keys: true, ..Options::default() });
    let explanation = explain_first_failure(&Kv, &history, &result, &MinimizeOptions::default());
    let source = Source {
        file: "<dir>/h&.json".to_string(),
        format: "json".to_string(),
        failed: 0,
        elapsed: Duration::from_millis(3),
    };
    html(&build(&Kv, &history, &result, explanation.as_ref(), source))
}

#[test]
fn the_page_has_a_section_per_key_the_blocked_op_and_the_states() {
    let page = page();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches(r#"<section class="partition"#).count(), 2);
    assert_eq!(page.matches(r#"data-verdict="not-linearizable""#).count(), 1);
    assert_eq!(page.matches(r#"data-verdict="linearizable""#).count(), 1);
    assert_eq!(page.matches(r#"class="op blocked"#).count(), 1);
    // Two puts linearized, each step with its states; then the stale get cannot be placed.
    assert_eq!(page.matches(r#"<g class="step""#).count(), 3, "2 puts + 1 get on \"plain\"");
    assert!(page.contains(r#"data-step="2""#) && page.contains(r#"data-after="&quot;2&quot;""#));
    assert!(page.contains("Minimal failing sub-history"));
    assert!(page.contains("&lt;dir&gt;/h&amp;.json"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains(" src="));
}

#[test]
fn no_history_string_reaches_the_page_unescaped() {
    let page = page();
    // The only raw tags are the report's own: its two inline scripts.
    assert_eq!(page.matches("<script>").count(), 2);
    assert!(!page.contains("<b>1</b>") && !page.contains("alert('x')"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
    // Key labels are Debug-quoted by the model, then escaped.
    assert!(page.contains("&lt;b&gt;1&lt;/b&gt;"));
}
