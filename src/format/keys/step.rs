//! `[[steps]]` and `[[finally]]`, and the tables of their actions (`aws`, `http`).

use super::*;

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
            name: "max-output",
            ty: Type::Size,
            required: false,
            doc: "Most output a `run` step's process may print, stdout and stderr together (16MiB unless `[defaults]` says otherwise); past it, the process is stopped and the step fails.",
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
        Key {
            name: "source",
            ty: Type::Table(&SOURCE),
            required: false,
            doc: "The tutorial command this step was imported from: `{ page = \"lab/page.md\", line = 42, fingerprint = \"...\" }`; `rehearse validate --sources` reports when the page has changed.",
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

pub static SOURCE: Table = Table {
    name: "source = { ... }",
    what: "`source`",
    doc: "Where a step's command was written in the tutorial, and a fingerprint of it as imported.",
    example: "`source = { page = \"lab/page.md\", line = 42, fingerprint = \"9e3c0f6a1b2d4e5f\" }`",
    keys: &[
        Key {
            name: "page",
            ty: Type::NonEmptyString,
            required: true,
            doc: "The markdown page, relative to the workflow file's folder.",
        },
        Key {
            name: "line",
            ty: Type::Integer { min: 1 },
            required: true,
            doc: "The line of the page where the command starts (its `$ ` prompt).",
        },
        Key {
            name: "fingerprint",
            ty: Type::Pattern(&FINGERPRINT),
            required: true,
            doc: "A hash of the command as imported (FNV-1a, 64 bits, in hex): a page whose command no longer has it has changed.",
        },
    ],
    one_of: &[],
    misplaced: &[],
};

/// A fingerprint of an imported command: lowercase hex digits.
pub static FINGERPRINT: Pattern = Pattern {
    regex: r"^[0-9a-f]+$",
    describe: "lowercase hexadecimal digits",
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
