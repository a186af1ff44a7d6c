//! The values of `kubectl` commands and how each is read from its text:
//! resource arguments, durations, patches, metadata changes, wait
//! conditions. Each reader is used once, at validation for a literal value
//! or when the engine fills in a value with placeholders.

use std::time::Duration;

use serde_json::Value;

use crate::action::arg::CommandError;

/// A resource type as written (`po`, `deployments.apps`) with the names
/// given for it; no names means "all of this type".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub resource: String,
    pub names: Vec<String>,
}

/// Resource arguments: `TYPE [NAME...]`, `TYPE1,TYPE2`, or `TYPE/NAME...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Targets {
    pub list: Vec<Target>,
    /// One type and one name, without a comma: `get` prints the object
    /// itself rather than a List.
    pub single: bool,
}

/// What a verb accepts as resource arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// A type alone means every object of the type.
    Optional,
    Required,
}

/// Reads resource arguments.
pub fn targets(pos: &[String], verb: &str, names: Names) -> Result<Targets, CommandError> {
    let Some(first) = pos.first() else {
        return Err(CommandError::new(
            format!("`{verb}` needs a resource type"),
            format!("e.g. {verb} deployment carts"),
        ));
    };
    if first.contains('/') {
        let mut list: Vec<Target> = Vec::new();
        for p in pos {
            let Some((ty, name)) = p.split_once('/').filter(|(t, n)| !t.is_empty() && !n.is_empty()) else {
                return Err(CommandError::new(
                    format!("expected TYPE/NAME, got {p:?}"),
                    "do not mix TYPE/NAME with TYPE NAME",
                ));
            };
            match list.iter_mut().find(|t| t.resource == ty) {
                Some(t) => t.names.push(name.to_string()),
                None => list.push(Target {
                    resource: ty.to_string(),
                    names: vec![name.to_string()],
                }),
            }
        }
        return Ok(Targets {
            list,
            single: pos.len() == 1,
        });
    }
    let types: Vec<&str> = first.split(',').filter(|s| !s.is_empty()).collect();
    let given: Vec<String> = pos[1..].to_vec();
    if let Some(bad) = given.iter().find(|n| n.contains('/')) {
        return Err(CommandError::new(
            format!("expected a name, got {bad:?}"),
            "do not mix TYPE NAME with TYPE/NAME",
        ));
    }
    if given.is_empty() && names == Names::Required {
        return Err(CommandError::new(
            format!("`{verb}` needs a resource name"),
            format!("e.g. {verb} {first} NAME"),
        ));
    }
    let single = types.len() == 1 && given.len() == 1 && !first.contains(',');
    Ok(Targets {
        list: types
            .into_iter()
            .map(|t| Target {
                resource: t.to_string(),
                names: given.clone(),
            })
            .collect(),
        single,
    })
}

/// Exactly one object: `TYPE NAME` or `TYPE/NAME`.
pub fn one_target(pos: &[String], verb: &str) -> Result<Target, CommandError> {
    let mut t = targets(pos, verb, Names::Required)?.list;
    if t.len() != 1 || t[0].names.len() != 1 {
        return Err(CommandError::new(
            format!("`{verb}` takes exactly one object"),
            format!("e.g. {verb} deployment/carts"),
        ));
    }
    Ok(t.remove(0))
}

/// `logs`/`exec`: `POD`, `pod/NAME`, `deployment/NAME` (or other workload
/// types, resolved through their selector).
pub fn pod_target(pos: &[String], verb: &str) -> Result<Target, CommandError> {
    let pod = |name: &String| Target {
        resource: "pods".into(),
        names: vec![name.clone()],
    };
    match pos {
        [one] if !one.contains('/') => Ok(pod(one)),
        [one] => one_target(std::slice::from_ref(one), verb),
        [ty, name] if ty == "pod" || ty == "pods" || ty == "po" => Ok(pod(name)),
        [_, container] if verb == "logs" => Err(CommandError::not_native(
            format!("a container given as an argument ({container:?}) is not read natively"),
            "use -c CONTAINER",
        )),
        _ => Err(CommandError::new(
            format!("`{verb}` takes one pod: POD or TYPE/NAME"),
            format!("e.g. {verb} deployment/carts"),
        )),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Json,
    Strategic,
}

/// A patch and its type.
#[derive(Clone, Debug, PartialEq)]
pub struct PatchBody {
    pub kind: PatchType,
    pub value: Value,
}

/// `--type` (strategic when absent) and `-p`, read together: a JSON patch
/// is a list of operations, the others are objects.
pub fn patch(kind: Option<&str>, text: &str) -> Result<PatchBody, CommandError> {
    let kind = match kind.unwrap_or("strategic") {
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        "strategic" => PatchType::Strategic,
        other => {
            return Err(CommandError::new(
                format!("unknown patch type {other:?}"),
                "--type is one of merge, json, strategic",
            ));
        }
    };
    let value: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        CommandError::new(
            format!("the patch is not JSON or YAML: {e}"),
            "check the quotes in -p",
        )
    })?;
    let ok = match kind {
        PatchType::Json => value.is_array(),
        _ => value.is_object(),
    };
    if !ok {
        return Err(CommandError::new(
            "the patch has the wrong shape",
            "a json patch is a list of operations; merge and strategic patches are objects",
        ));
    }
    Ok(PatchBody { kind, value })
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

    /// The member of `metadata` it changes.
    pub fn key(self) -> &'static str {
        match self {
            MetaField::Annotations => "annotations",
            MetaField::Labels => "labels",
        }
    }
}

/// `key=value` sets a key; `key-` removes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub value: Option<String>,
}

/// Whether an argument of `annotate`/`label`, as written, is a change
/// rather than an object.
pub fn is_change(literal_prefix: &str) -> bool {
    literal_prefix.contains('=')
        || (literal_prefix.ends_with('-') && !literal_prefix.contains('/') && literal_prefix.len() > 1)
}

pub fn changes(kvs: &[String], verb: &str) -> Result<Vec<Change>, CommandError> {
    let mut out = Vec::new();
    for kv in kvs {
        if let Some((k, v)) = kv.split_once('=') {
            out.push(Change {
                key: k.to_string(),
                value: Some(v.to_string()),
            });
        } else if let Some(k) = kv.strip_suffix('-') {
            out.push(Change {
                key: k.to_string(),
                value: None,
            });
        } else {
            return Err(CommandError::new(
                format!("`{verb}` expects key=value or key-, got {kv:?}"),
                "resources come first, then the changes",
            ));
        }
    }
    if out.is_empty() {
        return Err(CommandError::new(
            format!("`{verb}` needs at least one key=value or key-"),
            format!("e.g. {verb} deployment carts team=checkout"),
        ));
    }
    Ok(out)
}

/// `set image`'s `CONTAINER=IMAGE` pairs (`*=IMAGE` for every container).
pub fn image_changes(pairs: &[String]) -> Result<Vec<Change>, CommandError> {
    let mut out = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((name, image)) if !name.is_empty() && !image.is_empty() => out.push(Change {
                key: name.to_string(),
                value: Some(image.to_string()),
            }),
            _ => {
                return Err(CommandError::new(
                    format!("invalid image update: {pair}"),
                    "write CONTAINER=IMAGE (or *=IMAGE for every container)",
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(CommandError::new(
            "at least one image update is required",
            "e.g. set image deployment/ui ui=public.ecr.aws/aws-containers/retail-store-sample-ui:1.0.0",
        ));
    }
    if out.len() > 1 && out.iter().any(|c| c.key == "*") {
        return Err(CommandError::new(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs",
            "give either *=IMAGE or one CONTAINER=IMAGE per container",
        ));
    }
    Ok(out)
}

/// `set env`'s `KEY=VALUE` and `KEY-`, read as kubectl reads them: a
/// valid variable name, not both set and removed.
pub fn env_changes(specs: &[String]) -> Result<Vec<Change>, CommandError> {
    let out = changes(specs, "set env")?;
    for c in &out {
        let mut chars = c.key.chars();
        let valid = chars
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || "-._".contains(first))
            && chars.all(|ch| ch.is_ascii_alphanumeric() || "-._".contains(ch));
        if !valid {
            return Err(CommandError::new(
                format!("{:?} is not a valid key name", c.key),
                "a variable name is letters, digits, '_', '-' or '.', and does not start with a digit",
            ));
        }
    }
    if let Some(c) = out
        .iter()
        .find(|c| c.value.is_none() && out.iter().any(|o| o.key == c.key && o.value.is_some()))
    {
        return Err(CommandError::new(
            format!(
                "can not both modify and remove the same environment variable in the same command ({})",
                c.key
            ),
            "",
        ));
    }
    Ok(out)
}

/// `--to-revision`: a revision number, 0 for the previous one.
pub fn revision(v: &str) -> Result<i64, CommandError> {
    match v.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(CommandError::new(
            format!("--to-revision must be a revision number, got {v:?}"),
            "0 (the default) is the revision before the current one",
        )),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// `condition=Available` (status `True`), `condition=Ready=false`.
    Condition {
        name: String,
        value: String,
    },
    Delete,
    /// `jsonpath='{.status.phase}'=Running`: the path in kubectl's JSONPath
    /// subset (dotted fields, `[N]` indexes) and the wanted value; without a
    /// value the path must merely exist.
    JsonPath {
        path: String,
        value: Option<String>,
    },
    /// `create` (kubectl 1.31+): the object exists.
    Create,
}

/// `--for=…`.
pub fn wait_for(cond: &str) -> Result<WaitFor, CommandError> {
    if cond == "delete" {
        return Ok(WaitFor::Delete);
    }
    if cond == "create" {
        return Ok(WaitFor::Create);
    }
    if let Some(c) = cond.strip_prefix("condition=") {
        let (name, value) = c.split_once('=').unwrap_or((c, "true"));
        if name.is_empty() {
            return Err(CommandError::new("--for=condition= needs a condition name", ""));
        }
        return Ok(WaitFor::Condition {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if let Some(j) = cond.strip_prefix("jsonpath=") {
        return wait_for_jsonpath(cond, j);
    }
    Err(CommandError::new(
        format!("unsupported --for={cond}"),
        "--for is condition=NAME[=VALUE], delete, create or jsonpath='{.path}'=VALUE",
    ))
}

/// `jsonpath={.status.phase}=Running` (the shell removed the quotes).
fn wait_for_jsonpath(cond: &str, j: &str) -> Result<WaitFor, CommandError> {
    let (path, value) = match j.find('}') {
        Some(end) => {
            let after = &j[end + 1..];
            let value = match after.strip_prefix('=') {
                Some(v) => Some(v.to_string()),
                None if after.is_empty() => None,
                None => return Err(CommandError::new(format!("cannot read --for={cond}"), "")),
            };
            (&j[..=end], value)
        }
        None => match j.split_once('=') {
            Some((p, v)) => (p, Some(v.to_string())),
            None => (j, None),
        },
    };
    let inner = path.trim_start_matches('{').trim_end_matches('}');
    if !inner.starts_with('.') {
        return Err(CommandError::new(
            format!("unsupported JSONPath {path:?}"),
            "write a dotted path such as '{.status.phase}'",
        ));
    }
    Ok(WaitFor::JsonPath {
        path: inner.to_string(),
        value,
    })
}

/// A `-f` argument: a file, a folder, an http(s) URL or `-`.
pub fn manifest(f: &str) -> Result<String, CommandError> {
    if f.is_empty() {
        return Err(CommandError::new("-f needs a file, a folder, a URL or -", ""));
    }
    Ok(f.to_string())
}

/// `--grace-period`: seconds, negative for the object's own.
pub fn grace_period(v: &str) -> Result<i64, CommandError> {
    v.parse::<i64>().map_err(|_| {
        CommandError::new(
            format!("--grace-period must be a number of seconds, got {v:?}"),
            "",
        )
    })
}

/// `--from-literal=KEY=VALUE`.
pub fn literal(v: &str) -> Result<(String, String), CommandError> {
    key_value(v).ok_or_else(|| {
        CommandError::new(
            format!("invalid literal source {v}, expected key=value"),
            "e.g. --from-literal=RETAIL_UI_THEME=green",
        )
    })
}

/// `KEY=VALUE` with a key: the value may hold `=`.
fn key_value(v: &str) -> Option<(String, String)> {
    v.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, value)| (k.to_string(), value.to_string()))
}

/// `--image` of `create deployment|job`: images separated by commas, as
/// kubectl reads a string slice, each with the container name kubectl
/// derives from it (see [`container_name`]).
pub fn images(v: &str) -> Result<Vec<super::Image>, CommandError> {
    v.split(',')
        .map(|image| {
            if image.is_empty() {
                return Err(CommandError::new(
                    format!("--image has an empty image: {v:?}"),
                    "e.g. --image=nginx or --image=public.ecr.aws/nginx/nginx:1.27",
                ));
            }
            Ok(super::Image {
                image: image.to_string(),
                container: container_name(image)?,
            })
        })
        .collect()
}

/// The container name `create deployment` gives an image: its last path
/// part without tag or digest. kubectl gives a name with `.` or `_` a
/// random suffix, which a replay could not send again: those lines run
/// through the CLI.
pub fn container_name(image: &str) -> Result<String, CommandError> {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['.', '_']) {
        return Err(CommandError::not_native(
            format!(
                "kubectl names the container of {image} with a random suffix, which rehearse cannot replay"
            ),
            "write the deployment's manifest (its container named) and `apply -f` it",
        ));
    }
    Ok(name.to_string())
}

/// `--port`: a container port (kubectl's default, -1, is none).
pub fn port(v: &str) -> Result<i32, CommandError> {
    v.parse::<i32>()
        .map_err(|_| CommandError::new(format!("--port must be a number, got {v:?}"), "e.g. --port=8080"))
}

/// `create job --from=cronjob/NAME`: the CronJob's name.
pub fn from_cronjob(v: &str) -> Result<String, CommandError> {
    match v.split_once('/') {
        Some(("cronjob" | "cronjobs" | "cj" | "cronjob.batch" | "cronjobs.batch", name))
            if !name.is_empty() =>
        {
            Ok(name.to_string())
        }
        _ => Err(CommandError::new(
            format!("--from={v}: from must be an existing cronjob"),
            "write --from=cronjob/NAME",
        )),
    }
}

/// `run --env=KEY=VALUE`.
pub fn env(v: &str) -> Result<(String, String), CommandError> {
    key_value(v).ok_or_else(|| CommandError::new(format!("invalid env: {v}"), "write --env=KEY=VALUE"))
}

/// `run --labels=k=v,k2=v2`.
pub fn labels(v: &str) -> Result<Vec<(String, String)>, CommandError> {
    v.split(',')
        .map(|pair| {
            key_value(pair).ok_or_else(|| {
                CommandError::new(
                    format!("invalid label spec: {pair}"),
                    "write --labels=key=value,key2=value2",
                )
            })
        })
        .collect()
}

/// A whole number of replicas.
pub fn replicas(v: &str) -> Result<u32, CommandError> {
    v.parse::<u32>()
        .map_err(|_| CommandError::new(format!("--replicas must be a whole number, got {v:?}"), ""))
}

/// `--tail`: a number, negative for all.
pub fn tail(v: &str) -> Result<i64, CommandError> {
    v.parse::<i64>()
        .map_err(|_| CommandError::new(format!("--tail must be a number, got {v:?}"), ""))
}

/// A Go duration as kubectl takes it: `30s`, `5m`, `1h30m`, `1.5s`, `0`.
pub fn parse_duration(s: &str) -> Result<Duration, CommandError> {
    let bad = || {
        CommandError::new(
            format!("invalid duration {s:?}"),
            "write a duration such as 30s, 5m or 1h30m",
        )
    };
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let mut rest = s;
    let mut total = 0f64;
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

/// A switch's value: `--wait`, `--wait=false`.
pub fn switch(name: &str, v: &str) -> Result<bool, CommandError> {
    match v {
        "" | "true" | "1" | "t" | "T" | "TRUE" | "True" => Ok(true),
        "false" | "0" | "f" | "F" | "FALSE" | "False" => Ok(false),
        _ => Err(CommandError::new(
            format!("invalid value {v:?} for {name}: expected true or false"),
            format!("write {name} or {name}=false"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn container_names_are_kubectls() {
        let names = |v: &str| images(v).map(|l| l.into_iter().map(|i| i.container).collect::<Vec<_>>());
        assert_eq!(names("nginx").unwrap(), ["nginx"]);
        assert_eq!(names("public.ecr.aws/nginx/nginx:1.27").unwrap(), ["nginx"]);
        assert_eq!(names("busybox@sha256:abc,redis:7").unwrap(), ["busybox", "redis"]);
        assert_eq!(names("localhost:5000/app").unwrap(), ["app"]);
        let e = names("a/b.c").unwrap_err();
        assert!(e.message.contains("random suffix"), "{e}");
        assert!(names("nginx,").is_err());
        assert_eq!(from_cronjob("cronjob/cleanup").unwrap(), "cleanup");
        assert!(from_cronjob("deployment/x").is_err());
    }

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn wait_conditions() {
        assert_eq!(
            wait_for("jsonpath={.status.phase}=Running").unwrap(),
            WaitFor::JsonPath {
                path: ".status.phase".into(),
                value: Some("Running".into())
            }
        );
        assert_eq!(
            wait_for("condition=Ready=false").unwrap(),
            WaitFor::Condition {
                name: "Ready".into(),
                value: "false".into()
            }
        );
        assert!(wait_for("ready").is_err());
        assert!(wait_for("jsonpath=status").is_err());
    }
}
