//! The `kubectl` command line as a tutorial writes it (without the leading
//! `kubectl`), parsed into a `Command` for the native verbs.
//!
//! `check` validates a command before any variable is rendered: values that
//! still hold a `${NAME}` placeholder are taken on trust (a `--replicas=${N}`
//! is not a number yet).

use std::fmt;
use std::time::Duration;

/// Why a command cannot run natively, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    pub hint: String,
}

impl CliError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.hint.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (hint: {})", self.message, self.hint)
        }
    }
}

impl std::error::Error for CliError {}

/// One parsed command.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// `-n/--namespace`; the backend's namespace when absent.
    pub namespace: Option<String>,
    pub verb: Verb,
}

/// A resource type as written (`po`, `deployments.apps`) with the names
/// given for it; no names means "all of this type".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub resource: String,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verb {
    Get {
        targets: Vec<Target>,
        /// Print one object rather than a List: one type, one name, no comma.
        single: bool,
        all_namespaces: bool,
        selector: Option<String>,
        field_selector: Option<String>,
        sort_by: Option<String>,
        ignore_not_found: bool,
    },
    Apply {
        files: Vec<String>,
    },
    Delete {
        targets: Vec<Target>,
        files: Vec<String>,
        selector: Option<String>,
        all_namespaces: bool,
        ignore_not_found: bool,
        wait: bool,
        timeout: Option<Duration>,
    },
    Patch {
        target: Target,
        patch_type: PatchType,
        patch: String,
        subresource: Option<String>,
    },
    /// `annotate` and `label`.
    Metadata {
        field: MetaField,
        targets: Vec<Target>,
        selector: Option<String>,
        /// `key=value` sets, `key-` removes (`None`).
        changes: Vec<(String, Option<String>)>,
        overwrite: bool,
    },
    Scale {
        targets: Vec<Target>,
        replicas: ReplicaCount,
    },
    RolloutRestart {
        targets: Vec<Target>,
    },
    RolloutStatus {
        target: Target,
        /// `None`: until the request's deadline.
        timeout: Option<Duration>,
        watch: bool,
    },
    Wait {
        targets: Vec<Target>,
        selector: Option<String>,
        all_namespaces: bool,
        condition: WaitFor,
        timeout: Duration,
    },
    Logs {
        target: Target,
        container: Option<String>,
        previous: bool,
        tail: Option<i64>,
        since_seconds: Option<i64>,
        timestamps: bool,
    },
    Exec {
        target: Target,
        container: Option<String>,
        command: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Json,
    Strategic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaField {
    Annotations,
    Labels,
}

impl MetaField {
    pub fn verb(self) -> &'static str {
        match self {
            MetaField::Annotations => "annotate",
            MetaField::Labels => "label",
        }
    }
}

/// `--replicas`: a number, or a placeholder when only checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplicaCount {
    Count(i64),
    Unrendered(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// `condition=Available` (status `True`), `condition=Ready=false`.
    Condition {
        name: String,
        value: String,
    },
    Delete,
    /// `jsonpath='{.status.phase}'=Running`: the path in kubectl's
    /// JSONPath subset (dotted fields, `[N]` indexes) and the wanted value;
    /// without a value the path must merely exist.
    JsonPath {
        path: String,
        value: Option<String>,
    },
    /// `create` (kubectl 1.31+): the object exists.
    Create,
}

/// Parses a command, every value rendered.
pub fn parse(command: &str) -> Result<Command, CliError> {
    parse_with(command, false)
}

/// Validates a command whose values may still hold `${NAME}` placeholders.
pub fn check(command: &str) -> Result<(), CliError> {
    parse_with(command, true).map(|_| ())
}

fn has_placeholder(s: &str) -> bool {
    s.contains("${")
}

const NOT_NATIVE: &[&str] = &[
    "create",
    "edit",
    "replace",
    "set",
    "run",
    "expose",
    "autoscale",
    "top",
    "cp",
    "port-forward",
    "proxy",
    "attach",
    "auth",
    "config",
    "cluster-info",
    "api-resources",
    "api-versions",
    "version",
    "explain",
    "diff",
    "kustomize",
    "drain",
    "cordon",
    "uncordon",
    "taint",
    "certificate",
    "debug",
    "events",
    "plugin",
];

const VERBS: &str =
    "get, apply, delete, patch, annotate, label, scale, rollout restart, rollout status, wait, logs, exec";

fn run_hint(command: &str) -> String {
    format!("run it through a shell with a `run` step: run = \"kubectl {command}\"")
}

#[derive(Clone, Copy)]
struct Flag {
    names: &'static [&'static str],
    value: bool,
}

const fn flag(names: &'static [&'static str], value: bool) -> Flag {
    Flag { names, value }
}

const NAMESPACE: Flag = flag(&["-n", "--namespace"], true);
const OUTPUT: Flag = flag(&["-o", "--output"], true);
const SELECTOR: Flag = flag(&["-l", "--selector"], true);
const ALL_NS: Flag = flag(&["-A", "--all-namespaces"], false);
const FILENAME: Flag = flag(&["-f", "--filename"], true);
const TIMEOUT: Flag = flag(&["--timeout"], true);

fn flags_for(verb: &str) -> Vec<Flag> {
    let mut flags = vec![NAMESPACE];
    flags.extend(match verb {
        "get" => vec![
            OUTPUT,
            SELECTOR,
            ALL_NS,
            flag(&["--field-selector"], true),
            flag(&["--sort-by"], true),
            flag(&["--ignore-not-found"], false),
            flag(&["--show-labels"], false),
            flag(&["--no-headers"], false),
        ],
        "apply" => vec![
            FILENAME,
            OUTPUT,
            flag(&["--server-side"], false),
            flag(&["--force-conflicts"], false),
            flag(&["-R", "--recursive"], false),
        ],
        "delete" => vec![
            FILENAME,
            SELECTOR,
            ALL_NS,
            flag(&["--ignore-not-found"], false),
            flag(&["--wait"], false),
            TIMEOUT,
        ],
        "patch" => vec![
            OUTPUT,
            flag(&["--type"], true),
            flag(&["-p", "--patch"], true),
            flag(&["--subresource"], true),
        ],
        "annotate" | "label" => vec![OUTPUT, SELECTOR, flag(&["--overwrite"], false)],
        "scale" => vec![OUTPUT, flag(&["--replicas"], true)],
        "rollout restart" => vec![],
        "rollout status" => vec![TIMEOUT, flag(&["-w", "--watch"], false)],
        "wait" => vec![SELECTOR, ALL_NS, flag(&["--for"], true), TIMEOUT],
        "logs" => vec![
            flag(&["-c", "--container"], true),
            flag(&["-p", "--previous"], false),
            flag(&["--tail"], true),
            flag(&["--since"], true),
            flag(&["--timestamps"], false),
            flag(&["-f", "--follow"], false),
        ],
        "exec" => vec![
            flag(&["-c", "--container"], true),
            flag(&["-i", "--stdin"], false),
            flag(&["-t", "--tty"], false),
        ],
        _ => vec![],
    });
    flags
}

fn known_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.names.join("/"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Flags as given: the canonical (last) name of each with its values, in order.
#[derive(Default)]
struct Flags {
    given: Vec<(&'static str, String)>,
}

impl Flags {
    fn last(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn bool(&self, name: &str, lenient: bool) -> Result<bool, CliError> {
        match self.last(name) {
            None => Ok(false),
            Some(v) => parse_bool(name, v, lenient),
        }
    }

    fn bool_or(&self, name: &str, default: bool, lenient: bool) -> Result<bool, CliError> {
        match self.last(name) {
            None => Ok(default),
            Some(v) => parse_bool(name, v, lenient),
        }
    }
}

fn parse_bool(name: &str, v: &str, lenient: bool) -> Result<bool, CliError> {
    match v {
        "" | "true" | "1" | "t" | "T" | "TRUE" | "True" => Ok(true),
        "false" | "0" | "f" | "F" | "FALSE" | "False" => Ok(false),
        _ if lenient && has_placeholder(v) => Ok(true),
        _ => Err(CliError::new(
            format!("invalid value {v:?} for {name}: expected true or false"),
            format!("write {name} or {name}=false"),
        )),
    }
}

fn parse_with(command: &str, lenient: bool) -> Result<Command, CliError> {
    let mut words = shell_words::split(command).map_err(|e| {
        CliError::new(
            format!("cannot split the command into words: {e}"),
            "check the quotes",
        )
    })?;
    if words.first().map(String::as_str) == Some("kubectl") {
        words.remove(0);
    }
    // Everything after `--` belongs to `exec`'s command.
    let (words, rest) = match words.iter().position(|w| w == "--") {
        Some(i) => {
            let rest = words[i + 1..].to_vec();
            (words[..i].to_vec(), Some(rest))
        }
        None => (words, None),
    };

    // The verb is the first word that is not a flag (a leading `-n NS` is allowed).
    let mut i = 0;
    let mut leading = Vec::new();
    while i < words.len() && words[i].starts_with('-') {
        leading.push(words[i].clone());
        if matches!(words[i].as_str(), "-n" | "--namespace") && i + 1 < words.len() {
            leading.push(words[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    let Some(first) = words.get(i) else {
        return Err(CliError::new(
            "no kubectl verb in the command",
            format!("natively supported: {VERBS}"),
        ));
    };
    let mut verb = first.clone();
    let mut args_start = i + 1;
    if verb == "rollout" {
        match words.get(i + 1).map(String::as_str) {
            Some(sub @ ("restart" | "status")) => {
                verb = format!("rollout {sub}");
                args_start = i + 2;
            }
            Some(other) => {
                return Err(CliError::new(
                    format!("`rollout {other}` is not supported natively"),
                    run_hint(command),
                ));
            }
            None => {
                return Err(CliError::new(
                    "`rollout` needs a subcommand",
                    "natively supported: rollout restart, rollout status",
                ));
            }
        }
    }
    if verb == "describe" {
        return Err(CliError::new(
            "`describe` prints text for people and is not supported natively",
            "use `get … -o json` and check the fields with a query, \
             e.g. kubectl = \"get deployment carts -o json\" with a check on status.conditions",
        ));
    }
    if NOT_NATIVE.contains(&verb.as_str()) {
        return Err(CliError::new(
            format!("`{verb}` is not supported natively"),
            run_hint(command),
        ));
    }
    let specs = flags_for(&verb);
    if specs.len() == 1 && !matches!(verb.as_str(), "rollout restart") {
        return Err(CliError::new(
            format!("unknown kubectl verb `{verb}`"),
            format!(
                "natively supported: {VERBS}; anything else: {}",
                run_hint(command)
            ),
        ));
    }

    let mut flags = Flags::default();
    let mut positionals = Vec::new();
    let tokens: Vec<String> = leading
        .into_iter()
        .chain(words[args_start..].iter().cloned())
        .collect();
    let mut t = 0;
    while t < tokens.len() {
        let tok = &tokens[t];
        t += 1;
        if !tok.starts_with('-') || tok == "-" {
            positionals.push(tok.clone());
            continue;
        }
        // `-it`, `-ti`: two boolean short flags at once.
        if verb == "exec" && (tok == "-it" || tok == "-ti") {
            flags.given.push(("--stdin", String::new()));
            flags.given.push(("--tty", String::new()));
            continue;
        }
        let (name, inline) = if let Some(long) = tok.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (format!("--{n}"), Some(v.to_string())),
                None => (tok.clone(), None),
            }
        } else {
            // -nfoo, -n=foo
            let (n, v) = tok.split_at(2.min(tok.len()));
            let v = v.strip_prefix('=').unwrap_or(v);
            (n.to_string(), (!v.is_empty()).then(|| v.to_string()))
        };
        let Some(spec) = specs.iter().find(|f| f.names.contains(&name.as_str())) else {
            return Err(CliError::new(
                format!("unknown flag {name} for `{verb}`"),
                format!("known flags for `{verb}`: {}", known_flags(&specs)),
            ));
        };
        let canonical = *spec.names.last().expect("flag names");
        let value = if spec.value {
            match inline {
                Some(v) => v,
                None => match tokens.get(t) {
                    Some(v) => {
                        t += 1;
                        v.clone()
                    }
                    None => {
                        return Err(CliError::new(
                            format!("flag {name} needs a value"),
                            format!("write {name}=VALUE"),
                        ));
                    }
                },
            }
        } else {
            inline.unwrap_or_default()
        };
        flags.given.push((canonical, value));
    }

    let had_rest = rest.is_some();
    let namespace = flags.last("--namespace").map(str::to_string);
    if let Some(o) = flags.last("--output") {
        check_output(o, lenient)?;
    }
    let selector = flags.last("--selector").map(str::to_string);
    let all_namespaces = flags.bool("--all-namespaces", lenient)?;
    let verb = match verb.as_str() {
        "get" => {
            let (targets, single) = targets(&positionals, "get", true)?;
            if selector.is_some() && targets.iter().any(|t| !t.names.is_empty()) {
                return Err(CliError::new(
                    "names cannot be given together with a selector (-l)",
                    "give either names or -l",
                ));
            }
            Verb::Get {
                targets,
                single,
                all_namespaces,
                selector,
                field_selector: flags.last("--field-selector").map(str::to_string),
                sort_by: flags.last("--sort-by").map(str::to_string),
                ignore_not_found: flags.bool("--ignore-not-found", lenient)?,
            }
        }
        "apply" => {
            let files = flags.all("--filename");
            if files.is_empty() {
                return Err(CliError::new(
                    "`apply` needs -f FILE, -f DIR or -f -",
                    "`apply -k` is not supported natively: use a `run` step",
                ));
            }
            if !positionals.is_empty() {
                return Err(CliError::new(
                    format!("unexpected arguments for `apply`: {}", positionals.join(" ")),
                    "give manifests with -f",
                ));
            }
            Verb::Apply { files }
        }
        "delete" => {
            let files = flags.all("--filename");
            let targets = if files.is_empty() {
                targets(&positionals, "delete", selector.is_some())?.0
            } else if !positionals.is_empty() {
                return Err(CliError::new(
                    "`delete -f` takes no resource arguments",
                    "give either -f or TYPE NAME",
                ));
            } else {
                Vec::new()
            };
            if files.is_empty() && selector.is_none() && targets.iter().any(|t| t.names.is_empty()) {
                return Err(CliError::new(
                    "`delete` needs names, -l or -f",
                    "deleting every object of a type (--all) is not supported natively",
                ));
            }
            Verb::Delete {
                targets,
                files,
                selector,
                all_namespaces,
                ignore_not_found: flags.bool("--ignore-not-found", lenient)?,
                wait: flags.bool("--wait", lenient)?,
                timeout: duration_flag(&flags, lenient)?,
            }
        }
        "patch" => {
            let target = one_target(&positionals, "patch")?;
            let patch_type = match flags.last("--type").unwrap_or("strategic") {
                "merge" => PatchType::Merge,
                "json" => PatchType::Json,
                "strategic" => PatchType::Strategic,
                v if lenient && has_placeholder(v) => PatchType::Merge,
                other => {
                    return Err(CliError::new(
                        format!("unknown patch type {other:?}"),
                        "--type is one of merge, json, strategic",
                    ));
                }
            };
            let Some(patch) = flags.last("--patch").map(str::to_string) else {
                return Err(CliError::new(
                    "`patch` needs -p PATCH",
                    "e.g. -p '{\"spec\":{\"replicas\":2}}'",
                ));
            };
            if !(lenient && has_placeholder(&patch)) {
                let value: serde_json::Value = serde_yaml_ng::from_str(&patch).map_err(|e| {
                    CliError::new(
                        format!("the patch is not JSON or YAML: {e}"),
                        "check the quotes in -p",
                    )
                })?;
                let ok = match patch_type {
                    PatchType::Json => value.is_array(),
                    _ => value.is_object(),
                };
                if !ok {
                    return Err(CliError::new(
                        "the patch has the wrong shape",
                        "a json patch is a list of operations; merge and strategic patches are objects",
                    ));
                }
            }
            Verb::Patch {
                target,
                patch_type,
                patch,
                subresource: flags.last("--subresource").map(str::to_string),
            }
        }
        "annotate" | "label" => {
            let field = if verb == "annotate" {
                MetaField::Annotations
            } else {
                MetaField::Labels
            };
            // TYPE NAME... k=v k-   or TYPE/NAME... k=v
            let split = positionals
                .iter()
                .position(|p| p.contains('=') || (p.ends_with('-') && !p.contains('/') && p.len() > 1))
                .unwrap_or(positionals.len());
            let (objs, kvs) = positionals.split_at(split);
            let mut changes = Vec::new();
            for kv in kvs {
                if let Some((k, v)) = kv.split_once('=') {
                    changes.push((k.to_string(), Some(v.to_string())));
                } else if let Some(k) = kv.strip_suffix('-') {
                    changes.push((k.to_string(), None));
                } else {
                    return Err(CliError::new(
                        format!("`{verb}` expects key=value or key-, got {kv:?}"),
                        "resources come first, then the changes",
                    ));
                }
            }
            if changes.is_empty() {
                return Err(CliError::new(
                    format!("`{verb}` needs at least one key=value or key-"),
                    format!("e.g. {verb} deployment carts team=checkout"),
                ));
            }
            let (targets, _) = targets(objs, verb.as_str(), selector.is_some())?;
            if selector.is_none() && targets.iter().any(|t| t.names.is_empty()) {
                return Err(CliError::new(format!("`{verb}` needs a name or -l"), ""));
            }
            Verb::Metadata {
                field,
                targets,
                selector,
                changes,
                overwrite: flags.bool("--overwrite", lenient)?,
            }
        }
        "scale" => {
            let (targets, _) = targets(&positionals, "scale", false)?;
            let replicas = match flags.last("--replicas") {
                None => {
                    return Err(CliError::new("`scale` needs --replicas=N", ""));
                }
                Some(v) if lenient && has_placeholder(v) => ReplicaCount::Unrendered(v.to_string()),
                Some(v) => match v.parse::<i64>() {
                    Ok(n) if n >= 0 => ReplicaCount::Count(n),
                    _ => {
                        return Err(CliError::new(
                            format!("--replicas must be a whole number, got {v:?}"),
                            "",
                        ));
                    }
                },
            };
            Verb::Scale { targets, replicas }
        }
        "rollout restart" => Verb::RolloutRestart {
            targets: targets(&positionals, "rollout restart", false)?.0,
        },
        "rollout status" => Verb::RolloutStatus {
            target: one_target(&positionals, "rollout status")?,
            timeout: duration_flag(&flags, lenient)?.filter(|d| !d.is_zero()),
            watch: flags.bool_or("--watch", true, lenient)?,
        },
        "wait" => {
            let (targets, _) = targets(&positionals, "wait", true)?;
            let Some(cond) = flags.last("--for") else {
                return Err(CliError::new(
                    "`wait` needs --for",
                    "--for=condition=Available, --for=delete or --for=jsonpath='{.status.phase}'=Running",
                ));
            };
            let condition = wait_for(cond, lenient)?;
            if selector.is_none() && targets.iter().any(|t| t.names.is_empty()) {
                return Err(CliError::new(
                    "`wait` needs a name or -l",
                    "waiting on every object of a type (--all) is not supported natively",
                ));
            }
            Verb::Wait {
                targets,
                selector,
                all_namespaces,
                condition,
                timeout: duration_flag(&flags, lenient)?.unwrap_or(Duration::from_secs(30)),
            }
        }
        "logs" => {
            if flags.bool("--follow", lenient)? {
                return Err(CliError::new(
                    "`logs -f` follows forever and is not supported natively",
                    "drop -f (the logs so far are returned), or use a `run` step",
                ));
            }
            let target = pod_target(&positionals, "logs")?;
            let tail = match flags.last("--tail") {
                None => None,
                Some(v) if lenient && has_placeholder(v) => None,
                Some(v) => match v.parse::<i64>() {
                    Ok(n) if n < 0 => None,
                    Ok(n) => Some(n),
                    Err(_) => return Err(CliError::new(format!("--tail must be a number, got {v:?}"), "")),
                },
            };
            let since_seconds = match flags.last("--since") {
                None => None,
                Some(v) if lenient && has_placeholder(v) => None,
                Some(v) => Some(parse_duration(v)?.as_secs().max(1) as i64),
            };
            Verb::Logs {
                target,
                container: flags.last("--container").map(str::to_string),
                previous: flags.bool("--previous", lenient)?,
                tail,
                since_seconds,
                timestamps: flags.bool("--timestamps", lenient)?,
            }
        }
        "exec" => {
            let target = pod_target(&positionals, "exec")?;
            let command = match rest {
                Some(c) if !c.is_empty() => c,
                _ => {
                    return Err(CliError::new(
                        "`exec` needs a command after --",
                        "e.g. exec deployment/carts -- env",
                    ));
                }
            };
            Verb::Exec {
                target,
                container: flags.last("--container").map(str::to_string),
                command,
            }
        }
        other => unreachable!("verb {other} has flags but no parser"),
    };
    if had_rest && !matches!(verb, Verb::Exec { .. }) {
        return Err(CliError::new("`--` is only understood by `exec`", ""));
    }
    Ok(Command { namespace, verb })
}

fn check_output(o: &str, lenient: bool) -> Result<(), CliError> {
    let format = o.split_once('=').map_or(o, |(f, _)| f);
    match format {
        "json" | "yaml" | "name" | "wide" | "jsonpath" | "jsonpath-as-json" | "jsonpath-file"
        | "custom-columns" | "go-template" => Ok(()),
        _ if lenient && has_placeholder(o) => Ok(()),
        _ => Err(CliError::new(
            format!("unknown output format {o:?}"),
            "the output is always the JSON object as `-o json` prints it; \
             -o json, yaml, name, wide and jsonpath=… are accepted",
        )),
    }
}

fn duration_flag(flags: &Flags, lenient: bool) -> Result<Option<Duration>, CliError> {
    match flags.last("--timeout") {
        None => Ok(None),
        Some(v) if lenient && has_placeholder(v) => Ok(None),
        Some(v) => parse_duration(v).map(Some),
    }
}

/// A Go duration as kubectl takes it: `30s`, `5m`, `1h30m`, `1.5s`, `0`.
pub fn parse_duration(s: &str) -> Result<Duration, CliError> {
    let bad = || {
        CliError::new(
            format!("invalid duration {s:?}"),
            "write a duration such as 30s, 5m or 1h30m",
        )
    };
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let mut rest = s;
    let mut total = 0f64;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += n * scale;
        rest = &rest[unit_len..];
    }
    Ok(Duration::from_secs_f64(total))
}

fn wait_for(cond: &str, lenient: bool) -> Result<WaitFor, CliError> {
    if cond == "delete" {
        return Ok(WaitFor::Delete);
    }
    if cond == "create" {
        return Ok(WaitFor::Create);
    }
    if let Some(c) = cond.strip_prefix("condition=") {
        let (name, value) = match c.split_once('=') {
            Some((n, v)) => (n, v),
            None => (c, "true"),
        };
        if name.is_empty() {
            return Err(CliError::new("--for=condition= needs a condition name", ""));
        }
        return Ok(WaitFor::Condition {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if let Some(j) = cond.strip_prefix("jsonpath=") {
        // '{.status.phase}'=Running; shell-words has already removed the quotes.
        let (path, value) = match j.find('}') {
            Some(end) => {
                let path = &j[..=end];
                let after = &j[end + 1..];
                let value = match after.strip_prefix('=') {
                    Some(v) => Some(v.to_string()),
                    None if after.is_empty() => None,
                    None => return Err(CliError::new(format!("cannot read --for={cond}"), "")),
                };
                (path, value)
            }
            None => match j.split_once('=') {
                Some((p, v)) => (p, Some(v.to_string())),
                None => (j, None),
            },
        };
        let inner = path.trim_start_matches('{').trim_end_matches('}');
        if !(inner.starts_with('.') || (lenient && has_placeholder(inner))) {
            return Err(CliError::new(
                format!("unsupported JSONPath {path:?}"),
                "write a dotted path such as '{.status.phase}'",
            ));
        }
        return Ok(WaitFor::JsonPath {
            path: inner.to_string(),
            value,
        });
    }
    if lenient && has_placeholder(cond) {
        return Ok(WaitFor::Create);
    }
    Err(CliError::new(
        format!("unsupported --for={cond}"),
        "--for is condition=NAME[=VALUE], delete, create or jsonpath='{.path}'=VALUE",
    ))
}

/// Resource arguments: `TYPE [NAME...]`, `TYPE1,TYPE2`, or `TYPE/NAME...`.
fn targets(pos: &[String], verb: &str, allow_list: bool) -> Result<(Vec<Target>, bool), CliError> {
    let Some(first) = pos.first() else {
        return Err(CliError::new(
            format!("`{verb}` needs a resource type"),
            format!("e.g. {verb} deployment carts"),
        ));
    };
    if first.contains('/') {
        let mut out: Vec<Target> = Vec::new();
        for p in pos {
            let Some((ty, name)) = p.split_once('/').filter(|(t, n)| !t.is_empty() && !n.is_empty()) else {
                return Err(CliError::new(
                    format!("expected TYPE/NAME, got {p:?}"),
                    "do not mix TYPE/NAME with TYPE NAME",
                ));
            };
            match out.iter_mut().find(|t| t.resource == ty) {
                Some(t) => t.names.push(name.to_string()),
                None => out.push(Target {
                    resource: ty.to_string(),
                    names: vec![name.to_string()],
                }),
            }
        }
        let single = pos.len() == 1;
        return Ok((out, single));
    }
    let types: Vec<&str> = first.split(',').filter(|s| !s.is_empty()).collect();
    let names: Vec<String> = pos[1..].to_vec();
    if let Some(bad) = names.iter().find(|n| n.contains('/')) {
        return Err(CliError::new(
            format!("expected a name, got {bad:?}"),
            "do not mix TYPE NAME with TYPE/NAME",
        ));
    }
    if names.is_empty() && !allow_list {
        return Err(CliError::new(
            format!("`{verb}` needs a resource name"),
            format!("e.g. {verb} {first} NAME"),
        ));
    }
    let single = types.len() == 1 && names.len() == 1 && !first.contains(',');
    Ok((
        types
            .into_iter()
            .map(|t| Target {
                resource: t.to_string(),
                names: names.clone(),
            })
            .collect(),
        single,
    ))
}

fn one_target(pos: &[String], verb: &str) -> Result<Target, CliError> {
    let (mut t, _) = targets(pos, verb, false)?;
    if t.len() != 1 || t[0].names.len() != 1 {
        return Err(CliError::new(
            format!("`{verb}` takes exactly one object"),
            format!("e.g. {verb} deployment/carts"),
        ));
    }
    Ok(t.remove(0))
}

/// `logs`/`exec`: `POD`, `pod/NAME`, `deployment/NAME` (or other
/// workload types, resolved through their selector).
fn pod_target(pos: &[String], verb: &str) -> Result<Target, CliError> {
    match pos {
        [one] if !one.contains('/') => Ok(Target {
            resource: "pods".into(),
            names: vec![one.clone()],
        }),
        [one] => one_target(std::slice::from_ref(one), verb),
        [ty, name] if ty == "pod" || ty == "pods" || ty == "po" => Ok(Target {
            resource: "pods".into(),
            names: vec![name.clone()],
        }),
        [_, container] if verb == "logs" => Err(CliError::new(
            format!("a container given as an argument ({container:?}) is not supported natively"),
            "use -c CONTAINER",
        )),
        _ => Err(CliError::new(
            format!("`{verb}` takes one pod: POD or TYPE/NAME"),
            format!("e.g. {verb} deployment/carts"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb(c: &str) -> Verb {
        parse(c).unwrap_or_else(|e| panic!("{c}: {e}")).verb
    }

    fn err(c: &str) -> CliError {
        parse(c).expect_err(c)
    }

    #[test]
    fn get_forms() {
        let c = parse("get pods -n catalog -l app=catalog -o json").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("catalog"));
        match c.verb {
            Verb::Get {
                targets,
                single,
                selector,
                ..
            } => {
                assert_eq!(
                    targets,
                    vec![Target {
                        resource: "pods".into(),
                        names: vec![]
                    }]
                );
                assert!(!single);
                assert_eq!(selector.as_deref(), Some("app=catalog"));
            }
            v => panic!("{v:?}"),
        }
        match verb("get deploy/carts") {
            Verb::Get { targets, single, .. } => {
                assert!(single);
                assert_eq!(targets[0].resource, "deploy");
                assert_eq!(targets[0].names, vec!["carts"]);
            }
            v => panic!("{v:?}"),
        }
        match verb("kubectl get svc,cm -A --sort-by=.metadata.name") {
            Verb::Get {
                targets,
                all_namespaces,
                sort_by,
                single,
                ..
            } => {
                assert_eq!(targets.len(), 2);
                assert!(all_namespaces && !single);
                assert_eq!(sort_by.as_deref(), Some(".metadata.name"));
            }
            v => panic!("{v:?}"),
        }
        match verb("-n ui get deployment ui -ojsonpath='{.status.replicas}'") {
            Verb::Get { single, .. } => assert!(single),
            v => panic!("{v:?}"),
        }
        assert_eq!(
            parse("-n ui get deployment ui").unwrap().namespace.as_deref(),
            Some("ui")
        );
        assert_eq!(parse("get po -nui").unwrap().namespace.as_deref(), Some("ui"));
        match verb("get pod a b") {
            Verb::Get { targets, single, .. } => {
                assert_eq!(targets[0].names, vec!["a", "b"]);
                assert!(!single);
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn unknown_flags_name_the_known_ones() {
        let e = err("get pods --watch");
        assert!(e.message.contains("--watch"), "{e}");
        assert!(
            e.hint.contains("-l/--selector") && e.hint.contains("-A/--all-namespaces"),
            "{e}"
        );
        let e = err("get pods -o table");
        assert!(e.message.contains("table"));
    }

    #[test]
    fn not_native_verbs_suggest_run_steps() {
        let e = err("create namespace x");
        assert!(e.hint.contains("run = \"kubectl create namespace x\""), "{e}");
        let e = err("rollout undo deployment/x");
        assert!(e.hint.contains("run = "), "{e}");
        let e = err("frobnicate x");
        assert!(e.message.contains("unknown kubectl verb"), "{e}");
        let e = err("describe deployment carts");
        assert!(e.hint.contains("get") && e.hint.contains("-o json"), "{e}");
        let e = err("apply -k ./kustomize");
        assert!(e.message.contains("-k"), "{e}");
    }

    #[test]
    fn apply_delete() {
        assert_eq!(
            verb("apply -f a.yaml -f dir/"),
            Verb::Apply {
                files: vec!["a.yaml".into(), "dir/".into()]
            }
        );
        assert_eq!(
            verb("apply -f -"),
            Verb::Apply {
                files: vec!["-".into()]
            }
        );
        match verb("delete deployment carts --ignore-not-found --wait") {
            Verb::Delete {
                targets,
                ignore_not_found,
                wait,
                ..
            } => {
                assert_eq!(targets[0].names, vec!["carts"]);
                assert!(ignore_not_found && wait);
            }
            v => panic!("{v:?}"),
        }
        match verb("delete -f x.yaml --wait=false") {
            Verb::Delete { files, wait, .. } => {
                assert_eq!(files, vec!["x.yaml"]);
                assert!(!wait);
            }
            v => panic!("{v:?}"),
        }
        match verb("delete pods -l app=x") {
            Verb::Delete { selector, .. } => assert_eq!(selector.as_deref(), Some("app=x")),
            v => panic!("{v:?}"),
        }
        assert!(parse("delete pods").is_err());
    }

    #[test]
    fn patch_and_metadata() {
        match verb(r#"patch deployment carts --type merge -p '{"spec":{"replicas":2}}'"#) {
            Verb::Patch {
                target, patch_type, ..
            } => {
                assert_eq!(target.names, vec!["carts"]);
                assert_eq!(patch_type, PatchType::Merge);
            }
            v => panic!("{v:?}"),
        }
        assert!(parse(r#"patch deploy/x --type json -p '{"a":1}'"#).is_err());
        assert!(parse(r#"patch deploy/x --type=json -p='[{"op":"remove","path":"/a"}]'"#).is_ok());
        assert!(parse("patch deploy/x --type merge").is_err());
        match verb("annotate deployment carts a=1 b- --overwrite") {
            Verb::Metadata {
                field,
                targets,
                changes,
                overwrite,
                ..
            } => {
                assert_eq!(field, MetaField::Annotations);
                assert_eq!(targets[0].names, vec!["carts"]);
                assert_eq!(changes, vec![("a".into(), Some("1".into())), ("b".into(), None)]);
                assert!(overwrite);
            }
            v => panic!("{v:?}"),
        }
        match verb("label pods -l app=x tier=web") {
            Verb::Metadata { field, selector, .. } => {
                assert_eq!(field, MetaField::Labels);
                assert_eq!(selector.as_deref(), Some("app=x"));
            }
            v => panic!("{v:?}"),
        }
        assert!(parse("label pod x").is_err());
    }

    #[test]
    fn scale_rollout_wait() {
        assert_eq!(
            verb("scale deployment/carts --replicas=3"),
            Verb::Scale {
                targets: vec![Target {
                    resource: "deployment".into(),
                    names: vec!["carts".into()]
                }],
                replicas: ReplicaCount::Count(3)
            }
        );
        assert!(parse("scale deployment/carts --replicas=three").is_err());
        match verb("rollout status deployment/carts --timeout=2m") {
            Verb::RolloutStatus { timeout, watch, .. } => {
                assert_eq!(timeout, Some(Duration::from_secs(120)));
                assert!(watch);
            }
            v => panic!("{v:?}"),
        }
        match verb("rollout status -n carts deploy carts --timeout 0") {
            Verb::RolloutStatus { timeout, .. } => assert_eq!(timeout, None),
            v => panic!("{v:?}"),
        }
        assert!(matches!(
            verb("rollout restart deployment/carts"),
            Verb::RolloutRestart { .. }
        ));
        match verb("wait --for=condition=Available deployment/carts --timeout=60s") {
            Verb::Wait {
                condition, timeout, ..
            } => {
                assert_eq!(
                    condition,
                    WaitFor::Condition {
                        name: "Available".into(),
                        value: "true".into()
                    }
                );
                assert_eq!(timeout, Duration::from_secs(60));
            }
            v => panic!("{v:?}"),
        }
        match verb("wait --for=jsonpath='{.status.phase}'=Running pod/x") {
            Verb::Wait {
                condition, timeout, ..
            } => {
                assert_eq!(
                    condition,
                    WaitFor::JsonPath {
                        path: ".status.phase".into(),
                        value: Some("Running".into())
                    }
                );
                assert_eq!(timeout, Duration::from_secs(30));
            }
            v => panic!("{v:?}"),
        }
        match verb("wait pods -l app=x --for=delete") {
            Verb::Wait { condition, .. } => assert_eq!(condition, WaitFor::Delete),
            v => panic!("{v:?}"),
        }
        assert!(parse("wait deployment/x").is_err());
        assert!(parse("wait deployment/x --for=ready").is_err());
    }

    #[test]
    fn logs_exec() {
        match verb("logs deployment/carts -c app --tail 20 -p") {
            Verb::Logs {
                target,
                container,
                previous,
                tail,
                ..
            } => {
                assert_eq!(target.resource, "deployment");
                assert_eq!(container.as_deref(), Some("app"));
                assert!(previous);
                assert_eq!(tail, Some(20));
            }
            v => panic!("{v:?}"),
        }
        match verb("logs carts-abc --since=1m") {
            Verb::Logs {
                target,
                since_seconds,
                ..
            } => {
                assert_eq!(target.resource, "pods");
                assert_eq!(since_seconds, Some(60));
            }
            v => panic!("{v:?}"),
        }
        assert!(parse("logs -f x").unwrap_err().message.contains("follows"));
        match verb("exec -it deployment/carts -c app -- curl -s http://x") {
            Verb::Exec {
                target,
                container,
                command,
            } => {
                assert_eq!(target.names, vec!["carts"]);
                assert_eq!(container.as_deref(), Some("app"));
                assert_eq!(command, vec!["curl", "-s", "http://x"]);
            }
            v => panic!("{v:?}"),
        }
        assert!(parse("exec pod/x").is_err());
        assert!(parse("get pods -- x").is_err());
    }

    #[test]
    fn check_accepts_placeholders() {
        check("scale deployment/${NAME} --replicas=${N}").unwrap();
        check("rollout status deployment/carts --timeout=${T}").unwrap();
        check("patch deployment x --type=${TYPE} -p ${PATCH}").unwrap();
        check("get pods -n ${NS} -o ${FORMAT}").unwrap();
        check("wait --for=${COND} deployment/x").unwrap();
        assert!(parse("scale deployment/x --replicas=${N}").is_err());
        assert!(check("scale deployment/x --replicas=${N} --bogus").is_err());
        assert!(check("describe pod ${P}").is_err());
        assert!(check("get pods 'unclosed").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }
}
