//! Which consistency a check decides, and verdicts worded for it: a history that fails
//! sequential consistency must never be printed as "not linearizable".
use std::fmt;

/// The property a history is checked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Consistency {
    /// One total order of all operations that respects real time (each operation takes
    /// effect between its call and its return) and is legal for the model.
    Linearizable,
    /// One total order of all operations that respects each client's program order (not
    /// real time) and is legal for the model.
    Sequential,
}

impl Consistency {
    /// Every consistency, in the order a command line lists them.
    pub const ALL: [Consistency; 2] = [Consistency::Linearizable, Consistency::Sequential];

    /// The name a command line gives it (`--consistency sequential`).
    pub fn name(self) -> &'static str {
        match self {
            Consistency::Linearizable => "linearizable",
            Consistency::Sequential => "sequential",
        }
    }

    /// The consistency named `name`, if any.
    pub fn from_name(name: &str) -> Option<Consistency> {
        Consistency::ALL.into_iter().find(|consistency| consistency.name() == name)
    }

    /// The adjective a history that has it earns (`sequentially consistent`).
    pub fn adjective(self) -> &'static str {
        match self {
            Consistency::Linearizable => "linearizable",
            Consistency::Sequential => "sequentially consistent",
        }
    }
}

impl fmt::Display for Consistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A verdict about one consistency, whichever it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The history has the property: an order exists.
    Holds,
    /// The history does not have it: no order exists.
    Violated,
    /// The check could not decide (budget, memory): never a pass.
    Unknown,
}

/// A decision together with the consistency it is about: it reads right for either
/// (`sequentially consistent`, `not sequentially consistent`, `unknown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Judgement {
    pub consistency: Consistency,
    pub decision: Decision,
}

impl Judgement {
    /// A short name for machine-readable output (`not-sequentially-consistent`).
    pub fn slug(self) -> String {
        self.to_string().replace(' ', "-")
    }
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let adjective = self.consistency.adjective();
        match self.decision {
            Decision::Holds => f.write_str(adjective),
            Decision::Violated => write!(f, "not {adjective}"),
            Decision::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Verdict;

    #[test]
    fn verdicts_read_right_for_each_consistency() {
        let judge = |consistency, decision| Judgement { consistency, decision }.to_string();
        assert_eq!(
            judge(Consistency::Sequential, Decision::Violated),
            "not sequentially consistent"
        );
        assert_eq!(judge(Consistency::Sequential, Decision::Holds), "sequentially consistent");
        assert_eq!(judge(Consistency::Linearizable, Decision::Violated), "not linearizable");
        assert_eq!(judge(Consistency::Sequential, Decision::Unknown), "unknown");
        let slug = Judgement { consistency: Consistency::Sequential, decision: Decision::Violated };
        assert_eq!(slug.slug(), "not-sequentially-consistent");
        let linearizable = Decision::from(Verdict::NotLinearizable);
        assert_eq!(
            judge(Consistency::Linearizable, linearizable),
            Verdict::NotLinearizable.to_string()
        );
    }

    #[test]
    fn names_round_trip() {
        for consistency in Consistency::ALL {
            assert_eq!(Consistency::from_name(consistency.name()), Some(consistency));
        }
        assert_eq!(Consistency::from_name("causal"), None);
    }
}
