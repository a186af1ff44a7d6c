//! `get`'s default and wide tables: asked of the API server in its Table
//! form, as kubectl asks (the request goes through the Kubernetes
//! transport, so it is recorded and replayed), and printed as kubectl
//! prints them: the columns of priority 0 (all with `-o wide`), headers in
//! capitals, `NAMESPACE` first with `-A`, `kind/` before names when several
//! kinds are listed, `LABELS` with `--show-labels`, a column per `-L` key,
//! no header with `--no-headers`, a blank line between kinds.

use kube::api::{GetParams, ListParams};
use kube::core::Request;
use serde_json::Value;

use super::objects::url_path;
use super::{Ctx, api_error, build_error, is_not_found};
use crate::action::kubectl::Get;
use crate::action::kubectl::print::{go_value, tabulate};
use crate::ground::port::ActionError;

/// What kubectl sends to get tables back.
const ACCEPT_TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/// The tables of one kind.
struct KindTable {
    /// `deployment.apps`: the prefix of names when several kinds are listed.
    type_name: String,
    columns: Vec<Value>,
    rows: Vec<Value>,
}

impl Ctx<'_> {
    async fn table_request(&self, mut req: http::Request<Vec<u8>>) -> Result<Value, kube::Error> {
        req.headers_mut()
            .insert(http::header::ACCEPT, http::HeaderValue::from_static(ACCEPT_TABLE));
        self.request(req).await
    }

    /// The text `get` prints without `-o` (or with `-o wide`).
    pub(super) async fn table(&self, v: &Get, wide: bool) -> Result<String, ActionError> {
        let mut tables = Vec::new();
        for t in &v.targets.list {
            let r = self.resolve(&t.resource).await?;
            let ns = self.ns_for(&r, v.all_namespaces);
            let mut table = KindTable {
                type_name: r.type_name(),
                columns: Vec::new(),
                rows: Vec::new(),
            };
            let mut add = |answer: Value| {
                if table.columns.is_empty()
                    && let Some(c) = answer.get("columnDefinitions").and_then(Value::as_array)
                {
                    table.columns = c.clone();
                }
                if let Some(rows) = answer.get("rows").and_then(Value::as_array) {
                    table.rows.extend(rows.iter().cloned());
                }
            };
            if t.names.is_empty() {
                let lp = ListParams {
                    label_selector: v.selector.clone(),
                    field_selector: v.field_selector.clone(),
                    ..ListParams::default()
                };
                let req = Request::new(url_path(&r, ns.as_deref()))
                    .list(&lp)
                    .map_err(build_error)?;
                add(self.table_request(req).await.map_err(api_error)?);
            } else {
                for name in &t.names {
                    let req = Request::new(url_path(&r, ns.as_deref()))
                        .get(name, &GetParams::default())
                        .map_err(build_error)?;
                    match self.table_request(req).await {
                        Ok(answer) => add(answer),
                        Err(e) if v.ignore_not_found && is_not_found(&e) => {}
                        Err(e) => return Err(api_error(e)),
                    }
                }
            }
            tables.push(table);
        }
        let with_kind = tables.len() > 1;
        let printed: Vec<String> = tables
            .iter()
            .filter(|t| !t.rows.is_empty())
            .map(|t| print_table(t, v, wide, with_kind))
            .collect();
        Ok(printed.join("\n"))
    }
}

fn print_table(t: &KindTable, v: &Get, wide: bool, with_kind: bool) -> String {
    let shown: Vec<(usize, &Value)> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| wide || c.get("priority").and_then(Value::as_i64).unwrap_or(0) == 0)
        .collect();
    let label_keys: Vec<&str> = v
        .label_columns
        .iter()
        .flat_map(|l| l.split(','))
        .filter(|k| !k.is_empty())
        .collect();
    let mut rows = Vec::new();
    if !v.no_headers {
        let mut header = Vec::new();
        if v.all_namespaces {
            header.push("NAMESPACE".to_string());
        }
        for (_, c) in &shown {
            header.push(
                c.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_uppercase(),
            );
        }
        // `-L app.kubernetes.io/name` is headed `NAME`: the key's last part.
        header.extend(
            label_keys
                .iter()
                .map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()),
        );
        if v.show_labels {
            header.push("LABELS".into());
        }
        rows.push(header);
    }
    for row in &t.rows {
        let cells = row
            .get("cells")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let meta = row.pointer("/object/metadata");
        let mut line = Vec::new();
        if v.all_namespaces {
            line.push(
                meta.and_then(|m| m.get("namespace"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        for (i, c) in &shown {
            let mut text = cell(cells.get(*i));
            if with_kind && c.get("format").and_then(Value::as_str) == Some("name") {
                text = format!("{}/{text}", t.type_name);
            }
            line.push(text);
        }
        let labels = meta.and_then(|m| m.get("labels")).and_then(Value::as_object);
        for k in &label_keys {
            line.push(
                labels
                    .and_then(|l| l.get(*k))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        if v.show_labels {
            line.push(format_labels(labels));
        }
        rows.push(line);
    }
    tabulate(&rows)
}

/// A cell as kubectl writes it: text up to its first line break (then
/// `...`), anything else as Go's `%v`; an absent cell is empty.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => match s.find(['\n', '\r', '\u{c}']) {
            Some(at) => format!("{}...", &s[..at]),
            None => s.clone(),
        },
        Some(other) => go_value(other),
    }
}

/// `app=carts,team=checkout` (keys sorted), or `<none>`.
fn format_labels(labels: Option<&serde_json::Map<String, Value>>) -> String {
    let mut pairs: Vec<String> = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    if pairs.is_empty() {
        return "<none>".into();
    }
    pairs.sort();
    pairs.join(",")
}
