use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::action::arg::{CommandError, Context, Filler};
use crate::action::words::{Word, split};

fn words(line: &str) -> Vec<Word> {
    let src = format!("'{line}'");
    split(line, 0..src.len(), &src)
        .unwrap_or_else(|e| panic!("{line}: {e:?}"))
        .words
}

fn parsed(line: &str) -> Result<Call, CommandError> {
    let src = format!("'{line}'");
    let words = split(line, 0..src.len(), &src)
        .map_err(|e| CommandError::new(e.message, e.hint))?
        .words;
    parse(&words)
}

fn filled_in(line: &str, dir: &Path, vars: &[(&str, &str)]) -> Result<Request, CommandError> {
    let src = format!("\"{line}\"");
    let words = split(line, 0..src.len(), &src)
        .map_err(|e| CommandError::new(e.message, e.hint))?
        .words;
    let value = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string());
    parse(&words)?.fill(&Filler {
        value: &value,
        context: Context { dir },
    })
}

fn request(line: &str) -> Result<Request, CommandError> {
    filled_in(line, Path::new("."), &[])
}

fn input(line: &str) -> Value {
    Value::Object(request(line).unwrap_or_else(|e| panic!("{line}: {e}")).input)
}

fn err(line: &str) -> CommandError {
    request(line).expect_err(line)
}

#[test]
fn scalars_and_member_names() {
    let c = request("eks describe-addon --cluster-name eks-workshop --addon-name vpc-cni").unwrap();
    assert_eq!(c.service, Service::Eks);
    assert_eq!(c.operation.api, "DescribeAddon");
    assert_eq!(
        Value::Object(c.input),
        json!({"clusterName": "eks-workshop", "addonName": "vpc-cni"})
    );
    assert_eq!(c.query, None);
    assert!(c.waiter.is_none());
    // The start of an option names it, as in the CLI's argparse.
    assert_eq!(
        input("eks describe-addon --cluster eks-workshop --addon=vpc-cni"),
        json!({"clusterName": "eks-workshop", "addonName": "vpc-cni"})
    );
    let e = err("eks list-access-entries --cluster-name c --ma 2");
    assert_eq!(
        e.message,
        "ambiguous option: --ma could match --max-results, --max-items"
    );
    assert!(!e.is_not_native());
    assert!(e.span.is_some(), "it points at the flag");
    // The leading `aws` is optional, `--flag=value` works.
    assert_eq!(input("aws iam get-role --role-name=x"), json!({"RoleName": "x"}));
    assert_eq!(
        input(
            "iam create-role --role-name r --assume-role-policy-document '{\"a\": 1}' --max-session-duration 7200"
        ),
        json!({"RoleName": "r", "AssumeRolePolicyDocument": "{\"a\": 1}", "MaxSessionDuration": 7200})
    );
}

#[test]
fn booleans() {
    assert_eq!(
        input("eks delete-addon --cluster-name c --addon-name a --preserve"),
        json!({"clusterName": "c", "addonName": "a", "preserve": true})
    );
    assert_eq!(
        input("eks delete-addon --cluster-name c --addon-name a --no-preserve"),
        json!({"clusterName": "c", "addonName": "a", "preserve": false})
    );
    let e = err("eks delete-addon --cluster-name c --addon-name a --preserve yes");
    assert!(e.message.contains("takes no value"), "{e}");
}

#[test]
fn lists_maps_and_structures() {
    assert_eq!(
        input("eks describe-addon-versions --types a b --types c --owners '[\"aws\"]'"),
        json!({"types": ["a", "b", "c"], "owners": ["aws"]})
    );
    let base = "eks create-addon --cluster-name c --addon-name a";
    assert_eq!(
        input(&format!("{base} --tags k1=v1,k2=v=2"))["tags"],
        json!({"k1": "v1", "k2": "v=2"})
    );
    assert_eq!(
        input(&format!("{base} --tags '{{\"k\": \"v\"}}' --tags x=y"))["tags"],
        json!({"k": "v", "x": "y"})
    );
    assert_eq!(
        input(&format!(
            "{base} --pod-identity-associations serviceAccount=s1,roleArn=r1 serviceAccount=s2,roleArn=r2"
        ))["podIdentityAssociations"],
        json!([{"serviceAccount": "s1", "roleArn": "r1"}, {"serviceAccount": "s2", "roleArn": "r2"}])
    );
    assert_eq!(
        input(&format!("{base} --namespace-config namespace=ns"))["namespaceConfig"],
        json!({"namespace": "ns"})
    );
    let ng = "eks update-nodegroup-config --cluster-name c --nodegroup-name n";
    assert_eq!(
        input(&format!(
            "{ng} --scaling-config minSize=4,maxSize=6,desiredSize=4"
        ))["scalingConfig"],
        json!({"minSize": 4, "maxSize": 6, "desiredSize": 4})
    );
    assert_eq!(
        input(
            "iam create-role --role-name r --assume-role-policy-document d --tags Key=a,Value=b Key=c,Value=d"
        )["Tags"],
        json!([{"Key": "a", "Value": "b"}, {"Key": "c", "Value": "d"}])
    );
    assert!(
        err(&format!("{ng} --scaling-config minSize=four"))
            .message
            .contains("an integer")
    );
    let e = err(&format!("{ng} --scaling-config minSiz=4"));
    assert!(e.hint.starts_with("keys, closest first: minSize"), "{e}");
    assert!(
        err(&format!("{base} --tags novalue"))
            .message
            .contains("Expected: '=', received: 'EOF'")
    );
    // The workshop's taints: a list of structures inside a structure.
    assert_eq!(
        input(&format!(
            "{ng} --taints \"addOrUpdateTaints=[{{key=frontend, value=true, effect=NO_EXECUTE}}]\""
        ))["taints"],
        json!({"addOrUpdateTaints": [{"key": "frontend", "value": "true", "effect": "NO_EXECUTE"}]})
    );
    assert_eq!(
        input(&format!(
            "{ng} --labels addOrUpdateLabels={{status=new-node}},removeLabels=old"
        ))["labels"],
        json!({"addOrUpdateLabels": {"status": "new-node"}, "removeLabels": ["old"]})
    );
    assert!(
        err(&format!("{ng} --labels '{{bad'"))
            .message
            .contains("invalid JSON")
    );
}

#[test]
fn files_are_read_from_the_workflow_folder_when_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trust.json"), "{\"Version\": \"2012-10-17\"}").unwrap();
    let line = "iam create-role --role-name r --assume-role-policy-document file://trust.json";
    // Parsing reads no file.
    parsed(line).unwrap();
    let c = filled_in(line, dir.path(), &[]).unwrap();
    assert_eq!(
        c.input["AssumeRolePolicyDocument"],
        json!("{\"Version\": \"2012-10-17\"}")
    );
    let e = filled_in(line, Path::new("/nonexistent"), &[]).unwrap_err();
    assert!(e.message.contains("cannot read file://trust.json"), "{e}");
    assert!(e.hint.contains("relative to the workflow's folder"), "{e}");
}

#[test]
fn cli_input_json_merges_and_flags_win() {
    let c = request(
        r#"eks describe-addon --cli-input-json '{"clusterName": "a", "addonName": "b"}' --addon-name c"#,
    )
    .unwrap();
    assert_eq!(
        Value::Object(c.input),
        json!({"clusterName": "a", "addonName": "c"})
    );
    let e = err(r#"eks describe-addon --cli-input-json '{"clusterNam": "a", "addonName": "b"}'"#);
    assert!(e.message.contains("clusterNam"), "{e}");
    assert!(e.hint.starts_with("members, closest first: clusterName"), "{e}");
    assert!(
        err("eks describe-addon --cli-input-json '[1]'")
            .message
            .contains("not a JSON object")
    );
    let e = err(r#"eks list-clusters --cli-input-json '{"maxResults": "10"}'"#);
    assert_eq!(e.message, "--cli-input-json: `maxResults` is not an integer");
    assert!(
        request(r#"eks list-clusters --cli-input-json '{"include": ["all"]}'"#)
            .unwrap()
            .paginate
    );
    assert!(
        !request(r#"eks list-clusters --cli-input-json '{"nextToken": "t"}'"#)
            .unwrap()
            .paginate
    );
    // `${N}` is read when the call is filled in, even in single quotes.
    parsed(r#"eks list-clusters --cli-input-json '{"maxResults": "${N}"}'"#).unwrap();
}

#[test]
fn the_table_form_fills_its_input() {
    let call = parse_table(&words("eks describe-cluster"), &json!({"name": "${C}"})).unwrap();
    let value = |n: &str| (n == "C").then(|| "x".to_string());
    let filler = Filler {
        value: &value,
        context: Context { dir: Path::new(".") },
    };
    assert_eq!(call.fill(&filler).unwrap().input["name"], "x");
    let e = parse_table(&words("eks describe-cluster"), &json!({})).unwrap_err();
    assert!(e.message.contains("--name"), "{e}");
    let e = parse_table(&words("eks describe-cluster"), &json!({"nam": "x"})).unwrap_err();
    assert!(e.message.contains("`nam`"), "{e}");
}

#[test]
fn query_output_and_paging_flags() {
    let c = request(
        "iam get-role --role-name x --query 'Role.AssumeRolePolicyDocument' --output json --no-cli-pager --color off",
    )
    .unwrap();
    assert_eq!(
        c.query.as_ref().map(|q| q.source()),
        Some("Role.AssumeRolePolicyDocument")
    );
    assert!(!c.paginate);
    assert!(
        err("iam get-role --role-name x --query 'Role.['")
            .message
            .starts_with("bad --query")
    );
    assert!(
        err("iam get-role --role-name x --output xml")
            .message
            .contains("--output")
    );
    assert_eq!(
        request("eks list-clusters --output table").unwrap().output,
        Some(print::OutputFormat::Table)
    );
    assert_eq!(request("eks list-clusters").unwrap().output, None);
    assert!(request("eks list-clusters").unwrap().paginate);
    assert!(!request("eks list-clusters --no-paginate").unwrap().paginate);
    assert!(!request("eks list-clusters --max-results 2").unwrap().paginate);
    let c = request("eks list-clusters --page-size 2").unwrap();
    assert!(c.paginate);
    assert_eq!(Value::Object(c.input), json!({"maxResults": 2}));
    assert_eq!(
        input("iam list-role-policies --role-name r --page-size 5")["MaxItems"],
        json!(5)
    );
    let c = request("eks list-clusters --max-items 2 --starting-token abc --region eu-west-1").unwrap();
    assert_eq!(
        (c.max_items, c.starting_token.as_deref(), c.region.as_deref()),
        (Some(2), Some("abc"), Some("eu-west-1"))
    );
    assert!(c.paginate);
    assert_eq!(
        err("eks list-clusters --max-items two").message,
        "argument --max-items: invalid int value: 'two'"
    );
    assert_eq!(
        err("eks list-clusters --page-size 1.5").message,
        "argument --page-size: invalid int value: '1.5'"
    );
    assert_eq!(
        err("eks list-clusters --no-paginate --page-size 2 --max-items 1 --starting-token t").message,
        "Cannot specify --no-paginate along with pagination arguments: --starting-token, --page-size, --max-items"
    );
    assert_eq!(
        err("eks list-clusters --next-token x --max-items 1").message,
        "Cannot specify --no-paginate along with pagination arguments: --max-items"
    );
    // Only operations that page have the paging options.
    let e = err("eks describe-cluster --name c --max-items 1");
    assert!(e.message.contains("--max-items"), "{e}");
    // `--region` takes a value written later, as the CLI's parser does.
    assert_eq!(
        request("iam get-role --region --role-name r us-east-1")
            .unwrap()
            .region
            .as_deref(),
        Some("us-east-1")
    );
    assert!(
        err("sts get-caller-identity --profile p")
            .hint
            .contains("AWS_PROFILE")
    );
}

#[test]
fn a_flag_without_its_value_takes_a_stray_value_as_the_cli_does() {
    // As written on the EKS Workshop's Pod Identity page.
    let c = request(
        "iam get-policy-version --version-id v1 --policy-arn --query 'PolicyVersion.Document' arn:aws:iam::1234567890:policy/eks-workshop-carts-dynamo",
    )
    .unwrap();
    assert_eq!(
        c.input["PolicyArn"],
        "arn:aws:iam::1234567890:policy/eks-workshop-carts-dynamo"
    );
    assert_eq!(c.input["VersionId"], "v1");
    assert_eq!(
        c.query.as_ref().map(|q| q.source()),
        Some("PolicyVersion.Document")
    );
    let e = err("iam get-policy-version --version-id v1 --policy-arn --query x");
    assert!(
        e.message.contains("--policy-arn expects one argument"),
        "{}",
        e.message
    );
    let e = err("iam get-role --role-name a b");
    assert!(e.message.contains("unexpected argument `b`"), "{}", e.message);
}

#[test]
fn waiters_parse_to_their_describe_call() {
    let c = request("eks wait addon-active --cluster-name x --addon-name y").unwrap();
    assert_eq!(c.operation.name, "describe-addon");
    assert_eq!(c.waiter.unwrap().name, "addon-active");
    assert_eq!(
        Value::Object(c.input),
        json!({"clusterName": "x", "addonName": "y"})
    );
    assert_eq!(
        request("eks wait cluster-active --name x").unwrap().operation.api,
        "DescribeCluster"
    );
    let e = err("eks wait addon-actve --cluster-name x");
    assert!(
        e.hint.starts_with("native waiters, closest first: addon-active"),
        "{e}"
    );
    assert!(e.is_not_native());
    assert!(err("eks wait").hint.contains("nodegroup-deleted"));
}

#[test]
fn unknown_names_list_the_closest_first() {
    // Unknown names are not native: the AWS CLI may know them.
    let e = err("ekss describe-addon");
    assert_eq!(e.message, "service `ekss` is not run natively");
    assert!(e.hint.starts_with("native services: eks"), "{e}");
    assert!(e.is_not_native());
    let e = err("eks describe-adon --cluster-name x");
    assert_eq!(e.message, "operation `describe-adon` of eks is not run natively");
    assert!(
        e.hint
            .starts_with("native operations of eks, closest first: describe-addon,"),
        "{e}"
    );
    assert!(e.is_not_native());
    let e = err("eks describe-addon --cluster-nme x --addon-name y");
    assert_eq!(
        e.message,
        "option `--cluster-nme` of eks describe-addon is not run natively"
    );
    assert!(
        e.hint.starts_with("options, closest first: --cluster-name,"),
        "{e}"
    );
    assert!(e.is_not_native());
    // Wrong whatever runs it.
    assert!(!err("${S} describe-addon").is_not_native());
    let e = err("eks describe-addon --cluster-name x");
    assert!(!e.is_not_native());
    assert_eq!(
        e.message,
        "eks describe-addon: the following arguments are required: --addon-name"
    );
    assert!(
        err("eks describe-addon --cluster-name x y --addon-name z")
            .message
            .contains("unexpected argument `y`")
    );
    assert!(
        err("eks describe-addon --cluster-name")
            .message
            .contains("expects one argument")
    );
    assert!(
        err("eks describe-addon --cluster-name a --cluster-name b --addon-name c")
            .message
            .contains("twice")
    );
    assert!(err("iam get-role x").message.contains("unexpected argument `x`"));
    assert!(err("").message.contains("empty"));
    assert!(err("sts").message.contains("no operation"));
    assert!(
        err("iam create-role --role-name r --assume-role-policy-document d --max-session-duration x")
            .message
            .contains("an integer")
    );
}

#[test]
fn placeholders_are_read_when_filled() {
    parsed("eks describe-addon --cluster-name ${CLUSTER} --addon-name vpc-cni").unwrap();
    parsed("iam create-role --role-name r --assume-role-policy-document d --max-session-duration ${N}")
        .unwrap();
    parsed("eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config minSize=${MIN},maxSize=6")
        .unwrap();
    parsed("eks create-addon --cluster-name c --addon-name a --tags ${TAGS}").unwrap();
    parsed("eks describe-addon --cli-input-json ${INPUT}").unwrap();
    parsed("eks list-clusters --query ${Q}").unwrap();
    // Names and literal values are still checked.
    assert!(parsed("eks describe-adon --cluster-name ${C}").is_err());
    assert!(parsed("eks describe-addon --cluster-nme ${C} --addon-name a").is_err());
    assert!(parsed("eks describe-addon --cluster-name ${C}").is_err());
    assert!(
        parsed("eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config minSize=x")
            .is_err()
    );
    // Filled in, a value is read whole: it never becomes another flag.
    let c = filled_in(
        "eks describe-addon --cluster-name $C --addon-name vpc-cni",
        Path::new("."),
        &[("C", "x --addon-name other")],
    )
    .unwrap();
    assert_eq!(c.input["clusterName"], "x --addon-name other");
    assert_eq!(c.input["addonName"], "vpc-cni");
    let e = filled_in(
        "iam create-role --role-name r --assume-role-policy-document d --max-session-duration ${N}",
        Path::new("."),
        &[("N", "long")],
    )
    .unwrap_err();
    assert!(e.message.contains("an integer"), "{e}");
    // Inside single quotes nothing is a placeholder, as in the shell (IAM policy variables).
    assert_eq!(
        input("iam create-role --role-name r --assume-role-policy-document '${aws:username}'")["AssumeRolePolicyDocument"],
        json!("${aws:username}")
    );
}

/// The workshop's `--access-scope type=namespace,namespaces=carts`: a
/// member rehearse knows (once refused as an unknown key), read natively
/// as JSON; its shorthand for a list runs through the CLI.
#[test]
fn an_access_scope_names_its_namespaces() {
    let line = |scope: &str| {
        format!(
            "eks associate-access-policy --cluster-name c --principal-arn arn:aws:iam::1:role/r \
             --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope {scope}"
        )
    };
    let c = request(&line(r#"'{"type": "namespace", "namespaces": ["carts"]}'"#)).unwrap();
    assert_eq!(
        c.input["accessScope"],
        serde_json::json!({"type": "namespace", "namespaces": ["carts"]})
    );
    // Shorthand, as the workshop writes it: a lone namespace is a list of one.
    assert_eq!(
        request(&line("type=namespace,namespaces=carts")).unwrap().input["accessScope"],
        serde_json::json!({"type": "namespace", "namespaces": ["carts"]})
    );
    assert_eq!(
        request(&line("type=namespace,namespaces=carts,ui"))
            .unwrap()
            .input["accessScope"],
        serde_json::json!({"type": "namespace", "namespaces": ["carts", "ui"]})
    );
    assert_eq!(
        request(&line("type=namespace,namespaces=[carts]")).unwrap().input["accessScope"],
        serde_json::json!({"type": "namespace", "namespaces": ["carts"]})
    );
}
