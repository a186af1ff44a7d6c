//! AWS SDK transports that record and replay, plugged in per service with
//! `aws_sdk_eks::config::Builder::from(&sdk_config).http_client(c)`, so
//! that credential traffic (SSO, STS for a profile) never goes through them.
//!
//! The default client: `SdkConfig::http_client()` is `None` unless one was
//! set explicitly; each SDK client otherwise builds the default itself from
//! `aws_smithy_runtime::client::defaults::default_http_client_plugin_v2`.
//! [`default_https_client`] takes it from that same plugin, so a recorded
//! run talks to AWS exactly like a live one (hyper 1, rustls with aws-lc,
//! proxy settings from the environment for current behavior versions).
//! Wiring: `sdk_config.http_client().or_else(default_https_client)` as the
//! inner client (honouring one set explicitly on the loader).
//!
//! The SDK calls a connector from the task that awaits the operation, so
//! the step's task-local id (`crate::ground::port::current_step()`) tags each
//! exchange; `Recorder::set_step` is the fallback.

use std::sync::Arc;
use std::time::Instant;

use aws_config::BehaviorVersion;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{RuntimeComponents, RuntimeComponentsBuilder};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use http_body_util::BodyExt;

use super::format::{HttpExchange, RecordedRequest, RecordedResponse};
use super::matcher::{Player, RequestKey, body_bytes, body_value, normalise_query};
use super::recorder::{Recorder, millis};
use crate::ground::clock::Clock;
use crate::ground::port::BoxFuture;
use crate::transport::clients::ServiceClients;
use crate::transport::{AwsConnection, AwsTransport};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The HTTPS client the SDK would use by default, or None when this build has none.
pub fn default_https_client() -> Option<SharedHttpClient> {
    let plugin =
        aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(BehaviorVersion::latest())?;
    plugin
        .runtime_components(&RuntimeComponentsBuilder::new("rehearse"))
        .http_client()
}

/// The method, path and normalised query of an SDK request.
fn request_parts(request: &HttpRequest) -> (String, String, Vec<String>) {
    let method = request.method().to_ascii_uppercase();
    match request.uri().parse::<http::Uri>() {
        Ok(uri) => (method, uri.path().to_string(), normalise_query(uri.query())),
        Err(_) => (method, request.uri().to_string(), Vec::new()),
    }
}

/// Records every exchange of one service while delegating to a real client.
#[derive(Clone, Debug)]
pub struct RecordingHttpClient {
    inner: SharedHttpClient,
    recorder: Recorder,
    service: &'static str,
    region: Option<String>,
}

impl RecordingHttpClient {
    pub fn new(inner: SharedHttpClient, recorder: Recorder, service: &'static str) -> RecordingHttpClient {
        RecordingHttpClient {
            inner,
            recorder,
            service,
            region: None,
        }
    }

    /// The client of calls that named a region with `--region`: their
    /// exchanges say so, and replay only for a call in that region.
    pub fn in_region(mut self, region: Option<&str>) -> RecordingHttpClient {
        self.region = region.map(str::to_string);
        self
    }

    pub fn into_shared(self) -> SharedHttpClient {
        SharedHttpClient::new(self)
    }
}

impl HttpClient for RecordingHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(RecordingConnector {
            inner: self.inner.http_connector(settings, components),
            recorder: self.recorder.clone(),
            service: self.service,
            region: self.region.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        runtime_components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_base_client_config(runtime_components, cfg)
    }

    fn validate_final_config(
        &self,
        runtime_components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_final_config(runtime_components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct RecordingConnector {
    inner: SharedHttpConnector,
    recorder: Recorder,
    service: &'static str,
    region: Option<String>,
}

impl HttpConnector for RecordingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let step = self.recorder.step();
        let (method, path, query) = request_parts(&request);
        // Headers are deliberately not looked at: they carry the signature,
        // the session token and per-attempt ids. A streaming body (uploads;
        // none of the recorded services use one) is recorded as absent.
        let body = request.body().bytes().and_then(body_value);
        let recorder = self.recorder.clone();
        let service = self.service;
        let region = self.region.clone();
        let started = Instant::now();
        let pending = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            let mut response: HttpResponse = pending.await?;
            let bytes = response
                .take_body()
                .collect()
                .await
                .map_err(ConnectorError::io)?
                .to_bytes();
            let content_type = response.headers().get("content-type").map(str::to_string);
            // REST-JSON services (EKS) name an error's type in a header; the
            // SDK needs it to tell a ResourceNotFoundException from others.
            let headers: std::collections::BTreeMap<String, String> = KEPT_HEADERS
                .iter()
                .filter_map(|h| response.headers().get(*h).map(|v| (h.to_string(), v.to_string())))
                .collect();
            recorder.record_http(HttpExchange {
                also_answers: Vec::new(),
                step,
                service: service.to_string(),
                request: RecordedRequest {
                    method,
                    path,
                    query,
                    body,
                    region,
                },
                response: RecordedResponse {
                    status: response.status().as_u16(),
                    content_type,
                    headers: (!headers.is_empty()).then_some(headers),
                    body: body_value(&bytes),
                    chunks: None,
                },
                duration_ms: millis(started.elapsed()),
            });
            *response.body_mut() = SdkBody::from(bytes);
            Ok(response)
        })
    }
}

/// The response headers kept besides the content type: the error type of
/// REST-JSON errors. Nothing secret or volatile (request ids, dates).
pub const KEPT_HEADERS: &[&str] = &["x-amzn-errortype"];

/// Answers one service's requests from a recording, with no network at all.
#[derive(Clone, Debug)]
pub struct ReplayHttpClient {
    player: Player,
    service: &'static str,
    clock: Clock,
    region: Option<String>,
}

impl ReplayHttpClient {
    pub fn new(player: Player, service: &'static str, clock: Clock) -> ReplayHttpClient {
        ReplayHttpClient {
            player,
            service,
            clock,
            region: None,
        }
    }

    /// The client of calls that named a region with `--region`.
    pub fn in_region(mut self, region: Option<&str>) -> ReplayHttpClient {
        self.region = region.map(str::to_string);
        self
    }

    pub fn into_shared(self) -> SharedHttpClient {
        SharedHttpClient::new(self)
    }
}

impl HttpClient for ReplayHttpClient {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for ReplayHttpClient {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (method, path, query) = request_parts(&request);
        let body = request.body().bytes().and_then(body_value);
        let key = RequestKey::new(self.service, &method, &path, query, body.as_ref())
            .in_region(self.region.as_deref());
        let answer = self
            .player
            .http(&key)
            .map_err(|e| ConnectorError::other(Box::new(e), None));
        let answer = answer.and_then(|exchange| {
            self.clock
                .advance(std::time::Duration::from_millis(exchange.duration_ms));
            replayed_response(&exchange.response)
        });
        HttpConnectorFuture::ready(answer)
    }
}

fn replayed_response(recorded: &RecordedResponse) -> Result<HttpResponse, ConnectorError> {
    let status = StatusCode::try_from(recorded.status).map_err(|e| ConnectorError::other(e.into(), None))?;
    let bytes = match &recorded.chunks {
        Some(chunks) => chunks
            .iter()
            .flat_map(|c| {
                let mut line = body_bytes(Some(c));
                line.push(b'\n');
                line
            })
            .collect(),
        None => body_bytes(recorded.body.as_ref()),
    };
    let length = bytes.len();
    let mut response = HttpResponse::new(status, SdkBody::from(bytes));
    if let Some(ct) = &recorded.content_type {
        response.headers_mut().insert("content-type", ct.clone());
    }
    for (name, value) in recorded.headers.iter().flatten() {
        if KEPT_HEADERS.contains(&name.as_str()) {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
        .headers_mut()
        .insert("content-length", length.to_string());
    Ok(response)
}

/// Live AWS, every exchange of every service recorded. Credential traffic
/// (SSO, STS for a profile) keeps its own client and is never recorded.
pub struct RecordAws {
    pub live: Arc<dyn AwsTransport>,
    pub recorder: Recorder,
}

impl AwsTransport for RecordAws {
    fn connect(&self) -> BoxFuture<'_, Result<AwsConnection, String>> {
        Box::pin(async move {
            let live = self.live.connect().await?;
            let inner: ServiceClients = match live.http {
                Some(clients) => clients,
                None => {
                    let client = live
                        .config
                        .http_client()
                        .or_else(default_https_client)
                        .ok_or("no HTTP client for AWS")?;
                    Arc::new(move |_, _| client.clone())
                }
            };
            let recorder = self.recorder.clone();
            Ok(AwsConnection {
                config: live.config,
                http: Some(Arc::new(move |service, region| {
                    RecordingHttpClient::new(inner(service, region), recorder.clone(), service)
                        .in_region(region)
                        .into_shared()
                })),
            })
        })
    }
}

/// AWS answered from the recording. It needs no credentials: requests are
/// signed with placeholders that never leave the process, in the region
/// they were recorded in.
pub struct ReplayAws {
    pub player: Player,
    pub clock: Clock,
}

impl AwsTransport for ReplayAws {
    fn connect(&self) -> BoxFuture<'_, Result<AwsConnection, String>> {
        let region = self
            .player
            .header()
            .region
            .unwrap_or_else(|| "us-east-1".to_string());
        let config = aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_config::Region::new(region))
            .credentials_provider(aws_sdk_eks::config::SharedCredentialsProvider::new(
                aws_sdk_eks::config::Credentials::new("replay", "replay", None, None, "rehearse-replay"),
            ))
            .build();
        let (player, clock) = (self.player.clone(), self.clock.clone());
        Box::pin(std::future::ready(Ok(AwsConnection {
            config,
            http: Some(Arc::new(move |service, region| {
                ReplayHttpClient::new(player.clone(), service, clock.clone())
                    .in_region(region)
                    .into_shared()
            })),
        })))
    }
}
