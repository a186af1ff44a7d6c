//! The Kubernetes control plane the kube tests run against: the one
//! `scripts/test.sh` started for the whole run (`REHEARSE_TEST_KUBECONFIG`),
//! or else one this test binary starts with `scripts/cluster.sh start` on
//! first use and stops when it exits.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The variable `scripts/test.sh` sets to the kubeconfig of its cluster.
pub const KUBECONFIG_VAR: &str = "REHEARSE_TEST_KUBECONFIG";

pub struct Cluster {
    /// Its kubeconfig: the API server's URL, its CA, an admin token.
    pub kubeconfig: PathBuf,
    /// The API server's URL, as the kubeconfig gives it.
    pub server: String,
    /// The admin's bearer token, for tests that prove it is never recorded.
    pub token: String,
    pub config: kube::Config,
}

/// The cluster of this test binary, started or connected to on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let kubeconfig = match std::env::var_os(KUBECONFIG_VAR) {
            Some(path) => PathBuf::from(path),
            None => start_own(),
        };
        connect(kubeconfig)
    })
}

fn connect(kubeconfig: PathBuf) -> Cluster {
    let text = std::fs::read_to_string(&kubeconfig)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", kubeconfig.display()));
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("a kubeconfig");
    let server = doc["clusters"][0]["cluster"]["server"]
        .as_str()
        .expect("the kubeconfig names its server")
        .to_string();
    let token = doc["users"][0]["user"]["token"]
        .as_str()
        .expect("the kubeconfig has a token")
        .to_string();
    // Reading a kubeconfig is async in kube-rs; this may run inside a
    // test's runtime, where no other runtime can block, so on a thread.
    let path = kubeconfig.clone();
    let config = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async {
            let kc = kube::config::Kubeconfig::read_from(&path).expect("a kubeconfig");
            kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .expect("a client configuration")
        })
    })
    .join()
    .expect("reading the kubeconfig");
    Cluster {
        kubeconfig,
        server,
        token,
        config,
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/cluster.sh")
}

/// The stdin of the process that stops our cluster once it closes: at our
/// `atexit` (which then waits for the stop), or when the kernel closes it
/// because this process died in any other way.
static STOPPER: Mutex<Option<(ChildStdin, Child)>> = Mutex::new(None);

extern "C" fn stop_own() {
    let Some((stdin, mut child)) = STOPPER.lock().ok().and_then(|mut s| s.take()) else {
        return;
    };
    drop(stdin);
    let _ = child.wait();
}

/// Starts a cluster for this test binary; returns its kubeconfig.
fn start_own() -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix("rehearse-test-cluster.")
        .tempdir()
        .expect("a temporary directory")
        .keep();
    // The stopper first, so that whatever happens next the cluster is
    // stopped: in a session of its own, so a Ctrl-C aimed at the tests does
    // not stop it before it has done its job.
    let mut stopper = Command::new("sh");
    stopper
        .args(["-c", r#"cat >/dev/null; exec "$0" stop "$1" --clean"#])
        .arg(script())
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null());
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        stopper.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut stopper = stopper
        .spawn()
        .expect("start the process that stops the cluster (sh)");
    let stdin = stopper.stdin.take().expect("its stdin");
    *STOPPER.lock().unwrap() = Some((stdin, stopper));
    // SAFETY: registers a plain function with no captured state.
    unsafe {
        libc::atexit(stop_own);
    }

    let started = Instant::now();
    let mut start = Command::new(script());
    start
        .arg("start")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // SAFETY: prctl only sets the signal this child gets when we die (its
    // trap then stops what it had started).
    unsafe {
        start.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let mut child = start
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} ({e})", script().display()));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut line)
        .expect("read the kubeconfig's path");
    let status = child.wait().expect("wait for scripts/cluster.sh start");
    assert!(
        status.success() && !line.trim().is_empty(),
        "scripts/cluster.sh start failed ({status}); its output is above"
    );
    // Not through eprintln!, which the test harness would capture.
    let _ = writeln!(
        std::io::stderr(),
        "kube tests: a Kubernetes control plane of our own started in {:.1} s ({}; set {KUBECONFIG_VAR} to share one)",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    PathBuf::from(line.trim())
}
