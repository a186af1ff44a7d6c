//! Our `get -o json` against Debian's kubectl on the same real cluster, and
//! `load_config` reading the same kubeconfig kubectl reads.

mod kube_support;

use kube_support::{
    DEPLOYMENT, apply, backend, cluster, kubeconfig_for, kubectl_json, kubelet, namespace, ok,
};

/// This is the only test in this binary: it sets KUBECONFIG, which nothing
/// else may read meanwhile.
#[tokio::test]
async fn kubectl_and_rehearse_read_the_same_cluster() {
    let ns = namespace("kubectl").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
    ok(&b, "annotate deployment carts team=checkout").await;
    // Settled: nothing changes between our read and kubectl's.
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: carts\ndata:\n  endpoint: http://carts\n";
    apply(&b, cm).await;
    let crd = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.rehearse.dev
spec:
  group: rehearse.dev
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"#;
    apply(&b, crd).await;
    ok(
        &b,
        "wait --for=condition=Established crd/gadgets.rehearse.dev --timeout=30s",
    )
    .await;
    apply(
        &b,
        "apiVersion: rehearse.dev/v1\nkind: Gadget\nmetadata:\n  name: g\nsize: 2\n",
    )
    .await;

    // What we applied has managed fields (ours among the controllers'),
    // which kubectl hides, as `get` does unless asked.
    let ours = ok(&b, "get deployment carts --show-managed-fields").await;
    let managers: Vec<&str> = ours["metadata"]["managedFields"]
        .as_array()
        .expect("managed fields")
        .iter()
        .filter_map(|f| f["manager"].as_str())
        .collect();
    assert!(managers.contains(&"rehearse"), "{managers:?}");
    let node = kubelet().nodes()[0].clone();
    let cases: Vec<Vec<&str>> = vec![
        vec!["deployment", "carts"],
        vec!["pods", "-l", "app=carts"],
        vec!["replicasets", "-l", "app=carts"],
        vec!["configmaps", "-l", "app=carts"],
        vec!["configmap", "settings"],
        vec!["namespace", &ns],
        vec!["serviceaccount", "default"],
        vec!["node", &node],
        vec!["crd", "gadgets.rehearse.dev"],
        vec!["gadget", "g"],
    ];
    for case in &cases {
        let mut args = vec!["-n", ns.as_str(), "get"];
        args.extend(case);
        args.extend(["-o", "json"]);
        let theirs = kubectl_json(&args);
        let ours = ok(&b, &format!("get {} -o json", case.join(" "))).await;
        assert_eq!(ours, theirs, "get {case:?}");
    }
    let pods = kubectl_json(&["-n", &ns, "get", "pods", "-o", "json"]);
    assert_eq!(pods["items"].as_array().unwrap().len(), 2);

    // The same kubeconfig, read as kubectl reads it: its current context
    // and namespace, another context, a namespace given.
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = kubeconfig_for(dir.path(), &[&ns, "elsewhere"]);
    // SAFETY: the only test in this binary, so nothing reads the
    // environment meanwhile.
    unsafe { std::env::set_var("KUBECONFIG", &kubeconfig) };
    let config = rehearse::backend::kube::load_config(None, None)
        .await
        .expect("load_config");
    assert_eq!(config.default_namespace, ns);
    assert_eq!(
        config.cluster_url.to_string().trim_end_matches('/'),
        cluster().server
    );
    let config = rehearse::backend::kube::load_config(Some("rehearse-1"), None)
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

    // A client built from it (the CA it names, its token) reads the same object.
    let client =
        kube::Client::try_from(rehearse::backend::kube::load_config(None, None).await.unwrap()).unwrap();
    let now: rehearse::backend::kube::Clock = std::sync::Arc::new(String::new);
    let direct = rehearse::backend::kube::KubeBackend::new(client, ns.to_string(), now);
    let theirs = kubectl_json(&["-n", &ns, "get", "deployment", "carts", "-o", "json"]);
    assert_eq!(ok(&direct, "get deployment carts").await, theirs);
}
