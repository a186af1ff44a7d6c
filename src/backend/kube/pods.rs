//! `logs` and `exec`: a pod by name, one pod of a workload's selector
//! (`deployment/carts`) as kubectl picks it, or (`logs -l`) every pod a
//! selector picks.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use std::cmp::Ordering;

use kube::api::{Api, AttachParams, LogParams};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::Json;
use super::select::LabelSelector;
use super::{Ctx, api_error};
use crate::action::kubectl::{Exec, Logs, Target};
use crate::ground::port::ActionError;

/// The annotation naming the container `logs` and `exec` default to.
const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";

impl Ctx<'_> {
    /// The pod a target names, and the pod object.
    async fn pod_for(&self, target: &Target) -> Result<(String, Value), ActionError> {
        let r = self.resolve(&target.resource).await?;
        let name = &target.names[0];
        let ns = self.ns_for(&r, false);
        let obj = self.get_one(&r, ns.as_deref(), name).await.map_err(api_error)?;
        if r.ar.kind == "Pod" {
            return Ok((name.clone(), obj));
        }
        // A Service's selector is a plain map; workloads have spec.selector.
        let Some(spec) = obj.pointer("/spec/selector") else {
            return Err(ActionError::failed(
                format!(
                    "error: cannot find pods of {}/{name}: it has no selector",
                    r.type_name()
                ),
                None,
            ));
        };
        let selector = LabelSelector::from_spec(spec);
        let pod_type = self.resolve("pods").await?;
        let mut pods = self
            .list_of(&pod_type, Some(&self.ns), Some(&selector.to_query()), None)
            .await?;
        if pods.is_empty() {
            return Err(ActionError::failed(
                format!("error: no pods found for {}/{name}", r.type_name()),
                None,
            ));
        }
        pods.sort_by(by_logging);
        let pod = pods.remove(0);
        Ok((super::name_of(&pod).to_string(), pod))
    }

    fn pods_api(&self) -> Api<Pod> {
        Api::namespaced(self.client().clone(), &self.ns)
    }

    pub(super) async fn logs(&self, v: &Logs) -> Json {
        let pods = match (&v.target, &v.selector) {
            (Some(target), _) => vec![self.pod_for(target).await?.1],
            (None, selector) => {
                // kubectl gives a selector's pods in no set order (a Go map):
                // here they come in the API server's (by name).
                let pod_type = self.resolve("pods").await?;
                self.list_of(&pod_type, Some(&self.ns), selector.as_deref(), None)
                    .await?
            }
        };
        // With a selector, kubectl shows the last 10 lines of each unless told.
        let tail = v.tail.or(v.selector.as_ref().map(|_| 10));
        let mut text = String::new();
        for pod in &pods {
            let name = super::name_of(pod);
            for container in log_containers(pod, v)? {
                let params = LogParams {
                    container: Some(container.clone()),
                    previous: v.previous,
                    // kubectl reads a negative --tail as "all".
                    tail_lines: tail.filter(|n| *n >= 0),
                    // kubectl rounds to the nearest second.
                    since_seconds: v.since.map(|d| d.as_secs_f64().round().max(1.0) as i64),
                    timestamps: v.timestamps,
                    ..LogParams::default()
                };
                let got = self.pods_api().logs(name, &params).await.map_err(api_error)?;
                if v.prefix {
                    let prefix = format!("[pod/{name}/{container}] ");
                    for line in got.split_inclusive('\n') {
                        text.push_str(&prefix);
                        text.push_str(line);
                    }
                } else {
                    text.push_str(&got);
                }
            }
        }
        Ok(json!({"stdout": text}))
    }

    pub(super) async fn exec(&self, v: &Exec) -> Json {
        let (pod, obj) = self.pod_for(&v.target).await?;
        let (command, stdin) = (&v.command, self.stdin);
        let container = v.container.clone().or_else(|| default_container(&obj));
        let mut ap = AttachParams::default()
            .stdin(stdin.is_some())
            .stdout(true)
            .stderr(true);
        if let Some(c) = container {
            ap = ap.container(c);
        }
        let mut process = self
            .pods_api()
            .exec(&pod, command.to_vec(), &ap)
            .await
            .map_err(api_error)?;
        if let (Some(mut w), Some(input)) = (process.stdin(), stdin) {
            let input = input.to_string();
            tokio::spawn(async move {
                let _ = w.write_all(input.as_bytes()).await;
                let _ = w.shutdown().await;
            });
        }
        let read = |r: Option<tokio::io::ReadHalf<tokio::io::SimplexStream>>| async move {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf).await;
            }
            String::from_utf8_lossy(&buf).into_owned()
        };
        let status = process.take_status();
        let (stdout, stderr) = tokio::join!(read(process.stdout()), read(process.stderr()));
        let status = match status {
            Some(s) => s.await,
            None => None,
        };
        let _ = process.join().await;
        let exit_code = exit_code(status.as_ref());
        let output = json!({"stdout": stdout, "stderr": stderr, "exit_code": exit_code});
        if exit_code == 0 {
            Ok(output)
        } else {
            Err(ActionError::failed(
                format!("command terminated with exit code {exit_code}"),
                Some(output),
            ))
        }
    }
}

/// The exit code in an exec's final status (kubectl's reading of it).
fn exit_code(status: Option<&Status>) -> i64 {
    let Some(s) = status else { return 0 };
    if s.status.as_deref() == Some("Success") {
        return 0;
    }
    s.details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .and_then(|causes| causes.iter().find(|c| c.reason.as_deref() == Some("ExitCode")))
        .and_then(|c| c.message.as_deref()?.parse().ok())
        .unwrap_or(1)
}

fn default_container(pod: &Value) -> Option<String> {
    pod.pointer("/metadata/annotations")
        .and_then(|a| a.get(DEFAULT_CONTAINER))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The containers whose logs `logs` shows for a pod, as kubectl picks
/// them: all of them (init, regular, ephemeral) with `--all-containers`;
/// else `-c`, the pod's default container, or its first.
fn log_containers(pod: &Value, v: &Logs) -> Result<Vec<String>, ActionError> {
    let names = |list: &str| -> Vec<String> {
        pod.pointer(&format!("/spec/{list}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    let (init, regular, ephemeral) = (
        names("initContainers"),
        names("containers"),
        names("ephemeralContainers"),
    );
    if v.all_containers {
        return Ok([init, regular, ephemeral].concat());
    }
    let pod_name = super::name_of(pod);
    let known = |c: &String| regular.contains(c) || init.contains(c) || ephemeral.contains(c);
    let chosen = v
        .container
        .clone()
        .or_else(|| default_container(pod).filter(known))
        .or_else(|| regular.first().cloned());
    match chosen {
        Some(c) if known(&c) => Ok(vec![c]),
        Some(c) => {
            // kubectl's list: regular, then ephemeral, then init containers.
            let all: Vec<String> = regular
                .iter()
                .cloned()
                .chain(ephemeral.iter().map(|e| format!("{e} (ephem)")))
                .chain(init.iter().map(|i| format!("{i} (init)")))
                .collect();
            Err(ActionError::failed(
                format!(
                    "error: container {c} is not valid for pod {pod_name} out of: {}",
                    all.join(", ")
                ),
                None,
            ))
        }
        None => Err(ActionError::failed(
            format!("error: pod {pod_name} does not have any containers"),
            None,
        )),
    }
}

/// kubectl's order of a workload's pods for `logs` (its `ByLogging`):
/// on a node first; Running (or finished), then Unknown, then Pending;
/// ready first, ready for longer first; more restarts first; older first.
fn by_logging(a: &Value, b: &Value) -> Ordering {
    let text = |p: &Value, ptr: &str| {
        p.pointer(ptr)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let assigned = |p: &Value| !text(p, "/spec/nodeName").is_empty();
    let phase = |p: &Value| match text(p, "/status/phase").as_str() {
        "Unknown" => 1,
        "Pending" => 2,
        _ => 0,
    };
    // An empty time (never ready, no timestamp) sorts after any other.
    let time = |t: String| (t.is_empty(), t);
    let (ready_a, ready_b) = (ready_since(a), ready_since(b));
    assigned(b)
        .cmp(&assigned(a))
        .then(phase(a).cmp(&phase(b)))
        .then(ready_b.is_some().cmp(&ready_a.is_some()))
        .then_with(|| match (ready_a, ready_b) {
            (Some(x), Some(y)) => time(x).cmp(&time(y)),
            _ => Ordering::Equal,
        })
        .then(max_restarts(b).cmp(&max_restarts(a)))
        .then_with(|| {
            time(text(a, "/metadata/creationTimestamp")).cmp(&time(text(b, "/metadata/creationTimestamp")))
        })
}

/// When a ready pod became ready (its Ready condition's last transition);
/// None when it is not ready.
fn ready_since(pod: &Value) -> Option<String> {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| {
            c.get("type").and_then(Value::as_str) == Some("Ready")
                && c.get("status").and_then(Value::as_str) == Some("True")
        })
        .map(|c| {
            c.get("lastTransitionTime")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
}

/// The most restarts of the pod's containers.
fn max_restarts(pod: &Value) -> i64 {
    pod.pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{StatusCause, StatusDetails};

    fn ready(name: &str, since: &str, created: &str) -> Value {
        json!({"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": "n"},
            "status": {"phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": since}]}})
    }

    #[test]
    fn picks_pods_as_kubectl_does() {
        let pending = json!({"metadata": {"name": "a"}, "status": {"phase": "Pending"}});
        let unassigned_running = json!({"metadata": {"name": "b"}, "status": {"phase": "Running"}});
        let mut assigned_pending = pending.clone();
        assigned_pending["spec"] = json!({"nodeName": "n"});
        let old = ready("old", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        let new = ready("new", "2026-01-02T00:00:00Z", "2025-01-01T00:00:00Z");
        let mut restarted = ready("restarted", "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z");
        restarted["status"]["containerStatuses"] = json!([{"restartCount": 3}]);
        let mut pods = [pending, new, unassigned_running, restarted, old, assigned_pending];
        pods.sort_by(by_logging);
        let names: Vec<&str> = pods.iter().map(super::super::name_of).collect();
        // Ready longest first; at the same time, more restarts first; then
        // the assigned pending pod; the unassigned ones last.
        assert_eq!(names, ["restarted", "old", "new", "a", "b", "a"]);
        assert_eq!(pods[3]["spec"]["nodeName"], "n");
        let c = json!({"metadata": {"annotations": {DEFAULT_CONTAINER: "app"}}});
        assert_eq!(default_container(&c).as_deref(), Some("app"));
    }

    fn logs(line: &str) -> Logs {
        let Ok(crate::action::kubectl::Command {
            verb: crate::action::kubectl::Verb::Logs(l),
            ..
        }) = crate::action::line::kubectl(line)
        else {
            panic!("{line}")
        };
        l
    }

    #[test]
    fn containers_whose_logs_are_shown() {
        let pod = json!({"metadata": {"name": "p", "annotations": {DEFAULT_CONTAINER: "app"}},
            "spec": {"initContainers": [{"name": "init"}],
                     "containers": [{"name": "side"}, {"name": "app"}]}});
        assert_eq!(log_containers(&pod, &logs("logs p")).unwrap(), ["app"]);
        assert_eq!(log_containers(&pod, &logs("logs p -c side")).unwrap(), ["side"]);
        assert_eq!(
            log_containers(&pod, &logs("logs p --all-containers")).unwrap(),
            ["init", "side", "app"]
        );
        let e = log_containers(&pod, &logs("logs p -c nope")).unwrap_err();
        assert_eq!(
            e.message,
            "error: container nope is not valid for pod p out of: side, app, init (init)"
        );
        // A default container the pod lacks: the first one.
        let mut other = pod.clone();
        other["metadata"]["annotations"][DEFAULT_CONTAINER] = json!("gone");
        assert_eq!(log_containers(&other, &logs("logs p")).unwrap(), ["side"]);
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(None), 0);
        let s = Status {
            status: Some("Failure".into()),
            details: Some(StatusDetails {
                causes: Some(vec![StatusCause {
                    reason: Some("ExitCode".into()),
                    message: Some("3".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(exit_code(Some(&s)), 3);
        let ok = Status {
            status: Some("Success".into()),
            ..Default::default()
        };
        assert_eq!(exit_code(Some(&ok)), 0);
    }
}
