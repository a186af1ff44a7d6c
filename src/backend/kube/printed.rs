//! The text a command prints, as kubectl prints it: `-o FORMAT` over the
//! command's JSON (see `action::kubectl::print`), the line per object of
//! the verbs that change objects, and the lines of the verbs that print
//! their own (`delete`, `wait`, `rollout status`, `logs`, `exec`).

use serde_json::Value;

use crate::action::kubectl::print::{self, Format};
use crate::action::kubectl::{Command, Verb};
use crate::ground::port::ActionError;

/// What `cmd` printed; None where rehearse does not print it yet (the
/// default and wide tables of `get`).
pub(super) fn text(
    cmd: &Command,
    json: &Value,
    lines: Option<&[String]>,
) -> Result<Option<String>, ActionError> {
    let format = cmd.output.as_ref();
    let print = |f: &Format| -> Result<Option<String>, ActionError> {
        let shown = match f {
            Format::Json | Format::Yaml => without_managed_fields(json, cmd),
            _ => json.clone(),
        };
        match print::print(f, &shown) {
            Some(Ok(text)) => Ok(Some(text)),
            Some(Err(e)) => Err(ActionError::failed(e.0.trim_end().to_string(), None)),
            None => Ok(None),
        }
    };
    match (&cmd.verb, lines, format) {
        (Verb::Describe(_), Some(text), _) => Ok(Some(text.concat())),
        // kubectl writes its version's YAML, then an empty line.
        (Verb::Version, _, Some(f @ Format::Yaml)) => Ok(print(f)?.map(|text| text + "\n")),
        (_, Some(lines), None) => Ok(Some(lines.iter().map(|l| format!("{l}\n")).collect())),
        // Nothing changed (`set` with nothing to set): kubectl prints
        // nothing, whatever the format.
        (_, Some([]), Some(_)) => Ok(Some(String::new())),
        // `-o name` on a verb that changed objects: the line without its verb.
        (_, Some(lines), Some(Format::Name)) => Ok(Some(
            lines
                .iter()
                .map(|l| format!("{}\n", l.split(' ').next().unwrap_or_default()))
                .collect(),
        )),
        // `wait -o json|yaml` prints each object as its condition is met,
        // one after the other (YAML documents separated by `---`).
        (Verb::Wait(_), Some(_), Some(f @ (Format::Json | Format::Yaml))) => {
            let mut text = String::new();
            for (i, obj) in print::items(json).into_iter().enumerate() {
                if i > 0 && *f == Format::Yaml {
                    text.push_str("---\n");
                }
                if let Some(Ok(one)) = print::print(f, &without_managed_fields(obj, cmd)) {
                    text.push_str(&one);
                }
            }
            Ok(Some(text))
        }
        (_, Some(_), Some(f)) => print(f),
        (Verb::Get(_), None, Some(f)) => print(f),
        (Verb::Get(_), None, None) => Ok(None),
        _ => Ok(json.get("stdout").and_then(Value::as_str).map(str::to_string)),
    }
}

/// kubectl hides `metadata.managedFields` when it prints objects as JSON
/// or YAML, unless `--show-managed-fields` (its templates see them).
pub(super) fn without_managed_fields(json: &Value, cmd: &Command) -> Value {
    let mut v = json.clone();
    if matches!(&cmd.verb, Verb::Get(g) if g.show_managed_fields) {
        return v;
    }
    hide_managed_fields(&mut v);
    v
}

pub(super) fn hide_managed_fields(v: &mut Value) {
    if let Some(items) = v.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            hide_managed_fields(item);
        }
    }
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        // `shift_remove`: the other members keep their (sorted) order.
        meta.shift_remove("managedFields");
    }
}

/// The values of the Secrets among the objects (`data` and `stringData`):
/// the printed text never shows them, as the step's JSON, redacted with
/// `ground::redact`, does not.
pub(super) fn secret_values(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for obj in print::items(v) {
        if obj.get("kind").and_then(Value::as_str) != Some("Secret") {
            continue;
        }
        // kubectl's last-applied annotation holds them too, as applied.
        let applied: Option<Value> = obj
            .pointer("/metadata/annotations")
            .and_then(|a| a.get("kubectl.kubernetes.io/last-applied-configuration"))
            .and_then(Value::as_str)
            .and_then(|text| serde_json::from_str(text).ok());
        for source in std::iter::once(obj).chain(applied.as_ref()) {
            for field in ["data", "stringData"] {
                if let Some(data) = source.get(field).and_then(Value::as_object) {
                    out.extend(data.values().filter_map(Value::as_str).map(str::to_string));
                }
            }
            // `describe` prints a service account token decoded.
            if let Some(data) = source.get("data").and_then(Value::as_object) {
                out.extend(
                    data.values()
                        .filter_map(Value::as_str)
                        .filter_map(|v| aws_smithy_types::base64::decode(v).ok())
                        .filter_map(|d| String::from_utf8(d).ok()),
                );
            }
        }
    }
    out
}
