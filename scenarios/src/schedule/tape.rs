//! The cluster's side of a schedule's actions: each fault verb call takes the next position;
//! a replayed schedule decides whether (and with which arguments) it happens, and every call
//! is recorded as it was finally applied or skipped.
use sim::{NodeId, SimTime};

use super::action::{Action, Verb};

/// Fault actions being replayed and recorded.
#[derive(Clone, Debug, Default)]
pub struct ActionTape {
    replay: Option<Vec<Action>>,
    recorded: Vec<Action>,
}

impl ActionTape {
    /// A tape that replays `actions` by position.
    pub fn replaying(actions: Vec<Action>) -> ActionTape {
        ActionTape { replay: Some(actions), recorded: Vec::new() }
    }

    /// What to do for the scenario's next fault verb `wanted`, at `now`: `None` to skip it.
    ///
    /// - Not replaying: the verb as the scenario called it.
    /// - The replayed action at this position is the same verb: it decides, skipped or
    ///   applied with its own arguments (a shrinker may have merged a partition's groups).
    /// - It is another verb (the run has diverged from the one recorded), or names a node
    ///   that `known` says the run does not have (an edited file): the scenario's verb.
    /// - The schedule has no more actions: skipped, so a shrunk schedule never gains a fault
    ///   it does not list.
    pub fn next(
        &mut self,
        wanted: Verb,
        now: SimTime,
        known: impl Fn(NodeId) -> bool,
    ) -> Option<Verb> {
        let position = self.recorded.len();
        let decided = match &self.replay {
            None => Some(wanted.clone()),
            Some(actions) => match actions.get(position) {
                Some(a) if a.verb.same_verb(&wanted) && a.verb.nodes().all(&known) => {
                    (!a.skipped).then(|| a.verb.clone())
                }
                Some(_) => Some(wanted.clone()),
                None => None,
            },
        };
        let verb = decided.clone().unwrap_or(wanted);
        self.recorded.push(Action { verb, at: now, skipped: decided.is_none() });
        decided
    }

    /// Every fault verb call so far, as applied or skipped.
    pub fn recorded(&self) -> &[Action] {
        &self.recorded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: NodeId) -> bool {
        true
    }

    #[test]
    fn replays_by_position_and_skips_past_the_end() {
        let t = SimTime::ZERO;
        let mut tape = ActionTape::default();
        assert_eq!(tape.next(Verb::Crash(NodeId(1)), t, any), Some(Verb::Crash(NodeId(1))));
        assert_eq!(
            tape.next(Verb::Disconnect(NodeId(2)), t, any),
            Some(Verb::Disconnect(NodeId(2)))
        );
        let mut actions = tape.recorded().to_vec();
        actions[0].skipped = true;
        actions[1].verb = Verb::Disconnect(NodeId(3));
        let mut replay = ActionTape::replaying(actions);
        assert_eq!(replay.next(Verb::Crash(NodeId(1)), t, any), None);
        assert_eq!(
            replay.next(Verb::Disconnect(NodeId(2)), t, any),
            Some(Verb::Disconnect(NodeId(3)))
        );
        assert_eq!(replay.next(Verb::Crash(NodeId(4)), t, any), None, "past the end");
        assert!(replay.recorded()[0].skipped && replay.recorded()[2].skipped);
        assert!(!replay.recorded()[1].skipped);
    }

    #[test]
    fn a_diverged_run_keeps_the_scenarios_verb() {
        let t = SimTime::ZERO;
        let actions = vec![Action { verb: Verb::Crash(NodeId(1)), at: t, skipped: true }];
        let mut replay = ActionTape::replaying(actions);
        let cut = Verb::LinkDown(NodeId(0), NodeId(1));
        assert_eq!(replay.next(cut.clone(), t, any), Some(cut));
    }

    #[test]
    fn a_node_the_run_does_not_have_is_never_touched() {
        let t = SimTime::ZERO;
        let huge = Verb::Partition(vec![vec![NodeId(0)], vec![NodeId(u32::MAX)]]);
        let mut replay = ActionTape::replaying(vec![Action { verb: huge, at: t, skipped: false }]);
        let split = Verb::Partition(vec![vec![NodeId(0)], vec![NodeId(1)]]);
        assert_eq!(replay.next(split.clone(), t, |id| id.0 < 5), Some(split));
    }
}
