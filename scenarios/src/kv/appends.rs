//! The lab's append checks (checkClntAppends / checkConcurrentAppends): in a key's final value,
//! every append a client completed appears exactly once, each client's appends appear in the
//! order it made them, and an append still open at the end appears at most once.

/// The unique element client `client` appends as its `j`-th append. Delimited on both sides,
/// so no element is a substring of another.
pub fn element(client: u64, j: u64) -> String {
    format!("x{client}.{j}y")
}

/// Checks `value` against the appends `client` made to the key: `completed` elements (in
/// order) must each appear exactly once and in that order; `open` ones at most once.
pub fn check_appends(
    key: &str,
    value: &str,
    client: u64,
    completed: &[u64],
    open: &[u64],
) -> Result<(), String> {
    let mut last_at: Option<(u64, usize)> = None;
    for &j in completed {
        let token = element(client, j);
        let mut found = value.match_indices(token.as_str()).map(|(at, _)| at);
        let Some(at) = found.next() else {
            return Err(format!("key {key:?}: completed append {token} is missing from {value:?}"));
        };
        if found.next().is_some() {
            return Err(format!("key {key:?}: append {token} appears more than once in {value:?}"));
        }
        if let Some((before, before_at)) = last_at {
            if at < before_at {
                return Err(format!(
                    "key {key:?}: append {token} appears before {} although it was made after \
                     it: {value:?}",
                    element(client, before)
                ));
            }
        }
        last_at = Some((j, at));
    }
    for &j in open {
        let token = element(client, j);
        if value.matches(token.as_str()).count() > 1 {
            return Err(format!("key {key:?}: append {token} appears more than once in {value:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catches_missing_duplicate_and_reordered_appends() {
        let ok = format!("{}{}{}", element(1, 0), element(2, 0), element(1, 1));
        assert_eq!(check_appends("k", &ok, 1, &[0, 1], &[]), Ok(()));
        assert!(check_appends("k", &ok, 1, &[0, 1, 2], &[]).is_err(), "missing");
        let twice = format!("{ok}{}", element(1, 1));
        assert!(check_appends("k", &twice, 1, &[0, 1], &[]).is_err(), "duplicate");
        assert!(check_appends("k", &twice, 1, &[0], &[1]).is_err(), "open but twice");
        let swapped = format!("{}{}", element(1, 1), element(1, 0));
        assert!(check_appends("k", &swapped, 1, &[0, 1], &[]).is_err(), "order");
        // Element 1 must not match inside element 11.
        assert!(check_appends("k", &element(1, 11), 1, &[1], &[]).is_err());
    }
}
