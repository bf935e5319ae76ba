//! A failed CAS read both ways (`FailedCas`): as an observation (it returned false, so the
//! register did not hold the expected value) it can make a history non-linearizable; dropped
//! (it did not happen) it cannot. Each format gets its default: observed for Jepsen logs and
//! JSON, dropped for EDN.
use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::{parse, FailedCas, Format};
use checker::{check, History, Model, ModelKind, Options, Verdict};

/// The smallest shape: `write 2` returns, then `cas [2 0]` fails with nothing in between. The
/// register held 2 throughout the CAS, so its compare cannot have failed.
const LOG: &str = "INFO  jepsen.util - 0\t:invoke\t:write\t2\n\
                   INFO  jepsen.util - 0\t:ok\t:write\t2\n\
                   INFO  jepsen.util - 1\t:invoke\t:cas\t[2 0]\n\
                   INFO  jepsen.util - 1\t:fail\t:cas\t[2 0]\n";

const EDN: &str = "[{:process 0 :type :invoke :f :write :value 2}\n\
                    {:process 0 :type :ok :f :write :value 2}\n\
                    {:process 1 :type :invoke :f :cas :value [2 0]}\n\
                    {:process 1 :type :fail :f :cas :value [2 0]}]";

const JSON: &str = r#"{"model": "cas-register", "operations": [
  {"client": 0, "f": "write", "input": 2, "call": 0, "return": 1},
  {"client": 1, "f": "cas", "input": [2, 0], "call": 2, "return": 3, "output": false}]}"#;

struct Check;

impl WithModel for Check {
    type Output = Verdict;
    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Verdict {
        check(&model, &history, &Options::default()).verdict
    }
}

/// The verdict for `text`, with `policy` or the format's default.
fn verdict(file: &str, text: &str, policy: Option<FailedCas>) -> Verdict {
    let mut raw = parse(file, text.as_bytes(), None).expect("a valid history");
    if let Some(policy) = policy {
        raw.failed_cas = policy;
    }
    let model = default_model(&raw).expect("a model");
    assert_eq!(model, ModelKind::CasRegister);
    with_model(&raw, model, Check).expect("a cas-register history")
}

#[test]
fn each_format_has_its_default_reading() {
    let format = |text: &str| parse("h", text.as_bytes(), None).expect("parses").format;
    assert_eq!(format(LOG), Format::JepsenLog);
    assert_eq!(FailedCas::default_for(Format::JepsenLog), FailedCas::Observed);
    assert_eq!(FailedCas::default_for(Format::Json), FailedCas::Observed);
    assert_eq!(FailedCas::default_for(Format::Edn), FailedCas::Dropped);
    assert_eq!(verdict("h.log", LOG, None), Verdict::NotLinearizable);
    assert_eq!(verdict("h.json", JSON, None), Verdict::NotLinearizable);
    assert_eq!(verdict("h.edn", EDN, None), Verdict::Linearizable);
}

#[test]
fn the_reproducer_is_linearizable_only_when_failures_are_dropped() {
    for (file, text) in [("h.log", LOG), ("h.edn", EDN), ("h.json", JSON)] {
        assert_eq!(verdict(file, text, Some(FailedCas::Dropped)), Verdict::Linearizable, "{file}");
        let observed = verdict(file, text, Some(FailedCas::Observed));
        assert_eq!(observed, Verdict::NotLinearizable, "{file}");
    }
}

#[test]
fn a_failed_cas_that_could_fail_is_linearizable() {
    // The register holds 1, not 2: the compare fails, and the CAS changes nothing, so a
    // later read still sees 1.
    let log = "INFO  jepsen.util - 0\t:invoke\t:write\t1\n\
               INFO  jepsen.util - 0\t:ok\t:write\t1\n\
               INFO  jepsen.util - 1\t:invoke\t:cas\t[2 0]\n\
               INFO  jepsen.util - 1\t:fail\t:cas\t[2 0]\n\
               INFO  jepsen.util - 0\t:invoke\t:read\tnil\n\
               INFO  jepsen.util - 0\t:ok\t:read\t1\n";
    assert_eq!(verdict("h.log", log, Some(FailedCas::Observed)), Verdict::Linearizable);
    // A failed CAS changes nothing: reading its `new` value after it is a violation.
    let wrote_anyway = log.replace(":ok\t:read\t1", ":ok\t:read\t0");
    let observed = verdict("h.log", &wrote_anyway, Some(FailedCas::Observed));
    assert_eq!(observed, Verdict::NotLinearizable);
}

#[test]
fn a_failed_cas_may_fail_anywhere_between_its_call_and_return() {
    // The write of 2 overlaps the CAS: the CAS may take effect before it, while the register
    // is still nil, and fail there.
    let log = "INFO  jepsen.util - 1\t:invoke\t:cas\t[2 0]\n\
               INFO  jepsen.util - 0\t:invoke\t:write\t2\n\
               INFO  jepsen.util - 0\t:ok\t:write\t2\n\
               INFO  jepsen.util - 1\t:fail\t:cas\t[2 0]\n";
    assert_eq!(verdict("h.log", log, None), Verdict::Linearizable);
}

#[test]
fn left_out_counts_only_what_is_not_checked() {
    let mut raw = parse("h.log", LOG.as_bytes(), None).expect("parses");
    assert_eq!((raw.left_out(), raw.kept().count()), (0, 2));
    raw.failed_cas = FailedCas::Dropped;
    assert_eq!((raw.left_out(), raw.kept().count()), (1, 1));
    assert_eq!(FailedCas::from_name("observed"), Some(FailedCas::Observed));
    assert_eq!(FailedCas::from_name("dropped"), Some(FailedCas::Dropped));
    assert_eq!(FailedCas::from_name("ignored"), None);
}
