//! `set image` and `set env`: the pod template changed as kubectl changes
//! it, sent as the strategic merge patch kubectl computes (only what
//! changed, list entries by their `name`), printed `deployment.apps/ui
//! image updated`. An object that would not change is not patched and
//! prints nothing, as with kubectl.

use serde_json::{Map, Value, json};

use super::objects::ObjRef;
use super::{Ctx, Done, api_error, failed_with, one_or_list};
use crate::action::kubectl::{Change, PatchType, SetEnv, SetImage, Targets};
use crate::ground::port::ActionError;

/// Where an object of this kind keeps its pod spec (kubectl's
/// `UpdatePodSpecForObject`), as the keys leading to it.
fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet" | "Job" | "ReplicationController" => {
            &["spec", "template", "spec"]
        }
        _ => return None,
    })
}

/// `value` nested under `path` (`{"spec": {"template": {"spec": value}}}`).
fn nested(path: &[&str], value: Value) -> Value {
    path.iter().rev().fold(value, |v, key| json!({ *key: v }))
}

/// The containers of a pod spec's list (`containers`, `initContainers`).
fn containers<'a>(spec: &'a Value, list: &str) -> &'a [Value] {
    spec.get(list)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name_of(container: &Value) -> &str {
    container.get("name").and_then(Value::as_str).unwrap_or_default()
}

/// `set image`'s changes to a pod spec: the list entries to patch, by
/// list, and the containers named that it lacks.
fn image_changes(spec: &Value, images: &[Change]) -> (Map<String, Value>, Vec<String>) {
    let mut lists = Map::new();
    let mut missing = Vec::new();
    for list in ["initContainers", "containers"] {
        let mut entries = Vec::new();
        for c in containers(spec, list) {
            // The last pair naming a container wins, as in kubectl's map.
            let wanted = images
                .iter()
                .rev()
                .find(|i| i.key == "*" || i.key == name_of(c))
                .and_then(|i| i.value.as_deref());
            if let Some(image) = wanted
                && c.get("image").and_then(Value::as_str) != Some(image)
            {
                entries.push(json!({"image": image, "name": name_of(c)}));
            }
        }
        if !entries.is_empty() {
            lists.insert(list.to_string(), Value::Array(entries));
        }
    }
    for i in images {
        let found = ["initContainers", "containers"]
            .iter()
            .flat_map(|l| containers(spec, l))
            .any(|c| i.key == "*" || name_of(c) == i.key);
        if !found {
            missing.push(i.key.clone());
        }
    }
    (lists, missing)
}

/// kubectl's container selector: a name, or a pattern with `*`.
fn selects(pattern: &str, name: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == name;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &name[first.len()..];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The variables `set env` sets, in kubectl's order (the `KEY=VALUE`s,
/// then those `--from` gives), `--prefix` before each name; and the names
/// it removes.
fn wanted_env(changes: &[Change], from: Vec<Value>, prefix: &str) -> (Vec<Value>, Vec<String>) {
    let mut set: Vec<Value> = changes
        .iter()
        .filter_map(|c| Some(json!({"name": c.key, "value": c.value.as_deref()?})))
        .chain(from)
        .collect();
    for e in &mut set {
        e["name"] = json!(format!("{prefix}{}", name_of(e)));
    }
    let removed = changes
        .iter()
        .filter(|c| c.value.is_none())
        .map(|c| c.key.clone())
        .collect();
    (set, removed)
}

/// The variable `--from` makes of a ConfigMap's or Secret's key: its name
/// in capitals, any character a name cannot hold made `_` (kubectl's).
fn env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `--from`'s variables: one per key of the object's `data` (those of
/// `--keys` if given), sorted (kubectl's order is Go's random map order),
/// each referring to its key.
fn from_env(obj: &Value, keys: &[String]) -> Result<Vec<Value>, String> {
    let reference = match obj.get("kind").and_then(Value::as_str) {
        Some("ConfigMap") => "configMapKeyRef",
        Some("Secret") => "secretKeyRef",
        _ => return Err("error: unsupported resource specified in --from".into()),
    };
    let name = obj.pointer("/metadata/name").cloned().unwrap_or_default();
    let wanted: Vec<&str> = keys
        .iter()
        .flat_map(|k| k.split(','))
        .filter(|k| !k.is_empty())
        .collect();
    let mut data: Vec<&String> = obj
        .get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|d| d.keys())
        .filter(|k| wanted.is_empty() || wanted.contains(&k.as_str()))
        .collect();
    data.sort();
    Ok(data
        .into_iter()
        .map(|k| json!({"name": env_name(k), "valueFrom": {reference: {"key": k, "name": name}}}))
        .collect())
}

/// A container's variables after `set env` (kubectl's `updateEnv`): a set
/// variable keeps its place or comes last (the first of the same name
/// counts), a removed one goes.
fn updated_env(existing: &[Value], set: &[Value], removed: &[String]) -> Vec<Value> {
    let mut covered: Vec<String> = removed.to_vec();
    let mut out = Vec::new();
    for e in existing {
        let name = name_of(e);
        if covered.iter().any(|c| c == name) {
            continue;
        }
        match set.iter().find(|s| name_of(s) == name) {
            Some(newer) => {
                covered.push(name.to_string());
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in set {
        if !covered.iter().any(|c| c == name_of(e)) {
            covered.push(name_of(e).to_string());
            out.push(e.clone());
        }
    }
    out
}

/// The strategic merge patch of a container's `env`, from `old` to `new`
/// (kubectl's two-way patch): changed and added entries, deletions, and
/// the order of the new list. None when nothing changes.
fn env_patch(old: &[Value], new: &[Value]) -> Option<Map<String, Value>> {
    let mut entries = Vec::new();
    for e in new {
        let before = old.iter().find(|o| name_of(o) == name_of(e));
        if before == Some(e) {
            continue;
        }
        let mut entry = e.clone();
        // A value replacing a reference clears the reference, and the
        // other way round.
        for field in ["value", "valueFrom"] {
            if before.is_some_and(|b| b.get(field).is_some()) && e.get(field).is_none() {
                entry[field] = Value::Null;
            }
        }
        entries.push(entry);
    }
    for o in old {
        if !new.iter().any(|e| name_of(e) == name_of(o)) {
            entries.push(json!({"$patch": "delete", "name": name_of(o)}));
        }
    }
    if entries.is_empty() {
        return None;
    }
    let order: Vec<Value> = new.iter().map(|e| json!({"name": name_of(e)})).collect();
    let mut patch = Map::new();
    patch.insert("$setElementOrder/env".into(), Value::Array(order));
    patch.insert("env".into(), Value::Array(entries));
    Some(patch)
}

/// An object `set` changes: its current state and its pod spec, and
/// where the spec is.
struct Templated {
    o: ObjRef,
    obj: Value,
    path: &'static [&'static str],
    spec: Value,
}

impl Ctx<'_> {
    /// The objects `set` changes, each with its current state.
    async fn pod_templates(
        &self,
        targets: &Targets,
        selector: Option<&str>,
    ) -> Result<Vec<Templated>, ActionError> {
        let mut out = Vec::new();
        for (o, obj) in self.objects_now(&targets.list, selector).await? {
            let Some(path) = pod_spec_path(&o.r.ar.kind) else {
                return Err(ActionError::failed(
                    format!(
                        "error: {}/{} the object is not a pod or does not have a pod template",
                        o.r.ar.plural, o.name
                    ),
                    None,
                ));
            };
            let spec = obj
                .pointer(&format!("/{}", path.join("/")))
                .cloned()
                .unwrap_or_default();
            out.push(Templated { o, obj, path, spec });
        }
        Ok(out)
    }

    pub(super) async fn set_image(&self, v: &SetImage) -> Done {
        let mut out = Vec::new();
        let mut lines = Vec::new();
        let mut errors = Vec::new();
        for Templated { o, obj, path, spec } in self.pod_templates(&v.targets, v.selector.as_deref()).await? {
            let (lists, missing) = image_changes(&spec, &v.images);
            errors.extend(
                missing
                    .iter()
                    .map(|m| format!("error: unable to find container named {m:?}")),
            );
            if lists.is_empty() {
                out.push(obj);
                continue;
            }
            let patch = nested(path, Value::Object(lists));
            out.push(self.patch_object(&o, PatchType::Strategic, &patch, None).await?);
            lines.push(o.line("image updated"));
        }
        if !errors.is_empty() {
            return Err(failed_with(&lines, errors.join("\n")));
        }
        Ok((one_or_list(out), lines))
    }

    pub(super) async fn set_env(&self, v: &SetEnv) -> Done {
        let pattern = v.containers.as_deref().unwrap_or("*");
        let from = match &v.from {
            Some(target) => {
                let o = self.one_object(target).await?;
                let obj = self
                    .get_one(&o.r, o.namespace.as_deref(), &o.name)
                    .await
                    .map_err(api_error)?;
                from_env(&obj, &v.keys).map_err(|m| ActionError::failed(m, None))?
            }
            None => Vec::new(),
        };
        let (set, removed) = wanted_env(&v.changes, from, v.prefix.as_deref().unwrap_or_default());
        let mut out = Vec::new();
        let mut lines = Vec::new();
        for Templated { o, obj, path, spec } in self.pod_templates(&v.targets, v.selector.as_deref()).await? {
            let mut lists = Map::new();
            for list in ["containers", "initContainers"] {
                let mut entries = Vec::new();
                for c in containers(&spec, list)
                    .iter()
                    .filter(|c| selects(pattern, name_of(c)))
                {
                    let old = c
                        .get("env")
                        .and_then(Value::as_array)
                        .map_or(&[][..], Vec::as_slice);
                    if !v.overwrite {
                        refuse_overwrite(old, &set).map_err(|m| failed_with(&lines, m))?;
                    }
                    let new = updated_env(old, &set, &removed);
                    if let Some(mut entry) = env_patch(old, &new) {
                        entry.insert("name".into(), json!(name_of(c)));
                        entries.push(Value::Object(entry));
                    }
                }
                if !entries.is_empty() {
                    lists.insert(list.to_string(), Value::Array(entries));
                }
            }
            if lists.is_empty() {
                out.push(obj);
                continue;
            }
            let patch = nested(path, Value::Object(lists));
            out.push(self.patch_object(&o, PatchType::Strategic, &patch, None).await?);
            lines.push(o.line("env updated"));
        }
        Ok((one_or_list(out), lines))
    }
}

/// `--overwrite=false`: a variable that has another value is an error.
fn refuse_overwrite(existing: &[Value], set: &[Value]) -> Result<(), String> {
    let value = |e: &Value| {
        e.get("value")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    for s in set {
        if let Some(e) = existing.iter().find(|e| name_of(e) == name_of(s)) {
            let current = value(e);
            if current != value(s) {
                return Err(format!(
                    "error: '{}' already has a value ({current}), and --overwrite is false",
                    name_of(s)
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(k: &str, v: Option<&str>) -> Change {
        Change {
            key: k.into(),
            value: v.map(str::to_string),
        }
    }

    #[test]
    fn images_change_only_what_differs() {
        let spec = json!({"initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{"name": "ui", "image": "ui:1"}, {"name": "side", "image": "side:1"}]});
        let (lists, missing) = image_changes(&spec, &[change("ui", Some("ui:2")), change("nope", Some("x"))]);
        assert_eq!(
            Value::Object(lists),
            json!({"containers": [{"image": "ui:2", "name": "ui"}]})
        );
        assert_eq!(missing, ["nope"]);
        let (lists, missing) = image_changes(&spec, &[change("*", Some("side:1"))]);
        assert_eq!(
            Value::Object(lists),
            json!({"initContainers": [{"image": "side:1", "name": "init"}],
                   "containers": [{"image": "side:1", "name": "ui"}]})
        );
        assert!(missing.is_empty());
        assert_eq!(
            nested(&["spec", "template", "spec"], json!({"a": 1})),
            json!({"spec": {"template": {"spec": {"a": 1}}}})
        );
    }

    #[test]
    fn env_as_kubectl_updates_it() {
        let old = [
            json!({"name": "A", "value": "1"}),
            json!({"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}),
            json!({"name": "C", "value": "3"}),
        ];
        let changes = [change("B", Some("2")), change("C", None), change("D", Some("4"))];
        let (set, removed) = wanted_env(&changes, Vec::new(), "");
        let new = updated_env(&old, &set, &removed);
        assert_eq!(
            new,
            [
                json!({"name": "A", "value": "1"}),
                json!({"name": "B", "value": "2"}),
                json!({"name": "D", "value": "4"})
            ]
        );
        assert_eq!(
            Value::Object(env_patch(&old, &new).unwrap()),
            json!({"$setElementOrder/env": [{"name": "A"}, {"name": "B"}, {"name": "D"}],
                "env": [{"name": "B", "value": "2", "valueFrom": null}, {"name": "D", "value": "4"},
                        {"$patch": "delete", "name": "C"}]})
        );
        // Setting what is there already changes nothing.
        let (set, _) = wanted_env(&[change("A", Some("1"))], Vec::new(), "");
        assert_eq!(env_patch(&old, &updated_env(&old, &set, &[])), None);
        let (other, _) = wanted_env(&[change("A", Some("2"))], Vec::new(), "");
        assert!(refuse_overwrite(&old, &other).is_err());
        assert!(refuse_overwrite(&old, &set).is_ok());
    }

    #[test]
    fn env_from_a_config_map_or_secret() {
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "ui"},
            "data": {"theme.color": "green", "RETAIL_UI_X": "1", "b": "2"}});
        let from = from_env(&cm, &[]).unwrap();
        assert_eq!(
            from,
            [
                json!({"name": "RETAIL_UI_X", "valueFrom": {"configMapKeyRef": {"key": "RETAIL_UI_X", "name": "ui"}}}),
                json!({"name": "B", "valueFrom": {"configMapKeyRef": {"key": "b", "name": "ui"}}}),
                json!({"name": "THEME_COLOR", "valueFrom": {"configMapKeyRef": {"key": "theme.color", "name": "ui"}}}),
            ]
        );
        let only = from_env(&cm, &["b,theme.color".into()]).unwrap();
        assert_eq!(only.len(), 2);
        let secret = json!({"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "eA=="}});
        let (set, _) = wanted_env(
            &[change("MODE", Some("x"))],
            from_env(&secret, &[]).unwrap(),
            "APP_",
        );
        assert_eq!(
            set,
            [
                json!({"name": "APP_MODE", "value": "x"}),
                json!({"name": "APP_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password", "name": "db"}}})
            ]
        );
        assert!(from_env(&json!({"kind": "Pod"}), &[]).is_err());
        // A reference replacing a value clears the value.
        let old = [json!({"name": "APP_PASSWORD", "value": "y"})];
        let new = updated_env(&old, &set, &[]);
        let patch = Value::Object(env_patch(&old, &new).unwrap());
        assert_eq!(
            patch["env"][0],
            json!({"name": "APP_PASSWORD", "value": null, "valueFrom": {"secretKeyRef": {"key": "password", "name": "db"}}})
        );
        assert_eq!(patch["env"][1], json!({"name": "APP_MODE", "value": "x"}));
    }

    #[test]
    fn container_patterns() {
        assert!(selects("*", "aws-node"));
        assert!(selects("aws-*", "aws-node"));
        assert!(selects("*-node", "aws-node"));
        assert!(selects("a*n*e", "aws-node"));
        assert!(!selects("aws", "aws-node"));
        assert!(!selects("x*", "aws-node"));
        assert!(!selects("aws-node-*x", "aws-node"));
    }
}
