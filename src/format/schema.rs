//! The JSON Schema (draft-07) of workflow files, generated from `keys.rs`,
//! for editors: Taplo and Even Better TOML complete and check a file whose
//! first line is `#:schema path/to/schema.json`.

use serde_json::{Map as JsonMap, Value, json};

use crate::format::keys::{self, Map, Table, Type};
use crate::query::Lang;

/// The schema of a whole workflow file.
pub fn json_schema() -> Value {
    let mut root = table(&keys::ROOT);
    if let Value::Object(o) = &mut root {
        let mut head = JsonMap::new();
        head.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
        head.insert("title".into(), json!("rehearse workflow"));
        head.append(o);
        return Value::Object(head);
    }
    root
}

fn table(t: &Table) -> Value {
    let mut properties = JsonMap::new();
    for key in t.keys {
        let mut schema = of_type(&key.ty);
        if let Value::Object(o) = &mut schema {
            o.insert("description".into(), json!(key.doc));
        }
        properties.insert(key.name.into(), schema);
    }
    let required: Vec<&str> = t.keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    let mut o = JsonMap::new();
    o.insert("type".into(), json!("object"));
    o.insert("description".into(), json!(t.doc));
    o.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        o.insert("required".into(), json!(required));
    }
    o.insert("additionalProperties".into(), json!(false));
    let groups: Vec<Value> = t
        .one_of
        .iter()
        .map(|g| {
            json!({
                "oneOf": g.keys.iter().map(|k| json!({ "required": [k] })).collect::<Vec<_>>()
            })
        })
        .collect();
    match groups.len() {
        0 => {}
        1 => {
            if let Some(Value::Object(g)) = groups.into_iter().next() {
                o.extend(g);
            }
        }
        _ => {
            o.insert("allOf".into(), Value::Array(groups));
        }
    }
    Value::Object(o)
}

fn map(m: &Map) -> Value {
    let values: Vec<Value> = m.values.iter().map(of_type).collect();
    let value = if values.len() == 1 {
        values.into_iter().next().unwrap_or(json!({}))
    } else {
        json!({ "anyOf": values })
    };
    json!({
        "type": "object",
        "description": m.doc,
        "patternProperties": { m.key.regex: value },
        "additionalProperties": false,
    })
}

fn of_type(ty: &Type) -> Value {
    match ty {
        Type::String | Type::Script | Type::Template | Type::Command(_) => json!({ "type": "string" }),
        Type::Input => json!({ "type": "object" }),
        Type::NonEmptyString => json!({ "type": "string", "minLength": 1 }),
        Type::Pattern(p) => json!({ "type": "string", "pattern": p.regex }),
        Type::Enum(values) => json!({ "type": "string", "enum": values }),
        Type::Bool => json!({ "type": "boolean" }),
        Type::True => json!({ "type": "boolean", "const": true }),
        Type::Integer { min } if *min == i64::MIN => json!({ "type": "integer" }),
        Type::Integer { min } => json!({ "type": "integer", "minimum": min }),
        Type::Number { min } if *min == f64::MIN => json!({ "type": "number" }),
        Type::Number { min } => json!({ "type": "number", "minimum": min }),
        Type::Size => json!({
            "type": "string",
            "pattern": keys::SIZE_PATTERN,
            "examples": ["512KiB", "16MiB", "1GiB"],
        }),
        Type::Duration { .. } => json!({
            "type": "string",
            "pattern": keys::DURATION_PATTERN,
            "examples": ["500ms", "30s", "5m", "1h 30m"],
        }),
        Type::Strings { non_empty } => {
            let mut v = json!({ "type": "array", "items": { "type": "string" } });
            if *non_empty && let Value::Object(o) = &mut v {
                o.insert("minItems".into(), json!(1));
            }
            v
        }
        Type::Query(Lang::JmesPath) => json!({ "type": "string", "minLength": 1 }),
        Type::Query(Lang::Jq) => json!({ "type": "string", "minLength": 1 }),
        Type::Query(Lang::Stdout) => json!({ "type": "boolean", "const": true }),
        Type::Regex => json!({ "type": "string" }),
        Type::Any => json!({}),
        Type::NumberOrString => json!({ "type": ["number", "string"] }),
        Type::NonEmptyArray => json!({ "type": "array", "minItems": 1 }),
        Type::Table(t) => table(t),
        Type::Tables { table: t, min } => {
            let mut v = json!({ "type": "array", "items": table(t) });
            if *min > 0
                && let Value::Object(o) = &mut v
            {
                o.insert("minItems".into(), json!(min));
            }
            v
        }
        Type::Map(m) => map(m),
        Type::Either(types) => json!({ "anyOf": types.iter().map(of_type).collect::<Vec<_>>() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_describes_every_step_key() {
        let s = json_schema();
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        let step = &s["properties"]["steps"]["items"];
        assert_eq!(step["additionalProperties"], false);
        for key in keys::STEP.keys {
            assert!(
                step["properties"][key.name]["description"].is_string(),
                "{}",
                key.name
            );
        }
        assert_eq!(step["required"], json!(["id"]));
        assert_eq!(step["oneOf"].as_array().map(Vec::len), Some(4));
        let check = &step["properties"]["expect"]["items"];
        assert_eq!(check["allOf"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            check["properties"]["type"]["enum"],
            json!(["null", "boolean", "number", "string", "array", "object"])
        );
    }

    #[test]
    fn vars_accept_literals_and_env_tables() {
        let s = json_schema();
        let vars = &s["properties"]["vars"];
        let value = &vars["patternProperties"][keys::VAR_NAME.regex];
        assert_eq!(value["anyOf"].as_array().map(Vec::len), Some(5));
        assert_eq!(vars["additionalProperties"], false);
    }
}
