//! Peers for the AWS tests: one `moto_server` per test binary on a free
//! loopback port (the AWS APIs), and the AWS CLI v1 (`aws`) to compare
//! outputs with. Both come from PyPI: `scripts/peers.sh` installs them.

#![allow(dead_code)]

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_eks::config::{Credentials, SharedCredentialsProvider};
use rehearse::backend::aws::AwsBackend;
use rehearse::ground::port::{ActionError, BoxFuture};
use serde_json::Value;

const INSTALL: &str = "run scripts/peers.sh to install the test peers (moto_server, awscli)";

static MOTO_PID: AtomicI32 = AtomicI32::new(0);

extern "C" fn stop_moto() {
    let pid = MOTO_PID.swap(0, Ordering::SeqCst);
    if pid <= 0 {
        return;
    }
    // SAFETY: signals and reaps the one process this binary started, by its
    // id (reaping it leaves no zombie behind).
    unsafe {
        libc::kill(pid, libc::SIGTERM);
        for _ in 0..50 {
            if libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG) != 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().unwrap().port()
}

/// Starts moto on a thread that lives as long as the process: the child
/// gets SIGKILL when that thread (so the process) goes away, and SIGTERM
/// from an `atexit` handler when the test binary exits normally.
fn start_moto() -> String {
    let port = free_port();
    let log = std::env::temp_dir().join(format!("rehearse-moto-{}.log", std::process::id()));
    let log_file = std::fs::File::create(&log).expect("create the moto log");
    let (tx, rx) = mpsc::channel::<std::io::Result<Child>>();
    std::thread::Builder::new()
        .name("moto-server".into())
        .spawn(move || {
            let mut cmd = Command::new("moto_server");
            cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log_file);
            // SAFETY: prctl is async-signal-safe; it only sets the death signal.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            let _ = tx.send(cmd.spawn());
            loop {
                std::thread::park();
            }
        })
        .expect("spawn the moto thread");
    let mut child = match rx.recv().expect("moto thread") {
        Ok(child) => child,
        Err(e) => panic!("cannot start moto_server ({e}): {INSTALL}"),
    };
    MOTO_PID.store(child.id() as i32, Ordering::SeqCst);
    // SAFETY: registers a plain function with no captured state.
    unsafe {
        libc::atexit(stop_moto);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut text = String::new();
            let _ = std::fs::File::open(&log).and_then(|mut f| f.read_to_string(&mut text));
            panic!("moto_server exited ({status}): {text}\n{INSTALL}");
        }
        assert!(
            Instant::now() < deadline,
            "moto_server did not answer on port {port} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    static CHILD: Mutex<Option<Child>> = Mutex::new(None);
    *CHILD.lock().unwrap() = Some(child);
    format!("http://127.0.0.1:{port}")
}

/// The URL of this test binary's moto server, started on first use.
pub fn moto_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(start_moto)
}

/// A configuration for moto, built explicitly (the process environment is
/// left alone).
pub fn sdk_config() -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(moto_url())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "tests",
        )))
        .build()
}

pub fn backend() -> AwsBackend {
    AwsBackend::from_config(&sdk_config(), None)
}

pub fn eks_client() -> aws_sdk_eks::Client {
    aws_sdk_eks::Client::new(&sdk_config())
}

pub fn iam_client() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config())
}

/// Creates an EKS cluster on moto (ACTIVE at once).
pub async fn create_cluster(name: &str) {
    eks_client()
        .create_cluster()
        .name(name)
        .role_arn("arn:aws:iam::123456789012:role/eks")
        .resources_vpc_config(
            aws_sdk_eks::types::VpcConfigRequest::builder()
                .subnet_ids("subnet-1")
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// A name no other test of this binary uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", N.fetch_add(1, Ordering::SeqCst))
}

pub const TRUST_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}"#;

pub const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#;

/// The AWS CLI's config: ISO timestamps as v2 prints them.
fn cli_files() -> &'static (PathBuf, PathBuf) {
    static FILES: OnceLock<(tempfile::TempDir, (PathBuf, PathBuf))> = OnceLock::new();
    &FILES
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let config = dir.path().join("config");
            let credentials = dir.path().join("credentials");
            std::fs::write(
                &config,
                "[default]\ncli_timestamp_format = iso8601\nregion = us-west-2\n",
            )
            .unwrap();
            std::fs::write(&credentials, "").unwrap();
            (dir, (config, credentials))
        })
        .1
}

/// Runs the AWS CLI v1 against moto: its JSON (`{}` when it prints
/// nothing), or its stderr when it fails.
pub fn aws_cli(command: &str) -> Result<Value, String> {
    let stdout = aws_cli_printed(command)?;
    if stdout.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_str(&stdout).map_err(|e| format!("the CLI printed no JSON ({e}): {stdout}"))
}

/// What the AWS CLI prints for a command on moto, as it prints it.
pub fn aws_cli_printed(command: &str) -> Result<String, String> {
    let (config, credentials) = cli_files();
    let args = shell_words::split(command).expect("split the command");
    let out = Command::new("aws")
        .arg("--endpoint-url")
        .arg(moto_url())
        .args(&args)
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", credentials)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("TZ", "UTC")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the AWS CLI `aws` ({e}): {INSTALL}"));
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a line on a backend, parsed and filled in as the engine would (a
/// line that does not parse fails as a runtime error), and gives its JSON.
pub trait RunLine {
    fn line<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<Value, ActionError>>;
}

impl RunLine for AwsBackend {
    fn line<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<Value, ActionError>> {
        Box::pin(async move {
            let request = rehearse::action::line::aws(text, std::path::Path::new("."))
                .map_err(|e| ActionError::runtime(e.to_string()))?;
            self.run(&request).await.map(|out| out.json)
        })
    }
}
