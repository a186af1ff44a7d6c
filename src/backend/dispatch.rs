//! The backend a run uses: routes each action to the shell, HTTP, AWS or
//! Kubernetes backend, over the transports the session chose for the
//! run's mode (live, recording, or answering from a recording). Nothing
//! here knows which.
//!
//! The AWS and Kubernetes backends are built on first use: a workflow of
//! `run` steps needs neither credentials nor a kubeconfig.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::action::aws::{self, kubeconfig::is_update_kubeconfig};
use crate::action::kubectl::{self, Verb};
use crate::action::{Action, Request};
use crate::backend::aws::{AwsBackend, kubeconfig};
use crate::backend::cli;
use crate::backend::http::HttpBackend;
use crate::backend::kube::KubeBackend;
use crate::backend::shell::ShellBackend;
use crate::ground::clock::Clock;
use crate::ground::port::{ActionError, ActionResult, Backend, BoxFuture, CURRENT_STEP, Mode};
use crate::transport::{AwsConnection, KubeSettings, KubeTransport, Transports};

type Lazy<T> = OnceCell<Result<Arc<T>, String>>;

/// The Kubernetes backends of the contexts lines name, by whether they are
/// `exec`'s and the context.
type ByContext = Mutex<HashMap<(bool, String), Arc<Lazy<KubeBackend>>>>;

pub struct Dispatcher {
    mode: Mode,
    /// The engine's: Kubernetes waits keep to it.
    clock: Clock,
    transports: Transports,
    kube_settings: KubeSettings,
    http: HttpBackend,
    aws: Lazy<AwsBackend>,
    kube: Lazy<KubeBackend>,
    /// `kubectl exec`'s, when it has a transport of its own.
    kube_exec: Lazy<KubeBackend>,
    /// The backends of the contexts lines name with `--context`: each
    /// built once.
    kube_contexts: ByContext,
}

impl Dispatcher {
    /// `mode` is what workflows see as `REHEARSE_MODE`; `transports` carry it out.
    pub fn new(mode: Mode, clock: Clock, transports: Transports, kube_settings: KubeSettings) -> Self {
        Dispatcher {
            mode,
            clock,
            http: HttpBackend::over(transports.http.clone()),
            transports,
            kube_settings,
            aws: OnceCell::new(),
            kube: OnceCell::new(),
            kube_exec: OnceCell::new(),
            kube_contexts: Mutex::default(),
        }
    }

    /// The AWS backend, built on first use.
    pub async fn aws(&self) -> Result<Arc<AwsBackend>, ActionError> {
        let built = self
            .aws
            .get_or_init(|| async {
                let connection = self.transports.aws.connect().await?;
                Ok(Arc::new(aws_backend(connection)))
            })
            .await;
        built.clone().map_err(ActionError::runtime)
    }

    /// The Kubernetes backend, built on first use.
    pub async fn kube(&self) -> Result<Arc<KubeBackend>, ActionError> {
        self.kube_backend(&self.kube, &*self.transports.kube, &self.kube_settings)
            .await
    }

    /// The Kubernetes backend of a line: of the context it names with
    /// `--context`, else the workflow's; `exec`'s over its own transport
    /// when it has one.
    async fn kube_for(
        &self,
        command: &kubectl::Command,
        exec: bool,
    ) -> Result<Arc<KubeBackend>, ActionError> {
        // `exec` has backends of its own only over a transport of its own.
        let exec = exec && self.transports.kube_exec.is_some();
        let (transport, own) = match (&self.transports.kube_exec, exec) {
            (Some(t), true) => (&**t, &self.kube_exec),
            _ => (&*self.transports.kube, &self.kube),
        };
        let context = match &command.context {
            Some(c) if self.kube_settings.context.as_ref() != Some(c) => c,
            // The workflow's context, named or not.
            _ => return self.kube_backend(own, transport, &self.kube_settings).await,
        };
        let cell = self
            .kube_contexts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((exec, context.clone()))
            .or_default()
            .clone();
        self.kube_backend(&cell, transport, &self.kube_settings.for_line(context))
            .await
    }

    /// The Kubernetes backend over `transport`, built into `cell` on first use.
    async fn kube_backend(
        &self,
        cell: &Lazy<KubeBackend>,
        transport: &dyn KubeTransport,
        settings: &KubeSettings,
    ) -> Result<Arc<KubeBackend>, ActionError> {
        let built = cell
            .get_or_init(|| async {
                let c = transport.connect(settings).await?;
                Ok(Arc::new(
                    KubeBackend::new(c.client, c.namespace, c.now)
                        .with_timer(self.clock.clone())
                        .with_http(HttpBackend::over(self.transports.http.clone()))
                        .with_server(c.server),
                ))
            })
            .await;
        built.clone().map_err(ActionError::runtime)
    }

    async fn run(&self, request: Request) -> ActionResult {
        // A replay whose recording holds this step's results answers the
        // attempt whole: no backend runs, no traffic is asked for.
        if let Some(answer) = self
            .transports
            .attempts
            .as_ref()
            .and_then(|a| a.answer(&request.step_id))
        {
            return answer;
        }
        match &request.action {
            Action::Run { script } => self.run_script(script, &request).await,
            Action::Aws { request: call, .. } if is_update_kubeconfig(call.operation) => {
                self.update_kubeconfig(call, &request).await
            }
            Action::Aws { request: call, .. } => self.aws().await?.run(call).await,
            Action::Http(http) => self.http.fetch(http).await,
            Action::Cli { command, .. } => self.run_cli(command, &request).await,
            Action::Kubectl { line, command } if matches!(command.verb, Verb::Exec(_)) => {
                self.exec(line, command, &request).await
            }
            Action::Kubectl { command, .. } => {
                let kube = self.kube_for(command, false).await?;
                self.transports.kube.enter_step(&request.step_id);
                kube.run(command, &request.dir, request.stdin.as_deref(), request.deadline)
                    .await
            }
        }
    }

    /// `eks update-kubeconfig`: DescribeCluster through the AWS transport,
    /// then the kubeconfig written through the process transport, so that
    /// a replay answers with the recorded result and touches no file.
    async fn update_kubeconfig(&self, call: &aws::Request, request: &Request) -> ActionResult {
        // The command prints its own text: `--query` and `--output` change
        // nothing, as in the CLI.
        let describe = aws::Request {
            query: None,
            output: None,
            ..call.clone()
        };
        let described = self.aws().await?.run(&describe).await?.json;
        let profile = kubeconfig::profile();
        let entries = crate::action::aws::kubeconfig::entries(&call.input, &described, profile.as_deref())
            .map_err(|m| ActionError::failed(m, Some(described.clone())))?;
        let key = kubeconfig::key(&call.input, &entries);
        let live = Box::pin(async { kubeconfig::apply(&entries, &call.input, &request.dir) });
        self.transports.processes.run(&request.step_id, &key, live).await
    }

    /// `kubectl exec` is kept whole, like a process: its traffic is a
    /// WebSocket stream, which cannot be replayed as requests and answers.
    async fn exec(&self, line: &str, command: &kubectl::Command, request: &Request) -> ActionResult {
        let key = format!("kubectl {line}");
        let live = Box::pin(async {
            let kube = self.kube_for(command, true).await?;
            kube.run(command, &request.dir, request.stdin.as_deref(), request.deadline)
                .await
        });
        self.transports.processes.run(&request.step_id, &key, live).await
    }

    /// A line run by the real `aws` or `kubectl`: a process like a `run`
    /// step's, recorded and replayed whole, known by its command line.
    async fn run_cli(&self, command: &crate::action::cli::Command, request: &Request) -> ActionResult {
        let argv = cli::argv(command, &self.kube_settings);
        let key = cli::key(&argv);
        let live = Box::pin(async { cli::execute(&argv, command, request).await });
        cli::json_first(self.transports.processes.run(&request.step_id, &key, live).await)
    }

    async fn run_script(&self, script: &str, request: &Request) -> ActionResult {
        // Cloned only when the script runs: a replay never starts it.
        let live = Box::pin(async { ShellBackend.execute(request.clone()).await });
        self.transports
            .processes
            .run(&request.step_id, script, live)
            .await
    }
}

impl Backend<Action> for Dispatcher {
    fn mode(&self) -> Mode {
        self.mode
    }

    fn execute(&self, request: Request) -> BoxFuture<'_, ActionResult> {
        let step = request.step_id.clone();
        Box::pin(CURRENT_STEP.scope(step, self.run(request)))
    }
}

/// The clients of a connection: each service over its own HTTP client
/// when the transport gives them, else the SDK's.
fn aws_backend(connection: AwsConnection) -> AwsBackend {
    match connection.http {
        Some(clients) => AwsBackend::with_transport(&connection.config, clients),
        None => AwsBackend::from_config(&connection.config, None),
    }
}
