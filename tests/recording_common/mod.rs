//! A tiny HTTP/1.1 server on loopback for the recording tests: real
//! sockets, real clients, canned answers.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Clone, Debug)]
pub struct Req {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map(|(_, q)| q).unwrap_or("")
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub enum Resp {
    Full {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// A chunked response: each string is written as one HTTP chunk; then
    /// the response ends, or with `hold`, stays open (an endless watch).
    Chunked {
        content_type: &'static str,
        chunks: Vec<String>,
        hold: bool,
    },
}

pub struct Server {
    pub addr: SocketAddr,
    /// Connections accepted so far.
    pub accepts: Arc<AtomicUsize>,
    /// Requests answered so far.
    pub requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }

    /// Stops accepting and closes the listening socket.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

/// Serves `handler`'s answers on 127.0.0.1 (an ephemeral port), with keep-alive.
pub async fn serve<F>(handler: F) -> Server
where
    F: Fn(&Req) -> Resp + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepts = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let handler = Arc::new(handler);
    let (a, r) = (accepts.clone(), requests.clone());
    let task = tokio::spawn(async move {
        let mut conns = Vec::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            a.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            let r = r.clone();
            conns.push(tokio::spawn(async move {
                let _ = connection(stream, &*handler, &r).await;
            }));
        }
    });
    Server {
        addr,
        accepts,
        requests,
        task,
    }
}

/// A listener that counts connections and closes each one at once without answering.
pub async fn counting_listener() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepts = Arc::new(AtomicUsize::new(0));
    let a = accepts.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            a.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    Server {
        addr,
        accepts,
        requests: Arc::new(AtomicUsize::new(0)),
        task,
    }
}

async fn connection(
    mut stream: TcpStream,
    handler: &(dyn Fn(&Req) -> Resp + Send + Sync),
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        // The head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body: Vec<u8> = buf.drain(..length).collect();
        let req = Req {
            method,
            target,
            headers,
            body,
        };
        requests.fetch_add(1, Ordering::SeqCst);
        match handler(&req) {
            Resp::Full {
                status,
                content_type,
                body,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-amzn-requestid: volatile-{}\r\n\r\n",
                    body.len(),
                    requests.load(Ordering::SeqCst)
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(body.as_bytes()).await?;
            }
            Resp::Chunked {
                content_type,
                chunks,
                hold,
            } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await?;
                for c in chunks {
                    stream
                        .write_all(format!("{:x}\r\n{c}\r\n", c.len()).as_bytes())
                        .await?;
                    stream.flush().await?;
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                if hold {
                    // Until the client goes away.
                    let mut rest = [0u8; 64];
                    while stream.read(&mut rest).await? > 0 {}
                    return Ok(());
                }
                stream.write_all(b"0\r\n\r\n").await?;
            }
        }
        stream.flush().await?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A form body's value for `key` (decoded).
pub fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k == key).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}
