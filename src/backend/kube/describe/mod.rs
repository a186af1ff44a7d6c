//! `describe`: the objects named (or selected), their JSON as `get -o json`
//! gives it, and the text kubectl's describers print for people: one
//! describer per kind (`core` for ConfigMaps, Secrets, Namespaces and
//! Services; `storage` for claims and storage classes; `workloads` for
//! Deployments, StatefulSets, Jobs and the pod template; `cron_jobs`;
//! `pods`; `nodes`, with `quantity` for their pods' requests and limits;
//! `network` for Ingresses; `generic` for custom resources), each followed by
//! the object's events where kubectl prints them (`events`). Which kinds
//! run natively is decided at validation (`DESCRIBED_KINDS`).

mod core;
mod cron_jobs;
mod events;
mod generic;
mod network;
mod nodes;
mod pods;
mod quantity;
mod storage;
mod text;
mod workloads;

use serde_json::Value;

use super::resource::Resolved;
use super::{Ctx, api_error, is_not_found, merge, name_of, one_or_list, printed};
use crate::action::kubectl::{Describe, Target};
use crate::ground::port::ActionError;

/// The described objects' JSON and the text kubectl prints.
pub(super) type Described = Result<(Value, String), ActionError>;

impl Ctx<'_> {
    pub(super) async fn describe(&self, v: &Describe) -> Described {
        let mut found: Vec<(Resolved, Value)> = Vec::new();
        let mut by_prefix = false;
        for t in &v.targets.list {
            let r = self.resolve(&t.resource).await?;
            let (objects, prefixed) = self.described_objects(&r, t, v).await?;
            by_prefix |= prefixed;
            found.extend(objects.into_iter().map(|obj| (r.clone(), obj)));
        }
        let now = self.now_seconds();
        let mut texts = Vec::new();
        for (r, obj) in &found {
            texts.push(self.describe_one(r, obj, now).await?);
        }
        let mut items: Vec<Value> = found.into_iter().map(|(_, obj)| obj).collect();
        for item in &mut items {
            printed::hide_managed_fields(item);
        }
        // kubectl separates objects with a blank line more than their own,
        // and ends each with one when it describes them by prefix.
        let text = if by_prefix {
            texts.iter().map(|t| format!("{t}\n")).collect()
        } else {
            texts.join("\n\n")
        };
        Ok((one_or_list(items), text))
    }

    /// The objects of one type argument, and whether they were found by
    /// prefix: its names (one name written `TYPE NAME` that matches
    /// nothing describes the objects whose names start with it, as kubectl
    /// does), or all of the type matching `-l`.
    async fn described_objects(
        &self,
        r: &Resolved,
        t: &Target,
        v: &Describe,
    ) -> Result<(Vec<Value>, bool), ActionError> {
        let ns = self.ns_for(r, v.all_namespaces);
        if t.names.is_empty() {
            let all = self
                .list_of(r, ns.as_deref(), v.selector.as_deref(), None)
                .await?;
            return Ok((all, false));
        }
        let mut out = Vec::new();
        for name in &t.names {
            match self.get_one(r, ns.as_deref(), name).await {
                Ok(obj) => out.push(obj),
                Err(e) if is_not_found(&e) && v.by_prefix => {
                    let own_ns = self.ns_for(r, false);
                    let prefixed: Vec<Value> = self
                        .list_of(r, own_ns.as_deref(), None, None)
                        .await?
                        .into_iter()
                        .filter(|o| name_of(o).starts_with(name.as_str()))
                        .collect();
                    if prefixed.is_empty() {
                        return Err(api_error(e));
                    }
                    return Ok((prefixed, true));
                }
                Err(e) => return Err(api_error(e)),
            }
        }
        Ok((out, false))
    }

    async fn describe_one(&self, r: &Resolved, obj: &Value, now: i64) -> Result<String, ActionError> {
        let events = |with: bool| async move {
            if with {
                self.events_of(obj).await.map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(match r.ar.kind.as_str() {
            "ConfigMap" => core::config_map(obj, events(true).await?.as_deref(), now),
            "Secret" => core::secret(obj),
            "Namespace" => {
                let ns = name_of(obj);
                let quotas = self
                    .list_path(&format!("/api/v1/namespaces/{ns}/resourcequotas"), None)
                    .await?;
                let limits = self
                    .list_path(&format!("/api/v1/namespaces/{ns}/limitranges"), None)
                    .await?;
                core::namespace(obj, &quotas, &limits)
            }
            "Service" => {
                let slices = self.endpoint_slices(obj).await;
                core::service(obj, &slices, events(true).await?.as_deref(), now)
            }
            "PersistentVolumeClaim" => {
                let ns = text::str_at(obj, "/metadata/namespace");
                let pods = self
                    .list_path(&format!("/api/v1/namespaces/{ns}/pods"), None)
                    .await?;
                storage::claim(obj, &pods, events(true).await?.as_deref(), now)
            }
            "StorageClass" => storage::class(obj, events(true).await?.as_deref(), now),
            "Deployment" => {
                let ns = text::str_at(obj, "/metadata/namespace");
                let selector = workloads::selector_text(obj.pointer("/spec/selector"));
                let sets = self
                    .list_path(
                        &format!("/apis/apps/v1/namespaces/{ns}/replicasets"),
                        Some(("labels", &selector)),
                    )
                    .await
                    .unwrap_or_default();
                workloads::deployment(obj, &sets, events(true).await?.as_deref(), now)
            }
            "StatefulSet" => {
                let ns = text::str_at(obj, "/metadata/namespace");
                let selector = workloads::selector_text(obj.pointer("/spec/selector"));
                let pods = self
                    .list_path(
                        &format!("/api/v1/namespaces/{ns}/pods"),
                        Some(("labels", &selector)),
                    )
                    .await?;
                workloads::stateful_set(obj, &pods, events(true).await?.as_deref(), now)
            }
            "Job" => workloads::job(obj, events(true).await?.as_deref(), now),
            "CronJob" => {
                // kubectl reads the object again as batch/v1 whatever
                // version the server serves, and fails where it serves none.
                let path = format!(
                    "/apis/batch/v1/namespaces/{}/cronjobs/{}",
                    text::str_at(obj, "/metadata/namespace"),
                    name_of(obj)
                );
                let v1 = if text::str_at(obj, "/apiVersion") == "batch/v1" {
                    obj.clone()
                } else {
                    self.request_path(&path).await?
                };
                cron_jobs::cron_job(&v1, events(true).await?.as_deref(), now)
            }
            "Node" => {
                let name = name_of(obj);
                let lease = self
                    .request_path(&format!(
                        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}"
                    ))
                    .await
                    .map_err(|e| events::client_error(&e));
                let selector = format!("spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed");
                // One allowed to read the node but not its pods is told so.
                let pods = match self.list_path("/api/v1/pods", Some(("fields", &selector))).await {
                    Ok(pods) => Some(pods),
                    Err(e) if events::status_code(&e) == Some(403) => None,
                    Err(e) => return Err(e),
                };
                // Kubelets name the node by its name where a uid belongs:
                // kubectl reads both.
                let mut events = self.events_of(obj).await?;
                events.extend(self.events_with_uid(obj, name).await?);
                let around = nodes::Around {
                    lease: lease.as_ref().map_err(String::clone),
                    pods: pods.as_deref(),
                    events: Some(&events),
                };
                nodes::node(obj, around, now)
            }
            "Pod" => pods::pod(obj, events(true).await?.as_deref(), now),
            "Ingress" => {
                let mut backends = network::Backends::new();
                for b in network::backends_of(obj) {
                    let text = self.ingress_backend(obj, b).await;
                    backends.insert(b.to_string(), text);
                }
                network::ingress(obj, &backends, events(true).await?.as_deref(), now)
            }
            // Kubernetes' own kinds kubectl describes with describers of
            // their own, not the generic one.
            other if merge::is_built_in(&r.ar.group) => {
                // A built-in kind named in a way validation did not know.
                return Err(ActionError::failed(
                    format!(
                        "error: `describe` of {other} is not run natively: kubectl has a describer of its own for it, which rehearse does not have"
                    ),
                    None,
                ));
            }
            _ => generic::generic(obj, events(true).await?.as_deref(), now),
        })
    }

    /// The current time in seconds since the epoch, on the backend's clock
    /// (a replay's is the recording's), for events' ages.
    fn now_seconds(&self) -> i64 {
        events::epoch_seconds(&(self.b.now)()).unwrap_or_default()
    }
}
