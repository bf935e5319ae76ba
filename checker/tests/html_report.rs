//! The HTML report of a real bad history in a real headless browser (Debian's chromium):
//! its script runs without errors, every partition has a section, the blocked operation is
//! marked, the linearization points carry their states, and a screenshot is taken. Skipped,
//! with a message, where /usr/bin/chromium is absent.
use std::path::{Path, PathBuf};
use std::process::Command;

use checker::explain::{explain_first_failure, MinimizeOptions};
use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::parse_file;
use checker::report::{build, html, Source};
use checker::{check, History, Model, Options};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const CHROMIUM: &str = "/usr/bin/chromium";

struct Render {
    all_keys: bool,
    file: String,
    failed: usize,
    format: String,
}

impl WithModel for Render {
    type Output = String;
    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> String {
        let result =
            check(&model, &history, &Options { all_keys: self.all_keys, ..Options::default() });
        let explanation =
            explain_first_failure(&model, &history, &result, &MinimizeOptions::default());
        let source = Source {
            file: self.file,
            format: self.format,
            failed: self.failed,
            elapsed: std::time::Duration::from_millis(1),
        };
        html(&build(&model, &history, &result, explanation.as_ref(), source))
    }
}

/// The report of a recorded data file, as `tenrec check --html` writes it when `all_keys`
/// (every key decided, so each section has a verdict).
fn report_of(file: &str, all_keys: bool) -> String {
    let path = Path::new(DATA).join(file);
    let raw = parse_file(&path, None).unwrap();
    let model = default_model(&raw).unwrap();
    let (failed, format) = (raw.failed, raw.format.to_string());
    let render = Render { all_keys, file: file.to_string(), failed, format };
    with_model(&raw, model, render).unwrap()
}

/// A fresh directory under the test's target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless chromium on `page` with `action` (`--dump-dom`, `--screenshot=...`), in its
/// own profile directory, and returns its stdout.
fn chromium(page: &Path, profile: &Path, action: &str) -> String {
    let output = Command::new("timeout")
        .arg("120")
        .arg(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_bad_kv_history_renders_in_chromium() {
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} is absent (apt-get install chromium)");
        return;
    }
    let dir = scratch("html_report_c10");
    let page = dir.join("c10-bad.html");
    let html = report_of("porcupine/kv/c10-bad.txt", true);
    assert!(!html.contains("http://") && !html.contains("https://"), "fetches nothing");
    std::fs::write(&page, &html).unwrap();

    let dom = chromium(&page, &dir.join("profile-dom"), "--dump-dom");
    assert!(dom.contains(r#"data-ready="yes""#), "the script ran to its end");
    assert!(!dom.contains("data-error="), "a script error: {}", &dom[..dom.len().min(400)]);
    let sections = dom.matches(r#"<section class="partition"#).count();
    assert_eq!(sections, 10, "one section per key of c10-bad");
    // With every key decided, 8 of c10-bad's 10 keys fail; each marks its blocked op.
    let failing = dom.matches(r#"data-verdict="not-linearizable""#).count();
    assert_eq!(failing, 8);
    assert_eq!(dom.matches(r#"class="op blocked"#).count(), failing, "a blocked op per failure");
    assert_eq!(dom.matches(r#"class="blocked-mark""#).count(), failing);
    assert!(dom.contains("data-before=") && dom.contains("data-after="), "states for hover");
    // The script filled the panel with the violation at load.
    let panel = &dom[dom.find(r#"<div id="panel">"#).expect("the panel")..];
    assert!(panel.contains("cannot be placed next:"), "{}", &panel[..panel.len().min(300)]);
    assert!(dom.contains("Minimal failing sub-history"));

    let png = dir.join("c10-bad.png");
    chromium(&page, &dir.join("profile-shot"), &format!("--screenshot={}", png.display()));
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{} bytes", bytes.len());
    println!("screenshot: {}", png.display());
}

#[test]
fn a_many_key_history_stays_one_page() {
    // c50-bad: 2024 operations in one page, one section per key; built without a browser,
    // and stopping at the first failing key to keep the test quick.
    let html = report_of("porcupine/kv/c50-bad.txt", false);
    assert_eq!(html.matches(r#"<section class="partition"#).count(), 10);
    assert!(html.len() < 8 << 20, "{} bytes", html.len());
}
