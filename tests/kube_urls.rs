//! `kubectl apply|delete -f URL`: the manifest fetched from a server on
//! loopback through the HTTP transport, applied to the real control
//! plane, recorded, and replayed with neither the server nor the cluster.

mod common;
mod kube_support;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `manifest` at `/m.yaml` (and a redirect to it at `/latest`).
async fn server(manifest: String) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let reply = if head.starts_with("GET /latest ") {
                "HTTP/1.1 302 Found\r\nLocation: /m.yaml\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{manifest}",
                    manifest.len()
                )
            };
            let _ = sock.write_all(reply.as_bytes()).await;
        }
    });
    (url, task)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manifest_from_a_url_is_applied_recorded_and_replayed() {
    let ns = kube_support::namespace("url").await;
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\ndata:\n  from: url\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched-too\n".to_string();
    let (url, server_task) = server(manifest).await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = kube_support::kubeconfig_for(dir.path(), &[&ns]);
    let workflow = format!(
        r#"[workflow]
name = "url"

[[steps]]
id = "apply"
kubectl = "apply -f {url}/latest"
expect = [{{ stdout = true, contains = "configmap/fetched-too created" }}]

[[steps]]
id = "read"
kubectl = "get configmap fetched -o json"
expect = [{{ query = "data.from", equals = "url" }}]

[[steps]]
id = "delete"
kubectl = "delete -f {url}/m.yaml"
"#
    );
    std::fs::write(dir.path().join("url.toml"), workflow).unwrap();
    let recorded = common::record_with_kubeconfig(dir.path(), "url.toml", &kubeconfig);
    let objects = kube_support::kubectl(&["-n", &ns, "get", "configmap", "fetched"]);
    assert!(!objects.status.success(), "deleted by the manifest from the URL");

    // No server, no cluster: the recording answers.
    server_task.abort();
    let replayed = common::replay_offline(dir.path(), "url.toml");
    assert_eq!(common::step_outputs(&recorded), common::step_outputs(&replayed));
}
