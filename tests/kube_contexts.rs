//! `kubectl --context NAME …`: a line talks to the kubeconfig context it
//! names (its cluster, user and default namespace), live on the real
//! control plane, recorded and replayed; a context the kubeconfig lacks is
//! a run-time error naming those it has.

mod common;
mod kube_support;

use std::path::Path;

use serde_json::Value;

const WORKFLOW: &str = r#"
[workflow]
name = "contexts"

[[steps]]
id = "current"
kubectl = "get configmap marker -o json"
expect = [{ query = "data.side", equals = "first" }]

[[steps]]
id = "named"
kubectl = "--context rehearse-1 get configmap marker -o json"
expect = [{ query = "data.side", equals = "second" }]

[[steps]]
id = "named-after-the-verb"
kubectl = "get cm marker --context=rehearse-1 -o jsonpath={.data.side}"
expect = [{ stdout = true, equals = "second" }]

[[steps]]
id = "named-with-namespace"
kubectl = "--context rehearse-1 get configmap marker -n ${FIRST} -o json"
expect = [{ query = "data.side", equals = "first" }]

[[steps]]
id = "create-in-named"
kubectl = "--context rehearse-1 create deployment made --image=public.ecr.aws/nginx/nginx:1.27 -r 0"
expect = [{ query = "metadata.namespace", equals = "${SECOND}" }, { query = "spec.template.spec.containers[0].name", equals = "nginx" }]

[[steps]]
id = "cluster-info"
kubectl = "--context rehearse-1 cluster-info"
expect = [{ stdout = true, contains = "Kubernetes control plane is running at https://127.0.0.1:" }]
"#;

fn marker(side: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: marker\ndata:\n  side: {side}\n")
}

fn outputs(report: &Path) -> Vec<(String, String, Value, Value)> {
    common::step_outputs(report)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_line_uses_the_context_it_names_live_and_replayed() {
    let first = kube_support::namespace("ctx-first").await;
    let second = kube_support::namespace("ctx-second").await;
    kube_support::apply(&kube_support::backend(&first), &marker("first")).await;
    kube_support::apply(&kube_support::backend(&second), &marker("second")).await;

    let dir = tempfile::tempdir().unwrap();
    // The current context's namespace is `first`; `rehearse-1`'s is `second`.
    let kubeconfig = kube_support::kubeconfig_for(dir.path(), &[&first, &second]);
    std::fs::write(
        dir.path().join("contexts.toml"),
        WORKFLOW.replace(
            "[workflow]",
            &format!("[vars]\nFIRST = \"{first}\"\nSECOND = \"{second}\"\n\n[workflow]"),
        ),
    )
    .unwrap();
    let recorded = common::record_with_kubeconfig(dir.path(), "contexts.toml", &kubeconfig);
    let text = std::fs::read_to_string(dir.path().join("contexts.recording.yaml")).unwrap();
    assert!(text.contains(&format!("rehearse-1: {second}")), "{text}");
    assert!(text.contains("server: https://127.0.0.1:"), "{text}");

    let replayed = common::replay_offline(dir.path(), "contexts.toml");
    let live = outputs(&recorded);
    let replay = outputs(&replayed);
    assert_eq!(live.len(), 6);
    assert_eq!(live, replay);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_context_names_those_the_kubeconfig_has() {
    let ns = kube_support::namespace("ctx-unknown").await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = kube_support::kubeconfig_for(dir.path(), &[&ns, &ns]);
    std::fs::write(
        dir.path().join("unknown.toml"),
        "[workflow]\nname = \"unknown\"\n\n[[steps]]\nid = \"nope\"\nkubectl = \"--context nope get pods\"\n",
    )
    .unwrap();
    let out = common::rehearse_without_aws(
        dir.path(),
        &["run", "unknown.toml"],
        &[("KUBECONFIG", kubeconfig.to_str().unwrap())],
    )
    .output()
    .unwrap();
    let text = common::output_text(&out);
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("context was not found for specified context: nope"),
        "{text}"
    );
    assert!(text.contains("rehearse-1"), "{text}");
}
