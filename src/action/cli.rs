//! `aws` and `kubectl` lines that rehearse does not run natively (a verb,
//! flag, service or operation it does not know), run by the real CLI as a
//! process.
//!
//! The parsers say when a line is refused for that reason
//! ([`Refusal::NotNative`]) rather than because it is wrong; such a line
//! becomes a [`Fallback`]: its words, placeholders kept inside them as for
//! native commands, and why it is not native. The engine fills the words
//! in for each attempt: a value never adds, removes or splits a word, and
//! no shell ever reads them.

use crate::action::arg::{CommandError, Filler, Refusal};
use crate::action::words::Word;
use crate::ground::span::Span;

/// The CLI a fallback runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Aws,
    Kubectl,
}

impl Tool {
    /// The executable's name, as a step's key names it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Aws => "aws",
            Tool::Kubectl => "kubectl",
        }
    }

    /// The kind of step in lists and reports.
    pub fn kind(self) -> &'static str {
        match self {
            Tool::Aws => "aws (cli)",
            Tool::Kubectl => "kubectl (cli)",
        }
    }
}

/// A line run through the CLI, as parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Fallback {
    pub tool: Tool,
    /// The words after the tool's name.
    pub words: Vec<Word>,
    /// Why it is not run natively (the parser's refusal).
    pub reason: String,
    /// What would make it native, or what is.
    pub hint: String,
    /// The word that is not native, when known.
    pub span: Option<Span>,
    /// The native operation a mistyped one most likely meant
    /// (`eks describe-clustr` → `describe-cluster`).
    pub meant: Option<String>,
}

/// A line run through the CLI, its words filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub tool: Tool,
    /// The arguments after the tool's name, one per word.
    pub args: Vec<String>,
    pub reason: String,
}

impl Fallback {
    /// The fallback of a line its parser refused, when the refusal says
    /// the line is not native (rather than wrong).
    pub fn of(tool: Tool, words: &[Word], refused: &CommandError) -> Option<Fallback> {
        if refused.refusal != Refusal::NotNative {
            return None;
        }
        let words = match words.first() {
            Some(w) if w.is(tool.name()) => &words[1..],
            _ => words,
        };
        let meant = match tool {
            Tool::Aws => crate::action::aws::parse::likely_operation(words),
            Tool::Kubectl => None,
        };
        Some(Fallback {
            tool,
            words: words.to_vec(),
            reason: refused.message.clone(),
            hint: refused.hint.clone(),
            span: refused.span.clone(),
            meant,
        })
    }

    /// The command with its placeholders filled in: one argument per word.
    pub fn fill(&self, filler: &Filler<'_>) -> Result<Command, CommandError> {
        let args = self
            .words
            .iter()
            .map(|w| filler.word(w))
            .collect::<Result<_, _>>()?;
        Ok(Command {
            tool: self.tool,
            args,
            reason: self.reason.clone(),
        })
    }

    /// Why, in one line: the reason, and the operation probably meant.
    pub fn why(&self) -> String {
        match &self.meant {
            Some(op) => format!("{} (did you mean `{op}`?)", self.reason),
            None => self.reason.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::arg::Context;
    use crate::action::words::split;
    use std::path::Path;

    fn words(text: &str) -> Vec<Word> {
        split(text, 0..0, "").unwrap().words
    }

    fn fallback(tool: Tool, text: &str) -> Option<Fallback> {
        let w = words(text);
        let refused = match tool {
            Tool::Aws => crate::action::aws::parse(&w).err()?,
            Tool::Kubectl => crate::action::kubectl::parse(&w).err()?,
        };
        Fallback::of(tool, &w, &refused)
    }

    #[test]
    fn lines_beyond_the_native_ones_fall_back_and_wrong_lines_do_not() {
        for line in [
            "describe replicaset x",
            "apply -k manifests/",
            "create service clusterip x --tcp=80",
            "rollout pause deployment/carts",
            "logs -f deployment/carts",
            "kubectl top nodes",
        ] {
            assert!(fallback(Tool::Kubectl, line).is_some(), "{line}");
        }
        for line in [
            "scale deployment/x",
            "scale deployment/x --replicas=abc",
            "${VERB} pods",
        ] {
            assert!(fallback(Tool::Kubectl, line).is_none(), "{line}");
        }
        for line in [
            "s3 ls",
            "ec2 describe-instances --filters Name=tag:x,Values=y",
            "eks describe-insight --cluster-name c --id i",
            "eks update-kubeconfig --name c --assume-role-arn arn:aws:iam::1:role/other",
            "eks describe-cluster --name c --profile admin",
            "iam get-account-summary",
            "eks update-nodegroup-config --cluster-name c --nodegroup-name n \
             --scaling-config desiredSize@=file://size.txt",
        ] {
            assert!(fallback(Tool::Aws, line).is_some(), "{line}");
        }
        for line in [
            "eks describe-cluster",
            "eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config desiredSize",
            "${SVC} ls",
            "eks describe-cluster --name a b",
        ] {
            assert!(fallback(Tool::Aws, line).is_none(), "{line}");
        }
    }

    #[test]
    fn a_fallback_keeps_its_words_and_names_what_was_meant() {
        let f = fallback(Tool::Aws, "aws eks describe-clustr --name ${NAME}").unwrap();
        assert_eq!(f.meant.as_deref(), Some("describe-cluster"));
        assert_eq!(
            f.why(),
            "operation `describe-clustr` of eks is not run natively (did you mean `describe-cluster`?)"
        );
        let value = |n: &str| (n == "NAME").then(|| "my cluster; rm -rf /".to_string());
        let c = f
            .fill(&Filler {
                value: &value,
                context: Context { dir: Path::new(".") },
            })
            .unwrap();
        assert_eq!(
            c.args,
            ["eks", "describe-clustr", "--name", "my cluster; rm -rf /"]
        );
        assert!(fallback(Tool::Aws, "s3 ls").unwrap().meant.is_none());
        assert!(
            fallback(Tool::Aws, "iam get-account-summary")
                .unwrap()
                .meant
                .is_none()
        );
    }
}
