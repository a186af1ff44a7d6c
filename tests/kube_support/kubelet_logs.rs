//! The fake kubelet's HTTPS server: container logs, as the API server
//! asks a kubelet for them (`GET /containerLogs/{namespace}/{pod}/{container}`
//! with `previous`, `tailLines`, `sinceSeconds`, `sinceTime`, `timestamps`
//! and `limitBytes`), and exec (`/exec/…`, see `kubelet_exec`), on
//! 127.0.0.1 with a self-signed certificate made at start (the API server
//! checks none: scripts/cluster.sh gives it no
//! `--kubelet-certificate-authority`).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::kubelet::Shared;
use super::kubelet_exec::{self, ExecRequest};

#[derive(Clone, Debug)]
pub struct LogLine {
    pub at: SystemTime,
    pub text: String,
}

pub struct Server {
    listener: std::net::TcpListener,
    acceptor: TlsAcceptor,
}

/// A key and a self-signed certificate for 127.0.0.1, made by openssl.
fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run openssl (the fake kubelet's certificate)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=fake-kubelet",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "cert.der",
    ]);
    run(&[
        "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der",
    ]);
    let read = |f: &str| std::fs::read(dir.path().join(f)).expect("openssl's output");
    (
        CertificateDer::from(read("cert.der")),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(read("key.der"))),
    )
}

impl Server {
    pub fn bind() -> Server {
        let (cert, key) = certificate();
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("the certificate");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the kubelet port");
        listener.set_nonblocking(true).expect("non-blocking");
        Server {
            listener,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        }
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().expect("its address").port()
    }

    /// Answers until the runtime it runs on stops.
    pub async fn serve(self, shared: Arc<Shared>) {
        let listener = tokio::net::TcpListener::from_std(self.listener).expect("a listener");
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, shared) = (self.acceptor.clone(), shared.clone());
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let _ = answer(&mut tls, &shared).await;
                }
            });
        }
    }
}

/// One request, one answer, then the connection closes.
async fn answer<S: AsyncReadExt + AsyncWriteExt + Unpin>(
    stream: &mut S,
    shared: &Shared,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
    let (status, body) = if target.starts_with("/exec/") {
        match exec_request(target, &head) {
            Ok(req) => match kubelet_exec::environment(shared, &req) {
                Ok(env) => return kubelet_exec::serve(stream, &req, env).await,
                Err(refused) => refused,
            },
            Err(refused) => refused,
        }
    } else if method == "GET" {
        container_logs(shared, target)
    } else {
        (405, format!("{method} is not served\n"))
    };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Error",
    };
    let reply = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await
}

/// An exec request's path, query and WebSocket key.
fn exec_request(target: &str, head: &str) -> Result<ExecRequest, (u16, String)> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let parts: Vec<String> = path.split('/').map(decode).collect();
    let [_, _, namespace, pod, container] = &parts[..] else {
        return Err((404, format!("{path} not found\n")));
    };
    let params: Vec<(String, String)> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect();
    let header = |wanted: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v.trim().to_string())
    };
    // SPDY, which kubectl falls back to, is not served.
    let key = header("sec-websocket-key").ok_or((400, "exec is served over WebSocket only\n".to_string()))?;
    let offered = header("sec-websocket-protocol").unwrap_or_default();
    if !offered.split(',').any(|p| p.trim() == kubelet_exec::PROTOCOL) {
        return Err((400, "requested protocol(s) are not supported\n".to_string()));
    }
    Ok(ExecRequest {
        namespace: namespace.clone(),
        pod: pod.clone(),
        container: container.clone(),
        command: params
            .iter()
            .filter(|(k, _)| k == "command")
            .map(|(_, v)| v.clone())
            .collect(),
        // The API server asks a kubelet with `input`, `output` and `error`
        // (kubectl's stdin, stdout and stderr).
        stdin: params
            .iter()
            .any(|(k, v)| k == "input" && (v == "1" || v == "true")),
        key,
    })
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The answer to `GET target`: a status code and the body.
fn container_logs(shared: &Shared, target: &str) -> (u16, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let parts: Vec<String> = path.split('/').map(decode).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let ["", "containerLogs", namespace, pod, container] = parts[..] else {
        return (404, format!("{path} not found\n"));
    };
    let param = |key: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| decode(v))
    };
    let flag = |key: &str| param(key).is_some_and(|v| v == "true" || v == "1");
    let pods = shared.pods.lock().unwrap();
    let Some(state) = pods.values().find(|s| {
        s.pod.metadata.namespace.as_deref() == Some(namespace) && s.pod.metadata.name.as_deref() == Some(pod)
    }) else {
        return (404, format!("pod {namespace}/{pod} is not on this kubelet\n"));
    };
    if flag("previous") && state.restarts == 0 {
        return (
            400,
            format!("previous terminated container \"{container}\" in pod \"{pod}\" not found"),
        );
    }
    (
        200,
        render(shared.logs(state, container), &param, flag("timestamps")),
    )
}

/// The lines the parameters keep, as the kubelet prints them.
fn render(mut lines: Vec<LogLine>, param: &dyn Fn(&str) -> Option<String>, timestamps: bool) -> String {
    let now = SystemTime::now();
    if let Some(since) = param("sinceSeconds").and_then(|s| s.parse::<u64>().ok()) {
        let from = now - Duration::from_secs(since);
        lines.retain(|l| l.at >= from);
    }
    if let Some(from) = param("sinceTime").and_then(|s| humantime::parse_rfc3339_weak(&s).ok()) {
        lines.retain(|l| l.at >= from);
    }
    if let Some(n) = param("tailLines").and_then(|s| s.parse::<usize>().ok()) {
        let skip = lines.len().saturating_sub(n);
        lines.drain(..skip);
    }
    let mut out: String = lines
        .iter()
        .map(|l| {
            if timestamps {
                format!("{} {}\n", humantime::format_rfc3339_nanos(l.at), l.text)
            } else {
                format!("{}\n", l.text)
            }
        })
        .collect();
    if let Some(limit) = param("limitBytes").and_then(|s| s.parse::<usize>().ok()) {
        let mut end = limit.min(out.len());
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}
