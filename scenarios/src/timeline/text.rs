//! Long text cut for the page: an appended value or a key's state grows with the run, and a
//! page that carried each in full would grow with the square of the history. The cut keeps
//! both ends (a value's news is at its end) and says how long the whole was, so nothing on the
//! page reads as complete when it is not.

/// `text` unchanged when it has at most `max` characters; else its head, the full length and
/// its tail: `"x1yx2y…(420 chars)…x40y"`.
pub fn shorten(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max / 3).collect();
    let tail: String = text.chars().skip(count - max * 2 / 3).collect();
    format!("{head}…({count} chars)…{tail}")
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn short_text_is_kept_and_long_text_keeps_both_ends() {
        assert_eq!(shorten("abc", 3), "abc");
        let long: String = ('a'..='z').collect();
        assert_eq!(shorten(&long, 6), "ab…(26 chars)…wxyz");
    }
}
