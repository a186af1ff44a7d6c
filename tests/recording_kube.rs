//! Recording a kube client against a fake API server on loopback (one GET,
//! one Secret, one chunked watch), then replaying it with no server.

mod recording_common;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Pod, Secret};
use kube::Api;
use kube::api::{WatchEvent, WatchParams};
use recording_common::{Req, Resp, serve};
use rehearse::engine::clock::Clock;
use rehearse::recording::kube::{recording_client, replay_client};
use rehearse::recording::{Exchange, Header, Player, Recorder, Recording, find_no_match};
use serde_json::json;

fn pod(rv: &str, phase: &str) -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": rv, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
        "status": {"phase": phase}
    })
}

fn event(kind: &str, rv: &str, phase: &str) -> String {
    json!({"type": kind, "object": pod(rv, phase)}).to_string()
}

fn fake_api_server() -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
    |req: &Req| {
        assert!(
            !req.headers.iter().any(|(k, _)| k == "authorization"),
            "no auth configured"
        );
        match (req.method.as_str(), req.path()) {
            ("GET", "/api/v1/namespaces/default/pods/web") => Resp::Full {
                status: 200,
                content_type: "application/json",
                body: pod("10", "Pending").to_string(),
            },
            ("GET", "/api/v1/namespaces/default/secrets/creds") => Resp::Full {
                status: 200,
                content_type: "application/json",
                body: json!({
                    "apiVersion": "v1", "kind": "Secret",
                    "metadata": {"name": "creds", "namespace": "default"},
                    "data": {"password": "aHVudGVyMg=="}
                })
                .to_string(),
            },
            ("GET", "/api/v1/namespaces/default/pods") if req.query().contains("watch=true") => {
                let added = event("ADDED", "10", "Pending");
                let modified = event("MODIFIED", "11", "Running");
                let bookmark =
                    json!({"type": "BOOKMARK", "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"resourceVersion": "12"}}})
                        .to_string();
                // One event split over two chunks, two events in one chunk.
                let (a, b) = added.split_at(added.len() / 2);
                Resp::Chunked {
                    content_type: "application/json",
                    chunks: vec![a.to_string(), format!("{b}\n"), format!("{modified}\n{bookmark}\n")],
                    hold: req.query().contains("fieldSelector=metadata.name%3Dendless"),
                }
            }
            _ => Resp::Full {
                status: 404,
                content_type: "application/json",
                body: json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404, "message": format!("{} not found", req.target)}).to_string(),
            },
        }
    }
}

fn describe(e: &WatchEvent<Pod>) -> String {
    match e {
        WatchEvent::Added(p) => format!(
            "ADDED {} {}",
            p.metadata.resource_version.as_deref().unwrap_or(""),
            p.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default()
        ),
        WatchEvent::Modified(p) => format!(
            "MODIFIED {} {}",
            p.metadata.resource_version.as_deref().unwrap_or(""),
            p.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default()
        ),
        WatchEvent::Deleted(_) => "DELETED".into(),
        WatchEvent::Bookmark(b) => format!("BOOKMARK {}", b.metadata.resource_version),
        WatchEvent::Error(e) => format!("ERROR {}", e.message),
    }
}

struct Observed {
    pod: Pod,
    events: Vec<String>,
    secret: Secret,
    missing_status: u16,
}

/// `mark` names the step that follows: a kube client runs its service stack
/// in a worker task, where the step's task-local id is not visible.
async fn observe(client: kube::Client, mark: &dyn Fn(&str)) -> Observed {
    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let secrets: Api<Secret> = Api::default_namespaced(client);
    mark("get-pod");
    let pod = pods.get("web").await.unwrap();
    mark("wait-running");
    let wp = WatchParams::default().fields("metadata.name=web").timeout(30);
    let events: Vec<String> = pods
        .watch(&wp, "0")
        .await
        .unwrap()
        .map_ok(|e| describe(&e))
        .try_collect()
        .await
        .unwrap();
    mark("get-secret");
    let secret = secrets.get("creds").await.unwrap();
    let missing_status = match pods.get("gone").await {
        Err(kube::Error::Api(s)) => s.code,
        other => panic!("expected a 404, got {other:?}"),
    };
    Observed {
        pod,
        events,
        secret,
        missing_status,
    }
}

#[tokio::test]
async fn kube_get_and_watch_record_and_replay() {
    let server = serve(fake_api_server()).await;
    let recorder = Recorder::new(Header::live(None, Default::default()));
    let config = kube::Config::new(server.url().parse().unwrap());
    let client = recording_client(config, recorder.clone()).unwrap();
    let live = observe(client, &|step| recorder.set_step(step)).await;
    assert_eq!(
        live.events,
        ["ADDED 10 Pending", "MODIFIED 11 Running", "BOOKMARK 12"]
    );
    assert_eq!(live.missing_status, 404);
    server.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pods.recording.yaml");
    recorder.finish().save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("aHVudGVyMg=="),
        "a Secret's data reached the file:\n{text}"
    );
    assert!(text.contains("password: REDACTED"), "{text}");

    let recording = Recording::load(&path).unwrap();
    let watch = recording
        .exchanges
        .iter()
        .find_map(|e| match e {
            Exchange::Http(h) if h.request.query.contains(&"watch=true".to_string()) => Some(h),
            _ => None,
        })
        .expect("the watch is recorded");
    assert_eq!(watch.step, "wait-running");
    let steps: Vec<&str> = recording.exchanges.iter().map(Exchange::step).collect();
    assert_eq!(steps, ["get-pod", "wait-running", "get-secret", "get-secret"]);
    assert_eq!(watch.response.chunks.as_ref().map(Vec::len), Some(3), "{text}");
    assert!(
        watch
            .request
            .query
            .contains(&"fieldSelector=metadata.name=web".to_string()),
        "{:?}",
        watch.request.query
    );

    let player = Player::new(recording);
    let client = replay_client(player.clone(), "default", Clock::virtual_clock());
    let replayed = observe(client.clone(), &|step| player.set_step(step)).await;
    assert_eq!(replayed.pod, live.pod);
    assert_eq!(replayed.events, live.events);
    assert_eq!(replayed.missing_status, 404);
    // The Secret still deserialises; its value is the redaction marker.
    let data = replayed.secret.data.unwrap();
    assert_ne!(data["password"].0, live.secret.data.unwrap()["password"].0);

    // The watch is not repeated once used: the run watched more than the recorded one.
    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let wp = WatchParams::default().fields("metadata.name=web").timeout(30);
    let err = pods
        .watch(&wp, "0")
        .await
        .map(|s| s.boxed())
        .err()
        .expect("no second watch");
    let msg = find_no_match(&err)
        .expect("NoMatch behind the kube error")
        .message
        .clone();
    assert!(msg.contains("watch response(s)"), "{msg}");

    // A request that is not recorded names the closest one.
    player.set_step("other");
    let err = pods.get("db").await.unwrap_err();
    let msg = &find_no_match(&err)
        .expect("NoMatch behind the kube error")
        .message;
    assert!(
        msg.contains("kubernetes GET /api/v1/namespaces/default/pods/db (step `other`)"),
        "{msg}"
    );
    assert!(
        msg.contains("/api/v1/namespaces/default/pods/web (recorded by step `get-pod`)"),
        "{msg}"
    );
}

#[tokio::test]
async fn a_watch_dropped_mid_stream_keeps_what_was_seen() {
    let server = serve(fake_api_server()).await;
    let recorder = Recorder::new(Header::live(None, Default::default()));
    let client =
        recording_client(kube::Config::new(server.url().parse().unwrap()), recorder.clone()).unwrap();
    let pods: Api<Pod> = Api::default_namespaced(client);
    // The server never ends this watch; the caller stops after two events.
    let wp = WatchParams::default().fields("metadata.name=endless");
    let seen: Vec<String> = pods
        .watch(&wp, "0")
        .await
        .unwrap()
        .take(2)
        .map(|e| describe(&e.unwrap()))
        .collect()
        .await;
    assert_eq!(seen, ["ADDED 10 Pending", "MODIFIED 11 Running"]);
    let recording = recorder.finish();
    server.stop().await;

    let Exchange::Http(watch) = &recording.exchanges[0] else {
        panic!("an HTTP exchange")
    };
    let chunks = watch.response.chunks.as_ref().expect("a streamed response");
    assert!(chunks.len() >= 2, "{chunks:?}");

    // Replay serves what was seen, then ends the stream.
    let client = replay_client(Player::new(recording.clone()), "default", Clock::virtual_clock());
    let pods: Api<Pod> = Api::default_namespaced(client);
    let replayed: Vec<String> = pods
        .watch(&wp, "0")
        .await
        .unwrap()
        .map_ok(|e| describe(&e))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(replayed[..2], seen[..]);
    assert_eq!(replayed.len(), chunks.len());
}
