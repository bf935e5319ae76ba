//! Partition shapes as sets of cut directed links, so the Raft and the KV swarm apply the same
//! shapes: heal, then cut exactly these links.
use sim::NodeId;

use super::mix::Shape;

/// The directed links `shape` cuts among `servers`; `pick(n)` draws a number below `n` from
/// the run's fault stream, `leader` is the newest leader if there is one.
pub fn cuts(
    shape: Shape,
    servers: &[NodeId],
    leader: Option<NodeId>,
    pick: &mut impl FnMut(u64) -> u64,
) -> Vec<(NodeId, NodeId)> {
    let n = servers.len() as u64;
    let victim = leader.unwrap_or(servers[pick(n) as usize]);
    match shape {
        Shape::IsolateLeader => both_ways(&[victim], &others(servers, &[victim])),
        Shape::Split => {
            let (a, b): (Vec<NodeId>, Vec<NodeId>) = servers.iter().partition(|_| pick(2) == 0);
            both_ways(&a, &b)
        }
        Shape::OneWay => {
            // The victim keeps hearing the others but is not heard (or the reverse): a leader
            // that cannot reach its followers, or a node whose votes never arrive.
            let rest = others(servers, &[victim]);
            if pick(2) == 0 {
                rest.iter().map(|&o| (victim, o)).collect()
            } else {
                rest.iter().map(|&o| (o, victim)).collect()
            }
        }
        Shape::Bridge => {
            let bridge = victim;
            let rest = others(servers, &[bridge]);
            let (a, b) = rest.split_at(rest.len() / 2);
            both_ways(a, b)
        }
    }
}

fn others(servers: &[NodeId], not: &[NodeId]) -> Vec<NodeId> {
    servers.iter().copied().filter(|s| !not.contains(s)).collect()
}

/// Every link between `a` and `b`, in both directions.
fn both_ways(a: &[NodeId], b: &[NodeId]) -> Vec<(NodeId, NodeId)> {
    let mut links = Vec::new();
    for &x in a {
        for &y in b {
            links.push((x, y));
            links.push((y, x));
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u32) -> Vec<NodeId> {
        (0..n).map(NodeId).collect()
    }

    #[test]
    fn a_bridge_joins_two_halves_that_cannot_talk() {
        let mut zero = |_| 0;
        let cut = cuts(Shape::Bridge, &ids(5), Some(NodeId(2)), &mut zero);
        assert!(cut.iter().all(|(a, b)| *a != NodeId(2) && *b != NodeId(2)));
        assert!(cut.contains(&(NodeId(0), NodeId(3))) && cut.contains(&(NodeId(3), NodeId(0))));
        assert!(!cut.contains(&(NodeId(0), NodeId(1))));
    }

    #[test]
    fn a_one_way_cut_leaves_the_other_direction_up() {
        let mut zero = |_| 0;
        let cut = cuts(Shape::OneWay, &ids(3), Some(NodeId(1)), &mut zero);
        assert_eq!(cut, vec![(NodeId(1), NodeId(0)), (NodeId(1), NodeId(2))]);
    }
}
