//! The small JSON writer of the page's data (the library has no JSON dependency: serde_json
//! belongs to the CLI). Strings are escaped for JSON and for the `<script>` element they sit
//! in: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`, so no value of a run (a key, a
//! value a client wrote, a narration) can close the element or open a comment, and U+2028 and
//! U+2029 are escaped for older parsers. Columns of sorted times are delta-encoded.
use std::fmt::Write as _;

/// A JSON object being written, one field after another.
pub struct Object {
    out: String,
    first: bool,
}

impl Default for Object {
    fn default() -> Object {
        Object::new()
    }
}

impl Object {
    pub fn new() -> Object {
        Object { out: String::from("{"), first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(&mut self.out, key);
        self.out.push(':');
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Object {
        self.key(key);
        string(&mut self.out, value);
        self
    }

    pub fn num(&mut self, key: &str, value: i64) -> &mut Object {
        self.key(key);
        let _ = write!(self.out, "{value}");
        self
    }

    /// A field whose value is JSON written already (an array, an object).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Object {
        self.key(key);
        self.out.push_str(json);
        self
    }

    pub fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

/// `[1,2,3]`.
pub fn numbers(values: impl IntoIterator<Item = i64>) -> String {
    let mut out = String::from("[");
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{value}");
    }
    out.push(']');
    out
}

/// Each value minus the one before (the first minus 0): short numbers for sorted times.
pub fn deltas(values: impl IntoIterator<Item = u64>) -> String {
    let mut last = 0u64;
    numbers(values.into_iter().map(|value| {
        let delta = value as i64 - last as i64;
        last = value;
        delta
    }))
}

/// `["a","b"]`.
pub fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(&mut out, value);
    }
    out.push(']');
    out
}

/// `[x,y]` of JSON values written already.
pub fn list(values: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = values.into_iter().collect();
    format!("[{}]", items.join(","))
}

/// `text` as a JSON string (serde_json's escaping), made safe inside a `<script>` element:
/// `<`, `>` and `&` escaped so no `</script>` or comment opener appears, and U+2028/U+2029,
/// which end a line in older JavaScript parsers.
pub fn string(out: &mut String, text: &str) {
    let quoted = serde_json::to_string(text).expect("a string serializes");
    for c in quoted.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_close_the_script_element() {
        let mut out = String::new();
        string(&mut out, "</script><!-- \"a\"\\ \u{1}\u{2028}");
        assert_eq!(out, r#""\u003c/script\u003e\u003c!-- \"a\"\\ \u0001\u2028""#);
        assert!(!out.contains('<'));
    }

    #[test]
    fn objects_and_deltas() {
        let json = Object::new()
            .str("a", "x")
            .num("b", -3)
            .raw("t", &deltas([5, 7, 7, 12]))
            .raw("s", &strings(["p", "q"]))
            .finish();
        assert_eq!(json, r#"{"a":"x","b":-3,"t":[5,2,0,5],"s":["p","q"]}"#);
    }
}
