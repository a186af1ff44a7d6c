//! The AWS CLI's shorthand (`--access-scope type=namespace,namespaces=carts`)
//! read by us and by the CLI itself: for each case, the value the CLI
//! would send for the flag (its `ParamShorthandParser` with the operation's
//! real argument model, then botocore's parameter validation) against the
//! member of our request for the same line. Both must read the same value,
//! or both refuse it. Python is `python3` with the AWS CLI v1 installed
//! (`scripts/peers.sh`).

mod common;

use std::path::Path;

use serde_json::{Value, json};

const INSTALL: &str = "run scripts/peers.sh: it installs the AWS CLI for python3";

/// Reads each case's words as the CLI does, then validates the value
/// against the argument's shape, as botocore does before sending.
const PYTHON: &str = r#"
import json, sys
from awscli.clidriver import create_clidriver
from awscli.argprocess import ParamShorthandParser
from botocore.validate import ParamValidator
driver = create_clidriver()
services = driver._get_command_table()
parser = ParamShorthandParser()
answers = []
for case in json.load(sys.stdin):
    op = services[case["service"]]._get_command_table()[case["operation"]]
    arg = op.arg_table[case["flag"]]
    # A list argument gets its words as a list (argparse's nargs="+").
    words = case["words"] if arg.argument_model.type_name == "list" else case["words"][0]
    event = "process-cli-arg.%s.%s" % (case["service"], case["operation"])
    try:
        value = parser(arg, words, event)
        report = ParamValidator().validate(value, arg.argument_model)
        if report.has_errors():
            answers.append({"error": report.generate_report()})
        else:
            answers.append({"value": value})
    except Exception as e:
        answers.append({"error": str(e)})
print(json.dumps(answers))
"#;

struct Case {
    service: &'static str,
    operation: &'static str,
    /// The required members, so that our line parses.
    required: &'static str,
    flag: &'static str,
    member: &'static str,
    words: &'static [&'static str],
}

const ACCESS: (&str, &str, &str) = (
    "eks",
    "associate-access-policy",
    "--cluster-name c --principal-arn p --policy-arn a",
);
const NODEGROUP: (&str, &str, &str) = (
    "eks",
    "update-nodegroup-config",
    "--cluster-name c --nodegroup-name n",
);
const NEW_NODEGROUP: (&str, &str, &str) = (
    "eks",
    "create-nodegroup",
    "--cluster-name c --nodegroup-name n --subnets s --node-role r",
);
const CLUSTER: (&str, &str, &str) = ("eks", "update-cluster-config", "--name c");
const ADDON: (&str, &str, &str) = ("eks", "create-addon", "--cluster-name c --addon-name a");
const ROLE: (&str, &str, &str) = (
    "iam",
    "create-role",
    "--role-name r --assume-role-policy-document d",
);

const fn case(
    (service, operation, required): (&'static str, &'static str, &'static str),
    flag: &'static str,
    member: &'static str,
    words: &'static [&'static str],
) -> Case {
    Case {
        service,
        operation,
        required,
        flag,
        member,
        words,
    }
}

const CASES: &[Case] = &[
    // The EKS Workshop's lines.
    case(ACCESS, "access-scope", "accessScope", &["type=cluster"]),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=carts"],
    ),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=ui"],
    ),
    case(
        NODEGROUP,
        "taints",
        "taints",
        &["addOrUpdateTaints=[{key=frontend, value=true, effect=NO_EXECUTE}]"],
    ),
    case(
        NODEGROUP,
        "labels",
        "labels",
        &["addOrUpdateLabels={status=new-node}"],
    ),
    case(NODEGROUP, "scaling-config", "scalingConfig", &["desiredSize=0"]),
    // Lists: after a comma, or in brackets; a lone value is a list of one.
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=carts,ui,orders"],
    ),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["namespaces=carts,ui,type=namespace"],
    ),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=[carts, ui]"],
    ),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=[]"],
    ),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type = namespace , namespaces = carts"],
    ),
    // Quotes and escaped commas.
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &[r#"type="a,b",namespaces=c\,d"#],
    ),
    case(ACCESS, "access-scope", "accessScope", &["type=a=b"]),
    // Structures in structures, lists of them, maps.
    case(
        NODEGROUP,
        "taints",
        "taints",
        &[
            "addOrUpdateTaints=[{key=a,effect=NO_SCHEDULE},{key=b,value=x,effect=NO_EXECUTE}],removeTaints={key=c,effect=NO_SCHEDULE}",
        ],
    ),
    case(
        NODEGROUP,
        "labels",
        "labels",
        &["addOrUpdateLabels={a=1,b=2},removeLabels=x,y"],
    ),
    case(
        NODEGROUP,
        "scaling-config",
        "scalingConfig",
        &["minSize=1,maxSize= 3,desiredSize=2"],
    ),
    case(NODEGROUP, "update-config", "updateConfig", &["maxUnavailable=1"]),
    case(
        NEW_NODEGROUP,
        "taints",
        "taints",
        &["key=k,value=v,effect=NO_SCHEDULE", "key=k2,effect=NO_EXECUTE"],
    ),
    case(
        NEW_NODEGROUP,
        "remote-access",
        "remoteAccess",
        &["ec2SshKey=k,sourceSecurityGroups=sg-1,sg-2"],
    ),
    case(NEW_NODEGROUP, "labels", "labels", &["team=carts,tier=web"]),
    case(
        CLUSTER,
        "resources-vpc-config",
        "resourcesVpcConfig",
        &["endpointPublicAccess=true,endpointPrivateAccess=False,publicAccessCidrs=1.2.3.4/32"],
    ),
    case(
        CLUSTER,
        "logging",
        "logging",
        &["clusterLogging=[{types=[api,audit],enabled=true}]"],
    ),
    case(ADDON, "tags", "tags", &["team=carts,env=dev"]),
    case(
        ADDON,
        "pod-identity-associations",
        "podIdentityAssociations",
        &["serviceAccount=s1,roleArn=r1", "serviceAccount=s2,roleArn=r2"],
    ),
    case(ROLE, "tags", "Tags", &["Key=a,Value=b", "Key=c,Value=d"]),
    // Refused by both.
    case(ACCESS, "access-scope", "accessScope", &["type"]),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=namespace,namespaces=[carts"],
    ),
    case(ACCESS, "access-scope", "accessScope", &["type=a,type=b"]),
    case(ACCESS, "access-scope", "accessScope", &["type=[a,b]"]),
    case(
        ACCESS,
        "access-scope",
        "accessScope",
        &["type=cluster,namespace=carts"],
    ),
    case(NODEGROUP, "labels", "labels", &["addOrUpdateLabels={a=[1,2]}"]),
    case(
        CLUSTER,
        "resources-vpc-config",
        "resourcesVpcConfig",
        &["endpointPublicAccess=maybe"],
    ),
    case(ADDON, "tags", "tags", &["team=a,b"]),
];

/// The CLI's answers, in the order of the cases.
fn python() -> Vec<Value> {
    let cases: Vec<Value> = CASES
        .iter()
        .map(|c| json!({"service": c.service, "operation": c.operation, "flag": c.flag, "words": c.words}))
        .collect();
    let input = serde_json::to_vec(&cases).expect("cases serialise");
    serde_json::from_slice(&common::python3(PYTHON, &input, INSTALL)).expect("python3 prints JSON")
}

/// Our value for the case's member, or our error.
fn ours(c: &Case) -> Result<Value, String> {
    let words: Vec<String> = c.words.iter().map(|w| format!("'{w}'")).collect();
    let line = format!(
        "{} {} {} --{} {}",
        c.service,
        c.operation,
        c.required,
        c.flag,
        words.join(" ")
    );
    let request = rehearse::action::line::aws(&line, Path::new(".")).map_err(|e| e.to_string())?;
    Ok(request.input.get(c.member).cloned().unwrap_or(Value::Null))
}

#[test]
fn shorthand_reads_as_the_cli_reads_it() {
    let theirs = python();
    assert_eq!(theirs.len(), CASES.len());
    let mut differ = Vec::new();
    for (c, answer) in CASES.iter().zip(&theirs) {
        let what = format!("{} {} --{} {:?}", c.service, c.operation, c.flag, c.words);
        match (ours(c), answer.get("value"), answer.get("error")) {
            (Ok(ours), Some(theirs), _) if &ours == theirs => {}
            (Err(_), None, Some(_)) => {}
            (ours, _, _) => differ.push(format!("{what}:\n  ours:    {ours:?}\n  the CLI: {answer}")),
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
