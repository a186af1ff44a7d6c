//! The native kubectl verbs against a real Kubernetes control plane on
//! loopback (v1.20.2: its API server, controllers and scheduler), with a
//! fake kubelet running the pods (see tests/kube_support). Deployments
//! really roll out, crash-looping ones really do not. Each test works in
//! its own namespace.

mod kube_support;

use std::time::Duration;

use rehearse::ground::port::ErrorKind;
use serde_json::{Value, json};

use kube_support::{
    DEPLOYMENT, NOW, Pods, apply, backend, kubectl, kubectl_json, kubelet, namespace, ok, run, run_with,
};

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a List")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn stdout_lines(out: &Value) -> Vec<String> {
    out["stdout"]
        .as_str()
        .expect("stdout")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Pods of `namespace` created from a template that `rollout restart` marked.
fn restarted_pods(namespace: &str) -> Pods {
    let namespace = namespace.to_string();
    Pods::matching(move |p| {
        p.metadata.namespace.as_deref() == Some(namespace.as_str())
            && p.metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(RESTARTED_AT))
    })
}

#[tokio::test]
async fn apply_two_documents_then_get() {
    let ns = namespace("apply").await;
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
            tokio::time::Instant::now() + Duration::from_secs(30),
        )
        .await
        .expect("apply");
    assert_eq!(out["kind"], "List");
    let items = out["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "Deployment");
    assert_eq!(items[0]["metadata"]["namespace"], ns.as_str());
    assert_eq!(items[1]["kind"], "Service");
    // The server filled in what a real one fills in.
    assert!(
        items[1]["spec"]["clusterIP"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("10.0.0."))
    );
    assert_eq!(items[0]["spec"]["strategy"]["type"], "RollingUpdate");
    assert_eq!(items[1]["spec"]["ports"][0]["protocol"], "TCP");
    // Client-side, as kubectl applies by default: the configuration is
    // recorded on the object.
    assert!(
        items[1]["metadata"]["annotations"][LAST_APPLIED]
            .as_str()
            .is_some_and(|a| a.contains("\"kind\":\"Service\"")),
        "{}",
        items[1]
    );

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
    assert_eq!(out["metadata"]["generation"], 2);
    assert_eq!(ok(&b, "get deploy carts").await["spec"]["replicas"], 4);

    // A namespace in the manifest that contradicts -n is refused, as kubectl does.
    let other = DEPLOYMENT.replace("  name: carts\n", "  name: carts\n  namespace: elsewhere\n");
    let e = run_with(&b, &format!("apply -n {ns} -f -"), Some(&other))
        .await
        .unwrap_err();
    assert!(e.message.contains("does not match the namespace"), "{e:?}");
    // What the server refuses comes back as kubectl prints it.
    let bad = DEPLOYMENT.replace("replicas: 2", "replicas: -1");
    let e = run_with(&b, "apply -f -", Some(&bad)).await.unwrap_err();
    assert!(e.message.starts_with("Error from server (Invalid): "), "{e:?}");
    assert_eq!(e.as_output()["error"]["code"], 422);
}

/// The lab's `carts` ConfigMap in namespace `ns`, with these data lines.
fn carts_configmap(ns: &str, data: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: carts\n  namespace: {ns}\n  labels:\n    app: carts\ndata:\n{data}"
    )
}

/// As the lab first deploys it: carts talks to DynamoDB Local.
const CARTS_LOCAL: &str = "  AWS_ACCESS_KEY_ID: key\n  AWS_SECRET_ACCESS_KEY: secret\n  RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE: \"true\"\n  RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT: http://carts-dynamodb:8000\n  RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME: Items\n  RETAIL_CART_PERSISTENCE_PROVIDER: dynamodb\n";
/// As the Pod Identity lab's kustomization makes it: the real table, no
/// endpoint.
const CARTS_AWS: &str = "  AWS_REGION: us-west-2\n  RETAIL_CART_PERSISTENCE_PROVIDER: dynamodb\n  RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME: eks-workshop-carts\n";
const ENDPOINT: &str = "RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT";
/// A key that another writer adds between the two applies.
const OTHER_WRITER: &str = r#"'{"data":{"WRITTEN_BY":"someone else"}}'"#;

/// kubectl (Debian's, on the same cluster) applies `manifest` client-side.
fn kubectl_apply(dir: &std::path::Path, manifest: &str) {
    let file = dir.join("manifest.yaml");
    std::fs::write(&file, manifest).unwrap();
    let out = kubectl(&["apply", "-f", file.to_str().unwrap()]);
    assert!(out.status.success(), "kubectl apply: {out:?}\n{manifest}");
}

/// The recorded configuration, its namespace's name written `NS`, so that
/// the records of two namespaces compare.
fn record_in(obj: &Value, ns: &str) -> String {
    obj["metadata"]["annotations"][LAST_APPLIED]
        .as_str()
        .unwrap_or_else(|| panic!("no {LAST_APPLIED}: {obj}"))
        .replace(&format!("\"namespace\":\"{ns}\""), "\"namespace\":\"NS\"")
}

#[tokio::test]
async fn client_side_apply_removes_a_key_taken_out_of_the_file_as_kubectl_does() {
    let ours = namespace("carts").await;
    let theirs = namespace("carts-kubectl").await;
    let b = backend(&ours);

    // rehearse applies the lab's ConfigMap, someone else adds a key, then
    // rehearse applies it without the endpoint.
    apply(&b, &carts_configmap(&ours, CARTS_LOCAL)).await;
    let first = ok(&b, "get cm carts").await;
    assert_eq!(first["data"][ENDPOINT], "http://carts-dynamodb:8000");
    ok(&b, &format!("patch cm carts --type merge -p {OTHER_WRITER}")).await;
    apply(&b, &carts_configmap(&ours, CARTS_AWS)).await;
    let ours_obj = ok(&b, "get cm carts").await;
    assert!(ours_obj["data"].get(ENDPOINT).is_none(), "{ours_obj}");
    assert_eq!(
        ours_obj["data"],
        json!({
            "AWS_REGION": "us-west-2",
            "RETAIL_CART_PERSISTENCE_PROVIDER": "dynamodb",
            "RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME": "eks-workshop-carts",
            "WRITTEN_BY": "someone else",
        })
    );

    // kubectl does the same in another namespace: the same data, the same
    // record of what was applied, the same labels.
    let dir = tempfile::tempdir().unwrap();
    kubectl_apply(dir.path(), &carts_configmap(&theirs, CARTS_LOCAL));
    let theirs_first = kubectl_json(&["-n", &theirs, "get", "cm", "carts", "-o", "json"]);
    assert_eq!(record_in(&first, &ours), record_in(&theirs_first, &theirs));
    assert!(record_in(&first, &ours).contains(ENDPOINT), "{first}");
    let patched = kubectl(&[
        "-n",
        &theirs,
        "patch",
        "cm",
        "carts",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"WRITTEN_BY":"someone else"}}"#,
    ]);
    assert!(patched.status.success(), "{patched:?}");
    kubectl_apply(dir.path(), &carts_configmap(&theirs, CARTS_AWS));
    let theirs_obj = kubectl_json(&["-n", &theirs, "get", "cm", "carts", "-o", "json"]);
    assert_eq!(ours_obj["data"], theirs_obj["data"]);
    assert_eq!(ours_obj["metadata"]["labels"], theirs_obj["metadata"]["labels"]);
    assert_eq!(record_in(&ours_obj, &ours), record_in(&theirs_obj, &theirs));
}

#[tokio::test]
async fn client_side_apply_takes_turns_with_kubectl() {
    let ns = namespace("carts-turns").await;
    let b = backend(&ns);
    let dir = tempfile::tempdir().unwrap();
    // rehearse, then kubectl, then rehearse again: each reads what the
    // other recorded, so each removes what the other's file had and its
    // own has not.
    apply(&b, &carts_configmap(&ns, CARTS_LOCAL)).await;
    kubectl_apply(dir.path(), &carts_configmap(&ns, CARTS_AWS));
    let by_kubectl = ok(&b, "get cm carts").await;
    assert!(by_kubectl["data"].get(ENDPOINT).is_none(), "{by_kubectl}");
    assert!(
        by_kubectl["data"].get("AWS_ACCESS_KEY_ID").is_none(),
        "{by_kubectl}"
    );
    assert_eq!(by_kubectl["data"]["AWS_REGION"], "us-west-2");
    apply(&b, &carts_configmap(&ns, CARTS_LOCAL)).await;
    let again = ok(&b, "get cm carts").await;
    assert_eq!(again["data"][ENDPOINT], "http://carts-dynamodb:8000");
    assert!(again["data"].get("AWS_REGION").is_none(), "{again}");
    assert_eq!(again["data"].as_object().unwrap().len(), 6, "{again}");
}

#[tokio::test]
async fn server_side_apply_owns_its_fields_and_meets_conflicts() {
    let ns = namespace("ssa").await;
    let b = backend(&ns);
    // `protocol` is written out: server-side apply on 1.20 refuses a port
    // without it (part of the list's key), where client-side apply does not.
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: carts\nspec:\n  selector:\n    app: carts\n  ports:\n    - port: 80\n      protocol: TCP\n";
    let out = run_with(&b, "apply --server-side -f -", Some(service))
        .await
        .expect("apply --server-side");
    assert_eq!(out["kind"], "Service");
    let applied: Vec<&Value> = out["metadata"]["managedFields"]
        .as_array()
        .expect("managed fields")
        .iter()
        .filter(|f| f["manager"] == "rehearse")
        .collect();
    assert_eq!(applied.len(), 1, "{}", *out);
    assert_eq!(applied[0]["operation"], "Apply");
    // No client-side record.
    assert!(
        out["metadata"]["annotations"].get(LAST_APPLIED).is_none(),
        "{}",
        *out
    );

    // Applying without a key it applied before removes it: the field was
    // its own.
    let settings =
        |data: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n{data}");
    run_with(
        &b,
        "apply --server-side -f -",
        Some(&settings("  a: \"1\"\n  b: \"2\"\n")),
    )
    .await
    .expect("apply a and b");
    let out = run_with(&b, "apply --server-side -f -", Some(&settings("  a: \"1\"\n")))
        .await
        .expect("apply a");
    assert_eq!(out["data"], json!({"a": "1"}));

    // Another manager (kubectl's patch) takes `a`: applying another value
    // conflicts and changes nothing, until forced.
    let patched = kubectl(&[
        "-n",
        &ns,
        "patch",
        "cm",
        "settings",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"a":"mine"}}"#,
    ]);
    assert!(patched.status.success(), "{patched:?}");
    let e = run_with(&b, "apply --server-side -f -", Some(&settings("  a: \"2\"\n")))
        .await
        .unwrap_err();
    assert!(e.message.starts_with("Error from server (Conflict): "), "{e:?}");
    assert!(e.message.contains(".data.a"), "{e:?}");
    assert_eq!(e.as_output()["error"]["code"], 409);
    assert_eq!(ok(&b, "get cm settings").await["data"]["a"], "mine");
    let out = run_with(
        &b,
        "apply --server-side --force-conflicts -f -",
        Some(&settings("  a: \"2\"\n")),
    )
    .await
    .expect("apply --force-conflicts");
    assert_eq!(out["data"], json!({"a": "2"}));
}

#[tokio::test]
async fn get_lists_with_selector_and_all_namespaces() {
    let a = namespace("list-a").await;
    let b_ns = namespace("list-b").await;
    let b = backend(&a);
    // Label values of this test only: -A sees every namespace of the cluster.
    let (x, y) = (format!("x-{a}"), format!("y-{a}"));
    for (ns, name, app) in [(&a, "one", &x), (&a, "two", &y), (&b_ns, "three", &x)] {
        let cm = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app: {app}\ndata:\n  k: v\n"
        );
        apply(&b, &cm).await;
    }
    let out = ok(&b, &format!("get cm -l app={x} -o json")).await;
    assert_eq!(out["kind"], "List");
    assert_eq!(out["apiVersion"], "v1");
    assert_eq!(out["metadata"], json!({"resourceVersion": ""}));
    assert_eq!(names(&out), ["one"]);
    // Items carry their type, as kubectl prints them.
    assert_eq!(out["items"][0]["kind"], "ConfigMap");
    assert_eq!(out["items"][0]["apiVersion"], "v1");

    let all = ok(
        &b,
        &format!("get configmaps -A -l app={x} --sort-by=.metadata.name"),
    )
    .await;
    assert_eq!(names(&all), ["one", "three"]);

    let two = ok(&b, "get configmap one two").await;
    assert_eq!(names(&two), ["one", "two"]);
    // Every namespace gets its CA bundle from the controller manager, in
    // its own time.
    ok(&b, "wait --for=create cm/kube-root-ca.crt --timeout=60s").await;
    let every = ok(&b, "get cm").await;
    assert!(names(&every).contains(&"kube-root-ca.crt".to_string()), "{every}");
    let fields = ok(&b, "get cm --field-selector metadata.name=two").await;
    assert_eq!(names(&fields), ["two"]);
}

#[tokio::test]
async fn get_discovers_core_group_and_custom_kinds() {
    let ns = namespace("discover").await;
    let b = backend(&ns);
    // Cluster-scoped kinds: this namespace, the fake kubelet's node.
    let got = ok(&b, &format!("get namespace {ns}")).await;
    assert_eq!(got["kind"], "Namespace");
    assert_eq!(got["status"]["phase"], "Active");
    let node = &kubelet().nodes()[0];
    let got = ok(&b, &format!("get no/{node}")).await;
    assert_eq!(got["status"]["addresses"][0]["address"], "127.0.0.1");
    let rbac = ok(&b, "get clusterrole cluster-admin").await;
    assert_eq!(rbac["apiVersion"], "rbac.authorization.k8s.io/v1");
    let sa = ok(&b, "get sa default").await;
    assert!(sa["secrets"][0]["name"].is_string(), "{sa}");

    // A CRD, then its kind by plural, singular, short name and group.
    let crd = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.rehearse.dev
spec:
  group: rehearse.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
"#;
    apply(&b, crd).await;
    let out = ok(
        &b,
        "wait --for=condition=Established crd/widgets.rehearse.dev --timeout=30s",
    )
    .await;
    assert_eq!(
        out["stdout"],
        "customresourcedefinition.apiextensions.k8s.io/widgets.rehearse.dev condition met\n"
    );
    let widget = "apiVersion: rehearse.dev/v1\nkind: Widget\nmetadata:\n  name: one\nspec:\n  size: 3\n";
    apply(&b, widget).await;
    for form in ["widgets", "widget", "wdg", "widgets.rehearse.dev", "Widget"] {
        let got = ok(&b, &format!("get {form} one")).await;
        assert_eq!(got["kind"], "Widget", "{form}");
        assert_eq!(got["spec"]["size"], 3, "{form}");
    }
    let list = ok(&b, "get wdg").await;
    assert_eq!(names(&list), ["one"]);
    assert_eq!(list["items"][0]["apiVersion"], "rehearse.dev/v1");

    // Its status subresource, patched as a controller would, and waited on.
    ok(
        &b,
        r#"patch widget one --subresource=status --type merge -p '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}'"#,
    )
    .await;
    let out = ok(&b, "wait --for=condition=Ready widget/one --timeout=10s").await;
    assert_eq!(out["stdout"], "widget.rehearse.dev/one condition met\n");
}

#[tokio::test]
async fn errors_read_as_kubectl_prints_them() {
    let ns = namespace("errors").await;
    let b = backend(&ns);
    let e = run(&b, "get deployment nope").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert_eq!(
        e.message,
        "Error from server (NotFound): deployments.apps \"nope\" not found"
    );
    let theirs = kubectl(&["-n", &ns, "get", "deployment", "nope"]);
    assert!(!theirs.status.success());
    assert_eq!(String::from_utf8_lossy(&theirs.stderr).trim(), e.message);
    let out = e.as_output();
    assert_eq!(out["error"]["code"], 404);
    assert_eq!(out["error"]["reason"], "NotFound");

    let e = run(&b, "get frobnicators").await.unwrap_err();
    assert_eq!(
        e.message,
        "error: the server doesn't have a resource type \"frobnicators\""
    );
    let theirs = kubectl(&["-n", &ns, "get", "frobnicators"]);
    assert!(
        String::from_utf8_lossy(&theirs.stderr).contains(&e.message),
        "{theirs:?}"
    );
    let ignored = ok(&b, "get deployment nope --ignore-not-found").await;
    assert_eq!(ignored["items"], json!([]));
    let e = run(&b, "describe replicaset x").await.unwrap_err();
    assert!(e.message.contains("no describer for it"), "{e:?}");
}

#[tokio::test]
async fn patch_merge_json_and_strategic() {
    let ns = namespace("patch").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;

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
    // A JSON patch's test that fails fails the patch.
    let e = run(
        &b,
        r#"patch deployment carts --type=json -p='[{"op":"test","path":"/spec/minReadySeconds","value":1}]'"#,
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.starts_with("Error from server"), "{e:?}");

    // Strategic (the default): containers merge by name, the image stays.
    let env = r#"'{"spec":{"template":{"spec":{"containers":[{"name":"carts","env":[{"name":"MODE","value":"test"}]}]}}}}'"#;
    let out = ok(&b, &format!("patch deployment carts -p {env}")).await;
    let container = &out["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["env"], json!([{"name": "MODE", "value": "test"}]));
    assert!(
        container["image"]
            .as_str()
            .unwrap()
            .contains("retail-store-sample-cart")
    );
    let out = ok(&b, &format!("patch deployment carts --type strategic -p {env}")).await;
    assert_eq!(
        out["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same as a merge patch replaces the list: the server refuses a
    // container without an image.
    let e = run(&b, &format!("patch deployment carts --type merge -p {env}"))
        .await
        .unwrap_err();
    assert!(e.message.starts_with("Error from server (Invalid)"), "{e:?}");
    assert!(e.message.contains("image"), "{e:?}");
    assert_eq!(e.as_output()["error"]["code"], 422);
}

#[tokio::test]
async fn label_annotate_and_scale() {
    let ns = namespace("mutate").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;

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
    let e = run(&b, "label deployment carts env=prod").await.unwrap_err();
    assert_eq!(
        e.message,
        "error: 'env' already has a value (test), and --overwrite is false"
    );
    let out = ok(&b, "label deployment carts env-").await;
    assert!(out["metadata"]["labels"].get("env").is_none());
    assert_eq!(out["metadata"]["labels"]["app"], "carts");

    // Scaling goes through the scale subresource; the controllers and the
    // kubelet then really run three pods, then one.
    let out = ok(&b, "scale deployment/carts --replicas=3").await;
    assert_eq!(out["kind"], "Scale");
    assert_eq!(ok(&b, "get deployment carts").await["spec"]["replicas"], 3);
    ok(
        &b,
        "wait --for=jsonpath={.status.availableReplicas}=3 deployment/carts --timeout=60s",
    )
    .await;
    assert_eq!(names(&ok(&b, "get pods -l app=carts").await).len(), 3);
    ok(&b, "scale deployment carts --replicas=1").await;
    ok(
        &b,
        "wait --for=jsonpath={.status.replicas}=1 deployment/carts --timeout=60s",
    )
    .await;
    let pods = kube_support::eventually("one pod left", Duration::from_secs(30), || async {
        let pods = ok(&b, "get pods -l app=carts").await;
        (names(&pods).len() == 1).then_some(pods)
    })
    .await;
    assert_eq!(pods["items"][0]["status"]["phase"], "Running");
}

#[tokio::test]
async fn rollout_restart_is_followed_to_the_end() {
    let ns = namespace("restart").await;
    let b = backend(&ns);
    // The restarted pods crash-loop until the test lets them run.
    let hold = kubelet().crash_loop(restarted_pods(&ns), &["boom"]);
    apply(&b, DEPLOYMENT).await;
    let out = ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let lines = stdout_lines(&out);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("deployment \"carts\" successfully rolled out"),
        "{lines:?}"
    );
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|l| l.starts_with("Waiting for deployment")),
        "{lines:?}"
    );
    let before = names(&ok(&b, "get pods -l app=carts").await);
    assert_eq!(before.len(), 2);

    let out = ok(&b, "rollout restart deployment/carts").await;
    assert_eq!(
        out["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT],
        NOW
    );
    let got = ok(&b, "get deployment carts").await;
    assert_eq!(
        got["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT],
        NOW
    );
    // The rest of the template is untouched.
    assert_eq!(got["spec"]["template"]["metadata"]["labels"]["app"], "carts");

    // One new pod (max surge 1), crash-looping; the old two stay (max
    // unavailable 0): the rollout cannot go on, and says where it stands.
    ok(
        &b,
        "wait --for=jsonpath={.status.updatedReplicas}=1 deployment/carts --timeout=60s",
    )
    .await;
    let e = run(&b, "rollout status deployment/carts --timeout=5s")
        .await
        .unwrap_err();
    assert_eq!(e.message, "error: timed out waiting for the condition");
    // A line per event, as kubectl prints them: the controllers keep
    // updating the deployment's status while the pod crash-loops.
    let lines = stdout_lines(&e.output.unwrap());
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!(
            line,
            "Waiting for deployment \"carts\" rollout to finish: 1 out of 2 new replicas have been updated..."
        );
    }
    let pods = ok(&b, "get pods -l app=carts").await;
    let new: Vec<String> = names(&pods).into_iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(new.len(), 1, "{pods}");
    let crashing = &new[0];
    let out = ok(&b, &format!("logs {crashing} -p")).await;
    assert_eq!(out["stdout"], "boom\n");

    // Let them run: the rollout finishes, the old pods go.
    hold.release();
    let out = ok(&b, "rollout status deployment/carts --timeout=60s").await;
    assert_eq!(
        stdout_lines(&out).last().map(String::as_str),
        Some("deployment \"carts\" successfully rolled out")
    );
    let d = ok(&b, "get deployment carts").await;
    assert_eq!(d["status"]["updatedReplicas"], 2);
    assert_eq!(d["status"]["availableReplicas"], 2);
    let old: Vec<String> = before.iter().map(|n| format!("pod/{n}")).collect();
    let out = ok(&b, &format!("wait --for=delete {} --timeout=60s", old.join(" "))).await;
    assert_eq!(stdout_lines(&out).len(), 2);
    let after = ok(&b, "get pods -l app=carts").await;
    for pod in after["items"].as_array().unwrap() {
        assert_eq!(pod["metadata"]["annotations"][RESTARTED_AT], NOW);
        assert!(!before.contains(&pod["metadata"]["name"].as_str().unwrap().to_string()));
    }
}

#[tokio::test]
async fn a_crash_looping_deployment_times_out_then_recovers() {
    let ns = namespace("crash").await;
    let b = backend(&ns);
    let hold = kubelet().crash_loop(
        Pods::labelled(&ns, "app=carts"),
        &["starting carts", "panic: cannot reach the database"],
    );
    apply(&b, DEPLOYMENT).await;
    ok(
        &b,
        "wait --for=jsonpath={.status.updatedReplicas}=2 deployment/carts --timeout=60s",
    )
    .await;
    let waiting =
        "Waiting for deployment \"carts\" rollout to finish: 0 of 2 updated replicas are available...";
    let e = run(&b, "rollout status deployment/carts --timeout=5s")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert_eq!(e.message, "error: timed out waiting for the condition");
    let out = e.output.unwrap();
    assert_eq!(out["stderr"], "error: timed out waiting for the condition");
    let lines = stdout_lines(&out);
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l == waiting), "{lines:?}");
    // Watching is off with --watch=false: one look, then done.
    let out = ok(&b, "rollout status deployment/carts --watch=false").await;
    assert_eq!(out["stdout"], format!("{waiting}\n"));

    // The pods say why, as a kubelet reports it.
    let pods = ok(&b, "get pods -l app=carts").await;
    let pod = &pods["items"][0];
    let name = pod["metadata"]["name"].as_str().unwrap().to_string();
    let status = &pod["status"]["containerStatuses"][0];
    assert_eq!(pod["status"]["phase"], "Running");
    assert_eq!(status["state"]["waiting"]["reason"], "CrashLoopBackOff");
    assert_eq!(status["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(status["ready"], false);
    // Its restarts go on: two more, waited for on a watch.
    let restarts = status["restartCount"].as_i64().unwrap();
    assert!(restarts >= 1);
    ok(
        &b,
        &format!(
            "wait --for=jsonpath={{.status.containerStatuses[0].restartCount}}={} pod/{name} --timeout=30s",
            restarts + 2
        ),
    )
    .await;
    let out = ok(&b, "logs deployment/carts -p").await;
    assert_eq!(
        out["stdout"],
        "starting carts\npanic: cannot reach the database\n"
    );
    let theirs = kubectl(&["-n", &ns, "logs", &name, "-p"]);
    assert_eq!(
        String::from_utf8_lossy(&theirs.stdout),
        out["stdout"].as_str().unwrap()
    );

    // Let them run: the deployment becomes Available, the restarts stay counted.
    let (waited, ()) = tokio::join!(
        run(
            &b,
            "wait --for=condition=Available deployment/carts --timeout=60s"
        ),
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            hold.release();
        }
    );
    assert_eq!(
        waited.expect("available")["stdout"],
        "deployment.apps/carts condition met\n"
    );
    let pod = ok(&b, &format!("get pod {name}")).await;
    let status = &pod["status"]["containerStatuses"][0];
    assert!(status["restartCount"].as_i64().unwrap() >= restarts + 2);
    assert!(status["state"]["running"]["startedAt"].is_string(), "{status}");
    let out = ok(&b, "rollout status deployment/carts --timeout=30s").await;
    assert_eq!(out["stdout"], "deployment \"carts\" successfully rolled out\n");
}

#[tokio::test]
async fn wait_for_create_values_conditions_and_delete() {
    let ns = namespace("wait").await;
    let b = backend(&ns);
    let b2 = backend(&ns);
    let later = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\ndata:\n  k: v\n";
    let (waited, _) = tokio::join!(
        run(&b, "wait --for=create configmap/later --timeout=30s"),
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            apply(&b2, later).await
        }
    );
    assert_eq!(
        waited.expect("wait for create")["stdout"],
        "configmap/later condition met\n"
    );
    let out = ok(&b, "wait --for=jsonpath={.data.k}=v cm/later").await;
    assert_eq!(out["stdout"], "configmap/later condition met\n");

    apply(&b, DEPLOYMENT).await;
    let out = ok(
        &b,
        "wait --for=condition=Available deployment/carts --timeout=60s",
    )
    .await;
    assert_eq!(out["stdout"], "deployment.apps/carts condition met\n");
    let out = ok(
        &b,
        "wait deployment/carts --for=jsonpath='{.status.conditions[0].status}'=True",
    )
    .await;
    assert_eq!(out["stdout"], "deployment.apps/carts condition met\n");
    let e = run(
        &b,
        "wait --for=condition=Available=False deployment/carts --timeout=500ms",
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.message,
        "error: timed out waiting for the condition on deployments/carts"
    );

    // A pod being deleted waits for its kubelet to finish the deletion.
    let pods = names(&ok(&b, "get pods -l app=carts").await);
    let pod = &pods[0];
    let wait = format!("wait --for=delete pod/{pod} --timeout=30s");
    let (waited, deleted) = tokio::join!(run(&b, &wait), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        ok(&b2, &format!("delete pod {pod}")).await
    });
    assert_eq!(deleted["stdout"], format!("pod \"{pod}\" deleted\n"));
    assert_eq!(
        waited.expect("wait for delete")["stdout"],
        format!("pod/{pod} condition met\n")
    );
    let e = run(&b, &format!("get pod {pod}")).await.unwrap_err();
    assert_eq!(e.as_output()["error"]["code"], 404);
    // Its ReplicaSet replaced it.
    ok(
        &b,
        "wait --for=jsonpath={.status.readyReplicas}=2 deployment/carts --timeout=60s",
    )
    .await;
}

#[tokio::test]
async fn delete_by_name_selector_and_wait() {
    let ns = namespace("delete").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
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
        apply(&b, &cm).await;
    }
    let out = ok(&b, "delete cm -l app=gone --wait").await;
    assert_eq!(
        out["stdout"],
        "configmap \"a\" deleted\nconfigmap \"b\" deleted\n"
    );
    assert_eq!(ok(&b, "get cm -l app=gone").await["items"], json!([]));

    // A pod is Terminating until its kubelet finishes: --wait waits for that.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n";
    apply(&b, pod).await;
    ok(&b, "wait --for=condition=Ready pod/web --timeout=60s").await;
    // On this binary's node, whose kubelet the test talks to.
    let web = ok(&b, "get pod web").await;
    assert_eq!(web["spec"]["nodeName"], kubelet().nodes()[0].as_str());
    let out = ok(&b, "delete pod web --wait --timeout=30s").await;
    assert_eq!(out["stdout"], "pod \"web\" deleted\n");
    let e = run(&b, "get pod web").await.unwrap_err();
    assert_eq!(e.as_output()["error"]["code"], 404);

    // A finalizer holds an object: --wait times out, until it is removed.
    let held =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [rehearse.dev/hold]\n";
    apply(&b, held).await;
    let e = run(&b, "delete cm held --wait --timeout=1s").await.unwrap_err();
    assert_eq!(
        e.message,
        "error: timed out waiting for the condition on configmaps/held"
    );
    assert_eq!(e.output.unwrap()["stdout"], "configmap \"held\" deleted\n");
    let still = ok(&b, "get cm held").await;
    assert!(still["metadata"]["deletionTimestamp"].is_string(), "{still}");
    ok(
        &b,
        r#"patch cm held --type=json -p='[{"op":"remove","path":"/metadata/finalizers"}]'"#,
    )
    .await;
    let out = ok(&b, "wait --for=delete cm/held --timeout=30s").await;
    assert_eq!(out["stdout"], "configmap/held condition met\n");

    let e = run(&b, "delete -f -").await.unwrap_err();
    assert!(e.message.contains("stdin"), "{e:?}");
}

#[tokio::test]
async fn logs_come_from_the_kubelet_through_the_api_server() {
    let ns = namespace("logs").await;
    let b = backend(&ns);
    // Two containers; the template names the default one.
    let web = DEPLOYMENT
        .replace("carts", "web")
        .replace(
            "    metadata:\n      labels:\n        app: web\n",
            "    metadata:\n      labels:\n        app: web\n      annotations:\n        kubectl.kubernetes.io/default-container: app\n",
        )
        .replace(
            "        - name: web\n",
            "        - name: sidecar\n          image: busybox:1.36\n        - name: app\n",
        );
    apply(&b, &web).await;
    ok(&b, "rollout status deployment/web --timeout=60s").await;
    let out = ok(&b, "logs deployment/web").await;
    let line = out["stdout"].as_str().unwrap();
    assert!(line.starts_with(&format!("{ns}/web-")), "{line}");
    assert!(line.ends_with("/app is running\n"), "{line}");
    let out = ok(&b, "logs deployment/web -c sidecar").await;
    assert!(out["stdout"].as_str().unwrap().ends_with("/sidecar is running\n"));

    // A pod with logs written over ten minutes.
    let _logs = kubelet().logs(
        Pods::labelled(&ns, "app=api"),
        &[
            (Duration::from_secs(600), "booting"),
            (Duration::from_secs(120), "listening on :8080"),
            (Duration::from_secs(5), "GET /health 200"),
            (Duration::from_secs(1), "GET /home 200"),
        ],
    );
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  containers:\n    - name: api\n      image: nginx:1.27\n";
    apply(&b, pod).await;
    ok(&b, "wait --for=condition=Ready pod/api --timeout=60s").await;
    let out = ok(&b, "logs api").await;
    assert_eq!(
        out["stdout"],
        "booting\nlistening on :8080\nGET /health 200\nGET /home 200\n"
    );
    let out = ok(&b, "logs pod/api --tail=2").await;
    assert_eq!(out["stdout"], "GET /health 200\nGET /home 200\n");
    let out = ok(&b, "logs api --since=1m").await;
    assert_eq!(out["stdout"], "GET /health 200\nGET /home 200\n");
    let ours = ok(&b, "logs api --tail=3 --timestamps").await;
    let ours = ours["stdout"].as_str().unwrap();
    let theirs = kubectl(&["-n", &ns, "logs", "api", "--tail=3", "--timestamps"]);
    assert_eq!(String::from_utf8_lossy(&theirs.stdout), ours);
    let first = ours.lines().next().unwrap();
    let (stamp, text) = first.split_once(' ').unwrap();
    assert!(humantime::parse_rfc3339(stamp).is_ok(), "{first}");
    assert_eq!(text, "listening on :8080");

    // No previous container: the kubelet says so, and so do we.
    let e = run(&b, "logs api -p").await.unwrap_err();
    assert_eq!(
        e.message,
        "Error from server (BadRequest): previous terminated container \"api\" in pod \"api\" not found"
    );
    let theirs = kubectl(&["-n", &ns, "logs", "api", "-p"]);
    assert_eq!(String::from_utf8_lossy(&theirs.stderr).trim(), e.message);
    let e = run(&b, "logs nope").await.unwrap_err();
    assert_eq!(e.message, "Error from server (NotFound): pods \"nope\" not found");
}

#[tokio::test]
async fn rollout_undo_is_followed_to_the_end() {
    let ns = namespace("undo").await;
    let b = backend(&ns);
    let image = |d: &Value| d["spec"]["template"]["spec"]["containers"][0]["image"].clone();
    let revision = |d: &Value| d["metadata"]["annotations"]["deployment.kubernetes.io/revision"].clone();
    apply(&b, DEPLOYMENT).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    apply(&b, &DEPLOYMENT.replace("cart:1.0.0", "cart:1.1.0")).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let d = ok(&b, "get deployment carts").await;
    assert!(image(&d).as_str().unwrap().ends_with(":1.1.0"), "{d}");
    assert_eq!(revision(&d), "2");

    // Undone natively (tests/kube_ops.rs compares it with kubectl's), and
    // followed with a native `rollout status`.
    let undone = run(&b, "rollout undo deployment/carts").await.expect("undo");
    assert_eq!(
        undone.stdout.as_deref(),
        Some("deployment.apps/carts rolled back\n")
    );
    let out = ok(&b, "rollout status deployment/carts --timeout=60s").await;
    assert_eq!(
        stdout_lines(&out).last().map(String::as_str),
        Some("deployment \"carts\" successfully rolled out")
    );
    let d = ok(&b, "get deployment carts").await;
    assert!(image(&d).as_str().unwrap().ends_with(":1.0.0"), "{d}");
    assert_eq!(revision(&d), "3");
    assert_eq!(d["status"]["updatedReplicas"], 2);

    // Settled, kubectl says what we say.
    let ours = ok(&b, "rollout status deployment/carts").await;
    let theirs = kubectl(&["-n", &ns, "rollout", "status", "deployment/carts"]);
    assert!(theirs.status.success(), "{theirs:?}");
    assert_eq!(
        String::from_utf8_lossy(&theirs.stdout),
        ours["stdout"].as_str().unwrap()
    );
}

#[tokio::test]
async fn exec_runs_in_the_environment_its_pod_started_with() {
    let ns = namespace("exec").await;
    let b = backend(&ns);
    apply(&b, &carts_configmap(&ns, CARTS_LOCAL)).await;
    let deployment = DEPLOYMENT.replace(
        "          image: public.ecr.aws/aws-containers/retail-store-sample-cart:1.0.0\n",
        "          image: public.ecr.aws/aws-containers/retail-store-sample-cart:1.0.0\n          envFrom:\n            - configMapRef:\n                name: carts\n          env:\n            - name: MODE\n              value: test\n",
    );
    apply(&b, &deployment).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let env = |out: &Value| stdout_lines(out);
    let first = ok(&b, "exec deployment/carts -- env").await;
    let lines = env(&first);
    assert!(
        lines.contains(&format!("{ENDPOINT}=http://carts-dynamodb:8000")),
        "{lines:?}"
    );
    assert!(lines.contains(&"MODE=test".to_string()), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("HOSTNAME=carts-")),
        "{lines:?}"
    );
    assert_eq!(first["exit_code"], 0);

    // Standard input is not served (v4 cannot say where it ends): refused,
    // not answered as if it were empty.
    let e = run_with(&b, "exec deployment/carts -- cat", Some("hello"))
        .await
        .unwrap_err();
    assert!(e.message.contains("does not serve exec with stdin"), "{e:?}");
    assert_eq!(e.as_output()["error"]["code"], 400);

    // A failing command: its output and exit code, as kubectl reads them.
    let e = run(
        &b,
        "exec deployment/carts -- sh -c 'echo out; echo err >&2; exit 3'",
    )
    .await
    .unwrap_err();
    assert_eq!(e.message, "command terminated with exit code 3");
    let out = e.output.unwrap();
    assert_eq!(out["stdout"], "out\n");
    assert_eq!(out["stderr"], "err\n");
    assert_eq!(out["exit_code"], 3);

    // The lab's point: a changed ConfigMap changes no running container;
    // the pods a restart brings see it.
    let before = names(&ok(&b, "get pods -l app=carts").await);
    apply(&b, &carts_configmap(&ns, CARTS_AWS)).await;
    let unchanged = env(&ok(&b, "exec deployment/carts -- env").await);
    assert!(unchanged.iter().any(|l| l.starts_with(ENDPOINT)), "{unchanged:?}");
    ok(&b, "rollout restart deployment/carts").await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let old: Vec<String> = before.iter().map(|n| format!("pod/{n}")).collect();
    ok(&b, &format!("wait --for=delete {} --timeout=60s", old.join(" "))).await;
    let restarted = env(&ok(&b, "exec deployment/carts -- env").await);
    assert!(
        !restarted.iter().any(|l| l.starts_with(ENDPOINT)),
        "{restarted:?}"
    );
    assert!(
        restarted.contains(&"AWS_REGION=us-west-2".to_string()),
        "{restarted:?}"
    );
}
