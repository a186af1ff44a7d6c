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

use crate::action::kubectl::{self, Verb};
use crate::action::{Action, HttpRequest, Request};
use crate::backend::aws::AwsBackend;
use crate::backend::http::HttpBackend;
use crate::backend::kube::KubeBackend;
use crate::backend::shell::ShellBackend;
use crate::ground::clock::Clock;
use crate::ground::port::{ActionError, ActionResult, Backend, BoxFuture, CURRENT_STEP, Mode};
use crate::recording::{Player, Recorder};

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

impl KubeSettings {
    /// The settings a workflow's `[kubernetes]` table gives.
    pub fn of(workflow: &crate::format::ast::Workflow) -> KubeSettings {
        KubeSettings {
            context: workflow.kubernetes.context.as_ref().map(|n| n.value.clone()),
            namespace: workflow.kubernetes.namespace.as_ref().map(|n| n.value.clone()),
        }
    }
}

pub struct Dispatcher {
    traffic: Traffic,
    clock: Clock,
    kube_settings: KubeSettings,
    /// The region replayed requests were recorded in.
    replay_region: Option<String>,
    aws: OnceCell<Result<Arc<AwsBackend>, String>>,
    http: OnceCell<Result<Arc<HttpBackend>, String>>,
    kube: OnceCell<Result<Arc<KubeBackend>, String>>,
    /// A Kubernetes backend that records nothing, for `exec` when recording.
    kube_exec: OnceCell<Result<Arc<KubeBackend>, String>>,
}

impl Dispatcher {
    pub fn new(
        traffic: Traffic,
        clock: Clock,
        kube_settings: KubeSettings,
        replay_region: Option<String>,
    ) -> Self {
        Dispatcher {
            traffic,
            clock,
            kube_settings,
            replay_region,
            aws: OnceCell::new(),
            http: OnceCell::new(),
            kube: OnceCell::new(),
            kube_exec: OnceCell::new(),
        }
    }

    /// After a replay: the recorded exchanges no request asked for, by
    /// step (the workflow took another path than the recording, or steps
    /// were skipped). Empty in other modes.
    pub fn unused_exchanges(&self) -> Vec<String> {
        match &self.traffic {
            Traffic::Replay(player) => player.unused().iter().map(|e| e.step().to_string()).collect(),
            _ => Vec::new(),
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

    /// The HTTP backend of `http` steps, built on first use.
    async fn http(&self, request: &HttpRequest) -> ActionResult {
        let built = self
            .http
            .get_or_init(|| async {
                match &self.traffic {
                    Traffic::Live => HttpBackend::new(),
                    Traffic::Record(recorder) => HttpBackend::recording(recorder.clone()),
                    Traffic::Replay(player) => Ok(HttpBackend::replay(player.clone(), self.clock.clone())),
                }
                .map(Arc::new)
            })
            .await;
        built.clone().map_err(ActionError::runtime)?.fetch(request).await
    }

    async fn run(&self, request: Request) -> ActionResult {
        match &request.action {
            Action::Run { script } => self.run_script(script, &request).await,
            Action::Aws { request: call, .. } => self.aws().await?.run(call).await,
            Action::Http(http) => self.http(http).await,
            Action::Kubectl { line, command } if matches!(command.verb, Verb::Exec(_)) => {
                self.exec(line, command, &request).await
            }
            Action::Kubectl { command, .. } => {
                let kube = self.kube().await?;
                // kube-rs sends requests from a worker task of its own, where
                // the step's task-local id is not visible: say it here.
                match &self.traffic {
                    Traffic::Record(recorder) => recorder.set_step(request.step_id.clone()),
                    Traffic::Replay(player) => player.set_step(request.step_id.clone()),
                    Traffic::Live => {}
                }
                kube.run(command, &request.dir, request.stdin.as_deref(), request.deadline)
                    .await
            }
        }
    }

    /// `kubectl exec` is recorded as its result, like a process: its
    /// traffic is a WebSocket stream, which cannot be replayed as requests
    /// and answers. When recording, it runs over a client of its own that
    /// records nothing.
    async fn exec(&self, line: &str, command: &kubectl::Command, request: &Request) -> ActionResult {
        let key = format!("kubectl {line}");
        self.as_process(&request.step_id, &key, || async {
            let kube = match &self.traffic {
                Traffic::Record(_) => self
                    .kube_exec
                    .get_or_init(|| async {
                        kube_backend(&Traffic::Live, &self.clock, &self.kube_settings)
                            .await
                            .map(Arc::new)
                    })
                    .await
                    .clone()
                    .map_err(ActionError::runtime)?,
                _ => self.kube().await?,
            };
            kube.run(command, &request.dir, request.stdin.as_deref(), request.deadline)
                .await
        })
        .await
    }

    async fn run_script(&self, script: &str, request: &Request) -> ActionResult {
        self.as_process(&request.step_id, script, || ShellBackend.execute(request.clone()))
            .await
    }

    /// An action whose result is recorded whole, keyed by its step and
    /// `key`: `live` runs it (live and when recording); a replay answers
    /// from the recording and moves the clock by the recorded duration.
    async fn as_process<F, Fut>(&self, step: &str, key: &str, live: F) -> ActionResult
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ActionResult>,
    {
        match &self.traffic {
            Traffic::Live => live().await,
            Traffic::Record(recorder) => {
                let start = Instant::now();
                let result = live().await;
                recorder.record_process(step, key, &result, start.elapsed());
                result
            }
            Traffic::Replay(player) => {
                let (result, took) = player
                    .process(step, key)
                    .map_err(|e| ActionError::runtime(e.to_string()))?;
                self.clock.advance(took);
                result
            }
        }
    }
}

impl Backend<Action> for Dispatcher {
    fn mode(&self) -> Mode {
        self.mode_of()
    }

    fn execute(&self, request: Request) -> BoxFuture<'_, ActionResult> {
        let step = request.step_id.clone();
        Box::pin(CURRENT_STEP.scope(step, self.run(request)))
    }
}

/// The AWS backend for a mode. Live and record read credentials, region and
/// endpoint as the AWS CLI does; record wraps each service's HTTP client;
/// replay needs no credentials: it signs with placeholders that never leave
/// the process.
async fn aws_backend(
    traffic: &Traffic,
    clock: &Clock,
    replay_region: Option<&str>,
) -> Result<AwsBackend, String> {
    use crate::recording::aws::{RecordingHttpClient, ReplayHttpClient};
    match traffic {
        Traffic::Live => Ok(AwsBackend::from_config(
            &crate::backend::aws::load_config().await,
            None,
        )),
        Traffic::Record(recorder) => {
            let conf = crate::backend::aws::load_config().await;
            let inner = conf
                .http_client()
                .or_else(crate::recording::aws::default_https_client)
                .ok_or("no HTTP client for AWS")?;
            Ok(AwsBackend::with_transport(&conf, |service| {
                RecordingHttpClient::new(inner.clone(), recorder.clone(), service).into_shared()
            }))
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
            Ok(AwsBackend::with_transport(&conf, |service| {
                ReplayHttpClient::new(player.clone(), service, clock.clone()).into_shared()
            }))
        }
    }
}

/// The Kubernetes backend for a mode: kubeconfig (with the workflow's
/// context and namespace) live and when recording; the recording in replay.
async fn kube_backend(
    traffic: &Traffic,
    clock: &Clock,
    settings: &KubeSettings,
) -> Result<KubeBackend, String> {
    match traffic {
        Traffic::Live | Traffic::Record(_) => {
            let config =
                crate::backend::kube::load_config(settings.context.as_deref(), settings.namespace.as_deref())
                    .await?;
            let namespace = config.default_namespace.clone();
            let client = match traffic {
                Traffic::Record(recorder) => {
                    recorder.set_namespace(&namespace);
                    crate::recording::kube::recording_client(config, recorder.clone())?
                }
                _ => kube::Client::try_from(config).map_err(|e| format!("cannot reach the cluster: {e}"))?,
            };
            let now: crate::backend::kube::Clock =
                Arc::new(|| humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string());
            Ok(KubeBackend::new(client, namespace, now).with_timer(clock.clone()))
        }
        Traffic::Replay(player) => {
            let namespace = settings
                .namespace
                .clone()
                .or_else(|| player.header().namespace)
                .unwrap_or_else(|| "default".to_string());
            let client = crate::recording::kube::replay_client(player.clone(), &namespace, clock.clone());
            // The restart annotation's time is not matched on replay; the
            // recording's own time keeps the replayed request plausible.
            let recorded_at = player.header().recorded_at;
            let now: crate::backend::kube::Clock = Arc::new(move || recorded_at.clone());
            Ok(KubeBackend::new(client, namespace, now).with_timer(clock.clone()))
        }
    }
}
