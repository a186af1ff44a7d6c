//! `rollout history` and `rollout undo` for Deployments: their revisions
//! are their ReplicaSets, each with the `deployment.kubernetes.io/revision`
//! annotation, as kubectl reads them (its `DeploymentHistoryViewer` and
//! `DeploymentRollbacker`).

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

/// A ReplicaSet's revision, if it has one.
fn revision_of(rs: &Value) -> Option<i64> {
    rs.pointer("/metadata/annotations")
        .and_then(|a| a.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
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
    /// A Deployment's ReplicaSets: those its selector matches that it controls.
    async fn replica_sets(&self, o: &ObjRef, deployment: &Value) -> Result<Vec<Value>, ActionError> {
        let uid = deployment.pointer("/metadata/uid").and_then(Value::as_str);
        let selector = deployment
            .pointer("/spec/selector")
            .map(LabelSelector::from_spec)
            .map(|s| s.to_query());
        let rs_type = self.resolve("replicasets.apps").await?;
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

    /// The Deployments a `rollout` command names (other kinds are refused
    /// as kubectl would without a viewer for them).
    async fn deployments(
        &self,
        targets: &crate::action::kubectl::Targets,
        verb: &str,
    ) -> Result<Vec<(ObjRef, Value)>, ActionError> {
        let objects = self.objects_now(&targets.list, None).await?;
        for (o, _) in &objects {
            if o.r.ar.kind != "Deployment" {
                return Err(ActionError::failed(
                    format!(
                        "error: `rollout {verb}` runs natively for deployments only, not {}/{}",
                        o.r.type_name(),
                        o.name
                    ),
                    None,
                ));
            }
        }
        Ok(objects)
    }

    pub(super) async fn rollout_history(&self, v: &RolloutHistory) -> Json {
        let mut text = String::new();
        for (o, deployment) in self.deployments(&v.targets, "history").await? {
            let sets = self.replica_sets(&o, &deployment).await?;
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
        for (o, deployment) in self.deployments(&v.targets, "undo").await? {
            let fail = |m: String| failed_with(&lines, format!("error: {m}"));
            let sets = self.replica_sets(&o, &deployment).await?;
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
    fn history_as_kubectl_prints_it() {
        let sets = [rs("2", "ui:2", Some("set image")), rs("1", "ui:1", None)];
        assert_eq!(
            history_table(&sets),
            "REVISION  CHANGE-CAUSE\n1         <none>\n2         set image\n"
        );
        assert_eq!(history_table(&[]), "No rollout history found.");
    }
}
