//! Recording and replaying real AWS SDK calls against a fake AWS on loopback.

mod recording_common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use recording_common::{Req, Resp, form_value, serve};
use rehearse::ground::clock::Clock;
use rehearse::ground::port::CURRENT_STEP;
use rehearse::ground::port::NoMatch;
use rehearse::recording::aws::{RecordingHttpClient, ReplayHttpClient, default_https_client};
use rehearse::recording::{Header, Player, Recorder, Recording};

const ACCESS_KEY: &str = "AKIDTESTSECRETNEVERSTORE";
const SECRET_KEY: &str = "SECRETTESTNEVERSTORE";
const SESSION_TOKEN: &str = "TOKENTESTNEVERSTORE";
/// Credentials the fake STS issues in its AssumeRole answer.
const ISSUED_SECRET: &str = "ISSUEDSECRETNEVERSTORE";
const ISSUED_TOKEN: &str = "ISSUEDTOKENNEVERSTORE";

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY, Some(SESSION_TOKEN.into()), None, "test")
}

fn iam(endpoint: &str, http: SharedHttpClient) -> aws_sdk_iam::Client {
    let conf = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .http_client(http)
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

fn sts(endpoint: &str, http: SharedHttpClient) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
        .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
        .http_client(http)
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

fn eks(endpoint: &str, http: SharedHttpClient) -> aws_sdk_eks::Client {
    let conf = aws_sdk_eks::Config::builder()
        .behavior_version(aws_sdk_eks::config::BehaviorVersion::latest())
        .region(aws_sdk_eks::config::Region::new("us-west-2"))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
        .retry_config(aws_sdk_eks::config::retry::RetryConfig::disabled())
        .http_client(http)
        .build();
    aws_sdk_eks::Client::from_conf(conf)
}

/// IAM GetRole (a per-role call counter in the description, for polling),
/// STS AssumeRole (issuing credentials), EKS DescribeCluster and CreateAddon.
fn fake_aws() -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
    let calls: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    move |req: &Req| {
        let body = req.body_text();
        match (req.method.as_str(), req.path()) {
            ("POST", "/") if form_value(&body, "Action").as_deref() == Some("GetRole") => {
                let name = form_value(&body, "RoleName").unwrap();
                let n = {
                    let mut calls = calls.lock().unwrap();
                    let n = calls.entry(name.clone()).or_default();
                    *n += 1;
                    *n
                };
                Resp::Full {
                    status: 200,
                    content_type: "text/xml",
                    body: format!(
                        r#"<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetRoleResult>
    <Role>
      <Path>/</Path>
      <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>
      <MaxSessionDuration>3600</MaxSessionDuration>
      <RoleId>AROAEXAMPLEID</RoleId>
      <RoleName>{name}</RoleName>
      <Description>call {n}</Description>
      <Arn>arn:aws:iam::123456789012:role/{name}</Arn>
      <CreateDate>2024-01-12T22:41:01Z</CreateDate>
    </Role>
  </GetRoleResult>
  <ResponseMetadata><RequestId>req-{n}</RequestId></ResponseMetadata>
</GetRoleResponse>
"#
                    ),
                }
            }
            ("POST", "/") if form_value(&body, "Action").as_deref() == Some("AssumeRole") => Resp::Full {
                status: 200,
                content_type: "text/xml",
                body: format!(
                    r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:s3-access-example</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/s3-access-example</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAISSUEDKEYID</AccessKeyId>
      <SecretAccessKey>{ISSUED_SECRET}</SecretAccessKey>
      <SessionToken>{ISSUED_TOKEN}</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-sts</RequestId></ResponseMetadata>
</AssumeRoleResponse>
"#
                ),
            },
            ("GET", path) if path.starts_with("/clusters/") => {
                let name = path.trim_start_matches("/clusters/");
                Resp::Full {
                    status: 200,
                    content_type: "application/json",
                    body: serde_json::json!({"cluster": {
                        "name": name,
                        "arn": format!("arn:aws:eks:us-west-2:123456789012:cluster/{name}"),
                        "status": "ACTIVE",
                        "version": "1.33",
                        "createdAt": 1705099261.414
                    }})
                    .to_string(),
                }
            }
            ("POST", path) if path.ends_with("/addons") => {
                let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                assert!(
                    v["clientRequestToken"].is_string(),
                    "the SDK sends an idempotency token"
                );
                Resp::Full {
                    status: 200,
                    content_type: "application/json",
                    body: serde_json::json!({"addon": {
                        "addonName": v["addonName"],
                        "clusterName": "eks-workshop",
                        "status": "CREATING",
                        "createdAt": 1705099261.0
                    }})
                    .to_string(),
                }
            }
            _ => Resp::Full {
                status: 404,
                content_type: "text/plain",
                body: format!("no route for {} {}", req.method, req.target),
            },
        }
    }
}

async fn in_step<F: Future>(step: &str, f: F) -> F::Output {
    CURRENT_STEP.scope(step.to_string(), f).await
}

/// What the calls returned, in a comparable form.
#[derive(Debug, PartialEq)]
struct Outputs {
    role_arn: String,
    polls: Vec<String>,
    issued_key: String,
    cluster: (String, String, String),
    addon: (String, String),
}

async fn run_calls(
    iam: &aws_sdk_iam::Client,
    sts: &aws_sdk_sts::Client,
    eks: &aws_sdk_eks::Client,
) -> Outputs {
    let role = in_step("get-role", iam.get_role().role_name("eks-role").send())
        .await
        .unwrap();
    let mut polls = Vec::new();
    for _ in 0..3 {
        let r = in_step("wait-role", iam.get_role().role_name("poller").send())
            .await
            .unwrap();
        polls.push(r.role.unwrap().description.unwrap());
    }
    let assumed = in_step(
        "assume",
        sts.assume_role()
            .role_arn("arn:aws:iam::123456789012:role/demo")
            .role_session_name("s3-access-example")
            .send(),
    )
    .await
    .unwrap();
    let cluster = in_step("describe", eks.describe_cluster().name("eks-workshop").send())
        .await
        .unwrap()
        .cluster
        .unwrap();
    let addon = in_step(
        "create-addon",
        eks.create_addon()
            .cluster_name("eks-workshop")
            .addon_name("aws-ebs-csi-driver")
            .send(),
    )
    .await
    .unwrap()
    .addon
    .unwrap();
    Outputs {
        role_arn: role.role.unwrap().arn,
        polls,
        issued_key: assumed.credentials.unwrap().access_key_id,
        cluster: (
            cluster.name.unwrap(),
            cluster.status.unwrap().as_str().to_string(),
            cluster.created_at.unwrap().to_string(),
        ),
        addon: (
            addon.addon_name.unwrap(),
            addon.status.unwrap().as_str().to_string(),
        ),
    }
}

fn default_client() -> SharedHttpClient {
    default_https_client().expect("this build has the SDK's default HTTPS client")
}

/// Records `run_calls` against a fresh fake AWS; returns the outputs and the saved file.
async fn record(dir: &std::path::Path) -> (Outputs, std::path::PathBuf) {
    let server = serve(fake_aws()).await;
    let recorder = Recorder::new(Header::live(Some("us-west-2".into()), Default::default()));
    let rec = |service| RecordingHttpClient::new(default_client(), recorder.clone(), service).into_shared();
    let outputs = run_calls(
        &iam(&server.url(), rec("iam")),
        &sts(&server.url(), rec("sts")),
        &eks(&server.url(), rec("eks")),
    )
    .await;
    assert!(server.accepts() >= 1, "recording goes through the real client");
    server.stop().await;
    let path = dir.join("lab.recording.yaml");
    recorder.finish().save(&path).unwrap();
    (outputs, path)
}

#[tokio::test]
async fn no_credential_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (outputs, path) = record(dir.path()).await;
    assert_eq!(outputs.issued_key, "ASIAISSUEDKEYID");
    let text = std::fs::read_to_string(&path).unwrap();
    for secret in [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, ISSUED_SECRET, ISSUED_TOKEN] {
        assert!(!text.contains(secret), "{secret} is in the file:\n{text}");
    }
    let lower = text.to_ascii_lowercase();
    for header in [
        "signature=",
        "aws4-hmac-sha256",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "user-agent",
        "x-amzn-requestid",
    ] {
        assert!(!lower.contains(header), "{header} is in the file:\n{text}");
    }
    // The issued credentials' fields are there, redacted; XML stays text.
    assert!(
        text.contains("<SecretAccessKey>REDACTED</SecretAccessKey>"),
        "{text}"
    );
    assert!(text.contains("<SessionToken>REDACTED</SessionToken>"), "{text}");
    // JSON is a readable structure, not an escaped string.
    assert!(text.contains("addonName: aws-ebs-csi-driver"), "{text}");
    // Form bodies are kept as text.
    assert!(
        text.contains("body: Action=GetRole&Version=2010-05-08&RoleName=eks-role"),
        "{text}"
    );
}

#[tokio::test]
async fn replay_gives_the_recorded_outputs_without_any_network() {
    let dir = tempfile::tempdir().unwrap();
    let (recorded, path) = record(dir.path()).await;
    assert_eq!(recorded.polls, ["call 1", "call 2", "call 3"]);

    let recording = Recording::load(&path).unwrap();
    let total: u64 = recording
        .exchanges
        .iter()
        .map(|e| match e {
            rehearse::recording::Exchange::Http(h) => h.duration_ms,
            rehearse::recording::Exchange::Process(p) => p.duration_ms,
        })
        .sum();
    let player = Player::new(recording);
    let clock = Clock::virtual_clock();
    let start = clock.now();

    // Every endpoint points at a listener that counts connections.
    let trap = recording_common::counting_listener().await;
    let replay = |service| ReplayHttpClient::new(player.clone(), service, clock.clone()).into_shared();
    let (iam_c, sts_c, eks_c) = (
        iam(&trap.url(), replay("iam")),
        sts(&trap.url(), replay("sts")),
        eks(&trap.url(), replay("eks")),
    );
    let replayed = run_calls(&iam_c, &sts_c, &eks_c).await;
    assert_eq!(replayed, recorded);

    // Polling past the recorded responses repeats the step's last one.
    let again = in_step("wait-role", iam_c.get_role().role_name("poller").send())
        .await
        .unwrap();
    assert_eq!(again.role.unwrap().description.unwrap(), "call 3");
    // Another step is never answered with them: a replay is strict.
    let err = in_step("later", iam_c.get_role().role_name("poller").send())
        .await
        .unwrap_err();
    let msg = &NoMatch::find(&err).expect("a NoMatch").message;
    assert!(msg.contains("it has one for step(s) `wait-role`"), "{msg}");

    // Replayed calls take their recorded time on the virtual clock.
    assert!(clock.now() - start >= Duration::from_millis(total));

    // A request that is not in the recording names the closest ones.
    let err = in_step("other", iam_c.get_role().role_name("other-role").send())
        .await
        .unwrap_err();
    let no_match = NoMatch::find(&err).expect("the SDK error carries the replay's NoMatch");
    let msg = &no_match.message;
    assert!(msg.contains("RoleName=other-role"), "{msg}");
    assert!(msg.contains("(step `other`)"), "{msg}");
    assert!(msg.contains("RoleName=eks-role"), "{msg}");
    assert!(msg.contains("recorded by step `get-role`"), "{msg}");
    let action_error: rehearse::ground::port::ActionError = no_match.clone().into();
    assert_eq!(action_error.kind, rehearse::ground::port::ErrorKind::Runtime);

    assert_eq!(trap.accepts(), 0, "replay opened a connection");

    // The trap does detect a client that uses the network.
    let recorder = Recorder::new(Header::live(None, Default::default()));
    let live = iam(
        &trap.url(),
        RecordingHttpClient::new(default_client(), recorder, "iam").into_shared(),
    );
    assert!(live.get_role().role_name("eks-role").send().await.is_err());
    assert!(
        trap.accepts() >= 1,
        "the trap saw no connection from a live client"
    );
    trap.stop().await;
}

#[tokio::test]
async fn replay_without_a_recorded_service_says_so() {
    let recording = Recording {
        header: Header::live(None, Default::default()),
        steps: Default::default(),
        exchanges: Vec::new(),
    };
    let client = iam(
        "http://127.0.0.1:9",
        ReplayHttpClient::new(Player::new(recording), "iam", Clock::virtual_clock()).into_shared(),
    );
    let err = client.get_role().role_name("x").send().await.unwrap_err();
    let msg = &NoMatch::find(&err).unwrap().message;
    assert!(msg.contains("no response for iam POST /"), "{msg}");
    assert!(msg.contains("no iam requests at all"), "{msg}");
}

/// A call that named a region with `--region` records it, and replays only
/// for a call in that region.
#[tokio::test]
async fn a_named_region_is_recorded_and_matched() {
    let server = serve(fake_aws()).await;
    let recorder = Recorder::new(Header::live(Some("us-west-2".into()), Default::default()));
    let rec = |region| {
        RecordingHttpClient::new(default_client(), recorder.clone(), "iam")
            .in_region(region)
            .into_shared()
    };
    in_step(
        "elsewhere",
        iam(&server.url(), rec(Some("eu-west-1")))
            .get_role()
            .role_name("eks-role")
            .send(),
    )
    .await
    .unwrap();
    in_step(
        "here",
        iam(&server.url(), rec(None))
            .get_role()
            .role_name("here-role")
            .send(),
    )
    .await
    .unwrap();
    server.stop().await;
    let recording = recorder.finish();
    let http: Vec<&rehearse::recording::HttpExchange> = recording
        .exchanges
        .iter()
        .filter_map(|e| match e {
            rehearse::recording::Exchange::Http(h) => Some(h.as_ref()),
            _ => None,
        })
        .collect();
    let regions: Vec<Option<&str>> = http.iter().map(|e| e.request.region.as_deref()).collect();
    assert_eq!(regions, [Some("eu-west-1"), None]);
    let text = serde_yaml_ng::to_string(http[1]).unwrap();
    assert!(
        !text.contains("region"),
        "a call in the recording's region says nothing: {text}"
    );

    let player = Player::new(recording);
    let replay = |region| {
        ReplayHttpClient::new(player.clone(), "iam", Clock::virtual_clock())
            .in_region(region)
            .into_shared()
    };
    let url = "http://127.0.0.1:9";
    let get = |client: aws_sdk_iam::Client, role: &'static str| async move {
        client.get_role().role_name(role).send().await
    };
    // In another region, or in the recording's own, the call was not recorded.
    let err = in_step("elsewhere", get(iam(url, replay(None)), "eks-role"))
        .await
        .unwrap_err();
    let msg = &NoMatch::find(&err).unwrap().message;
    assert!(
        msg.contains("(eu-west-1)"),
        "the near miss names its region: {msg}"
    );
    assert!(
        in_step("elsewhere", get(iam(url, replay(Some("us-east-2"))), "eks-role"))
            .await
            .is_err()
    );
    assert!(
        in_step("elsewhere", get(iam(url, replay(Some("eu-west-1"))), "eks-role"))
            .await
            .is_ok()
    );
    assert!(
        in_step("here", get(iam(url, replay(None)), "here-role"))
            .await
            .is_ok()
    );
    assert!(
        in_step("here", get(iam(url, replay(Some("eu-west-1"))), "here-role"))
            .await
            .is_err()
    );
}
