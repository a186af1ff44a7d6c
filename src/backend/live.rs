//! The live transports: the network over the system's TLS roots, AWS as
//! the AWS CLI finds it (credentials, region, endpoints), the cluster of
//! the kubeconfig. Recording wraps these; a replay needs none of them.

use std::sync::Arc;

use crate::backend::http::LiveHttp;
use crate::ground::port::BoxFuture;
use crate::transport::clients::system_time;
use crate::transport::process::LiveProcesses;
use crate::transport::{
    AwsConnection, AwsTransport, KubeConnection, KubeSettings, KubeTransport, Transports,
};

/// The world itself. Each client is made on first use: a workflow of `run`
/// steps needs neither credentials nor a kubeconfig.
pub fn transports() -> Transports {
    Transports {
        http: Arc::new(LiveHttp::default()),
        processes: Arc::new(LiveProcesses),
        aws: Arc::new(LiveAws),
        kube: Arc::new(LiveKube),
        kube_exec: None,
    }
}

pub struct LiveAws;

impl AwsTransport for LiveAws {
    fn connect(&self) -> BoxFuture<'_, Result<AwsConnection, String>> {
        Box::pin(async {
            Ok(AwsConnection {
                config: crate::backend::aws::load_config().await,
                http: None,
            })
        })
    }
}

pub struct LiveKube;

impl KubeTransport for LiveKube {
    fn connect<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<KubeConnection, String>> {
        Box::pin(async move {
            let config = self.config(settings).await?;
            let namespace = config.default_namespace.clone();
            let client =
                kube::Client::try_from(config).map_err(|e| format!("cannot reach the cluster: {e}"))?;
            Ok(KubeConnection {
                client,
                namespace,
                now: system_time(),
            })
        })
    }

    fn config<'a>(&'a self, settings: &'a KubeSettings) -> BoxFuture<'a, Result<kube::Config, String>> {
        Box::pin(crate::backend::kube::load_config(
            settings.context.as_deref(),
            settings.namespace.as_deref(),
        ))
    }
}
