use std::path::Path;
use std::time::Duration;

use super::*;
use crate::action::arg::{Arg, CommandError, Context, Filler};
use crate::action::words::split;

fn parsed(line: &str) -> Result<Command<Parsed>, CommandError> {
    let src = format!("'{line}'");
    let words = split(line, 0..src.len(), &src)
        .map_err(|e| CommandError::new(e.message, e.hint))?
        .words;
    parse(&words)
}

/// A line with no placeholders, parsed and filled in.
fn command(line: &str) -> Command {
    fill(line, &[]).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn fill(line: &str, vars: &[(&str, &str)]) -> Result<Command, CommandError> {
    let src = format!("\"{line}\"");
    let words = split(line, 0..src.len(), &src)
        .map_err(|e| CommandError::new(e.message, e.hint))?
        .words;
    let value = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string());
    let filler = Filler {
        value: &value,
        context: Context { dir: Path::new(".") },
    };
    parse(&words)?.fill(&filler)
}

fn verb(line: &str) -> Verb {
    command(line).verb
}

fn err(line: &str) -> CommandError {
    parsed(line).expect_err(line)
}

fn target(resource: &str, names: &[&str]) -> Target {
    Target {
        resource: resource.into(),
        names: names.iter().map(|n| n.to_string()).collect(),
    }
}

#[test]
fn get_forms() {
    let c = command("get pods -n catalog -l app=catalog -o json");
    assert_eq!(c.namespace.as_deref(), Some("catalog"));
    let Verb::Get(g) = c.verb else { panic!() };
    assert_eq!(g.targets.list, vec![target("pods", &[])]);
    assert!(!g.targets.single);
    assert_eq!(g.selector.as_deref(), Some("app=catalog"));

    let Verb::Get(g) = verb("get deploy/carts") else {
        panic!()
    };
    assert!(g.targets.single);
    assert_eq!(g.targets.list, vec![target("deploy", &["carts"])]);

    let Verb::Get(g) = verb("kubectl get svc,cm -A --sort-by=.metadata.name") else {
        panic!()
    };
    assert_eq!(g.targets.list.len(), 2);
    assert!(g.all_namespaces && !g.targets.single);
    assert_eq!(g.sort_by.as_deref(), Some(".metadata.name"));

    let c = command("-n ui get deployment ui -ojsonpath='{.status.replicas}'");
    assert_eq!(c.namespace.as_deref(), Some("ui"));
    let Some(print::Format::JsonPath(t)) = &c.output else {
        panic!("{:?}", c.output)
    };
    assert_eq!(t.source(), "{.status.replicas}");
    assert_eq!(command("get po -nui").namespace.as_deref(), Some("ui"));
    assert_eq!(command("get po -n=ui").namespace.as_deref(), Some("ui"));
    let Verb::Get(g) = verb("get pod a b") else {
        panic!()
    };
    assert_eq!(g.targets.list, vec![target("pod", &["a", "b"])]);
    assert!(!g.targets.single);
    assert!(parsed("get pods x -l app=y").is_err());
}

#[test]
fn unknown_flags_name_the_known_ones() {
    let e = err("get pods --raw");
    assert!(e.message.contains("--raw"), "{e}");
    assert!(
        e.hint.contains("-l/--selector") && e.hint.contains("-A/--all-namespaces"),
        "{e}"
    );
    assert!(err("get pods -o table").message.contains("table"));
}

#[test]
fn lines_beyond_the_native_verbs_are_refused_as_not_native() {
    let e = err("create service clusterip x --tcp=80");
    assert!(e.hint.contains("through the kubectl CLI"), "{e}");
    for line in [
        "create service clusterip x --tcp=80",
        "rollout pause deployment/x",
        "set resources deployment/x --limits=cpu=200m",
        "frobnicate x",
        "describe replicaset carts",
        "apply -k ./kustomize",
        "logs -f deployment/x",
    ] {
        assert!(err(line).is_not_native(), "{line}");
    }
    let e = err("describe replicaset carts");
    assert!(e.message.contains("ReplicaSet (`replicaset`)"), "{e}");
    assert!(e.hint.contains("ConfigMap"), "{e}");
    assert!(err("apply -k ./kustomize").message.contains("-k"));
    // Wrong whatever runs it.
    for line in [
        "${V} pods",
        "scale deployment/x",
        "get pods --sort-by",
        "rollout",
        "set",
    ] {
        assert!(!err(line).is_not_native(), "{line}");
    }
}

#[test]
fn rollout_undo_history_and_set() {
    let Verb::RolloutUndo(u) = verb("rollout undo deployment/ui -n ui") else {
        panic!()
    };
    assert_eq!(u.targets.list, vec![target("deployment", &["ui"])]);
    assert_eq!(u.to_revision, None);
    let Verb::RolloutUndo(u) = verb("rollout undo deploy ui --to-revision=2") else {
        panic!()
    };
    assert_eq!(u.to_revision, Some(2));
    assert!(
        err("rollout undo deploy/ui --to-revision=two")
            .message
            .contains("two")
    );
    let Verb::RolloutHistory(h) = verb("rollout history deployment/ui") else {
        panic!()
    };
    assert_eq!(h.targets.list, vec![target("deployment", &["ui"])]);
    assert!(err("rollout history deployment/ui --revision=2").is_not_native());

    let Verb::SetImage(i) = verb("set image deployment/ui ui=public.ecr.aws/x/ui:v2 -n ui") else {
        panic!()
    };
    assert_eq!(i.targets.list, vec![target("deployment", &["ui"])]);
    assert_eq!(
        i.images,
        vec![Change {
            key: "ui".into(),
            value: Some("public.ecr.aws/x/ui:v2".into())
        }]
    );
    assert!(
        err("set image deployment/ui")
            .message
            .contains("at least one image")
    );
    assert!(
        err("set image deployment/ui *=a b=c")
            .message
            .contains("already specified by *")
    );
    assert!(
        err("set image deployment/ui ui-")
            .message
            .contains("invalid image update")
    );

    let Verb::SetEnv(e) = verb("set env daemonset aws-node -n kube-system A_B=true OLD- X=a=b") else {
        panic!()
    };
    assert_eq!(e.targets.list, vec![target("daemonset", &["aws-node"])]);
    let changes: Vec<(String, Option<String>)> = e.changes.into_iter().map(|c| (c.key, c.value)).collect();
    assert_eq!(
        changes,
        vec![
            ("A_B".into(), Some("true".into())),
            ("OLD".into(), None),
            ("X".into(), Some("a=b".into()))
        ]
    );
    assert!(e.overwrite);
    assert_eq!(e.containers, None);
    assert!(err("set env ds/x 1A=b").message.contains("not a valid key name"));
    assert!(
        err("set env ds/x A=b A-")
            .message
            .contains("both modify and remove")
    );
    let Verb::SetEnv(e) = verb("set env deploy/ui --from=configmap/ui --keys=a,b --keys=c --prefix=UI_")
    else {
        panic!()
    };
    assert_eq!(e.from, Some(target("configmap", &["ui"])));
    assert_eq!(e.keys, ["a,b", "c"]);
    assert_eq!(e.prefix.as_deref(), Some("UI_"));
    assert!(e.changes.is_empty());
    assert!(err("set env deploy/ui").message.contains("at least one"));
    assert!(err("set env ds/x -e A=b").is_not_native());
    assert!(err("set resources ds/x").is_not_native());
}

#[test]
fn wait_prints_objects_with_o() {
    let c = command(
        "wait -o yaml webapplication/carts -n carts --for=condition=ResourcesReady=True --timeout=120s",
    );
    assert_eq!(c.output, Some(print::Format::Yaml));
    assert!(matches!(c.verb, Verb::Wait(_)));
    assert!(err("wait --for=delete pod/x -o name").is_not_native());
}

#[test]
fn apply_delete() {
    let Verb::Apply(a) = verb("apply -f a.yaml -f dir/") else {
        panic!()
    };
    assert_eq!(a.files, ["a.yaml", "dir/"]);
    let Verb::Apply(a) = verb("apply -f -") else {
        panic!()
    };
    assert_eq!(a.files, ["-"]);
    let Verb::Delete(d) = verb("delete deployment carts --ignore-not-found --wait") else {
        panic!()
    };
    assert_eq!(d.targets.unwrap().list, vec![target("deployment", &["carts"])]);
    assert!(d.ignore_not_found && d.wait);
    let Verb::Delete(d) = verb("delete -f x.yaml --wait=false") else {
        panic!()
    };
    assert_eq!(d.files, ["x.yaml"]);
    assert!(!d.wait && d.targets.is_none());
    let Verb::Delete(d) = verb("delete pods -l app=x") else {
        panic!()
    };
    assert_eq!(d.selector.as_deref(), Some("app=x"));
    assert!(parsed("delete pods").is_err());
    assert!(parsed("delete -f x.yaml pods").is_err());
}

#[test]
fn manifests_from_urls_are_read_as_kubectl_reads_them() {
    let Verb::Apply(a) = verb("apply -f https://example.com/x.yaml") else {
        panic!()
    };
    assert_eq!(a.files, ["https://example.com/x.yaml"]);
    let Verb::Delete(d) = verb("delete -f http://example.com/x.yaml") else {
        panic!()
    };
    assert_eq!(d.files, ["http://example.com/x.yaml"]);
    let c = fill("apply -f ${M}", &[("M", "https://example.com/x.yaml")]).unwrap();
    assert!(matches!(c.verb, Verb::Apply(_)));
    assert!(fill("apply -f ${M}", &[("M", "")]).is_err());
}

#[test]
fn patch_and_metadata() {
    let Verb::Patch(p) = verb(r#"patch deployment carts --type merge -p '{"spec":{"replicas":2}}'"#) else {
        panic!()
    };
    assert_eq!(p.target, target("deployment", &["carts"]));
    assert_eq!(p.body.kind, PatchType::Merge);
    assert_eq!(p.body.value, serde_json::json!({"spec": {"replicas": 2}}));
    assert!(parsed(r#"patch deploy/x --type json -p '{"a":1}'"#).is_err());
    assert!(parsed(r#"patch deploy/x --type=json -p='[{"op":"remove","path":"/a"}]'"#).is_ok());
    assert!(parsed("patch deploy/x --type merge").is_err());
    let Verb::Metadata(m) = verb("annotate deployment carts a=1 b- --overwrite") else {
        panic!()
    };
    assert_eq!(m.field, MetaField::Annotations);
    assert_eq!(m.targets.list, vec![target("deployment", &["carts"])]);
    assert_eq!(
        m.changes,
        vec![
            Change {
                key: "a".into(),
                value: Some("1".into())
            },
            Change {
                key: "b".into(),
                value: None
            }
        ]
    );
    assert!(m.overwrite);
    let Verb::Metadata(m) = verb("label pods -l app=x tier=web") else {
        panic!()
    };
    assert_eq!(m.field, MetaField::Labels);
    assert_eq!(m.selector.as_deref(), Some("app=x"));
    assert!(parsed("label pod x").is_err());
}

#[test]
fn scale_rollout_wait() {
    let Verb::Scale(s) = verb("scale deployment/carts --replicas=3") else {
        panic!()
    };
    assert_eq!(s.targets.list, vec![target("deployment", &["carts"])]);
    assert_eq!(s.replicas, 3);
    assert!(parsed("scale deployment/carts --replicas=three").is_err());
    let Verb::RolloutStatus(r) = verb("rollout status deployment/carts --timeout=2m") else {
        panic!()
    };
    assert_eq!(r.timeout, Some(Duration::from_secs(120)));
    assert!(r.watch);
    let Verb::RolloutStatus(r) = verb("rollout status -n carts deploy carts --timeout 0") else {
        panic!()
    };
    assert_eq!(r.timeout, None);
    assert!(matches!(
        verb("rollout restart deployment/carts"),
        Verb::RolloutRestart(_)
    ));
    let Verb::Wait(w) = verb("wait --for=condition=Available deployment/carts --timeout=60s") else {
        panic!()
    };
    assert_eq!(
        w.condition,
        WaitFor::Condition {
            name: "Available".into(),
            value: "true".into()
        }
    );
    assert_eq!(w.timeout, Duration::from_secs(60));
    let Verb::Wait(w) = verb("wait --for=jsonpath='{.status.phase}'=Running pod/x") else {
        panic!()
    };
    assert_eq!(
        w.condition,
        WaitFor::JsonPath {
            path: ".status.phase".into(),
            value: Some("Running".into())
        }
    );
    assert_eq!(w.timeout, Duration::from_secs(30));
    let Verb::Wait(w) = verb("wait pods -l app=x --for=delete") else {
        panic!()
    };
    assert_eq!(w.condition, WaitFor::Delete);
    assert!(parsed("wait deployment/x").is_err());
    assert!(parsed("wait deployment/x --for=ready").is_err());
}

#[test]
fn logs_exec() {
    let Verb::Logs(l) = verb("logs deployment/carts -c app --tail 20 -p") else {
        panic!()
    };
    assert_eq!(l.target.unwrap().resource, "deployment");
    assert_eq!(l.container.as_deref(), Some("app"));
    assert!(l.previous);
    assert_eq!(l.tail, Some(20));
    let Verb::Logs(l) = verb("logs carts-abc --since=1m") else {
        panic!()
    };
    assert_eq!(l.target, Some(target("pods", &["carts-abc"])));
    assert_eq!(l.since, Some(Duration::from_secs(60)));
    assert!(err("logs -f x").message.contains("follows"));
    // Several -l: the last one counts, as kubectl's flag keeps the last value.
    let Verb::Logs(l) = verb("logs -l app=catalog -l component=service -n catalog --all-containers --prefix")
    else {
        panic!()
    };
    assert_eq!(l.target, None);
    assert_eq!(l.selector.as_deref(), Some("component=service"));
    assert!(l.all_containers && l.prefix);
    assert!(err("logs x -l app=y").message.contains("only a selector"));
    assert!(
        err("logs -l app=y -c a --all-containers")
            .message
            .contains("--all-containers")
    );
    let Verb::Exec(x) = verb("exec -it deployment/carts -c app -- curl -s http://x") else {
        panic!()
    };
    assert_eq!(x.target, target("deployment", &["carts"]));
    assert_eq!(x.container.as_deref(), Some("app"));
    assert_eq!(x.command, ["curl", "-s", "http://x"]);
    assert!(parsed("exec pod/x").is_err());
    assert!(parsed("get pods -- x").is_err());
}

#[test]
fn placeholders_are_read_when_filled() {
    // Checked for their names and flags now, for their values later.
    parsed("scale deployment/${NAME} --replicas=${N}").unwrap();
    parsed("rollout status deployment/carts --timeout=${T}").unwrap();
    parsed("patch deployment x --type=${TYPE} -p ${PATCH}").unwrap();
    parsed("get pods -n ${NS} -o ${FORMAT}").unwrap();
    parsed("wait --for=${COND} deployment/x").unwrap();
    assert!(parsed("scale deployment/x --replicas=${N} --bogus").is_err());
    assert!(parsed("describe daemonset ${N}").is_err());
    parsed("describe node ${N}").unwrap();
    parsed("describe cj ${N}").unwrap();
    parsed("describe pod ${P}").unwrap();
    parsed("describe configmap ${NAME}").unwrap();
    parsed("describe service/${NAME}").unwrap();
    assert!(parsed("get pods --ignore-not-found=${X}").is_err());

    let c = fill(
        "scale deployment/${NAME} --replicas=${N}",
        &[("NAME", "carts"), ("N", "2")],
    )
    .unwrap();
    let Verb::Scale(s) = c.verb else { panic!() };
    assert_eq!(s.targets.list, vec![target("deployment", &["carts"])]);
    assert_eq!(s.replicas, 2);
    let e = fill("scale deployment/x --replicas=${N}", &[("N", "two")]).unwrap_err();
    assert!(e.message.contains("\"two\""), "{e}");
    let e = fill("scale deployment/x --replicas=${N}", &[]).unwrap_err();
    assert!(e.message.contains("`N` is not set"), "{e}");
    let c = fill("rollout status deploy/x --timeout=${T}", &[("T", "0")]).unwrap();
    let Verb::RolloutStatus(r) = c.verb else { panic!() };
    assert_eq!(r.timeout, None);
}

#[test]
fn a_value_never_adds_or_splits_words() {
    let evil = "x\" -n \"kube-system";
    let c = fill("get pod \"$EVIL\"", &[("EVIL", evil)]).unwrap();
    assert_eq!(c.namespace, None);
    let Verb::Get(g) = c.verb else { panic!() };
    assert_eq!(g.targets.list, vec![target("pod", &[evil])]);
    let c = fill("get pod $EVIL", &[("EVIL", "x -n other")]).unwrap();
    assert_eq!(c.namespace, None);
    let Verb::Get(g) = c.verb else { panic!() };
    assert_eq!(g.targets.list[0].names, ["x -n other"]);
    let c = fill("exec pod/x -- echo ${A}", &[("A", "a b")]).unwrap();
    let Verb::Exec(x) = c.verb else { panic!() };
    assert_eq!(x.command, ["echo", "a b"]);
}

#[test]
fn literal_values_are_known_after_parsing() {
    let c = parsed("scale deployment/carts --replicas=3").unwrap();
    let Verb::Scale(s) = c.verb else { panic!() };
    assert_eq!(s.replicas, Arg::Known(3));
    // Errors point at the word.
    let e = parsed("scale deployment/carts --replicas three").unwrap_err();
    assert!(e.span.is_some(), "{e:?}");
}

#[test]
fn get_watch_is_refused_with_the_wait_to_write() {
    let e = parsed("get pods -l app=carts -w").unwrap_err();
    assert!(e.message.contains("`get --watch`") && e.is_not_native(), "{e}");
    assert!(
        e.hint
            .contains("wait --for=condition=Ready pods -l app=carts --timeout=120s"),
        "{}",
        e.hint
    );
    let Verb::Delete(d) = verb("delete pods --all --grace-period=0 --force") else {
        panic!()
    };
    assert!(d.all && d.force);
    assert_eq!(d.grace_period, Some(0));
    assert!(parsed("delete pods").is_err());
    assert!(parsed("wait --for=delete pods").is_err());
    let Verb::Wait(w) = verb("wait --for=delete pods --all") else {
        panic!()
    };
    assert!(w.all);
}

#[test]
fn describe_is_native_for_the_kinds_it_has_describers_for() {
    let c = command("describe svc carts -n shop");
    let Verb::Describe(d) = &c.verb else {
        panic!("{c:?}")
    };
    assert_eq!(d.targets.list, vec![target("svc", &["carts"])]);
    assert!(d.by_prefix, "TYPE NAME matches by prefix");
    let Verb::Describe(d) = verb("describe pvc -l app=carts -A") else {
        panic!()
    };
    assert!(d.all_namespaces && d.selector.as_deref() == Some("app=carts") && !d.by_prefix);
    let Verb::Describe(d) = verb("describe storageclass/gp3") else {
        panic!()
    };
    assert!(!d.by_prefix, "TYPE/NAME names one object");
    for line in [
        "describe configmaps x",
        "describe persistentvolumeclaims data",
        "describe sc,cm x",
        "describe ns",
        "describe secret/a secret/b",
        // Custom resources: kubectl's generic describer.
        "describe httproute checkoutroute",
        "describe gateways.gateway.networking.k8s.io/g",
        "describe cm,node x",
        "describe configmap/a nodes/b",
        "describe no n1 n2",
        "describe cronjob nightly",
        "describe cj/nightly",
    ] {
        parsed(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    // A kind without a describer goes through the CLI, named.
    for (line, named) in [
        ("describe rs carts", "ReplicaSet (`rs`)"),
        ("describe cm,daemonset x", "DaemonSet (`daemonset`)"),
        ("describe configmap/a pv/b", "PersistentVolume (`pv`)"),
        ("describe ${KIND} x", "from a variable"),
    ] {
        let e = err(line);
        assert!(e.is_not_native() && e.message.contains(named), "{line}: {e}");
    }
    assert!(!err("describe cm x -l app=carts").is_not_native());
    assert!(!err("describe").is_not_native());
}

#[test]
fn context_is_a_global_flag_before_or_after_the_verb() {
    let c = command("--context admins get pod -n carts");
    assert_eq!(c.context.as_deref(), Some("admins"));
    assert_eq!(c.namespace.as_deref(), Some("carts"));
    assert!(matches!(c.verb, Verb::Get(_)));
    let c = command("delete pod --all -n ui --context=readonly");
    assert_eq!(c.context.as_deref(), Some("readonly"));
    assert!(matches!(c.verb, Verb::Delete(_)));
    let c = fill("--context ${CTX} get pods", &[("CTX", "lab")]).unwrap();
    assert_eq!(c.context.as_deref(), Some("lab"));
    assert_eq!(command("get pods").context, None);
    assert!(err("--context").message.contains("no kubectl verb"));
}

#[test]
fn create_deployment_and_job_read_their_flags_once() {
    let Verb::Create(c) = verb("create deployment web --image=nginx,redis:7 -r 3 --port=80 --dry-run=server")
    else {
        panic!()
    };
    assert_eq!(c.kind, CreateKind::Deployment);
    assert_eq!(c.dry_run, DryRun::Server);
    assert_eq!(c.replicas, Some(3));
    assert_eq!(c.port, Some(80));
    let names: Vec<&str> = c.images.iter().flatten().map(|i| i.container.as_str()).collect();
    assert_eq!(names, ["nginx", "redis"]);
    let Verb::Create(c) = verb("create deploy x --image=busybox -- sleep infinity") else {
        panic!()
    };
    assert_eq!(c.command, ["sleep", "infinity"]);
    let Verb::Create(c) = verb("create job --from=cronjob/catalog-cleanup manual-cleanup -n catalog") else {
        panic!()
    };
    assert_eq!((c.kind, c.name.as_str()), (CreateKind::Job, "manual-cleanup"));
    assert_eq!(c.from.as_deref(), Some("catalog-cleanup"));
    for (line, says) in [
        ("create deployment x", "needs --image"),
        ("create deployment x --image=a,b -- sleep 1", "multiple --image"),
        ("create job x", "either --image or --from"),
        (
            "create job x --image=a --from=cronjob/y",
            "either --image or --from",
        ),
        ("create job x --from=cronjob/y -- echo", "--from and command"),
        ("create job x --from=deployment/y", "existing cronjob"),
        ("create namespace x --image=nginx", "takes no --image"),
        ("create configmap x --replicas=2", "takes no --replicas"),
        (
            "create deployment x --image=nginx --dry-run=maybe",
            "invalid --dry-run",
        ),
        ("create namespace x -- sleep", "takes no command"),
    ] {
        let e = err(line);
        assert!(!e.is_not_native() && e.message.contains(says), "{line}: {e}");
    }
}

#[test]
fn run_reads_its_pod_once_and_leaves_terminals_to_the_cli() {
    let Verb::Run(r) = verb("run crypto -n other --image ubuntu --restart=Never --command -- sleep infinity")
    else {
        panic!()
    };
    assert_eq!((r.name.as_str(), r.image.as_str()), ("crypto", "ubuntu"));
    assert_eq!(r.restart, Restart::Never);
    assert!(r.command);
    assert_eq!(r.args, ["sleep", "infinity"]);
    let Verb::Run(r) = verb("run lg --image=hey --env=A=1 -l a=b,c=d --port=80 -- -c 10") else {
        panic!()
    };
    assert!(!r.command);
    assert_eq!(r.args, ["-c", "10"]);
    assert_eq!(r.env, [("A".to_string(), "1".to_string())]);
    assert_eq!(r.labels.as_ref().map(Vec::len), Some(2));
    assert_eq!(r.port, Some(80));
    for line in [
        "run -it x --image=busybox --rm -- sh",
        "run x --image=busybox --rm -i -t",
        "run x --image=busybox --attach",
    ] {
        let e = err(line);
        assert!(e.is_not_native() && e.hint.contains("wait"), "{line}: {e}");
    }
    for (line, says) in [
        ("run x", "needs --image"),
        ("run --image=nginx", "one NAME"),
        (
            "run x --image=nginx --restart=Sometimes",
            "invalid restart policy",
        ),
        ("run x --image=nginx --env=novalue", "invalid env"),
        ("run x --image=nginx --command", "--command needs"),
    ] {
        let e = err(line);
        assert!(!e.is_not_native() && e.message.contains(says), "{line}: {e}");
    }
}
