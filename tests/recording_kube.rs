//! Recording a kube client against a fake API server on loopback (one GET,
//! one Secret, one chunked watch), then replaying it with no server.

mod recording_common;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Pod, Secret};
use kube::Api;
use kube::api::{WatchEvent, WatchParams};
use recording_common::{Req, Resp, serve};
use rehearse::ground::clock::Clock;
use rehearse::ground::port::NoMatch;
use rehearse::recording::kube::{recording_client, replay_client};
use rehearse::recording::{Exchange, Header, Player, Recorder, Recording};
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
    // Live, the server ends the watch; a replay ends the step's last
    // recorded watch with the recording's end (see below).
    let events: Vec<String> = pods
        .watch(&wp, "0")
        .await
        .unwrap()
        .take_while(|e| {
            let replay_end = matches!(e, Err(err) if NoMatch::find(err).is_some_and(|m| m.watch_exhausted));
            std::future::ready(!replay_end)
        })
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
    player.set_step("wait-running");
    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let wp = WatchParams::default().fields("metadata.name=web").timeout(30);
    let err = pods
        .watch(&wp, "0")
        .await
        .map(|s| s.boxed())
        .err()
        .expect("no second watch");
    let msg = NoMatch::find(&err)
        .expect("NoMatch behind the kube error")
        .message
        .clone();
    assert!(msg.contains("watch response(s)"), "{msg}");

    // A request that is not recorded names the closest one.
    player.set_step("other");
    let err = pods.get("db").await.unwrap_err();
    let msg = &NoMatch::find(&err)
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

    // Replay serves what was seen, then says that the recorded run watched
    // no further (its last watch): a watcher must not take it for a server
    // closing the stream, and list again.
    let client = replay_client(Player::new(recording.clone()), "default", Clock::virtual_clock());
    let pods: Api<Pod> = Api::default_namespaced(client);
    let mut replayed = Vec::new();
    let mut end = None;
    let mut stream = pods.watch(&wp, "0").await.unwrap().boxed();
    while let Some(event) = stream.next().await {
        match event {
            Ok(e) => replayed.push(describe(&e)),
            Err(e) => {
                end = Some(e);
                break;
            }
        }
    }
    assert_eq!(replayed[..2], seen[..]);
    assert_eq!(replayed.len(), chunks.len());
    let end = end.expect("the stream ends with the end of the recording");
    let no_match = NoMatch::find(&end).expect("a NoMatch behind the stream's error");
    assert!(no_match.watch_exhausted, "{no_match:?}");
    assert!(stream.next().await.is_none());
}

/// A Deployment whose new replica never becomes ready: kubectl's "old
/// replicas are pending termination".
fn stuck_deployment(rv: &str, observed: i64) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "carts", "namespace": "carts", "resourceVersion": rv, "generation": 2},
        "spec": {"replicas": 1},
        "status": {"observedGeneration": observed, "replicas": 2, "updatedReplicas": 1,
                   "readyReplicas": 1, "availableReplicas": 1, "unavailableReplicas": 1,
                   "conditions": [{"type": "Available", "status": "True"}]}
    })
}

/// A recording of `rollout status` that timed out: the list, one watch with
/// one event, and nothing more before the recorded wait ended.
fn timed_out_recording(dir: &std::path::Path) -> Recording {
    let discovery = json!({"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
        {"name": "deployments", "singularName": "deployment", "namespaced": true, "kind": "Deployment",
         "verbs": ["get", "list", "watch"], "shortNames": ["deploy"]}]});
    let exchange = |path: &str,
                    query: Vec<&str>,
                    body: Option<serde_json::Value>,
                    chunks: Option<Vec<serde_json::Value>>| {
        json!({"step": "rollout", "service": "kubernetes",
               "request": {"method": "GET", "path": path, "query": query},
               "response": {"status": 200, "content_type": "application/json", "body": body, "chunks": chunks},
               "duration_ms": 19000})
    };
    let deployments = "/apis/apps/v1/namespaces/carts/deployments";
    let list = json!({"kind": "DeploymentList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "10"},
                      "items": [stuck_deployment("10", 1)]});
    let file = json!({
        "format": 1, "tool_version": "0.1.0", "recorded_at": "2024-01-12T22:34:18Z",
        "capture": "hand-written", "source": "tests/recording_kube.rs", "region": null,
        "namespace": "carts", "variables": {},
        "exchanges": [
            exchange("/apis/apps/v1", vec![], Some(discovery), None),
            exchange(&format!("{deployments}/carts"), vec![], Some(stuck_deployment("10", 1)), None),
            exchange(deployments, vec!["fieldSelector=metadata.name=carts"], Some(list), None),
            exchange(deployments, vec!["allowWatchBookmarks=true", "fieldSelector=metadata.name=carts",
                                       "resourceVersion=10", "timeoutSeconds=19", "watch=true"],
                     None, Some(vec![json!({"type": "MODIFIED", "object": stuck_deployment("11", 2)})])),
        ]
    });
    let path = dir.join("stuck.recording.yaml");
    std::fs::write(&path, serde_yaml_ng::to_string(&file).unwrap()).unwrap();
    Recording::load(&path).unwrap()
}

#[tokio::test]
async fn a_replayed_wait_whose_watch_runs_out_times_out_as_recorded_at_once() {
    use rehearse::backend::kube::KubeBackend;
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    for (command, stdout) in [
        (
            "rollout status -n carts deployment/carts --timeout=20s",
            "Waiting for deployment spec update to be observed...\n\
             Waiting for deployment \"carts\" rollout to finish: 1 old replicas are pending termination...\n",
        ),
        (
            "wait -n carts --for=jsonpath={.status.unavailableReplicas}=0 deployment/carts --timeout=20s",
            "",
        ),
    ] {
        let player = Player::new(timed_out_recording(dir.path()));
        player.set_step("rollout");
        let client = replay_client(player, "carts", Clock::virtual_clock());
        let backend = KubeBackend::new(client, "carts".into(), Arc::new(|| "2024-01-12T22:34:18Z".into()));
        let started = std::time::Instant::now();
        // The step's deadline is far: the wait's own --timeout is what ended it.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(600);
        let err = backend
            .run(
                &rehearse::action::line::kubectl(command).unwrap(),
                dir.path(),
                None,
                deadline,
            )
            .await
            .expect_err("the recorded wait timed out");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{command}: it slept"
        );
        assert_eq!(
            err.kind,
            rehearse::ground::port::ErrorKind::Failed,
            "{command}: {err:?}"
        );
        assert!(
            err.message
                .starts_with("error: timed out waiting for the condition"),
            "{command}: {err:?}"
        );
        let output = err.output.expect("kubectl's output");
        assert_eq!(output["stdout"], stdout, "{command}");
    }
}

#[tokio::test]
async fn a_replayed_wait_keeps_to_the_virtual_clock_even_when_it_lags_real_time() {
    use rehearse::backend::kube::KubeBackend;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    // A workflow whose replay was prepared a minute before it ran (many
    // workflows queued behind --jobs): its virtual clock reads a minute
    // behind the real one, and so do its deadlines.
    let lagging = tokio::time::Instant::now()
        .checked_sub(Duration::from_secs(60))
        .expect("the machine has been up for a minute");
    let clock = Clock::Virtual(Arc::new(Mutex::new(lagging)));
    let dir = tempfile::tempdir().unwrap();
    // The same exchanges, each taking 10 ms instead of 19 s.
    let mut quick = serde_json::to_value(timed_out_recording(dir.path())).unwrap();
    for e in quick["exchanges"].as_array_mut().unwrap() {
        e["duration_ms"] = json!(10);
    }
    let player = Player::new(serde_json::from_value(quick).unwrap());
    player.set_step("rollout");
    let client = replay_client(player, "carts", clock.clone());
    let backend = KubeBackend::new(client, "carts".into(), Arc::new(|| "2024-01-12T22:34:18Z".into()))
        .with_timer(clock.clone());
    // The recorded watch's event meets the condition: the wait succeeds,
    // although its deadline (on the virtual clock) is in the real past.
    let deadline = clock.now() + Duration::from_secs(30);
    let out = backend
        .run(
            &rehearse::action::line::kubectl(
                "wait -n carts --for=jsonpath={.status.observedGeneration}=2 deployment/carts --timeout=20s",
            )
            .unwrap(),
            dir.path(),
            None,
            deadline,
        )
        .await
        .expect("the recorded condition held");
    assert_eq!(out["stdout"], "deployment.apps/carts condition met\n");
}
