//! The precedence graph: operations as nodes, an edge wherever one must come before another,
//! decided by a topological sort (petgraph) and explained by a shortest cycle.
//!
//! Real-time order alone has up to n^2 edges (every operation that returned before another
//! was called). Instead each distinct return time gets a node, the time nodes form a chain
//! in increasing order, an operation points at the node of its return time, and the node of
//! the latest return time before an operation's call points at that operation. So `a`
//! reaches `b` through time nodes iff `a` returned before `b` was called, with O(n) nodes
//! and edges. The time chain itself is acyclic and, since a call never follows its own
//! return, it gives no operation a path to itself; a cycle always passes through two
//! operations, and a topological order restricted to operations is a linearization order.
use std::collections::VecDeque;

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::cycle::{Step, Why};
use super::meter::Meter;
use crate::result::Undecided;

/// What a node stands for: an operation, a return time, or a virtual point a model adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Op,
    Time,
    Virtual,
}

/// Why an edge is there: part of the time chain, or a model's reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Link {
    Time,
    ReadsFrom,
    Overwrites,
    AppendOrder,
    Unseen,
}

/// One operation of the graph: (history index, call, return if known).
pub(crate) type Timed = (usize, u64, Option<u64>);

pub(crate) struct Precedence {
    graph: DiGraph<Node, Link, u32>,
    ops: Vec<Timed>,
}

impl Precedence {
    /// A graph with `ops` as nodes `0..ops.len()` and their real-time order.
    pub fn new(ops: Vec<Timed>, meter: &mut Meter) -> Result<Precedence, Undecided> {
        let mut returns: Vec<u64> = ops.iter().filter_map(|op| op.2).collect();
        returns.sort_unstable();
        returns.dedup();
        let mut graph = DiGraph::with_capacity(ops.len() + returns.len() + 1, 5 * ops.len());
        for _ in &ops {
            graph.add_node(Node::Op);
        }
        let time = |k: usize| NodeIndex::new(ops.len() + k);
        for k in 0..returns.len() {
            graph.add_node(Node::Time);
            if k > 0 {
                graph.add_edge(time(k - 1), time(k), Link::Time);
            }
        }
        for (position, &(_, call, ret)) in ops.iter().enumerate() {
            meter.tick()?;
            let op = NodeIndex::new(position);
            if let Some(ret) = ret {
                graph.add_edge(op, time(returns.partition_point(|&r| r < ret)), Link::Time);
            }
            if let Some(k) = returns.partition_point(|&r| r < call).checked_sub(1) {
                graph.add_edge(time(k), op, Link::Time);
            }
        }
        Ok(Precedence { graph, ops })
    }

    /// The node of the operation at `position` in the list given to `new`.
    pub fn op(&self, position: usize) -> NodeIndex {
        NodeIndex::new(position)
    }

    pub fn add_virtual(&mut self) -> NodeIndex {
        self.graph.add_node(Node::Virtual)
    }

    pub fn add_edge(&mut self, from: NodeIndex, to: NodeIndex, link: Link) {
        self.graph.add_edge(from, to, link);
    }

    /// The operations (history indices) in an order every edge respects, or a node on a
    /// cycle.
    pub fn order(&self) -> Result<Vec<usize>, NodeIndex> {
        let sorted = toposort(&self.graph, None).map_err(|cycle| cycle.node_id())?;
        Ok(sorted
            .into_iter()
            .filter(|node| self.graph[*node] == Node::Op)
            .map(|node| self.ops[node.index()].0)
            .collect())
    }

    /// A cycle through `node` with the fewest operations on it, as steps between operations
    /// (history indices).
    pub fn cycle(&self, node: NodeIndex) -> Vec<Step> {
        let path = self.shortest_cycle(node);
        let start = match path.iter().position(|&n| self.graph[n] == Node::Op) {
            Some(_) if self.graph[node] == Node::Op => return self.steps(&path),
            Some(position) => path[position],
            None => unreachable!("every cycle passes through an operation"),
        };
        self.steps(&self.shortest_cycle(start))
    }

    /// The nodes of a shortest cycle through `start` (counting operations only), starting
    /// with `start`: a 0-1 breadth-first search, entering an operation costing one.
    fn shortest_cycle(&self, start: NodeIndex) -> Vec<NodeIndex> {
        let count = self.graph.node_count();
        let mut distance = vec![usize::MAX; count];
        let mut parent = vec![NodeIndex::end(); count];
        let mut queue = VecDeque::from([start]);
        distance[start.index()] = 0;
        while let Some(at) = queue.pop_front() {
            for edge in self.graph.edges(at) {
                let next = edge.target();
                let cost = usize::from(self.graph[next] == Node::Op);
                if next == start {
                    return self.path(&parent, at, start);
                }
                if distance[at.index()] + cost < distance[next.index()] {
                    distance[next.index()] = distance[at.index()] + cost;
                    parent[next.index()] = at;
                    if cost == 0 {
                        queue.push_front(next);
                    } else {
                        queue.push_back(next);
                    }
                }
            }
        }
        unreachable!("the node is on a cycle")
    }

    fn path(&self, parent: &[NodeIndex], last: NodeIndex, start: NodeIndex) -> Vec<NodeIndex> {
        let mut path = vec![last];
        while *path.last().expect("not empty") != start {
            path.push(parent[path.last().expect("not empty").index()]);
        }
        path.reverse();
        path
    }

    /// The cycle `path` (back to its first node, an operation) as steps between operations.
    /// Between two operations the path is one edge, or a stretch through time nodes (a
    /// real-time step), or through a virtual node (both edges carry its reason); the first
    /// edge of a stretch says which.
    fn steps(&self, path: &[NodeIndex]) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut anchor = path[0];
        let mut stretch = None;
        for k in 0..path.len() {
            let (from, to) = (path[k], path[(k + 1) % path.len()]);
            let edge = self.graph.find_edge(from, to).expect("consecutive nodes are linked");
            let link = *stretch.get_or_insert(self.graph[edge]);
            if self.graph[to] == Node::Op {
                steps.push(self.step(anchor, to, link));
                (anchor, stretch) = (to, None);
            }
        }
        steps
    }

    fn step(&self, from: NodeIndex, to: NodeIndex, link: Link) -> Step {
        let (from, to) = (self.ops[from.index()], self.ops[to.index()]);
        let why = match link {
            Link::Time => Why::RealTime { returned: from.2.unwrap_or(u64::MAX), called: to.1 },
            Link::ReadsFrom => Why::ReadsFrom,
            Link::Overwrites => Why::Overwrites,
            Link::AppendOrder => Why::AppendOrder,
            Link::Unseen => Why::Unseen,
        };
        Step { from: from.0, to: to.0, why }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fastpath::meter::Meter;

    fn meter() -> Meter {
        Meter::unlimited()
    }

    /// Real-time reachability through the time chain is exactly "returned before called".
    #[test]
    fn time_nodes_give_exactly_real_time_order() {
        let mut seed = 11u64;
        let mut next = |limit: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % limit
        };
        for _ in 0..300 {
            let ops: Vec<Timed> = (0..1 + next(7) as usize)
                .map(|index| {
                    let call = next(10);
                    (index, call, (next(4) > 0).then(|| call + next(5)))
                })
                .collect();
            let graph = Precedence::new(ops.clone(), &mut meter()).expect("no budget");
            for (a, &(_, _, ret)) in ops.iter().enumerate() {
                for (b, &(_, call, _)) in ops.iter().enumerate() {
                    let reach = petgraph::algo::has_path_connecting(
                        &graph.graph,
                        graph.op(a),
                        graph.op(b),
                        None,
                    );
                    assert_eq!(
                        reach && a != b,
                        a != b && ret.is_some_and(|ret| ret < call),
                        "{ops:?} {a} {b}"
                    );
                }
            }
            assert!(graph.order().is_ok(), "real time alone never has a cycle");
        }
    }

    #[test]
    fn a_cycle_comes_back_as_steps_between_operations() {
        // Op 0 returns at 5 before op 1 is called at 7; op 1 must also precede op 0.
        let mut graph =
            Precedence::new(vec![(10, 0, Some(5)), (11, 7, Some(9)), (12, 0, None)], &mut meter())
                .expect("no budget");
        graph.add_edge(graph.op(1), graph.op(0), Link::ReadsFrom);
        assert!(graph.order().is_err());
        assert_eq!(
            graph.cycle(graph.op(0)),
            vec![
                Step { from: 10, to: 11, why: Why::RealTime { returned: 5, called: 7 } },
                Step { from: 11, to: 10, why: Why::ReadsFrom },
            ]
        );
    }

    #[test]
    fn a_virtual_node_between_two_operations_is_one_step() {
        let mut graph = Precedence::new(vec![(0, 0, Some(1)), (1, 5, Some(6))], &mut meter())
            .expect("no budget");
        let last = graph.add_virtual();
        graph.add_edge(graph.op(1), last, Link::Unseen);
        graph.add_edge(last, graph.op(0), Link::Unseen);
        assert_eq!(
            graph.cycle(graph.op(0)),
            vec![
                Step { from: 0, to: 1, why: Why::RealTime { returned: 1, called: 5 } },
                Step { from: 1, to: 0, why: Why::Unseen },
            ]
        );
    }
}
