//! Which servers can talk to which, over virtual time, replayed from the trace's network
//! events (connect, disconnect, partition, one-way link, heal) with the simulator's rules: a
//! partition sets the links between the nodes it lists (up inside a group, down across), a
//! link sets one direction, heal brings every link up and connects everyone, and a message
//! needs both ends connected and its direction's link up. Two servers are in one group when
//! they can reach each other both ways, directly or through others in the group; a
//! disconnected server is cut off on its own. Only the servers are grouped: a clerk is not a
//! side of a split.
use std::collections::BTreeSet;

use sim::{NodeId, SimTime, TraceEvent, TraceRecord};

/// The servers' groups from `at` until the next change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Groups {
    pub at: SimTime,
    /// Groups of connected servers that reach each other, each sorted, ordered by first member.
    pub groups: Vec<Vec<NodeId>>,
    /// Servers disconnected from everyone.
    pub cut_off: Vec<NodeId>,
}

/// The network as the trace has set it so far.
#[derive(Default)]
struct Net {
    down: BTreeSet<(NodeId, NodeId)>,
    disconnected: BTreeSet<NodeId>,
}

impl Net {
    /// Applies a network event; false for events that do not touch connectivity.
    fn apply<M>(&mut self, event: &TraceEvent<M>) -> bool {
        match event {
            TraceEvent::Connect { node } => self.disconnected.remove(node),
            TraceEvent::Disconnect { node } => self.disconnected.insert(*node),
            TraceEvent::Link { from, to, up: true } => self.down.remove(&(*from, *to)),
            TraceEvent::Link { from, to, up: false } => self.down.insert((*from, *to)),
            TraceEvent::Heal => {
                self.down.clear();
                self.disconnected.clear();
                true
            }
            TraceEvent::Partition { groups } => {
                for (i, a_group) in groups.iter().enumerate() {
                    for (j, b_group) in groups.iter().enumerate() {
                        for &a in a_group {
                            for &b in b_group {
                                if i == j {
                                    self.down.remove(&(a, b));
                                } else {
                                    self.down.insert((a, b));
                                }
                            }
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }

    fn both_ways(&self, a: NodeId, b: NodeId) -> bool {
        !self.down.contains(&(a, b)) && !self.down.contains(&(b, a))
    }

    /// The groups of `servers` now (a flood fill over two-way links).
    fn groups(&self, at: SimTime, servers: &[NodeId]) -> Groups {
        let (cut_off, connected): (Vec<NodeId>, Vec<NodeId>) =
            servers.iter().partition(|s| self.disconnected.contains(s));
        let mut left: BTreeSet<NodeId> = connected.into_iter().collect();
        let mut groups = Vec::new();
        while let Some(&first) = left.iter().next() {
            left.remove(&first);
            let mut group = vec![first];
            let mut next = 0;
            while next < group.len() {
                let a = group[next];
                let reached: Vec<NodeId> =
                    left.iter().copied().filter(|&b| self.both_ways(a, b)).collect();
                for b in reached {
                    left.remove(&b);
                    group.push(b);
                }
                next += 1;
            }
            group.sort();
            groups.push(group);
        }
        Groups { at, groups, cut_off }
    }
}

/// The servers' groups at the start and after every change the trace records.
pub fn groups_over_time<M>(records: &[TraceRecord<M>], servers: &[NodeId]) -> Vec<Groups> {
    let mut net = Net::default();
    let mut out = vec![net.groups(SimTime::ZERO, servers)];
    for record in records {
        if !net.apply(&record.event) {
            continue;
        }
        let now = net.groups(record.time, servers);
        let last = out.last().expect("starts with one");
        if (&last.groups, &last.cut_off) == (&now.groups, &now.cut_off) {
            continue;
        }
        // Several changes at one instant (a crash disconnects, then kills) show as the last.
        if last.at == now.at && out.len() > 1 {
            out.pop();
        }
        out.push(now);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64, event: TraceEvent<()>) -> TraceRecord<()> {
        TraceRecord { time: SimTime::from_millis(ms), event }
    }

    #[test]
    fn a_partition_a_cut_and_a_heal() {
        let n: Vec<NodeId> = (0..3).map(NodeId).collect();
        let records = vec![
            at(1, TraceEvent::Partition { groups: vec![vec![n[0], n[1]], vec![n[2]]] }),
            at(2, TraceEvent::Disconnect { node: n[1] }),
            // One direction down is enough to split a pair.
            at(3, TraceEvent::Heal),
            at(4, TraceEvent::Link { from: n[0], to: n[2], up: false }),
            at(5, TraceEvent::Note { text: "ignored".into() }),
        ];
        let seen: Vec<(u64, Vec<Vec<u32>>, Vec<u32>)> = groups_over_time(&records, &n)
            .into_iter()
            .map(|g| {
                let ids = |v: &[NodeId]| v.iter().map(|id| id.0).collect::<Vec<u32>>();
                let groups = g.groups.iter().map(|group| ids(group)).collect();
                (g.at.as_nanos() / 1_000_000, groups, ids(&g.cut_off))
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, vec![vec![0, 1, 2]], vec![]),
                (1, vec![vec![0, 1], vec![2]], vec![]),
                (2, vec![vec![0], vec![2]], vec![1]),
                // At 4 ms n0 no longer reaches n2 directly, but n1 reaches both both ways:
                // the three stay one group, so no change is recorded (the page marks the
                // link itself).
                (3, vec![vec![0, 1, 2]], vec![]),
            ]
        );
    }
}
