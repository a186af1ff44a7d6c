//! Which kind of step an imported command becomes. This is the one place
//! that decides: an `aws` or `kubectl` line that rehearse's own parsers
//! (the ones validation uses) accept runs natively; one they refuse only
//! because it is not native is an `aws`/`kubectl` step all the same,
//! which runs through the real CLI; anything else, a line with shell
//! syntax, a `~` the shell would expand, or one they find wrong, runs in
//! a shell.

use crate::action::cli::Fallback;
use crate::action::{aws, kubectl, words};

/// The kind of step a command becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An `aws = "…"` or `kubectl = "…"` step, the line without the
    /// tool's name.
    Native {
        tool: Tool,
        line: String,
        /// The variables the line uses (`$NAME`, `${NAME}`), in order.
        vars: Vec<String>,
        /// Why it runs through the CLI, when rehearse does not run it natively.
        cli: Option<String>,
    },
    /// A `run` step; `why` says why a line of `aws` or `kubectl` is not
    /// native when the reason is not plain shell syntax.
    Run { why: Option<String> },
}

pub use crate::action::cli::Tool;

/// How `command` is run. `printed_text_read` is true when something reads
/// the text the command prints (a hook's `TEST_OUTPUT`): native steps give
/// JSON, not the CLI's text, so such a command runs in a shell.
pub fn decide(command: &str, printed_text_read: bool) -> Kind {
    let (tool, rest) = match command.split_once(char::is_whitespace) {
        Some(("aws", rest)) => (Tool::Aws, rest.trim_start()),
        Some(("kubectl", rest)) => (Tool::Kubectl, rest.trim_start()),
        _ => return Kind::Run { why: None },
    };
    if printed_text_read {
        return Kind::Run {
            why: Some(format!(
                "its hook reads the text {} prints, and a native step gives JSON",
                tool.name()
            )),
        };
    }
    let line = match words::split(rest, 0..0, "") {
        Ok(line) => line,
        Err(e) if e.needs_shell => return Kind::Run { why: None },
        Err(e) => return Kind::Run { why: Some(e.message) },
    };
    let parsed = match tool {
        Tool::Aws => aws::parse(&line.words).map(|_| ()),
        Tool::Kubectl => kubectl::parse(&line.words).map(|_| ()),
    };
    let cli = match parsed {
        Ok(()) => None,
        Err(e) => match Fallback::of(tool, &line.words, &e) {
            Some(fallback) => Some(fallback.why()),
            None => {
                return Kind::Run {
                    why: Some(format!("rehearse does not run it: {}", e.message)),
                };
            }
        },
    };
    if line.words.iter().any(|w| {
        let lit = w.literal_prefix();
        lit.starts_with('~') || lit.contains("=~") || lit.contains("://~")
    }) {
        return Kind::Run {
            why: Some(
                "`~` is the home folder to the shell (and to the AWS CLI's file://), not to a native step"
                    .into(),
            ),
        };
    }
    let mut vars: Vec<String> = Vec::new();
    for v in line.vars() {
        if !vars.contains(&v.value) {
            vars.push(v.value.clone());
        }
    }
    Kind::Native {
        tool,
        line: rest.to_string(),
        vars,
        cli,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(command: &str) -> (Tool, String, Vec<String>) {
        match decide(command, false) {
            Kind::Native {
                tool,
                line,
                vars,
                cli: None,
            } => (tool, line, vars),
            other => panic!("{command}: {other:?}"),
        }
    }

    fn why(command: &str) -> Option<String> {
        match decide(command, false) {
            Kind::Run { why } => why,
            other => panic!("{command}: {other:?}"),
        }
    }

    #[test]
    fn lines_the_parsers_accept_are_native() {
        let (tool, line, vars) =
            native("aws eks create-addon --cluster-name $EKS_CLUSTER_NAME --addon-name x");
        assert_eq!(tool, Tool::Aws);
        assert_eq!(
            line,
            "eks create-addon --cluster-name $EKS_CLUSTER_NAME --addon-name x"
        );
        assert_eq!(vars, ["EKS_CLUSTER_NAME"]);
        let (tool, line, vars) = native("kubectl -n carts get pod \\\n  -l app=${APP} -l $APP");
        assert_eq!(
            (tool, line.as_str()),
            (Tool::Kubectl, "-n carts get pod \\\n  -l app=${APP} -l $APP")
        );
        assert_eq!(vars, ["APP"], "each variable once");
    }

    #[test]
    fn shell_syntax_runs_in_a_shell_without_a_reason() {
        assert_eq!(why("kubectl get pods | grep carts"), None);
        assert_eq!(why("aws iam get-role --role-name x | jq ."), None);
        assert_eq!(why("export X=$(kubectl get pods)"), None);
        assert_eq!(why("echo kubectl get pods"), None);
        assert_eq!(why("kubectl"), None, "no words after the tool");
    }

    fn cli(command: &str) -> (Tool, String) {
        match decide(command, false) {
            Kind::Native {
                tool, cli: Some(why), ..
            } => (tool, why),
            other => panic!("{command}: {other:?}"),
        }
    }

    #[test]
    fn plain_lines_that_are_not_native_run_through_the_cli() {
        let (tool, w) = cli("kubectl describe replicaset carts");
        assert_eq!(tool, Tool::Kubectl);
        assert!(w.contains("`describe`"), "{w}");
        assert!(cli("aws s3 ls").1.contains("s3"));
        let (_, w) = cli("kubectl run -it x --image=busybox --rm -- sh");
        assert!(w.contains("attaches a terminal"), "{w}");
        let (_, w) = cli("aws eks describe-clustr --name x");
        assert!(w.contains("did you mean `describe-cluster`"), "{w}");
    }

    #[test]
    fn wrong_lines_run_in_a_shell_with_the_parsers_reason() {
        let w = why("kubectl scale deployment/carts --replicas=many").unwrap();
        assert!(w.starts_with("rehearse does not run it: "), "{w}");
    }

    #[test]
    fn a_tilde_the_shell_would_expand_needs_the_shell() {
        for line in [
            "kubectl apply -f ~/environment/x.yaml",
            "kubectl apply --filename=~/x.yaml",
            "aws eks create-addon --cluster-name c --addon-name x --configuration-values file://~/v.json",
        ] {
            let w = why(line).unwrap_or_else(|| panic!("{line}"));
            assert!(w.contains("`~`"), "{line}: {w}");
        }
        assert!(matches!(
            decide("kubectl apply -f /tmp/x.yaml", false),
            Kind::Native { .. }
        ));
    }

    #[test]
    fn printed_text_that_a_hook_reads_needs_the_real_cli() {
        let Kind::Run { why: Some(w) } = decide("kubectl get pods", true) else {
            panic!()
        };
        assert!(w.contains("kubectl prints"));
        assert_eq!(decide("echo hi", true), Kind::Run { why: None });
    }
}
