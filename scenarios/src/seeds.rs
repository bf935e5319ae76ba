//! Seeds as people write them: decimal or 0x hex, single (`42`, `0x2a`), half-open ranges
//! (`0..200`) and lists of both (`1, 7, 0x2a, 100..120`); for the CLI's flags, the lab's
//! `TENREC_SEED`/`TENREC_SEEDS` and the instructor's grading corpus alike.
use std::num::IntErrorKind;
use std::ops::Range;

/// Parses one seed, decimal or `0x` hex.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|e| match e.kind() {
        // Digits, just too many of them: say so, rather than "not a seed".
        IntErrorKind::PosOverflow => {
            format!("`{text}` is larger than the largest seed, 0xffffffffffffffff")
        }
        _ => format!("`{text}` is not a seed (decimal or 0x hex)"),
    })
}

/// Parses `A..B` (B excluded) or a single seed `A` (meaning `A..A+1`). An empty range is an
/// error, and so is the single seed 0xffffffffffffffff: its range would end past the largest
/// u64, and saturating there would make it the empty range, a sweep that runs nothing and
/// passes.
pub fn parse_seeds(text: &str) -> Result<Range<u64>, String> {
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (parse_seed(a)?, parse_seed(b)?);
            if a >= b {
                return Err(format!("`{text}` is an empty seed range"));
            }
            Ok(a..b)
        }
        None => {
            let a = parse_seed(text)?;
            let b = a.checked_add(1).ok_or_else(|| {
                format!(
                    "`{}` cannot be a range's only seed: the range would end past \
                     0xffffffffffffffff (`tenrec run` takes it as `--seed`)",
                    text.trim()
                )
            })?;
            Ok(a..b)
        }
    }
}

/// Parses a list of seeds and ranges separated by commas, whitespace or newlines, in order;
/// `#` starts a comment that runs to the end of its line. An empty list is an error.
pub fn parse_seed_list(text: &str) -> Result<Vec<u64>, String> {
    let mut seeds = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        for word in line.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
            // A single seed is itself, even the largest; only ranges need an end.
            match word.contains("..") {
                true => seeds.extend(parse_seeds(word)?),
                false => seeds.push(parse_seed(word)?),
            }
        }
    }
    if seeds.is_empty() {
        return Err("no seeds given".to_string());
    }
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_decimal_or_hex() {
        assert_eq!(parse_seed("42"), Ok(42));
        assert_eq!(parse_seed("0x2a"), Ok(42));
        assert!(parse_seed("forty").is_err());
        assert_eq!(parse_seeds("0..200"), Ok(0..200));
        assert_eq!(parse_seeds("0x10..0x12"), Ok(16..18));
        assert_eq!(parse_seeds("7"), Ok(7..8));
        assert!(parse_seeds("5..5").is_err());
        assert!(parse_seeds("6..5").is_err());
    }

    #[test]
    fn the_largest_seed_is_a_seed_but_not_a_range() {
        assert_eq!(parse_seed("0xffffffffffffffff"), Ok(u64::MAX));
        let err = parse_seeds("0xffffffffffffffff").expect_err("no range holds only u64::MAX");
        assert!(err.contains("past 0xffffffffffffffff"), "{err}");
        assert_eq!(parse_seeds("0xfffffffffffffffe"), Ok(u64::MAX - 1..u64::MAX));
        let err = parse_seed("0x10000000000000000").expect_err("too large");
        assert!(err.contains("larger than the largest seed"), "{err}");
        assert!(parse_seeds("0..0x10000000000000000").is_err());
        assert!(parse_seeds("18446744073709551616").is_err());
        assert_eq!(parse_seed_list("0xffffffffffffffff"), Ok(vec![u64::MAX]));
    }

    #[test]
    fn lists_mix_seeds_ranges_and_comments() {
        let text = "# the hidden corpus\n1, 0x2a\n10..12  # two more\n";
        assert_eq!(parse_seed_list(text), Ok(vec![1, 42, 10, 11]));
        assert!(parse_seed_list("# nothing\n").is_err());
        assert!(parse_seed_list("1, two").is_err());
    }
}
