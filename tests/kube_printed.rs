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

/// Tables equal but for their AGE cells, which are masked (`#`); where
/// the ages changed the columns' widths (`9s` then `10s`), runs of spaces
/// are compared as one.
fn same_table(ours: &str, theirs: &str, line: &str) {
    let mask = |text: &str| -> String {
        text.split_inclusive('\n')
            .map(|l| {
                l.split(' ')
                    .map(|w| {
                        // `9s)` ends an event's `(x2 over 9s)`.
                        let word = w.trim_end_matches('\n').trim_end_matches(')');
                        if is_age(word) {
                            "#".to_string() + &w[word.len()..]
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

/// A backend whose clock is the real one: `describe` prints events' ages
/// against it, as kubectl does against its own.
fn backend_now(ns: &str) -> rehearse::backend::kube::KubeBackend {
    let now: rehearse::backend::kube::Clock =
        std::sync::Arc::new(|| humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string());
    rehearse::backend::kube::KubeBackend::new(kube_support::client(), ns.to_string(), now)
}

/// An RFC 3339 time `secs` seconds ago.
fn ago(secs: u64) -> String {
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// An event about `obj` (its kind, name, namespace and uid, which kubectl
/// selects events by), seen `count` times, first `first` seconds ago.
fn event_about(obj: &serde_json::Value, name: &str, reason: &str, count: u64, first: u64) -> String {
    let meta = &obj["metadata"];
    let ns = meta["namespace"].as_str().unwrap_or("default");
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {
            "apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": meta["name"],
            "namespace": meta["namespace"], "uid": meta["uid"],
        },
        "reason": reason,
        "message": format!("{reason} happened  "),
        "type": if count > 1 { "Warning" } else { "Normal" },
        "source": {"component": "rehearse-test"},
        "count": count,
        "firstTimestamp": ago(first),
        "lastTimestamp": ago(first / 2),
    })
    .to_string()
}

/// A Deployment whose template has what kubectl's pod template describer
/// prints: annotations, a service account, an init container, ports,
/// command and args, resources, probes, environment from everywhere,
/// mounts, volumes of several kinds, spread constraints, tolerations.
const WEB: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    team: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [front, edge]}]
  strategy:
    rollingUpdate: {maxUnavailable: 0, maxSurge: "50%"}
  template:
    metadata:
      labels: {app: web, tier: front}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      initContainers:
        - name: init
          image: busybox
          command: [sh, -c, "echo ready"]
      containers:
        - name: web
          image: nginx:1.25
          args: ["--port", "8080"]
          ports:
            - {containerPort: 8080, name: http}
            - {containerPort: 9090, protocol: UDP}
          resources:
            limits: {memory: 256Mi, cpu: 500m}
            requests: {cpu: 250m}
          livenessProbe:
            httpGet: {path: /health, port: 8080}
            initialDelaySeconds: 5
          readinessProbe:
            exec: {command: [cat, /tmp/ready]}
          startupProbe:
            tcpSocket: {port: http}
          envFrom:
            - configMapRef: {name: settings}
            - secretRef: {name: db, optional: true}
              prefix: DB_
          env:
            - {name: PLAIN, value: "one\ntwo"}
            - name: POD
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: MEM
              valueFrom: {resourceFieldRef: {resource: limits.memory}}
            - name: CPU_REQ
              valueFrom: {resourceFieldRef: {resource: requests.memory}}
            - name: PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: SCRIPT
              valueFrom: {configMapKeyRef: {name: settings, key: script, optional: true}}
          volumeMounts:
            - {name: scratch, mountPath: /tmp}
            - {name: config, mountPath: /etc/config, readOnly: true}
            - {name: creds, mountPath: /etc/creds, subPath: password}
        - name: sidecar
          image: busybox
      volumes:
        - name: scratch
          emptyDir: {medium: Memory, sizeLimit: 64Mi}
        - name: config
          configMap: {name: settings}
        - name: creds
          secret: {secretName: db, optional: true}
        - name: host
          hostPath: {path: /var/log, type: Directory}
        - name: claim
          persistentVolumeClaim: {claimName: data, readOnly: true}
        - name: projected
          projected:
            sources:
              - configMap: {name: settings}
              - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
              - serviceAccountToken: {path: token, expirationSeconds: 3600}
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
      priorityClassName: system-cluster-critical
      tolerations:
        - {key: team, operator: Equal, value: shop, effect: NoSchedule}
        - {operator: Exists}
"#;

const STATEFUL: &str = r#"
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: {app: db}
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  updateStrategy:
    rollingUpdate: {partition: 0}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: mysql
          image: mysql:8
          volumeMounts:
            - {name: data, mountPath: /var/lib/mysql}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels: {app: db, tier: storage}
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: nowhere
        resources:
          requests: {storage: 2Gi}
"#;

const JOB: &str = r#"
apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  backoffLimit: 2
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: work
          image: busybox
          command: [sh, -c, "echo done"]
"#;

#[tokio::test]
async fn describe_prints_what_kubectl_describe_prints() {
    let ns = namespace("describe").await;
    let b = backend_now(&ns);
    let cm = apply(
        &b,
        r##"{"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "settings", "labels": {"app": "carts", "tier": "web"},
              "annotations": {"note": "short", "long": "a value that goes on and on, past the hundred and forty characters kubectl prints on one line with its key, so it gets lines of its own"}},
            "data": {"script": "#!/bin/sh\necho hello\n"}, "binaryData": {"blob": "AAEC"}}"##,
    )
    .await;
    apply(
        &b,
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings-empty", "labels": {"app": "carts"}}}"#,
    )
    .await;
    apply(
        &b,
        r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "type": "Opaque",
            "data": {"password": "c2VjcmV0LXZhbHVl"}}"#,
    )
    .await;
    let svc = apply(&b, SERVICE).await;
    let pvc = apply(
        &b,
        r#"{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "finalizers": ["example.com/keep"]},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "nowhere",
              "resources": {"requests": {"storage": "1Gi"}}}}"#,
    )
    .await;
    apply(
        &b,
        r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "user"},
            "spec": {"containers": [{"name": "c", "image": "busybox"}],
              "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}"#,
    )
    .await;
    let class = format!("{ns}-sc");
    let sc = apply(
        &b,
        &format!(
            r#"{{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {{"name": "{class}", "annotations": {{"storageclass.kubernetes.io/is-default-class": "false"}}}},
                "provisioner": "example.com/none", "parameters": {{"type": "gp3", "fsType": "ext4"}},
                "reclaimPolicy": "Retain", "volumeBindingMode": "WaitForFirstConsumer",
                "allowVolumeExpansion": true, "mountOptions": ["noatime"],
                "allowedTopologies": [{{"matchLabelExpressions": [{{"key": "zone", "values": ["a", "b"]}}]}}]}}"#
        ),
    )
    .await;
    apply(&b, DEPLOYMENT).await;
    apply(&b, WEB).await;
    // Settled: the replica sets and statuses kubectl reads are ours.
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    // Its pod waits for a claim that is never bound: settled once it exists.
    ok(
        &b,
        "wait --for=jsonpath={.status.unavailableReplicas}=1 deployment/web --timeout=60s",
    )
    .await;
    apply(
        &b,
        r#"{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "shop", "annotations": {"alb.ingress.kubernetes.io/scheme": "internet-facing"}},
            "spec": {"ingressClassName": "alb",
              "defaultBackend": {"service": {"name": "carts", "port": {"name": "http"}}},
              "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}, {"hosts": ["a.example.com", "b.example.com"]}],
              "rules": [
                {"host": "shop.example.com", "http": {"paths": [
                  {"path": "/cart", "pathType": "Prefix", "backend": {"service": {"name": "carts", "port": {"number": 80}}}},
                  {"path": "/missing", "pathType": "Exact", "backend": {"service": {"name": "nowhere", "port": {"number": 8080}}}}]}},
                {"http": {"paths": [{"path": "/", "pathType": "Prefix",
                  "backend": {"resource": {"apiGroup": "example.com", "kind": "Bucket", "name": "static"}}}]}}]}}"#,
    )
    .await;
    apply(
        &b,
        r#"{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "bare"},
            "spec": {"rules": [{"host": "x.example.com"}]}}"#,
    )
    .await;
    apply(&b, STATEFUL).await;
    apply(&b, JOB).await;
    ok(
        &b,
        "wait --for=jsonpath={.status.replicas}=1 statefulset/db --timeout=60s",
    )
    .await;
    ok(
        &b,
        "wait --for=jsonpath={.status.active}=1 job/once --timeout=60s",
    )
    .await;
    // A second revision: an old replica set and a new one.
    ok(
        &b,
        r#"patch deployment carts -p '{"spec":{"template":{"metadata":{"labels":{"rev":"2"}}}}}'"#,
    )
    .await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    // Events at ages that stay the same for minutes (kubectl's and ours
    // are printed moments apart), one seen several times.
    for (obj, name, reason, count, first) in [
        (&cm, "settings.1", "Checked", 1, 3 * 3600),
        (&cm, "settings.2", "Rechecked", 4, 5 * 3600),
        (&svc, "carts.1", "Looked", 1, 2 * 86400),
        (&pvc, "data.1", "Waited", 2, 30 * 60),
        (&sc, &format!("{class}.1"), "Seen", 1, 9 * 3600),
    ] {
        apply(&b, &event_about(obj, name, reason, count, first)).await;
    }

    for line in [
        "describe configmap settings".to_string(),
        "describe cm -l app=carts".to_string(),
        "describe configmaps settings-empty settings".to_string(),
        // One name that matches nothing: the objects it starts.
        "describe configmap settings-e".to_string(),
        "describe secret db".to_string(),
        "describe svc carts".to_string(),
        "describe service/carts".to_string(),
        "describe pvc data".to_string(),
        format!("describe sc {class}"),
        format!("describe storageclass/{class}"),
        format!("describe namespace {ns}"),
        "describe deployment carts".to_string(),
        "describe deploy web".to_string(),
        "describe deployments".to_string(),
        "describe statefulset db".to_string(),
        "describe job once".to_string(),
        "describe pods -l app=carts".to_string(),
        "describe pod user".to_string(),
        "describe po -l app=web".to_string(),
        "describe ingress/shop".to_string(),
        "describe ing bare".to_string(),
    ] {
        same_table(&ours(&b, &line).await, &theirs(&ns, &line), &line);
    }

    // The step's JSON is what `get -o json` gives for the same objects.
    for (describe, get) in [
        ("describe configmap settings", "get configmap settings -o json"),
        ("describe cm -l app=carts", "get cm -l app=carts -o json"),
    ] {
        let described = ok(&b, describe).await;
        let got = ok(&b, get).await;
        assert_eq!(described, got, "{describe}");
    }
    // A Secret's values are never printed, its token decoded included.
    let text = ours(&b, "describe secret db").await;
    assert!(text.contains("password:  12 bytes"), "{text}");
    assert!(
        !text.contains("c2VjcmV0") && !text.contains("secret-value"),
        "{text}"
    );

    let e = run(&b, "describe configmap nothing-like-it").await.unwrap_err();
    assert_eq!(
        e.message,
        "Error from server (NotFound): configmaps \"nothing-like-it\" not found"
    );
    ok(&b, &format!("delete storageclass {class}")).await;
}

/// A node's pods, requests and limits of every kind the totals add up:
/// plain containers, an init container that needs more than they do, a
/// sidecar, an extended resource and huge pages.
fn pods_on(node: &str) -> [String; 3] {
    [
        format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "big"}},
                "spec": {{"nodeName": "{node}", "containers": [
                  {{"name": "app", "image": "busybox", "resources": {{
                    "requests": {{"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "1Gi",
                                  "example.com/dongle": "1", "hugepages-2Mi": "4Mi"}},
                    "limits": {{"cpu": "1", "memory": "512Mi", "example.com/dongle": "1", "hugepages-2Mi": "4Mi"}}}}}},
                  {{"name": "side", "image": "busybox", "resources": {{"requests": {{"cpu": "250m", "memory": "64Mi"}}}}}}]}}}}"#
        ),
        format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "init"}},
                "spec": {{"nodeName": "{node}",
                  "initContainers": [{{"name": "setup", "image": "busybox",
                    "resources": {{"requests": {{"cpu": "2", "memory": "1.5Gi"}}}}}}],
                  "containers": [{{"name": "app", "image": "busybox",
                    "resources": {{"requests": {{"cpu": "100m"}}, "limits": {{"memory": "100M"}}}}}}]}}}}"#
        ),
        format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "plain"}},
                "spec": {{"nodeName": "{node}", "containers": [{{"name": "app", "image": "busybox"}}]}}}}"#
        ),
    ]
}

/// A node of its own (a second fake kubelet: no other test puts pods on
/// it), labelled with roles, tainted, with pods, events and then a lease,
/// described as kubectl describes it.
#[tokio::test]
async fn describe_node_prints_what_kubectl_describe_node_prints() {
    use k8s_openapi::api::coordination::v1::Lease;
    let ns = namespace("describe-node").await;
    let b = backend_now(&ns);
    let own = kube_support::FakeKubelet::start(kube_support::cluster().config.clone(), 1);
    let node = own.nodes()[0].clone();
    // Node names come from process ids, which come round again: pods a
    // killed run left on a node of this name would be counted as its own.
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::all(kube_support::client());
    let on_node = kube::api::ListParams::default().fields(&format!("spec.nodeName={node}"));
    for stale in pods.list(&on_node).await.unwrap() {
        let at: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::namespaced(
            kube_support::client(),
            stale.metadata.namespace.as_deref().unwrap_or_default(),
        );
        let now = kube::api::DeleteParams::default().grace_period(0);
        let _ = at
            .delete(stale.metadata.name.as_deref().unwrap_or_default(), &now)
            .await;
    }
    ok(
        &b,
        &format!(
            r#"patch node {node} -p '{{"metadata":{{"labels":{{"node-role.kubernetes.io/worker":"","kubernetes.io/role":"infra"}},"annotations":{{"note":"fake"}}}},"spec":{{"podCIDR":"10.88.0.0/24","podCIDRs":["10.88.0.0/24"],"providerID":"aws:///us-west-2a/i-0123","taints":[{{"key":"dedicated","value":"lab","effect":"NoSchedule"}},{{"key":"spot","effect":"PreferNoSchedule"}}]}}}}'"#
        ),
    )
    .await;
    for pod in pods_on(&node) {
        apply(&b, &pod).await;
    }
    let obj = ok(&b, &format!("get node {node} -o json")).await;
    apply(
        &b,
        &event_about(&obj, &format!("{node}.1"), "Rebooted", 1, 2 * 3600),
    )
    .await;
    // A kubelet's events name the node by its name where the uid goes.
    let mut by_name = obj.clone();
    by_name["metadata"]["uid"] = serde_json::json!(node);
    apply(
        &b,
        &event_about(&by_name, &format!("{node}.2"), "Starting", 3, 4 * 3600),
    )
    .await;

    let lines = [
        format!("describe node {node}"),
        format!("describe nodes/{node}"),
        format!("describe no {node}"),
        // As the workshop finds its nodes: by label.
        format!("describe nodes --selector {}", own.node_selector()),
    ];
    for line in &lines {
        same_table(&ours(&b, line).await, &theirs(&ns, line), line);
    }
    let text = ours(&b, &lines[0]).await;
    for part in [
        "Roles:              infra,worker",
        "Failed to get lease: leases.coordination.k8s.io",
        "(3 in total)",
        "Rebooted",
        "Starting",
        "example.com/dongle  1",
    ] {
        assert!(text.contains(part), "{part}:\n{text}");
    }
    // The step's JSON is the node as `get -o json` gives it.
    assert_eq!(ok(&b, &lines[0]).await, obj);

    let leases: kube::Api<Lease> = kube::Api::namespaced(kube_support::client(), "kube-node-lease");
    let lease: Lease = serde_json::from_value(serde_json::json!({
        "metadata": {"name": node},
        "spec": {"holderIdentity": node, "leaseDurationSeconds": 40,
                 "renewTime": "2026-11-30T10:00:05.123456Z"},
    }))
    .unwrap();
    leases.create(&Default::default(), &lease).await.unwrap();
    let line = &lines[0];
    let text = ours(&b, line).await;
    same_table(&text, &theirs(&ns, line), line);
    assert!(
        text.contains("AcquireTime:     <unset>")
            && text.contains("RenewTime:       Mon, 30 Nov 2026 10:00:05 +0000"),
        "{text}"
    );
    leases.delete(&node, &Default::default()).await.unwrap();
    // Gone before this test's kubelet, which confirms their deletion, is.
    ok(&b, "delete pod big init plain").await;
    ok(&b, "wait --for=delete pod/big pod/init pod/plain --timeout=60s").await;
}

/// A CronJob is described by kubectl as `batch/v1` whatever version the
/// server serves it in: on this v1.20 server (`batch/v1beta1` only)
/// kubectl fails, and so does the step, with kubectl's words.
#[tokio::test]
async fn describe_cronjob_fails_as_kubectl_does_where_batch_v1_has_none() {
    let ns = namespace("describe-cj").await;
    let b = backend_now(&ns);
    apply(
        &b,
        r#"{"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "nightly"},
            "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
              "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}}"#,
    )
    .await;
    let out = kubectl(&["-n", &ns, "describe", "cronjob", "nightly"]);
    assert!(!out.status.success());
    let theirs = String::from_utf8_lossy(&out.stderr);
    for line in ["describe cronjob nightly", "describe cj/nightly"] {
        let e = run(&b, line).await.unwrap_err();
        assert_eq!(
            e.message,
            "Error from server (NotFound): the server could not find the requested resource"
        );
        assert!(theirs.contains(&e.message), "{theirs}");
    }
}

/// `describe` goes through the Kubernetes transport, every request it
/// makes (the object, its events, a claim's pods, a service's endpoint
/// slices, a namespace's quotas, a node's lease and pods) recorded, so a replay with no server
/// prints the same text and gives the same JSON.
#[tokio::test]
async fn describe_records_and_replays() {
    use rehearse::recording::kube::{recording_client, replay_client};
    use rehearse::recording::{Header, Player, Recorder, Recording};
    use std::sync::Arc;

    let ns = namespace("describe-rec").await;
    let setup = backend_now(&ns);
    let cm = apply(
        &setup,
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"a": "1"}}"#,
    )
    .await;
    apply(&setup, &event_about(&cm, "settings.1", "Checked", 2, 7200)).await;
    apply(&setup, SERVICE).await;
    apply(
        &setup,
        r#"{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}"#,
    )
    .await;
    apply(
        &setup,
        r#"{"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "nightly"},
            "spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": {
              "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}}"#,
    )
    .await;
    // One time for both runs: the ages printed are the same.
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let clock = move || -> rehearse::backend::kube::Clock {
        let now = now.clone();
        Arc::new(move || now.clone())
    };
    let node = kubelet().nodes()[0].clone();
    let lines = [
        "describe configmap settings".to_string(),
        "describe svc carts".to_string(),
        "describe pvc data".to_string(),
        "describe cm".to_string(),
        // Its lease, the pods on it, its events by uid and by name.
        format!("describe node {node}"),
        // Fails (this server has no batch/v1 CronJobs), and so does its replay.
        "describe cronjob nightly".to_string(),
    ];
    let run_all = |b: rehearse::backend::kube::KubeBackend| {
        let lines = lines.clone();
        async move {
            let mut outs = Vec::new();
            for line in &lines {
                let mut command = rehearse::action::line::kubectl(line).unwrap();
                command.reads_stdout = true;
                let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
                let out = b
                    .run(&command, std::path::Path::new("."), None, deadline)
                    .await
                    .map(|out| (out.json, out.stdout.expect("printed")))
                    .map_err(|e| e.message);
                outs.push(out);
            }
            outs
        }
    };

    let recorder = Recorder::new(Header::live(None, Default::default()));
    recorder.set_step("describe");
    let client = recording_client(kube_support::cluster().config.clone(), recorder.clone()).unwrap();
    let live = run_all(rehearse::backend::kube::KubeBackend::new(
        client,
        ns.clone(),
        clock(),
    ))
    .await;
    let text = |i: usize| {
        live[i]
            .as_ref()
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(text(0).contains("Checked"), "{}", text(0));
    assert!(text(4).contains("Non-terminated Pods:"), "{}", text(4));
    assert_eq!(
        live[5],
        Err("Error from server (NotFound): the server could not find the requested resource".into())
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("describe.recording.yaml");
    recorder.finish().save(&path).unwrap();
    let player = Player::new(Recording::load(&path).unwrap());
    player.set_step("describe");
    let client = replay_client(player, &ns, rehearse::ground::clock::Clock::virtual_clock());
    let replayed = run_all(rehearse::backend::kube::KubeBackend::new(
        client,
        ns.clone(),
        clock(),
    ))
    .await;
    for ((line, live), replayed) in lines.iter().zip(&live).zip(&replayed) {
        assert_eq!(live, replayed, "{line}");
    }
}

/// A custom resource is printed by kubectl's generic describer: every
/// field, nested maps indented, names made labels.
#[tokio::test]
async fn describe_prints_a_custom_resource_as_kubectl_generic_describer() {
    let ns = namespace("describe-crd").await;
    let b = backend_now(&ns);
    let group = format!("{ns}.example.com");
    let crd = format!("httproutes.{group}");
    apply(
        &b,
        &format!(
            r#"{{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {{"name": "{crd}"}},
                "spec": {{"group": "{group}", "scope": "Namespaced",
                  "names": {{"plural": "httproutes", "singular": "httproute", "kind": "HTTPRoute"}},
                  "versions": [{{"name": "v1", "served": true, "storage": true,
                    "subresources": {{"status": {{}}}},
                    "schema": {{"openAPIV3Schema": {{"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}}]}}}}"#
        ),
    )
    .await;
    ok(
        &b,
        &format!("wait --for=condition=Established crd/{crd} --timeout=60s"),
    )
    .await;
    let route = apply(
        &b,
        &format!(
            r#"{{"apiVersion": "{group}/v1", "kind": "HTTPRoute",
                "metadata": {{"name": "checkoutroute", "labels": {{"app": "checkout"}}}},
                "spec": {{"parentRefs": [{{"name": "shop", "sectionName": "http"}}],
                  "hostnames": ["shop.example.com", "www.example.com"],
                  "rules": [{{"backendRefs": [{{"name": "checkout", "port": 80, "weight": 1}}],
                    "matches": [{{"path": {{"type": "PathPrefix", "value": "/checkout"}}}}],
                    "timeouts": {{"request": "10s"}}, "enabled": true, "ratio": 0.5, "extra": null}}]}}}}"#
        ),
    )
    .await;
    apply(
        &b,
        &event_about(&route, "checkoutroute.1", "Attached", 1, 4 * 3600),
    )
    .await;
    for line in [
        format!("describe httproutes.{group} checkoutroute"),
        format!("describe httproutes.{group}"),
    ] {
        same_table(&ours(&b, &line).await, &theirs(&ns, &line), &line);
    }
    // A built-in kind outside the table validation reads is not printed
    // generically: the step fails and says so.
    apply(
        &b,
        r#"{"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
            "template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}"#,
    )
    .await;
    let e = run(&b, "describe podtemplates t").await.unwrap_err();
    assert!(e.message.contains("PodTemplate is not run natively"), "{e:?}");
    ok(&b, &format!("delete crd {crd}")).await;
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
