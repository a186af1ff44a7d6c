//! The describer of pods: where it runs, its status, its containers with
//! their states, its conditions, volumes, QoS class and events.

use serde_json::Value;

use super::core::{list, rfc1123z};
use super::events::{describe_events, epoch_seconds};
use super::text::{Text, annotations, human_duration, labels, map_lines, str_at, strings};
use super::workloads::{
    Within, containers, controller_line, int, seccomp, spread_constraints, tolerations, volumes,
};

pub fn pod(p: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(p, "/metadata/name")));
    t.write(0, &format!("Namespace:\t{}\n", str_at(p, "/metadata/namespace")));
    if let Some(priority) = p.pointer("/spec/priority").and_then(Value::as_i64) {
        t.write(0, &format!("Priority:\t{priority}\n"));
    }
    for (label, field) in [
        ("Priority Class Name", "/spec/priorityClassName"),
        ("Runtime Class Name", "/spec/runtimeClassName"),
        ("Service Account", "/spec/serviceAccountName"),
    ] {
        let text = str_at(p, field);
        if !text.is_empty() {
            t.write(0, &format!("{label}:\t{text}\n"));
        }
    }
    match str_at(p, "/spec/nodeName") {
        "" => t.write(0, "Node:\t<none>\n"),
        node => t.write(0, &format!("Node:\t{node}/{}\n", str_at(p, "/status/hostIP"))),
    }
    let start = str_at(p, "/status/startTime");
    if !start.is_empty() {
        t.write(0, &format!("Start Time:\t{}\n", rfc1123z(start)));
    }
    labels(&mut t, "Labels", p);
    annotations(&mut t, "Annotations", p);
    let phase = str_at(p, "/status/phase");
    let deleted = str_at(p, "/metadata/deletionTimestamp");
    if !deleted.is_empty() && phase != "Failed" && phase != "Succeeded" {
        let lasts =
            epoch_seconds(deleted).map_or_else(|| "<unknown>".to_string(), |d| human_duration(now - d));
        t.write(0, &format!("Status:\tTerminating (lasts {lasts})\n"));
        t.write(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                int(p, "/metadata/deletionGracePeriodSeconds")
            ),
        );
    } else {
        t.write(0, &format!("Status:\t{phase}\n"));
    }
    for (label, field) in [("Reason", "/status/reason"), ("Message", "/status/message")] {
        let text = str_at(p, field);
        if !text.is_empty() {
            t.write(0, &format!("{label}:\t{text}\n"));
        }
    }
    seccomp(&mut t, p.pointer("/spec/securityContext/seccompProfile"), 0, 0);
    t.write(0, &format!("IP:\t{}\n", str_at(p, "/status/podIP")));
    let ips = list(p, "/status/podIPs");
    if ips.is_empty() {
        t.write(0, "IPs:\t<none>\n");
    } else {
        t.write(0, "IPs:\n");
        for ip in ips {
            t.write(1, &format!("IP:\t{}\n", str_at(ip, "/ip")));
        }
    }
    controller_line(&mut t, p);
    let nominated = str_at(p, "/status/nominatedNodeName");
    if !nominated.is_empty() {
        t.write(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    let spec = p.get("spec").unwrap_or(&Value::Null);
    if !list(spec, "/initContainers").is_empty() {
        let at = Within {
            space: "",
            statuses: list(p, "/status/initContainerStatuses"),
            pod: Some(p),
        };
        containers(&mut t, "Init Containers", list(spec, "/initContainers"), at);
    }
    let at = Within {
        space: "",
        statuses: list(p, "/status/containerStatuses"),
        pod: Some(p),
    };
    containers(&mut t, "Containers", list(spec, "/containers"), at);
    let conditions = list(p, "/status/conditions");
    let gates = list(spec, "/readinessGates");
    if !gates.is_empty() {
        t.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let ty = str_at(g, "/conditionType");
            let status = conditions
                .iter()
                .find(|c| str_at(c, "/type") == ty)
                .map_or("<none>", |c| str_at(c, "/status"));
            t.write(1, &format!("{ty} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        t.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            t.write(
                1,
                &format!("{} \t{} \n", str_at(c, "/type"), str_at(c, "/status")),
            );
        }
    }
    volumes(&mut t, list(spec, "/volumes"), "");
    t.write(0, &format!("QoS Class:\t{}\n", qos_class(p)));
    map_lines(&mut t, "Node-Selectors", spec, "/nodeSelector");
    tolerations(&mut t, "Tolerations", list(spec, "/tolerations"));
    spread_constraints(&mut t, list(spec, "/topologySpreadConstraints"), "");
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// The pod's QoS class as its status says, else as the API server would
/// compute it: no requests or limits at all is BestEffort, limits of CPU
/// and memory equal to the requests in every container Guaranteed, else
/// Burstable.
fn qos_class(p: &Value) -> String {
    let given = str_at(p, "/status/qosClass");
    if !given.is_empty() {
        return given.to_string();
    }
    let all: Vec<&Value> = list(p, "/spec/containers")
        .iter()
        .chain(list(p, "/spec/initContainers"))
        .collect();
    let none = all
        .iter()
        .all(|c| strings(c, "/resources/requests").is_empty() && strings(c, "/resources/limits").is_empty());
    if none {
        return "BestEffort".into();
    }
    let guaranteed = all.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let limit = c
                .pointer(&format!("/resources/limits/{r}"))
                .and_then(Value::as_str);
            let request = c
                .pointer(&format!("/resources/requests/{r}"))
                .and_then(Value::as_str)
                .or(limit);
            limit.is_some() && limit == request
        })
    });
    if guaranteed { "Guaranteed" } else { "Burstable" }.into()
}
