//! The three-way patch of kubectl's client-side `apply`: from the
//! configuration applied last time (the `last-applied-configuration`
//! annotation), the configuration applied now, and the live object.
//!
//! - a field set now whose value differs from the live object is set;
//! - a field applied last time and absent now is removed (`null`), even if
//!   another writer owns it: that is how `apply` removes what the author
//!   took out of the file (unlike a server-side apply, which only drops
//!   fields its own manager owns);
//! - anything else on the live object (defaults, other writers' fields) is
//!   left alone.
//!
//! Built-in kinds get a strategic merge patch: lists whose items have a
//! merge key (containers by `name`, ports by `containerPort`…) are merged
//! item by item, with `$patch: delete` for items taken out and
//! `$setElementOrder` for the order written, as kubectl sends them. Other
//! kinds (custom resources) get a JSON merge patch, where lists are
//! replaced whole.

use serde_json::{Map, Value};

use crate::ground::json;

/// The annotation where `apply` keeps the configuration it applied.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// How a patch merges lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Lists with a merge key are merged by it (built-in kinds).
    Strategic,
    /// Lists are replaced whole (JSON merge patch: custom resources).
    Merge,
}

/// The API groups whose kinds the API server patches strategically.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "extensions",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "node.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "certificates.k8s.io",
    "events.k8s.io",
];

/// Whether a group is one of Kubernetes' own (its kinds are not custom
/// resources).
pub fn is_built_in(group: &str) -> bool {
    BUILT_IN_GROUPS.contains(&group)
}

pub fn strategy_for(group: &str) -> Strategy {
    if is_built_in(group) {
        Strategy::Strategic
    } else {
        Strategy::Merge
    }
}

/// The configuration as `apply` records it: the manifest with an empty
/// `metadata.annotations` when it had none, as compact JSON with sorted
/// keys and a final newline (kubectl's exact text, so that kubectl and
/// rehearse can apply the same object in turn).
pub fn recorded(manifest: &Value) -> String {
    let mut copy = manifest.clone();
    if let Some(meta) = copy.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = annotations.as_object_mut() {
            a.shift_remove(LAST_APPLIED);
        }
    }
    format!("{}\n", json::sorted_compact(&copy))
}

/// The manifest to send: itself with the annotation that records it.
pub fn with_record(manifest: &Value) -> Value {
    let text = recorded(manifest);
    let mut out = manifest.clone();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = annotations.as_object_mut() {
            a.insert(LAST_APPLIED.into(), Value::String(text));
        }
    }
    out
}

/// The configuration applied last time, read from the live object.
pub fn last_applied(live: &Value) -> Option<Value> {
    let text = live
        .pointer("/metadata/annotations")?
        .get(LAST_APPLIED)?
        .as_str()?;
    serde_json::from_str(text).ok()
}

/// The patch that takes `live` to `modified`, given `original` (the
/// configuration applied last time). None when nothing changes.
pub fn three_way(
    original: Option<&Value>,
    modified: &Value,
    live: &Value,
    strategy: Strategy,
) -> Option<Value> {
    diff(original, modified, Some(live), strategy, "")
}

fn diff(o: Option<&Value>, m: &Value, c: Option<&Value>, s: Strategy, field: &str) -> Option<Value> {
    match m {
        Value::Object(mm) => object(o.and_then(Value::as_object), mm, c, s),
        Value::Array(items) if s == Strategy::Strategic => match merge_key(field, items) {
            Some(key) => keyed_list(
                o.and_then(Value::as_array),
                items,
                c.and_then(Value::as_array),
                key,
                s,
            )
            .map(Value::Array),
            None => (c != Some(m)).then(|| m.clone()),
        },
        _ => (c != Some(m)).then(|| m.clone()),
    }
}

fn object(
    o: Option<&Map<String, Value>>,
    m: &Map<String, Value>,
    c: Option<&Value>,
    s: Strategy,
) -> Option<Value> {
    let c = c.and_then(Value::as_object);
    let mut patch = Map::new();
    for (k, mv) in m {
        let cv = c.and_then(|c| c.get(k));
        // A map that is new on the live object is sent whole.
        let sub = match cv {
            None => Some(mv.clone()),
            Some(_) => diff(o.and_then(|o| o.get(k)), mv, cv, s, k),
        };
        if let Some(sub) = sub {
            patch.insert(k.clone(), sub);
        }
    }
    for k in o.into_iter().flat_map(|o| o.keys()) {
        let on_live = c.is_some_and(|c| c.contains_key(k));
        if !m.contains_key(k) && on_live {
            patch.insert(k.clone(), Value::Null);
        }
    }
    if patch.is_empty() {
        return None;
    }
    // Lists merged by key keep the order written.
    let orders: Vec<(String, Value)> = patch
        .iter()
        .filter(|(_, v)| s == Strategy::Strategic && v.is_array())
        .filter_map(|(k, _)| {
            let items = m.get(k)?.as_array()?;
            let key = merge_key(k, items)?;
            let order = items.iter().map(|i| key_only(i, key)).collect();
            Some((format!("$setElementOrder/{k}"), Value::Array(order)))
        })
        .collect();
    patch.extend(orders);
    Some(Value::Object(patch))
}

/// The item of `list` whose `key` is `id`.
fn find<'a>(list: Option<&'a Vec<Value>>, key: &str, id: &Value) -> Option<&'a Value> {
    list.and_then(|l| l.iter().find(|i| i.get(key) == Some(id)))
}

/// A list merged item by item on `key`.
fn keyed_list(
    o: Option<&Vec<Value>>,
    m: &[Value],
    c: Option<&Vec<Value>>,
    key: &str,
    s: Strategy,
) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    for item in m {
        let id = item.get(key)?;
        let current = find(c, key, id);
        let change = match current {
            None => Some(item.clone()),
            Some(_) => diff(find(o, key, id), item, current, s, "").map(|mut p| {
                if let Value::Object(map) = &mut p {
                    map.insert(key.into(), id.clone());
                }
                p
            }),
        };
        out.extend(change);
    }
    for item in o.into_iter().flatten() {
        let Some(id) = item.get(key) else { continue };
        if !m.iter().any(|i| i.get(key) == Some(id)) && find(c, key, id).is_some() {
            let mut gone = Map::new();
            gone.insert("$patch".into(), Value::String("delete".into()));
            gone.insert(key.into(), id.clone());
            out.push(Value::Object(gone));
        }
    }
    (!out.is_empty()).then_some(out)
}

fn key_only(item: &Value, key: &str) -> Value {
    let mut map = Map::new();
    if let Some(id) = item.get(key) {
        map.insert(key.into(), id.clone());
    }
    Value::Object(map)
}

/// The merge key of a list field of a built-in kind (its
/// `x-kubernetes-patch-merge-key`), when every item has it.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    let key = match field {
        "containers" | "initContainers" | "ephemeralContainers" | "env" | "volumes" | "imagePullSecrets" => {
            "name"
        }
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        // Container ports are keyed by containerPort, Service ports by port.
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    };
    items.iter().all(|i| i.get(key).is_some()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_record_is_kubectls_text() {
        let m = json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "c", "namespace": "n"}, "data": {"b": "2", "a": "1"}});
        assert_eq!(
            recorded(&m),
            "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\",\"b\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"c\",\"namespace\":\"n\"}}\n"
        );
        let sent = with_record(&m);
        assert_eq!(
            last_applied(&sent),
            Some(serde_json::from_str(recorded(&m).trim()).unwrap())
        );
    }

    #[test]
    fn a_key_taken_out_of_the_file_is_removed_even_if_another_writer_set_it() {
        let o = json!({"data": {"endpoint": "x", "provider": "dynamodb"}});
        let m = json!({"data": {"provider": "dynamodb", "table": "t"}});
        let c = json!({"data": {"endpoint": "x", "provider": "dynamodb", "other": "kept"}});
        assert_eq!(
            three_way(Some(&o), &m, &c, Strategy::Strategic),
            Some(json!({"data": {"endpoint": null, "table": "t"}}))
        );
        // Without a record, nothing is removed.
        assert_eq!(
            three_way(None, &m, &c, Strategy::Strategic),
            Some(json!({"data": {"table": "t"}}))
        );
        assert_eq!(
            three_way(
                Some(&m),
                &m,
                &json!({"data": {"provider": "dynamodb", "table": "t"}}),
                Strategy::Strategic
            ),
            None
        );
    }

    #[test]
    fn keyed_lists_merge_and_delete_as_kubectl_sends_them() {
        let o = json!({"containers": [{"name": "a", "image": "nginx", "env": [{"name": "FOO", "value": "1"}, {"name": "BAR", "value": "2"}]}, {"name": "b", "image": "busybox"}]});
        let m = json!({"containers": [{"name": "a", "image": "nginx", "env": [{"name": "FOO", "value": "1"}, {"name": "BAZ", "value": "3"}]}]});
        let c = json!({"containers": [
            {"name": "a", "image": "nginx", "imagePullPolicy": "Always", "env": [{"name": "FOO", "value": "1"}, {"name": "BAR", "value": "2"}]},
            {"name": "b", "image": "busybox", "imagePullPolicy": "Always"}]});
        assert_eq!(
            three_way(Some(&o), &m, &c, Strategy::Strategic),
            Some(json!({
                "$setElementOrder/containers": [{"name": "a"}],
                "containers": [
                    {"$setElementOrder/env": [{"name": "FOO"}, {"name": "BAZ"}],
                     "env": [{"name": "BAZ", "value": "3"}, {"$patch": "delete", "name": "BAR"}],
                     "name": "a"},
                    {"$patch": "delete", "name": "b"}
                ]
            }))
        );
        // A custom resource's lists are replaced whole.
        assert_eq!(
            three_way(Some(&o), &m, &c, Strategy::Merge),
            Some(json!({"containers": m["containers"]}))
        );
    }
}
