//! `eks update-kubeconfig`: not an API operation but the AWS CLI's own
//! command (`awscli/customizations/eks/update_kubeconfig.py` and
//! `kubeconfig.py`), which describes the cluster and writes a kubeconfig
//! entry for it. Its flags are an [`Operation`]'s, so the one parser reads
//! them; sending it sends DescribeCluster. What it makes of the cluster is
//! here, with no I/O: the entries, the merge into a kubeconfig's content
//! and the lines the CLI prints. The backend reads and writes the file.

use serde_json::{Map, Value, json};

use crate::action::aws::ops::Clients;
use crate::action::aws::spec::{Operation, Service, Ty, opt, req};
use crate::ground::port::{ActionError, BoxFuture};

/// The exec plugin's API version the CLI writes.
const API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// `eks update-kubeconfig`'s flags: all of the CLI's but `--assume-role-arn`
/// (another account's credentials), which runs the line through the CLI.
pub static UPDATE_KUBECONFIG: Operation = Operation {
    name: "update-kubeconfig",
    api: "UpdateKubeconfig",
    members: &[
        req("name", "name", Ty::String),
        opt("kubeconfig", "kubeconfig", Ty::String),
        opt("roleArn", "role-arn", Ty::String),
        opt("proxyUrl", "proxy-url", Ty::String),
        opt("dryRun", "dry-run", Ty::Boolean),
        opt("verbose", "verbose", Ty::Boolean),
        opt("alias", "alias", Ty::String),
        opt("userAlias", "user-alias", Ty::String),
    ],
    paging: None,
    reads: &[],
    send: describe_cluster,
};

/// Whether an operation is `eks update-kubeconfig`.
pub fn is_update_kubeconfig(op: &Operation) -> bool {
    op == &UPDATE_KUBECONFIG
}

/// DescribeCluster, as the CLI's command calls it.
fn describe_cluster<'a>(
    clients: &'a Clients,
    _: &'static Operation,
    input: &'a Map<String, Value>,
) -> BoxFuture<'a, Result<Value, ActionError>> {
    let describe = Service::Eks
        .operation("describe-cluster")
        .expect("describe-cluster is an EKS operation");
    let mut only = Map::new();
    only.insert("name".into(), input.get("name").cloned().unwrap_or(Value::Null));
    Box::pin(async move { (describe.send)(clients, describe, &only).await })
}

/// What the command adds to a kubeconfig for one described cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Entries {
    pub cluster: Value,
    pub user: Value,
    pub context: Value,
}

impl Entries {
    /// The cluster's name in the kubeconfig: its ARN.
    pub fn cluster_name(&self) -> &str {
        self.cluster["name"].as_str().unwrap_or_default()
    }

    pub fn context_name(&self) -> &str {
        self.context["name"].as_str().unwrap_or_default()
    }
}

fn text<'a>(input: &'a Map<String, Value>, member: &str) -> Option<&'a str> {
    input.get(member).and_then(Value::as_str)
}

/// Whether a switch (`--dry-run`, `--verbose`) was given.
pub fn switch(input: &Map<String, Value>, member: &str) -> bool {
    input.get(member).and_then(Value::as_bool).unwrap_or(false)
}

/// The entries for the cluster DescribeCluster returned (`described`, its
/// whole output), with the line's flags (`input`) and the AWS profile the
/// credentials come from. The cluster must be ACTIVE or UPDATING, as the
/// CLI requires; its error messages are the CLI's.
pub fn entries(
    input: &Map<String, Value>,
    described: &Value,
    profile: Option<&str>,
) -> Result<Entries, String> {
    let cluster = &described["cluster"];
    let Some(status) = cluster["status"].as_str() else {
        return Err("Cluster not found".into());
    };
    if !matches!(status, "ACTIVE" | "UPDATING") {
        return Err(format!("Cluster status is {status}"));
    }
    let arn = cluster["arn"].as_str().unwrap_or_default();
    let mut server = Map::new();
    server.insert(
        "certificate-authority-data".into(),
        cluster["certificateAuthority"]["data"].clone(),
    );
    server.insert("server".into(), cluster["endpoint"].clone());
    if server["certificate-authority-data"].is_null() {
        server["certificate-authority-data"] = json!("");
    }
    if let Some(proxy) = text(input, "proxyUrl") {
        server.insert("proxy-url".into(), json!(proxy));
    }
    let cluster_entry = json!({"cluster": server, "name": arn});

    // A local cluster on an Outpost is named by its id.
    let outpost = &cluster["outpostConfig"];
    let (id_flag, id) = if outpost.is_null() || !outpost["etcdInstanceType"].is_null() {
        ("--cluster-name", text(input, "name").unwrap_or_default())
    } else {
        ("--cluster-id", cluster["id"].as_str().unwrap_or_default())
    };
    let region = arn.split(':').nth(3).unwrap_or_default();
    let mut args = vec![
        "--region",
        region,
        "eks",
        "get-token",
        id_flag,
        id,
        "--output",
        "json",
    ];
    if let Some(role) = text(input, "roleArn") {
        args.extend(["--role", role]);
    }
    let mut exec = Map::new();
    exec.insert("apiVersion".into(), json!(API_VERSION));
    exec.insert("args".into(), json!(args));
    exec.insert("command".into(), json!("aws"));
    if let Some(profile) = profile {
        exec.insert("env".into(), json!([{"name": "AWS_PROFILE", "value": profile}]));
    }
    let user_name = text(input, "userAlias").unwrap_or(arn);
    let user = json!({"name": user_name, "user": {"exec": exec}});
    let context = json!({
        "context": {"cluster": arn, "user": user_name},
        "name": text(input, "alias").unwrap_or(user_name),
    });
    Ok(Entries {
        cluster: cluster_entry,
        user,
        context,
    })
}

/// A kubeconfig with nothing in it, as the CLI starts one.
fn empty() -> Value {
    json!({
        "apiVersion": "v1",
        "clusters": [],
        "contexts": [],
        "current-context": "",
        "kind": "Config",
        "preferences": {},
        "users": [],
    })
}

/// A kubeconfig's content from its text (`None`: no file, a new one). An
/// empty file is a new one too; a file whose top-level members have the
/// wrong types is refused, as the CLI refuses it.
pub fn load(text: Option<&str>) -> Result<Value, String> {
    let Some(text) = text else {
        return Ok(empty());
    };
    let content: Value =
        serde_yaml_ng::from_str(text).map_err(|e| format!("YamlError while loading kubeconfig: {e}"))?;
    if content.is_null() {
        return Ok(empty());
    }
    let Value::Object(map) = &content else {
        return Err("Content not a dict.".into());
    };
    let Value::Object(model) = empty() else {
        unreachable!("the empty kubeconfig is an object")
    };
    for (key, like) in &model {
        let Some(value) = map.get(key).filter(|v| !v.is_null()) else {
            continue;
        };
        let same_type = matches!(
            (like, value),
            (Value::String(_), Value::String(_))
                | (Value::Array(_), Value::Array(_))
                | (Value::Object(_), Value::Object(_))
        );
        if !same_type {
            return Err(format!("{key} is wrong type"));
        }
        if let Value::Array(items) = value
            && !items.iter().all(Value::is_object)
        {
            return Err(format!("Entry in {key} not a dict."));
        }
    }
    Ok(content)
}

/// Whether the kubeconfig has a cluster of that name.
pub fn has_cluster(config: &Value, name: &str) -> bool {
    config["clusters"]
        .as_array()
        .is_some_and(|all| all.iter().any(|c| c["name"] == name))
}

/// Adds the entries, each replacing the one of the same name, and makes
/// the context the current one.
pub fn insert(config: &mut Value, entries: &Entries) {
    for (key, entry) in [
        ("clusters", &entries.cluster),
        ("users", &entries.user),
        ("contexts", &entries.context),
    ] {
        if !config[key].is_array() {
            config[key] = json!([]);
        }
        let Some(list) = config[key].as_array_mut() else {
            continue;
        };
        match list.iter_mut().find(|e| e["name"] == entry["name"]) {
            Some(same) => *same = entry.clone(),
            None => list.push(entry.clone()),
        }
    }
    config["current-context"] = json!(entries.context_name());
}

/// A kubeconfig's content as YAML, its members in their order.
pub fn dump(config: &Value) -> String {
    serde_yaml_ng::to_string(config).unwrap_or_default()
}

/// The line the CLI prints after writing: whether the cluster was there
/// before says added or updated.
pub fn written_line(entries: &Entries, path: &str, updated: bool) -> String {
    let context = entries.context_name();
    if updated {
        format!("Updated context {context} in {path}\n")
    } else {
        format!("Added new context {context} to {path}\n")
    }
}

/// `--verbose`'s listing of the entries written.
pub fn verbose_listing(entries: &Entries) -> String {
    let mut out = String::from("Entries:\n\n");
    for entry in [&entries.context, &entries.user, &entries.cluster] {
        out.push_str(&dump(entry));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(status: &str) -> Value {
        json!({"cluster": {
            "name": "eks-workshop",
            "arn": "arn:aws:eks:us-west-2:123456789012:cluster/eks-workshop",
            "endpoint": "https://ABC.gr7.us-west-2.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tCg=="},
            "status": status,
        }})
    }

    fn input(pairs: &[(&str, &str)]) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("name".into(), json!("eks-workshop"));
        for (k, v) in pairs {
            map.insert(k.to_string(), json!(v));
        }
        map
    }

    const ARN: &str = "arn:aws:eks:us-west-2:123456789012:cluster/eks-workshop";

    #[test]
    fn entries_are_named_by_the_arn_unless_aliased() {
        let e = entries(&input(&[]), &described("ACTIVE"), None).unwrap();
        assert_eq!(e.cluster_name(), ARN);
        assert_eq!(e.context_name(), ARN);
        assert_eq!(
            e.user["user"]["exec"]["args"],
            json!([
                "--region",
                "us-west-2",
                "eks",
                "get-token",
                "--cluster-name",
                "eks-workshop",
                "--output",
                "json"
            ])
        );
        // The workshop's line: the context takes the alias, the user its own.
        let e = entries(
            &input(&[
                ("roleArn", "arn:aws:iam::1:role/readonly"),
                ("alias", "readonly"),
                ("userAlias", "readonly-user"),
            ]),
            &described("UPDATING"),
            Some("dev"),
        )
        .unwrap();
        assert_eq!(
            e.context,
            json!({"context": {"cluster": ARN, "user": "readonly-user"}, "name": "readonly"})
        );
        let exec = &e.user["user"]["exec"];
        assert_eq!(exec["args"][8], "--role");
        assert_eq!(exec["args"][9], "arn:aws:iam::1:role/readonly");
        assert_eq!(exec["env"], json!([{"name": "AWS_PROFILE", "value": "dev"}]));
        // Without --alias, the context is named as the user.
        let e = entries(&input(&[("userAlias", "u")]), &described("ACTIVE"), None).unwrap();
        assert_eq!(e.context_name(), "u");
    }

    #[test]
    fn a_cluster_that_is_not_active_has_no_entries() {
        assert_eq!(
            entries(&input(&[]), &described("CREATING"), None).unwrap_err(),
            "Cluster status is CREATING"
        );
        assert_eq!(
            entries(&input(&[]), &json!({}), None).unwrap_err(),
            "Cluster not found"
        );
    }

    #[test]
    fn entries_replace_their_namesakes_and_keep_the_rest() {
        let mut config = load(Some(
            "apiVersion: v1\nclusters:\n- name: other\n  cluster: {server: https://other}\n\
             contexts:\n- name: other\n  context: {cluster: other, user: other}\n\
             current-context: other\nkind: Config\npreferences: {}\nusers:\n- name: other\n  user: {}\n",
        ))
        .unwrap();
        let e = entries(&input(&[]), &described("ACTIVE"), None).unwrap();
        assert!(!has_cluster(&config, ARN));
        insert(&mut config, &e);
        assert!(has_cluster(&config, ARN));
        insert(&mut config, &e);
        assert_eq!(config["clusters"].as_array().unwrap().len(), 2);
        assert_eq!(config["contexts"][0]["name"], "other");
        assert_eq!(config["current-context"], ARN);
        // And it reads back as written.
        assert_eq!(load(Some(&dump(&config))).unwrap(), config);
    }

    #[test]
    fn a_missing_or_empty_file_is_a_new_kubeconfig_and_a_wrong_one_is_refused() {
        assert_eq!(load(None).unwrap(), empty());
        assert_eq!(load(Some("")).unwrap(), empty());
        assert_eq!(load(Some("clusters: x\n")).unwrap_err(), "clusters is wrong type");
        assert_eq!(
            load(Some("users: [1]\n")).unwrap_err(),
            "Entry in users not a dict."
        );
        assert!(load(Some("a: [")).unwrap_err().starts_with("YamlError"));
    }

    #[test]
    fn the_printed_lines() {
        let e = entries(&input(&[("alias", "admins")]), &described("ACTIVE"), None).unwrap();
        assert_eq!(
            written_line(&e, "/root/.kube/config", false),
            "Added new context admins to /root/.kube/config\n"
        );
        assert_eq!(written_line(&e, "/k", true), "Updated context admins in /k\n");
        assert!(verbose_listing(&e).starts_with("Entries:\n\ncontext:\n"));
    }
}
