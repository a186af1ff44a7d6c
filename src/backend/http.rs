//! `http` steps: one HTTP request, answered with its status, headers and
//! body. A status of 4xx or 5xx is an answer, not a failure, so that checks
//! and waits can look at it (a load balancer answers 503 before 200); only
//! a request that gets no answer (DNS, refused, TLS) is a failure.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Map, Value, json};

use std::time::Duration;

use crate::ground::port::{ActionError, ActionResult, current_step, error_chain};

use crate::action::HttpRequest;
use crate::ground::clock::Clock;
use crate::recording::matcher::{RequestKey, normalise_query};
use crate::recording::{HttpExchange, Player, RecordedRequest, RecordedResponse, Recorder};

/// Response headers that may carry credentials: they are dropped from the
/// output, so they reach neither reports nor recordings.
pub const SECRET_HEADERS: &[&str] = &[
    "set-cookie",
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
];

/// How many redirects are followed before giving up (curl's `-L` follows 50;
/// the workshop's checks need one or two).
pub const MAX_REDIRECTS: usize = 10;

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Sends HTTP requests over the system's trusted roots, recording them, or
/// answers them from a recording.
pub struct HttpBackend {
    transport: Transport,
}

enum Transport {
    Live(HttpsClient),
    Record(HttpsClient, Recorder),
    Replay(Player, Clock),
}

/// One answer on the wire, before it becomes a step's output.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpBackend {
    /// Live requests.
    pub fn new() -> Result<HttpBackend, String> {
        Ok(HttpBackend {
            transport: Transport::Live(client()?),
        })
    }

    /// Live requests, each hop written to the recording (service `http`).
    pub fn recording(recorder: Recorder) -> Result<HttpBackend, String> {
        Ok(HttpBackend {
            transport: Transport::Record(client()?, recorder),
        })
    }

    /// Answers from the recording; no network.
    pub fn replay(player: Player, clock: Clock) -> HttpBackend {
        HttpBackend {
            transport: Transport::Replay(player, clock),
        }
    }

    /// Sends the request, following redirects when asked, and returns the
    /// step's output.
    pub async fn fetch(&self, request: &HttpRequest) -> ActionResult {
        let mut url = request.url.clone();
        let mut method = request.method.clone();
        let mut body = request.body.clone();
        for _ in 0..=MAX_REDIRECTS {
            let answer = self
                .send_once(&method, &url, &request.headers, body.as_deref())
                .await?;
            let location = answer
                .headers
                .iter()
                .find(|(k, _)| k == "location")
                .map(|(_, v)| v.clone());
            match location {
                Some(next) if request.follow_redirects && is_redirect(answer.status) => {
                    url = resolve(&url, &next)?;
                    // 303, and 301/302 of a POST, become GETs, as browsers and curl do.
                    if answer.status == 303 || (method == "POST" && matches!(answer.status, 301 | 302)) {
                        method = "GET".into();
                        body = None;
                    }
                }
                _ => return Ok(output(&url, &answer)),
            }
        }
        Err(ActionError::failed(
            format!("more than {MAX_REDIRECTS} redirects from {}", request.url),
            None,
        ))
    }

    /// One request and its answer, with no redirect handling.
    pub async fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Option<&str>,
    ) -> Result<Answer, ActionError> {
        match &self.transport {
            Transport::Live(client) => send(client, method, url, headers, body).await,
            Transport::Record(client, recorder) => {
                let start = std::time::Instant::now();
                let answer = send(client, method, url, headers, body).await?;
                recorder.record_http(exchange(method, url, body, &answer, start.elapsed()));
                Ok(answer)
            }
            Transport::Replay(player, clock) => {
                let (path, query) = split_url(url);
                let key = RequestKey::new("http", method, &path, query, body_value(body).as_ref());
                let recorded = player.http(&key).map_err(ActionError::from)?;
                clock.advance(Duration::from_millis(recorded.duration_ms));
                Ok(answer_of(&recorded))
            }
        }
    }
}

fn client() -> Result<HttpsClient, String> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| format!("cannot load the system's TLS roots: {e}"))?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(Client::builder(TokioExecutor::new()).build(https))
}

/// The URL without its query (scheme and host kept: an `http` step's host
/// is part of what it asks), and the query as sorted pairs.
fn split_url(url: &str) -> (String, Vec<String>) {
    match url.split_once('?') {
        Some((path, query)) => (path.to_string(), normalise_query(Some(query))),
        None => (url.to_string(), Vec::new()),
    }
}

fn body_value(body: Option<&str>) -> Option<Value> {
    body.filter(|b| !b.is_empty())
        .map(|b| recording_body(b.as_bytes()))
}

/// A body as recordings store it: JSON as a structure, else text.
fn recording_body(bytes: &[u8]) -> Value {
    crate::recording::matcher::body_value(bytes)
        .unwrap_or_else(|| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn exchange(method: &str, url: &str, body: Option<&str>, answer: &Answer, took: Duration) -> HttpExchange {
    let (path, query) = split_url(url);
    let content_type = answer
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    let mut headers = std::collections::BTreeMap::new();
    for (k, v) in &answer.headers {
        headers
            .entry(k.to_ascii_lowercase())
            .and_modify(|prev: &mut String| {
                prev.push_str(", ");
                prev.push_str(v);
            })
            .or_insert_with(|| v.clone());
    }
    HttpExchange {
        step: current_step(),
        service: "http".into(),
        request: RecordedRequest {
            method: method.to_string(),
            path,
            query,
            body: body_value(body),
        },
        response: RecordedResponse {
            status: answer.status,
            content_type,
            headers: Some(headers),
            body: (!answer.body.is_empty()).then(|| recording_body(&answer.body)),
            chunks: None,
        },
        duration_ms: took.as_millis().min(u64::MAX as u128) as u64,
    }
}

/// A recorded answer, with its recorded headers.
fn answer_of(recorded: &HttpExchange) -> Answer {
    let r = &recorded.response;
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(ct) = r.content_type.as_ref().filter(|_| headers.is_empty()) {
        headers.push(("content-type".to_string(), ct.clone()));
    }
    let body = match &r.body {
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
        None => Vec::new(),
    };
    Answer {
        status: r.status,
        headers,
        body,
    }
}

async fn send(
    client: &HttpsClient,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<Answer, ActionError> {
    {
        let mut builder = http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        let req = builder
            .body(Full::new(Bytes::from(body.unwrap_or("").to_string())))
            .map_err(|e| ActionError::failed(format!("invalid request {method} {url}: {e}"), None))?;
        let response = client
            .request(req)
            .await
            .map_err(|e| ActionError::failed(format!("{method} {url}: {}", error_chain(&e)), None))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter(|(k, _)| !SECRET_HEADERS.contains(&k.as_str()))
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| ActionError::failed(format!("{method} {url}: reading the body: {e}"), None))?
            .to_bytes()
            .to_vec();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// A `Location` against the URL it came from.
fn resolve(base: &str, location: &str) -> Result<String, ActionError> {
    if location.starts_with("http://") || location.starts_with("https://") {
        return Ok(location.to_string());
    }
    let uri: http::Uri = base
        .parse()
        .map_err(|e| ActionError::failed(format!("invalid URL {base}: {e}"), None))?;
    let scheme = uri.scheme_str().unwrap_or("http");
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or("");
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    let path = uri.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    Ok(format!("{scheme}://{authority}{dir}{location}"))
}

/// `{status, headers, body, url}` plus `json` when the body is JSON.
/// Header names are lower case; repeated headers are joined with ", ".
pub fn output(url: &str, answer: &Answer) -> Value {
    let mut headers = Map::new();
    for (k, v) in &answer.headers {
        let k = k.to_ascii_lowercase();
        let joined = match headers.get(&k).and_then(Value::as_str) {
            Some(prev) => format!("{prev}, {v}"),
            None => v.clone(),
        };
        headers.insert(k, Value::String(joined));
    }
    let body = String::from_utf8_lossy(&answer.body).into_owned();
    let mut out = json!({ "url": url, "status": answer.status, "headers": headers, "body": body });
    if let Ok(parsed) = serde_json::from_str::<Value>(body.trim())
        && !body.trim().is_empty()
    {
        out["json"] = parsed;
    }
    out
}
