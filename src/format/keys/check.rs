//! Checks, captures, waits and retries.

use super::*;

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
        Key {
            name: "stdout",
            ty: Type::Query(Lang::Stdout),
            required: false,
            doc: "`true`: what the step printed, as text without its last line break (as the CLI prints it for an `aws` or `kubectl` line's output options; a `run` step's stdout).",
        },
        Key {
            name: "secret",
            ty: Type::Bool,
            required: false,
            doc: "The captured value is a secret: from then on, recordings, reports and the terminal show `REDACTED` in its place.",
        },
    ],
    one_of: &[OneOf {
        keys: &["query", "jq", "stdout"],
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
            name: "stdout",
            ty: Type::Query(Lang::Stdout),
            required: false,
            doc: "`true`: the check reads what the step printed, as text without its last line break: what the CLI prints for an `aws` or `kubectl` line's output options (`--output text`, `-o jsonpath=…`), a `run` step's stdout.",
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
            keys: &["query", "jq", "stdout"],
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
