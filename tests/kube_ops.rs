//! `logs -l`, `set image`, `set env`, `rollout history`, `rollout undo`
//! and `wait -o` on the real control plane, each compared with Debian's
//! kubectl doing the same: in one namespace rehearse acts, in a twin
//! namespace kubectl does, and the objects and printed text must agree.

mod kube_support;

use std::time::Duration;

use kube_support::{DEPLOYMENT, Pods, apply, backend, kubectl, kubelet, namespace, ok, run};
use serde_json::Value;

/// kubectl's stdout, or a panic with its stderr.
fn theirs(ns: &str, line: &str) -> String {
    let out = kubectl_in(ns, line);
    assert!(
        out.status.success(),
        "kubectl {line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn kubectl_in(ns: &str, line: &str) -> std::process::Output {
    let words = shell_words::split(line).expect("a kubectl line");
    let mut args = vec!["-n", ns];
    args.extend(words.iter().map(String::as_str));
    kubectl(&args)
}

fn stdout(out: &Value) -> String {
    out["stdout"].as_str().unwrap_or_default().to_string()
}

/// Our step's output and what it prints, the step reading it (`stdout =
/// true`), as a workflow's would.
async fn step(b: &rehearse::backend::kube::KubeBackend, line: &str) -> (Value, Option<String>) {
    let mut command = rehearse::action::line::kubectl(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    command.reads_stdout = true;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let out = b
        .run(&command, std::path::Path::new("."), None, deadline)
        .await
        .unwrap_or_else(|e| panic!("{line}: {e:?}"));
    (out.json, out.stdout)
}

/// What our step prints.
async fn printed(b: &rehearse::backend::kube::KubeBackend, line: &str) -> String {
    step(b, line)
        .await
        .1
        .unwrap_or_else(|| panic!("{line}: nothing printed"))
}

/// A Deployment's pod template as both sides left it (what `set` and
/// `undo` change), and its annotations (but the last applied one, which
/// names its namespace).
async fn template_and_annotations(b: &rehearse::backend::kube::KubeBackend, what: &str) -> (Value, Value) {
    let mut d = ok(b, &format!("get {what}")).await;
    if let Some(a) = d["metadata"]["annotations"].as_object_mut() {
        assert!(
            a.shift_remove("kubectl.kubernetes.io/last-applied-configuration")
                .is_some()
        );
    }
    (
        d["spec"]["template"].clone(),
        d["metadata"]["annotations"].clone(),
    )
}

#[tokio::test]
async fn logs_of_a_selector_are_each_pods_as_kubectl_gives_them() {
    let ns = namespace("logs-l").await;
    let b = backend(&ns);
    // Twelve lines a container, the first six long ago, the others within
    // the last minute: a selector shows the last ten of each.
    let lines: Vec<(Duration, String)> = (1..=12u64)
        .map(|i| {
            let age = if i <= 6 { 3600 - i } else { 60 - i };
            (Duration::from_secs(age), format!("line {i}"))
        })
        .collect();
    let lines: Vec<(Duration, &str)> = lines.iter().map(|(d, l)| (*d, l.as_str())).collect();
    let _logs = kubelet().logs(Pods::labelled(&ns, "app=web"), &lines);
    let web = DEPLOYMENT
        .replace("carts", "web")
        .replace(
            "        - name: web\n",
            "        - name: sidecar\n          image: busybox:1.36\n        - name: web\n",
        )
        .replace(
            "      labels:\n        app: web\n    spec:",
            "      labels:\n        app: web\n        tier: front\n    spec:",
        );
    apply(&b, &web).await;
    ok(&b, "rollout status deployment/web --timeout=60s").await;

    let ours = stdout(&ok(&b, "logs -l app=web").await);
    let want: String = (3..=12).map(|i| format!("line {i}\n")).collect();
    // Two pods, the first container of each (kubectl's default).
    assert_eq!(ours, format!("{want}{want}"));
    assert_eq!(ours, theirs(&ns, "logs -l app=web"));

    // Several -l: the last one counts, for kubectl as for us.
    let ours = stdout(&ok(&b, "logs -l app=nothing -l tier=front --tail=1").await);
    assert_eq!(ours, "line 12\nline 12\n");
    assert_eq!(ours, theirs(&ns, "logs -l app=nothing -l tier=front --tail=1"));
    let none = ok(&b, "logs -l tier=front -l app=nothing").await;
    assert_eq!(stdout(&none), "");
    assert_eq!(theirs(&ns, "logs -l tier=front -l app=nothing"), "");

    // Every container, prefixed: kubectl gives pods and containers in no
    // set order, so the lines are compared as sets, and each of ours is
    // whole per container.
    let line = "logs -l app=web --all-containers --prefix --tail=2";
    let ours = stdout(&ok(&b, line).await);
    let mut mine: Vec<&str> = ours.lines().collect();
    let theirs_text = theirs(&ns, line);
    let mut their_lines: Vec<&str> = theirs_text.lines().collect();
    assert_eq!(mine.len(), 8, "{ours}");
    let chunks: Vec<&[&str]> = mine.chunks(2).collect();
    for chunk in chunks {
        let prefix = chunk[0].split(' ').next().unwrap();
        assert!(chunk.iter().all(|l| l.starts_with(prefix)), "{ours}");
        assert!(prefix.starts_with("[pod/web-"), "{ours}");
    }
    mine.sort();
    their_lines.sort();
    assert_eq!(mine, their_lines);

    // A workload: one pod, its named container, since a time.
    let line = "logs deployment/web -c sidecar --since=10m";
    let ours = stdout(&ok(&b, line).await);
    assert!(ours.starts_with("line 7\n"), "{ours}");
    assert_eq!(ours, theirs(&ns, line));
    let e = run(&b, "logs deployment/web -c nope").await.unwrap_err();
    let their = kubectl_in(&ns, "logs deployment/web -c nope");
    assert!(!their.status.success());
    assert!(
        e.message
            .starts_with("error: container nope is not valid for pod web-"),
        "{e:?}"
    );
    assert!(e.message.ends_with(" out of: sidecar, web"), "{e:?}");
    assert!(
        String::from_utf8_lossy(&their.stderr).contains("container nope is not valid for pod web-"),
        "{their:?}"
    );
}

#[tokio::test]
async fn set_image_and_env_change_what_kubectl_changes() {
    let (ns, twin) = (namespace("set").await, namespace("set-twin").await);
    let (b, t) = (backend(&ns), backend(&twin));
    let agent = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: agent\n          image: agent:1\n          env:\n            - name: A\n              value: \"1\"\n            - name: NODE\n              valueFrom:\n                fieldRef:\n                  fieldPath: spec.nodeName\n            - name: OLD\n              value: gone\n        - name: helper\n          image: helper:1\n";
    let config =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ui\ndata:\n  theme.color: green\n  other: x\n";
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n";
    for side in [&b, &t] {
        apply(side, DEPLOYMENT).await;
        apply(side, agent).await;
        apply(side, config).await;
        apply(side, secret).await;
    }
    let same_templates = |what: &'static str| {
        let (b, t) = (&b, &t);
        async move {
            let (ours, _) = template_and_annotations(b, what).await;
            let (their, _) = template_and_annotations(t, what).await;
            assert_eq!(ours, their, "{what}");
            ours
        }
    };

    for line in [
        "set image deployment/carts carts=public.ecr.aws/aws-containers/retail-store-sample-cart:1.1.0",
        "set image daemonset agent *=agent:2",
        "set env daemonset agent NODE=fixed OLD- NEW=a=b",
        "set env ds/agent -c help* MODE=debug",
        "set env deployment/carts -c carts A=1",
        "set env deployment/carts --from=configmap/ui --keys=theme.color --prefix=UI_",
        "set env deployment/carts --from=secret/db A=2",
    ] {
        let ours = printed(&b, line).await;
        assert_eq!(ours, theirs(&twin, line), "{line}");
        assert!(ours.ends_with(" updated\n"), "{line}: {ours}");
    }
    let carts = same_templates("deployment carts").await;
    assert_eq!(
        carts["spec"]["containers"][0]["image"],
        "public.ecr.aws/aws-containers/retail-store-sample-cart:1.1.0"
    );
    let env = &carts["spec"]["containers"][0]["env"];
    assert_eq!(env[0]["name"], "A");
    assert_eq!(env[0]["value"], "2");
    assert_eq!(env[1]["name"], "UI_THEME_COLOR");
    assert_eq!(env[1]["valueFrom"]["configMapKeyRef"]["key"], "theme.color");
    assert_eq!(env[2]["name"], "PASSWORD");
    assert_eq!(env[2]["valueFrom"]["secretKeyRef"]["name"], "db");
    let agent = same_templates("daemonset agent").await;
    assert_eq!(agent["spec"]["initContainers"][0]["image"], "agent:2");
    let env = &agent["spec"]["containers"][0]["env"];
    assert_eq!(env[1]["name"], "NODE");
    assert_eq!(env[1]["value"], "fixed");
    assert!(env[1].get("valueFrom").is_none(), "{env}");
    assert_eq!(env.as_array().unwrap().len(), 3, "{env}");

    // Nothing to change: nothing sent, nothing printed, by either.
    for (line, what) in [
        (
            "set image deployment/carts carts=public.ecr.aws/aws-containers/retail-store-sample-cart:1.1.0",
            "get deployment carts",
        ),
        ("set env ds/agent -c agent A=1", "get ds agent"),
        ("set env ds/agent -c agent A=1 -o yaml", "get ds agent"),
    ] {
        // The generation counts changes of the spec (the controllers keep
        // updating the status).
        let before = ok(&b, what).await["metadata"]["generation"].clone();
        assert_eq!(printed(&b, line).await, "", "{line}");
        assert_eq!(theirs(&twin, line), "", "{line}");
        let after = ok(&b, what).await["metadata"]["generation"].clone();
        assert_eq!(before, after, "{line}");
    }
    let e = run(&b, "set image deployment/carts nope=x:1").await.unwrap_err();
    assert_eq!(e.message, "error: unable to find container named \"nope\"");
    let their = kubectl_in(&twin, "set image deployment/carts nope=x:1");
    assert!(
        String::from_utf8_lossy(&their.stderr).contains(&e.message),
        "{their:?}"
    );
    let e = run(&b, "set env ds/agent A=2 --overwrite=false")
        .await
        .unwrap_err();
    assert_eq!(
        e.message,
        "error: 'A' already has a value (1), and --overwrite is false"
    );
}

#[tokio::test]
async fn rollout_history_and_undo_as_kubectl_does_them() {
    let (ns, twin) = (namespace("undo").await, namespace("undo-twin").await);
    let (b, t) = (backend(&ns), backend(&twin));
    let image = |tag: &str| format!("carts=public.ecr.aws/aws-containers/retail-store-sample-cart:{tag}");
    for side in [&b, &t] {
        apply(side, DEPLOYMENT).await;
        ok(side, "rollout status deployment/carts --timeout=60s").await;
        for tag in ["1.1.0", "1.2.0"] {
            ok(side, &format!("set image deployment/carts {}", image(tag))).await;
            ok(side, "rollout status deployment/carts --timeout=60s").await;
        }
    }
    let line = "rollout history deployment/carts";
    let ours = printed(&b, line).await;
    assert_eq!(ours, theirs(&twin, line));
    assert_eq!(
        ours,
        "deployment.apps/carts \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         <none>\n\n"
    );

    for line in [
        "rollout undo deployment/carts",
        "rollout undo deployment carts --to-revision=1",
        "rollout undo deploy/carts --to-revision=4",
    ] {
        let ours = printed(&b, line).await;
        assert_eq!(ours, theirs(&twin, line), "{line}");
        ok(&b, "rollout status deployment/carts --timeout=60s").await;
        ok(&t, "rollout status deployment/carts --timeout=60s").await;
        let (ours, our_annotations) = template_and_annotations(&b, "deployment carts").await;
        let (their, their_annotations) = template_and_annotations(&t, "deployment carts").await;
        assert_eq!(ours, their, "{line}");
        assert_eq!(our_annotations, their_annotations, "{line}");
    }
    // Revision 4 was 1.1.0, now revision 6: 1.2.0 → 1.1.0 → 1.0.0 → 1.1.0.
    let d = ok(&b, "get deployment carts").await;
    assert!(
        d["spec"]["template"]["spec"]["containers"][0]["image"]
            .as_str()
            .unwrap()
            .ends_with(":1.1.0")
    );
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "6"
    );

    // The current revision: skipped, in kubectl's words.
    let line = "rollout undo deployment/carts --to-revision=6";
    let ours = printed(&b, line).await;
    assert_eq!(
        ours,
        "deployment.apps/carts skipped rollback (current template already matches revision 6)\n"
    );
    assert_eq!(ours, theirs(&twin, line));
    let e = run(&b, "rollout undo deployment/carts --to-revision=9")
        .await
        .unwrap_err();
    assert_eq!(e.message, "error: unable to find specified revision 9 in history");
    let their = kubectl_in(&twin, "rollout undo deployment/carts --to-revision=9");
    assert_eq!(String::from_utf8_lossy(&their.stderr).trim(), e.message);
}

#[tokio::test]
async fn wait_prints_the_objects_with_o_as_kubectl_does() {
    let ns = namespace("wait-o").await;
    let b = backend(&ns);
    apply(&b, DEPLOYMENT).await;
    ok(&b, "rollout status deployment/carts --timeout=60s").await;
    for line in [
        "wait -o yaml deployment/carts --for=condition=Available=True --timeout=30s",
        "wait -o json deployment/carts --for=condition=Available --timeout=30s",
        "wait -o name deployment/carts --for=jsonpath={.status.readyReplicas}=2",
        "wait -o name pods -l app=carts --for=condition=Ready",
        "wait -o yaml pods -l app=carts --for=condition=Ready",
    ] {
        let ours = printed(&b, line).await;
        assert_eq!(ours, theirs(&ns, line), "{line}");
    }
    let out = ok(&b, "wait -o json deployment/carts --for=create").await;
    assert_eq!(out["kind"], "Deployment");
    assert_eq!(out["status"]["readyReplicas"], 2);
}

/// The new verbs go through the Kubernetes transport like the others: run
/// on a recording client against the cluster, then on the recording alone,
/// they give the same outputs and print the same text.
#[tokio::test]
async fn the_new_verbs_record_and_replay() {
    use rehearse::backend::kube::{Clock as Now, KubeBackend};
    use rehearse::ground::clock::Clock;
    use rehearse::recording::kube::{recording_client, replay_client};
    use rehearse::recording::{Header, Player, Recorder};
    use std::sync::Arc;

    let ns = namespace("replay").await;
    let setup = backend(&ns);
    let _logs = kubelet().logs(
        Pods::labelled(&ns, "app=carts"),
        &[
            (Duration::from_secs(2), "ready"),
            (Duration::from_secs(1), "serving"),
        ],
    );
    apply(&setup, DEPLOYMENT).await;
    ok(&setup, "rollout status deployment/carts --timeout=60s").await;
    ok(
        &setup,
        "set image deployment/carts carts=public.ecr.aws/aws-containers/retail-store-sample-cart:1.1.0",
    )
    .await;
    ok(&setup, "rollout status deployment/carts --timeout=60s").await;

    let steps = [
        "rollout history deployment/carts",
        "logs -l app=carts --prefix --tail=1",
        "set env deployment/carts MODE=test",
        "rollout undo deployment/carts --to-revision=1",
        "wait -o name deployment/carts --for=create",
    ];
    let now: Now = Arc::new(|| kube_support::NOW.to_string());
    let recorder = Recorder::new(Header::live(None, Default::default()));
    let client = recording_client(kube_support::cluster().config.clone(), recorder.clone()).unwrap();
    let live_backend = KubeBackend::new(client, ns.clone(), now.clone());
    let mut live = Vec::new();
    for (i, line) in steps.iter().enumerate() {
        recorder.set_step(format!("s{i}"));
        live.push(step(&live_backend, line).await);
    }
    assert!(live[1].1.as_deref().unwrap().contains("] serving\n"), "{live:?}");
    assert_eq!(live[3].1.as_deref(), Some("deployment.apps/carts rolled back\n"));

    let player = Player::new(recorder.finish());
    let clock = Clock::virtual_clock();
    let replayed_backend =
        KubeBackend::new(replay_client(player.clone(), &ns, clock.clone()), ns.clone(), now)
            .with_timer(clock);
    for (i, line) in steps.iter().enumerate() {
        player.set_step(format!("s{i}"));
        assert_eq!(step(&replayed_backend, line).await, live[i], "{line}");
    }
}

#[tokio::test]
async fn daemon_sets_and_stateful_sets_roll_back_as_kubectl_rolls_them_back() {
    let (ns, twin) = (namespace("undo-cr").await, namespace("undo-cr-twin").await);
    let (b, t) = (backend(&ns), backend(&twin));
    let template = |app: &str| {
        format!(
            "  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n        - name: {app}\n          image: {app}:1\n"
        )
    };
    let ds = format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n{}",
        template("agent")
    );
    let sts = format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n{}",
        template("db")
    );
    for side in [&b, &t] {
        apply(side, &ds).await;
        apply(side, &sts).await;
        for (what, container) in [("daemonset/agent", "agent"), ("statefulset/db", "db")] {
            ok(side, &format!("rollout status {what} --timeout=60s")).await;
            ok(side, &format!("set image {what} {container}={container}:2")).await;
            ok(side, &format!("rollout status {what} --timeout=60s")).await;
        }
    }
    for (what, get) in [
        ("daemonset/agent", "daemonset agent"),
        ("statefulset/db", "statefulset db"),
    ] {
        for line in [
            format!("rollout history {what}"),
            format!("rollout undo {what}"),
            // Revision 1 became revision 3 when it was restored.
            format!("rollout undo {what} --to-revision=3"),
            format!("rollout history {what}"),
        ] {
            let ours = printed(&b, &line).await;
            assert_eq!(ours, theirs(&twin, &line), "{line}");
            ok(&b, &format!("rollout status {what} --timeout=60s")).await;
            ok(&t, &format!("rollout status {what} --timeout=60s")).await;
        }
        let (ours, _) = template_and_annotations(&b, get).await;
        let (their, _) = template_and_annotations(&t, get).await;
        assert_eq!(ours, their, "{what}");
        assert!(
            ours["spec"]["containers"][0]["image"]
                .as_str()
                .unwrap()
                .ends_with(":1"),
            "{ours}"
        );
        let e = run(&b, &format!("rollout undo {what} --to-revision=7"))
            .await
            .unwrap_err();
        assert_eq!(e.message, "error: unable to find specified revision 7 in history");
    }
}
