//! `cluster-info`: where the control plane runs (the kubeconfig's server
//! URL), and each service of kube-system labelled
//! `kubernetes.io/cluster-service=true`, as kubectl says it.

use serde_json::{Value, json};

use super::{Ctx, Done, list};
use crate::ground::port::ActionError;

impl Ctx<'_> {
    pub(super) async fn cluster_info(&self) -> Done {
        let Some(server) = self.b.server.clone() else {
            return Err(ActionError::runtime(
                "cluster-info needs the API server's URL, which this backend was not given (a recording made before it was noted)",
            ));
        };
        let r = self.resolve("services").await?;
        let services = self
            .list_of(
                &r,
                Some("kube-system"),
                Some("kubernetes.io/cluster-service=true"),
                None,
            )
            .await?;
        let mut lines = vec![format!("Kubernetes control plane is running at {server}")];
        lines.extend(services.iter().map(|s| service_line(&server, s)));
        lines.push(String::new());
        lines.push("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.".into());
        Ok((json!({"server": server, "services": list(services)}), lines))
    }
}

/// `NAME is running at LINK`: a load balancer's addresses, else the API
/// server's proxy to the service's first port (kubectl's guess at https).
fn service_line(server: &str, svc: &Value) -> String {
    let name = svc["metadata"]["name"].as_str().unwrap_or_default();
    let ports = svc["spec"]["ports"].as_array().cloned().unwrap_or_default();
    let link = match svc.pointer("/status/loadBalancer/ingress/0") {
        Some(ingress) => {
            let host = ingress["ip"]
                .as_str()
                .filter(|ip| !ip.is_empty())
                .or(ingress["hostname"].as_str())
                .unwrap_or_default();
            ports
                .iter()
                .map(|p| format!("http://{host}:{} ", p["port"]))
                .collect::<String>()
        }
        None => {
            let target = match ports.first() {
                Some(p) => {
                    let port_name = p["name"].as_str().unwrap_or_default();
                    let https = port_name == "https" || p["port"] == 443;
                    join_scheme_name_port(if https { "https" } else { "" }, name, port_name)
                }
                None => name.to_string(),
            };
            format!("{server}/api/v1/namespaces/kube-system/services/{target}/proxy")
        }
    };
    let shown = svc
        .pointer("/metadata/labels/kubernetes.io~1name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    format!("{shown} is running at {link}")
}

/// `scheme:name:port`, shortened as Kubernetes' proxy paths are: no
/// scheme and no port is the name alone, no port `scheme:name:`.
fn join_scheme_name_port(scheme: &str, name: &str, port: &str) -> String {
    match (scheme.is_empty(), port.is_empty()) {
        (true, true) => name.to_string(),
        (true, false) => format!("{name}:{port}"),
        (false, true) => format!("{scheme}:{name}:"),
        (false, false) => format!("{scheme}:{name}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_read_as_kubectl_links_them() {
        let dns = json!({"metadata": {"name": "kube-dns", "labels": {"kubernetes.io/name": "CoreDNS"}},
            "spec": {"ports": [{"name": "dns", "port": 53}, {"name": "dns-tcp", "port": 53}]}});
        assert_eq!(
            service_line("https://k", &dns),
            "CoreDNS is running at https://k/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy"
        );
        let https = json!({"metadata": {"name": "metrics"}, "spec": {"ports": [{"port": 443}]}});
        assert_eq!(
            service_line("https://k", &https),
            "metrics is running at https://k/api/v1/namespaces/kube-system/services/https:metrics:/proxy"
        );
        let lb = json!({"metadata": {"name": "lb"}, "spec": {"ports": [{"port": 80}, {"port": 81}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": "a.elb"}]}}});
        assert_eq!(
            service_line("https://k", &lb),
            "lb is running at http://a.elb:80 http://a.elb:81 "
        );
    }
}
