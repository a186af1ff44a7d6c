//! The native kubectl verbs against a Kubernetes API on loopback (the
//! kmock emulator; see tests/kube_support). Each test works in its own
//! namespace.

mod kube_support;

use std::time::{Duration, Instant};

use rehearse::ground::port::ErrorKind;
use serde_json::json;

use kube_support::{DEPLOYMENT, NOW, backend, namespace, ok, patch_status, run, run_with};

#[tokio::test]
async fn apply_two_documents_then_get() {
    let ns = namespace("apply");
    let b = backend(&ns);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.yaml");
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: carts\nspec:\n  selector:\n    app: carts\n  ports:\n    - port: 80\n";
    std::fs::write(&file, format!("{DEPLOYMENT}---\n{service}")).unwrap();
    let out = b
        .run(
            &rehearse::action::line::kubectl("apply -f app.yaml").unwrap(),
            dir.path(),
            None,
            tokio::time::Instant::now() + Duration::from_secs(20),
        )
        .await
        .expect("apply");
    assert_eq!(out["kind"], "List");
    let items = out["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "Deployment");
    assert_eq!(items[0]["metadata"]["namespace"], ns.as_str());
    assert_eq!(items[1]["kind"], "Service");

    let d = ok(&b, "get deployment carts").await;
    assert_eq!(d["spec"]["replicas"], 2);
    assert_eq!(d["apiVersion"], "apps/v1");
    let s = ok(&b, "get svc/carts -o json").await;
    assert_eq!(s["spec"]["ports"][0]["port"], 80);

    // Applying again updates; a manifest on stdin works too.
    let changed = DEPLOYMENT.replace("replicas: 2", "replicas: 4");
    let out = run_with(&b, "apply -f -", Some(&changed))
        .await
        .expect("apply -f -");
    assert_eq!(out["kind"], "Deployment");
    assert_eq!(ok(&b, "get deploy carts").await["spec"]["replicas"], 4);

    // A namespace in the manifest that contradicts -n is refused, as kubectl does.
    let other = DEPLOYMENT.replace("  name: carts\n", "  name: carts\n  namespace: elsewhere\n");
    let e = run_with(&b, &format!("apply -n {ns} -f -"), Some(&other))
        .await
        .unwrap_err();
    assert!(e.message.contains("does not match the namespace"), "{e:?}");
}

#[tokio::test]
async fn get_lists_with_selector_and_all_namespaces() {
    let a = namespace("list-a");
    let b_ns = namespace("list-b");
    let b = backend(&a);
    for (ns, name, app) in [(&a, "one", "x"), (&a, "two", "y"), (&b_ns, "three", "x")] {
        let cm = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app: {app}\ndata:\n  k: v\n"
        );
        run_with(&b, "apply -f -", Some(&cm)).await.expect("apply cm");
    }
    let out = ok(&b, "get cm -l app=x -o json").await;
    assert_eq!(out["kind"], "List");
    assert_eq!(out["apiVersion"], "v1");
    assert_eq!(out["metadata"], json!({"resourceVersion": ""}));
    let items = out["items"].as_array().unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["one"]);
    // Items carry their type, as kubectl prints them.
    assert_eq!(items[0]["kind"], "ConfigMap");
    assert_eq!(items[0]["apiVersion"], "v1");

    let all = ok(&b, "get configmaps -A -l app=x --sort-by=.metadata.name").await;
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["one", "three"]);

    let two = ok(&b, "get configmap one two").await;
    assert_eq!(two["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn errors_read_as_kubectl_prints_them() {
    let ns = namespace("errors");
    let b = backend(&ns);
    let e = run(&b, "get deployment nope").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.starts_with("Error from server ("), "{e:?}");
    let out = e.as_output();
    assert_eq!(out["error"]["code"], 404);
    assert!(out["error"]["reason"].is_string() && out["error"]["message"].is_string());

    let e = run(&b, "get frobnicators").await.unwrap_err();
    assert_eq!(
        e.message,
        "error: the server doesn't have a resource type \"frobnicators\""
    );
    let ignored = ok(&b, "get deployment nope --ignore-not-found").await;
    assert_eq!(ignored["items"], json!([]));
    let e = run(&b, "describe deployment x").await.unwrap_err();
    assert!(e.message.contains("get"), "{e:?}");
}

#[tokio::test]
async fn patch_annotate_label_scale_restart() {
    let ns = namespace("mutate");
    let b = backend(&ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");

    let out = ok(
        &b,
        r#"patch deployment carts --type merge -p '{"spec":{"minReadySeconds":5}}'"#,
    )
    .await;
    assert_eq!(out["spec"]["minReadySeconds"], 5);
    let out = ok(
        &b,
        r#"patch deployment carts --type=json -p='[{"op":"replace","path":"/spec/minReadySeconds","value":7}]'"#,
    )
    .await;
    assert_eq!(out["spec"]["minReadySeconds"], 7);

    let out = ok(&b, "annotate deployment carts team=checkout tier=web").await;
    assert_eq!(out["metadata"]["annotations"]["team"], "checkout");
    let e = run(&b, "annotate deployment carts team=orders")
        .await
        .unwrap_err();
    assert_eq!(
        e.message,
        "error: --overwrite is false but found the following declared annotation(s): 'team' already has a value (checkout)"
    );
    let out = ok(&b, "annotate deployment/carts team=orders tier- --overwrite").await;
    assert_eq!(out["metadata"]["annotations"]["team"], "orders");
    assert!(out["metadata"]["annotations"].get("tier").is_none());

    let out = ok(&b, "label deployment carts env=test").await;
    assert_eq!(out["metadata"]["labels"]["env"], "test");

    ok(&b, "scale deployment/carts --replicas=5").await;
    assert_eq!(ok(&b, "get deployment carts").await["spec"]["replicas"], 5);

    let out = ok(&b, "rollout restart deployment/carts").await;
    assert_eq!(
        out["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
        NOW
    );
    let got = ok(&b, "get deployment carts").await;
    assert_eq!(
        got["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
        NOW
    );
    // The rest of the template is untouched.
    assert_eq!(got["spec"]["template"]["metadata"]["labels"]["app"], "carts");
}

#[tokio::test]
async fn rollout_status_follows_the_status_and_finishes_at_once() {
    let ns = namespace("rollout");
    let b = backend(&ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");

    let ns2 = ns.clone();
    let driver = async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        patch_status(
            &ns2,
            "carts",
            json!({"replicas": 3, "updatedReplicas": 2, "availableReplicas": 1}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        patch_status(
            &ns2,
            "carts",
            json!({"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2}),
        )
        .await;
        Instant::now()
    };
    let (result, completed_at) = tokio::join!(run(&b, "rollout status deployment/carts"), driver);
    let finished = Instant::now();
    let out = result.expect("rollout status");
    assert!(
        finished.duration_since(completed_at) < Duration::from_secs(2),
        "rollout status did not finish as soon as the rollout did"
    );
    let stdout = out["stdout"].as_str().unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(
            "Waiting for deployment \"carts\" rollout to finish: 0 out of 2 new replicas have been updated..."
        )
    );
    assert!(
        lines.contains(
            &"Waiting for deployment \"carts\" rollout to finish: 1 old replicas are pending termination..."
        ),
        "{stdout}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("deployment \"carts\" successfully rolled out")
    );
}

#[tokio::test]
async fn rollout_status_times_out_with_kubectls_message() {
    let ns = namespace("rollout-timeout");
    let b = backend(&ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");
    patch_status(
        &ns,
        "carts",
        json!({"replicas": 2, "updatedReplicas": 2, "availableReplicas": 1}),
    )
    .await;
    let started = Instant::now();
    let e = run(&b, "rollout status deployment/carts --timeout=1s")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.kind, ErrorKind::Failed);
    assert_eq!(e.message, "error: timed out waiting for the condition");
    let out = e.output.unwrap();
    assert_eq!(out["stderr"], "error: timed out waiting for the condition");
    assert_eq!(
        out["stdout"],
        "Waiting for deployment \"carts\" rollout to finish: 1 of 2 updated replicas are available...\n"
    );

    // Watching is off with --watch=false: one look, then done.
    let out = ok(&b, "rollout status deployment/carts --watch=false").await;
    assert!(
        out["stdout"]
            .as_str()
            .unwrap()
            .starts_with("Waiting for deployment")
    );
}

#[tokio::test]
async fn wait_for_a_condition_on_a_watch() {
    let ns = namespace("wait");
    let b = backend(&ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");
    let ns2 = ns.clone();
    let driver = async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        patch_status(
            &ns2,
            "carts",
            json!({"conditions": [{"type": "Available", "status": "False"}]}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        patch_status(
            &ns2,
            "carts",
            json!({"conditions": [{"type": "Available", "status": "True"}]}),
        )
        .await;
    };
    let (result, ()) = tokio::join!(
        run(
            &b,
            "wait --for=condition=Available deployment/carts --timeout=10s"
        ),
        driver
    );
    assert_eq!(
        result.expect("wait")["stdout"],
        "deployment.apps/carts condition met\n"
    );

    let out = ok(
        &b,
        "wait deployment/carts --for=jsonpath='{.status.conditions[0].status}'=True",
    )
    .await;
    assert_eq!(out["stdout"], "deployment.apps/carts condition met\n");

    let e = run(
        &b,
        "wait --for=condition=Progressing deployment/carts --timeout=500ms",
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.message,
        "error: timed out waiting for the condition on deployments/carts"
    );
}

#[tokio::test]
async fn delete_by_name_selector_and_wait() {
    let ns = namespace("delete");
    let b = backend(&ns);
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");
    let out = ok(&b, "delete deployment carts").await;
    assert_eq!(out["stdout"], "deployment.apps \"carts\" deleted\n");
    let e = run(&b, "get deployment carts").await.unwrap_err();
    assert_eq!(e.as_output()["error"]["code"], 404);
    let e = run(&b, "delete deployment carts").await.unwrap_err();
    assert_eq!(e.as_output()["error"]["code"], 404);
    assert_eq!(
        ok(&b, "delete deployment carts --ignore-not-found").await["stdout"],
        ""
    );

    for name in ["a", "b"] {
        let cm =
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    app: gone\n");
        run_with(&b, "apply -f -", Some(&cm)).await.expect("apply");
    }
    let out = ok(&b, "delete cm -l app=gone --wait").await;
    assert_eq!(
        out["stdout"],
        "configmap \"a\" deleted\nconfigmap \"b\" deleted\n"
    );
    assert_eq!(ok(&b, "get cm -l app=gone").await["items"], json!([]));

    // wait --for=delete returns at once for what is already gone.
    run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.expect("apply");
    let b2 = backend(&ns);
    let (waited, _) = tokio::join!(
        run(&b, "wait --for=delete deployment/carts --timeout=10s"),
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            ok(&b2, "delete deployment/carts").await
        }
    );
    assert_eq!(
        waited.expect("wait for delete")["stdout"],
        "deployment.apps/carts condition met\n"
    );
    let e = run(&b, "delete -f -").await.unwrap_err();
    assert!(e.message.contains("stdin"), "{e:?}");
}
