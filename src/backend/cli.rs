//! `aws` and `kubectl` lines that rehearse does not run natively, run by
//! the real CLI found on `PATH`: argv, no shell, as a process like a `run`
//! step's (its process group, `stdin`, `max-output`, the workflow's
//! variables in its environment). The dispatcher hands it to the process
//! transport, so it records and replays as a `run` step's result does.
//!
//! It sees what the native backends see: the same AWS credentials, region,
//! profile and endpoints (rehearse's own environment, which the native
//! backends read, never a workflow variable of the same name), and the
//! workflow's `[kubernetes]` context and namespace, passed as flags when
//! the line gives none.

use tokio::process::Command as Process;

use crate::action::Request;
use crate::action::cli::{Command, Tool};
use crate::action::process::exit_result;
use crate::backend::shell::{run_process, signal_of};
use crate::ground::port::{ActionError, ActionResult, Output};
use crate::transport::KubeSettings;

/// The variables through which the native backends find AWS and the
/// cluster. They are rehearse's own: a workflow variable of the same name
/// does not reach the CLI, so that it acts on what a native step would.
const SETTINGS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "KUBECONFIG",
];

fn is_setting(name: &str) -> bool {
    SETTINGS.contains(&name) || name.starts_with("AWS_ENDPOINT_URL_")
}

/// The process's argv: the tool, then for kubectl the workflow's context
/// and namespace unless the line sets them, then the line's words; for
/// aws, `--output json` unless the line asks for an output.
pub fn argv(command: &Command, kube: &KubeSettings) -> Vec<String> {
    let mut argv = vec![command.tool.name().to_string()];
    let args = &command.args;
    match command.tool {
        Tool::Kubectl => {
            // Flags after `--` belong to the command `exec` runs.
            let own = match args.iter().position(|a| a == "--") {
                Some(i) => &args[..i],
                None => &args[..],
            };
            if let Some(context) = &kube.context
                && !has_flag(own, &["--context"])
            {
                argv.extend(["--context".to_string(), context.clone()]);
            }
            if let Some(namespace) = &kube.namespace
                && !has_flag(own, &["-n", "--namespace", "-A", "--all-namespaces"])
            {
                argv.extend(["--namespace".to_string(), namespace.clone()]);
            }
            argv.extend(args.iter().cloned());
        }
        Tool::Aws => {
            argv.extend(args.iter().cloned());
            if !has_flag(args, &["--output"]) {
                argv.extend(["--output".to_string(), "json".to_string()]);
            }
        }
    }
    argv
}

/// Whether `args` give one of the flags: `--x`, `--x=v`, or `-nv` for a
/// short one.
fn has_flag(args: &[String], names: &[&str]) -> bool {
    args.iter().any(|a| {
        names.iter().any(|n| {
            a == n
                || a.strip_prefix(n)
                    .is_some_and(|rest| rest.starts_with('=') || (!n.starts_with("--") && !rest.is_empty()))
        })
    })
}

/// The command line a recording knows the process by, quoted as a shell
/// would need it (the recorder redacts it as it does a script).
pub fn key(argv: &[String]) -> String {
    shell_words::join(argv)
}

/// Runs `argv` live: `{stdout, stderr, exit_code}` as a `run` step's, which
/// is what a recording keeps (the CLI's own text); a non-zero exit fails
/// the step, its message ending with stderr's last line. [`json_first`]
/// makes it the step's output, live and replayed alike.
pub async fn execute(argv: &[String], command: &Command, request: &Request) -> ActionResult {
    let Some((program, args)) = argv.split_first() else {
        return Err(ActionError::runtime("an empty command line"));
    };
    let mut process = Process::new(program);
    process.args(args);
    let mut request = request.clone();
    request.env.retain(|(name, _)| !is_setting(name));
    // The AWS CLI v2 pages its output through `less` otherwise.
    request.env.push(("AWS_PAGER".into(), String::new()));
    let cannot_start = |e: std::io::Error| not_started(program, command, &e);
    let done = run_process(process, program, &request, cannot_start).await?;
    exit_result(
        &done.stdout,
        &done.stderr,
        done.status.code(),
        signal_of(&done.status),
    )
}

/// A CLI's process output as its step's: stdout's JSON when it prints
/// JSON, as a native step's output is, else the process output; either
/// way the text it printed is the step's printed output (`stdout = true`).
pub fn json_first(result: ActionResult) -> ActionResult {
    result.map(|output| match output.json.get("json") {
        Some(json) => Output {
            json: json.clone(),
            stdout: output.stdout.clone(),
        },
        None => output,
    })
}

fn not_started(program: &str, command: &Command, e: &std::io::Error) -> ActionError {
    if e.kind() == std::io::ErrorKind::NotFound {
        return ActionError::runtime(format!(
            "`{program}` not found on PATH: this step runs through the {program} CLI ({}); \
             install {program}, or write the step so that rehearse runs it natively \
             (`rehearse validate --native-only` lists every such step)",
            command.reason
        ));
    }
    ActionError::runtime(format!("cannot start `{program}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(stdout: &str, code: i32) -> ActionResult {
        json_first(exit_result(stdout.as_bytes(), b"oops\n", Some(code), None))
    }

    fn command(tool: Tool, args: &[&str]) -> Command {
        Command {
            tool,
            args: args.iter().map(|a| a.to_string()).collect(),
            reason: "why".into(),
        }
    }

    #[test]
    fn kubectl_gets_the_workflows_context_and_namespace_unless_the_line_sets_them() {
        let kube = KubeSettings {
            context: Some("lab".into()),
            namespace: Some("carts".into()),
            from_line: false,
        };
        let c = command(Tool::Kubectl, &["describe", "pod", "x"]);
        assert_eq!(
            argv(&c, &kube),
            [
                "kubectl",
                "--context",
                "lab",
                "--namespace",
                "carts",
                "describe",
                "pod",
                "x"
            ]
        );
        let c = command(Tool::Kubectl, &["top", "pods", "-nui", "--context=other"]);
        assert_eq!(
            argv(&c, &kube),
            ["kubectl", "top", "pods", "-nui", "--context=other"]
        );
        let c = command(Tool::Kubectl, &["get", "pods", "-A"]);
        assert_eq!(argv(&c, &kube)[..3], ["kubectl", "--context", "lab"]);
        // `-n` after `--` is the exec'd command's.
        let c = command(Tool::Kubectl, &["exec", "-it", "p", "--", "ls", "-n"]);
        assert!(argv(&c, &kube).contains(&"--namespace".to_string()));
        let none = KubeSettings {
            context: None,
            namespace: None,
            from_line: false,
        };
        assert_eq!(argv(&c, &none)[1], "exec");
    }

    #[test]
    fn aws_prints_json_unless_the_line_asks_for_another_output() {
        let none = KubeSettings {
            context: None,
            namespace: None,
            from_line: false,
        };
        let c = command(Tool::Aws, &["s3", "ls"]);
        assert_eq!(argv(&c, &none), ["aws", "s3", "ls", "--output", "json"]);
        let c = command(Tool::Aws, &["ec2", "describe-vpcs", "--output=text"]);
        assert_eq!(argv(&c, &none).len(), 4);
        let c = command(Tool::Aws, &["ec2", "describe-vpcs", "--output", "table"]);
        assert_eq!(argv(&c, &none).last().unwrap(), "table");
        assert_eq!(key(&argv(&c, &none)), "aws ec2 describe-vpcs --output table");
    }

    #[test]
    fn json_stdout_is_the_output_and_text_is_a_process_output() {
        // The printed text stays the CLI's own, for `stdout = true`.
        assert_eq!(
            shape("{\"a\": 1}\n", 0),
            Ok(Output::printed(json!({"a": 1}), "{\"a\": 1}\n"))
        );
        let text = shape("pod/x deleted\n", 0).unwrap();
        assert_eq!(text["stdout"], "pod/x deleted\n");
        assert_eq!(text["exit_code"], 0);
        assert_eq!(text.stdout.as_deref(), Some("pod/x deleted\n"));
        let e = shape("{}", 254).unwrap_err();
        assert_eq!(e.message, "command exited with code 254: oops");
    }

    #[test]
    fn a_missing_executable_is_named_with_what_to_do() {
        let c = command(Tool::Aws, &["s3", "ls"]);
        let e = not_started("aws", &c, &std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(e.message.starts_with("`aws` not found on PATH"), "{}", e.message);
        assert!(e.message.contains("--native-only"));
    }
}
