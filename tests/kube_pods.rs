//! `logs` over a scripted API: exactly which pod is asked for, with which
//! parameters (tests/kube_cluster.rs reads logs, and runs `exec`, for real,
//! on the fake kubelet through the API server).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{Request, Response};
use kube::client::Body;
use rehearse::backend::kube::KubeBackend;
use serde_json::json;

type Seen = Arc<Mutex<Vec<String>>>;

fn scripted() -> (KubeBackend, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let service = tower::service_fn(move |req: Request<Body>| {
        let uri = req.uri().to_string();
        log.lock().unwrap().push(uri.clone());
        async move {
            let path = uri.split('?').next().unwrap_or_default().to_string();
            let body = match path.as_str() {
                "/api/v1" => json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
                    {"name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod", "verbs": ["get", "list"]},
                    {"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}]})
                .to_string(),
                "/apis/apps/v1" => json!({"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
                    {"name": "deployments", "singularName": "deployment", "namespaced": true, "kind": "Deployment", "verbs": ["get"]}]})
                .to_string(),
                "/apis/apps/v1/namespaces/shop/deployments/carts" => json!({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "carts", "namespace": "shop"},
                    "spec": {"selector": {"matchLabels": {"app": "carts"}}}})
                .to_string(),
                "/api/v1/namespaces/shop/pods" => json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [
                    {"metadata": {"name": "carts-old", "labels": {"app": "carts"}},
                     "spec": {"containers": [{"name": "carts"}]}, "status": {"phase": "Pending"}},
                    {"metadata": {"name": "carts-abc", "labels": {"app": "carts"},
                        "annotations": {"kubectl.kubernetes.io/default-container": "app"}},
                     "spec": {"containers": [{"name": "side"}, {"name": "app"}]},
                     "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}},
                    {"metadata": {"name": "other", "labels": {"app": "ui"}}, "status": {"phase": "Running"}}]})
                .to_string(),
                "/api/v1/namespaces/shop/pods/web" => {
                    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"containers": [{"name": "web"}, {"name": "sidecar"}]}}).to_string()
                }
                p if p.ends_with("/log") => "line 1\nline 2\n".to_string(),
                _ => {
                    return Ok::<_, std::convert::Infallible>(
                        Response::builder()
                            .status(404)
                            .body(Body::from(
                                json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                    "reason": "NotFound", "code": 404, "message": format!("{path} not found")})
                                .to_string()
                                .into_bytes(),
                            ))
                            .unwrap(),
                    );
                }
            };
            Ok(Response::builder()
                .status(200)
                .body(Body::from(body.into_bytes()))
                .unwrap())
        }
    });
    let client = kube::Client::new(service, "shop");
    let now: rehearse::backend::kube::Clock = Arc::new(String::new);
    (KubeBackend::new(client, "shop".into(), now), seen)
}

async fn run(b: &KubeBackend, command: &str) -> rehearse::ground::port::ActionResult {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let command = rehearse::action::line::kubectl(command).expect("a valid line");
    b.run(&command, std::path::Path::new("."), None, deadline).await
}

#[tokio::test]
async fn logs_of_a_pod_with_parameters() {
    let (b, seen) = scripted();
    let out = run(&b, "logs web -c sidecar --tail=5 -p").await.expect("logs");
    assert_eq!(out.json, json!({"stdout": "line 1\nline 2\n"}));
    let log = seen.lock().unwrap().last().cloned().unwrap();
    assert!(log.starts_with("/api/v1/namespaces/shop/pods/web/log?"), "{log}");
    for part in ["container=sidecar", "previous=true", "tailLines=5"] {
        assert!(log.contains(part), "{log} lacks {part}");
    }
}

#[tokio::test]
async fn logs_of_a_deployment_pick_a_running_pod_and_its_default_container() {
    let (b, seen) = scripted();
    let out = run(&b, "logs deployment/carts").await.expect("logs");
    assert_eq!(out["stdout"], "line 1\nline 2\n");
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter().any(
            |u| u.starts_with("/api/v1/namespaces/shop/pods?") && u.contains("labelSelector=app%3Dcarts")
        ),
        "{seen:?}"
    );
    let log = seen.last().unwrap();
    assert!(
        log.starts_with("/api/v1/namespaces/shop/pods/carts-abc/log?"),
        "{log}"
    );
    assert!(log.contains("container=app"), "{log}");
}

#[tokio::test]
async fn logs_of_a_missing_pod_fail_as_kubectl_does() {
    let (b, _) = scripted();
    let e = run(&b, "logs nope").await.unwrap_err();
    assert_eq!(
        e.message,
        "Error from server (NotFound): /api/v1/namespaces/shop/pods/nope not found"
    );
    assert_eq!(e.as_output()["error"]["code"], 404);
}

#[tokio::test]
async fn logs_of_a_selector_ask_for_each_pods_last_ten_lines() {
    let (b, seen) = scripted();
    let out = run(&b, "logs -l app=carts --prefix").await.expect("logs");
    assert_eq!(
        out["stdout"],
        "[pod/carts-old/carts] line 1\n[pod/carts-old/carts] line 2\n\
         [pod/carts-abc/app] line 1\n[pod/carts-abc/app] line 2\n"
    );
    let logs: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|u| u.contains("/log?"))
        .cloned()
        .collect();
    assert_eq!(logs.len(), 2, "{logs:?}");
    assert!(
        logs[0].starts_with("/api/v1/namespaces/shop/pods/carts-old/log?"),
        "{logs:?}"
    );
    assert!(
        logs[1].starts_with("/api/v1/namespaces/shop/pods/carts-abc/log?"),
        "{logs:?}"
    );
    for log in &logs {
        assert!(log.contains("tailLines=10"), "{log}");
    }

    // --tail given, --all-containers: every container of every pod.
    let (b, seen) = scripted();
    run(&b, "logs -l app=carts --all-containers --tail=-1 --since=90s")
        .await
        .expect("logs");
    let seen = seen.lock().unwrap();
    let logs: Vec<&String> = seen.iter().filter(|u| u.contains("/log?")).collect();
    let containers: Vec<&str> = logs
        .iter()
        .map(|u| u.split("container=").nth(1).unwrap().split('&').next().unwrap())
        .collect();
    assert_eq!(containers, ["carts", "side", "app"], "{logs:?}");
    for log in &logs {
        assert!(!log.contains("tailLines"), "{log}");
        assert!(log.contains("sinceSeconds=90"), "{log}");
    }
}
