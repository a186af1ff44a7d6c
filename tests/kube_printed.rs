//! What a kubectl step prints (`-o json|yaml|name|jsonpath=…|
//! jsonpath-as-json=…|custom-columns=…`, and the line of each verb that
//! changes objects), compared byte for byte with what Debian's kubectl
//! prints for the same objects on the same real cluster.

mod kube_support;

use kube_support::{DEPLOYMENT, apply, backend, kubectl, kubelet, namespace, ok, run, run_with};

/// kubectl's stdout, or a panic with its stderr.
fn theirs(ns: &str, line: &str) -> String {
    let words = shell_words::split(line).expect("a kubectl line");
    let mut args = vec!["-n", ns];
    args.extend(words.iter().map(String::as_str));
    let out = kubectl(&args);
    assert!(
        out.status.success(),
        "kubectl {line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Equal texts, or a panic that shows the first line that differs.
fn same(ours: &str, theirs: &str, line: &str) {
    if ours == theirs {
        return;
    }
    let first = ours
        .split_inclusive('\n')
        .zip(theirs.split_inclusive('\n'))
        .find(|(a, b)| a != b);
    panic!("{line}: printed differently; first different line: {first:?}\nours:\n{ours}\ntheirs:\n{theirs}");
}

/// What our step prints, the step reading it (`stdout = true`), as a
/// workflow's would.
async fn ours(b: &rehearse::backend::kube::KubeBackend, line: &str) -> String {
    let mut command = rehearse::action::line::kubectl(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    command.reads_stdout = true;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let out = b
        .run(&command, std::path::Path::new("."), None, deadline)
        .await
        .unwrap_or_else(|e| panic!("{line}: {e:?}"));
    out.stdout.unwrap_or_else(|| panic!("{line}: nothing printed"))
}

/// An AGE cell (`7s`, `3m2s`, `5d`): the API server computes it when asked,
/// so two reads a moment apart may differ by a second.
fn is_age(word: &str) -> bool {
    let re = regex::Regex::new(r"^(\d+[smhdy])+$").unwrap();
    re.is_match(word)
}

/// Tables equal but for their AGE cells, which are masked; where masking
/// changed the columns' widths (`9s` then `10s`), runs of spaces are
/// compared as one.
fn same_table(ours: &str, theirs: &str, line: &str) {
    let mask = |text: &str| -> String {
        text.split_inclusive('\n')
            .map(|l| {
                l.split(' ')
                    .map(|w| {
                        let word = w.trim_end_matches('\n');
                        if is_age(word) {
                            "#".repeat(word.len()) + &w[word.len()..]
                        } else {
                            w.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let (a, b) = (mask(ours), mask(theirs));
    if a == b {
        return;
    }
    let squeeze = |t: &str| -> String {
        t.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if squeeze(&a) == squeeze(&b) && a.len().abs_diff(b.len()) <= a.lines().count() {
        return;
    }
    same(&a, &b, line);
}

/// A ConfigMap whose values go-yaml writes in each of its styles.
const SETTINGS: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app: carts
  annotations:
    note: "a long note that goes on and on, well past the eighty columns that go-yaml folds plain text at, so it breaks"
data:
  endpoint: http://carts:8080/path?a=1&b=2
  enabled: "true"
  count: "3"
  when: "2024-01-12T22:41:01Z"
  star: "*"
  empty: ""
  json: '{"a": [1, 2]}'
  script: |
    #!/bin/sh
    echo hello
  trailing: "no newline\nat the end"
  y: "n"
"#;

const SERVICE: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: carts
  labels:
    app: carts
spec:
  selector:
    app: carts
  ports:
    - name: http
      port: 80
      targetPort: 8080
"#;

#[tokio::test]
async fn output_formats_print_as_kubectl_prints_them() {
    let ns = namespace("printed").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
    apply(&b, SETTINGS).await;
    apply(&b, SERVICE).await;
    // Settled: nothing changes between our read and kubectl's.
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let node = kubelet().nodes()[0].clone();

    let objects = [
        "deployment carts".to_string(),
        "pods -l app=carts".to_string(),
        "configmap settings".to_string(),
        "configmaps -l app=carts".to_string(),
        "service carts".to_string(),
        format!("namespace {ns}"),
        format!("node {node}"),
        "deployment,service -l app=carts".to_string(),
    ];
    let formats = [
        "json",
        "yaml",
        "name",
        "jsonpath={.metadata.name}",
        "jsonpath-as-json={.metadata}",
        "custom-columns=NAME:.metadata.name,KIND:.kind,LABELS:.metadata.labels,MISSING:.spec.nope",
    ];
    for object in &objects {
        for format in formats {
            let line = format!("get {object} -o '{format}'");
            same(&ours(&b, &line).await, &theirs(&ns, &line), &line);
        }
    }

    let templates = [
        "{.items[*].metadata.name}",
        r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#,
        r#"{.items[?(@.status.phase=="Running")].metadata.name}"#,
        "{.items[-1:].metadata.name}",
        "{.items[0].spec.containers[0]}",
        "{.items[0].metadata.labels.app} {.items[0].spec.containers[*].name}",
        "{..containers[*].image}",
        "{.items[0,1].status.podIP}",
        r#"{range .items[*]}[{.metadata.ownerReferences[0].kind}]{end}"#,
        // A `range` without `end`, as tutorials write it.
        r#"{range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}"#,
        "{.items[0].metadata.nope}",
        "{.kind}",
    ];
    for t in templates {
        for format in ["jsonpath", "jsonpath-as-json"] {
            let line = format!("get pods -l app=carts -o '{format}={t}'");
            same(&ours(&b, &line).await, &theirs(&ns, &line), &line);
        }
    }
    let line = "get deployment carts -o jsonpath='{.spec.replicas}/{.status.readyReplicas} {.spec.template.spec.containers[0].image}'";
    same(&ours(&b, line).await, &theirs(&ns, line), line);

    // A template that cannot run on the objects fails the step.
    let e = run(&b, "get pods -l app=carts -o jsonpath='{.items[7]}'")
        .await
        .unwrap_err();
    assert!(
        e.message.contains("array index out of bounds: index 7, length 2"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn tables_print_as_kubectl_prints_them() {
    let ns = namespace("tables").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
    apply(&b, SERVICE).await;
    let own = format!("only-{ns}");
    apply(&b, &SETTINGS.replace("app: carts", &format!("app: {own}"))).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    let node = kubelet().nodes()[0].clone();
    let lines = [
        "get pods".to_string(),
        "get pods -o wide".to_string(),
        "get deployments".to_string(),
        "get deployment carts -o wide".to_string(),
        "get replicasets -o wide".to_string(),
        "get services".to_string(),
        "get service carts -o wide".to_string(),
        format!("get node {node}"),
        format!("get node {node} -o wide"),
        format!("get namespace {ns}"),
        "get configmaps".to_string(),
        "get pods --show-labels".to_string(),
        "get deployments -L app -L pod-template-hash,nope --show-labels".to_string(),
        "get pods --no-headers".to_string(),
        "get deployment,service".to_string(),
        "get deployment,replicaset,service -o wide".to_string(),
        format!("get configmaps -A -l app={own}"),
        "get pods -l app=nothing".to_string(),
    ];
    for line in &lines {
        same_table(&ours(&b, line).await, &theirs(&ns, line), line);
    }
}

#[tokio::test]
async fn get_json_is_kubectls_byte_for_byte_without_managed_fields() {
    let ns = namespace("managed").await;
    let b = backend(&ns);
    apply(&b, SETTINGS).await;
    // Our JSON hides them as kubectl does...
    let hidden = ok(&b, "get configmap settings").await;
    assert!(hidden["metadata"].get("managedFields").is_none(), "{hidden}");
    let line = "get configmap settings -o json";
    let printed = ours(&b, line).await;
    assert_eq!(printed, theirs(&ns, line));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&printed).unwrap(),
        hidden
    );
    // ...unless asked, and then they are kubectl's too.
    let line = "get configmap settings -o json --show-managed-fields";
    let shown = run(&b, line).await.unwrap();
    assert!(shown.json["metadata"]["managedFields"].is_array());
    assert_eq!(shown.stdout.unwrap(), theirs(&ns, line));
}

#[tokio::test]
async fn verbs_print_the_line_kubectl_prints() {
    let ns = namespace("lines").await;
    let b = backend(&ns);
    let two = DEPLOYMENT.replace("name: carts\n  labels", "name: orders\n  labels");
    let created = run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.unwrap();
    assert_eq!(created.stdout.as_deref(), Some("deployment.apps/carts created\n"));
    let unchanged = run_with(&b, "apply -f -", Some(DEPLOYMENT)).await.unwrap();
    assert_eq!(
        unchanged.stdout.as_deref(),
        Some("deployment.apps/carts unchanged\n")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.yaml");
    std::fs::write(&path, &two).unwrap();
    let apply_line = format!("apply -f {}", path.display());
    assert_eq!(theirs(&ns, &apply_line), "deployment.apps/orders created\n");
    std::fs::write(&path, two.replace("replicas: 2", "replicas: 1")).unwrap();
    assert_eq!(theirs(&ns, &apply_line), "deployment.apps/orders configured\n");
    let changed = DEPLOYMENT.replace("replicas: 2", "replicas: 1");
    let configured = run_with(&b, "apply -f -", Some(&changed)).await.unwrap();
    assert_eq!(
        configured.stdout.as_deref(),
        Some("deployment.apps/carts configured\n")
    );

    // The same verb on each deployment, ours on carts, kubectl's on orders.
    let lines = [
        (
            "scale deployment carts --replicas=3",
            "scale deployment orders --replicas=3",
        ),
        (
            "label deployment carts team=checkout",
            "label deployment orders team=checkout",
        ),
        (
            "annotate deployment/carts note=hi",
            "annotate deployment/orders note=hi",
        ),
        (
            r#"patch deployment carts -p '{"spec":{"replicas":2}}'"#,
            r#"patch deployment orders -p '{"spec":{"replicas":2}}'"#,
        ),
        (
            "rollout restart deployment carts",
            "rollout restart deployment orders",
        ),
        (
            "scale deployment carts --replicas=1 -o name",
            "scale deployment orders --replicas=1 -o name",
        ),
        (
            "label deployment carts tier=web -o jsonpath={.metadata.labels.tier}",
            "label deployment orders tier=web -o jsonpath={.metadata.labels.tier}",
        ),
    ];
    for (mine, kubectls) in lines {
        let printed = ours(&b, mine).await;
        assert_eq!(
            printed.replace("carts", "orders"),
            theirs(&ns, kubectls),
            "{mine}"
        );
    }
}

#[tokio::test]
async fn delete_and_wait_flags_act_and_print_as_kubectl() {
    let ns = namespace("flags").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;

    // `wait --all`: every pod, a line each, as kubectl's.
    let line = "wait --for=condition=Ready pods --all --timeout=30s";
    let printed = ours(&b, line).await;
    assert_eq!(printed.lines().count(), 2, "{printed}");
    assert_eq!(printed, theirs(&ns, line));

    // `--force` with no grace period deletes at once, and says so.
    let pods = ok(&b, "get pods -l app=carts").await;
    let names: Vec<&str> = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    let printed = ours(&b, &format!("delete pod {} --force", names[0])).await;
    let kubectls = theirs(&ns, &format!("delete pod {} --grace-period=0 --force", names[1]));
    assert_eq!(printed.replace(names[0], names[1]), kubectls);
    assert_eq!(kubectls, format!("pod \"{}\" force deleted\n", names[1]));
    let gone = run(&b, &format!("get pod {}", names[0])).await.unwrap_err();
    assert!(gone.message.contains("not found"), "{}", gone.message);

    // `--now` and `--all`.
    for cm in ["a", "b"] {
        apply(
            &b,
            &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {cm}\n  labels:\n    set: one\n"),
        )
        .await;
    }
    assert_eq!(
        ours(&b, "delete configmap a --now").await,
        "configmap \"a\" deleted\n"
    );
    let all = ours(&b, "delete deployments --all").await;
    assert_eq!(all, "deployment.apps \"carts\" deleted\n");
    assert!(run(&b, "get deployment carts").await.is_err());
    let e = rehearse::action::line::kubectl("delete configmap b --now --grace-period=5").unwrap_err();
    assert!(e.to_string().contains("cannot be specified together"), "{e}");
}

#[tokio::test]
async fn a_secrets_values_are_never_printed() {
    let ns = namespace("secret").await;
    let b = backend(&ns);
    let secret =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-very-secret\n";
    apply(&b, secret).await;
    // The value as the API server keeps it, base64.
    let encoded = theirs(&ns, "get secret db -o jsonpath={.data.password}");
    assert!(!encoded.is_empty());
    for line in [
        "get secret db -o yaml",
        "get secret db -o json",
        "get secret db -o jsonpath={.data.password}",
        "get secrets -o custom-columns=P:.data.password",
        "get secret db",
    ] {
        let printed = ours(&b, line).await;
        assert!(!printed.contains(&encoded), "{line}: {printed}");
        assert!(!printed.contains("hunter2-very-secret"), "{line}: {printed}");
    }
    assert_eq!(
        ours(&b, "get secret db -o jsonpath={.data.password}").await,
        "REDACTED"
    );
}

#[tokio::test]
async fn create_makes_and_prints_what_kubectl_does() {
    let ns = namespace("create").await;
    let b = backend(&ns);
    let other = format!("{ns}-made");
    for (mine, kubectls) in [
        (
            format!(
                "create configmap ui -n {ns} --from-literal=THEME=green --from-literal=a=b=c --dry-run=client -o yaml"
            ),
            "create configmap ui --from-literal=THEME=green --from-literal=a=b=c --dry-run=client -o yaml"
                .to_string(),
        ),
        (
            format!("create namespace {other} --dry-run=client -o yaml"),
            format!("create namespace {other} --dry-run=client -o yaml"),
        ),
        (
            format!("create namespace {other} --dry-run=client"),
            format!("create namespace {other} --dry-run=client"),
        ),
        (
            "create secret generic db --dry-run=client -o name".to_string(),
            "create secret generic db --dry-run=client -o name".to_string(),
        ),
    ] {
        same(&ours(&b, &mine).await, &theirs(&ns, &kubectls), &mine);
    }
    // Made for real: ours and kubectl's hold the same data.
    assert_eq!(
        ours(&b, "create configmap ui --from-literal=THEME=green").await,
        "configmap/ui created\n"
    );
    assert_eq!(
        theirs(&ns, "create configmap ui2 --from-literal=THEME=green"),
        "configmap/ui2 created\n"
    );
    let a = ok(&b, "get configmap ui").await;
    let k = ok(&b, "get configmap ui2").await;
    assert_eq!(a["data"], k["data"]);
    assert_eq!(
        ours(&b, "create secret generic db --from-literal=password=hunter2").await,
        "secret/db created\n"
    );
    theirs(&ns, "create secret generic db2 --from-literal=password=hunter2");
    let mine = kube_support::kubectl_json(&["-n", &ns, "get", "secret", "db", "-o", "json"]);
    let kubectls = kube_support::kubectl_json(&["-n", &ns, "get", "secret", "db2", "-o", "json"]);
    assert_eq!(mine["data"], kubectls["data"]);
    assert_eq!(mine["type"], kubectls["type"]);
    assert_eq!(
        ours(&b, &format!("create ns {other}")).await,
        format!("namespace/{other} created\n")
    );
    let e = rehearse::action::line::kubectl("create service clusterip x --tcp=80").unwrap_err();
    assert!(e.to_string().contains("create namespace NAME"), "{e}");
    let e = rehearse::action::line::kubectl("create configmap x --from-literal=novalue").unwrap_err();
    assert!(e.to_string().contains("expected key=value"), "{e}");
}

#[tokio::test]
async fn create_deployment_and_job_make_what_kubectl_makes() {
    let ns = namespace("create-workload").await;
    let b = backend(&ns);
    // kubectl is given `-n` (see `theirs`), so ours is too: the object
    // then names its namespace.
    for line in [
        "create deployment nginx-public --image=nginx --dry-run=client -o yaml",
        "create deployment web --image=public.ecr.aws/nginx/nginx:1.27 -r 3 --port=8080 --dry-run=client -o yaml -- nginx -g daemon",
        "create deploy two --image=nginx,redis:7 --image=busybox@sha256:0123 --dry-run=client -o yaml",
        "create deployment nginx-public --image=nginx --dry-run=client",
        "create deployment x --image=nginx --dry-run=client -o name",
        "create job once --image=busybox --dry-run=client -o yaml -- echo hi",
        "create job once --image=busybox --dry-run=client",
    ] {
        same(
            &ours(&b, &format!("-n {ns} {line}")).await,
            &theirs(&ns, line),
            line,
        );
    }
    // Without -n, the object names no namespace.
    let mine = ours(&b, "create deployment x --image=nginx --dry-run=client -o yaml").await;
    assert!(!mine.contains("namespace:"), "{mine}");
    // A server dry run: the API server checks it and keeps nothing.
    let line = "create deployment ghost --image=nginx --dry-run=server";
    same(&ours(&b, line).await, &theirs(&ns, line), line);
    let out = kubectl(&["-n", &ns, "get", "deployment", "ghost"]);
    assert!(!out.status.success(), "a server dry run made nothing");
    // Made for real, ours and kubectl's are the same deployment.
    assert_eq!(
        ours(&b, "create deployment web --image=nginx --port=80 -r 2").await,
        "deployment.apps/web created\n"
    );
    theirs(&ns, "create deployment web2 --image=nginx --port=80 -r 2");
    let mine = ok(&b, "get deployment web").await;
    let kubectls = ok(&b, "get deployment web2").await;
    assert_eq!(
        mine["spec"]["template"]["spec"],
        kubectls["spec"]["template"]["spec"]
    );
    assert_eq!(mine["spec"]["replicas"], 2);
    assert_eq!(mine["metadata"]["labels"]["app"], "web");
    assert_eq!(mine["spec"]["selector"]["matchLabels"]["app"], "web");
    assert_eq!(kubectls["spec"]["selector"]["matchLabels"]["app"], "web2");
}

/// kubectl 1.32 makes jobs only from batch/v1 CronJobs, which this API
/// server (1.20) does not serve: the job is checked against kubectl's
/// source (`createJobFromCronJob`) instead of its output.
#[tokio::test]
async fn create_job_from_a_cronjob_takes_its_template() {
    let ns = namespace("create-job").await;
    let b = backend(&ns);
    apply(
        &b,
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: cleanup\nspec:\n  schedule: '0 0 1 1 *'\n  jobTemplate:\n    metadata:\n      labels: {team: catalog}\n      annotations: {note: nightly}\n    spec:\n      backoffLimit: 2\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: clean, image: busybox, command: [echo, hi]}]\n",
    )
    .await;
    let cronjob = ok(&b, "get cronjob cleanup -o json").await;
    let printed = ours(
        &b,
        "create job manual-cleanup --from=cronjob/cleanup --dry-run=client -o name",
    )
    .await;
    assert_eq!(printed, "job.batch/manual-cleanup\n");
    assert_eq!(
        ours(&b, "create job --from=cronjob/cleanup manual-cleanup").await,
        "job.batch/manual-cleanup created\n"
    );
    let job = ok(&b, "get job manual-cleanup -o json").await;
    let meta = &job["metadata"];
    assert_eq!(meta["annotations"]["cronjob.kubernetes.io/instantiate"], "manual");
    assert_eq!(meta["annotations"]["note"], "nightly");
    assert_eq!(meta["labels"]["team"], "catalog");
    let owner = &meta["ownerReferences"][0];
    assert_eq!(owner["kind"], "CronJob");
    assert_eq!(owner["name"], "cleanup");
    assert_eq!(owner["uid"], cronjob["metadata"]["uid"]);
    assert_eq!(job["spec"]["backoffLimit"], 2);
    assert_eq!(
        job["spec"]["template"]["spec"]["containers"][0]["command"],
        serde_json::json!(["echo", "hi"])
    );
    let e = run(&b, "create job x --from=cronjob/missing").await.unwrap_err();
    assert!(e.message.contains("NotFound"), "{e:?}");
}

#[tokio::test]
async fn run_makes_the_pod_kubectl_makes() {
    let ns = namespace("run-pod").await;
    let b = backend(&ns);
    for line in [
        "run crypto --image ubuntu --restart=Never --command --dry-run=client -o yaml -- sleep infinity",
        "run load-generator --image=williamyeh/hey:latest --restart=Never --dry-run=client -o yaml -- -c 10 -q 5 -z 60m http://ui.ui.svc/home",
        "run x --image=nginx --port=80 --env=A=1 --env=B=2 --labels=a=b,c=d --restart=OnFailure --dry-run=client -o yaml",
        "run nginx --image=nginx --dry-run=client",
    ] {
        same(
            &ours(&b, &format!("-n {ns} {line}")).await,
            &theirs(&ns, line),
            line,
        );
    }
    let mine = ours(&b, "run x --image=nginx --dry-run=client -o yaml").await;
    assert!(!mine.contains("namespace:"), "{mine}");
    // Made for real, ours and kubectl's are the same pod.
    assert_eq!(
        ours(
            &b,
            "run test-pod --image=curlimages/curl --restart=Never -- sleep 3600"
        )
        .await,
        "pod/test-pod created\n"
    );
    theirs(
        &ns,
        "run test-pod2 --image=curlimages/curl --restart=Never -- sleep 3600",
    );
    let mine = ok(&b, "get pod test-pod").await;
    let kubectls = ok(&b, "get pod test-pod2").await;
    let container = |p: &serde_json::Value| {
        let mut c = p["spec"]["containers"][0].clone();
        c["name"] = serde_json::Value::Null;
        // The token volume's name is the API server's, random.
        c["volumeMounts"] = serde_json::Value::Null;
        c
    };
    assert_eq!(container(&mine), container(&kubectls));
    assert_eq!(mine["metadata"]["labels"]["run"], "test-pod");
    assert_eq!(mine["spec"]["restartPolicy"], "Never");
}

/// kubectl's `version` also prints its own version and Kustomize's;
/// rehearse gives the server's part only, which must be kubectl's.
#[tokio::test]
async fn version_prints_the_servers_part_of_kubectls() {
    let ns = namespace("version").await;
    let b = backend(&ns);
    let theirs_text = String::from_utf8(kubectl(&["version"]).stdout).unwrap();
    let server_line: String = theirs_text
        .lines()
        .filter(|l| l.starts_with("Server Version:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!server_line.is_empty(), "{theirs_text}");
    same(&ours(&b, "version").await, &server_line, "version");
    // kubectl's YAML without its client's parts.
    let theirs_yaml = String::from_utf8(kubectl(&["version", "-o", "yaml"]).stdout).unwrap();
    let at = theirs_yaml.find("serverVersion:").expect("serverVersion");
    same(
        &ours(&b, "version -o yaml").await,
        &theirs_yaml[at..],
        "version -o yaml",
    );
    let json = ok(&b, "version -o json").await;
    assert_eq!(json["serverVersion"]["major"], "1");
    assert!(json.get("clientVersion").is_none());
    let e = rehearse::action::line::kubectl("version -o name").unwrap_err();
    assert!(e.to_string().contains("'yaml' or 'json'"), "{e}");
    let e = rehearse::action::line::kubectl("version --client").unwrap_err();
    assert!(e.is_not_native(), "{e}");
}

#[tokio::test]
async fn cluster_info_says_what_kubectl_says() {
    let ns = namespace("cluster-info").await;
    let b = backend(&ns).with_server(Some(kube_support::cluster().server.clone()));
    // A cluster service of its own in kube-system (this binary's alone).
    let name = format!("{ns}-dns");
    apply(
        &b,
        &format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: kube-system\n  labels:\n    kubernetes.io/cluster-service: \"true\"\n    kubernetes.io/name: {name}-shown\nspec:\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n"
        ),
    )
    .await;
    let mine = ours(&b, "cluster-info").await;
    let kubectls = String::from_utf8(kubectl(&["cluster-info"]).stdout).unwrap();
    kubectl(&["-n", "kube-system", "delete", "service", &name]);
    same(&mine, &kubectls, "cluster-info");
    assert!(mine.contains(&format!("{name}-shown is running at ")), "{mine}");
    let e = rehearse::action::line::kubectl("cluster-info dump").unwrap_err();
    assert!(e.is_not_native(), "{e}");
}
