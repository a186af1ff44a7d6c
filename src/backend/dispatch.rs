//! The backend a run uses: routes each action to the shell, AWS or
//! Kubernetes backend, in one of three modes.
//!
//! - live: the real shell, AWS (aws-config credentials) and kubeconfig;
//! - record: live, with every HTTP exchange and process result written to
//!   the workflow's recording;
//! - replay: the recording only; no network, no credentials, no real time.
//!
//! The AWS and Kubernetes backends are built on first use: a workflow of
//! `run` steps needs neither credentials nor a kubeconfig.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::OnceCell;

use crate::backend::aws::AwsBackend;
use crate::backend::kube::KubeBackend;
use crate::backend::shell::ShellBackend;
use crate::backend::{
    ActionError, ActionRequest, ActionResult, Backend, BoxFuture, CURRENT_STEP, ResolvedAction,
};
use crate::engine::clock::Clock;
use crate::recording::{Player, Recorder};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Live,
    Record,
    Replay,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Record => "record",
            Mode::Replay => "replay",
        }
    }
}

/// Where the traffic goes, per mode.
#[derive(Clone)]
pub enum Traffic {
    Live,
    Record(Recorder),
    Replay(Player),
}

/// The Kubernetes settings of a workflow (`[kubernetes]`).
#[derive(Clone, Debug, Default)]
pub struct KubeSettings {
    pub context: Option<String>,
    pub namespace: Option<String>,
}

pub struct Dispatcher {
    traffic: Traffic,
    clock: Clock,
    kube_settings: KubeSettings,
    /// The region replayed requests were recorded in.
    replay_region: Option<String>,
    aws: OnceCell<Result<Arc<AwsBackend>, String>>,
    kube: OnceCell<Result<Arc<KubeBackend>, String>>,
}

impl Dispatcher {
    pub fn new(traffic: Traffic, clock: Clock, kube_settings: KubeSettings, replay_region: Option<String>) -> Self {
        Dispatcher {
            traffic,
            clock,
            kube_settings,
            replay_region,
            aws: OnceCell::new(),
            kube: OnceCell::new(),
        }
    }

    pub fn mode_of(&self) -> Mode {
        match self.traffic {
            Traffic::Live => Mode::Live,
            Traffic::Record(_) => Mode::Record,
            Traffic::Replay(_) => Mode::Replay,
        }
    }

    /// The AWS backend, built on first use.
    pub async fn aws(&self) -> Result<Arc<AwsBackend>, ActionError> {
        let built = self
            .aws
            .get_or_init(|| async {
                aws_backend(&self.traffic, &self.clock, self.replay_region.as_deref())
                    .await
                    .map(Arc::new)
            })
            .await;
        built.clone().map_err(ActionError::runtime)
    }

    /// The Kubernetes backend, built on first use.
    pub async fn kube(&self) -> Result<Arc<KubeBackend>, ActionError> {
        let built = self
            .kube
            .get_or_init(|| async {
                kube_backend(&self.traffic, &self.clock, &self.kube_settings)
                    .await
                    .map(Arc::new)
            })
            .await;
        built.clone().map_err(ActionError::runtime)
    }

    async fn run(&self, request: ActionRequest) -> ActionResult {
        match &request.action {
            ResolvedAction::Run { script } => self.run_script(script, &request).await,
            ResolvedAction::Aws { command } => self.aws().await?.run(command).await,
            ResolvedAction::Http(http) => self.http(http).await,
            ResolvedAction::Kubectl { command } => {
                self.kube()
                    .await?
                    .run(command, &request.dir, request.stdin.as_deref(), request.deadline)
                    .await
            }
        }
    }

    async fn run_script(&self, script: &str, request: &ActionRequest) -> ActionResult {
        match &self.traffic {
            Traffic::Live => ShellBackend.execute(request.clone()).await,
            Traffic::Record(recorder) => {
                let start = Instant::now();
                let result = ShellBackend.execute(request.clone()).await;
                recorder.record_process(&request.step_id, script, &result, start.elapsed());
                result
            }
            Traffic::Replay(player) => {
                let (result, took) = player
                    .process(&request.step_id, script)
                    .map_err(|e| ActionError::runtime(e.to_string()))?;
                self.clock.advance(took);
                result
            }
        }
    }
}

impl Backend for Dispatcher {
    fn mode(&self) -> &'static str {
        self.mode_of().name()
    }

    fn execute(&self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let step = request.step_id.clone();
        Box::pin(CURRENT_STEP.scope(step, self.run(request)))
    }
}

/// The AWS backend for a mode. Live and record read credentials, region and
/// endpoint as the AWS CLI does; record wraps each service's HTTP client;
/// replay needs no credentials: it signs with placeholders that never leave
/// the process.
async fn aws_backend(traffic: &Traffic, clock: &Clock, replay_region: Option<&str>) -> Result<AwsBackend, String> {
    use crate::recording::aws::{RecordingHttpClient, ReplayHttpClient};
    match traffic {
        Traffic::Live => Ok(AwsBackend::from_config(&AwsBackend::load_config().await, None)),
        Traffic::Record(recorder) => {
            let conf = AwsBackend::load_config().await;
            let inner = conf
                .http_client()
                .or_else(crate::recording::aws::default_https_client)
                .ok_or("no HTTP client for AWS")?;
            let http = RecordingHttpClient::new(inner, recorder.clone(), "aws").into_shared();
            Ok(AwsBackend::from_config(&conf, Some(http)))
        }
        Traffic::Replay(player) => {
            let region = replay_region.unwrap_or("us-east-1").to_string();
            let conf = aws_config::SdkConfig::builder()
                .behavior_version(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new(region))
                .credentials_provider(aws_sdk_eks::config::SharedCredentialsProvider::new(
                    aws_sdk_eks::config::Credentials::new("replay", "replay", None, None, "rehearse-replay"),
                ))
                .build();
            let http = ReplayHttpClient::new(player.clone(), "aws", clock.clone()).into_shared();
            Ok(AwsBackend::from_config(&conf, Some(http)))
        }
    }
}

/// The Kubernetes backend for a mode: kubeconfig (with the workflow's
/// context and namespace) live and when recording; the recording in replay.
async fn kube_backend(traffic: &Traffic, clock: &Clock, settings: &KubeSettings) -> Result<KubeBackend, String> {
    let now: Arc<dyn Fn() -> String + Send + Sync> = match traffic {
        Traffic::Replay(_) => {
            let clock = clock.clone();
            Arc::new(move || clock.wall_time())
        }
        _ => Arc::new(|| humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()),
    };
    match traffic {
        Traffic::Live | Traffic::Record(_) => {
            let config = KubeBackend::load_config(settings.context.as_deref(), settings.namespace.as_deref()).await?;
            let namespace = config.default_namespace.clone();
            let client = match traffic {
                Traffic::Record(recorder) => crate::recording::kube::recording_client(config, recorder.clone())?,
                _ => kube::Client::try_from(config).map_err(|e| format!("cannot reach the cluster: {e}"))?,
            };
            Ok(KubeBackend::new(client, namespace, now))
        }
        Traffic::Replay(player) => {
            let namespace = settings.namespace.clone().unwrap_or_else(|| "default".to_string());
            let client = crate::recording::kube::replay_client(player.clone(), &namespace, clock.clone());
            Ok(KubeBackend::new(client, namespace, now))
        }
    }
}
