//! The transports of AWS and Kubernetes steps: their SDK clients, made for
//! a mode. The SDK and kube-rs speak HTTP themselves; what a mode changes
//! is what carries it (the SDK's `HttpClient`, kube's tower service stack)
//! and where the configuration comes from.

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::ground::port::BoxFuture;

/// The HTTP client of each AWS service (`"eks"`, `"iam"`, `"sts"`), and of
/// the region a call named with `--region` (None: the configuration's):
/// recordings name the service of every exchange, and that region.
pub type ServiceClients = Arc<dyn Fn(&'static str, Option<&str>) -> SharedHttpClient + Send + Sync>;

/// What the AWS backend's clients are made from.
#[derive(Clone)]
pub struct AwsConnection {
    /// Region, credentials and endpoints.
    pub config: SdkConfig,
    /// None: the SDK's own client (credential providers always keep theirs).
    pub http: Option<ServiceClients>,
}

pub trait AwsTransport: Send + Sync {
    /// Called once, when the first AWS step runs: a workflow without one
    /// needs no credentials.
    fn connect(&self) -> BoxFuture<'_, Result<AwsConnection, String>>;
}

/// A workflow's `[kubernetes]` settings, or a line's `--context` with
/// the workflow's namespace.
#[derive(Clone, Debug, Default)]
pub struct KubeSettings {
    pub context: Option<String>,
    pub namespace: Option<String>,
    /// Whether `context` was named by a line's `--context` (not the
    /// workflow's): a recording notes that context's default namespace
    /// apart from the workflow's.
    pub from_line: bool,
}

impl KubeSettings {
    /// The settings of a line that names `context`: the workflow's
    /// namespace still applies unless the line gives `-n`, as it does when
    /// the line runs through the kubectl CLI.
    pub fn for_line(&self, context: &str) -> KubeSettings {
        KubeSettings {
            context: Some(context.to_string()),
            namespace: self.namespace.clone(),
            from_line: true,
        }
    }
}

/// The current time as RFC 3339 (the annotation of `rollout restart`),
/// injectable so that a replay sends what was recorded.
pub type WallClock = Arc<dyn Fn() -> String + Send + Sync>;

/// What the Kubernetes backend is made from.
#[derive(Clone)]
pub struct KubeConnection {
    pub client: kube::Client,
    /// Of steps that name none.
    pub namespace: String,
    /// The API server's URL, as the kubeconfig gives it (what
    /// `cluster-info` prints); None when a replay's recording has none.
    pub server: Option<String>,
    pub now: WallClock,
}

pub trait KubeTransport: Send + Sync {
    /// Called once, when the first `kubectl` step runs: a workflow without
    /// one needs no kubeconfig.
    fn connect<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<KubeConnection, String>>;

    /// The configuration a live client is made from (the kubeconfig, with
    /// the settings): a recording client is made from it too. An error
    /// where no cluster is reached (a replay).
    fn config<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<kube::Config, String>>;

    /// Names the step whose requests follow. kube-rs sends requests from a
    /// worker task of its own, where the step's task-local id is not
    /// visible; recording and replay transports need it.
    fn enter_step(&self, _step: &str) {}
}

/// The API server's URL as kubectl shows it, without a trailing `/`.
pub fn server_url(config: &kube::Config) -> String {
    config.cluster_url.to_string().trim_end_matches('/').to_string()
}

/// The real time, for live clients.
pub fn system_time() -> WallClock {
    Arc::new(|| humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string())
}
