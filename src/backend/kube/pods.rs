//! `logs` and `exec`: a pod by name, or one pod of a workload's selector
//! (`deployment/carts`), as kubectl picks it.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
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
        pods.sort_by_key(|p| std::cmp::Reverse(pod_rank(p)));
        let pod = pods.remove(0);
        Ok((super::name_of(&pod).to_string(), pod))
    }

    fn pods_api(&self) -> Api<Pod> {
        Api::namespaced(self.client().clone(), &self.ns)
    }

    pub(super) async fn logs(&self, v: &Logs) -> Json {
        let (pod, obj) = self.pod_for(&v.target).await?;
        let params = LogParams {
            container: v.container.clone().or_else(|| default_container(&obj)),
            previous: v.previous,
            // kubectl reads a negative --tail as "all".
            tail_lines: v.tail.filter(|n| *n >= 0),
            since_seconds: v.since.map(|d| d.as_secs().max(1) as i64),
            timestamps: v.timestamps,
            ..LogParams::default()
        };
        let text = self.pods_api().logs(&pod, &params).await.map_err(api_error)?;
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

/// kubectl prefers running, ready, then newer pods.
fn pod_rank(pod: &Value) -> (bool, bool, String) {
    let running = pod.pointer("/status/phase").and_then(Value::as_str) == Some("Running");
    let ready = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            c.get("type").and_then(Value::as_str) == Some("Ready")
                && c.get("status").and_then(Value::as_str) == Some("True")
        });
    let created = pod
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    (running, ready, created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{StatusCause, StatusDetails};

    #[test]
    fn picks_running_ready_pods() {
        let a = json!({"metadata": {"name": "a"}, "status": {"phase": "Pending"}});
        let b = json!({"metadata": {"name": "b"}, "status": {"phase": "Running",
            "conditions": [{"type": "Ready", "status": "True"}]}});
        assert!(pod_rank(&b) > pod_rank(&a));
        let c = json!({"metadata": {"annotations": {DEFAULT_CONTAINER: "app"}}});
        assert_eq!(default_container(&c).as_deref(), Some("app"));
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
