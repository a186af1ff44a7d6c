//! AWS steps: `<service> <operation> --flags…`, the tutorial's command
//! without the leading `aws`, run natively through the SDK with the output
//! the AWS CLI v2 prints (so `--query` expressions copied from a tutorial
//! work unchanged).
//!
//! The operations themselves (members, flags, SDK calls, output shapes)
//! are defined once, in `crate::action::aws::ops`; this backend builds the
//! SDK clients for its transport, fills in idempotency tokens, follows the
//! CLI's paging and applies `--query`.

pub mod kubeconfig;
mod paging;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use serde_json::{Map, Value};

use crate::action::aws::Request;
use crate::action::aws::ops::Clients;
use crate::action::aws::spec::Operation;
use crate::action::line;
use crate::ground::hash::{FNV_OFFSET, fnv1a};
use crate::ground::port::{ActionError, ActionResult, Output, current_step};
use crate::transport::clients::ServiceClients;

/// The three services' clients of a configuration, in `region` when a call
/// named one.
fn clients(conf: &SdkConfig, http: Option<&ServiceClients>, region: Option<&str>) -> Clients {
    let mut eks = aws_sdk_eks::config::Builder::from(conf);
    let mut iam = aws_sdk_iam::config::Builder::from(conf);
    let mut sts = aws_sdk_sts::config::Builder::from(conf);
    if let Some(http) = http {
        eks = eks.http_client(http("eks", region));
        iam = iam.http_client(http("iam", region));
        sts = sts.http_client(http("sts", region));
    }
    if let Some(region) = region {
        let region = aws_config::Region::new(region.to_string());
        eks = eks.region(region.clone());
        iam = iam.region(region.clone());
        sts = sts.region(region);
    }
    Clients {
        eks: aws_sdk_eks::Client::from_conf(eks.build()),
        iam: aws_sdk_iam::Client::from_conf(iam.build()),
        sts: aws_sdk_sts::Client::from_conf(sts.build()),
    }
}

/// The member that carries EKS idempotency tokens (in the JSON body of
/// create-addon, update-addon, create-pod-identity-association and
/// update-nodegroup-config).
pub const IDEMPOTENCY_MEMBER: &str = "clientRequestToken";

pub struct AwsBackend {
    clients: Clients,
    /// What more clients are made from: those of a region named with
    /// `--region`.
    conf: SdkConfig,
    http: Option<ServiceClients>,
    /// The clients of each region named with `--region`, made on first use.
    regional: Mutex<HashMap<String, Clients>>,
    token_seed: String,
    /// How many times each token input was used (a retried step gets a new
    /// token).
    token_uses: Mutex<HashMap<u64, u32>>,
}

/// The shared configuration from the environment, as the AWS CLI reads it:
/// `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL[_<SERVICE>]`, credentials.
pub async fn load_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

impl AwsBackend {
    /// The clients of one configuration. `http`, when given, carries every
    /// request of the three services (credential providers keep their own
    /// transport).
    pub fn from_config(conf: &SdkConfig, http: Option<SharedHttpClient>) -> AwsBackend {
        match http {
            Some(http) => AwsBackend::with_transport(conf, Arc::new(move |_, _| http.clone())),
            None => AwsBackend::build(conf, None),
        }
    }

    /// The clients of one configuration, each service's requests carried by
    /// the HTTP client `http(service, region)` gives (`"eks"`, `"iam"`,
    /// `"sts"`; the region of a call that named one): recordings name the
    /// service of every exchange, and such a region.
    pub fn with_transport(conf: &SdkConfig, http: ServiceClients) -> AwsBackend {
        AwsBackend::build(conf, Some(http))
    }

    fn build(conf: &SdkConfig, http: Option<ServiceClients>) -> AwsBackend {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        AwsBackend {
            clients: clients(conf, http.as_ref(), None),
            conf: conf.clone(),
            http,
            regional: Mutex::new(HashMap::new()),
            token_seed: format!("{}-{}", now.as_nanos(), std::process::id()),
            token_uses: Mutex::new(HashMap::new()),
        }
    }

    /// The clients of a call: the configuration's, or those of the region
    /// it named.
    fn clients_for(&self, region: Option<&str>) -> Clients {
        let Some(region) = region else {
            return self.clients.clone();
        };
        let mut regional = self.regional.lock().unwrap_or_else(|e| e.into_inner());
        regional
            .entry(region.to_string())
            .or_insert_with(|| clients(&self.conf, self.http.as_ref(), Some(region)))
            .clone()
    }

    /// Makes EKS idempotency tokens a function of this seed, the step id,
    /// the operation, its input and how often that input was sent before:
    /// a recording made with a seed replays with the same seed. Without it
    /// the seed is different on every run, so a live run never reuses the
    /// token of an earlier one (EKS would answer with the earlier result).
    pub fn with_token_seed(mut self, seed: impl Into<String>) -> AwsBackend {
        self.token_seed = seed.into();
        self
    }

    /// Runs one call and returns what the AWS CLI v2 prints as JSON (`{}`
    /// where it prints nothing), `--query` applied, with the text the CLI
    /// prints for it in the line's `--output` format (JSON by default).
    /// For `eks wait …` it runs the polled operation once; the engine polls
    /// with the waiter's acceptors.
    pub async fn run(&self, cmd: &Request) -> ActionResult {
        let json = self.json(cmd).await?;
        let printed = cmd.printed(&json);
        Ok(Output::printed(json, printed))
    }

    /// The call's JSON, paged and queried.
    async fn json(&self, cmd: &Request) -> Result<Value, ActionError> {
        let op = cmd.operation;
        let mut input = cmd.input.clone();
        if op.member(IDEMPOTENCY_MEMBER).is_some() && !input.contains_key(IDEMPOTENCY_MEMBER) {
            let token = self.token(cmd);
            input.insert(IDEMPOTENCY_MEMBER.into(), Value::String(token));
        }
        let clients = self.clients_for(cmd.region.as_deref());
        let out = match op.paging.filter(|_| cmd.paginate) {
            Some(paging) => {
                let limits = paging::Limits {
                    max_items: cmd.max_items,
                    starting_token: cmd.starting_token.as_deref(),
                };
                let clients = &clients;
                let call = |input: Map<String, Value>| async move { (op.send)(clients, op, &input).await };
                paging::every_page(paging, limits, input, call).await?
            }
            None => self.call(&clients, op, &input).await?,
        };
        match &cmd.query {
            None => Ok(out),
            Some(q) => q
                .eval(&out)
                .map_err(|e| ActionError::failed(format!("--query `{q}`: {e}"), Some(out))),
        }
    }

    /// Sends the operation once with these input members.
    async fn call(
        &self,
        clients: &Clients,
        op: &'static Operation,
        input: &Map<String, Value>,
    ) -> Result<Value, ActionError> {
        (op.send)(clients, op, input).await
    }

    /// The account of the credentials (STS GetCallerIdentity).
    pub async fn account_id(&self) -> Result<String, ActionError> {
        let call = line::aws("sts get-caller-identity", std::path::Path::new("."))
            .map_err(|e| ActionError::runtime(e.to_string()))?;
        let out = self.json(&call).await?;
        out.get("Account")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| ActionError::runtime("GetCallerIdentity returned no Account"))
    }

    fn token(&self, cmd: &Request) -> String {
        let text = format!(
            "{}\n{}\n{}\n{}",
            current_step(),
            cmd.service.name(),
            cmd.operation.name,
            Value::Object(cmd.input.clone())
        );
        let key = fnv1a(FNV_OFFSET, text.as_bytes());
        let uses = {
            let mut map = self.token_uses.lock().unwrap_or_else(|e| e.into_inner());
            let n = map.entry(key).or_insert(0);
            *n += 1;
            *n
        };
        let full = format!("{}\n{text}\n{uses}", self.token_seed);
        let a = fnv1a(FNV_OFFSET, full.as_bytes());
        let b = fnv1a(0x6c62_272e_07bb_0142, full.as_bytes());
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> AwsBackend {
        let conf = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .build();
        AwsBackend::from_config(&conf, None)
    }

    #[test]
    fn tokens_are_deterministic_per_seed_and_fresh_per_retry() {
        let cmd = line::aws(
            "eks create-addon --cluster-name c --addon-name a",
            std::path::Path::new("."),
        )
        .unwrap();
        let (one, two) = (backend().with_token_seed("s"), backend().with_token_seed("s"));
        let first = one.token(&cmd);
        assert_eq!(first, two.token(&cmd));
        assert_eq!(first.len(), 36);
        assert_ne!(first, one.token(&cmd), "a second send gets a new token");
        let other = backend().with_token_seed("t");
        assert_ne!(first, other.token(&cmd));
    }
}
