//! The file's root and its top-level tables: `[workflow]`, `[kubernetes]`,
//! `[defaults]`, `[vars]`.

use super::*;

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
            name: "max-output",
            ty: Type::Size,
            required: false,
            doc: "Most output each `run` step's process may print (16MiB when unset).",
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
    example: "`NAME = { env = \"NAME\", default = \"value\", secret = true }`",
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
        Key {
            name: "secret",
            ty: Type::Bool,
            required: false,
            doc: "The value is a secret (a password, a token): recordings, reports and the terminal show `REDACTED` in its place.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};
