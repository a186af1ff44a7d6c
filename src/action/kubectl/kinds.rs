//! The resource types a tutorial commonly names, and their aliases (`po`,
//! `deploy`, `svc`, `deployments.apps`): the backend resolves them with
//! one discovery request, and a verb that runs only some kinds natively
//! (`describe`) knows the kind from the line.

/// A well-known kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
}

/// (names, group, version, kind) of kinds a tutorial commonly uses.
const WELL_KNOWN: &[(&[&str], &str, &str, &str)] = &[
    (&["pods", "pod", "po"], "", "v1", "Pod"),
    (&["services", "service", "svc"], "", "v1", "Service"),
    (&["configmaps", "configmap", "cm"], "", "v1", "ConfigMap"),
    (&["secrets", "secret"], "", "v1", "Secret"),
    (&["namespaces", "namespace", "ns"], "", "v1", "Namespace"),
    (&["nodes", "node", "no"], "", "v1", "Node"),
    (
        &["serviceaccounts", "serviceaccount", "sa"],
        "",
        "v1",
        "ServiceAccount",
    ),
    (
        &["persistentvolumeclaims", "persistentvolumeclaim", "pvc"],
        "",
        "v1",
        "PersistentVolumeClaim",
    ),
    (
        &["persistentvolumes", "persistentvolume", "pv"],
        "",
        "v1",
        "PersistentVolume",
    ),
    (&["endpoints", "ep"], "", "v1", "Endpoints"),
    (&["events", "event", "ev"], "", "v1", "Event"),
    (
        &["deployments", "deployment", "deploy"],
        "apps",
        "v1",
        "Deployment",
    ),
    (&["daemonsets", "daemonset", "ds"], "apps", "v1", "DaemonSet"),
    (
        &["statefulsets", "statefulset", "sts"],
        "apps",
        "v1",
        "StatefulSet",
    ),
    (&["replicasets", "replicaset", "rs"], "apps", "v1", "ReplicaSet"),
    (&["jobs", "job"], "batch", "v1", "Job"),
    (&["cronjobs", "cronjob", "cj"], "batch", "v1", "CronJob"),
    (
        &["ingresses", "ingress", "ing"],
        "networking.k8s.io",
        "v1",
        "Ingress",
    ),
    (
        &["networkpolicies", "networkpolicy", "netpol"],
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
    ),
    (
        &["horizontalpodautoscalers", "horizontalpodautoscaler", "hpa"],
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
    ),
    (
        &["poddisruptionbudgets", "poddisruptionbudget", "pdb"],
        "policy",
        "v1",
        "PodDisruptionBudget",
    ),
    (
        &["storageclasses", "storageclass", "sc"],
        "storage.k8s.io",
        "v1",
        "StorageClass",
    ),
    (
        &[
            "customresourcedefinitions",
            "customresourcedefinition",
            "crd",
            "crds",
        ],
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
    ),
    (&["roles", "role"], "rbac.authorization.k8s.io", "v1", "Role"),
    (
        &["rolebindings", "rolebinding"],
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
    ),
    (
        &["clusterroles", "clusterrole"],
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
    ),
    (
        &["clusterrolebindings", "clusterrolebinding"],
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
    ),
];

/// The kind a type as written names (`svc`, `Service`, `services`,
/// `deployments.apps`: the group after the first dot), if well known.
pub fn well_known(name: &str) -> Option<Kind> {
    let key = name.to_lowercase();
    let (base, group) = match key.split_once('.') {
        Some((b, g)) => (b, Some(g)),
        None => (key.as_str(), None),
    };
    WELL_KNOWN
        .iter()
        .find(|(names, g, _, kind)| {
            (names.contains(&base) || kind.eq_ignore_ascii_case(base)) && group.is_none_or(|want| want == *g)
        })
        .map(|(_, group, version, kind)| Kind { group, version, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_their_kind() {
        for (name, kind) in [
            ("sc", Some("StorageClass")),
            ("pvc", Some("PersistentVolumeClaim")),
            ("deployments.apps", Some("Deployment")),
            ("Service", Some("Service")),
            ("deployments.batch", None),
            ("httproute", None),
        ] {
            assert_eq!(well_known(name).map(|k| k.kind), kind, "{name}");
        }
    }
}
