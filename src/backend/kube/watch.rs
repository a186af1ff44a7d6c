//! List, then watch from the list's resource version, until a predicate
//! over the objects holds or the deadline passes; re-list when the watch
//! ends (server timeout, `410 Gone`). No polling: every look at the
//! objects follows an event from the API server.

use std::collections::BTreeMap;

use futures::StreamExt;
use kube::Client;
use kube::api::{ListParams, WatchEvent, WatchParams};
use kube::core::Request;
use serde_json::Value;
use tokio::time::Instant;

use super::api_error;
use super::objects::url_path;
use super::resource::Resolved;
use super::select::LabelSelector;
use crate::ground::clock::Clock;
use crate::ground::port::ActionError;

/// Which objects to follow.
pub struct Filter<'a> {
    pub namespace: Option<&'a str>,
    /// Only these names; empty for any.
    pub names: &'a [String],
    pub selector: Option<&'a LabelSelector>,
}

impl Filter<'_> {
    fn field_selector(&self) -> Option<String> {
        match self.names {
            [one] => Some(format!("metadata.name={one}")),
            _ => None,
        }
    }

    fn label_selector(&self) -> Option<String> {
        self.selector
            .map(LabelSelector::to_query)
            .filter(|s| !s.is_empty())
    }

    /// The server filters too; checked again here (see `select`).
    fn keeps(&self, obj: &Value) -> bool {
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ns = obj.pointer("/metadata/namespace").and_then(Value::as_str);
        (self.names.is_empty() || self.names.iter().any(|n| n == name))
            && self.selector.is_none_or(|s| s.matches(obj))
            && (self.namespace.is_none() || ns.is_none() || ns == self.namespace)
    }
}

/// What just happened, for predicates that report every event.
pub enum Seen<'a> {
    /// The state after a (re-)list.
    Listed,
    Changed(&'a Value),
    Deleted,
}

/// The objects followed, by name.
pub type Objects = BTreeMap<String, Value>;

fn name_of(obj: &Value) -> String {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Runs `check` after the first list and after every event; returns what it
/// returns once it is `Some`, or `None` when the deadline passes first (in
/// a replay: when the recorded watches are used up, see
/// [`recorded_watch_exhausted`]).
pub async fn until<T>(
    client: &Client,
    timer: &Clock,
    r: &Resolved,
    filter: &Filter<'_>,
    deadline: Instant,
    mut check: impl FnMut(&Objects, Seen<'_>) -> Result<Option<T>, ActionError>,
) -> Result<Option<T>, ActionError> {
    let run = async {
        loop {
            // List: the current state and the version to watch from.
            let lp = ListParams {
                label_selector: filter.label_selector(),
                field_selector: filter.field_selector(),
                ..ListParams::default()
            };
            let req = Request::new(url_path(r, filter.namespace))
                .list(&lp)
                .map_err(build_error)?;
            let list: Value = client.request(req).await.map_err(api_error)?;
            let mut objects = Objects::new();
            for item in list.get("items").and_then(Value::as_array).into_iter().flatten() {
                if filter.keeps(item) {
                    let mut item = item.clone();
                    fill_type(&mut item, r);
                    objects.insert(name_of(&item), item);
                }
            }
            if let Some(done) = check(&objects, Seen::Listed)? {
                return Ok(Some(done));
            }
            let version = list
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .unwrap_or("0")
                .to_string();

            let remaining = deadline.saturating_duration_since(timer.now()).as_secs();
            let wp = WatchParams {
                label_selector: filter.label_selector(),
                field_selector: filter.field_selector(),
                timeout: Some(remaining.clamp(1, 290) as u32),
                ..WatchParams::default()
            };
            let req = Request::new(url_path(r, filter.namespace))
                .watch(&wp, &version)
                .map_err(build_error)?;
            let mut stream = match client.request_events::<Value>(req).await {
                Ok(stream) => stream.boxed(),
                // Replay: the recorded run watched no further, so its wait
                // ended there, at its deadline.
                Err(e) if recorded_watch_exhausted(&e) => return Ok(None),
                Err(e) => return Err(api_error(e)),
            };
            while let Some(event) = stream.next().await {
                let (obj, deleted) = match event {
                    Ok(WatchEvent::Added(o) | WatchEvent::Modified(o)) => (o, false),
                    Ok(WatchEvent::Deleted(o)) => (o, true),
                    Ok(WatchEvent::Bookmark(_)) => continue,
                    // 410 Gone: the version is too old; list again.
                    Ok(WatchEvent::Error(s)) if s.code == 410 => break,
                    Ok(WatchEvent::Error(s)) => return Err(api_error(kube::Error::Api(s))),
                    Err(e) if recorded_watch_exhausted(&e) => return Ok(None),
                    Err(e) => return Err(api_error(e)),
                };
                let mut value = obj;
                fill_type(&mut value, r);
                if !filter.keeps(&value) {
                    continue;
                }
                let name = name_of(&value);
                // A real server sends an event only when the object changed;
                // an unchanged object (a server replaying its state when the
                // watch starts, as some test servers do) is not news.
                if !deleted && objects.get(&name) == Some(&value) {
                    continue;
                }
                let seen = if deleted {
                    objects.remove(&name);
                    Seen::Deleted
                } else {
                    objects.insert(name, value.clone());
                    Seen::Changed(&value)
                };
                if let Some(done) = check(&objects, seen)? {
                    return Ok(Some(done));
                }
            }
        }
    };
    // A replay's watch ends when the recording's does: the virtual clock
    // lets it finish, and then says whether the deadline had passed.
    match timer.timeout_at(deadline, run).await {
        Ok(result) => result,
        Err(_) => Ok(None),
    }
}

/// Whether a replay refused a watch because the recording's watches of it
/// are all used: the recorded wait saw nothing else before it ended. A
/// wait that had not got what it waited for ends only at its deadline, so
/// the replayed one ends as if its deadline had passed, without sleeping.
fn recorded_watch_exhausted(e: &kube::Error) -> bool {
    crate::ground::port::NoMatch::find(e).is_some_and(|m| m.watch_exhausted)
}

fn build_error(e: kube::core::request::Error) -> ActionError {
    ActionError::runtime(format!("cannot build the request: {e}"))
}

/// Sets `apiVersion` and `kind` when the server left them out (list items).
pub fn fill_type(obj: &mut Value, r: &Resolved) {
    if let Value::Object(m) = obj {
        if !m.contains_key("apiVersion") {
            m.insert("apiVersion".into(), Value::String(r.ar.api_version.clone()));
        }
        if !m.contains_key("kind") {
            m.insert("kind".into(), Value::String(r.ar.kind.clone()));
        }
    }
}
