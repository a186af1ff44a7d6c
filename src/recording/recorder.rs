//! Collecting exchanges during a recorded run.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::format::{Exchange, Header, HttpExchange, ProcessExchange, Recording};
use crate::action::process::process_output;
use crate::ground::port::{ActionResult, ErrorKind, Output};
use crate::ground::redact::{REDACTED, Secrets, is_secret_path, redact_secret_object};

/// Collects exchanges in the order they happen. Cheap to clone; clones
/// share one recording. Transports of several services and the process
/// runner can all hold one.
#[derive(Clone, Debug)]
pub struct Recorder {
    inner: Arc<Mutex<RecorderState>>,
}

#[derive(Debug)]
struct RecorderState {
    header: Header,
    exchanges: Vec<Exchange>,
    /// Values that must never reach the file (the credentials in use,
    /// secret variables and captures): shared with the engine.
    secrets: Secrets,
    /// The step set with [`Recorder::set_step`].
    step: String,
}

impl Recorder {
    /// Notes the default namespace of `kubectl` steps and their API
    /// server's URL in the header.
    pub fn set_cluster(&self, namespace: &str, server: &str) {
        let header = &mut self.state().header;
        header.namespace = Some(namespace.to_string());
        header.server = Some(server.to_string());
    }

    /// Notes the default namespace and the API server's URL of the
    /// kubeconfig context a line named with `--context`.
    pub fn set_context_cluster(&self, context: &str, namespace: &str, server: &str) {
        let header = &mut self.state().header;
        header
            .context_namespaces
            .insert(context.to_string(), namespace.to_string());
        header
            .context_servers
            .insert(context.to_string(), server.to_string());
    }

    pub fn new(header: Header) -> Recorder {
        Recorder {
            inner: Arc::new(Mutex::new(RecorderState {
                header,
                exchanges: Vec::new(),
                secrets: Secrets::new(),
                step: String::new(),
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, RecorderState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A string that must never reach the file (a secret key, a session
    /// token): every occurrence in a stored body or output becomes `REDACTED`.
    pub fn add_secret(&self, secret: impl Into<String>) {
        self.state().secrets.add(secret);
    }

    /// Shares a set of secrets (the engine's: secret variables and
    /// captures) instead of the recorder's own.
    pub fn share_secrets(&self, secrets: Secrets) {
        let mut st = self.state();
        // What was added so far is kept.
        st.secrets.copy_into(&secrets);
        st.secrets = secrets;
    }

    /// The secrets this recorder hides.
    pub fn secrets(&self) -> Secrets {
        self.state().secrets.clone()
    }

    /// Names the step whose requests follow, for transports that cannot
    /// see the step's task-local id: a kube `Client` runs its service stack
    /// (and so the recording layer) in a worker task of its own. The kube
    /// backend calls this before each step; `crate::ground::port::current_step()`
    /// wins when it is set.
    pub fn set_step(&self, step: impl Into<String>) {
        self.state().step = step.into();
    }

    /// The running step: the task-local id, else the one set with `set_step`.
    pub fn step(&self) -> String {
        let step = crate::ground::port::current_step();
        if step.is_empty() {
            self.state().step.clone()
        } else {
            step
        }
    }

    /// Appends a complete HTTP exchange; returns its index.
    pub fn record_http(&self, exchange: HttpExchange) -> usize {
        let mut st = self.state();
        st.exchanges.push(Exchange::Http(Box::new(exchange)));
        st.exchanges.len() - 1
    }

    /// Appends a streamed exchange whose chunks arrive later (a watch): it
    /// keeps its place in the order of requests.
    pub(crate) fn begin_stream(&self, mut exchange: HttpExchange) -> usize {
        exchange.response.body = None;
        exchange.response.chunks = Some(Vec::new());
        self.record_http(exchange)
    }

    pub(crate) fn push_chunk(&self, index: usize, chunk: Value) {
        if let Some(Exchange::Http(h)) = self.state().exchanges.get_mut(index) {
            h.response.chunks.get_or_insert_with(Vec::new).push(chunk);
        }
    }

    pub(crate) fn end_stream(&self, index: usize, duration: Duration) {
        if let Some(Exchange::Http(h)) = self.state().exchanges.get_mut(index) {
            h.duration_ms = millis(duration);
        }
    }

    /// Records a `run` step's command and what it returned.
    pub fn record_process(&self, step: &str, command: &str, result: &ActionResult, duration: Duration) {
        let (output, error, error_kind) = match result {
            Ok(v) => (Some(&v.json), None, None),
            Err(e) => (
                e.output.as_ref(),
                Some(e.message.clone()),
                (e.kind == ErrorKind::Runtime).then(|| "runtime".to_string()),
            ),
        };
        let text = |key: &str| {
            output
                .and_then(|o| o.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let int = |key: &str| {
            output
                .and_then(|o| o.get(key))
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
        };
        let mut exchange = ProcessExchange {
            step: step.to_string(),
            command: command.to_string(),
            stdout: text("stdout"),
            stderr: text("stderr"),
            exit_code: int("exit_code"),
            signal: int("signal"),
            error,
            error_kind,
            output: None,
            duration_ms: millis(duration),
        };
        // An output of its own (not a process's): kept whole, with the
        // text it printed as stdout.
        let made = process_output(
            exchange.stdout.as_bytes(),
            exchange.stderr.as_bytes(),
            exchange.exit_code,
            exchange.signal,
        );
        if let Some(own) = output.filter(|o| **o != made) {
            exchange.output = Some(Box::new(own.clone()));
            if let Ok(Output {
                stdout: Some(printed),
                ..
            }) = result
            {
                exchange.stdout = printed.clone();
            }
        }
        self.state().exchanges.push(Exchange::Process(exchange));
    }

    /// The recording so far, scrubbed of credentials (see `redact`).
    pub fn finish(&self) -> Recording {
        let st = self.state();
        let secrets = &st.secrets;
        let exchanges = st
            .exchanges
            .iter()
            .cloned()
            .map(|e| match e {
                Exchange::Http(mut h) => {
                    if let Some(b) = h.request.body.as_mut() {
                        if is_secret_path(&h.request.path) {
                            redact_secret_object(b);
                        }
                        secrets.body(b);
                    }
                    if let Some(b) = h.response.body.as_mut() {
                        secrets.body(b);
                    }
                    for c in h.response.chunks.iter_mut().flatten() {
                        secrets.body(c);
                    }
                    for value in h.response.headers.iter_mut().flat_map(|m| m.values_mut()) {
                        *value = secrets.text(value);
                    }
                    h.request.query = h.request.query.iter().map(|q| secrets.text(q)).collect();
                    Exchange::Http(h)
                }
                Exchange::Process(mut p) => {
                    p.command = secrets.text(&p.command);
                    p.stdout = secrets.text(&p.stdout);
                    p.stderr = secrets.text(&p.stderr);
                    p.error = p.error.map(|e| secrets.text(&e));
                    if let Some(output) = p.output.as_mut() {
                        secrets.body(output);
                    }
                    Exchange::Process(p)
                }
            })
            .collect();
        let mut header = st.header.clone();
        // A replay plans with the marker: the requests it sends then match
        // the recorded ones, which hold the marker too.
        for value in header.variables.values_mut() {
            if secrets.contains(value) {
                *value = REDACTED.to_string();
            }
        }
        Recording {
            header,
            steps: Default::default(),
            exchanges,
        }
    }
}

pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
