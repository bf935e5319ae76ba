//! The timeline page of real runs: `kv.partitions_many_clients` seed 7 fits in 3 MB and
//! fetches nothing; in a real headless browser (Debian's chromium) its script runs without
//! errors within 2 s of navigation, draws a lane per server and per client and every
//! operation, shows an operation's model state when the pointer is on it (a real `mouseover`
//! through the page's own handler), draws messages only when asked and no more than it says;
//! a failing Raft run marks its broken invariant. Screenshots are written for a person to look
//! at. The browser parts are skipped, with a message, where /usr/bin/chromium is absent.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use raft::{Bugs, RaftNode};
use scenarios::{catalog, timeline, Options, Report, Run};

const CHROMIUM: &str = "/usr/bin/chromium";
const MAX_BYTES: usize = 3_000_000;
const MAX_LOAD_MS: u64 = 2_000;

fn many_clients() -> Report {
    let scenario = catalog::find::<RaftNode>("kv.partitions_many_clients").expect("in the catalog");
    scenario.run(Run::new(7).timeline())
}

fn failing_raft() -> Report {
    let scenario = catalog::find::<RaftNode>("swarm.raft").expect("in the catalog");
    let bugs = Bugs::only("commit_previous_term_by_counting").expect("a switch");
    scenario.run(Run::new(0).options(Options { bugs, ..Options::default() }).timeline())
}

/// A fresh directory under the test's target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless chromium on `page#fragment` with `action` (`--dump-dom`, `--screenshot=...`),
/// in its own profile directory; returns its stdout and how long the whole browser took.
fn chromium(page: &Path, fragment: &str, profile: &Path, action: &str) -> (String, u128) {
    #[allow(clippy::disallowed_methods)] // the browser's wall time, outside any simulation
    let started = Instant::now();
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
        .arg(format!("file://{}#{fragment}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (String::from_utf8(output.stdout).unwrap(), started.elapsed().as_millis())
}

/// The number in `name="..."` on the page's body.
fn attribute(dom: &str, name: &str) -> u64 {
    let start =
        dom.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name}")) + name.len() + 2;
    dom[start..].split('"').next().and_then(|n| n.parse().ok()).expect("a number")
}

/// The drawn lanes: the `<svg>` element of the dumped DOM (the page's script, also in the
/// DOM, holds the same markup as text, so counting must not look there).
fn lanes(dom: &str) -> &str {
    let start = dom.find("<svg id=\"lanes\"").expect("the lanes");
    let end = start + dom[start..].find("</svg>").expect("closed");
    &dom[start..end]
}

/// `text` as the DOM serializer writes a text node.
fn as_text_node(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[test]
fn the_page_of_partitions_many_clients_seed_7_is_at_most_3_mb_and_self_contained() {
    let page = timeline::html(&many_clients()).expect("recorded");
    println!("kv.partitions_many_clients seed 7: {} bytes", page.len());
    assert!(page.len() <= MAX_BYTES, "{} bytes", page.len());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("http://") && !page.contains("https://"), "fetches nothing");
    // The data cannot end its script element early: only the page's own two scripts close.
    assert_eq!(page.matches("</script>").count(), 2);
}

#[test]
fn a_run_without_a_timeline_has_no_page() {
    let scenario = catalog::find::<RaftNode>("agree.basic_indices").expect("in the catalog");
    let report = scenario.run(Run::new(0));
    assert!(timeline::html(&report).is_none());
    let path = scratch("timeline_none").join("out.html");
    assert!(timeline::write_html(&report, &path).is_err());
}

#[test]
fn the_kv_page_renders_in_chromium_and_shows_the_state_on_hover() {
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} is absent (apt-get install chromium)");
        return;
    }
    let report = many_clients();
    let timeline = report.timeline.as_ref().expect("recorded");
    let kv = timeline.kv().expect("a KV run");
    let dir = scratch("timeline_kv");
    let page = dir.join("kv7.html");
    timeline::write_html(&report, &page).expect("written");

    // An operation that wrote, somewhere in the middle of the run, so its state is not empty.
    let records = kv.history.records();
    let (op, place) = (records.len() / 2..records.len())
        .find_map(|i| {
            let place = kv.linearization.places[i].as_ref()?;
            (!place.state_after.ends_with("\"\"")).then_some((i, place))
        })
        .expect("a placed operation with a state");
    let (dom, wall_ms) = chromium(&page, &format!("hover=op{op}"), &dir.join("p1"), "--dump-dom");
    assert!(dom.contains(r#"data-ready="yes""#), "the script ran to its end");
    assert!(!dom.contains("data-error="), "a script error: {}", &dom[..dom.len().min(400)]);
    let load_ms = attribute(&dom, "data-render-ms");
    println!("kv.partitions_many_clients seed 7: drawn {load_ms} ms after navigation, chromium ran {wall_ms} ms in all");
    assert!(load_ms < MAX_LOAD_MS, "drawn {load_ms} ms after navigation");

    // A lane per server and per client, and every operation drawn in the whole-run view.
    let svg = lanes(&dom);
    for id in timeline.servers() {
        assert!(svg.contains(&format!(">n{}</text>", id.0)), "no lane for {id}");
    }
    for (client, _) in &kv.clerks {
        assert!(svg.contains(&format!(">c{}</text>", client.0)), "no lane for client {client}");
    }
    assert!(svg.matches("class=\"role").count() >= timeline.servers().len());
    assert_eq!(svg.matches("<rect id=\"op").count(), records.len(), "every operation");
    assert_eq!(
        svg.matches("class=\"lp\"").count(),
        kv.linearization.places.iter().flatten().count()
    );
    assert!(!svg.contains("data-msg="), "no message is drawn until asked");

    // The hover panel holds the hovered operation and the model state after it.
    let tip = &dom[dom.find("<div id=\"tip\"").expect("the tip")..];
    let tip = &tip[..tip.find("</div></div>").map_or(tip.len(), |end| end + 12)];
    assert!(tip.contains(&format!("data-op=\"{op}\"")), "{tip}");
    assert!(tip.contains("state after"), "{tip}");
    assert!(tip.contains(&as_text_node(&place.state_after)), "{} not in {tip}", place.state_after);
    assert!(tip.contains(&format!("linearized</span>at {}", place.point)), "{tip}");

    let png = dir.join("kv7.png");
    chromium(
        &page,
        &format!("hover=op{op}"),
        &dir.join("p2"),
        &format!("--screenshot={}", png.display()),
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{} bytes", bytes.len());
    println!("screenshot: {}", png.display());
}

#[test]
fn messages_are_drawn_only_on_demand_and_capped_with_a_count() {
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} is absent (apt-get install chromium)");
        return;
    }
    let report = many_clients();
    let dir = scratch("timeline_messages");
    let page = dir.join("kv7.html");
    timeline::write_html(&report, &page).expect("written");
    let messages = timeline::pair(report.timeline.as_ref().expect("recorded").records());
    let of_n1 = messages.iter().filter(|m| m.from.0 == 1 || m.to.0 == 1).count();

    let (dom, _) = chromium(&page, "node=1&draw=1", &dir.join("p1"), "--dump-dom");
    assert!(!dom.contains("data-error="), "a script error: {}", &dom[..dom.len().min(400)]);
    let drawn = attribute(&dom, "data-messages-drawn") as usize;
    assert_eq!(drawn, of_n1.min(1500), "n1's messages, at most the cap");
    // Those in the whole-run view are paths on the page; the count of the rest is said.
    assert_eq!(lanes(&dom).matches("data-msg=").count(), drawn);
    let said = format!(
        "{of_n1} of {} messages match (n1, 0s – {}); {drawn} drawn",
        messages.len(),
        report.virtual_time
    );
    assert!(dom.contains(&said), "{said}");
    if of_n1 > 1500 {
        assert!(dom.contains(&format!("{} more left out", of_n1 - 1500)));
    }
}

#[test]
fn a_failing_raft_run_marks_its_broken_invariant_in_chromium() {
    let report = failing_raft();
    let page_text = timeline::html(&report).expect("recorded");
    println!("swarm.raft seed 0 with the bug: {} bytes", page_text.len());
    let failure = report.failure.as_ref().expect("the bug is caught");
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} is absent (apt-get install chromium)");
        return;
    }
    let dir = scratch("timeline_raft");
    let page = dir.join("raft.html");
    std::fs::write(&page, &page_text).unwrap();
    let (dom, wall_ms) = chromium(&page, "", &dir.join("p1"), "--dump-dom");
    assert!(dom.contains(r#"data-ready="yes""#) && !dom.contains("data-error="));
    let load_ms = attribute(&dom, "data-render-ms");
    println!("swarm.raft seed 0 with the bug: drawn {load_ms} ms after navigation, chromium ran {wall_ms} ms in all");
    assert!(load_ms < MAX_LOAD_MS);
    let svg = lanes(&dom);
    assert!(svg.contains("class=\"fail-line\""));
    let at = svg.find("id=\"fail-label\"").expect("the failure's label");
    assert!(svg[at..].contains(&format!("✖ {}</text>", failure.broke)), "labelled with what broke");
    assert!(dom.contains(&as_text_node(&failure.message)), "the failure's message is on the page");
    // Raft lanes only: the leaders of the run are drawn as leaders.
    assert!(svg.contains("class=\"role2\""), "a leader on some lane");
    assert!(!svg.contains("<rect id=\"op"));

    let png = dir.join("raft.png");
    chromium(&page, "node=1&draw=1", &dir.join("p2"), &format!("--screenshot={}", png.display()));
    assert!(std::fs::read(&png).expect("a screenshot").starts_with(b"\x89PNG"));
    println!("screenshot: {}", png.display());
}
