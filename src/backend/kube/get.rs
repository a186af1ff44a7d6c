//! `get`: named objects or lists, `-l`, `--field-selector`, `-A`,
//! `--sort-by`, `--ignore-not-found`.

use serde_json::Value;

use super::Json;
use super::{Ctx, api_error, is_not_found, list, select};
use crate::action::kubectl::Get;

impl Ctx<'_> {
    pub(super) async fn get(&self, v: &Get) -> Json {
        let mut items = Vec::new();
        for t in &v.targets.list {
            let r = self.resolve(&t.resource).await?;
            let ns = self.ns_for(&r, v.all_namespaces);
            if t.names.is_empty() {
                let found = self
                    .list_of(
                        &r,
                        ns.as_deref(),
                        v.selector.as_deref(),
                        v.field_selector.as_deref(),
                    )
                    .await?;
                items.extend(found);
                continue;
            }
            for name in &t.names {
                match self.get_one(&r, ns.as_deref(), name).await {
                    Ok(obj) => items.push(obj),
                    Err(e) if v.ignore_not_found && is_not_found(&e) => {}
                    Err(e) => return Err(api_error(e)),
                }
            }
        }
        if v.targets.single && items.len() == 1 {
            return Ok(items.remove(0));
        }
        if let Some(path) = &v.sort_by {
            items.sort_by(|a, b| compare(select::at_path(a, path), select::at_path(b, path)));
        }
        Ok(list(items))
    }
}

/// `--sort-by` order: numbers by value, everything else as text, missing first.
fn compare(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or_default()
            .total_cmp(&y.as_f64().unwrap_or_default()),
        (Some(x), Some(y)) => select::display(x).cmp(&select::display(y)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
