//! The describers of storage kinds: PersistentVolumeClaim, StorageClass.

use serde_json::Value;

use super::core::{list, timed_conditions};
use super::events::describe_events;
use super::text::{Text, annotations, format_map, go_list, labels, str_at};

/// The class kubectl reports for a claim: the beta annotation first.
fn claim_class(pvc: &Value) -> &str {
    pvc.pointer("/metadata/annotations")
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"))
        .or_else(|| pvc.pointer("/spec/storageClassName"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// `RWO,RWX` in kubectl's order, each mode once.
fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|x| x.as_str() == Some(m));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| has(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// The pods using a claim: those with a volume of it (once per such
/// volume, as kubectl lists them), then its owner pod if not among them.
fn pods_using<'a>(pvc: &Value, pods: &'a [Value]) -> Vec<&'a str> {
    let name = str_at(pvc, "/metadata/name");
    let mut using: Vec<&Value> = Vec::new();
    for pod in pods {
        for volume in list(pod, "/spec/volumes") {
            if str_at(volume, "/persistentVolumeClaim/claimName") == name
                && volume.get("persistentVolumeClaim").is_some()
            {
                using.push(pod);
            }
        }
    }
    for owner in list(pvc, "/metadata/ownerReferences") {
        if str_at(owner, "/kind") != "Pod" {
            continue;
        }
        let uid = str_at(owner, "/uid");
        if let Some(pod) = pods.iter().find(|p| str_at(p, "/metadata/uid") == uid)
            && !using.iter().any(|u| str_at(u, "/metadata/uid") == uid)
        {
            using.push(pod);
        }
    }
    let mut names: Vec<&str> = using.iter().map(|p| str_at(p, "/metadata/name")).collect();
    names.sort();
    names
}

pub fn claim(pvc: &Value, pods: &[Value], events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(pvc, "/metadata/name")));
    t.write(
        0,
        &format!("Namespace:\t{}\n", str_at(pvc, "/metadata/namespace")),
    );
    t.write(0, &format!("StorageClass:\t{}\n", claim_class(pvc)));
    match pvc.pointer("/metadata/deletionTimestamp").and_then(Value::as_str) {
        Some(deleted) => {
            let since = super::events::epoch_seconds(deleted).map_or_else(
                || "<unknown>".to_string(),
                |s| super::text::human_duration(now - s),
            );
            t.write(0, &format!("Status:\tTerminating (lasts {since})\n"));
        }
        None => t.write(0, &format!("Status:\t{}\n", str_at(pvc, "/status/phase"))),
    }
    let volume = str_at(pvc, "/spec/volumeName");
    t.write(0, &format!("Volume:\t{volume}\n"));
    labels(&mut t, "Labels", pvc);
    annotations(&mut t, "Annotations", pvc);
    t.write(
        0,
        &format!("Finalizers:\t{}\n", go_list(pvc, "/metadata/finalizers")),
    );
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            str_at(pvc, "/status/capacity/storage").to_string(),
            access_modes(list(pvc, "/status/accessModes")),
        )
    };
    t.write(0, &format!("Capacity:\t{capacity}\n"));
    t.write(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = pvc.pointer("/spec/volumeMode").and_then(Value::as_str) {
        t.write(0, &format!("VolumeMode:\t{mode}\n"));
    }
    if let Some(source) = pvc.pointer("/spec/dataSource").filter(|s| s.is_object()) {
        t.write(0, "DataSource:\n");
        if let Some(group) = source.get("apiGroup").and_then(Value::as_str) {
            t.write(1, &format!("APIGroup:\t{group}\n"));
        }
        t.write(1, &format!("Kind:\t{}\n", str_at(source, "/kind")));
        t.write(1, &format!("Name:\t{}\n", str_at(source, "/name")));
    }
    t.write(0, "Used By:\t");
    let users = pods_using(pvc, pods);
    if users.is_empty() {
        t.line("<none>");
    }
    for (i, name) in users.iter().enumerate() {
        if i > 0 {
            t.write(0, "\t");
        }
        t.write(0, &format!("{name}\n"));
    }
    timed_conditions(
        &mut t,
        list(pvc, "/status/conditions"),
        ("LastProbeTime", "/lastProbeTime"),
    );
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

pub fn class(sc: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(sc, "/metadata/name")));
    let is_default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|a| {
        sc.pointer("/metadata/annotations")
            .and_then(|m| m.get(*a))
            .and_then(Value::as_str)
            == Some("true")
    });
    t.write(
        0,
        &format!("IsDefaultClass:\t{}\n", if is_default { "Yes" } else { "No" }),
    );
    // All of them, the last-applied one too, as kubectl prints a class's.
    t.write(
        0,
        &format!("Annotations:\t{}\n", format_map(sc, "/metadata/annotations")),
    );
    t.write(0, &format!("Provisioner:\t{}\n", str_at(sc, "/provisioner")));
    t.write(0, &format!("Parameters:\t{}\n", format_map(sc, "/parameters")));
    let expansion = match sc.get("allowVolumeExpansion").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    t.write(0, &format!("AllowVolumeExpansion:\t{expansion}\n"));
    let options = list(sc, "/mountOptions");
    if options.is_empty() {
        t.write(0, "MountOptions:\t<none>\n");
    } else {
        t.write(0, "MountOptions:\n");
        for o in options {
            t.write(1, &format!("{}\n", o.as_str().unwrap_or_default()));
        }
    }
    if let Some(policy) = sc.get("reclaimPolicy").and_then(Value::as_str) {
        t.write(0, &format!("ReclaimPolicy:\t{policy}\n"));
    }
    if let Some(mode) = sc.get("volumeBindingMode").and_then(Value::as_str) {
        t.write(0, &format!("VolumeBindingMode:\t{mode}\n"));
    }
    if let Some(topologies) = sc.get("allowedTopologies").and_then(Value::as_array) {
        allowed_topologies(&mut t, topologies);
    }
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

fn allowed_topologies(t: &mut Text, terms: &[Value]) {
    t.write(0, "AllowedTopologies:\t");
    if terms.is_empty() {
        t.line("<none>");
        return;
    }
    t.line("");
    for (i, term) in terms.iter().enumerate() {
        t.write(1, &format!("Term {i}:\t"));
        let reqs = list(term, "/matchLabelExpressions");
        if reqs.is_empty() {
            t.line("<none>");
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            if j > 0 {
                t.write(1, "\t");
            }
            let values: Vec<&str> = list(req, "/values").iter().filter_map(Value::as_str).collect();
            let expr = if values.is_empty() {
                format!("{} in", str_at(req, "/key"))
            } else {
                format!("{} in [{}]", str_at(req, "/key"), values.join(", "))
            };
            t.write(0, &format!("{expr}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_name_their_modes_and_pods() {
        assert_eq!(
            access_modes(&[
                json!("ReadWriteMany"),
                json!("ReadWriteOnce"),
                json!("ReadWriteOnce")
            ]),
            "RWO,RWX"
        );
        let pvc = json!({"metadata": {"name": "data", "ownerReferences": [{"kind": "Pod", "uid": "u2"}]}});
        let pods = [
            json!({"metadata": {"name": "b", "uid": "u1"}, "spec": {"volumes": [{"persistentVolumeClaim": {"claimName": "data"}}]}}),
            json!({"metadata": {"name": "a", "uid": "u2"}, "spec": {"volumes": []}}),
            json!({"metadata": {"name": "c", "uid": "u3"}, "spec": {"volumes": [{"persistentVolumeClaim": {"claimName": "other"}}]}}),
        ];
        assert_eq!(pods_using(&pvc, &pods), ["a", "b"]);
    }
}
