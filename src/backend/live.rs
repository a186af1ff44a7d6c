//! The live transports: the network over the system's TLS roots, AWS as
//! the AWS CLI finds it (credentials, region, endpoints), the cluster of
//! the kubeconfig. Recording wraps these; a replay needs none of them.

use std::sync::Arc;

use crate::backend::http::LiveHttp;
use crate::ground::port::BoxFuture;
use crate::ground::redact::Secrets;
use crate::transport::clients::{server_url, system_time};
use crate::transport::process::LiveProcesses;
use crate::transport::{
    AwsConnection, AwsTransport, KubeConnection, KubeSettings, KubeTransport, Transports,
};

/// The world itself. Each client is made on first use: a workflow of `run`
/// steps needs neither credentials nor a kubeconfig.
/// The credentials they resolve are added to `secrets`.
pub fn transports(secrets: &Secrets) -> Transports {
    Transports {
        http: Arc::new(LiveHttp::default()),
        processes: Arc::new(LiveProcesses),
        aws: Arc::new(LiveAws {
            secrets: secrets.clone(),
        }),
        kube: Arc::new(LiveKube {
            secrets: secrets.clone(),
        }),
        kube_exec: None,
        attempts: None,
    }
}

pub struct LiveAws {
    /// Where the secret key and session token in use are added.
    pub secrets: Secrets,
}

impl AwsTransport for LiveAws {
    fn connect(&self) -> BoxFuture<'_, Result<AwsConnection, String>> {
        Box::pin(async {
            let config = crate::backend::aws::load_config().await;
            add_aws_credentials(&config, &self.secrets).await;
            Ok(AwsConnection { config, http: None })
        })
    }
}

/// The credentials the SDK resolves (the environment, a profile, SSO, a
/// process): a step may print them, and no file or report may show them.
/// Without credentials there is nothing to hide; the first call says why.
async fn add_aws_credentials(config: &aws_config::SdkConfig, secrets: &Secrets) {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = config.credentials_provider() else {
        return;
    };
    if let Ok(credentials) = provider.provide_credentials().await {
        secrets.add(credentials.secret_access_key());
        if let Some(token) = credentials.session_token() {
            secrets.add(token);
        }
    }
}

/// The kubeconfig's credentials in use: its token, password and client key.
fn add_kube_credentials(config: &kube::Config, secrets: &Secrets) {
    use secrecy::ExposeSecret;
    let auth = &config.auth_info;
    for secret in [&auth.token, &auth.password, &auth.client_key_data]
        .into_iter()
        .flatten()
    {
        secrets.add(secret.expose_secret());
    }
}

pub struct LiveKube {
    /// Where the kubeconfig's credentials in use are added.
    pub secrets: Secrets,
}

impl KubeTransport for LiveKube {
    fn connect<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<KubeConnection, String>> {
        Box::pin(async move {
            let config = self.config(settings).await?;
            let namespace = config.default_namespace.clone();
            let server = Some(server_url(&config));
            let client =
                kube::Client::try_from(config).map_err(|e| format!("cannot reach the cluster: {e}"))?;
            Ok(KubeConnection {
                client,
                namespace,
                server,
                now: system_time(),
            })
        })
    }

    fn config<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<kube::Config, String>> {
        Box::pin(async move {
            let config =
                crate::backend::kube::load_config(settings.context.as_deref(), settings.namespace.as_deref())
                    .await?;
            add_kube_credentials(&config, &self.secrets);
            Ok(config)
        })
    }
}
