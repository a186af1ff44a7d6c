//! `rollout history` and `rollout undo`, as kubectl reads and restores
//! revisions (its history viewers and rollbackers): a Deployment's are its
//! ReplicaSets, each with the `deployment.kubernetes.io/revision`
//! annotation; a DaemonSet's and a StatefulSet's are ControllerRevisions,
//! each holding the patch that restores its pod template.

use serde_json::{Map, Value, json};

use super::objects::ObjRef;
use super::select::LabelSelector;
use super::{Ctx, Done, Json, failed_with};
use crate::action::kubectl::{PatchType, RolloutHistory, RolloutUndo};
use crate::ground::port::ActionError;

/// The annotation holding a ReplicaSet's (and its Deployment's) revision.
const REVISION: &str = "deployment.kubernetes.io/revision";
/// The annotation `rollout history` shows as the change cause.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// The label the Deployment controller adds to its ReplicaSets' templates.
const TEMPLATE_HASH: &str = "pod-template-hash";
/// A Deployment's own annotations, kept when it is rolled back (the
/// others come from the ReplicaSet of the revision).
const KEPT_ANNOTATIONS: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// A revision's number: a ControllerRevision's `revision`, a ReplicaSet's
/// annotation.
fn revision_of(rs: &Value) -> Option<i64> {
    rs.get("revision").and_then(Value::as_i64).or_else(|| {
        rs.pointer("/metadata/annotations")
            .and_then(|a| a.get(REVISION))
            .and_then(Value::as_str)
            .and_then(|r| r.parse().ok())
    })
}

/// Where an object's revisions are kept; None for a kind without them.
fn revisions_type(kind: &str) -> Option<&'static str> {
    match kind {
        "Deployment" => Some("replicasets.apps"),
        "DaemonSet" | "StatefulSet" => Some("controllerrevisions.apps"),
        _ => None,
    }
}

/// The patch a DaemonSet's or StatefulSet's revision would hold for its
/// current pod template: a revision holding it already is the current one.
fn template_patch(obj: &Value) -> Value {
    let mut template = obj.pointer("/spec/template").cloned().unwrap_or_default();
    template["$patch"] = json!("replace");
    json!({"spec": {"template": template}})
}

/// A pod template without the controller's hash label (how kubectl
/// compares a ReplicaSet's template with its Deployment's).
fn without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.shift_remove(TEMPLATE_HASH);
    }
    t
}

/// The ReplicaSet to roll back to: `--to-revision`, or (0) the one before
/// the newest, as kubectl picks it.
fn pick<'a>(sets: &'a [Value], to_revision: i64, name: &str) -> Result<&'a Value, String> {
    let mut revised: Vec<(i64, &Value)> = sets
        .iter()
        .filter_map(|rs| Some((revision_of(rs)?, rs)))
        .collect();
    if to_revision > 0 {
        return revised
            .iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| *rs)
            .ok_or_else(|| format!("unable to find specified revision {to_revision} in history"));
    }
    if to_revision < 0 {
        return Err(format!(
            "unable to find specified revision {to_revision} in history"
        ));
    }
    revised.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    revised
        .get(1)
        .map(|(_, rs)| *rs)
        .ok_or_else(|| format!("no rollout history found for deployment {name:?}"))
}

/// The annotations a rolled-back Deployment gets: its own of
/// [`KEPT_ANNOTATIONS`], the revision's others.
fn rolled_back_annotations(deployment: &Value, rs: &Value) -> Value {
    let own = deployment
        .pointer("/metadata/annotations")
        .and_then(Value::as_object);
    let theirs = rs.pointer("/metadata/annotations").and_then(Value::as_object);
    let mut out = Map::new();
    for (k, v) in own.into_iter().flatten() {
        if KEPT_ANNOTATIONS.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in theirs.into_iter().flatten() {
        if !KEPT_ANNOTATIONS.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// `rollout history`'s table: kubectl's tab writer (padding 2).
fn history_table(sets: &[Value]) -> String {
    let mut rows: Vec<(i64, String)> = sets
        .iter()
        .filter_map(|rs| {
            let cause = rs
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(CHANGE_CAUSE))
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .unwrap_or("<none>");
            Some((revision_of(rs)?, cause.to_string()))
        })
        .collect();
    if rows.is_empty() {
        return "No rollout history found.".to_string();
    }
    rows.sort_by_key(|(r, _)| *r);
    rows.dedup_by_key(|(r, _)| *r);
    let width = rows
        .iter()
        .map(|(r, _)| r.to_string().len())
        .max()
        .unwrap_or(0)
        .max("REVISION".len())
        + 2;
    let mut out = format!("{:<width$}CHANGE-CAUSE\n", "REVISION");
    for (r, cause) in rows {
        out.push_str(&format!("{:<width$}{cause}\n", r.to_string()));
    }
    out
}

impl Ctx<'_> {
    /// An object's revisions (ReplicaSets, ControllerRevisions): those its
    /// selector matches that it controls.
    async fn revisions(&self, o: &ObjRef, obj: &Value) -> Result<Vec<Value>, ActionError> {
        let uid = obj.pointer("/metadata/uid").and_then(Value::as_str);
        let selector = obj
            .pointer("/spec/selector")
            .map(LabelSelector::from_spec)
            .map(|s| s.to_query());
        let rs_type = self
            .resolve(revisions_type(&o.r.ar.kind).unwrap_or("replicasets.apps"))
            .await?;
        let sets = self
            .list_of(&rs_type, o.namespace.as_deref(), selector.as_deref(), None)
            .await?;
        Ok(sets
            .into_iter()
            .filter(|rs| {
                rs.pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|r| {
                        r.get("controller") == Some(&json!(true))
                            && r.get("uid").and_then(Value::as_str) == uid
                    })
            })
            .collect())
    }

    /// The objects a `rollout` command names, each of a kind with
    /// revisions.
    async fn revisioned(
        &self,
        targets: &crate::action::kubectl::Targets,
        verb: &str,
    ) -> Result<Vec<(ObjRef, Value)>, ActionError> {
        let objects = self.objects_now(&targets.list, None).await?;
        for (o, _) in &objects {
            if revisions_type(&o.r.ar.kind).is_none() {
                let what = if verb == "undo" {
                    "rollbacker"
                } else {
                    "history viewer"
                };
                return Err(ActionError::failed(
                    format!("error: no {what} has been implemented for \"{}\"", o.r.ar.kind),
                    None,
                ));
            }
        }
        Ok(objects)
    }

    pub(super) async fn rollout_history(&self, v: &RolloutHistory) -> Json {
        let mut text = String::new();
        for (o, obj) in self.revisioned(&v.targets, "history").await? {
            let sets = self.revisions(&o, &obj).await?;
            // kubectl's name printer, its "operation" a line break and the table.
            text.push_str(&format!(
                "{}/{} \n{}\n",
                o.r.type_name(),
                o.name,
                history_table(&sets)
            ));
        }
        Ok(json!({"stdout": text}))
    }

    pub(super) async fn rollout_undo(&self, v: &RolloutUndo) -> Done {
        let to_revision = v.to_revision.unwrap_or(0);
        let mut out = Vec::new();
        let mut lines = Vec::new();
        for (o, deployment) in self.revisioned(&v.targets, "undo").await? {
            let fail = |m: String| failed_with(&lines, format!("error: {m}"));
            let sets = self.revisions(&o, &deployment).await?;
            if o.r.ar.kind != "Deployment" {
                // A DaemonSet or StatefulSet: its revision's patch, sent as is.
                if to_revision == 0 && sets.len() <= 1 {
                    return Err(fail("no last revision to roll back to".into()));
                }
                let revision = pick(&sets, to_revision, &o.name).map_err(fail)?;
                let data = revision.get("data").cloned().unwrap_or_default();
                if data == template_patch(&deployment) {
                    lines.push(o.line(&format!(
                        "skipped rollback (current template already matches revision {to_revision})"
                    )));
                    out.push(deployment);
                    continue;
                }
                out.push(self.patch_object(&o, PatchType::Strategic, &data, None).await?);
                lines.push(o.line("rolled back"));
                continue;
            }
            let rs = pick(&sets, to_revision, &o.name).map_err(fail)?;
            if deployment.pointer("/spec/paused") == Some(&json!(true)) {
                return Err(fail(
                    "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
                        .into(),
                ));
            }
            let template = without_hash(rs.pointer("/spec/template").unwrap_or(&Value::Null));
            let current = without_hash(deployment.pointer("/spec/template").unwrap_or(&Value::Null));
            if template == current {
                lines.push(o.line(&format!(
                    "skipped rollback (current template already matches revision {to_revision})"
                )));
                out.push(deployment);
                continue;
            }
            let patch = json!([
                {"op": "replace", "path": "/spec/template", "value": template},
                {"op": "replace", "path": "/metadata/annotations", "value": rolled_back_annotations(&deployment, rs)},
            ]);
            out.push(self.patch_object(&o, PatchType::Json, &patch, None).await?);
            lines.push(o.line("rolled back"));
        }
        Ok((super::one_or_list(out), lines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(revision: &str, image: &str, cause: Option<&str>) -> Value {
        let mut annotations = json!({REVISION: revision, "team": format!("r{revision}")});
        if let Some(c) = cause {
            annotations[CHANGE_CAUSE] = json!(c);
        }
        json!({"metadata": {"name": format!("ui-{revision}"), "annotations": annotations},
            "spec": {"template": {"metadata": {"labels": {"app": "ui", TEMPLATE_HASH: format!("h{revision}")}},
                "spec": {"containers": [{"name": "ui", "image": image}]}}}})
    }

    #[test]
    fn the_revision_to_roll_back_to() {
        let sets = [
            rs("2", "ui:2", None),
            rs("3", "ui:3", None),
            rs("1", "ui:1", None),
        ];
        assert_eq!(pick(&sets, 0, "ui").unwrap()["metadata"]["name"], "ui-2");
        assert_eq!(pick(&sets, 1, "ui").unwrap()["metadata"]["name"], "ui-1");
        assert_eq!(
            pick(&sets, 7, "ui").unwrap_err(),
            "unable to find specified revision 7 in history"
        );
        assert_eq!(
            pick(&sets[..1], 0, "ui").unwrap_err(),
            "no rollout history found for deployment \"ui\""
        );
    }

    #[test]
    fn what_a_rollback_copies() {
        let d = json!({"metadata": {"annotations": {REVISION: "3", "team": "now",
            "kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {"template": {"metadata": {"labels": {"app": "ui"}},
                "spec": {"containers": [{"name": "ui", "image": "ui:2"}]}}}});
        let r = rs("2", "ui:2", None);
        assert_eq!(
            rolled_back_annotations(&d, &r),
            json!({REVISION: "3", "kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "r2"})
        );
        // Equal but for the hash label.
        assert_eq!(without_hash(&r["spec"]["template"]), d["spec"]["template"]);
    }

    #[test]
    fn controller_revisions() {
        let ds = json!({"spec": {"template": {"metadata": {"labels": {"app": "a"}}}}});
        let cr = json!({"revision": 2, "data": template_patch(&ds)});
        assert_eq!(revision_of(&cr), Some(2));
        assert_eq!(
            cr["data"],
            json!({"spec": {"template": {"$patch": "replace", "metadata": {"labels": {"app": "a"}}}}})
        );
        assert_eq!(revisions_type("StatefulSet"), Some("controllerrevisions.apps"));
        assert_eq!(revisions_type("Job"), None);
    }

    #[test]
    fn history_as_kubectl_prints_it() {
        let sets = [rs("2", "ui:2", Some("set image")), rs("1", "ui:1", None)];
        assert_eq!(
            history_table(&sets),
            "REVISION  CHANGE-CAUSE\n1         <none>\n2         set image\n"
        );
        assert_eq!(history_table(&[]), "No rollout history found.");
    }
}
