//! The transports of `http` steps that record and replay: one exchange per
//! hop, service `http`, the URL's scheme and host kept in the path (an
//! `http` step's host is part of what it asks).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::format::{HttpExchange, RecordedRequest, RecordedResponse};
use super::matcher::{Player, RequestKey, normalise_query};
use super::recorder::{Recorder, millis};
use crate::ground::clock::Clock;
use crate::ground::port::{ActionError, BoxFuture};
use crate::transport::{Answer, HttpCall, HttpTransport};

const SERVICE: &str = "http";

/// Sends through a live transport and records each exchange.
pub struct RecordHttp {
    pub live: Arc<dyn HttpTransport>,
    pub recorder: Recorder,
}

impl HttpTransport for RecordHttp {
    fn send<'a>(&'a self, call: HttpCall<'a>) -> BoxFuture<'a, Result<Answer, ActionError>> {
        Box::pin(async move {
            let start = Instant::now();
            let answer = self.live.send(call).await?;
            let step = self.recorder.step();
            self.recorder
                .record_http(exchange(step, call, &answer, start.elapsed()));
            Ok(answer)
        })
    }
}

/// Answers from the recording; no network.
pub struct ReplayHttp {
    pub player: Player,
    pub clock: Clock,
}

impl HttpTransport for ReplayHttp {
    fn send<'a>(&'a self, call: HttpCall<'a>) -> BoxFuture<'a, Result<Answer, ActionError>> {
        Box::pin(async move {
            let (path, query) = split_url(call.url);
            let key = RequestKey::new(SERVICE, call.method, &path, query, body_value(call.body).as_ref());
            let recorded = self.player.http(&key).map_err(ActionError::from)?;
            self.clock.advance(Duration::from_millis(recorded.duration_ms));
            Ok(answer_of(&recorded))
        })
    }
}

/// The URL without its query, and the query as sorted pairs.
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
    super::matcher::body_value(bytes)
        .unwrap_or_else(|| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn exchange(step: String, call: HttpCall<'_>, answer: &Answer, took: Duration) -> HttpExchange {
    let (path, query) = split_url(call.url);
    let content_type = answer
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    let mut headers = BTreeMap::new();
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
        also_answers: Vec::new(),
        step,
        service: SERVICE.into(),
        request: RecordedRequest {
            method: call.method.to_string(),
            path,
            query,
            body: body_value(call.body),
            region: None,
        },
        response: RecordedResponse {
            status: answer.status,
            content_type,
            headers: Some(headers),
            body: (!answer.body.is_empty()).then(|| recording_body(&answer.body)),
            chunks: None,
        },
        duration_ms: millis(took),
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
