//! The command line of an `aws` step, as the AWS CLI reads it:
//! `<service> <operation> --flag value …` (the leading `aws` optional).
//!
//! `parse` turns it into the operation's input keyed by API member names;
//! `check` validates a command whose values may still hold `${NAME}`
//! placeholders.

use std::fmt;

use serde_json::{Map, Value};

use super::spec::{Field, Member, Operation, Service, Ty};
use super::waiters::{EKS_WAITERS, Waiter, eks_waiter};
use crate::query::{Lang, Query};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    pub hint: String,
}

impl CliError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub service: Service,
    pub operation: &'static Operation,
    /// API member names → values.
    pub input: Map<String, Value>,
    /// `--query`, a JMESPath expression over the output.
    pub query: Option<String>,
    /// `eks wait …`: `operation` is the describe call it polls.
    pub waiter: Option<&'static Waiter>,
    /// Whether a list operation fetches every page and joins them, as the
    /// CLI does unless `--no-paginate` or a paging member is given.
    pub paginate: bool,
}

pub fn parse(command: &str) -> Result<Command, CliError> {
    parse_with(command, false)
}

/// Validates a command before its variables are known: service, operation
/// or waiter, flag names, required members, and the syntax of every value
/// that holds no `${NAME}` placeholder. Reads no files.
pub fn check(command: &str) -> Result<(), CliError> {
    parse_template(command).map(|_| ())
}

/// Parses a command line as written in a workflow, before its variables are
/// known: values holding `${NAME}` are kept as written, unchecked.
pub fn parse_template(command: &str) -> Result<Command, CliError> {
    parse_with(command, true)
}

/// Global flags the CLI accepts on every operation; the first group takes a
/// value.
const GLOBAL_WITH_VALUE: &[&str] = &["query", "output", "color", "cli-input-json"];
const GLOBAL_SWITCHES: &[&str] = &["no-cli-pager", "no-paginate"];
const OUTPUTS: &[&str] = &["json", "text", "table", "yaml", "yaml-stream"];

fn parse_with(command: &str, check: bool) -> Result<Command, CliError> {
    let words = shell_words::split(command).map_err(|e| {
        CliError::new(
            format!("cannot split the command into words: {e}"),
            "close every quote",
        )
    })?;
    let mut words: &[String] = &words;
    if words.first().is_some_and(|w| w == "aws") {
        words = &words[1..];
    }
    let usage = "write `<service> <operation> --flag value …` (without `aws`)";
    let Some(service_name) = words.first() else {
        return Err(CliError::new("empty aws command", usage));
    };
    let Some(service) = Service::from_name(service_name) else {
        let names = Service::ALL.map(Service::name);
        return Err(CliError::new(
            format!("unknown service `{service_name}`"),
            format!("services: {}", closest_first(service_name, names)),
        ));
    };
    let op_names = || service.operations().iter().map(|o| o.name);
    let Some(op_name) = words.get(1) else {
        return Err(CliError::new(
            format!("no operation after `{}`", service.name()),
            format!(
                "operations of {}: {}",
                service.name(),
                op_names().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    let (operation, waiter, rest) = if service == Service::Eks && op_name == "wait" {
        let waiter_names = || EKS_WAITERS.iter().map(|w| w.name);
        let Some(name) = words.get(2) else {
            return Err(CliError::new(
                "no waiter after `eks wait`",
                format!("waiters: {}", waiter_names().collect::<Vec<_>>().join(", ")),
            ));
        };
        let Some(waiter) = eks_waiter(name) else {
            return Err(CliError::new(
                format!("unknown waiter `{name}` for eks wait"),
                format!("waiters, closest first: {}", closest_first(name, waiter_names())),
            ));
        };
        let op = service.operation(waiter.operation).expect("waiter operation");
        (op, Some(waiter), &words[3..])
    } else {
        let Some(op) = service.operation(op_name) else {
            return Err(CliError::new(
                format!("unknown operation `{op_name}` for {}", service.name()),
                format!(
                    "operations of {}, closest first: {}",
                    service.name(),
                    closest_first(op_name, op_names())
                ),
            ));
        };
        (op, None, &words[2..])
    };
    let what = match waiter {
        Some(w) => format!("eks wait {}", w.name),
        None => format!("{} {}", service.name(), operation.name),
    };
    let mut parser = Parser {
        op: operation,
        what,
        check,
        input: Map::new(),
        skipped: Vec::new(),
        query: None,
        paginate: operation.paging.is_some(),
        input_json: None,
    };
    parser.args(rest)?;
    let Parser {
        mut input,
        skipped,
        query,
        paginate,
        input_json,
        ..
    } = parser;
    let mut paginate = paginate;
    let mut json_skipped = false;
    if let Some(json) = input_json {
        match json {
            Some(json) => {
                for (name, value) in json {
                    let Some(member) = operation.member(&name) else {
                        let names = operation.members.iter().map(|m| m.name);
                        return Err(CliError::new(
                            format!("unknown parameter `{name}` in --cli-input-json"),
                            format!("members, closest first: {}", closest_first(&name, names)),
                        ));
                    };
                    if is_paging_member(operation, member.name) {
                        paginate = false;
                    }
                    let unchecked = check && value.as_str().is_some_and(has_placeholder);
                    if !fits(member.ty, &value) && !unchecked {
                        return Err(CliError::new(
                            format!("--cli-input-json: `{name}` is not {}", describe(member.ty)),
                            format!("got {value}"),
                        ));
                    }
                    input.entry(name).or_insert(value);
                }
            }
            None => json_skipped = true,
        }
    }
    if !json_skipped {
        let missing: Vec<String> = operation
            .members
            .iter()
            .filter(|m| m.required && !input.contains_key(m.name) && !skipped.contains(&m.name))
            .map(|m| format!("--{}", m.flag))
            .collect();
        if !missing.is_empty() {
            return Err(CliError::new(
                format!(
                    "{}: the following arguments are required: {}",
                    parser_what(service, operation, waiter),
                    missing.join(", ")
                ),
                "",
            ));
        }
    }
    Ok(Command {
        service,
        operation,
        input,
        query,
        waiter,
        paginate,
    })
}

fn parser_what(service: Service, op: &Operation, waiter: Option<&Waiter>) -> String {
    match waiter {
        Some(w) => format!("eks wait {}", w.name),
        None => format!("{} {}", service.name(), op.name),
    }
}

fn is_paging_member(op: &Operation, name: &str) -> bool {
    op.paging
        .is_some_and(|p| p.input_token == name || p.limit_key == name)
}

struct Parser {
    op: &'static Operation,
    what: String,
    check: bool,
    input: Map<String, Value>,
    /// Members whose value was not checked (it holds a placeholder).
    skipped: Vec<&'static str>,
    query: Option<String>,
    paginate: bool,
    /// `--cli-input-json`: `Some(None)` when it could not be checked.
    input_json: Option<Option<Map<String, Value>>>,
}

fn has_placeholder(value: &str) -> bool {
    value.contains("${")
}

impl Parser {
    fn args(&mut self, mut rest: &[String]) -> Result<(), CliError> {
        let mut given: Vec<(String, Vec<String>)> = Vec::new();
        while let Some(word) = rest.first() {
            let Some(flag_text) = word.strip_prefix("--").filter(|f| !f.is_empty()) else {
                return Err(CliError::new(
                    format!("unexpected argument `{word}` in {}", self.what),
                    "values follow a --flag; quote a value that holds spaces",
                ));
            };
            let (flag, inline) = match flag_text.split_once('=') {
                Some((f, v)) => (f, Some(v.to_string())),
                None => (flag_text, None),
            };
            let count = rest[1..]
                .iter()
                .take_while(|w| !(w.starts_with("--") && w.len() > 2))
                .count();
            let mut values: Vec<String> = inline.into_iter().collect();
            values.extend(rest[1..=count].iter().cloned());
            rest = &rest[1 + count..];
            given.push((flag.to_string(), values));
        }
        self.fill_pending(&mut given);
        for (flag, values) in given {
            self.flag(&flag, values)?;
        }
        Ok(())
    }

    /// The AWS CLI's parser lets a one-value flag written without its value
    /// take the first stray value found later: the EKS Workshop writes
    /// `--policy-arn --query 'PolicyVersion.Document' arn:aws:iam::...`,
    /// and the CLI sends that ARN as the policy ARN. Stray values are the
    /// ones after a one-value flag's own value.
    fn fill_pending(&self, given: &mut [(String, Vec<String>)]) {
        let mut strays: Vec<String> = Vec::new();
        for (flag, values) in given.iter_mut() {
            if self.takes_one_value(flag) && values.len() > 1 {
                strays.extend(values.drain(1..));
            }
        }
        let mut strays = strays.into_iter();
        for (flag, values) in given.iter_mut() {
            if values.is_empty() && self.takes_one_value(flag) {
                match strays.next() {
                    Some(v) => values.push(v),
                    None => return,
                }
            }
        }
        // Strays nobody took go back where they were, to be reported there.
        let left: Vec<String> = strays.collect();
        if let Some((_, values)) = given.iter_mut().rev().find(|(f, _)| self.takes_one_value(f)) {
            values.extend(left);
        }
    }

    /// Flags that take exactly one value.
    fn takes_one_value(&self, flag: &str) -> bool {
        match self.op.member_by_flag(flag) {
            Some(member) => matches!(
                member.ty,
                Ty::String | Ty::Integer | Ty::Struct(_) | Ty::Json | Ty::StringMap
            ),
            None => matches!(flag, "query" | "output" | "color" | "cli-input-json"),
        }
    }

    fn flag(&mut self, flag: &str, values: Vec<String>) -> Result<(), CliError> {
        if let Some(member) = self.op.member_by_flag(flag) {
            if is_paging_member(self.op, member.name) {
                self.paginate = false;
            }
            return self.member(member, values);
        }
        if let Some(member) = flag
            .strip_prefix("no-")
            .and_then(|f| self.op.member_by_flag(f))
            .filter(|m| m.ty == Ty::Boolean)
        {
            self.no_values(flag, &values)?;
            return self.set(member, Value::Bool(false));
        }
        match flag {
            "query" => {
                let q = self.one(flag, values)?;
                if let Err(e) = Query::compile(Lang::JmesPath, &q)
                    && !(self.check && has_placeholder(&q))
                {
                    return Err(CliError::new(
                        format!("bad --query `{q}`: {}", e.message),
                        "--query takes a JMESPath expression, as the AWS CLI does",
                    ));
                }
                self.query = Some(q);
            }
            "output" => {
                let v = self.one(flag, values)?;
                let known = OUTPUTS.contains(&v.as_str());
                if !(known || self.check && has_placeholder(&v)) {
                    return Err(CliError::new(
                        format!("bad --output `{v}`"),
                        format!(
                            "one of {}; the step's output is JSON either way",
                            OUTPUTS.join(", ")
                        ),
                    ));
                }
            }
            "color" => {
                self.one(flag, values)?;
            }
            "no-cli-pager" => self.no_values(flag, &values)?,
            "no-paginate" => {
                self.no_values(flag, &values)?;
                self.paginate = false;
            }
            "cli-input-json" => {
                let raw = self.one(flag, values)?;
                let parsed = match self.load(&raw)? {
                    None => None,
                    Some(text) => match serde_json::from_str::<Value>(&text) {
                        Ok(Value::Object(map)) => Some(map),
                        _ if self.check && has_placeholder(&text) => None,
                        Ok(_) => {
                            return Err(CliError::new(
                                "--cli-input-json is not a JSON object",
                                "give the input as {\"memberName\": value, …}",
                            ));
                        }
                        Err(e) => {
                            return Err(CliError::new(
                                format!("--cli-input-json is not valid JSON: {e}"),
                                "give the input as {\"memberName\": value, …}",
                            ));
                        }
                    },
                };
                self.input_json = Some(parsed);
            }
            "page-size" if self.op.paging.is_some() => {
                let limit = self.op.paging.map(|p| p.limit_key).unwrap_or_default();
                let v = self.one(flag, values)?;
                match v.parse::<i64>() {
                    Ok(n) => {
                        self.input.insert(limit.into(), n.into());
                    }
                    Err(_) if self.check && has_placeholder(&v) => {}
                    Err(_) => return Err(expected(flag, "an integer", &v)),
                }
            }
            "max-items" | "starting-token" if self.op.paging.is_some() => {
                return Err(CliError::new(
                    format!("--{flag} is not supported"),
                    "rehearse fetches every page; use --query to pick items",
                ));
            }
            "region" | "profile" | "endpoint-url" => {
                let var = match flag {
                    "region" => "AWS_REGION",
                    "profile" => "AWS_PROFILE",
                    _ => "AWS_ENDPOINT_URL",
                };
                return Err(CliError::new(
                    format!("--{flag} is not supported in an aws step"),
                    format!("set {var} in the environment rehearse runs in"),
                ));
            }
            _ => {
                let mut names: Vec<String> = Vec::new();
                for m in self.op.members {
                    names.push(m.flag.to_string());
                    if m.ty == Ty::Boolean {
                        names.push(format!("no-{}", m.flag));
                    }
                }
                if self.op.paging.is_some() {
                    names.push("page-size".into());
                }
                names.extend(
                    GLOBAL_WITH_VALUE
                        .iter()
                        .chain(GLOBAL_SWITCHES)
                        .map(|s| s.to_string()),
                );
                let ordered = closest_first(flag, names.iter().map(String::as_str));
                return Err(CliError::new(
                    format!("unknown option `--{flag}` for {}", self.what),
                    format!("options, closest first: {}", prefix_all(&ordered)),
                ));
            }
        }
        Ok(())
    }

    fn one(&self, flag: &str, values: Vec<String>) -> Result<String, CliError> {
        let mut values = values.into_iter();
        let Some(first) = values.next() else {
            return Err(CliError::new(format!("--{flag} expects one argument"), ""));
        };
        if let Some(extra) = values.next() {
            return Err(CliError::new(
                format!("unexpected argument `{extra}` after --{flag} {first}"),
                "quote a value that holds spaces",
            ));
        }
        Ok(first)
    }

    fn no_values(&self, flag: &str, values: &[String]) -> Result<(), CliError> {
        match values.first() {
            None => Ok(()),
            Some(v) => Err(CliError::new(format!("--{flag} takes no value, got `{v}`"), "")),
        }
    }

    fn set(&mut self, member: &'static Member, value: Value) -> Result<(), CliError> {
        if self.input.contains_key(member.name) {
            return Err(CliError::new(format!("--{} is given twice", member.flag), ""));
        }
        self.input.insert(member.name.into(), value);
        Ok(())
    }

    /// The text of a value: `file://path` is read (not while checking).
    fn load(&self, raw: &str) -> Result<Option<String>, CliError> {
        let path = raw
            .strip_prefix("file://")
            .or_else(|| raw.strip_prefix("fileb://"));
        match path {
            None => Ok(Some(raw.to_string())),
            Some(_) if self.check => Ok(None),
            Some(path) => std::fs::read_to_string(path).map(Some).map_err(|e| {
                CliError::new(
                    format!("cannot read {raw}: {e}"),
                    "file:// paths are relative to the directory rehearse runs in",
                )
            }),
        }
    }

    fn member(&mut self, member: &'static Member, values: Vec<String>) -> Result<(), CliError> {
        let flag = member.flag;
        let value = match member.ty {
            Ty::Boolean => {
                self.no_values(flag, &values)?;
                Some(Value::Bool(true))
            }
            Ty::String => {
                let raw = self.one(flag, values)?;
                self.load(&raw)?.map(Value::String)
            }
            Ty::Integer => {
                let raw = self.one(flag, values)?;
                match raw.parse::<i64>() {
                    Ok(n) => Some(n.into()),
                    Err(_) if self.check && has_placeholder(&raw) => None,
                    Err(_) => return Err(expected(flag, "an integer", &raw)),
                }
            }
            Ty::Json | Ty::Struct(_) => {
                let raw = self.one(flag, values)?;
                match self.load(&raw)? {
                    None => None,
                    Some(text) => self.tolerate(&text, structure(flag, member.ty, &text))?,
                }
            }
            Ty::StringList | Ty::StringMap | Ty::StructList(_) => {
                if values.is_empty() {
                    return Err(CliError::new(
                        format!("--{flag} expects at least one argument"),
                        "",
                    ));
                }
                let mut acc = match member.ty {
                    Ty::StringMap => Value::Object(Map::new()),
                    _ => Value::Array(Vec::new()),
                };
                let mut complete = true;
                for raw in values {
                    let Some(text) = self.load(&raw)? else {
                        complete = false;
                        continue;
                    };
                    match self.tolerate(&text, collection_part(flag, member.ty, &text))? {
                        None => complete = false,
                        Some(Value::Array(items)) => acc.as_array_mut().expect("list").extend(items),
                        Some(Value::Object(map)) => acc.as_object_mut().expect("map").extend(map),
                        Some(_) => unreachable!("collection parts are arrays or objects"),
                    }
                }
                // Repeated flags add to the collection.
                if let Some(prev) = self.input.remove(member.name) {
                    match (prev, &mut acc) {
                        (Value::Array(mut p), Value::Array(a)) => {
                            p.append(a);
                            *a = p;
                        }
                        (Value::Object(mut p), Value::Object(a)) => {
                            p.append(a);
                            *a = p;
                        }
                        _ => {}
                    }
                }
                if !complete {
                    self.skipped.push(member.name);
                }
                Some(acc)
            }
        };
        match value {
            Some(v) if member.ty.is_collection() => {
                self.input.insert(member.name.into(), v);
                Ok(())
            }
            Some(v) => self.set(member, v),
            None => {
                self.skipped.push(member.name);
                Ok(())
            }
        }
    }

    /// While checking, a value with a placeholder may not parse yet.
    fn tolerate(&self, text: &str, result: Result<Value, CliError>) -> Result<Option<Value>, CliError> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(_) if self.check && has_placeholder(text) => Ok(None),
            Err(e) => Err(e),
        }
    }
}


/// Whether a JSON value has the member's type.
fn fits(ty: Ty, v: &Value) -> bool {
    let all = |items: &Vec<Value>, f: fn(&Value) -> bool| items.iter().all(f);
    match (ty, v) {
        (Ty::String, Value::String(_)) | (Ty::Boolean, Value::Bool(_)) => true,
        (Ty::Integer, Value::Number(n)) => n.is_i64(),
        (Ty::StringList, Value::Array(items)) => all(items, Value::is_string),
        (Ty::StringMap, Value::Object(m)) => m.values().all(Value::is_string),
        (Ty::Struct(_), Value::Object(_)) => true,
        (Ty::StructList(_), Value::Array(items)) => all(items, Value::is_object),
        (Ty::Json, Value::Object(_) | Value::Array(_)) => true,
        _ => false,
    }
}

fn describe(ty: Ty) -> &'static str {
    match ty {
        Ty::String => "a string",
        Ty::Integer => "an integer",
        Ty::Boolean => "a boolean",
        Ty::StringList => "a list of strings",
        Ty::StringMap => "an object of strings",
        Ty::Struct(_) | Ty::Json => "an object",
        Ty::StructList(_) => "a list of objects",
    }
}

fn expected(flag: &str, what: &str, got: &str) -> CliError {
    CliError::new(format!("--{flag} expects {what}, got `{got}`"), "")
}

fn json(flag: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::new(
            format!("--{flag}: invalid JSON: {e}"),
            "check the quoting of the JSON",
        )
    })
}

/// A structure: JSON, or shorthand for one with scalar fields.
fn structure(flag: &str, ty: Ty, text: &str) -> Result<Value, CliError> {
    let trimmed = text.trim_start();
    match ty {
        Ty::Struct(fields) if !trimmed.starts_with('{') => shorthand(flag, fields, text),
        _ => {
            let v = json(flag, text)?;
            if ty != Ty::Json && !v.is_object() {
                return Err(CliError::new(format!("--{flag} expects a JSON object"), ""));
            }
            Ok(v)
        }
    }
}

/// One word of a list or map flag, as an array (lists) or object (maps).
fn collection_part(flag: &str, ty: Ty, text: &str) -> Result<Value, CliError> {
    let trimmed = text.trim_start();
    match ty {
        Ty::StringList if trimmed.starts_with('[') => {
            let v = json(flag, text)?;
            match &v {
                Value::Array(items) if items.iter().all(Value::is_string) => Ok(v),
                _ => Err(CliError::new(
                    format!("--{flag} expects a JSON array of strings"),
                    "",
                )),
            }
        }
        Ty::StringList => Ok(Value::Array(vec![Value::String(text.to_string())])),
        Ty::StringMap if trimmed.starts_with('{') => {
            let v = json(flag, text)?;
            match &v {
                Value::Object(m) if m.values().all(Value::is_string) => Ok(v),
                _ => Err(CliError::new(
                    format!("--{flag} expects a JSON object of strings"),
                    "",
                )),
            }
        }
        Ty::StringMap => {
            let mut map = Map::new();
            for pair in text.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(CliError::new(
                        format!("--{flag}: expected key=value, got `{pair}`"),
                        "write --flag k1=v1,k2=v2 or a JSON object",
                    ));
                };
                map.insert(k.trim().to_string(), Value::String(v.to_string()));
            }
            Ok(Value::Object(map))
        }
        Ty::StructList(_) if trimmed.starts_with('[') => {
            let v = json(flag, text)?;
            match &v {
                Value::Array(items) if items.iter().all(Value::is_object) => Ok(v),
                _ => Err(CliError::new(
                    format!("--{flag} expects a JSON array of objects"),
                    "",
                )),
            }
        }
        Ty::StructList(fields) => {
            let item = if trimmed.starts_with('{') {
                structure(flag, Ty::Json, text)?
            } else {
                shorthand(flag, fields, text)?
            };
            Ok(Value::Array(vec![item]))
        }
        _ => unreachable!("not a collection"),
    }
}

/// `k=v,k=v` for a structure whose fields are scalars.
fn shorthand(flag: &str, fields: &[Field], text: &str) -> Result<Value, CliError> {
    let names = || fields.iter().map(|f| f.name);
    let mut map = Map::new();
    for pair in text.split(',') {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(CliError::new(
                format!("--{flag}: expected key=value, got `{pair}`"),
                format!(
                    "write {} or JSON",
                    names().map(|n| format!("{n}=…")).collect::<Vec<_>>().join(",")
                ),
            ));
        };
        let k = k.trim();
        let Some(field) = fields.iter().find(|f| f.name == k) else {
            return Err(CliError::new(
                format!("--{flag}: unknown key `{k}`"),
                format!("keys, closest first: {}", closest_first(k, names())),
            ));
        };
        let value = match field.ty {
            Ty::String => Value::String(v.to_string()),
            Ty::Integer => match v.trim().parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => return Err(expected(&format!("{flag} {k}"), "an integer", v)),
            },
            Ty::Boolean => match v.trim() {
                "true" => true.into(),
                "false" => false.into(),
                _ => return Err(expected(&format!("{flag} {k}"), "true or false", v)),
            },
            _ => {
                return Err(CliError::new(
                    format!("--{flag}: `{k}` cannot be written in shorthand"),
                    "give the whole value as JSON",
                ));
            }
        };
        map.insert(k.to_string(), value);
    }
    Ok(Value::Object(map))
}

/// The candidates, most similar to `name` first (ties keep their order).
fn closest_first<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.iter().map(|(_, c)| *c).collect::<Vec<_>>().join(", ")
}

fn prefix_all(list: &str) -> String {
    list.split(", ")
        .map(|f| format!("--{f}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(command: &str) -> Value {
        Value::Object(parse(command).unwrap().input)
    }

    fn err(command: &str) -> CliError {
        parse(command).unwrap_err()
    }

    #[test]
    fn scalars_and_member_names() {
        let c = parse("eks describe-addon --cluster-name eks-workshop --addon-name vpc-cni").unwrap();
        assert_eq!(c.service, Service::Eks);
        assert_eq!(c.operation.api, "DescribeAddon");
        assert_eq!(
            Value::Object(c.input),
            json!({"clusterName": "eks-workshop", "addonName": "vpc-cni"})
        );
        assert_eq!(c.query, None);
        assert!(c.waiter.is_none());
        // The leading `aws` is optional, `--flag=value` works.
        assert_eq!(input("aws iam get-role --role-name=x"), json!({"RoleName": "x"}));
        assert_eq!(
            input(
                "iam create-role --role-name r --assume-role-policy-document '{\"a\": 1}' --max-session-duration 7200"
            ),
            json!({"RoleName": "r", "AssumeRolePolicyDocument": "{\"a\": 1}", "MaxSessionDuration": 7200})
        );
    }

    #[test]
    fn booleans() {
        assert_eq!(
            input("eks delete-addon --cluster-name c --addon-name a --preserve"),
            json!({"clusterName": "c", "addonName": "a", "preserve": true})
        );
        assert_eq!(
            input("eks delete-addon --cluster-name c --addon-name a --no-preserve"),
            json!({"clusterName": "c", "addonName": "a", "preserve": false})
        );
        let e = err("eks delete-addon --cluster-name c --addon-name a --preserve yes");
        assert!(e.message.contains("takes no value"), "{e}");
    }

    #[test]
    fn lists_maps_and_structures() {
        assert_eq!(
            input("eks describe-addon-versions --types a b --types c --owners '[\"aws\"]'"),
            json!({"types": ["a", "b", "c"], "owners": ["aws"]})
        );
        let base = "eks create-addon --cluster-name c --addon-name a";
        assert_eq!(
            input(&format!("{base} --tags k1=v1,k2=v=2"))["tags"],
            json!({"k1": "v1", "k2": "v=2"})
        );
        assert_eq!(
            input(&format!("{base} --tags '{{\"k\": \"v\"}}' --tags x=y"))["tags"],
            json!({"k": "v", "x": "y"})
        );
        assert_eq!(
            input(&format!(
                "{base} --pod-identity-associations serviceAccount=s1,roleArn=r1 serviceAccount=s2,roleArn=r2"
            ))["podIdentityAssociations"],
            json!([{"serviceAccount": "s1", "roleArn": "r1"}, {"serviceAccount": "s2", "roleArn": "r2"}])
        );
        assert_eq!(
            input(&format!(
                "{base} --pod-identity-associations '[{{\"serviceAccount\": \"s\", \"roleArn\": \"r\"}}]'"
            ))["podIdentityAssociations"],
            json!([{"serviceAccount": "s", "roleArn": "r"}])
        );
        assert_eq!(
            input(&format!("{base} --namespace-config namespace=ns"))["namespaceConfig"],
            json!({"namespace": "ns"})
        );
        let ng = "eks update-nodegroup-config --cluster-name c --nodegroup-name n";
        assert_eq!(
            input(&format!(
                "{ng} --scaling-config minSize=4,maxSize=6,desiredSize=4"
            ))["scalingConfig"],
            json!({"minSize": 4, "maxSize": 6, "desiredSize": 4})
        );
        assert_eq!(
            input(&format!(
                "{ng} --labels '{{\"addOrUpdateLabels\": {{\"a\": \"b\"}}}}'"
            ))["labels"],
            json!({"addOrUpdateLabels": {"a": "b"}})
        );
        assert_eq!(
            input(
                "iam create-role --role-name r --assume-role-policy-document d --tags Key=a,Value=b Key=c,Value=d"
            )["Tags"],
            json!([{"Key": "a", "Value": "b"}, {"Key": "c", "Value": "d"}])
        );
        let e = err(&format!("{ng} --scaling-config minSize=four"));
        assert!(e.message.contains("an integer"), "{e}");
        let e = err(&format!("{ng} --scaling-config minSiz=4"));
        assert!(e.hint.starts_with("keys, closest first: minSize"), "{e}");
        let e = err(&format!("{base} --tags novalue"));
        assert!(e.message.contains("key=value"), "{e}");
        let e = err(&format!("{ng} --labels '{{bad'"));
        assert!(e.message.contains("invalid JSON"), "{e}");
    }

    #[test]
    fn file_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trust.json");
        std::fs::write(&path, "{\"Version\": \"2012-10-17\"}").unwrap();
        let c = input(&format!(
            "iam create-role --role-name r --assume-role-policy-document file://{}",
            path.display()
        ));
        assert_eq!(
            c["AssumeRolePolicyDocument"],
            json!("{\"Version\": \"2012-10-17\"}")
        );
        assert!(
            err("iam create-role --role-name r --assume-role-policy-document file:///nonexistent")
                .message
                .contains("cannot read")
        );
        check("iam create-role --role-name r --assume-role-policy-document file:///nonexistent").unwrap();
    }

    #[test]
    fn cli_input_json_merges_and_flags_win() {
        let c = parse(
            r#"eks describe-addon --cli-input-json '{"clusterName": "a", "addonName": "b"}' --addon-name c"#,
        )
        .unwrap();
        assert_eq!(
            Value::Object(c.input),
            json!({"clusterName": "a", "addonName": "c"})
        );
        let e = err(r#"eks describe-addon --cli-input-json '{"clusterNam": "a", "addonName": "b"}'"#);
        assert!(e.message.contains("clusterNam"), "{e}");
        assert!(e.hint.starts_with("members, closest first: clusterName"), "{e}");
        assert!(
            err("eks describe-addon --cli-input-json '[1]'")
                .message
                .contains("not a JSON object")
        );
        let e = err(r#"eks list-clusters --cli-input-json '{"maxResults": "10"}'"#);
        assert_eq!(e.message, "--cli-input-json: `maxResults` is not an integer");
        let c = parse(r#"eks list-clusters --cli-input-json '{"include": ["all"]}'"#).unwrap();
        assert!(c.paginate);
        assert!(
            !parse(r#"eks list-clusters --cli-input-json '{"nextToken": "t"}'"#)
                .unwrap()
                .paginate
        );
        check(r#"eks list-clusters --cli-input-json '{"maxResults": "${N}"}'"#).unwrap();
    }

    #[test]
    fn query_output_and_paging_flags() {
        let c = parse(
            "iam get-role --role-name x --query 'Role.AssumeRolePolicyDocument' --output json --no-cli-pager --color off",
        )
        .unwrap();
        assert_eq!(c.query.as_deref(), Some("Role.AssumeRolePolicyDocument"));
        assert!(!c.paginate);
        let e = err("iam get-role --role-name x --query 'Role.['");
        assert!(e.message.starts_with("bad --query"), "{e}");
        assert!(
            err("iam get-role --role-name x --output xml")
                .message
                .contains("--output")
        );

        assert!(parse("eks list-clusters").unwrap().paginate);
        assert!(!parse("eks list-clusters --no-paginate").unwrap().paginate);
        assert!(!parse("eks list-clusters --max-results 2").unwrap().paginate);
        let c = parse("eks list-clusters --page-size 2").unwrap();
        assert!(c.paginate);
        assert_eq!(Value::Object(c.input), json!({"maxResults": 2}));
        let c = parse("iam list-role-policies --role-name r --page-size 5").unwrap();
        assert_eq!(c.input["MaxItems"], json!(5));
        assert!(
            err("eks list-clusters --max-items 2")
                .message
                .contains("not supported")
        );
        let e = err("eks list-clusters --region us-west-2");
        assert!(e.hint.contains("AWS_REGION"), "{e}");
        assert!(
            err("sts get-caller-identity --profile p")
                .hint
                .contains("AWS_PROFILE")
        );
    }

    #[test]
    fn a_flag_without_its_value_takes_a_stray_value_as_the_cli_does() {
        // As written on the EKS Workshop's Pod Identity page.
        let c = parse(
            "iam get-policy-version --version-id v1 --policy-arn --query 'PolicyVersion.Document' arn:aws:iam::1234567890:policy/eks-workshop-carts-dynamo",
        )
        .unwrap();
        assert_eq!(
            c.input["PolicyArn"],
            "arn:aws:iam::1234567890:policy/eks-workshop-carts-dynamo"
        );
        assert_eq!(c.input["VersionId"], "v1");
        assert_eq!(c.query.as_deref(), Some("PolicyVersion.Document"));
        // With nothing to take, the flag still lacks its value.
        let e = parse("iam get-policy-version --version-id v1 --policy-arn --query x").unwrap_err();
        assert!(
            e.message.contains("--policy-arn expects one argument"),
            "{}",
            e.message
        );
        // A stray value nobody takes is still an error.
        let e = parse("iam get-role --role-name a b").unwrap_err();
        assert!(e.message.contains("unexpected argument `b`"), "{}", e.message);
    }

    #[test]
    fn waiters_parse_to_their_describe_call() {
        let c = parse("eks wait addon-active --cluster-name x --addon-name y").unwrap();
        assert_eq!(c.operation.name, "describe-addon");
        assert_eq!(c.waiter.unwrap().name, "addon-active");
        assert_eq!(
            Value::Object(c.input),
            json!({"clusterName": "x", "addonName": "y"})
        );
        let c = parse("eks wait cluster-active --name x").unwrap();
        assert_eq!(c.operation.api, "DescribeCluster");
        let e = err("eks wait addon-actve --cluster-name x");
        assert!(e.hint.starts_with("waiters, closest first: addon-active"), "{e}");
        assert!(err("eks wait").hint.contains("nodegroup-deleted"));
    }

    #[test]
    fn unknown_names_list_the_closest_first() {
        let e = err("ekss describe-addon");
        assert_eq!(e.message, "unknown service `ekss`");
        assert!(e.hint.starts_with("services: eks"), "{e}");
        let e = err("eks describe-adon --cluster-name x");
        assert_eq!(e.message, "unknown operation `describe-adon` for eks");
        assert!(
            e.hint
                .starts_with("operations of eks, closest first: describe-addon,"),
            "{e}"
        );
        let e = err("eks describe-addon --cluster-nam x --addon-name y");
        assert_eq!(e.message, "unknown option `--cluster-nam` for eks describe-addon");
        assert!(
            e.hint.starts_with("options, closest first: --cluster-name,"),
            "{e}"
        );
        let e = err("eks describe-addon --cluster-name x");
        assert_eq!(
            e.message,
            "eks describe-addon: the following arguments are required: --addon-name"
        );
        let e = err("eks describe-addon --cluster-name x y --addon-name z");
        assert!(e.message.contains("unexpected argument `y`"), "{e}");
        assert!(
            err("eks describe-addon --cluster-name")
                .message
                .contains("expects one argument")
        );
        assert!(
            err("eks describe-addon --cluster-name a --cluster-name b --addon-name c")
                .message
                .contains("twice")
        );
        assert!(err("iam get-role x").message.contains("unexpected argument `x`"));
        assert!(err("iam get-role --role-name 'x").message.contains("quote"));
        assert!(err("").message.contains("empty"));
        assert!(err("sts").message.contains("no operation"));
        assert!(
            err("iam create-role --role-name r --assume-role-policy-document d --max-session-duration x")
                .message
                .contains("an integer")
        );
    }

    #[test]
    fn check_skips_values_with_placeholders() {
        check("eks describe-addon --cluster-name ${CLUSTER} --addon-name vpc-cni").unwrap();
        check("iam create-role --role-name r --assume-role-policy-document d --max-session-duration ${N}")
            .unwrap();
        check("eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config minSize=${MIN},maxSize=6").unwrap();
        check("eks create-addon --cluster-name c --addon-name a --tags ${TAGS}").unwrap();
        check("eks describe-addon --cli-input-json ${INPUT}").unwrap();
        check("eks describe-addon --cli-input-json '{\"clusterName\": \"${C}\", \"addonName\": \"a\"}'")
            .unwrap();
        check("eks list-clusters --query 'clusters[?@ == `${NAME}`]'").unwrap();
        check("eks list-clusters --query ${Q}").unwrap();
        // Names and values without placeholders are still checked.
        assert!(check("eks describe-adon --cluster-name ${C}").is_err());
        assert!(check("eks describe-addon --cluster-nam ${C} --addon-name a").is_err());
        assert!(check("eks describe-addon --cluster-name ${C}").is_err());
        assert!(
            check(
                "eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config minSize=x"
            )
            .is_err()
        );
        // Outside a check, the text is taken as it is (IAM policy variables).
        assert_eq!(
            input("iam create-role --role-name r --assume-role-policy-document '${aws:username}'")["AssumeRolePolicyDocument"],
            json!("${aws:username}")
        );
    }
}
