//! The fake kubelet's `exec`: the API server hands a kubelet the client's
//! WebSocket upgrade (`GET /exec/{namespace}/{pod}/{container}?command=…`,
//! subprotocol `v4.channel.k8s.io`) and pipes the bytes both ways. No
//! container runs, so the command runs as a process on this machine, in an
//! environment made of the container's: its `env` and `envFrom` as the
//! kubelet resolved them when the pod started (a ConfigMap changed later
//! shows only in pods started later, as on a real node), `HOSTNAME` (the
//! pod's name) and a plain `PATH`. Its stdout and stderr go back on
//! channels 1 and 2, its exit in a `Status` on channel 3, as a kubelet
//! sends them. Standard input is not served: v4 has no way to say it
//! ended, so such a request is refused; so is SPDY (kubectl's fallback when
//! v5, which v1.20 does not speak, is refused).

use std::process::Stdio;

use futures::SinkExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Message, Role};

use super::kubelet::Shared;

/// The one subprotocol a v1.20 kubelet and this one speak.
pub const PROTOCOL: &str = "v4.channel.k8s.io";
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What an exec request asks for.
pub struct ExecRequest {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub command: Vec<String>,
    pub stdin: bool,
    /// The client's `Sec-WebSocket-Key`.
    pub key: String,
}

/// The command's environment, or why it cannot run (a status code and a
/// message, sent as a plain HTTP answer instead of the upgrade).
pub fn environment(shared: &Shared, req: &ExecRequest) -> Result<Vec<(String, String)>, (u16, String)> {
    if req.stdin {
        return Err((400, "the fake kubelet does not serve exec with stdin\n".into()));
    }
    if req.command.is_empty() {
        return Err((400, "you must specify at least 1 command\n".into()));
    }
    let pods = shared.pods.lock().unwrap();
    let Some(state) = pods.values().find(|s| {
        s.pod.metadata.namespace.as_deref() == Some(req.namespace.as_str())
            && s.pod.metadata.name.as_deref() == Some(req.pod.as_str())
    }) else {
        return Err((
            404,
            format!("pod {}/{} is not on this kubelet\n", req.namespace, req.pod),
        ));
    };
    let Some(env) = state.env.get(&req.container) else {
        return Err((404, format!("container not found (\"{}\")\n", req.container)));
    };
    let mut all = vec![
        ("PATH".to_string(), PATH.to_string()),
        ("HOSTNAME".to_string(), req.pod.clone()),
    ];
    all.extend(env.iter().cloned());
    Ok(all)
}

/// Accepts the upgrade, runs the command, sends what it printed and how it
/// ended, and closes.
pub async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    req: &ExecRequest,
    env: Vec<(String, String)>,
) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let accept = derive_accept_key(req.key.as_bytes());
    let head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    let mut ws = WebSocketStream::from_raw_socket(stream, Role::Server, None).await;
    let (stdout, stderr, status) = run(&req.command, env).await;
    let send = |channel: u8, data: &[u8]| {
        let mut frame = Vec::with_capacity(data.len() + 1);
        frame.push(channel);
        frame.extend_from_slice(data);
        Message::binary(frame)
    };
    let io = |e: tokio_tungstenite::tungstenite::Error| std::io::Error::other(e.to_string());
    if !stdout.is_empty() {
        ws.send(send(1, &stdout)).await.map_err(io)?;
    }
    if !stderr.is_empty() {
        ws.send(send(2, &stderr)).await.map_err(io)?;
    }
    ws.send(send(3, status.to_string().as_bytes()))
        .await
        .map_err(io)?;
    ws.close(None).await.map_err(io)
}

/// Runs the command: its stdout, stderr, and the `Status` a kubelet sends
/// for its exit.
async fn run(command: &[String], env: Vec<(String, String)>) -> (Vec<u8>, Vec<u8>, serde_json::Value) {
    let out = tokio::process::Command::new(&command[0])
        .args(&command[1..])
        .env_clear()
        .envs(env)
        .current_dir("/")
        .stdin(Stdio::null())
        .output()
        .await;
    match out {
        Ok(out) => {
            let code = out.status.code().unwrap_or(128 + 9);
            (out.stdout, out.stderr, status(command, code))
        }
        // As a container runtime says it (and exits 126 or 127).
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            let message = format!(
                "exec failed: unable to start container process: exec: \"{}\": {}\n",
                command[0],
                if code == 127 {
                    "executable file not found in $PATH"
                } else {
                    "permission denied"
                }
            );
            (Vec::new(), message.into_bytes(), status(command, code))
        }
    }
}

/// The kubelet's final word on channel 3.
fn status(command: &[String], code: i32) -> serde_json::Value {
    if code == 0 {
        return serde_json::json!({"metadata": {}, "status": "Success"});
    }
    serde_json::json!({
        "metadata": {},
        "status": "Failure",
        "message": format!(
            "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
            command.join(" ")
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}
