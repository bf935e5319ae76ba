//! A grade as people and tools read it: a per-part score table for the terminal, Gradescope's
//! `results.json` (one test each with name, score, max_score, output, visibility) and a JUnit
//! XML for CI dashboards. Both files hold no time or path, so grading twice writes them byte
//! for byte the same.
use std::fmt::Write as _;

use super::super::parts::Part;
use super::worker::TestResult;

/// The graded tests, in part order.
#[derive(Clone, Debug)]
pub struct Grade {
    pub tests: Vec<TestResult>,
}

/// Points per test: every scenario weighs the same.
const POINTS: u32 = 1;

impl Grade {
    /// Points earned.
    pub fn score(&self) -> u32 {
        self.tests.iter().filter(|t| t.passed).count() as u32 * POINTS
    }

    /// Points possible.
    pub fn max_score(&self) -> u32 {
        self.tests.len() as u32 * POINTS
    }

    /// The parts graded, with (passed, total) tests each.
    pub fn by_part(&self) -> Vec<(Part, usize, usize)> {
        Part::ALL
            .into_iter()
            .filter_map(|part| {
                let tests: Vec<&TestResult> =
                    self.tests.iter().filter(|t| t.part == part).collect();
                let passed = tests.iter().filter(|t| t.passed).count();
                (!tests.is_empty()).then_some((part, passed, tests.len()))
            })
            .collect()
    }

    /// The parts with a failing test.
    pub fn failed_parts(&self) -> Vec<Part> {
        self.by_part()
            .into_iter()
            .filter(|(_, passed, total)| passed < total)
            .map(|p| p.0)
            .collect()
    }

    /// The terminal's table: one row per part, then the total and each failing test.
    pub fn table(&self) -> String {
        let mut text = String::from("part  what                      passed   score\n");
        for (part, passed, total) in self.by_part() {
            let title = part.title();
            let percent = 100.0 * passed as f64 / total.max(1) as f64;
            let _ = writeln!(text, "{part:<5} {title:<25} {passed:>3}/{total:<3} {percent:>6.1}%");
        }
        let (score, max) = (self.score(), self.max_score());
        let percent = 100.0 * f64::from(score) / f64::from(max.max(1));
        let _ =
            writeln!(text, "total                           {score:>3}/{max:<3} {percent:>6.1}%");
        for test in self.tests.iter().filter(|t| !t.passed) {
            let seed = test.failed_seed.map_or(String::new(), |s| format!(" (seed {s:#x})"));
            let _ = writeln!(text, "  FAIL {}{seed}", test.test);
        }
        text
    }

    /// Gradescope's results.json.
    pub fn results_json(&self, visibility: &str) -> String {
        let mut text = String::from("{\n");
        let _ = writeln!(text, "  \"score\": {},", self.score());
        let _ = writeln!(text, "  \"max_score\": {},", self.max_score());
        text.push_str("  \"tests\": [\n");
        for (k, test) in self.tests.iter().enumerate() {
            let comma = if k + 1 < self.tests.len() { "," } else { "" };
            let _ = writeln!(
                text,
                "    {{\"name\": {}, \"number\": {}, \"score\": {}, \"max_score\": {POINTS}, \
                 \"output\": {}, \"visibility\": {}}}{comma}",
                json(&format!("{} {}", test.part, test.scenario)),
                json(test.part.label()),
                u32::from(test.passed) * POINTS,
                json(&test.output),
                json(visibility),
            );
        }
        text.push_str("  ]\n}\n");
        text
    }

    /// A JUnit XML report: one testsuite per part, one testcase per test.
    pub fn junit_xml(&self) -> String {
        let failures = self.tests.iter().filter(|t| !t.passed).count();
        let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            text,
            "<testsuites name=\"tenrec lab\" tests=\"{}\" failures=\"{failures}\">",
            self.tests.len()
        );
        for (part, passed, total) in self.by_part() {
            let _ = writeln!(
                text,
                "  <testsuite name=\"{part} {}\" tests=\"{total}\" failures=\"{}\">",
                xml(part.title()),
                total - passed
            );
            for test in self.tests.iter().filter(|t| t.part == part) {
                let _ = write!(
                    text,
                    "    <testcase classname=\"{part}\" name=\"{}\">",
                    xml(&test.test)
                );
                let _ = write!(
                    text,
                    "<properties><property name=\"trace_digest\" value=\"{:016x}\"/></properties>",
                    test.trace_digest
                );
                if test.passed {
                    let _ =
                        writeln!(text, "<system-out>{}</system-out></testcase>", xml(&test.output));
                } else {
                    let first =
                        test.output.lines().find(|l| l.contains("what broke")).unwrap_or("failed");
                    let _ = writeln!(
                        text,
                        "<failure message=\"{}\">{}</failure></testcase>",
                        xml(first.trim()),
                        xml(&test.output)
                    );
                }
            }
            text.push_str("  </testsuite>\n");
        }
        text.push_str("</testsuites>\n");
        text
    }
}

/// `text` as a JSON string literal.
fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// `text` escaped for XML text and attribute values: the checker's HTML escaping, which
/// XML reads the same, after dropping the control characters XML 1.0 cannot carry.
fn xml(text: &str) -> String {
    let allowed = |c: &char| !c.is_control() || matches!(c, '\n' | '\t' | '\r');
    checker::report::escape(&text.chars().filter(allowed).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_json_and_xml_well_formed() {
        assert_eq!(json("a \"b\"\n\\c\u{1}"), r#""a \"b\"\n\\c\u0001""#);
        assert_eq!(xml("<a href=\"x\">&'\u{1}"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
