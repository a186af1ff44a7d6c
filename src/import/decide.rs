//! Which kind of step an imported command becomes. This is the one place
//! that decides: an `aws` or `kubectl` line that rehearse's own parsers
//! (the ones validation uses) accept runs natively; anything else, a line
//! with shell syntax, a `~` the shell would expand, or one they refuse,
//! runs in a shell.

use crate::action::{aws, kubectl, words};

/// The kind of step a command becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A native step: `aws = "…"` or `kubectl = "…"`, the line without the
    /// tool's name.
    Native {
        tool: Tool,
        line: String,
        /// The variables the line uses (`$NAME`, `${NAME}`), in order.
        vars: Vec<String>,
    },
    /// A `run` step; `why` says why a line of `aws` or `kubectl` is not
    /// native when the reason is not plain shell syntax.
    Run { why: Option<String> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Aws,
    Kubectl,
}

impl Tool {
    pub fn key(self) -> &'static str {
        match self {
            Tool::Aws => "aws",
            Tool::Kubectl => "kubectl",
        }
    }
}

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
                tool.key()
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
    if let Err(e) = parsed {
        return Kind::Run {
            why: Some(format!("rehearse does not run it natively: {}", e.message)),
        };
    }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(command: &str) -> (Tool, String, Vec<String>) {
        match decide(command, false) {
            Kind::Native { tool, line, vars } => (tool, line, vars),
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

    #[test]
    fn refused_lines_run_in_a_shell_with_the_parsers_reason() {
        let w = why("kubectl describe deployment carts").unwrap();
        assert!(w.starts_with("rehearse does not run it natively: "), "{w}");
        assert!(why("aws s3 ls").unwrap().contains("s3"));
        let w = why("kubectl apply -f https://example.com/x.yaml").unwrap();
        assert!(w.contains("not fetched natively"), "{w}");
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
