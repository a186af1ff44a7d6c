//! The describer of nodes: roles, taints, the node's lease, conditions,
//! addresses, what it has and can allocate, its system, the pods that run
//! on it with their requests and limits, what they add up to, and events.

use std::collections::BTreeMap;

use serde_json::Value;

use super::core::{list, rfc1123z, timed_conditions};
use super::events::{describe_events, epoch_seconds};
use super::quantity::{Quantity, percent};
use super::text::{Text, annotations, human_duration, labels, str_at, strings};

/// Labels that name a node's roles: `node-role.kubernetes.io/ROLE`, and
/// the older `kubernetes.io/role=ROLE`.
const ROLE_PREFIX: &str = "node-role.kubernetes.io/";
const ROLE_LABEL: &str = "kubernetes.io/role";

/// Resources by name, sorted as kubectl sorts them.
type Resources = BTreeMap<String, Quantity>;

/// What the node describer reads besides the node: its lease (or the
/// error reading it, which kubectl prints), the pods on it that have not
/// ended (none when reading them is forbidden), and its events.
pub struct Around<'a> {
    pub lease: Result<&'a Value, String>,
    pub pods: Option<&'a [Value]>,
    pub events: Option<&'a [Value]>,
}

pub fn node(n: &Value, around: Around, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(n, "/metadata/name")));
    let roles = roles(n);
    let roles = if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    };
    t.write(0, &format!("Roles:\t{roles}\n"));
    labels(&mut t, "Labels", n);
    annotations(&mut t, "Annotations", n);
    t.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(str_at(n, "/metadata/creationTimestamp"))
        ),
    );
    taints(&mut t, list(n, "/spec/taints"));
    let unschedulable = n.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
    t.write(0, &format!("Unschedulable:\t{unschedulable}\n"));
    match around.lease {
        Ok(lease) => {
            t.write(0, "Lease:\n");
            let at = |pointer: &str, time: bool| match str_at(lease, pointer) {
                "" => "<unset>".to_string(),
                v if time => rfc1123z(v),
                v => v.to_string(),
            };
            t.write(
                1,
                &format!("HolderIdentity:\t{}\n", at("/spec/holderIdentity", false)),
            );
            t.write(1, &format!("AcquireTime:\t{}\n", at("/spec/acquireTime", true)));
            t.write(1, &format!("RenewTime:\t{}\n", at("/spec/renewTime", true)));
        }
        Err(e) => t.write(0, &format!("Lease:\tFailed to get lease: {e}\n")),
    }
    timed_conditions(
        &mut t,
        list(n, "/status/conditions"),
        ("LastHeartbeatTime", "/lastHeartbeatTime"),
    );
    t.write(0, "Addresses:\n");
    for a in list(n, "/status/addresses") {
        t.write(
            1,
            &format!("{}:\t{}\n", str_at(a, "/type"), str_at(a, "/address")),
        );
    }
    for (title, pointer) in [
        ("Capacity", "/status/capacity"),
        ("Allocatable", "/status/allocatable"),
    ] {
        let resources = resources(n, pointer);
        if !resources.is_empty() {
            t.write(0, &format!("{title}:\n"));
            for (name, value) in &resources {
                t.write(0, &format!("  {name}:\t{}\n", value.canonical()));
            }
        }
    }
    t.write(0, "System Info:\n");
    for (label, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        t.write(
            0,
            &format!(
                "  {label}:\t{}\n",
                str_at(n, &format!("/status/nodeInfo/{field}"))
            ),
        );
    }
    let cidr = str_at(n, "/spec/podCIDR");
    if !cidr.is_empty() {
        t.write(0, &format!("PodCIDR:\t{cidr}\n"));
    }
    let cidrs: Vec<&str> = list(n, "/spec/podCIDRs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !cidrs.is_empty() {
        t.write(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = str_at(n, "/spec/providerID");
    if !provider.is_empty() {
        t.write(0, &format!("ProviderID:\t{provider}\n"));
    }
    match around.pods {
        Some(pods) => pods_and_totals(&mut t, n, pods, now),
        None => t.write(0, "Pods:\tnot authorized\n"),
    }
    if let Some(events) = around.events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// The roles its labels name, sorted, each once.
fn roles(n: &Value) -> Vec<String> {
    let mut roles: Vec<String> = strings(n, "/metadata/labels")
        .into_iter()
        .filter_map(|(k, v)| match k.strip_prefix(ROLE_PREFIX) {
            Some(role) if !role.is_empty() => Some(role.to_string()),
            Some(_) => None,
            None => (k == ROLE_LABEL && !v.is_empty()).then(|| v.to_string()),
        })
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

/// `Taints:` and one `key=value:Effect` a line, sorted by effect then
/// key, or `<none>`.
fn taints(t: &mut Text, taints: &[Value]) {
    t.write(0, "Taints:\t");
    if taints.is_empty() {
        t.line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = taints.iter().collect();
    sorted.sort_by_key(|x| format!("{},{}", str_at(x, "/effect"), str_at(x, "/key")));
    for (i, taint) in sorted.into_iter().enumerate() {
        if i > 0 {
            t.write(0, "\t");
        }
        let (key, value, effect) = (
            str_at(taint, "/key"),
            str_at(taint, "/value"),
            str_at(taint, "/effect"),
        );
        let text = match (value.is_empty(), effect.is_empty()) {
            (true, true) => key.to_string(),
            (false, true) => format!("{key}={value}:"),
            (true, false) => format!("{key}:{effect}"),
            (false, false) => format!("{key}={value}:{effect}"),
        };
        t.write(0, &format!("{text}\n"));
    }
}

/// The resource list at `pointer` (requests, limits, capacity).
fn resources(obj: &Value, pointer: &str) -> Resources {
    strings(obj, pointer)
        .into_iter()
        .map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap_or_else(Quantity::zero)))
        .collect()
}

/// `list += new`, name by name.
fn add_all(list: &mut Resources, new: &Resources) {
    for (name, q) in new {
        list.entry(name.clone()).and_modify(|v| v.add(q)).or_insert(*q);
    }
}

/// `list = max(list, new)`, name by name.
fn max_all(list: &mut Resources, new: &Resources) {
    for (name, q) in new {
        match list.get(name) {
            Some(v) if q <= v => {}
            _ => {
                list.insert(name.clone(), *q);
            }
        }
    }
}

/// Whether an init container is a sidecar (restarted always), whose
/// resources add to the pod's for its whole life.
fn is_sidecar(c: &Value) -> bool {
    str_at(c, "/restartPolicy") == "Always"
}

/// What a pod requests or limits (`kind` is `requests` or `limits`), as
/// kubectl adds it up: its containers', or more where an init container
/// (with the sidecars started before it) needs more; requests as resized
/// where the kubelet says so; the pod's overhead on top (on limits, only
/// those set).
fn pod_total(pod: &Value, kind: &str) -> Resources {
    let mut total = Resources::new();
    let statuses = list(pod, "/status/containerStatuses");
    for c in list(pod, "/spec/containers") {
        let mut own = resources(c, &format!("/resources/{kind}"));
        let status = statuses
            .iter()
            .find(|s| str_at(s, "/name") == str_at(c, "/name"))
            .and_then(|s| s.get("resources"))
            .filter(|r| r.is_object());
        if let (Some(actual), "requests") = (status, kind) {
            let actual = resources(actual, "/requests");
            if str_at(pod, "/status/resize") == "Infeasible" {
                own = actual;
            } else {
                let mut larger = own.clone();
                for (name, q) in &actual {
                    match own.get(name) {
                        Some(v) if v > q => {}
                        _ => {
                            larger.insert(name.clone(), *q);
                        }
                    }
                }
                own = larger;
            }
        }
        add_all(&mut total, &own);
    }
    let mut sidecars = Resources::new();
    let mut init = Resources::new();
    for c in list(pod, "/spec/initContainers") {
        let own = resources(c, &format!("/resources/{kind}"));
        let needed = if is_sidecar(c) {
            add_all(&mut total, &own);
            add_all(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut with = own;
            add_all(&mut with, &sidecars);
            with
        };
        max_all(&mut init, &needed);
    }
    max_all(&mut total, &init);
    let overhead = resources(pod, "/spec/overhead");
    if kind == "requests" {
        add_all(&mut total, &overhead);
    } else {
        for (name, q) in &overhead {
            if let Some(v) = total.get_mut(name).filter(|v| !v.is_zero()) {
                v.add(q);
            }
        }
    }
    total
}

/// `Non-terminated Pods:` with each pod's CPU and memory requests and
/// limits and their shares of what the node can allocate, then
/// `Allocated resources:`, their sums.
fn pods_and_totals(t: &mut Text, n: &Value, pods: &[Value], now: i64) {
    t.write(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    t.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    t.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut allocatable = resources(n, "/status/allocatable");
    if allocatable.is_empty() {
        allocatable = resources(n, "/status/capacity");
    }
    let of = |list: &Resources, name: &str| list.get(name).copied().unwrap_or_else(Quantity::zero);
    let (cpu, memory) = (
        of(&allocatable, "cpu").milli_value(),
        of(&allocatable, "memory").value(),
    );
    let (mut requests, mut limits) = (Resources::new(), Resources::new());
    for pod in pods {
        let (req, lim) = (pod_total(pod, "requests"), pod_total(pod, "limits"));
        let cell = |q: Quantity, share: i64| format!("{} ({share}%)", q.canonical());
        let age = match epoch_seconds(str_at(pod, "/metadata/creationTimestamp")) {
            Some(created) => human_duration(now - created),
            None => "<unknown>".into(),
        };
        t.write(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{age}\n",
                str_at(pod, "/metadata/namespace"),
                str_at(pod, "/metadata/name"),
                cell(of(&req, "cpu"), percent(of(&req, "cpu").milli_value(), cpu)),
                cell(of(&lim, "cpu"), percent(of(&lim, "cpu").milli_value(), cpu)),
                cell(of(&req, "memory"), percent(of(&req, "memory").value(), memory)),
                cell(of(&lim, "memory"), percent(of(&lim, "memory").value(), memory)),
            ),
        );
        add_all(&mut requests, &req);
        add_all(&mut limits, &lim);
    }
    t.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    t.write(1, "Resource\tRequests\tLimits\n");
    t.write(1, "--------\t--------\t------\n");
    // Shares of nothing allocatable are 0 here, unlike the pods' rows.
    let share = |q: Quantity, whole: i64, milli: bool| {
        let part = if milli { q.milli_value() } else { q.value() };
        let share = if whole == 0 { 0 } else { percent(part, whole) };
        format!("{} ({share}%)", q.canonical())
    };
    let hugepages = allocatable.keys().filter(|k| k.starts_with("hugepages-"));
    let rows = ["cpu", "memory", "ephemeral-storage"]
        .into_iter()
        .map(str::to_string)
        .chain(hugepages.cloned());
    for name in rows {
        let whole = of(&allocatable, &name);
        let milli = name == "cpu";
        let whole = if milli { whole.milli_value() } else { whole.value() };
        t.write(
            1,
            &format!(
                "{name}\t{}\t{}\n",
                share(of(&requests, &name), whole, milli),
                share(of(&limits, &name), whole, milli)
            ),
        );
    }
    let standard =
        |k: &str| ["cpu", "memory", "ephemeral-storage", "pods"].contains(&k) || k.starts_with("hugepages-");
    for name in allocatable.keys().filter(|k| !standard(k)) {
        t.write(
            1,
            &format!(
                "{name}\t{}\t{}\n",
                of(&requests, name).canonical(),
                of(&limits, name).canonical()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn totals(pod: &Value, kind: &str) -> Vec<(String, String)> {
        pod_total(pod, kind)
            .into_iter()
            .map(|(k, v)| (k, v.canonical()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn a_pods_requests_add_up_as_kubectl_adds_them() {
        let pod = json!({"spec": {
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "100m", "memory": "64Mi", "example.com/gpu": "1"}, "limits": {"memory": "128Mi"}}},
                {"name": "b", "resources": {"requests": {"cpu": "250m", "memory": "1Gi"}}},
            ],
            "initContainers": [
                // Needs more CPU than the containers, alone.
                {"name": "setup", "resources": {"requests": {"cpu": "1"}}},
                // A sidecar: adds to the containers, and to later inits.
                {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}, "limits": {"memory": "32Mi"}}},
                {"name": "late", "resources": {"requests": {"cpu": "500m", "memory": "2Gi"}}},
            ],
            "overhead": {"cpu": "10m", "memory": "1Mi"},
        }});
        assert_eq!(
            totals(&pod, "requests"),
            pairs(&[("cpu", "1010m"), ("example.com/gpu", "1"), ("memory", "2049Mi")])
        );
        // Limits: the sidecar's memory adds; overhead only on set limits.
        assert_eq!(totals(&pod, "limits"), pairs(&[("memory", "161Mi")]));
    }

    #[test]
    fn resized_requests_count_the_larger_unless_infeasible() {
        let mut pod = json!({"spec": {"containers": [
            {"name": "a", "resources": {"requests": {"cpu": "100m"}}}]},
            "status": {"containerStatuses": [{"name": "a", "resources": {"requests": {"cpu": "300m", "memory": "1Mi"}}}]}});
        assert_eq!(
            totals(&pod, "requests"),
            pairs(&[("cpu", "300m"), ("memory", "1Mi")])
        );
        pod["status"]["containerStatuses"][0]["resources"]["requests"]["cpu"] = json!("50m");
        assert_eq!(
            totals(&pod, "requests"),
            pairs(&[("cpu", "100m"), ("memory", "1Mi")])
        );
        pod["status"]["resize"] = json!("Infeasible");
        assert_eq!(
            totals(&pod, "requests"),
            pairs(&[("cpu", "50m"), ("memory", "1Mi")])
        );
    }

    #[test]
    fn a_node_whose_pods_cannot_be_read_says_so() {
        let n = json!({"metadata": {"name": "n1", "creationTimestamp": "2026-11-30T10:00:00Z"},
            "status": {"allocatable": {"cpu": "2"}}});
        let around = |pods| Around {
            lease: Err("forbidden".into()),
            pods,
            events: None,
        };
        let text = node(&n, around(None), 0);
        assert!(
            text.contains("\nPods:                         not authorized\n"),
            "{text}"
        );
        assert!(!text.contains("Allocated resources"), "{text}");
        let text = node(&n, around(Some(&[])), 0);
        assert!(
            text.contains("Non-terminated Pods:          (0 in total)"),
            "{text}"
        );
        assert!(
            text.contains("Lease:              Failed to get lease: forbidden\n"),
            "{text}"
        );
        assert!(!text.contains("Events"), "{text}");
    }

    #[test]
    fn roles_and_taints_print_as_kubectl_prints_them() {
        let n = json!({"metadata": {"labels": {
            "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/": "x",
            "kubernetes.io/role": "infra", "node-role.kubernetes.io/infra": ""}}});
        assert_eq!(roles(&n), ["infra", "worker"]);
        let mut t = Text::default();
        taints(
            &mut t,
            &[
                json!({"key": "b", "effect": "NoSchedule"}),
                json!({"key": "a", "value": "1", "effect": "NoSchedule"}),
                json!({"key": "z", "value": "2"}),
                json!({"key": "y"}),
            ],
        );
        assert_eq!(
            t.finish(),
            "Taints:  y\n         z=2:\n         a=1:NoSchedule\n         b:NoSchedule\n"
        );
    }
}
