//! The AWS backend against moto on loopback: real HTTP, the SDK's real
//! clients, the CLI's output shapes.

mod common_aws;

use common_aws::{POLICY, RunLine, TRUST_POLICY, backend, eks_client, iam_client, unique};
use rehearse::ground::port::ErrorKind;
use serde_json::{Value, json};

async fn create_policy(name: &str) -> String {
    let out = iam_client()
        .create_policy()
        .policy_name(name)
        .policy_document(POLICY)
        .send()
        .await
        .expect("create the policy");
    out.policy.unwrap().arn.unwrap()
}

async fn create_cluster(name: &str) {
    eks_client()
        .create_cluster()
        .name(name)
        .role_arn("arn:aws:iam::123456789012:role/eks-cluster")
        .resources_vpc_config(
            aws_sdk_eks::types::VpcConfigRequest::builder()
                .subnet_ids("subnet-11111111")
                .subnet_ids("subnet-22222222")
                .build(),
        )
        .version("1.31")
        .send()
        .await
        .expect("create the cluster");
}

async fn create_nodegroup(cluster: &str, name: &str) {
    eks_client()
        .create_nodegroup()
        .cluster_name(cluster)
        .nodegroup_name(name)
        .node_role("arn:aws:iam::123456789012:role/eks-node")
        .subnets("subnet-11111111")
        .scaling_config(
            aws_sdk_eks::types::NodegroupScalingConfig::builder()
                .min_size(1)
                .max_size(3)
                .desired_size(2)
                .build(),
        )
        .labels("workshop", "yes")
        .send()
        .await
        .expect("create the nodegroup");
}

#[tokio::test]
async fn iam_role_lifecycle() {
    let aws = backend();
    let role = unique("pod-role");
    let policy_arn = create_policy(&unique("pod-policy")).await;

    let created = aws
        .line(&format!(
            "iam create-role --role-name {role} --assume-role-policy-document '{TRUST_POLICY}' --description 'for pods'"
        ))
        .await
        .unwrap();
    assert_eq!(created["Role"]["RoleName"], json!(role));
    assert_eq!(created["Role"]["Description"], json!("for pods"));
    let created_at = created["Role"]["CreateDate"].as_str().unwrap();
    assert!(created_at.ends_with("+00:00"), "{created_at}");
    assert_eq!(
        created["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"],
        json!(["sts:AssumeRole", "sts:TagSession"])
    );

    let attached = aws
        .line(&format!(
            "iam attach-role-policy --role-name {role} --policy-arn {policy_arn}"
        ))
        .await
        .unwrap();
    assert_eq!(attached, json!({}));

    let service = aws
        .line(&format!(
            "iam get-role --role-name {role} --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service'"
        ))
        .await
        .unwrap();
    assert_eq!(service, json!("pods.eks.amazonaws.com"));

    let doc = aws
        .line(&format!(
            "iam get-policy-version --policy-arn {policy_arn} --version-id v1 --query PolicyVersion.Document"
        ))
        .await
        .unwrap();
    assert_eq!(doc, serde_json::from_str::<Value>(POLICY).unwrap());

    let policy = aws
        .line(&format!("iam get-policy --policy-arn {policy_arn}"))
        .await
        .unwrap();
    assert_eq!(policy["Policy"]["AttachmentCount"], json!(1));
    assert_eq!(policy["Policy"]["DefaultVersionId"], json!("v1"));

    let list = aws
        .line(&format!("iam list-attached-role-policies --role-name {role}"))
        .await
        .unwrap();
    let name = policy_arn.rsplit('/').next().unwrap();
    assert_eq!(
        list,
        json!({"AttachedPolicies": [{"PolicyName": name, "PolicyArn": policy_arn}]})
    );
    let arns = aws
        .line(&format!(
            "iam list-attached-role-policies --role-name {role} --query 'AttachedPolicies[].PolicyArn' --output json"
        ))
        .await
        .unwrap();
    assert_eq!(arns, json!([policy_arn]));
    assert_eq!(
        aws.line(&format!("iam list-role-policies --role-name {role}"))
            .await
            .unwrap(),
        json!({"PolicyNames": []})
    );

    aws.line(&format!(
        "iam detach-role-policy --role-name {role} --policy-arn {policy_arn}"
    ))
    .await
    .unwrap();
    assert_eq!(
        aws.line(&format!("iam list-attached-role-policies --role-name {role}"))
            .await
            .unwrap(),
        json!({"AttachedPolicies": []})
    );
    assert_eq!(
        aws.line(&format!("iam delete-role --role-name {role}"))
            .await
            .unwrap(),
        json!({})
    );
    let gone = aws
        .line(&format!("iam get-role --role-name {role}"))
        .await
        .unwrap_err();
    assert_eq!(gone.kind, ErrorKind::Failed);
    assert!(
        gone.message
            .starts_with("An error occurred (NoSuchEntity) when calling the GetRole operation: "),
        "{}",
        gone.message
    );
    assert_eq!(gone.as_output()["error"]["code"], json!("NoSuchEntity"));
}

#[tokio::test]
async fn eks_clusters_and_nodegroups() {
    let aws = backend();
    let cluster = unique("eks-workshop");
    create_cluster(&cluster).await;
    create_nodegroup(&cluster, "default").await;

    let described = aws
        .line(&format!("eks describe-cluster --name {cluster}"))
        .await
        .unwrap();
    let c = &described["cluster"];
    assert_eq!(c["name"], json!(cluster));
    assert_eq!(c["version"], json!("1.31"));
    assert_eq!(c["status"], json!("ACTIVE"));
    assert_eq!(
        c["resourcesVpcConfig"]["subnetIds"],
        json!(["subnet-11111111", "subnet-22222222"])
    );
    let created = c["createdAt"].as_str().unwrap();
    assert!(
        created.len() == "2024-01-12T22:41:01.414000+00:00".len() || created.len() == 25,
        "{created}"
    );

    let status = aws
        .line(&format!(
            "eks describe-cluster --name {cluster} --query cluster.status --output text"
        ))
        .await
        .unwrap();
    assert_eq!(status, json!("ACTIVE"));

    let clusters = aws.line("eks list-clusters").await.unwrap();
    assert!(clusters["clusters"].as_array().unwrap().contains(&json!(cluster)));
    assert_eq!(clusters.as_object().unwrap().len(), 1, "{clusters}");

    assert_eq!(
        aws.line(&format!("eks list-nodegroups --cluster-name {cluster}"))
            .await
            .unwrap(),
        json!({"nodegroups": ["default"]})
    );
    let ng = aws
        .line(&format!(
            "eks describe-nodegroup --cluster-name {cluster} --nodegroup-name default"
        ))
        .await
        .unwrap();
    assert_eq!(
        ng["nodegroup"]["scalingConfig"],
        json!({"minSize": 1, "maxSize": 3, "desiredSize": 2})
    );
    assert_eq!(ng["nodegroup"]["labels"], json!({"workshop": "yes"}));
    assert_eq!(ng["nodegroup"]["clusterName"], json!(cluster));

    // The waiter polls its describe call; the wait it is lowered into reads
    // `cluster.status` of this output (see tests/engine.rs for the states).
    let cmd = rehearse::action::line::aws(
        &format!("eks wait cluster-active --name {cluster}"),
        std::path::Path::new("."),
    )
    .unwrap();
    assert_eq!(cmd.operation.name, "describe-cluster");
    let out = aws.run(&cmd).await.unwrap();
    assert_eq!(out["cluster"]["status"], "ACTIVE");
}

#[tokio::test]
async fn eks_pagination_joins_pages() {
    let aws = backend();
    let names: Vec<String> = (0..3).map(|_| unique("paged")).collect();
    for n in &names {
        create_cluster(n).await;
    }
    let all = aws.line("eks list-clusters --page-size 1").await.unwrap();
    let listed = all["clusters"].as_array().unwrap();
    for n in &names {
        assert!(listed.contains(&json!(n)), "{n} missing from {all}");
    }
    assert!(all.get("nextToken").is_none());
    let one = aws.line("eks list-clusters --max-results 1").await.unwrap();
    assert_eq!(one["clusters"].as_array().unwrap().len(), 1);
    assert!(one["nextToken"].is_string(), "{one}");
}

#[tokio::test]
async fn errors_read_like_the_cli() {
    let aws = backend();
    let e = aws
        .line("eks describe-cluster --name no-such-cluster")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(
        e.message.starts_with(
            "An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: "
        ),
        "{}",
        e.message
    );
    let out = e.as_output();
    assert_eq!(out["error"]["code"], json!("ResourceNotFoundException"));
    assert!(
        out["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-cluster"),
        "{out}"
    );

    let e = aws
        .line("eks describe-nodegroup --cluster-name no-such-cluster --nodegroup-name x")
        .await
        .unwrap_err();
    assert_eq!(e.as_output()["error"]["code"], json!("ResourceNotFoundException"));

    let e = aws.line("eks describe-clustr --name x").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Runtime);
    assert!(
        e.message
            .contains("operation `describe-clustr` of eks is not run natively"),
        "{}",
        e.message
    );
    assert!(e.message.contains("describe-cluster"), "{}", e.message);

    let e = aws.line("iam get-role --rolename x").await.unwrap_err();
    assert!(
        e.message
            .contains("option `--rolename` of iam get-role is not run natively"),
        "{}",
        e.message
    );
    assert!(e.message.contains("--role-name"), "{}", e.message);
}

#[tokio::test]
async fn caller_identity() {
    let aws = backend();
    assert_eq!(aws.account_id().await.unwrap(), "123456789012");
    let me = aws.line("sts get-caller-identity").await.unwrap();
    assert_eq!(me["Account"], json!("123456789012"));
    assert!(me["Arn"].is_string() && me["UserId"].is_string(), "{me}");
}

#[tokio::test]
async fn no_connection_is_a_runtime_error() {
    let conf = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-west-2"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(aws_sdk_eks::config::SharedCredentialsProvider::new(
            aws_sdk_eks::config::Credentials::new("a", "b", None, None, "t"),
        ))
        .build();
    let aws = rehearse::backend::aws::AwsBackend::from_config(&conf, None);
    let e = aws.line("eks list-clusters").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Runtime);
    assert!(
        e.message.starts_with("ListClusters could not be called: "),
        "{}",
        e.message
    );
    assert!(
        !e.message.contains("DispatchFailure {"),
        "Debug noise: {}",
        e.message
    );
}

/// A step's `--region`, recorded and replayed through the binary: its
/// exchange names the region, the replay answers it, and the same
/// exchange without its region no longer does.
#[tokio::test]
async fn a_region_named_by_a_step_is_recorded_and_replayed() {
    let cluster = unique("region-lab");
    create_cluster(&cluster).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("region.toml"),
        r#"[workflow]
name = "region"

[vars]
CLUSTER = { env = "LAB_CLUSTER" }

[[steps]]
id = "here"
aws = "eks describe-cluster --name ${CLUSTER}"
expect = [{ query = "cluster.status", equals = "ACTIVE" }]

[[steps]]
id = "elsewhere"
aws = "eks list-clusters --region eu-west-1"
expect = [{ query = "clusters", equals = [] }]
"#,
    )
    .unwrap();
    let run = |mode: &str, env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"));
        cmd.current_dir(dir.path()).args(["run", mode, "region.toml"]);
        for k in [
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
        ] {
            cmd.env_remove(k);
        }
        cmd.env("AWS_CONFIG_FILE", dir.path().join("no-aws-config"));
        cmd.env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("no-aws-credentials"),
        );
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let moto = common_aws::moto_url().to_string();
    let live = [
        ("AWS_ENDPOINT_URL", moto.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-west-2"),
        ("LAB_CLUSTER", cluster.as_str()),
    ];
    let (code, text) = run("--record", &live);
    assert_eq!(code, Some(0), "{text}");
    let path = dir.path().join("region.recording.yaml");
    let recording = std::fs::read_to_string(&path).unwrap();
    assert_eq!(recording.matches("region: eu-west-1").count(), 1, "{recording}");
    let (code, text) = run("--replay", &[]);
    assert_eq!(code, Some(0), "{text}");
    // Without its region, the exchange answers no call in eu-west-1.
    std::fs::write(&path, recording.replace("    region: eu-west-1\n", "")).unwrap();
    let (code, text) = run("--replay", &[]);
    assert_ne!(code, Some(0), "{text}");
    assert!(text.contains("(eu-west-1)"), "{text}");
}
