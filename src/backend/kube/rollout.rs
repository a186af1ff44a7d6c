//! `kubectl rollout status`: the status viewers of kubectl, message for
//! message (Deployment, DaemonSet, StatefulSet), followed with a watch.

use serde_json::{Value, json};

use super::Json;
use super::watch::{self, Filter, Seen};
use super::{Ctx, api_error, failed_with, lines};
use crate::action::kubectl::RolloutStatus;
use crate::ground::port::ActionError;

/// What one look at the object says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rollout {
    /// Not finished: kubectl's "Waiting for …" line.
    Waiting(String),
    /// Finished: kubectl's "successfully rolled out" line.
    Done(String),
    /// Cannot finish (progress deadline exceeded, wrong strategy).
    Error(String),
}

fn int(obj: &Value, pointer: &str) -> Option<i64> {
    obj.pointer(pointer).and_then(Value::as_i64)
}

fn str_at<'a>(obj: &'a Value, pointer: &str) -> Option<&'a str> {
    obj.pointer(pointer).and_then(Value::as_str)
}

/// The kinds `rollout status` supports, by kind name.
pub fn supported(kind: &str) -> bool {
    matches!(kind, "Deployment" | "DaemonSet" | "StatefulSet")
}

/// kubectl's status viewer for the object's kind.
pub fn status(kind: &str, obj: &Value) -> Rollout {
    let name = str_at(obj, "/metadata/name").unwrap_or_default();
    let generation = int(obj, "/metadata/generation").unwrap_or(0);
    let observed = int(obj, "/status/observedGeneration").unwrap_or(0);
    let s = |field: &str| int(obj, &format!("/status/{field}")).unwrap_or(0);
    match kind {
        "Deployment" => {
            if generation > observed {
                return Rollout::Waiting("Waiting for deployment spec update to be observed...".into());
            }
            let deadline_exceeded = obj
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| {
                    c.get("type").and_then(Value::as_str) == Some("Progressing")
                        && c.get("reason").and_then(Value::as_str) == Some("ProgressDeadlineExceeded")
                });
            if deadline_exceeded {
                return Rollout::Error(format!("deployment {name:?} exceeded its progress deadline"));
            }
            let updated = s("updatedReplicas");
            if let Some(want) = int(obj, "/spec/replicas")
                && updated < want
            {
                return Rollout::Waiting(format!(
                    "Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated..."
                ));
            }
            let replicas = s("replicas");
            if replicas > updated {
                return Rollout::Waiting(format!(
                    "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...",
                    replicas - updated
                ));
            }
            let available = s("availableReplicas");
            if available < updated {
                return Rollout::Waiting(format!(
                    "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available..."
                ));
            }
            Rollout::Done(format!("deployment {name:?} successfully rolled out"))
        }
        "DaemonSet" => {
            if str_at(obj, "/spec/updateStrategy/type").is_some_and(|t| t != "RollingUpdate") {
                return Rollout::Error(
                    "rollout status is only available for RollingUpdate strategy type".into(),
                );
            }
            if generation > observed {
                return Rollout::Waiting("Waiting for daemon set spec update to be observed...".into());
            }
            let desired = s("desiredNumberScheduled");
            let updated = s("updatedNumberScheduled");
            if updated < desired {
                return Rollout::Waiting(format!(
                    "Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated..."
                ));
            }
            let available = s("numberAvailable");
            if available < desired {
                return Rollout::Waiting(format!(
                    "Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available..."
                ));
            }
            Rollout::Done(format!("daemon set {name:?} successfully rolled out"))
        }
        "StatefulSet" => {
            if str_at(obj, "/spec/updateStrategy/type").is_some_and(|t| t != "RollingUpdate") {
                return Rollout::Error(
                    "rollout status is only available for RollingUpdate strategy type".into(),
                );
            }
            if observed == 0 || generation > observed {
                return Rollout::Waiting("Waiting for statefulset spec update to be observed...".into());
            }
            let want = int(obj, "/spec/replicas");
            if let Some(want) = want
                && s("readyReplicas") < want
            {
                return Rollout::Waiting(format!(
                    "Waiting for {} pods to be ready...",
                    want - s("readyReplicas")
                ));
            }
            if let Some(partition) = int(obj, "/spec/updateStrategy/rollingUpdate/partition")
                && let Some(want) = want
            {
                let target = want - partition;
                if s("updatedReplicas") < target {
                    return Rollout::Waiting(format!(
                        "Waiting for partitioned roll out to finish: {} out of {target} new pods have been updated...",
                        s("updatedReplicas")
                    ));
                }
                return Rollout::Done(format!(
                    "partitioned roll out complete: {} new pods have been updated...",
                    s("updatedReplicas")
                ));
            }
            let update_rev = str_at(obj, "/status/updateRevision").unwrap_or_default();
            let current_rev = str_at(obj, "/status/currentRevision").unwrap_or_default();
            if update_rev != current_rev {
                return Rollout::Waiting(format!(
                    "waiting for statefulset rolling update to complete {} pods at revision {update_rev}...",
                    s("updatedReplicas")
                ));
            }
            Rollout::Done(format!(
                "statefulset rolling update complete {} pods at revision {current_rev}...",
                s("currentReplicas")
            ))
        }
        other => Rollout::Error(format!("no status viewer has been implemented for {other}")),
    }
}

impl Ctx<'_> {
    pub(super) async fn rollout_status(&self, v: &RolloutStatus) -> Json {
        let (timeout, watch_on) = (v.timeout, v.watch);
        let o = self.one_object(&v.target).await?;
        let kind = o.r.ar.kind.clone();
        if !supported(&kind) {
            return Err(ActionError::failed(
                format!("error: no status viewer has been implemented for {kind}"),
                None,
            ));
        }
        // The object must exist now (kubectl gets it first).
        self.get_one(&o.r, o.namespace.as_deref(), &o.name)
            .await
            .map_err(api_error)?;
        let deadline = self.wait_deadline(timeout);
        let names = [o.name.clone()];
        let filter = Filter {
            namespace: o.namespace.as_deref(),
            names: &names,
            selector: None,
        };
        let mut printed: Vec<String> = Vec::new();
        let outcome = watch::until(
            self.client(),
            &self.b.timer,
            &o.r,
            &filter,
            deadline,
            |objects, seen| {
                let obj = match seen {
                    Seen::Deleted => return Ok(Some(Err("error: object has been deleted".to_string()))),
                    Seen::Changed(obj) => obj,
                    Seen::Listed => match objects.get(&o.name) {
                        Some(obj) => obj,
                        None => return Ok(Some(Err("error: object has been deleted".to_string()))),
                    },
                };
                Ok(match status(&kind, obj) {
                    Rollout::Waiting(m) => {
                        printed.push(m);
                        (!watch_on).then_some(Ok(()))
                    }
                    Rollout::Done(m) => {
                        printed.push(m);
                        Some(Ok(()))
                    }
                    Rollout::Error(m) => Some(Err(format!("error: {m}"))),
                })
            },
        )
        .await?;
        match outcome {
            Some(Ok(())) => Ok(json!({"stdout": lines(&printed)})),
            Some(Err(stderr)) => Err(failed_with(&printed, stderr)),
            None => Err(failed_with(
                &printed,
                "error: timed out waiting for the condition".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deploy(status: Value) -> Value {
        json!({"metadata": {"name": "carts", "generation": 2}, "spec": {"replicas": 2}, "status": status})
    }

    #[test]
    fn deployment_messages() {
        let w = |s: &str| Rollout::Waiting(s.to_string());
        assert_eq!(
            status("Deployment", &deploy(json!({"observedGeneration": 1}))),
            w("Waiting for deployment spec update to be observed...")
        );
        assert_eq!(
            status(
                "Deployment",
                &deploy(json!({"observedGeneration": 2, "updatedReplicas": 1}))
            ),
            w(
                "Waiting for deployment \"carts\" rollout to finish: 1 out of 2 new replicas have been updated..."
            )
        );
        assert_eq!(
            status(
                "Deployment",
                &deploy(json!({"observedGeneration": 2, "updatedReplicas": 2, "replicas": 3}))
            ),
            w(
                "Waiting for deployment \"carts\" rollout to finish: 1 old replicas are pending termination..."
            )
        );
        assert_eq!(
            status(
                "Deployment",
                &deploy(
                    json!({"observedGeneration": 2, "updatedReplicas": 2, "replicas": 2, "availableReplicas": 1})
                )
            ),
            w("Waiting for deployment \"carts\" rollout to finish: 1 of 2 updated replicas are available...")
        );
        assert_eq!(
            status(
                "Deployment",
                &deploy(
                    json!({"observedGeneration": 2, "updatedReplicas": 2, "replicas": 2, "availableReplicas": 2})
                )
            ),
            Rollout::Done("deployment \"carts\" successfully rolled out".into())
        );
        assert!(matches!(
            status(
                "Deployment",
                &deploy(json!({"observedGeneration": 2, "conditions": [
                    {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}))
            ),
            Rollout::Error(m) if m == "deployment \"carts\" exceeded its progress deadline"
        ));
    }

    #[test]
    fn daemonset_and_statefulset() {
        let ds = json!({"metadata": {"name": "agent"}, "status": {
            "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2}});
        assert_eq!(
            status("DaemonSet", &ds),
            Rollout::Waiting(
                "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available..."
                    .into()
            )
        );
        let sts = json!({"metadata": {"name": "db", "generation": 1}, "spec": {"replicas": 2},
            "status": {"observedGeneration": 1, "readyReplicas": 2, "currentReplicas": 2,
                       "updateRevision": "db-1", "currentRevision": "db-1"}});
        assert_eq!(
            status("StatefulSet", &sts),
            Rollout::Done("statefulset rolling update complete 2 pods at revision db-1...".into())
        );
        let mut sts0 = sts.clone();
        sts0["status"]["readyReplicas"] = json!(1);
        assert_eq!(
            status("StatefulSet", &sts0),
            Rollout::Waiting("Waiting for 1 pods to be ready...".into())
        );
    }
}
