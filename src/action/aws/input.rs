//! Reading an operation's input members from the text of their flags, as
//! the AWS CLI reads them: scalars, lists and maps over several words,
//! JSON, the CLI's shorthand (`shorthand`), and `file://` values (read from the
//! workflow's folder when the call is filled in, never while parsing).

use serde_json::{Map, Value};

use crate::action::arg::{CommandError, Context};
use crate::action::aws::shorthand;
use crate::action::aws::spec::{Member, Operation, Ty};
use crate::ground::regular_file;

/// Whether a value is read from a file (`file://`, `fileb://`).
pub fn is_file_ref(text: &str) -> bool {
    text.starts_with("file://") || text.starts_with("fileb://")
}

/// The text of a value: `file://path` is read, relative to the workflow's folder.
pub fn load(raw: &str, context: &Context<'_>) -> Result<String, CommandError> {
    let path = raw
        .strip_prefix("file://")
        .or_else(|| raw.strip_prefix("fileb://"));
    match path {
        None => Ok(raw.to_string()),
        Some(path) => regular_file::read_to_string(&context.dir.join(path), regular_file::DATA_LIMIT)
            .map_err(|e| {
                CommandError::new(
                    format!("cannot read {raw}: {e}"),
                    format!(
                        "file:// paths are relative to the workflow's folder ({})",
                        context.dir.display()
                    ),
                )
            }),
    }
}

/// A member's value from the words given to its flag.
pub fn member_value(member: &Member, texts: &[String], context: &Context<'_>) -> Result<Value, CommandError> {
    let flag = member.flag;
    match member.ty {
        Ty::Boolean => Ok(Value::Bool(true)),
        Ty::String => Ok(Value::String(load(one(flag, texts)?, context)?)),
        Ty::Integer => {
            let raw = one(flag, texts)?;
            raw.parse::<i64>()
                .map(Value::from)
                .map_err(|_| expected(flag, "an integer", raw))
        }
        Ty::Struct(_) => structure(flag, member.ty, &load(one(flag, texts)?, context)?),
        Ty::StringList | Ty::StringMap | Ty::StructList(_) => collection(member, texts, context),
    }
}

fn collection(member: &Member, texts: &[String], context: &Context<'_>) -> Result<Value, CommandError> {
    if texts.is_empty() {
        return Err(CommandError::new(
            format!("--{} expects at least one argument", member.flag),
            "",
        ));
    }
    let mut acc = match member.ty {
        Ty::StringMap => Value::Object(Map::new()),
        _ => Value::Array(Vec::new()),
    };
    for raw in texts {
        let part = collection_part(member.flag, member.ty, &load(raw, context)?)?;
        add(&mut acc, part);
    }
    Ok(acc)
}

/// Adds the items of `part` to a list or the entries to a map: repeated
/// flags of a collection add up, as in the CLI.
pub fn add(acc: &mut Value, part: Value) {
    match (acc, part) {
        (Value::Array(all), Value::Array(items)) => all.extend(items),
        (Value::Object(all), Value::Object(entries)) => all.extend(entries),
        _ => {}
    }
}

fn one<'t>(flag: &str, texts: &'t [String]) -> Result<&'t str, CommandError> {
    match texts {
        [only] => Ok(only),
        [] => Err(CommandError::new(format!("--{flag} expects one argument"), "")),
        [first, extra, ..] => Err(CommandError::new(
            format!("unexpected argument `{extra}` after --{flag} {first}"),
            "quote a value that holds spaces",
        )),
    }
}

/// `--cli-input-json`: an object of member values.
pub fn input_json(
    op: &Operation,
    raw: &str,
    context: &Context<'_>,
) -> Result<Map<String, Value>, CommandError> {
    let text = load(raw, context)?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => input_members(op, map, "--cli-input-json"),
        Ok(_) => Err(CommandError::new(
            "--cli-input-json is not a JSON object",
            "give the input as {\"memberName\": value, …}",
        )),
        Err(e) => Err(CommandError::new(
            format!("--cli-input-json is not valid JSON: {e}"),
            "give the input as {\"memberName\": value, …}",
        )),
    }
}

/// Checks an input given as an object (`--cli-input-json`, the table
/// form): every member exists and has its type.
pub fn input_members(
    op: &Operation,
    map: Map<String, Value>,
    what: &str,
) -> Result<Map<String, Value>, CommandError> {
    for (name, value) in &map {
        let Some(member) = op.member(name) else {
            let names = op.members.iter().map(|m| m.name);
            return Err(CommandError::new(
                format!("unknown parameter `{name}` in {what}"),
                format!("members, closest first: {}", closest_first(name, names)),
            ));
        };
        if !fits(member.ty, value) {
            return Err(CommandError::new(
                format!("{what}: `{name}` is not {}", describe(member.ty)),
                format!("got {value}"),
            ));
        }
    }
    Ok(map)
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
        Ty::Struct(_) => "an object",
        Ty::StructList(_) => "a list of objects",
    }
}

pub fn expected(flag: &str, what: &str, got: &str) -> CommandError {
    CommandError::new(format!("--{flag} expects {what}, got `{got}`"), "")
}

fn json(flag: &str, text: &str) -> Result<Value, CommandError> {
    serde_json::from_str(text).map_err(|e| {
        CommandError::new(
            format!("--{flag}: invalid JSON: {e}"),
            "check the quoting of the JSON",
        )
    })
}

/// A structure: JSON when it looks like JSON (as the CLI decides), else
/// the CLI's shorthand.
fn structure(flag: &str, ty: Ty, text: &str) -> Result<Value, CommandError> {
    if !text.trim_start().starts_with(['{', '[']) {
        return shorthand::read(flag, ty, text);
    }
    let v = json(flag, text)?;
    if !v.is_object() {
        return Err(CommandError::new(format!("--{flag} expects a JSON object"), ""));
    }
    Ok(v)
}

/// One word of a list or map flag, as an array (lists) or object (maps).
fn collection_part(flag: &str, ty: Ty, text: &str) -> Result<Value, CommandError> {
    let trimmed = text.trim_start();
    let json_of = |what: &str, ok: fn(&Value) -> bool| {
        let v = json(flag, text)?;
        if ok(&v) {
            Ok(v)
        } else {
            Err(CommandError::new(format!("--{flag} expects a JSON {what}"), ""))
        }
    };
    match ty {
        Ty::StringList if trimmed.starts_with('[') => json_of("array of strings", |v| {
            v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        }),
        Ty::StringList => Ok(Value::Array(vec![Value::String(text.to_string())])),
        Ty::StringMap if trimmed.starts_with('{') => json_of("object of strings", |v| {
            v.as_object().is_some_and(|m| m.values().all(Value::is_string))
        }),
        Ty::StringMap => shorthand::read(flag, ty, text),
        Ty::StructList(_) if trimmed.starts_with('[') => json_of("array of objects", |v| {
            v.as_array().is_some_and(|a| a.iter().all(Value::is_object))
        }),
        Ty::StructList(_) => Ok(Value::Array(vec![structure(flag, ty, text)?])),
        _ => Err(CommandError::new(format!("--{flag} is not a list or a map"), "")),
    }
}

/// The candidates, most similar to `name` first, as a list in a hint.
pub fn closest_first<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    crate::ground::names::closest_first(name, candidates).join(", ")
}
