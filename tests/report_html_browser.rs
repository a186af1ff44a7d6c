//! The HTML report in a real browser: Debian's headless Chromium loads the
//! pages written by `rehearse run --report-html` (a replay of the Pod
//! Identity lab, and a lab whose outputs are hostile markup) and must show
//! every step, run the page's script, print nothing to its console and
//! fetch nothing (the page's Content-Security-Policy turns any fetch into a
//! console message). scripts/peers.sh installs chromium.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one page may take to load before the test gives up on it.
const LOAD_LIMIT: Duration = Duration::from_secs(120);

fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
        .expect("chromium is not installed: scripts/peers.sh installs it (apt-get install chromium)")
}

/// What Chromium made of a page: the DOM once its scripts ran, and what
/// the page printed to its console (errors, CSP violations, logs).
struct Rendered {
    dom: String,
    console: Vec<String>,
}

fn render(page: &Path) -> Rendered {
    let scratch = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (scratch.path().join("dom.html"), scratch.path().join("stderr"));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LOAD_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish loading {} in {LOAD_LIMIT:?}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&stdout).unwrap();
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(status.success(), "chromium failed ({status}):\n{log}");
    assert!(dom.contains("</html>"), "no DOM dumped:\n{log}");
    let console = log
        .lines()
        .filter(|line| line.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    Rendered { dom, console }
}

/// Runs `rehearse run ARGS --report-html OUT/report.html` in `dir`, as a
/// replay must be able to run; checks its exit code; returns the page.
fn write_page(dir: &Path, out: &Path, args: &[&str], code: i32) -> PathBuf {
    let page = out.join("report.html");
    let mut all = vec!["run", "--color", "never", "--report-html", page.to_str().unwrap()];
    all.extend(args);
    let run = common::rehearse_offline(dir, &all);
    assert_eq!(
        run.status.code(),
        Some(code),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    page
}

/// The DOM of a page that printed nothing to the console: no script
/// error, no blocked fetch, no log.
fn render_quietly(page: &Path) -> String {
    let rendered = render(page);
    assert!(
        rendered.console.is_empty(),
        "console:\n{}",
        rendered.console.join("\n")
    );
    rendered.dom
}

fn workflows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows")
}

/// The ids of the steps then the finally steps of a JSON report's workflows.
fn step_ids(report: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for w in report["workflows"].as_array().unwrap() {
        for list in ["steps", "finally"] {
            for step in w[list].as_array().unwrap() {
                ids.push(step["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

#[test]
fn the_pod_identity_replay_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let page = write_page(
        &workflows(),
        dir.path(),
        &[
            "--replay",
            "eks-pod-identity.toml",
            "--report-json",
            json.to_str().unwrap(),
        ],
        0,
    );
    let ids = step_ids(&serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap());
    assert!(ids.len() > 20, "{ids:?}");

    let dom = &render_quietly(&page);
    // The script ran: it marks the page and shows its buttons.
    assert!(dom.contains("<html lang=\"en\" class=\"js\">"), "{dom}");
    assert!(
        dom.contains("<button type=\"button\" data-toggle=\"open\">Open all</button>"),
        "{dom}"
    );
    // One bar and one step per step, each named.
    assert_eq!(dom.matches("<a class=\"row ").count(), ids.len());
    assert_eq!(dom.matches("<details class=\"step ").count(), ids.len());
    for id in &ids {
        assert!(
            dom.contains(&format!("<code class=\"id\">{id}</code>")),
            "no step {id}"
        );
    }
    assert!(dom.contains("Amazon EKS Pod Identity"), "the workflow's title");
    assert!(dom.contains("<dt>Mode</dt><dd>replay"), "the mode");
    assert!(
        dom.contains("written from reference material, not captured live"),
        "the recording"
    );
    // The store's home page (an HTML body) is text, not markup.
    assert!(
        dom.contains("&lt;title&gt;Retail Store Sample&lt;/title&gt;"),
        "{dom}"
    );
    assert_eq!(dom.matches("<script").count(), 2, "{dom}");
}

/// A lab whose outputs are markup: a script, an image and a stylesheet
/// from the network, a comment that never ends.
const HOSTILE: &str = r#"[workflow]
name = "hostile"

[[steps]]
id = "markup"
title = "Prints markup"
run = '''
printf '%s\n' '</pre></details><script>console.error("injected")</script><img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><!--'
'''
expect = [{ query = "stdout", equals = "<b>bold</b>" }]

[[finally]]
id = "tidy"
run = "echo '</script><script>console.error(1)</script>'"
"#;

fn hostile_page(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("hostile.toml"), HOSTILE).unwrap();
    write_page(dir, dir, &["hostile.toml"], 1)
}

#[test]
fn hostile_outputs_stay_text_and_the_page_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = hostile_page(dir.path());
    let dom = &render_quietly(&page);
    assert_eq!(dom.matches("<script").count(), 2, "{dom}");
    assert!(!dom.contains("<img"), "{dom}");
    assert!(!dom.contains("<link"), "{dom}");
    assert!(!dom.contains("<b>"), "{dom}");
    // Shown as text: in the output, and in the failure's actual value.
    let text = "&lt;script&gt;console.error(\"injected\")&lt;/script&gt;&lt;img src=\"http://127.0.0.1:9/x.png\"&gt;";
    assert!(dom.matches(text).count() >= 2, "{dom}");
    assert!(
        dom.contains("<span class=\"expected\">expected: \"&lt;b&gt;bold&lt;/b&gt;\"</span>"),
        "{dom}"
    );
    assert!(
        dom.contains("&lt;/script&gt;&lt;script&gt;console.error(1)&lt;/script&gt;"),
        "{dom}"
    );
}

/// The checks above could fail: a page that fetches something or whose
/// script throws is seen.
#[test]
fn a_fetch_or_a_script_error_would_be_seen() {
    let dir = tempfile::tempdir().unwrap();
    let page = hostile_page(dir.path());
    let text = std::fs::read_to_string(&page).unwrap();
    let broken = text.replace(
        "</body>",
        "<img src=\"http://127.0.0.1:9/x.png\"><script>notDefined();</script></body>",
    );
    assert_ne!(broken, text);
    std::fs::write(&page, broken).unwrap();
    let console = render(&page).console.join("\n");
    assert!(console.contains("Content Security Policy"), "{console}");
    assert!(console.contains("http://127.0.0.1:9/x.png"), "{console}");
    assert!(console.contains("Uncaught ReferenceError"), "{console}");
}
