//! The describers of workloads: Deployment, StatefulSet, Job, and the pod
//! template each prints: containers without their
//! statuses, volumes, node selectors, tolerations.

use serde_json::Value;

use super::core::{list, rfc1123z};
use super::events::describe_events;
use super::text::{Text, annotations, human_duration, labels, map_lines, map_lines_in, str_at, strings};

/// A number at `pointer`, 0 when absent (Go's zero value).
pub fn int(obj: &Value, pointer: &str) -> i64 {
    obj.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

/// An int-or-string as Go's `IntOrString.String()` prints it.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".into(),
    }
}

/// A label selector as apimachinery prints it: requirements sorted by
/// key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
pub fn selector_text(selector: Option<&Value>) -> String {
    let Some(sel) = selector.filter(|s| s.is_object()) else {
        return "<none>".into();
    };
    let mut reqs: Vec<(String, String)> = strings(sel, "/matchLabels")
        .into_iter()
        .map(|(k, v)| (k.to_string(), format!("{k}={v}")))
        .collect();
    for e in list(sel, "/matchExpressions") {
        let key = str_at(e, "/key");
        let mut values: Vec<&str> = list(e, "/values").iter().filter_map(Value::as_str).collect();
        values.sort();
        let text = match str_at(e, "/operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => continue,
        };
        reqs.push((key.to_string(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

pub fn deployment(d: &Value, replica_sets: &[Value], events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(d, "/metadata/name")));
    t.write(0, &format!("Namespace:\t{}\n", str_at(d, "/metadata/namespace")));
    t.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(str_at(d, "/metadata/creationTimestamp"))
        ),
    );
    labels(&mut t, "Labels", d);
    annotations(&mut t, "Annotations", d);
    t.write(
        0,
        &format!("Selector:\t{}\n", selector_text(d.pointer("/spec/selector"))),
    );
    t.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            int(d, "/spec/replicas"),
            int(d, "/status/updatedReplicas"),
            int(d, "/status/replicas"),
            int(d, "/status/availableReplicas"),
            int(d, "/status/unavailableReplicas"),
        ),
    );
    t.write(
        0,
        &format!("StrategyType:\t{}\n", str_at(d, "/spec/strategy/type")),
    );
    t.write(
        0,
        &format!("MinReadySeconds:\t{}\n", int(d, "/spec/minReadySeconds")),
    );
    if let Some(ru) = d
        .pointer("/spec/strategy/rollingUpdate")
        .filter(|r| r.is_object())
    {
        t.write(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(ru.get("maxUnavailable")),
                int_or_string(ru.get("maxSurge"))
            ),
        );
    }
    pod_template(&mut t, d.pointer("/spec/template"));
    let conditions = list(d, "/status/conditions");
    if !conditions.is_empty() {
        t.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        t.write(1, "----\t------\t------\n");
        for c in conditions {
            t.write(
                1,
                &format!(
                    "{} \t{}\t{}\n",
                    str_at(c, "/type"),
                    str_at(c, "/status"),
                    str_at(c, "/reason")
                ),
            );
        }
    }
    let (old, new) = old_and_new(d, replica_sets);
    if !old.is_empty() || new.is_some() {
        t.write(0, &format!("OldReplicaSets:\t{}\n", created(&old)));
        t.write(0, &format!("NewReplicaSet:\t{}\n", created(&Vec::from_iter(new))));
    }
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// The pods a controller owns (its selector's, controlled by its uid),
/// counted by phase: running, waiting (pending), succeeded, failed.
pub fn pod_phases(owner: &Value, pods: &[Value]) -> [usize; 4] {
    let uid = str_at(owner, "/metadata/uid");
    let mut counts = [0; 4];
    for pod in pods.iter().filter(|p| controlled_by(p, uid)) {
        match str_at(pod, "/status/phase") {
            "Running" => counts[0] += 1,
            "Pending" => counts[1] += 1,
            "Succeeded" => counts[2] += 1,
            "Failed" => counts[3] += 1,
            _ => {}
        }
    }
    counts
}

pub fn controlled_by(obj: &Value, uid: &str) -> bool {
    controller(obj).is_some_and(|o| str_at(o, "/uid") == uid)
}

/// The owner reference that is the object's controller (there is at most one).
fn controller(obj: &Value) -> Option<&Value> {
    list(obj, "/metadata/ownerReferences")
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
}

/// `Controlled By: KIND/NAME`, when the object has a controller.
pub(super) fn controller_line(t: &mut Text, obj: &Value) {
    if let Some(owner) = controller(obj) {
        let line = format!(
            "Controlled By:\t{}/{}\n",
            str_at(owner, "/kind"),
            str_at(owner, "/name")
        );
        t.write(0, &line);
    }
}

pub fn stateful_set(s: &Value, pods: &[Value], events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(s, "/metadata/name")));
    t.write(0, &format!("Namespace:\t{}\n", str_at(s, "/metadata/namespace")));
    t.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(str_at(s, "/metadata/creationTimestamp"))
        ),
    );
    t.write(
        0,
        &format!("Selector:\t{}\n", selector_text(s.pointer("/spec/selector"))),
    );
    labels(&mut t, "Labels", s);
    annotations(&mut t, "Annotations", s);
    t.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            int(s, "/spec/replicas"),
            int(s, "/status/replicas")
        ),
    );
    t.write(
        0,
        &format!("Update Strategy:\t{}\n", str_at(s, "/spec/updateStrategy/type")),
    );
    if let Some(ru) = s
        .pointer("/spec/updateStrategy/rollingUpdate")
        .filter(|r| r.is_object())
        && let Some(partition) = ru.get("partition").and_then(Value::as_i64)
    {
        t.write(1, &format!("Partition:\t{partition}\n"));
        if ru.get("maxUnavailable").is_some() {
            t.write(
                1,
                &format!("MaxUnavailable:\t{}\n", int_or_string(ru.get("maxUnavailable"))),
            );
        }
    }
    let [running, waiting, succeeded, failed] = pod_phases(s, pods);
    t.write(
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    pod_template(&mut t, s.pointer("/spec/template"));
    claim_templates(&mut t, list(s, "/spec/volumeClaimTemplates"));
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

fn claim_templates(t: &mut Text, templates: &[Value]) {
    if templates.is_empty() {
        t.write(0, "Volume Claims:\t<none>\n");
        return;
    }
    t.write(0, "Volume Claims:\n");
    for c in templates {
        t.write(1, &format!("Name:\t{}\n", str_at(c, "/metadata/name")));
        let class = c
            .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
            .or_else(|| c.pointer("/spec/storageClassName"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        t.write(1, &format!("StorageClass:\t{class}\n"));
        map_lines_in(t, "  ", "Labels", c, "/metadata/labels");
        map_lines_in(t, "  ", "Annotations", c, "/metadata/annotations");
        let capacity = c
            .pointer("/spec/resources/requests/storage")
            .and_then(Value::as_str)
            .unwrap_or("<default>");
        t.write(1, &format!("Capacity:\t{capacity}\n"));
        let modes: Vec<&str> = list(c, "/spec/accessModes")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        t.write(1, &format!("Access Modes:\t[{}]\n", modes.join(" ")));
    }
}

pub fn job(j: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(j, "/metadata/name")));
    t.write(0, &format!("Namespace:\t{}\n", str_at(j, "/metadata/namespace")));
    t.write(
        0,
        &format!("Selector:\t{}\n", selector_text(j.pointer("/spec/selector"))),
    );
    labels(&mut t, "Labels", j);
    annotations(&mut t, "Annotations", j);
    controller_line(&mut t, j);
    let spec = j.get("spec").unwrap_or(&Value::Null);
    let some_int = |field: &str| spec.get(field).and_then(Value::as_i64);
    if let Some(p) = some_int("parallelism") {
        t.write(0, &format!("Parallelism:\t{p}\n"));
    }
    match some_int("completions") {
        Some(c) => t.write(0, &format!("Completions:\t{c}\n")),
        None => t.write(0, "Completions:\t<unset>\n"),
    }
    let mode = str_at(spec, "/completionMode");
    if !mode.is_empty() {
        t.write(0, &format!("Completion Mode:\t{mode}\n"));
    }
    if let Some(suspend) = spec.get("suspend").and_then(Value::as_bool) {
        t.write(0, &format!("Suspend:\t{suspend}\n"));
    }
    if let Some(b) = some_int("backoffLimit") {
        t.write(0, &format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(ttl) = some_int("ttlSecondsAfterFinished") {
        t.write(0, &format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    let start = str_at(j, "/status/startTime");
    let end = str_at(j, "/status/completionTime");
    if !start.is_empty() {
        t.write(0, &format!("Start Time:\t{}\n", rfc1123z(start)));
    }
    if !end.is_empty() {
        t.write(0, &format!("Completed At:\t{}\n", rfc1123z(end)));
    }
    if let (Some(s), Some(e)) = (
        super::events::epoch_seconds(start),
        super::events::epoch_seconds(end),
    ) {
        t.write(0, &format!("Duration:\t{}\n", human_duration(e - s)));
    }
    if let Some(d) = some_int("activeDeadlineSeconds") {
        t.write(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    let (active, succeeded, failed) = (
        int(j, "/status/active"),
        int(j, "/status/succeeded"),
        int(j, "/status/failed"),
    );
    match j.pointer("/status/ready").and_then(Value::as_i64) {
        None => t.write(
            0,
            &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"),
        ),
        Some(ready) => t.write(
            0,
            &format!(
                "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
    }
    if mode == "Indexed" {
        t.write(
            0,
            &format!(
                "Completed Indexes:\t{}\n",
                capped_indexes(str_at(j, "/status/completedIndexes"))
            ),
        );
    }
    pod_template(&mut t, j.pointer("/spec/template"));
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// Completed indexes up to the first comma after 50 characters, then `...`.
fn capped_indexes(indexes: &str) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.char_indices().skip(50).find(|(_, c)| *c == ',') {
        Some((i, _)) => format!("{}...", &indexes[..=i]),
        None => indexes.to_string(),
    }
}

/// The deployment's replica sets (controlled by it), split as kubectl
/// splits them: the new one has the deployment's pod template (its
/// `pod-template-hash` label aside; the oldest if several), the others are old.
fn old_and_new<'a>(d: &Value, replica_sets: &'a [Value]) -> (Vec<&'a Value>, Option<&'a Value>) {
    let uid = str_at(d, "/metadata/uid");
    let owned: Vec<&Value> = replica_sets
        .iter()
        .filter(|rs| {
            list(rs, "/metadata/ownerReferences").iter().any(|o| {
                o.get("controller").and_then(Value::as_bool) == Some(true) && str_at(o, "/uid") == uid
            })
        })
        .collect();
    let template = d.pointer("/spec/template");
    let without_hash = |rs: &Value| {
        let mut t = rs.pointer("/spec/template").cloned().unwrap_or(Value::Null);
        if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
            labels.shift_remove("pod-template-hash");
        }
        t
    };
    let mut new: Option<&Value> = None;
    for rs in &owned {
        if Some(&without_hash(rs)) == template {
            let older = new.is_none_or(|n| {
                str_at(rs, "/metadata/creationTimestamp") < str_at(n, "/metadata/creationTimestamp")
            });
            if older {
                new = Some(rs);
            }
        }
    }
    let new_uid = new.map(|n| str_at(n, "/metadata/uid"));
    let old = owned
        .into_iter()
        .filter(|rs| Some(str_at(rs, "/metadata/uid")) != new_uid)
        .collect();
    (old, new)
}

/// `carts-5d4f (2/2 replicas created), …`, or `<none>`.
fn created(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".into();
    }
    sets.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                str_at(rs, "/metadata/name"),
                int(rs, "/status/replicas"),
                int(rs, "/spec/replicas")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// kubectl's `DescribePodTemplate`.
pub fn pod_template(t: &mut Text, template: Option<&Value>) {
    t.write(0, "Pod Template:\n");
    let Some(template) = template else {
        t.write(1, "<unset>");
        return;
    };
    labels(t, "  Labels", template);
    if !strings(template, "/metadata/annotations").is_empty() {
        annotations(t, "  Annotations", template);
    }
    let spec = template.get("spec").unwrap_or(&Value::Null);
    let account = str_at(spec, "/serviceAccountName");
    if !account.is_empty() {
        t.write(1, &format!("Service Account:\t{account}\n"));
    }
    if !list(spec, "/initContainers").is_empty() {
        containers(t, "Init Containers", list(spec, "/initContainers"), TEMPLATE);
    }
    containers(t, "Containers", list(spec, "/containers"), TEMPLATE);
    volumes(t, list(spec, "/volumes"), "  ");
    spread_constraints(t, list(spec, "/topologySpreadConstraints"), "  ");
    let priority = str_at(spec, "/priorityClassName");
    if !priority.is_empty() {
        t.write(1, &format!("Priority Class Name:\t{priority}\n"));
    }
    map_lines(t, "  Node-Selectors", spec, "/nodeSelector");
    tolerations(t, "  Tolerations", list(spec, "/tolerations"));
}

/// Where containers are printed: in a template (indented by two spaces,
/// no statuses), or in a pod (its statuses, its fields for `fieldRef`s).
#[derive(Clone, Copy)]
pub struct Within<'a> {
    pub space: &'a str,
    pub statuses: &'a [Value],
    pub pod: Option<&'a Value>,
}

const TEMPLATE: Within<'static> = Within {
    space: "  ",
    statuses: &[],
    pod: None,
};

/// kubectl's `describeContainers`.
pub fn containers(t: &mut Text, label: &str, containers: &[Value], at: Within) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    let space = at.space;
    let name_indent = if space.is_empty() { "" } else { " " };
    t.write(0, &format!("{space}{label}:{none}\n"));
    for c in containers {
        let name = str_at(c, "/name");
        let status = at.statuses.iter().find(|s| str_at(s, "/name") == name);
        t.write(1, &format!("{name_indent}{name}:\n"));
        if let Some(st) = status {
            t.write(2, &format!("Container ID:\t{}\n", str_at(st, "/containerID")));
        }
        t.write(2, &format!("Image:\t{}\n", str_at(c, "/image")));
        if let Some(st) = status {
            t.write(2, &format!("Image ID:\t{}\n", str_at(st, "/imageID")));
        }
        let ports = list(c, "/ports");
        let port_list = |field: &str| {
            ports
                .iter()
                .map(|p| format!("{}/{}", int(p, field), str_at(p, "/protocol")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (one, many, text) in [
            ("Port", "Ports", port_list("/containerPort")),
            ("Host Port", "Host Ports", port_list("/hostPort")),
        ] {
            if text.contains(',') {
                t.write(2, &format!("{many}:\t{text}\n"));
            } else {
                let text = if text.is_empty() {
                    "<none>".to_string()
                } else {
                    text
                };
                t.write(2, &format!("{one}:\t{text}\n"));
            }
        }
        seccomp(t, c.pointer("/securityContext/seccompProfile"), 2, 3);
        for (title, field) in [("Command", "/command"), ("Args", "/args")] {
            let words = list(c, field);
            if !words.is_empty() {
                t.write(2, &format!("{title}:\n"));
                for w in words {
                    for line in w.as_str().unwrap_or_default().split('\n') {
                        t.write(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = status {
            container_state(t, st);
        }
        for (title, field) in [
            ("Limits", "/resources/limits"),
            ("Requests", "/resources/requests"),
        ] {
            let quantities = strings(c, field);
            if !quantities.is_empty() {
                t.write(2, &format!("{title}:\n"));
            }
            for (name, q) in quantities {
                t.write(3, &format!("{name}:\t{q}\n"));
            }
        }
        for (title, field) in [
            ("Liveness", "/livenessProbe"),
            ("Readiness", "/readinessProbe"),
            ("Startup", "/startupProbe"),
        ] {
            if let Some(p) = c.pointer(field).filter(|p| p.is_object()) {
                t.write(2, &format!("{title}:\t{}\n", probe(p)));
            }
        }
        let env_from = list(c, "/envFrom");
        if !env_from.is_empty() {
            t.write(2, "Environment Variables from:\n");
            for e in env_from {
                let (from, source) = match (e.get("configMapRef"), e.get("secretRef")) {
                    (Some(r), _) => ("ConfigMap", r),
                    (None, Some(r)) => ("Secret", r),
                    _ => ("", &Value::Null),
                };
                let optional = source.get("optional").and_then(Value::as_bool) == Some(true);
                let name = str_at(source, "/name");
                match str_at(e, "/prefix") {
                    "" => t.write(3, &format!("{name}\t{from}\tOptional: {optional}\n")),
                    prefix => t.write(
                        3,
                        &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
                    ),
                }
            }
        }
        environment(t, c, at.pod);
        mounts(t, c);
    }
}

/// A seccomp profile's type, and its file for a `Localhost` one.
pub fn seccomp(t: &mut Text, profile: Option<&Value>, level: usize, file_level: usize) {
    let Some(profile) = profile.filter(|p| p.is_object()) else {
        return;
    };
    t.write(level, &format!("SeccompProfile:\t{}\n", str_at(profile, "/type")));
    if str_at(profile, "/type") == "Localhost" {
        t.write(
            file_level,
            &format!("LocalhostProfile:\t{}\n", str_at(profile, "/localhostProfile")),
        );
    }
}

fn container_state(t: &mut Text, st: &Value) {
    state(t, "State", st.get("state"));
    if st.pointer("/lastState/terminated").is_some() {
        state(t, "Last State", st.get("lastState"));
    }
    let ready = if st.get("ready").and_then(Value::as_bool) == Some(true) {
        "True"
    } else {
        "False"
    };
    t.write(2, &format!("Ready:\t{ready}\n"));
    t.write(2, &format!("Restart Count:\t{}\n", int(st, "/restartCount")));
}

fn state(t: &mut Text, title: &str, state: Option<&Value>) {
    let state = state.unwrap_or(&Value::Null);
    if let Some(r) = state.get("running") {
        t.write(2, &format!("{title}:\tRunning\n"));
        t.write(3, &format!("Started:\t{}\n", rfc1123z(str_at(r, "/startedAt"))));
    } else if let Some(w) = state.get("waiting") {
        t.write(2, &format!("{title}:\tWaiting\n"));
        let reason = str_at(w, "/reason");
        if !reason.is_empty() {
            t.write(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(x) = state.get("terminated") {
        t.write(2, &format!("{title}:\tTerminated\n"));
        for (label, field) in [("Reason", "/reason"), ("Message", "/message")] {
            let text = str_at(x, field);
            if !text.is_empty() {
                t.write(3, &format!("{label}:\t{text}\n"));
            }
        }
        t.write(3, &format!("Exit Code:\t{}\n", int(x, "/exitCode")));
        if int(x, "/signal") > 0 {
            t.write(3, &format!("Signal:\t{}\n", int(x, "/signal")));
        }
        t.write(3, &format!("Started:\t{}\n", rfc1123z(str_at(x, "/startedAt"))));
        t.write(3, &format!("Finished:\t{}\n", rfc1123z(str_at(x, "/finishedAt"))));
    } else {
        t.write(2, &format!("{title}:\tWaiting\n"));
    }
}

/// A pod's field as a `fieldRef` reads it, where kubectl resolves one: its
/// name, namespace, uid, and a label or annotation by key (other paths
/// print empty, as kubectl prints them).
fn field_of(pod: &Value, path: &str) -> String {
    let keyed = |prefix: &str| -> Option<String> {
        let key = path
            .strip_prefix(prefix)?
            .strip_prefix("['")?
            .strip_suffix("']")?;
        let pointer = format!("/metadata/{}", &prefix["metadata.".len()..]);
        Some(
            pod.pointer(&pointer)
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        )
    };
    match path {
        "metadata.name" => str_at(pod, "/metadata/name").to_string(),
        "metadata.namespace" => str_at(pod, "/metadata/namespace").to_string(),
        "metadata.uid" => str_at(pod, "/metadata/uid").to_string(),
        _ => keyed("metadata.labels")
            .or_else(|| keyed("metadata.annotations"))
            .unwrap_or_default(),
    }
}

fn environment(t: &mut Text, c: &Value, pod: Option<&Value>) {
    let env = list(c, "/env");
    let none = if env.is_empty() { "\t<none>" } else { "" };
    t.write(2, &format!("Environment:{none}\n"));
    for e in env {
        let name = str_at(e, "/name");
        let Some(from) = e.get("valueFrom").filter(|v| v.is_object()) else {
            for (i, line) in str_at(e, "/value").split('\n').enumerate() {
                if i == 0 {
                    t.write(3, &format!("{name}:\t{line}\n"));
                } else {
                    t.write(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        let optional = |r: &Value| r.get("optional").and_then(Value::as_bool) == Some(true);
        if let Some(r) = from.get("fieldRef") {
            // kubectl resolves it only for a pod; a template shows none.
            let value = pod
                .map(|p| field_of(p, str_at(r, "/fieldPath")))
                .unwrap_or_default();
            t.write(
                3,
                &format!(
                    "{name}:\t{value} ({}:{})\n",
                    str_at(r, "/apiVersion"),
                    str_at(r, "/fieldPath")
                ),
            );
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = str_at(r, "/resource");
            let value = resource_value(c, r);
            t.write(3, &format!("{name}:\t{value} ({resource})\n"));
        } else if let Some(r) = from.get("secretKeyRef") {
            t.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    str_at(r, "/key"),
                    str_at(r, "/name"),
                    optional(r)
                ),
            );
        } else if let Some(r) = from.get("configMapKeyRef") {
            t.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    str_at(r, "/key"),
                    str_at(r, "/name"),
                    optional(r)
                ),
            );
        }
    }
}

/// The value of a container's resource as a `resourceFieldRef` reads it
/// (kubectl's `ExtractContainerResourceValue`): CPU in units of the
/// divisor rounded up (millicores for `1m`), memory and storage in bytes
/// over the divisor, rounded up; unset limits of CPU and memory are the
/// node's allocatable.
fn resource_value(c: &Value, r: &Value) -> String {
    let resource = str_at(r, "/resource");
    let (kind, name) = resource.split_once('.').unwrap_or((resource, ""));
    let set = c
        .pointer(&format!("/resources/{kind}/{name}"))
        .and_then(Value::as_str)
        .and_then(quantity)
        .unwrap_or(0.0);
    let divisor = match r.get("divisor").and_then(Value::as_str).and_then(quantity) {
        Some(d) if d != 0.0 => d,
        _ => 1.0,
    };
    let value = if name == "cpu" {
        ((set * 1000.0).ceil() / (divisor * 1000.0).ceil()).ceil()
    } else {
        (set.ceil() / divisor.ceil()).ceil()
    };
    if value == 0.0 && (resource == "limits.cpu" || resource == "limits.memory") {
        return "node allocatable".into();
    }
    format!("{value:.0}")
}

/// A resource quantity's value (`256Mi`, `500m`, `1.5G`, `1e3`).
fn quantity(text: &str) -> Option<f64> {
    super::quantity::Quantity::parse(text).map(|q| q.as_f64())
}

fn mounts(t: &mut Text, c: &Value) {
    let mut mounts: Vec<&Value> = list(c, "/volumeMounts").iter().collect();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    t.write(2, &format!("Mounts:{none}\n"));
    mounts.sort_by_key(|m| str_at(m, "/mountPath"));
    for m in mounts {
        let mut flags = vec![if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        let sub = str_at(m, "/subPath");
        if !sub.is_empty() {
            flags.push(format!("path={sub:?}"));
        }
        t.write(
            3,
            &format!(
                "{} from {} ({})\n",
                str_at(m, "/mountPath"),
                str_at(m, "/name"),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = list(c, "/volumeDevices").iter().collect();
    if !devices.is_empty() {
        t.write(2, &format!("Devices:{none}\n"));
        devices.sort_by_key(|d| str_at(d, "/devicePath"));
        for d in devices {
            t.write(
                3,
                &format!("{} from {}\n", str_at(d, "/devicePath"), str_at(d, "/name")),
            );
        }
    }
}

/// A probe as kubectl prints it: its action, then its timings.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p, "/initialDelaySeconds"),
        int(p, "/timeoutSeconds"),
        int(p, "/periodSeconds"),
        int(p, "/successThreshold"),
        int(p, "/failureThreshold"),
    );
    if let Some(exec) = p.get("exec") {
        let words: Vec<&str> = list(exec, "/command").iter().filter_map(Value::as_str).collect();
        return format!("exec [{}] {attrs}", words.join(" "));
    }
    if let Some(http) = p.get("httpGet") {
        let scheme = str_at(http, "/scheme").to_lowercase();
        let host = str_at(http, "/host");
        let port = int_or_string(http.get("port"));
        let host = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let scheme = if scheme.is_empty() {
            String::new()
        } else {
            format!("{scheme}:")
        };
        return format!("http-get {scheme}//{host}{} {attrs}", str_at(http, "/path"));
    }
    if let Some(tcp) = p.get("tcpSocket") {
        return format!(
            "tcp-socket {}:{} {attrs}",
            str_at(tcp, "/host"),
            int_or_string(tcp.get("port"))
        );
    }
    if let Some(grpc) = p.get("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int(grpc, "/port"),
            str_at(grpc, "/service")
        );
    }
    format!("unknown {attrs}")
}

/// kubectl's `describeVolumes`, in a template (`space` of two) or a pod.
pub fn volumes(t: &mut Text, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        t.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    t.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        t.write(1, &format!("{name_indent}{}:\n", str_at(v, "/name")));
        let optional = |s: &Value| s.get("optional").and_then(Value::as_bool) == Some(true);
        if let Some(h) = v.get("hostPath") {
            let ty = match str_at(h, "/type") {
                "" if h.get("type").is_none() => "<none>",
                ty => ty,
            };
            t.write(2, "Type:\tHostPath (bare host directory volume)\n");
            t.write(2, &format!("Path:\t{}\n", str_at(h, "/path")));
            t.write(2, &format!("HostPathType:\t{ty}\n"));
        } else if let Some(e) = v.get("emptyDir") {
            let limit = match str_at(e, "/sizeLimit") {
                "" | "0" => "<unset>",
                l => l,
            };
            t.write(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n",
            );
            t.write(2, &format!("Medium:\t{}\n", str_at(e, "/medium")));
            t.write(2, &format!("SizeLimit:\t{limit}\n"));
        } else if let Some(s) = v.get("secret") {
            t.write(2, "Type:\tSecret (a volume populated by a Secret)\n");
            t.write(2, &format!("SecretName:\t{}\n", str_at(s, "/secretName")));
            t.write(2, &format!("Optional:\t{}\n", optional(s)));
        } else if let Some(c) = v.get("configMap") {
            t.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n");
            t.write(2, &format!("Name:\t{}\n", str_at(c, "/name")));
            t.write(2, &format!("Optional:\t{}\n", optional(c)));
        } else if let Some(c) = v.get("persistentVolumeClaim") {
            t.write(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n",
            );
            t.write(2, &format!("ClaimName:\t{}\n", str_at(c, "/claimName")));
            let ro = c.get("readOnly").and_then(Value::as_bool) == Some(true);
            t.write(2, &format!("ReadOnly:\t{ro}\n"));
        } else if let Some(p) = v.get("projected") {
            projected(t, p);
        } else {
            // Volume kinds rehearse does not print yet (documented).
            t.write(1, "<unknown>\n");
        }
    }
}

fn projected(t: &mut Text, p: &Value) {
    t.write(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    // Go prints the `optional` pointers with %v: `<nil>` when unset (a
    // set one prints an address, which rehearse prints as its value).
    let optional = |s: &Value| match s.get("optional").and_then(Value::as_bool) {
        None => "<nil>".to_string(),
        Some(b) => b.to_string(),
    };
    for source in list(p, "/sources") {
        if let Some(s) = source.get("secret") {
            t.write(2, &format!("SecretName:\t{}\n", str_at(s, "/name")));
            t.write(2, &format!("SecretOptionalName:\t{}\n", optional(s)));
        } else if source.get("downwardAPI").is_some() {
            t.write(2, "DownwardAPI:\ttrue\n");
        } else if let Some(c) = source.get("configMap") {
            t.write(2, &format!("ConfigMapName:\t{}\n", str_at(c, "/name")));
            t.write(2, &format!("ConfigMapOptional:\t{}\n", optional(c)));
        } else if let Some(s) = source.get("serviceAccountToken") {
            t.write(
                2,
                &format!("TokenExpirationSeconds:\t{}\n", int(s, "/expirationSeconds")),
            );
        }
    }
}

pub fn spread_constraints(t: &mut Text, constraints: &[Value], space: &str) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    sorted.sort_by_key(|c| str_at(c, "/topologyKey"));
    t.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, c) in sorted.iter().enumerate() {
        if i > 0 {
            t.write(0, &format!("{space}\t"));
        }
        let mut line = format!(
            "{}:{} when max skew {} is exceeded",
            str_at(c, "/topologyKey"),
            str_at(c, "/whenUnsatisfiable"),
            int(c, "/maxSkew")
        );
        if let Some(sel) = c.get("labelSelector").filter(|s| s.is_object()) {
            line.push_str(&format!(" for selector {}", selector_text(Some(sel))));
        }
        t.write(0, &format!("{line}\n"));
    }
}

pub fn tolerations(t: &mut Text, title: &str, tolerations: &[Value]) {
    t.write(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        t.line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    sorted.sort_by_key(|x| str_at(x, "/key"));
    for (i, x) in sorted.iter().enumerate() {
        if i > 0 {
            t.write(0, "\t");
        }
        let (key, value, effect) = (str_at(x, "/key"), str_at(x, "/value"), str_at(x, "/effect"));
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if str_at(x, "/operator") == "Exists" && value.is_empty() {
            line.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(secs) = x.get("tolerationSeconds").and_then(Value::as_i64) {
            line.push_str(&format!(" for {secs}s"));
        }
        t.write(0, &format!("{line}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_and_probes_print_as_kubectl_prints_them() {
        let sel = json!({"matchLabels": {"tier": "web", "app": "carts"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["b", "a"]},
                                 {"key": "legacy", "operator": "DoesNotExist"}]});
        assert_eq!(
            selector_text(Some(&sel)),
            "app=carts,env in (a,b),!legacy,tier=web"
        );
        let http = json!({"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
            "initialDelaySeconds": 5, "timeoutSeconds": 1, "periodSeconds": 10,
            "successThreshold": 1, "failureThreshold": 3});
        assert_eq!(
            probe(&http),
            "http-get http://:8080/health delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
        let exec = json!({"exec": {"command": ["cat", "/tmp/ok"]}});
        assert!(probe(&exec).starts_with("exec [cat /tmp/ok] delay=0s"));
    }

    #[test]
    fn resource_references_read_as_kubectl_reads_them() {
        let c =
            json!({"resources": {"limits": {"memory": "256Mi", "cpu": "500m"}, "requests": {"cpu": "1.5"}}});
        let r = |resource: &str, divisor: Option<&str>| {
            resource_value(&c, &json!({"resource": resource, "divisor": divisor}))
        };
        assert_eq!(r("limits.memory", None), "268435456");
        assert_eq!(r("limits.memory", Some("1Mi")), "256");
        assert_eq!(r("limits.cpu", None), "1");
        assert_eq!(r("limits.cpu", Some("1m")), "500");
        assert_eq!(r("requests.cpu", None), "2");
        assert_eq!(r("requests.memory", None), "0");
        let bare = json!({});
        assert_eq!(
            resource_value(&bare, &json!({"resource": "limits.memory"})),
            "node allocatable"
        );
    }

    #[test]
    fn tolerations_print_their_operator_and_seconds() {
        let mut t = Text::default();
        tolerations(
            &mut t,
            "Tolerations",
            &[
                json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}),
                json!({"operator": "Exists"}),
                json!({"key": "team", "operator": "Equal", "value": "a", "effect": "NoSchedule"}),
            ],
        );
        assert_eq!(
            t.finish(),
            "Tolerations:  op=Exists\n              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n              team=a:NoSchedule\n"
        );
    }
}
