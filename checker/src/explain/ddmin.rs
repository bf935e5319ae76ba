//! Zeller and Hildebrandt's ddmin: a 1-minimal subset of items that still makes a test fail.
//!
//! "Simplifying and Isolating Failure-Inducing Input" (TSE 2002), the variant that tests both
//! the chunks and their complements. The test is called only on proper subsets of the input,
//! and its answers are cached, because each answer here costs a linearizability search.
use std::collections::BTreeMap;

/// Shrinks `items` (which must make `fails` true) to a subset that still fails and from which
/// removing any single item makes `fails` false. Keeps the items' order.
pub fn ddmin<T: Clone + Ord>(items: &[T], mut fails: impl FnMut(&[T]) -> bool) -> Vec<T> {
    let mut cache: BTreeMap<Vec<T>, bool> = BTreeMap::new();
    let mut test = |candidate: &[T]| {
        if let Some(&known) = cache.get(candidate) {
            return known;
        }
        let answer = fails(candidate);
        cache.insert(candidate.to_vec(), answer);
        answer
    };
    let mut current = items.to_vec();
    let mut granularity = 2;
    while current.len() >= 2 {
        let chunks = split(&current, granularity);
        if let Some(chunk) = chunks.iter().find(|chunk| test(chunk)) {
            current = chunk.clone();
            granularity = 2;
            continue;
        }
        // With two chunks each complement is the other chunk, already tested.
        let complements = if granularity > 2 {
            (0..chunks.len()).map(|skip| complement(&chunks, skip)).find(|c| test(c))
        } else {
            None
        };
        if let Some(complement) = complements {
            current = complement;
            granularity = (granularity - 1).max(2);
            continue;
        }
        if granularity >= current.len() {
            break;
        }
        granularity = (granularity * 2).min(current.len());
    }
    // A single failing item may still reduce to nothing: the empty set is a candidate too.
    if current.len() == 1 && test(&[]) {
        current.clear();
    }
    current
}

/// `items` cut into `n` contiguous chunks of near-equal length (the first ones longer).
fn split<T: Clone>(items: &[T], n: usize) -> Vec<Vec<T>> {
    let n = n.min(items.len()).max(1);
    let (base, extra) = (items.len() / n, items.len() % n);
    let mut chunks = Vec::with_capacity(n);
    let mut start = 0;
    for index in 0..n {
        let len = base + usize::from(index < extra);
        chunks.push(items[start..start + len].to_vec());
        start += len;
    }
    chunks
}

/// Every chunk but the `skip`-th, concatenated in order.
fn complement<T: Clone>(chunks: &[Vec<T>], skip: usize) -> Vec<T> {
    chunks
        .iter()
        .enumerate()
        .filter(|&(index, _)| index != skip)
        .flat_map(|(_, chunk)| chunk.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_failure_inducing_pair() {
        let items: Vec<u32> = (0..40).collect();
        let mut calls = 0;
        let found = ddmin(&items, |subset| {
            calls += 1;
            subset.contains(&7) && subset.contains(&31)
        });
        assert_eq!(found, vec![7, 31]);
        assert!(calls < 100, "ddmin took {calls} tests");
    }

    #[test]
    fn result_is_one_minimal_for_a_threshold_test() {
        // Fails while at least three multiples of five remain: any three of them is 1-minimal.
        let items: Vec<u32> = (0..30).collect();
        let fails = |subset: &[u32]| subset.iter().filter(|&&x| x % 5 == 0).count() >= 3;
        let found = ddmin(&items, fails);
        assert!(fails(&found));
        assert_eq!(found.len(), 3);
        for skip in 0..found.len() {
            let mut smaller = found.clone();
            smaller.remove(skip);
            assert!(!fails(&smaller));
        }
    }

    #[test]
    fn an_always_failing_test_reduces_to_nothing() {
        assert_eq!(ddmin(&[1, 2, 3], |_| true), Vec::<i32>::new());
        assert_eq!(ddmin(&[1, 2, 3], |subset| !subset.is_empty()).len(), 1);
    }

    #[test]
    fn split_covers_every_item_once() {
        let items: Vec<u32> = (0..11).collect();
        let chunks = split(&items, 4);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 2]);
        assert_eq!(chunks.concat(), items);
        assert_eq!(complement(&chunks, 1), [&items[..3], &items[6..]].concat());
    }
}
