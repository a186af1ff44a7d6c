//! The reference of every key of the format, table by table.
//!
//! This is the single source of truth about which keys exist: the parser
//! rejects any other key (suggesting the closest known one), the JSON Schema
//! is generated from it, and a test checks that `docs/format.md` mentions
//! every key listed here.
//!
//! The tables themselves are in one file per part of the format:
//! `workflow` (the file's root and its top-level tables), `step` (steps and
//! their actions), `check` (checks, captures, waits, retries).

mod check;
mod step;
mod workflow;

pub use check::*;
pub use step::*;
pub use workflow::*;

use crate::query::Lang;

/// What a key's value must be.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// Any string.
    String,
    /// A string that is not empty.
    NonEmptyString,
    /// A string matching a pattern.
    Pattern(&'static Pattern),
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    Bool,
    /// `true` only (`exists`, `absent`).
    True,
    /// An integer no smaller than `min`.
    Integer {
        min: i64,
    },
    /// An integer or a float no smaller than `min`.
    Number {
        min: f64,
    },
    /// A duration string such as `"30s"` or `"1h 30m"`; `zero` tells whether 0 is allowed.
    Duration {
        zero: bool,
    },
    /// A size in bytes, greater than zero: `"16MiB"`, `"512KiB"`, `"1GiB"`
    /// or a number of bytes (`"1000"`, `"1000B"`).
    Size,
    /// An array of strings; `non_empty` requires at least one.
    Strings {
        non_empty: bool,
    },
    /// A shell script (not templated).
    Script,
    /// A string with `${NAME}` references.
    Template,
    /// A command line as pasted from a tutorial (`aws …`, `kubectl …`):
    /// split into words as the shell splits them, `$NAME` and `${NAME}`
    /// are references, and it must be a command of that tool.
    Command(Tool),
    /// The input of an AWS operation by the API's member names.
    Input,
    /// A query expression in a language.
    Query(Lang),
    /// A regular expression (the `regex` crate's syntax).
    Regex,
    /// Any TOML value.
    Any,
    /// A number or a string.
    NumberOrString,
    /// An array with at least one element, of any values.
    NonEmptyArray,
    /// A table with known keys.
    Table(&'static Table),
    /// An array of tables (`[[name]]` or an inline array), with at least `min` elements.
    Tables {
        table: &'static Table,
        min: usize,
    },
    /// A table whose keys are names chosen by the author.
    Map(&'static Map),
    /// Any of these types (a string or a table).
    Either(&'static [Type]),
}

impl Type {
    /// How the type is called in error messages: "a string", "a duration"...
    pub fn describe(&self) -> String {
        match self {
            Type::String | Type::Script => "a string".into(),
            Type::NonEmptyString => "a non-empty string".into(),
            Type::Pattern(p) => format!("a string of {}", p.describe),
            Type::Enum(values) => format!(
                "one of {}",
                values
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Type::Bool => "a boolean".into(),
            Type::True => "`true`".into(),
            Type::Integer { min } => format!("an integer >= {min}"),
            Type::Number { min } => format!("a number >= {min:?}"),
            Type::Duration { .. } => "a duration string".into(),
            Type::Size => "a size string".into(),
            Type::Strings { non_empty: true } => "a non-empty array of strings".into(),
            Type::Strings { non_empty: false } => "an array of strings".into(),
            Type::Template | Type::Command(_) => "a string".into(),
            Type::Input => "a table".into(),
            Type::Query(Lang::JmesPath) => "a JMESPath expression string".into(),
            Type::Query(Lang::Jq) => "a jq program string".into(),
            Type::Query(Lang::Stdout) => "`true`".into(),
            Type::Regex => "a regular expression string".into(),
            Type::Any => "any value".into(),
            Type::NumberOrString => "a number or a string".into(),
            Type::NonEmptyArray => "a non-empty array".into(),
            Type::Table(t) => format!("a table ({})", t.what),
            Type::Tables { table, .. } => format!("an array of tables ({})", table.what),
            Type::Map(m) => format!("a table ({})", m.what),
            Type::Either(types) => types.iter().map(Type::describe).collect::<Vec<_>>().join(" or "),
        }
    }
}

/// The tool whose command line a key holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Aws,
    Kubectl,
}

/// A pattern a string must match, with its description for humans.
#[derive(Debug)]
pub struct Pattern {
    /// Anchored regular expression (also written to the JSON Schema).
    pub regex: &'static str,
    pub describe: &'static str,
}

/// One key of a table.
#[derive(Debug)]
pub struct Key {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub doc: &'static str,
}

/// A group of keys of which exactly one must be present.
#[derive(Debug)]
pub struct OneOf {
    pub keys: &'static [&'static str],
    /// What the keys stand for: "action", "query", "operator".
    pub what: &'static str,
    /// Its plural, for "several actions".
    pub plural: &'static str,
}

/// A table with a fixed set of keys.
#[derive(Debug)]
pub struct Table {
    /// Where the table is written, as shown in the reference: `[workflow]`, `[[steps]]`...
    pub name: &'static str,
    /// What one such table is called in messages: "step", "check"...
    pub what: &'static str,
    pub doc: &'static str,
    /// How to write the table, in a word or an example, for hints.
    pub example: &'static str,
    pub keys: &'static [Key],
    pub one_of: &'static [OneOf],
    /// Keys that people put here by mistake, with the hint that says where they belong.
    pub misplaced: &'static [(&'static str, &'static str)],
}

impl Table {
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        self.keys.iter().map(|k| k.name)
    }
}

/// A table whose keys are names chosen by the author (`[vars]`, `capture`, `env`).
#[derive(Debug)]
pub struct Map {
    pub name: &'static str,
    /// What the table is called in messages.
    pub what: &'static str,
    pub doc: &'static str,
    /// What the keys must look like.
    pub key: &'static Pattern,
    /// What each value may be (any of these).
    pub values: &'static [Type],
}

/// What a duration string looks like (humantime's syntax), for the JSON Schema.
/// What a size string looks like (see [`parse_size`]).
pub const SIZE_PATTERN: &str = r"^\s*[0-9]+\s*(B|KiB|MiB|GiB)?\s*$";

/// A size string in bytes: a number, then `B`, `KiB`, `MiB` or `GiB`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match text[digits..].trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit)
}

pub const DURATION_PATTERN: &str = r"^\s*(0|([0-9]+(\.[0-9]+)?\s*[a-zA-Zµ]+\s*)+)$";

pub static WORKFLOW_NAME: Pattern = Pattern {
    regex: r"^[a-z0-9][a-z0-9_-]*$",
    describe: "lowercase letters, digits, `-` and `_`, starting with a letter or digit",
};

pub static STEP_ID: Pattern = Pattern {
    regex: r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    describe: "letters, digits, `.`, `-` and `_`, starting with a letter or digit",
};

pub static VAR_NAME: Pattern = Pattern {
    regex: r"^[A-Za-z_][A-Za-z0-9_]*$",
    describe: "letters, digits and `_`, not starting with a digit",
};

/// The variable rehearse sets itself: `live` or `replay`.
pub const BUILTIN_VARS: &[&str] = &["REHEARSE_MODE"];

/// The names JMESPath's `type()` returns, accepted by `type = "..."`.
pub const JSON_TYPES: &[&str] = &["null", "boolean", "number", "string", "array", "object"];

/// Every table of the format, for documentation checks.
pub fn tables() -> [&'static Table; 13] {
    [
        &ROOT,
        &SOURCE,
        &HTTP_CALL,
        &WORKFLOW,
        &KUBERNETES,
        &AWS_CALL,
        &DEFAULTS,
        &VAR_ENV,
        &STEP,
        &CAPTURE_QUERY,
        &CHECK,
        &WAIT,
        &RETRY,
    ]
}

/// The known name closest to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::jaro_winkler(&name.to_lowercase(), &candidate.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        for p in [&WORKFLOW_NAME, &STEP_ID, &VAR_NAME, &FINGERPRINT] {
            regex::Regex::new(p.regex).unwrap();
        }
        regex::Regex::new(DURATION_PATTERN).unwrap();
    }

    #[test]
    fn one_of_groups_name_known_keys() {
        for t in tables() {
            for g in t.one_of {
                for k in g.keys {
                    assert!(t.key(k).is_some(), "{} in {}", k, t.name);
                }
            }
            for (k, _) in t.misplaced {
                assert!(t.key(k).is_none(), "{} in {}", k, t.name);
            }
        }
    }

    #[test]
    fn closest_finds_typos() {
        assert_eq!(closest("tiemout", STEP.names()), Some("timeout"));
        assert_eq!(closest("expects", STEP.names()), Some("expect"));
        assert_eq!(closest("zzzz", STEP.names()), None);
    }

    #[test]
    fn duration_pattern_accepts_humantime_examples() {
        let re = regex::Regex::new(DURATION_PATTERN).unwrap();
        for ok in ["500ms", "30s", "5m", "1h 30m", "2s", "1.5s"] {
            assert!(re.is_match(ok), "{ok}");
        }
        assert!(!re.is_match("five"));
    }
}
