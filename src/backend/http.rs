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

use std::sync::{Arc, OnceLock};

use crate::action::HttpRequest;
use crate::ground::port::{ActionError, ActionResult, BoxFuture, error_chain};
use crate::transport::{HttpCall, HttpTransport};

pub use crate::transport::Answer;

/// The response headers a step's output keeps: those that describe the
/// answer. Any other header may carry a credential (`set-cookie`,
/// `x-api-token`, a session id), so it is dropped from the output and
/// reaches neither checks, reports nor recordings (docs/backends.md).
pub const KEPT_HEADERS: &[&str] = &[
    "access-control-allow-origin",
    "age",
    "allow",
    "cache-control",
    "content-encoding",
    "content-language",
    "content-length",
    "content-type",
    "date",
    "etag",
    "expires",
    "last-modified",
    "link",
    "location",
    "retry-after",
    "server",
    "vary",
    "via",
    "x-amz-request-id",
    "x-amzn-requestid",
    "x-request-id",
];

/// How many redirects are followed before giving up (curl's `-L` follows 50;
/// the workshop's checks need one or two).
pub const MAX_REDIRECTS: usize = 10;

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Sends the requests of `http` steps through a transport: live, recorded
/// or replayed, the backend cannot tell.
pub struct HttpBackend {
    transport: Arc<dyn HttpTransport>,
}

impl HttpBackend {
    /// Live requests.
    pub fn new() -> Result<HttpBackend, String> {
        Ok(HttpBackend::over(Arc::new(LiveHttp::ready()?)))
    }

    /// Requests through `transport` (a recording's wrapper of a live one,
    /// or its player).
    pub fn over(transport: Arc<dyn HttpTransport>) -> HttpBackend {
        HttpBackend { transport }
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
                _ => return Ok(output(&url, &answer).into()),
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
        let call = HttpCall {
            method,
            url,
            headers,
            body,
            max_body: None,
        };
        self.transport.send(call).await
    }

    /// A file's body (a manifest `kubectl apply -f URL` names): GET,
    /// redirects followed, a status other than 200 an error, a body longer
    /// than `max_body` refused, read no further.
    pub async fn download(&self, url: &str, max_body: usize) -> Result<Vec<u8>, ActionError> {
        let mut at = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            let call = HttpCall {
                method: "GET",
                url: &at,
                headers: &[],
                body: None,
                max_body: Some(max_body),
            };
            let answer = self.transport.send(call).await?;
            let location = answer.headers.iter().find(|(k, _)| k == "location");
            match location {
                Some((_, next)) if is_redirect(answer.status) => at = resolve(&at, next)?,
                _ if answer.status == 200 => return Ok(answer.body),
                _ => {
                    return Err(ActionError::failed(
                        format!(
                            "error: unable to read URL \"{url}\", server reported {}, status code={}",
                            reason(answer.status),
                            answer.status
                        ),
                        None,
                    ));
                }
            }
        }
        Err(ActionError::failed(
            format!("more than {MAX_REDIRECTS} redirects from {url}"),
            None,
        ))
    }
}

/// The network, over the system's trusted roots. The client is made on
/// first use: a workflow without `http` steps never loads the roots.
#[derive(Default)]
pub struct LiveHttp {
    client: OnceLock<Result<HttpsClient, String>>,
}

impl LiveHttp {
    /// A transport whose client is made now, so that a missing TLS set-up
    /// shows at once.
    pub fn ready() -> Result<LiveHttp, String> {
        let live = LiveHttp::default();
        live.client()?;
        Ok(live)
    }

    fn client(&self) -> Result<&HttpsClient, String> {
        self.client.get_or_init(client).as_ref().map_err(Clone::clone)
    }
}

impl HttpTransport for LiveHttp {
    fn send<'a>(&'a self, call: HttpCall<'a>) -> BoxFuture<'a, Result<Answer, ActionError>> {
        Box::pin(async move {
            let client = self.client().map_err(ActionError::runtime)?;
            send(client, call).await
        })
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

async fn send(client: &HttpsClient, call: HttpCall<'_>) -> Result<Answer, ActionError> {
    let HttpCall {
        method,
        url,
        headers,
        body,
        max_body,
    } = call;
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
            .filter(|(k, _)| KEPT_HEADERS.contains(&k.as_str()))
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body =
            match max_body {
                None => response.into_body().collect().await.map_err(|e| {
                    ActionError::failed(format!("{method} {url}: reading the body: {e}"), None)
                })?,
                Some(limit) => http_body_util::Limited::new(response.into_body(), limit)
                    .collect()
                    .await
                    .map_err(|e| {
                        let why = if e.is::<http_body_util::LengthLimitError>() {
                            format!("the body is longer than {limit} bytes")
                        } else {
                            e.to_string()
                        };
                        ActionError::failed(format!("{method} {url}: reading the body: {why}"), None)
                    })?,
            }
            .to_bytes()
            .to_vec();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// The reason phrase of a status, as kubectl's message shows it.
fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("an error")
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
