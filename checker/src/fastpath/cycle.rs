//! Why a partition is not linearizable, Elle-style: a short cycle of "must come before"
//! edges, each with its reason, or a read no sequence of operations can produce.
//!
//! Every edge `a -> b` of a cycle is forced: in any linearization `a` comes before `b`
//! (`rt`, `wr`, `rw`, `ww`, `init`, `unseen`), or `a` and `b` lie in one unbroken run of the
//! register that no other write can enter (`run`), so whatever must precede one must precede
//! the other. A cycle of such edges has no linearization.
use std::collections::BTreeMap;
use std::fmt;

/// Why one operation must come before (or, for [`Why::SameRun`], beside) another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// `from` returned at `returned`, before `to` was called at `called`.
    RealTime { returned: u64, called: u64 },
    /// `to` observed (read, swapped from, or shows) what `from` wrote or appended.
    ReadsFrom,
    /// `from` observed a state that `to` ended: the value `to` replaced, or a list without
    /// `to`'s append, which a later read shows.
    Overwrites,
    /// A read shows `from`'s append before `to`'s.
    AppendOrder,
    /// `from` is in the run that starts from the initial value, which comes before every
    /// write, `to` included.
    InitialRun,
    /// `from` and `to` are in one run: a write, the CASes chained on it and their reads,
    /// back to back, with no other write between them.
    SameRun,
    /// No read shows `to`'s append, so it comes after every read and every shown append.
    Unseen,
}

impl Why {
    /// The short label on an arrow (`-rt->`).
    pub fn label(&self) -> &'static str {
        match self {
            Why::RealTime { .. } => "rt",
            Why::ReadsFrom => "wr",
            Why::Overwrites => "rw",
            Why::AppendOrder => "ww",
            Why::InitialRun => "init",
            Why::SameRun => "run",
            Why::Unseen => "unseen",
        }
    }
}

/// One edge of a cycle, between history indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub from: usize,
    pub to: usize,
    pub why: Why,
}

/// A cycle: each step's `to` is the next step's `from`, and the last returns to the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    steps: Vec<Step>,
}

impl Cycle {
    /// A cycle of these steps (at least one, each ending where the next starts).
    pub(crate) fn new(steps: Vec<Step>) -> Cycle {
        debug_assert!(!steps.is_empty());
        debug_assert!(steps.iter().zip(steps.iter().cycle().skip(1)).all(|(a, b)| a.to == b.from));
        Cycle { steps }
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

/// Why a partition is not linearizable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// The operations cannot be ordered: this cycle of forced edges.
    Cycle(Cycle),
    /// A read (or a CAS's compare) saw a value, or a list of appends, that no sequence of the
    /// partition's operations produces.
    ImpossibleRead { op: usize },
    /// Two reads of an append-only value neither of which shows a prefix of the other's list.
    IncompatibleReads { first: usize, second: usize },
}

impl Violation {
    /// The operations the explanation names (history indices, ascending): the heart of a
    /// failing sub-history.
    pub fn ops(&self) -> Vec<usize> {
        let mut ops: Vec<usize> = match self {
            Violation::Cycle(cycle) => cycle.steps.iter().map(|step| step.from).collect(),
            Violation::ImpossibleRead { op } => vec![*op],
            Violation::IncompatibleReads { first, second } => vec![*first, *second],
        };
        ops.sort_unstable();
        ops.dedup();
        ops
    }

    /// The violation with a name for each operation it mentions (`c2 read -> 1`), ready to
    /// display.
    pub fn explained(self, name: impl Fn(usize) -> String) -> Explained {
        let names = self.ops().into_iter().map(|op| (op, name(op))).collect();
        Explained { violation: self, names }
    }
}

/// A violation and the names of its operations; its `Display` is the explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub violation: Violation,
    names: BTreeMap<usize, String>,
}

impl Explained {
    fn name(&self, op: usize) -> &str {
        self.names.get(&op).map_or("?", String::as_str)
    }

    fn sentence(&self, step: &Step) -> String {
        let (from, to) = (self.name(step.from), self.name(step.to));
        match step.why {
            Why::RealTime { returned, called } => {
                format!("{from} returned at {returned} before {to} was called at {called}")
            }
            Why::ReadsFrom => format!("{to} observed what {from} wrote"),
            Why::Overwrites => format!("{from} observed a state that {to} ended"),
            Why::AppendOrder => format!("a read shows {from}'s append before {to}'s"),
            Why::InitialRun => format!(
                "{from} belongs to the run from the initial value, which precedes every write"
            ),
            Why::SameRun => {
                format!("{from} and {to} are in one run that no other write can enter")
            }
            Why::Unseen => format!(
                "no read shows {to}, so it follows every read and every append a read shows"
            ),
        }
    }
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.violation {
            Violation::Cycle(cycle) => {
                write!(f, "cycle: {}", self.name(cycle.steps[0].from))?;
                for step in &cycle.steps {
                    write!(f, " -{}-> {}", step.why.label(), self.name(step.to))?;
                }
                for step in &cycle.steps {
                    write!(f, "\n  {}", self.sentence(step))?;
                }
                Ok(())
            }
            Violation::ImpossibleRead { op } => {
                write!(f, "{} saw a state no sequence of these operations produces", self.name(*op))
            }
            Violation::IncompatibleReads { first, second } => write!(
                f,
                "{} and {} show appends in orders that are not prefixes of one another",
                self.name(*first),
                self.name(*second)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_reads_as_a_chain_of_arrows_then_one_reason_per_edge() {
        let cycle = Cycle::new(vec![
            Step { from: 0, to: 1, why: Why::ReadsFrom },
            Step { from: 1, to: 0, why: Why::RealTime { returned: 5, called: 7 } },
        ]);
        let explained =
            Violation::Cycle(cycle).explained(|op| ["c0 write(3)", "c1 read -> 3"][op].to_string());
        assert_eq!(
            explained.to_string(),
            "cycle: c0 write(3) -wr-> c1 read -> 3 -rt-> c0 write(3)\n  \
             c1 read -> 3 observed what c0 write(3) wrote\n  \
             c1 read -> 3 returned at 5 before c0 write(3) was called at 7"
        );
        assert_eq!(explained.violation.ops(), vec![0, 1]);
    }
}
