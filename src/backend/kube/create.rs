//! `create namespace|configmap|secret generic|deployment|job`: the object
//! kubectl's generators make (`--from-literal` keys, a Secret's values in
//! base64, a deployment's `app` label and containers named after their
//! images, a job from a CronJob's template), created, only printed with
//! `--dry-run=client`, or checked by the API server with
//! `--dry-run=server`.

use kube::api::PostParams;
use kube::core::Request;
use serde_json::{Map, Value, json};

use super::objects::{ObjRef, url_path};
use super::{Ctx, Done, FIELD_MANAGER, api_error, build_error, watch};
use crate::action::kubectl::{Create, CreateKind, DryRun, Run};
use crate::ground::port::ActionError;

/// What kubectl puts on a job made from a CronJob.
const INSTANTIATE: &str = "cronjob.kubernetes.io/instantiate";

impl Ctx<'_> {
    pub(super) async fn create(&self, v: &Create) -> Done {
        let (resource, kind) = match v.kind {
            CreateKind::Namespace => ("namespaces", "Namespace"),
            CreateKind::ConfigMap => ("configmaps", "ConfigMap"),
            CreateKind::Secret => ("secrets", "Secret"),
            CreateKind::Deployment => ("deployments.apps", "Deployment"),
            CreateKind::Job => ("jobs.batch", "Job"),
        };
        let r = self.resolve(resource).await?;
        let mut metadata = json!({"creationTimestamp": null, "name": v.name});
        // kubectl names the namespace only when `-n` says it.
        if let (true, Some(ns)) = (r.namespaced, self.namespace_flag) {
            metadata["namespace"] = json!(ns);
        }
        let api_version = match v.kind {
            CreateKind::Deployment => "apps/v1",
            CreateKind::Job => "batch/v1",
            _ => "v1",
        };
        let mut obj = json!({"apiVersion": api_version, "kind": kind, "metadata": metadata});
        let data: Map<String, Value> = v
            .literals
            .iter()
            .map(|(k, value)| {
                let value = match v.kind {
                    CreateKind::Secret => base64(value.as_bytes()),
                    _ => value.clone(),
                };
                (k.clone(), Value::String(value))
            })
            .collect();
        match v.kind {
            CreateKind::Namespace => {
                obj["spec"] = json!({});
                obj["status"] = json!({});
            }
            CreateKind::Deployment => deployment(&mut obj, v),
            CreateKind::Job => match &v.from {
                Some(cronjob) => self.job_from(&mut obj, cronjob).await?,
                None => job(&mut obj, v),
            },
            _ if !data.is_empty() => obj["data"] = Value::Object(data),
            _ => {}
        }
        let o = ObjRef {
            namespace: self.ns_for(&r, false),
            r,
            name: v.name.clone(),
        };
        self.made(o, obj, v.dry_run).await
    }

    /// `run NAME --image=…`: the pod kubectl makes (labelled `run: NAME`
    /// unless `--labels`, one container named NAME, DNS policy
    /// `ClusterFirst`, the words after `--` its arguments, or its command
    /// with `--command`).
    pub(super) async fn run_pod(&self, v: &Run) -> Done {
        let r = self.resolve("pods").await?;
        let labels: Map<String, Value> = match &v.labels {
            Some(l) => l.iter().map(|(k, v)| (k.clone(), json!(v))).collect(),
            None => [("run".to_string(), json!(v.name))].into_iter().collect(),
        };
        let mut metadata = json!({"creationTimestamp": null, "labels": labels, "name": v.name});
        if let Some(ns) = self.namespace_flag {
            metadata["namespace"] = json!(ns);
        }
        let mut container = json!({"image": v.image, "name": v.name, "resources": {}});
        if !v.args.is_empty() {
            container[if v.command { "command" } else { "args" }] = json!(v.args);
        }
        if !v.env.is_empty() {
            let env: Vec<Value> = v
                .env
                .iter()
                .map(|(k, val)| json!({"name": k, "value": val}))
                .collect();
            container["env"] = json!(env);
        }
        if let Some(port) = v.port.filter(|p| *p >= 0) {
            container["ports"] = json!([{"containerPort": port}]);
        }
        let obj = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": metadata,
            "spec": {
                "containers": [container],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": v.restart.as_str(),
            },
            "status": {},
        });
        let o = ObjRef {
            namespace: self.ns_for(&r, false),
            r,
            name: v.name.clone(),
        };
        self.made(o, obj, v.dry_run).await
    }

    /// A generated object: printed only (`--dry-run=client`), checked by
    /// the API server (`server`), or created; with kubectl's line.
    async fn made(&self, o: ObjRef, obj: Value, dry_run: DryRun) -> Done {
        let (dry, said) = match dry_run {
            DryRun::Client => return Ok((obj, vec![o.line("created (dry run)")])),
            DryRun::Server => (true, "created (server dry run)"),
            DryRun::None => (false, "created"),
        };
        let mut created = self.post(&o, &obj, dry).await?;
        watch::fill_type(&mut created, &o.r);
        Ok((created, vec![o.line(said)]))
    }

    /// POSTs a new object; with `dry`, the API server keeps nothing.
    async fn post(&self, o: &ObjRef, doc: &Value, dry: bool) -> Result<Value, ActionError> {
        let pp = PostParams {
            dry_run: dry,
            field_manager: Some(FIELD_MANAGER.into()),
        };
        let body = serde_json::to_vec(doc)
            .map_err(|e| ActionError::runtime(format!("cannot encode the object: {e}")))?;
        let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
            .create(&pp, body)
            .map_err(build_error)?;
        self.request(req).await.map_err(api_error)
    }

    /// `create job --from=cronjob/NAME`: the CronJob's job template, its
    /// annotations with kubectl's `instantiate: manual`, owned by the
    /// CronJob (whichever version of CronJob the server serves).
    async fn job_from(&self, obj: &mut Value, cronjob: &str) -> Result<(), ActionError> {
        let r = self.resolve("cronjobs.batch").await?;
        let ns = self.ns_for(&r, false);
        let cj = self
            .get_one(&r, ns.as_deref(), cronjob)
            .await
            .map_err(api_error)?;
        let template = &cj["spec"]["jobTemplate"];
        let mut annotations = json!({INSTANTIATE: "manual"});
        if let Some(own) = template
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
        {
            for (k, v) in own {
                annotations[k] = v.clone();
            }
        }
        let meta = &mut obj["metadata"];
        meta["annotations"] = annotations;
        if let Some(labels) = template.pointer("/metadata/labels").filter(|l| !l.is_null()) {
            meta["labels"] = labels.clone();
        }
        meta["ownerReferences"] = json!([{
            "apiVersion": "batch/v1",
            "controller": true,
            "kind": "CronJob",
            "name": cj["metadata"]["name"],
            "uid": cj["metadata"]["uid"],
        }]);
        obj["spec"] = template.get("spec").cloned().unwrap_or_else(|| json!({}));
        obj["status"] = json!({});
        Ok(())
    }
}

/// The pod template's spec of `create deployment`: a container per image,
/// with the command after `--`, and `--port` on the first.
fn containers(v: &Create, name_from_job: Option<&str>) -> Vec<Value> {
    let mut containers: Vec<Value> = v
        .images
        .iter()
        .flatten()
        .map(|i| {
            let mut c = json!({
                "image": i.image,
                "name": name_from_job.unwrap_or(&i.container),
                "resources": {},
            });
            if !v.command.is_empty() {
                c["command"] = json!(v.command);
            }
            c
        })
        .collect();
    if let (Some(port), Some(first)) = (v.port.filter(|p| *p >= 0), containers.first_mut()) {
        first["ports"] = json!([{"containerPort": port}]);
    }
    containers
}

/// `create deployment`: labelled `app: NAME`, selected by that label,
/// one replica unless `--replicas` says otherwise.
fn deployment(obj: &mut Value, v: &Create) {
    let labels = json!({"app": v.name});
    obj["metadata"]["labels"] = labels.clone();
    obj["spec"] = json!({
        "replicas": v.replicas.unwrap_or(1),
        "selector": {"matchLabels": labels},
        "strategy": {},
        "template": {
            "metadata": {"creationTimestamp": null, "labels": labels},
            "spec": {"containers": containers(v, None)},
        },
    });
    obj["status"] = json!({});
}

/// `create job --image`: one container named after the job, never restarted.
fn job(obj: &mut Value, v: &Create) {
    obj["spec"] = json!({
        "template": {
            "metadata": {"creationTimestamp": null},
            "spec": {"containers": containers(v, Some(&v.name)), "restartPolicy": "Never"},
        },
    });
    obj["status"] = json!({});
}

/// Standard base64 with padding, as a Secret's `data` holds its values.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(super::base64(b"b"), "Yg==");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"abc"), "YWJj");
        assert_eq!(super::base64(b"hunter2"), "aHVudGVyMg==");
        assert_eq!(super::base64(b""), "");
    }
}
