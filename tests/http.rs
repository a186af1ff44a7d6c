//! `http` steps against a small HTTP server on loopback: status, headers,
//! JSON bodies, redirects, and a refused connection as a failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rehearse::action::HttpRequest;
use rehearse::backend::http::HttpBackend;
use rehearse::ground::port::ErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves canned answers by path; counts requests to `/home`.
async fn server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let homes = Arc::new(AtomicUsize::new(0));
    let counter = homes.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, extra, body) = match path.as_str() {
                    "/old" => ("302 Found", "Location: /home\r\n", String::new()),
                    "/home" => {
                        counter.fetch_add(1, Ordering::SeqCst);
                        (
                            "200 OK",
                            "Content-Type: text/html\r\nX-Api-Token: s3cret\r\nSet-Cookie: session=s3cret\r\n",
                            "<h1>Retail Store</h1>".to_string(),
                        )
                    }
                    "/api" => (
                        "200 OK",
                        "Content-Type: application/json\r\n",
                        r#"{"items": [1, 2]}"#.to_string(),
                    ),
                    _ => ("503 Service Unavailable", "", "not yet".to_string()),
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), homes)
}

fn get(url: String) -> HttpRequest {
    HttpRequest {
        line: format!("GET {url}"),
        method: "GET".into(),
        url,
        headers: vec![],
        body: None,
        follow_redirects: true,
    }
}

#[tokio::test]
async fn follows_redirects_and_reports_status_headers_and_body() {
    let (base, homes) = server().await;
    let out = HttpBackend::new()
        .unwrap()
        .fetch(&get(format!("{base}/old")))
        .await
        .unwrap();
    assert_eq!(out["status"], 200);
    assert_eq!(out["url"], format!("{base}/home"));
    assert_eq!(out["headers"]["content-type"], "text/html");
    // Only the documented headers are kept: the others may hold credentials.
    assert!(!out.to_string().contains("s3cret"), "{}", *out);
    assert_eq!(out["body"], "<h1>Retail Store</h1>");
    assert!(out.get("json").is_none());
    assert_eq!(homes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn without_following_a_redirect_is_the_answer() {
    let (base, homes) = server().await;
    let mut req = get(format!("{base}/old"));
    req.follow_redirects = false;
    let out = HttpBackend::new().unwrap().fetch(&req).await.unwrap();
    assert_eq!(out["status"], 302);
    assert_eq!(out["headers"]["location"], "/home");
    assert_eq!(homes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_error_status_is_an_answer_not_a_failure() {
    let (base, _) = server().await;
    let out = HttpBackend::new()
        .unwrap()
        .fetch(&get(format!("{base}/starting")))
        .await
        .unwrap();
    assert_eq!(out["status"], 503);
    assert_eq!(out["body"], "not yet");
}

#[tokio::test]
async fn json_bodies_are_parsed() {
    let (base, _) = server().await;
    let out = HttpBackend::new()
        .unwrap()
        .fetch(&get(format!("{base}/api")))
        .await
        .unwrap();
    assert_eq!(out["json"]["items"][1], 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_failure_naming_the_url() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/home");
    let err = HttpBackend::new()
        .unwrap()
        .fetch(&get(url.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Failed);
    assert!(err.message.contains(&url), "{}", err.message);
}

#[tokio::test]
async fn a_redirect_chain_records_and_replays_without_the_server() {
    use rehearse::backend::http::LiveHttp;
    use rehearse::ground::clock::Clock;
    use rehearse::recording::{Header, Player, Recorder};
    use rehearse::transport::{Record, Replay};
    use std::sync::Arc;

    let (base, homes) = server().await;
    let recorder = Recorder::new(Header::live(None, Default::default()));
    let live = HttpBackend::over(recorder.http(Arc::new(LiveHttp::ready().unwrap())));
    let recorded = live.fetch(&get(format!("{base}/old"))).await.unwrap();
    assert_eq!(homes.load(Ordering::SeqCst), 1);
    let recording = recorder.finish();
    assert_eq!(recording.exchanges.len(), 2, "one exchange per hop");

    // The same request, answered from the file's contents alone.
    let text = recording.to_yaml();
    let reloaded =
        rehearse::recording::Recording::parse(&text, std::path::Path::new("x.recording.yaml")).unwrap();
    let replay = HttpBackend::over(Replay::http(&Player::new(reloaded), &Clock::virtual_clock()));
    let replayed = replay.fetch(&get(format!("{base}/old"))).await.unwrap();
    assert_eq!(homes.load(Ordering::SeqCst), 1, "replay sent no request");
    assert_eq!(replayed["status"], recorded["status"]);
    assert_eq!(replayed["body"], recorded["body"]);
    assert_eq!(replayed["url"], recorded["url"]);

    // A request that was not recorded names what was.
    let err = replay.fetch(&get(format!("{base}/api"))).await.unwrap_err();
    assert!(
        err.message.contains("/old") || err.message.contains("/home"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn downloads_follow_redirects_and_stop_at_their_limit() {
    let (base, homes) = server().await;
    let http = HttpBackend::new().unwrap();
    let body = http.download(&format!("{base}/old"), 1024).await.unwrap();
    assert_eq!(body, b"<h1>Retail Store</h1>");
    assert_eq!(homes.load(Ordering::SeqCst), 1);
    let e = http.download(&format!("{base}/home"), 10).await.unwrap_err();
    assert!(e.message.contains("longer than 10 bytes"), "{e:?}");
    let e = http.download(&format!("{base}/missing"), 1024).await.unwrap_err();
    assert!(e.message.contains("status code=503"), "{e:?}");
}
