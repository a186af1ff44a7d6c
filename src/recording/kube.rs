//! Kubernetes transports that record and replay.
//!
//! Recording is a tower layer added with `ClientBuilder::with_layer`: it sits
//! outside kube's base-URI and auth layers, so it sees path-only URIs and no
//! `Authorization` header. Replay is a `tower::service_fn` under
//! `kube::Client::new`: no kubeconfig, no connection.
//!
//! Watch responses (`?watch=true`) are streams of JSON lines: each line is
//! recorded as it passes through (so an endless watch that the caller
//! drops is still recorded up to that point), and replayed as a streamed
//! body of the same lines, which then ends.
//!
//! Steps: `kube::Client` runs its whole service stack in a `tower::Buffer`
//! worker task, so the step's task-local id is not visible to the layer or
//! to the replay service. The dispatcher names the step before each step's
//! requests through the transport (`KubeTransport::enter_step`), which
//! calls `Recorder::set_step` or `Player::set_step` (replay, for messages).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::FutureExt;
use http::{Request, Response};
use http_body::{Body as HttpBody, Frame};
use http_body_util::{BodyExt, Full, StreamBody};
use kube::client::{Body, ClientBuilder, DynBody};
use tower::{BoxError, Layer, Service};

use super::format::{HttpExchange, RecordedRequest, RecordedResponse};
use super::matcher::{NoMatch, Player, RequestKey, body_bytes, body_value, normalise_query};
use super::recorder::{Recorder, millis};
use crate::ground::clock::Clock;
use crate::ground::port::BoxFuture;
use crate::transport::clients::{server_url, system_time};
use crate::transport::{KubeConnection, KubeSettings, KubeTransport};

const SERVICE: &str = "kubernetes";

/// A kube client that talks to the cluster in `config` and records every exchange.
pub fn recording_client(config: kube::Config, recorder: Recorder) -> Result<kube::Client, String> {
    let builder =
        ClientBuilder::try_from(config).map_err(|e| format!("cannot build a Kubernetes client: {e}"))?;
    Ok(builder.with_layer(&RecordLayer { recorder }).build())
}

/// A kube client answered from the recording. Must be created inside a Tokio runtime.
pub fn replay_client(player: Player, namespace: &str, clock: Clock) -> kube::Client {
    let service = tower::service_fn(move |request: Request<Body>| {
        let player = player.clone();
        let clock = clock.clone();
        async move { replay(&player, &clock, request).await }
    });
    kube::Client::new(service, namespace)
}

type ReplayBody = http_body_util::combinators::BoxBody<Bytes, BoxError>;

async fn replay(
    player: &Player,
    clock: &Clock,
    request: Request<Body>,
) -> Result<Response<ReplayBody>, BoxError> {
    let (parts, body) = request.into_parts();
    let bytes = body.collect_bytes().await?;
    let key = RequestKey::new(
        SERVICE,
        parts.method.as_str(),
        parts.uri.path(),
        normalise_query(parts.uri.query()),
        body_value(&bytes).as_ref(),
    );
    let (exchange, last_watch) = player.http_watch(&key)?;
    clock.advance(Duration::from_millis(exchange.duration_ms));
    let recorded = exchange.response;
    let mut response = Response::builder().status(recorded.status);
    if let Some(ct) = &recorded.content_type {
        response = response.header(http::header::CONTENT_TYPE, ct);
    }
    let body: ReplayBody = match recorded.chunks {
        Some(chunks) => {
            let frames = chunks.into_iter().map(|c| {
                let mut line = body_bytes(Some(&c));
                line.push(b'\n');
                Ok::<_, BoxError>(Frame::data(Bytes::from(line)))
            });
            // After the step's last recorded watch, the recorded run saw
            // nothing else before its wait ended: the stream says so
            // instead of ending as if the server had closed it (which
            // would make the watcher list again, a request that was never
            // made).
            let end = last_watch.then(|| {
                Err::<Frame<Bytes>, BoxError>(Box::new(NoMatch {
                    message: format!(
                        "the recording's watch for {} ends here (step `{}`): the recorded run watched no further",
                        key.describe(),
                        exchange.step
                    ),
                    watch_exhausted: true,
                }))
            });
            StreamBody::new(futures::stream::iter(frames.chain(end))).boxed()
        }
        None => Full::new(Bytes::from(body_bytes(recorded.body.as_ref())))
            .map_err(|never| match never {})
            .boxed(),
    };
    Ok(response.body(body)?)
}

/// The layer that records; see [`recording_client`].
#[derive(Clone, Debug)]
pub struct RecordLayer {
    pub recorder: Recorder,
}

impl<S> Layer<S> for RecordLayer {
    type Service = RecordService<S>;

    fn layer(&self, inner: S) -> RecordService<S> {
        RecordService {
            inner,
            recorder: self.recorder.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct RecordService<S> {
    inner: S,
    recorder: Recorder,
}

impl<S> Service<Request<Body>> for RecordService<S>
where
    S: Service<Request<Body>, Response = Response<Box<DynBody>>, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response<Box<DynBody>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let step = self.recorder.step();
        // kube's request bodies are in memory: read a copy now, so the
        // request goes to the inner service in this call (the default
        // stack's service cannot be cloned into the future). A streaming
        // body is passed on untouched and recorded as absent.
        let request_body = request
            .body()
            .try_clone()
            .and_then(|b| b.collect_bytes().now_or_never())
            .and_then(Result::ok)
            .and_then(|b| body_value(&b));
        let method = request.method().as_str().to_string();
        let path = request.uri().path().to_string();
        let query = normalise_query(request.uri().query());
        let watch = query.iter().any(|q| q == "watch=true" || q == "watch=1");
        let recorder = self.recorder.clone();
        let started = Instant::now();
        let pending = self.inner.call(request);
        Box::pin(async move {
            let response = pending.await?;
            let (parts, body) = response.into_parts();
            let content_type = parts
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let mut exchange = HttpExchange {
                also_answers: Vec::new(),
                step,
                service: SERVICE.to_string(),
                request: RecordedRequest {
                    method,
                    path,
                    query,
                    body: request_body,
                    region: None,
                },
                response: RecordedResponse {
                    status: parts.status.as_u16(),
                    content_type,
                    headers: None,
                    body: None,
                    chunks: None,
                },
                duration_ms: 0,
            };
            if watch && parts.status.is_success() {
                let index = recorder.begin_stream(exchange);
                let tee = TeeBody {
                    inner: body,
                    pending: Vec::new(),
                    recorder,
                    index,
                    started,
                    done: false,
                };
                return Ok(Response::from_parts(parts, Box::new(tee) as Box<DynBody>));
            }
            let bytes = body.collect().await?.to_bytes();
            exchange.response.body = body_value(&bytes);
            exchange.duration_ms = millis(started.elapsed());
            recorder.record_http(exchange);
            let full = Full::new(bytes).map_err(|never| -> BoxError { match never {} });
            Ok(Response::from_parts(parts, Box::new(full) as Box<DynBody>))
        })
    }
}

/// Passes a watch stream through, recording each complete line as it goes.
struct TeeBody {
    inner: Box<DynBody>,
    pending: Vec<u8>,
    recorder: Recorder,
    index: usize,
    started: Instant,
    done: bool,
}

impl TeeBody {
    fn take_lines(&mut self) {
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.push(&line[..line.len() - 1]);
        }
    }

    fn push(&self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(value) = body_value(line) {
            self.recorder.push_chunk(self.index, value);
        }
    }

    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            let rest = std::mem::take(&mut self.pending);
            self.push(&rest);
            self.recorder.end_stream(self.index, self.started.elapsed());
        }
    }
}

impl HttpBody for TeeBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.pending.extend_from_slice(data);
                    this.take_lines();
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                this.finish();
                Poll::Ready(None)
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for TeeBody {
    fn drop(&mut self) {
        // The caller stopped watching: keep what it saw.
        self.finish();
    }
}

/// The live cluster, every exchange recorded.
pub struct RecordKube {
    pub live: Arc<dyn KubeTransport>,
    pub recorder: Recorder,
}

impl KubeTransport for RecordKube {
    fn connect<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<KubeConnection, String>> {
        Box::pin(async move {
            let config = self.live.config(settings).await?;
            let namespace = config.default_namespace.clone();
            let server = server_url(&config);
            match (&settings.context, settings.from_line) {
                (Some(context), true) => self.recorder.set_context_cluster(context, &namespace, &server),
                _ => self.recorder.set_cluster(&namespace, &server),
            }
            let client = recording_client(config, self.recorder.clone())?;
            Ok(KubeConnection {
                client,
                namespace,
                server: Some(server),
                now: system_time(),
            })
        })
    }

    fn config<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<kube::Config, String>> {
        self.live.config(settings)
    }

    fn enter_step(&self, step: &str) {
        self.recorder.set_step(step);
    }
}

/// The cluster answered from the recording: no kubeconfig, no connection.
pub struct ReplayKube {
    pub player: Player,
    pub clock: Clock,
}

impl KubeTransport for ReplayKube {
    fn connect<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<KubeConnection, String>> {
        Box::pin(async move {
            let header = self.player.header();
            let (recorded, server) = match (&settings.context, settings.from_line) {
                (Some(context), true) => (
                    header.context_namespaces.get(context).cloned(),
                    header.context_servers.get(context).cloned(),
                ),
                _ => (header.namespace, header.server),
            };
            let namespace = settings
                .namespace
                .clone()
                .or(recorded)
                .unwrap_or_else(|| "default".to_string());
            let client = replay_client(self.player.clone(), &namespace, self.clock.clone());
            // The restart annotation's time is not matched on replay; the
            // recording's own time keeps the replayed request plausible.
            let recorded_at = header.recorded_at;
            Ok(KubeConnection {
                client,
                namespace,
                server,
                now: Arc::new(move || recorded_at.clone()),
            })
        })
    }

    fn config<'a>(&'a self, _: &'a KubeSettings) -> BoxFuture<'a, Result<kube::Config, String>> {
        Box::pin(std::future::ready(Err("a replay reaches no cluster".to_string())))
    }

    fn enter_step(&self, step: &str) {
        self.player.set_step(step);
    }
}
