//! Append-only values (a kv key that only sees appends and gets) whose appended texts are
//! unique, decided by a precedence graph.
//!
//! Why this is exact. The value is always the appends that took effect so far, concatenated
//! in order. When no appended text is empty or a prefix of another (checked, else the search
//! decides), a text splits into appends in at most one way, so each read names the sequence
//! of appends before it, and must name each append at most once. Sequences only grow, so
//! all reads must show prefixes of the longest one, `L`; that fixes the order of every
//! append some read shows. An append no read shows must come after every read and every
//! shown append (a read after it would show it); if its outcome is unknown it may as well
//! never have happened, and is left out. A read showing the first `k` appends of `L` comes
//! after `L[k-1]` and before `L[k]`. These edges and real-time order are necessary, and a
//! topological order of them is a linearization (each read then sees exactly its prefix),
//! so the partition is linearizable iff the graph is acyclic.
use super::access::{Access, View};
use super::cycle::{Cycle, Violation};
use super::found::Found;
use super::graph::{Link, Precedence, Timed};
use super::meter::Meter;
use crate::result::Undecided;

pub(crate) fn decide(views: &[View<'_>], meter: &mut Meter) -> Result<Found, Undecided> {
    let Some(appends) = Appends::new(views) else { return Ok(Found::Fallback) };
    let reads: Vec<usize> =
        (0..views.len()).filter(|&i| matches!(views[i].access, Access::ReadAppends(_))).collect();
    let text = |i: usize| match views[i].access {
        Access::ReadAppends(text) => text,
        _ => "",
    };
    let longest = reads.iter().copied().max_by_key(|&i| (text(i).len(), std::cmp::Reverse(i)));
    let shown = match longest.map(|read| (read, appends.split(text(read)))) {
        None => Vec::new(),
        Some((_, Some(shown))) => shown,
        Some((read, None)) => return Ok(impossible(views, read)),
    };
    let mut boundaries = vec![0];
    for &append in &shown {
        let Access::Append(appended) = views[append].access else { unreachable!("an append") };
        boundaries.push(boundaries[boundaries.len() - 1] + appended.len());
    }
    let mut prefix = Vec::with_capacity(reads.len());
    for &read in &reads {
        meter.tick()?;
        let whole = longest.map_or("", text);
        match boundaries.binary_search(&text(read).len()) {
            Ok(k) if whole.starts_with(text(read)) => prefix.push(k),
            _ if appends.split(text(read)).is_none() => return Ok(impossible(views, read)),
            _ => {
                let (first, second) = (views[read].index, views[longest.unwrap_or(read)].index);
                return Ok(Found::Violation(Violation::IncompatibleReads { first, second }));
            }
        }
    }
    Graph { views, shown: &shown, reads: &reads, prefix: &prefix }.decide(meter)
}

fn impossible(views: &[View<'_>], read: usize) -> Found {
    Found::Violation(Violation::ImpossibleRead { op: views[read].index })
}

/// The appended texts, sorted, when none is empty or a prefix of another.
struct Appends<'a> {
    sorted: Vec<(&'a str, usize)>,
}

impl<'a> Appends<'a> {
    fn new(views: &[View<'a>]) -> Option<Appends<'a>> {
        let mut sorted: Vec<(&str, usize)> = Vec::new();
        for (i, view) in views.iter().enumerate() {
            if let Access::Append(text) = view.access {
                sorted.push((text, i));
            }
        }
        sorted.sort_unstable();
        // If `a` is a prefix of some `c`, every text sorted between them starts with `a`,
        // so checking neighbours is enough.
        let clean = sorted.first().is_none_or(|(text, _)| !text.is_empty())
            && sorted.windows(2).all(|pair| !pair[1].0.starts_with(pair[0].0));
        clean.then_some(Appends { sorted })
    }

    /// The appends (local indices) whose texts concatenate to `text`, each once, if any.
    /// The only text that can start `rest` is the greatest one not above it: any text
    /// between that one and `rest` would have it as a prefix.
    fn split(&self, text: &str) -> Option<Vec<usize>> {
        let mut shown = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let at = self.sorted.partition_point(|(candidate, _)| *candidate <= rest);
            let (candidate, append) = self.sorted.get(at.checked_sub(1)?)?;
            rest = rest.strip_prefix(candidate)?;
            shown.push(*append);
        }
        let mut unique = shown.clone();
        unique.sort_unstable();
        unique.dedup();
        (unique.len() == shown.len()).then_some(shown)
    }
}

/// The operations that go into the graph, and the edges between them.
struct Graph<'g, 'a> {
    views: &'g [View<'a>],
    /// The appends the longest read shows, in its order.
    shown: &'g [usize],
    reads: &'g [usize],
    /// How many of `shown` each read shows.
    prefix: &'g [usize],
}

impl Graph<'_, '_> {
    fn decide(&self, meter: &mut Meter) -> Result<Found, Undecided> {
        let mut is_shown = vec![false; self.views.len()];
        for &append in self.shown {
            is_shown[append] = true;
        }
        let unseen: Vec<usize> = (0..self.views.len())
            .filter(|&i| matches!(self.views[i].access, Access::Append(_)))
            .filter(|&i| !is_shown[i] && self.views[i].ret.is_some())
            .collect();
        let members: Vec<usize> =
            self.shown.iter().chain(self.reads).chain(&unseen).copied().collect();
        let timed: Vec<Timed> = members
            .iter()
            .map(|&i| (self.views[i].index, self.views[i].call, self.views[i].ret))
            .collect();
        meter.check_time()?;
        let mut graph = Precedence::new(timed, meter)?;
        let (shown, reads) = (self.shown.len(), self.reads.len());
        for k in 1..shown {
            graph.add_edge(graph.op(k - 1), graph.op(k), Link::AppendOrder);
        }
        let last = if unseen.is_empty() { None } else { Some(graph.add_virtual()) };
        for (r, &k) in self.prefix.iter().enumerate() {
            meter.tick()?;
            let read = graph.op(shown + r);
            if k > 0 {
                graph.add_edge(graph.op(k - 1), read, Link::ReadsFrom);
            }
            match (k < shown, last) {
                (true, _) => graph.add_edge(read, graph.op(k), Link::Overwrites),
                (false, Some(last)) => graph.add_edge(read, last, Link::Unseen),
                (false, None) => {}
            }
        }
        if let Some(last) = last {
            if shown > 0 {
                graph.add_edge(graph.op(shown - 1), last, Link::Unseen);
            }
            for u in 0..unseen.len() {
                graph.add_edge(last, graph.op(shown + reads + u), Link::Unseen);
            }
        }
        meter.check_time()?;
        let found = match graph.order() {
            Ok(order) => Found::Order(order),
            Err(node) => Found::Violation(Violation::Cycle(Cycle::new(graph.cycle(node)))),
        };
        meter.check_time()?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appends(texts: &[&'static str]) -> Option<Appends<'static>> {
        let views: Vec<View<'static>> = texts
            .iter()
            .enumerate()
            .map(|(index, text)| View { index, access: Access::Append(text), call: 0, ret: None })
            .collect();
        Appends::new(&views)
    }

    #[test]
    fn a_text_splits_into_appends_in_the_only_way() {
        let appends = appends(&["x1y", "x12y", "x2y"]).expect("prefix-free");
        assert_eq!(appends.split("x2yx1yx12y"), Some(vec![2, 0, 1]));
        assert_eq!(appends.split(""), Some(vec![]));
        assert_eq!(appends.split("x1yx1y"), None, "an append shows once");
        assert_eq!(appends.split("x1yx3y"), None);
        assert_eq!(appends.split("x1"), None);
    }

    #[test]
    fn texts_that_prefix_others_or_repeat_or_are_empty_are_refused() {
        assert!(appends(&["a", "ab"]).is_none());
        assert!(appends(&["ab", "ab"]).is_none());
        assert!(appends(&["", "b"]).is_none());
        assert!(appends(&["ab", "b", "ba"]).is_none());
        assert!(appends(&["ab", "b", "ca"]).is_some());
    }
}
