//! The reference of every key of the format, table by table.
//!
//! This is the single source of truth about which keys exist: the parser
//! rejects any other key (suggesting the closest known one), the JSON Schema
//! is generated from it, and a test checks that `docs/format.md` mentions
//! every key listed here.

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
            Type::Strings { non_empty: true } => "a non-empty array of strings".into(),
            Type::Strings { non_empty: false } => "an array of strings".into(),
            Type::Template | Type::Command(_) => "a string".into(),
            Type::Input => "a table".into(),
            Type::Query(Lang::JmesPath) => "a JMESPath expression string".into(),
            Type::Query(Lang::Jq) => "a jq program string".into(),
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

pub static ROOT: Table = Table {
    name: "(file)",
    what: "workflow file",
    doc: "A rehearse workflow: a tutorial's steps and what their outputs must show.",
    example: "a `[workflow]` table with `name = \"...\"`, then `[[steps]]` tables",
    keys: &[
        Key {
            name: "workflow",
            ty: Type::Table(&WORKFLOW),
            required: true,
            doc: "What the workflow is: its name, title and source.",
        },
        Key {
            name: "defaults",
            ty: Type::Table(&DEFAULTS),
            required: false,
            doc: "Values every step inherits unless it sets its own.",
        },
        Key {
            name: "vars",
            ty: Type::Map(&VARS),
            required: false,
            doc: "Variables: literal values or environment variables.",
        },
        Key {
            name: "kubernetes",
            ty: Type::Table(&KUBERNETES),
            required: false,
            doc: "Which cluster and namespace `kubectl` steps use, over kubeconfig's current context.",
        },
        Key {
            name: "steps",
            ty: Type::Tables { table: &STEP, min: 1 },
            required: true,
            doc: "The steps, run in order.",
        },
        Key {
            name: "finally",
            ty: Type::Tables { table: &STEP, min: 0 },
            required: false,
            doc: "Clean-up steps, run after `steps` whatever happened, also after a failure or Ctrl-C.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static WORKFLOW: Table = Table {
    name: "[workflow]",
    what: "`[workflow]`",
    doc: "What the workflow is.",
    example: "a `[workflow]` table with `name = \"eks-pod-identity\"`",
    keys: &[
        Key {
            name: "name",
            ty: Type::Pattern(&WORKFLOW_NAME),
            required: true,
            doc: "Short name, used in reports and file names.",
        },
        Key {
            name: "title",
            ty: Type::String,
            required: false,
            doc: "Title of the tutorial.",
        },
        Key {
            name: "source",
            ty: Type::String,
            required: false,
            doc: "Where the tutorial lives, usually a URL.",
        },
        Key {
            name: "description",
            ty: Type::String,
            required: false,
            doc: "What the tutorial does.",
        },
        Key {
            name: "account",
            ty: Type::Template,
            required: false,
            doc: "The AWS account id the workflow expects: a live run refuses to start in another account.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static KUBERNETES: Table = Table {
    name: "[kubernetes]",
    what: "`[kubernetes]`",
    doc: "Which cluster and namespace `kubectl` steps use.",
    example: "a `[kubernetes]` table with `context = \"...\"` and `namespace = \"...\"`",
    keys: &[
        Key {
            name: "context",
            ty: Type::NonEmptyString,
            required: false,
            doc: "The kubeconfig context, instead of the current one.",
        },
        Key {
            name: "namespace",
            ty: Type::NonEmptyString,
            required: false,
            doc: "The default namespace of `kubectl` steps, instead of the context's.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static DEFAULTS: Table = Table {
    name: "[defaults]",
    what: "`[defaults]`",
    doc: "Values every step inherits unless it sets its own.",
    example: "a `[defaults]` table with keys like `timeout = \"5m\"`",
    keys: &[
        Key {
            name: "timeout",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "Deadline of each step, its waits and retries included.",
        },
        Key {
            name: "shell",
            ty: Type::Strings { non_empty: true },
            required: false,
            doc: "argv prefix of `run` steps; the script is appended as the last argument.",
        },
        Key {
            name: "interval",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "First poll interval of waits.",
        },
        Key {
            name: "max-interval",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "Longest poll interval of waits.",
        },
        Key {
            name: "backoff",
            ty: Type::Number { min: 1.0 },
            required: false,
            doc: "Factor by which the poll interval grows after each poll (>= 1.0).",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static VARS: Map = Map {
    name: "[vars]",
    what: "`[vars]`",
    doc: "Variables, by name: a literal value, or `{ env = \"NAME\", default = \"...\" }`.",
    key: &VAR_NAME,
    values: &[
        Type::String,
        Type::Integer { min: i64::MIN },
        Type::Number { min: f64::MIN },
        Type::Bool,
        Type::Table(&VAR_ENV),
    ],
};

pub static VAR_ENV: Table = Table {
    name: "[vars] NAME = { ... }",
    what: "variable",
    doc: "A variable read from the environment.",
    example: "`NAME = { env = \"NAME\", default = \"value\" }`",
    keys: &[
        Key {
            name: "env",
            ty: Type::NonEmptyString,
            required: true,
            doc: "The environment variable to read.",
        },
        Key {
            name: "default",
            ty: Type::String,
            required: false,
            doc: "Value when the environment variable is not set; without it, the variable is required.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static STEP: Table = Table {
    name: "[[steps]]",
    what: "step",
    doc: "A step: one action, then checks of its output.",
    example: "a `[[steps]]` table with `id = \"first\"` and `run = \"echo hello\"`",
    keys: &[
        Key {
            name: "id",
            ty: Type::Pattern(&STEP_ID),
            required: true,
            doc: "Unique id of the step, across `steps` and `finally`.",
        },
        Key {
            name: "title",
            ty: Type::String,
            required: false,
            doc: "What the step does, for reports.",
        },
        Key {
            name: "run",
            ty: Type::Script,
            required: false,
            doc: "A shell script; variables reach it through its environment, not by substitution.",
        },
        Key {
            name: "aws",
            ty: Type::Either(&[Type::Command(Tool::Aws), Type::Table(&AWS_CALL)]),
            required: false,
            doc: "An AWS CLI command line without the leading `aws` (`$NAME` and `${NAME}` are variables), or `{ command = \"eks create-addon\", input = { ... } }`.",
        },
        Key {
            name: "kubectl",
            ty: Type::Command(Tool::Kubectl),
            required: false,
            doc: "A kubectl command line without the leading `kubectl`; `$NAME` and `${NAME}` are variables.",
        },
        Key {
            name: "http",
            ty: Type::Either(&[Type::Template, Type::Table(&HTTP_CALL)]),
            required: false,
            doc: "An HTTP request: a URL (GET), or `{ url = \"...\", method = \"POST\", headers = { ... }, body = \"...\" }`; the output is its status, headers and body.",
        },
        Key {
            name: "timeout",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "Deadline of the whole step, waits and retries included.",
        },
        Key {
            name: "expect",
            ty: Type::Tables {
                table: &CHECK,
                min: 0,
            },
            required: false,
            doc: "Checks the output must pass.",
        },
        Key {
            name: "capture",
            ty: Type::Map(&CAPTURE),
            required: false,
            doc: "Variables set from the output: `NAME = \"jmespath\"` or `NAME = { jq = \"...\" }`.",
        },
        Key {
            name: "wait",
            ty: Type::Table(&WAIT),
            required: false,
            doc: "Re-run the step until checks hold.",
        },
        Key {
            name: "retry",
            ty: Type::Table(&RETRY),
            required: false,
            doc: "Re-run the action when it fails.",
        },
        Key {
            name: "must-fail",
            ty: Type::Bool,
            required: false,
            doc: "The action must fail; `expect` then checks the failure's output.",
        },
        Key {
            name: "when",
            ty: Type::Query(Lang::JmesPath),
            required: false,
            doc: "JMESPath expression over the variables; the step runs only when it is truthy.",
        },
        Key {
            name: "skip",
            ty: Type::NonEmptyString,
            required: false,
            doc: "Never run this step; the text says why.",
        },
        Key {
            name: "live-only",
            ty: Type::NonEmptyString,
            required: false,
            doc: "Run this step only live (and when recording); a replay shows it skipped with this reason.",
        },
        Key {
            name: "env",
            ty: Type::Map(&ENV),
            required: false,
            doc: "Extra environment variables of `run` steps; values may use `${NAME}`.",
        },
        Key {
            name: "dir",
            ty: Type::String,
            required: false,
            doc: "Working directory of `run` steps, relative to the workflow file's folder.",
        },
        Key {
            name: "stdin",
            ty: Type::Template,
            required: false,
            doc: "Standard input of the action: a manifest for `kubectl apply -f -`, or input of a `run` script.",
        },
    ],
    one_of: &[OneOf {
        keys: &["run", "aws", "kubectl", "http"],
        what: "action",
        plural: "actions",
    }],
    misplaced: &[
        (
            "until",
            "`until` belongs in a `wait` table: `wait = { until = [ ... ] }`",
        ),
        (
            "attempts",
            "`attempts` belongs in a `retry` table: `retry = { attempts = 3 }`",
        ),
    ],
};

pub static AWS_CALL: Table = Table {
    name: "aws = { ... }",
    what: "AWS call",
    doc: "An AWS call in table form: the service and operation, and the input with the API's member names.",
    example: "`aws = { command = \"eks describe-addon\", input = { clusterName = \"x\", addonName = \"y\" } }`",
    keys: &[
        Key {
            name: "command",
            ty: Type::Command(Tool::Aws),
            required: true,
            doc: "Service and operation, as on the command line: `eks create-addon`; more flags may follow.",
        },
        Key {
            name: "input",
            ty: Type::Input,
            required: true,
            doc: "The input, with the API's member names, as `--cli-input-json` takes it; strings may use `${NAME}`.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static HTTP_CALL: Table = Table {
    name: "http = { ... }",
    what: "HTTP request",
    doc: "An HTTP request; the step's output is `{ status, headers, body }` (plus `json` when the body is JSON).",
    example: "`http = { url = \"http://${HOST}/home\", method = \"GET\" }`",
    keys: &[
        Key {
            name: "url",
            ty: Type::Template,
            required: true,
            doc: "The URL, `http://` or `https://`.",
        },
        Key {
            name: "method",
            ty: Type::Enum(&["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
            required: false,
            doc: "The method; GET by default.",
        },
        Key {
            name: "headers",
            ty: Type::Map(&HTTP_HEADERS),
            required: false,
            doc: "Request headers; values may use `${NAME}`.",
        },
        Key {
            name: "body",
            ty: Type::Template,
            required: false,
            doc: "The request body.",
        },
        Key {
            name: "follow-redirects",
            ty: Type::Bool,
            required: false,
            doc: "Follow redirects (up to 10); true by default, as the workshop's checks do.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

pub static HEADER_NAME: Pattern = Pattern {
    regex: r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$",
    describe: "an HTTP header name",
};

pub static HTTP_HEADERS: Map = Map {
    name: "headers",
    what: "`headers`",
    doc: "HTTP request headers.",
    key: &HEADER_NAME,
    values: &[Type::Template],
};

pub static CAPTURE: Map = Map {
    name: "capture",
    what: "`capture`",
    doc: "Variables set from the step's output.",
    key: &VAR_NAME,
    values: &[Type::Query(Lang::JmesPath), Type::Table(&CAPTURE_QUERY)],
};

pub static CAPTURE_QUERY: Table = Table {
    name: "capture NAME = { ... }",
    what: "capture",
    doc: "A query whose result becomes the variable.",
    example: "`NAME = { jq = \".path\" }`",
    keys: &[
        Key {
            name: "query",
            ty: Type::Query(Lang::JmesPath),
            required: false,
            doc: "JMESPath expression over the output.",
        },
        Key {
            name: "jq",
            ty: Type::Query(Lang::Jq),
            required: false,
            doc: "jq program over the output.",
        },
    ],
    one_of: &[OneOf {
        keys: &["query", "jq"],
        what: "query",
        plural: "queries",
    }],
    misplaced: &[],
};

pub static ENV: Map = Map {
    name: "env",
    what: "`env`",
    doc: "Extra environment variables of `run` steps.",
    key: &VAR_NAME,
    values: &[Type::Template],
};

const OPERATORS: &[&str] = &[
    "equals",
    "not-equals",
    "contains",
    "not-contains",
    "matches",
    "exists",
    "absent",
    "length",
    "greater",
    "greater-or-equal",
    "less",
    "less-or-equal",
    "one-of",
    "type",
];

pub static CHECK: Table = Table {
    name: "check",
    what: "check",
    doc: "A query over the output and what its result must satisfy: one query key, one operator.",
    example: "`{ query = \"status\", equals = \"ACTIVE\" }`",
    keys: &[
        Key {
            name: "query",
            ty: Type::Query(Lang::JmesPath),
            required: false,
            doc: "JMESPath expression over the output (the `aws --query` dialect).",
        },
        Key {
            name: "jq",
            ty: Type::Query(Lang::Jq),
            required: false,
            doc: "jq program over the output.",
        },
        Key {
            name: "equals",
            ty: Type::Any,
            required: false,
            doc: "The result equals this value.",
        },
        Key {
            name: "not-equals",
            ty: Type::Any,
            required: false,
            doc: "The result differs from this value.",
        },
        Key {
            name: "contains",
            ty: Type::Any,
            required: false,
            doc: "The result contains this: a substring of a string, an element of an array, a key of an object.",
        },
        Key {
            name: "not-contains",
            ty: Type::Any,
            required: false,
            doc: "The result does not contain this.",
        },
        Key {
            name: "matches",
            ty: Type::Regex,
            required: false,
            doc: "The result is a string matching this regular expression (unanchored).",
        },
        Key {
            name: "exists",
            ty: Type::True,
            required: false,
            doc: "The result is not null.",
        },
        Key {
            name: "absent",
            ty: Type::True,
            required: false,
            doc: "The result is null.",
        },
        Key {
            name: "length",
            ty: Type::Integer { min: 0 },
            required: false,
            doc: "The result (string, array or object) has this length.",
        },
        Key {
            name: "greater",
            ty: Type::NumberOrString,
            required: false,
            doc: "The result is greater than this.",
        },
        Key {
            name: "greater-or-equal",
            ty: Type::NumberOrString,
            required: false,
            doc: "The result is greater than or equal to this.",
        },
        Key {
            name: "less",
            ty: Type::NumberOrString,
            required: false,
            doc: "The result is less than this.",
        },
        Key {
            name: "less-or-equal",
            ty: Type::NumberOrString,
            required: false,
            doc: "The result is less than or equal to this.",
        },
        Key {
            name: "one-of",
            ty: Type::NonEmptyArray,
            required: false,
            doc: "The result equals one of these values.",
        },
        Key {
            name: "type",
            ty: Type::Enum(JSON_TYPES),
            required: false,
            doc: "The result has this JSON type.",
        },
    ],
    one_of: &[
        OneOf {
            keys: &["query", "jq"],
            what: "query",
            plural: "queries",
        },
        OneOf {
            keys: OPERATORS,
            what: "operator",
            plural: "operators",
        },
    ],
    misplaced: &[],
};

pub static WAIT: Table = Table {
    name: "wait",
    what: "`wait`",
    doc: "Re-run the step until every `until` check holds; stop at once when a `fail-if` check holds.",
    example: "`wait = { until = [ { query = \"status\", equals = \"ACTIVE\" } ] }`",
    keys: &[
        Key {
            name: "until",
            ty: Type::Tables {
                table: &CHECK,
                min: 1,
            },
            required: true,
            doc: "Checks that must all hold for the wait to end.",
        },
        Key {
            name: "fail-if",
            ty: Type::Tables {
                table: &CHECK,
                min: 0,
            },
            required: false,
            doc: "Checks that fail the step at once when one holds.",
        },
        Key {
            name: "interval",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "First poll interval.",
        },
        Key {
            name: "max-interval",
            ty: Type::Duration { zero: false },
            required: false,
            doc: "Longest poll interval.",
        },
        Key {
            name: "backoff",
            ty: Type::Number { min: 1.0 },
            required: false,
            doc: "Factor by which the interval grows after each poll (>= 1.0).",
        },
    ],
    one_of: &[],
    misplaced: &[(
        "timeout",
        "a step's `timeout` bounds the whole step, waits included; move it to the step",
    )],
};

pub static RETRY: Table = Table {
    name: "retry",
    what: "`retry`",
    doc: "Re-run the action when it fails (a failed check is not retried: that is `wait`).",
    example: "`retry = { attempts = 3, delay = \"5s\" }`",
    keys: &[
        Key {
            name: "attempts",
            ty: Type::Integer { min: 1 },
            required: true,
            doc: "Total number of attempts, the first included.",
        },
        Key {
            name: "delay",
            ty: Type::Duration { zero: true },
            required: false,
            doc: "Pause between attempts.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

/// Every table of the format, for documentation checks.
pub fn tables() -> [&'static Table; 12] {
    [
        &ROOT,
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
        for p in [&WORKFLOW_NAME, &STEP_ID, &VAR_NAME] {
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
