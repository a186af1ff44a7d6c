//! Our `get -o json` against Debian's kubectl on the same emulator, and
//! `load_config` reading the same kubeconfig kubectl reads.

mod kube_support;

use std::process::Command;

use serde_json::Value;

use kube_support::{DEPLOYMENT, backend, emulator, ok, run_with};

#[tokio::test]
async fn get_json_equals_kubectls_and_load_config_reads_kubeconfig() {
    let ns = "t-kubectl";
    let b = backend(ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");
    ok(&b, "annotate deployment carts team=checkout").await;

    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: emulator\n  cluster:\n    server: {}\n\
             users:\n- name: tester\n  user: {{}}\ncontexts:\n- name: emulator\n  context:\n    cluster: emulator\n    user: tester\n    namespace: {ns}\n\
             - name: other\n  context:\n    cluster: emulator\n    user: tester\n    namespace: elsewhere\n\
             current-context: emulator\n",
            emulator().url
        ),
    )
    .unwrap();

    let kubectl = std::path::Path::new("/usr/bin/kubectl");
    assert!(
        kubectl.is_file(),
        "the kube tests need Debian's kubectl: run scripts/peers.sh"
    );
    let out = Command::new(kubectl)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args(["get", "deployment", "carts", "-o", "json"])
        .output()
        .expect("run kubectl");
    assert!(
        out.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).expect("kubectl's JSON");
    let ours = ok(&b, "get deployment carts -o json").await;
    assert_eq!(ours, theirs);

    // This is the only test in this binary, so setting the variable races nothing.
    unsafe { std::env::set_var("KUBECONFIG", &kubeconfig) };
    let config = rehearse::backend::kube::load_config(None, None)
        .await
        .expect("load_config");
    assert_eq!(config.default_namespace, ns);
    assert_eq!(
        config.cluster_url.to_string().trim_end_matches('/'),
        emulator().url
    );
    let config = rehearse::backend::kube::load_config(Some("other"), None)
        .await
        .unwrap();
    assert_eq!(config.default_namespace, "elsewhere");
    let config = rehearse::backend::kube::load_config(None, Some("mine"))
        .await
        .unwrap();
    assert_eq!(config.default_namespace, "mine");
    assert!(
        rehearse::backend::kube::load_config(Some("missing"), None)
            .await
            .is_err()
    );

    // A client built from it reads the same object.
    let client =
        kube::Client::try_from(rehearse::backend::kube::load_config(None, None).await.unwrap()).unwrap();
    let now: rehearse::backend::kube::Clock = std::sync::Arc::new(String::new);
    let direct = rehearse::backend::kube::KubeBackend::new(client, ns.to_string(), now);
    assert_eq!(ok(&direct, "get deployment carts").await, theirs);
}
