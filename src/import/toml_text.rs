//! TOML text: strings that read back exactly as given, keys, and comments.
//!
//! A string is written in the most readable form that holds it: a basic
//! string (`"…"`) for plain text, a literal string (`'…'`) when it has
//! quotes or backslashes, a multi-line literal string (`'''…'''`) for a
//! script of several lines, and an escaped multi-line basic string only
//! when nothing else can hold it (control characters, `'''`).

use std::fmt::Write;

/// `s` as a TOML string.
pub fn string(s: &str) -> String {
    let controls = s.chars().any(|c| is_control(c) && c != '\t' && c != '\n');
    if !s.contains('\n') {
        if !controls && !s.contains('\'') && (s.contains('"') || s.contains('\\')) {
            return format!("'{s}'");
        }
        return basic(s);
    }
    if !controls && !s.contains("'''") && !s.ends_with('\'') {
        return format!("'''\n{s}'''");
    }
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            _ => escape(c, &mut out),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// A one-line basic string, everything escaped that must be.
fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape(c, &mut out);
    }
    out.push('"');
    out
}

fn escape(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push('\t'),
        c if is_control(c) => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    }
}

/// The characters TOML refuses unescaped in strings and comments.
fn is_control(c: char) -> bool {
    c.is_control() && c != '\t' && (c as u32) < 0xa0
}

/// A key: bare when it can be.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { k.to_string() } else { basic(k) }
}

/// `text` as comment lines: each line after `prefix` ("# ", "#   "),
/// with the characters TOML refuses in comments replaced.
pub fn comment(prefix: &str, text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let clean: String = line
            .chars()
            .map(|c| if is_control(c) { '\u{fffd}' } else { c })
            .collect();
        let line = format!("{prefix}{clean}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s`, written as the value of a key, reads back as `s`.
    fn round_trip(s: &str) -> String {
        let text = format!("k = {}\n", string(s));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(table["k"].as_str(), Some(s), "{text}");
        text
    }

    #[test]
    fn strings_read_back_exactly() {
        for s in [
            "",
            "plain",
            "with \"quotes\"",
            "it's",
            "both ' and \"",
            "back\\slash",
            "'{\"spec\": 1}' and \\",
            "${NAME} and $NAME and $$",
            "tab\there",
            "bell\u{7}",
            "del\u{7f}",
            "cr\r\nlf",
            "two\nlines",
            "ends with quote'\nx'",
            "has ''' inside\nand more",
            "\"\"\"\nthree quotes",
            "\nstarts with a newline",
            "trailing backslash \\\n  --flag",
            "ends with a newline\n",
            "unicode: é ü 中 🚀",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn the_readable_form_is_chosen() {
        assert_eq!(string("get pods"), "\"get pods\"");
        assert_eq!(string("say \"hi\""), "'say \"hi\"'");
        assert_eq!(string("it's \"x\""), "\"it's \\\"x\\\"\"");
        assert_eq!(string("a \\\n  b"), "'''\na \\\n  b'''");
        assert_eq!(string("a\u{1}\nb"), "\"\"\"\na\\u0001\nb\"\"\"");
    }

    #[test]
    fn keys_and_comments() {
        assert_eq!(key("TEST_OUTPUT"), "TEST_OUTPUT");
        assert_eq!(key("a.b"), "\"a.b\"");
        assert_eq!(
            comment("#   ", "a\n\u{1b}[1mbold\n"),
            "#   a\n#   \u{fffd}[1mbold\n#\n"
        );
        let text = format!("{}k = 1\n", comment("# ", "x \"\"\" ''' \\ ${A}"));
        assert!(toml::from_str::<toml::Table>(&text).is_ok());
    }
}
