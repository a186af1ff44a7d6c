//! `-o`/`--output`: the format read once from the line, and the printers
//! that turn a command's JSON into the text kubectl prints in it. Pure
//! formatting over JSON; tables, which the API server makes, are printed
//! from its Table by the backend.

use serde_json::Value;

use crate::action::arg::CommandError;
use crate::query::jsonpath::{Template, go_json_indent};

/// How kubectl prints a command's objects.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    Json,
    Yaml,
    /// `TYPE.GROUP/NAME` a line.
    Name,
    /// The API server's table with its wide columns.
    Wide,
    JsonPath(Template),
    JsonPathAsJson(Template),
    CustomColumns(Vec<Column>),
}

/// A column of `custom-columns`: its header and the path of its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    pub path: Template,
}

/// The formats accepted, for hints.
pub const FORMATS: &str =
    "json, yaml, name, wide, jsonpath=TEMPLATE, jsonpath-as-json=TEMPLATE, custom-columns=HEADER:PATH,…";

/// Reads `-o`'s value; a template or column spec is parsed now, so a bad
/// one is an error before anything runs.
pub fn format(o: &str) -> Result<Format, CommandError> {
    let (name, arg) = match o.split_once('=') {
        Some((n, a)) => (n, Some(a)),
        None => (o, None),
    };
    let template = |a: Option<&str>| -> Result<Template, CommandError> {
        let a = a.filter(|a| !a.is_empty()).ok_or_else(|| {
            CommandError::new(
                format!("-o {name} needs a template"),
                format!("e.g. -o {name}='{{.metadata.name}}'"),
            )
        })?;
        Template::parse(a).map_err(|e| {
            CommandError::new(
                format!("bad JSONPath template in -o {name}: {e}"),
                "kubectl's JSONPath: {.a.b}, {.items[*].x}, {range .items[*]}…{end}, [?(@.x==\"y\")]",
            )
        })
    };
    match (name, arg) {
        ("json", None) => Ok(Format::Json),
        ("yaml", None) => Ok(Format::Yaml),
        ("name", None) => Ok(Format::Name),
        ("wide", None) => Ok(Format::Wide),
        ("jsonpath", a) => template(a).map(Format::JsonPath),
        ("jsonpath-as-json", a) => template(a).map(Format::JsonPathAsJson),
        ("custom-columns", Some(spec)) => columns(spec).map(Format::CustomColumns),
        (
            "go-template"
            | "go-template-file"
            | "jsonpath-file"
            | "custom-columns-file"
            | "template"
            | "templatefile",
            _,
        ) => Err(CommandError::new(
            format!("-o {name} is not supported natively"),
            format!(
                "write the template inline with -o jsonpath=… (or use a `run` step); accepted: {FORMATS}"
            ),
        )),
        _ => Err(CommandError::new(
            format!("unknown output format {o:?}"),
            format!("accepted: {FORMATS}"),
        )),
    }
}

/// `NAME:.metadata.name,STATUS:.status.phase`.
fn columns(spec: &str) -> Result<Vec<Column>, CommandError> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part
            .split_once(':')
            .filter(|(h, p)| !h.is_empty() && !p.is_empty())
        else {
            return Err(CommandError::new(
                format!("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"),
                "e.g. -o custom-columns=NAME:.metadata.name,STATUS:.status.phase",
            ));
        };
        let path = Template::parse_relaxed(path).map_err(|e| {
            CommandError::new(
                format!("bad JSONPath in column {header}: {e}"),
                "e.g. NAME:.metadata.name",
            )
        })?;
        out.push(Column {
            header: header.to_string(),
            path,
        });
    }
    Ok(out)
}

/// Why printing failed (a template that does not fit the objects).
#[derive(Clone, Debug, PartialEq)]
pub struct PrintError(pub String);

/// The objects a command gives: a List's items, or the object itself.
pub fn items(v: &Value) -> Vec<&Value> {
    match (v.get("kind").and_then(Value::as_str), v.get("items")) {
        (Some("List"), Some(Value::Array(items))) => items.iter().collect(),
        _ => vec![v],
    }
}

/// `-o json`: Go's indented JSON, as kubectl's printer writes it.
pub fn json(v: &Value) -> String {
    let mut s = go_json_indent(v);
    s.push('\n');
    s
}

/// `deployment.apps/carts`, `pod/a`: an object as `-o name` names it.
pub fn name(obj: &Value) -> String {
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    let group = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('/'))
        .map(|(g, _)| g)
        .unwrap_or_default();
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{group}/{name}")
    }
}

/// `-o name` for every object.
pub fn names(v: &Value) -> String {
    items(v).into_iter().map(|o| name(o) + "\n").collect()
}

/// What `-o FORMAT` prints for these objects; None for the tables, which
/// need the API server.
pub fn print(format: &Format, v: &Value) -> Option<Result<String, PrintError>> {
    let jsonpath_error = |t: &Template, e: crate::query::jsonpath::EvalError| {
        PrintError(format!(
            "error: error executing jsonpath {:?}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n",
            t.source(),
            t.source()
        ))
    };
    Some(match format {
        Format::Json => Ok(json(v)),
        Format::Yaml => Ok(crate::action::kubectl::yaml::to_string(v)),
        Format::Name => Ok(names(v)),
        Format::Wide => return None,
        Format::JsonPath(t) => t.text(v, true).map_err(|e| jsonpath_error(t, e)),
        Format::JsonPathAsJson(t) => t.json(v, true).map_err(|e| jsonpath_error(t, e)),
        Format::CustomColumns(cols) => custom_columns(cols, v),
    })
}

/// `-o custom-columns`: a header line, a line per object, aligned as
/// kubectl's tab writer aligns them.
pub fn custom_columns(cols: &[Column], v: &Value) -> Result<String, PrintError> {
    let mut rows = vec![cols.iter().map(|c| c.header.clone()).collect::<Vec<_>>()];
    for obj in items(v) {
        let mut row = Vec::new();
        for c in cols {
            let values = c
                .path
                .values(obj, true)
                .map_err(|e| PrintError(format!("error: {e}")))?;
            row.push(if values.is_empty() {
                "<none>".to_string()
            } else {
                values.iter().map(|v| go_value(v)).collect::<Vec<_>>().join(",")
            });
        }
        rows.push(row);
    }
    Ok(tabulate(&rows))
}

/// A value as Go's `%v` prints it: strings raw, maps as `map[k:v]`,
/// lists as `[a b]`.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_value(&m[*k]))).collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Null => "<nil>".to_string(),
        other => crate::query::jsonpath::to_text(other),
    }
}

/// Rows as kubectl's tab writer prints them (Go's text/tabwriter, minimum
/// width 6, padding 3, spaces): every column but the last as wide as its
/// widest cell plus three spaces, and at least six.
pub fn tabulate(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = (widths[i] + 3).max(6) - cell.chars().count();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn formats_are_read_once() {
        assert_eq!(format("json").unwrap(), Format::Json);
        assert!(matches!(format("jsonpath={.a}").unwrap(), Format::JsonPath(_)));
        let e = format("jsonpath={.a").unwrap_err();
        assert!(e.message.contains("unclosed action at character 1"), "{e}");
        let e = format("table").unwrap_err();
        assert!(e.hint.contains("custom-columns="), "{e}");
        let e = format("custom-columns=NAME").unwrap_err();
        assert!(e.message.contains("expected <header>:<json-path-expr>"), "{e}");
        assert!(
            format("go-template={{.a}}")
                .unwrap_err()
                .message
                .contains("not supported")
        );
    }

    #[test]
    fn names_and_columns() {
        let list = json!({"kind": "List", "items": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "carts", "labels": {"a": "b"}}},
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "carts-1234"}}
        ]});
        assert_eq!(names(&list), "deployment.apps/carts\npod/carts-1234\n");
        let Format::CustomColumns(cols) =
            format("custom-columns=NAME:.metadata.name,LABELS:.metadata.labels").unwrap()
        else {
            panic!()
        };
        assert_eq!(
            custom_columns(&cols, &list).unwrap(),
            "NAME         LABELS\ncarts        map[a:b]\ncarts-1234   <none>\n"
        );
        // A narrow column is six wide all the same.
        let rows = vec![
            vec!["A".to_string(), "B".to_string()],
            vec!["1".into(), "2".into()],
        ];
        assert_eq!(tabulate(&rows), "A     B\n1     2\n");
    }
}
