//! Steps (`[[steps]]` and `[[finally]]`) and their actions: `run`, `aws`,
//! `kubectl` and `http`.

use toml::de::DeValue;

use super::table::Fields;
use super::{Parser, Val, extent, opt, ordinal, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Action, AwsCommand, HttpCall, Node, Step};
use crate::format::keys;
use crate::format::template::{Dollar, Template};
use crate::query::Lang;

impl Parser<'_> {
    pub(super) fn steps(&mut self, v: &Val, key: &str, min: usize) -> Option<Vec<Step>> {
        let example = format!("each step as a `[[{key}]]` table (two brackets)");
        let items = self.tables(key, "the workflow file", v, min, &example);
        if items.is_empty() {
            return (min == 0 && matches!(v.get_ref(), DeValue::Array(_))).then(Vec::new);
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            match self.step(item, key, i) {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn step(&mut self, v: &Val, section: &str, index: usize) -> Option<Step> {
        let DeValue::Table(t) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(
                    format!(
                        "element {} of `{section}` must be a table, not {found}",
                        ordinal(index)
                    ),
                    v.span(),
                )
                .label(format!("{found} here"))
                .hint(format!("write each step as a `[[{section}]]` table")),
            );
            return None;
        };
        let named = match t.get("id").map(|v| v.get_ref()) {
            Some(DeValue::String(id)) if !id.is_empty() => format!("step `{id}`"),
            _ if section == "steps" => format!("step {}", ordinal(index)),
            _ => format!("`{section}` step {}", ordinal(index)),
        };
        let f = self.open(t, &keys::STEP, named, v.span());
        let w = f.what.clone();
        let id = f
            .get("id")
            .and_then(|v| self.pattern_string("id", &w, v, &keys::STEP_ID));
        if let Some(id) = &id {
            self.unique_id(id);
        }
        let title = opt(f.get("title").map(|v| self.string("title", &w, v)));
        let action = self.action(&f);
        let timeout = opt(f.get("timeout").map(|v| self.duration("timeout", &w, v, false)));
        let expect = match f.get("expect") {
            Some(v) => self.checks("expect", &w, v, 0),
            None => Some(Vec::new()),
        };
        let capture = match f.get("capture") {
            Some(v) => self.captures(&w, v),
            None => Some(Vec::new()),
        };
        let wait = opt(f.get("wait").map(|v| self.wait(&w, v)));
        let retry = opt(f.get("retry").map(|v| self.retry(&w, v)));
        let must_fail = opt(f.get("must-fail").map(|v| self.bool("must-fail", &w, v)));
        let when = opt(f.get("when").map(|v| self.query("when", &w, v, Lang::JmesPath)));
        let skip = opt(f.get("skip").map(|v| self.non_empty_string("skip", &w, v)));
        let live_only = opt(f
            .get("live-only")
            .map(|v| self.non_empty_string("live-only", &w, v)));
        let env = match f.get("env") {
            Some(v) => self.env(&w, v),
            None => Some(Vec::new()),
        };
        let dir = opt(f.get("dir").map(|v| self.string("dir", &w, v)));
        let stdin = opt(f
            .get("stdin")
            .map(|v| self.template("stdin", &w, v, Dollar::Braced)));
        Some(Step {
            id: id?,
            title: title?,
            action: action?,
            timeout: timeout?,
            expect: expect?,
            capture: capture?,
            wait: wait?,
            retry: retry?,
            must_fail: must_fail?,
            when: when?,
            skip: skip?,
            live_only: live_only?,
            env: env?,
            dir: dir?,
            stdin: stdin?,
            span: extent(v),
        })
    }

    /// Step ids are unique across `steps` and `finally`. Checked here, not
    /// in validation, so that a duplicate is reported with the other errors
    /// of a file that does not parse.
    pub(super) fn unique_id(&mut self, id: &Node<String>) {
        match self.ids.get(&id.value) {
            Some(first) => {
                let (line, _) = crate::diagnostic::line_col(self.src, first.start);
                self.soft.push(
                    Diagnostic::new(
                        format!("duplicate step id `{}`: line {line} already uses it", id.value),
                        id.span.clone(),
                    )
                    .label("used again here")
                    .hint("step ids must be unique across `steps` and `finally`; rename one of them"),
                );
            }
            None => {
                self.ids.insert(id.value.clone(), id.span.clone());
            }
        }
    }

    pub(super) fn action(&mut self, f: &Fields) -> Option<Node<Action>> {
        let w = &f.what;
        // The first action key; `open` reported a missing or a second one.
        let (key, v) = f
            .table
            .iter()
            .find(|(k, _)| matches!(&**k.get_ref(), "run" | "aws" | "kubectl" | "http"))?;
        let action = match &**key.get_ref() {
            "run" => Action::Run(self.string("run", w, v)?.value),
            "aws" => Action::Aws(self.aws(w, v)?),
            "http" => Action::Http(self.http(w, v)?),
            _ => Action::Kubectl(self.template("kubectl", w, v, Dollar::Shell)?),
        };
        Some(Node::new(action, key.span().start..v.span().end))
    }

    /// `http = "https://..."` or `http = { url = "...", method = "POST", ... }`.
    pub(super) fn http(&mut self, what: &str, v: &Val) -> Option<HttpCall> {
        let DeValue::Table(t) = v.get_ref() else {
            let url = self.template("http", what, v, Dollar::Braced)?;
            return Some(HttpCall {
                method: Node::new("GET".into(), v.span()),
                url,
                headers: Vec::new(),
                body: None,
                follow_redirects: true,
            });
        };
        let f = self.open(t, &keys::HTTP_CALL, format!("`http` of {what}"), v.span());
        let w = f.what.clone();
        let url = f
            .get("url")
            .and_then(|v| self.template("url", &w, v, Dollar::Braced));
        let method = opt(f.get("method").map(|v| self.string("method", &w, v)));
        let headers = match f.get("headers") {
            Some(h) => self.templates(&keys::HTTP_HEADERS, "headers", &w, h),
            None => Some(Vec::new()),
        };
        let body = opt(f
            .get("body")
            .map(|v| self.template("body", &w, v, Dollar::Braced)));
        let follow = opt(f
            .get("follow-redirects")
            .map(|v| self.bool("follow-redirects", &w, v)));
        let method = method?.unwrap_or_else(|| Node::new("GET".into(), v.span()));
        Some(HttpCall {
            method,
            url: url?,
            headers: headers?,
            body: body?,
            follow_redirects: follow?.is_none_or(|b| b.value),
        })
    }

    /// `aws = "eks ..."` or `aws = { command = "eks ...", input = { ... } }`.
    pub(super) fn aws(&mut self, what: &str, v: &Val) -> Option<AwsCommand> {
        let DeValue::Table(t) = v.get_ref() else {
            return Some(AwsCommand::Line(self.template("aws", what, v, Dollar::Shell)?));
        };
        let f = self.open(t, &keys::AWS_CALL, format!("`aws` of {what}"), v.span());
        let w = f.what.clone();
        let command = f
            .get("command")
            .and_then(|v| self.template("command", &w, v, Dollar::Shell));
        let input = f.get("input").and_then(|v| self.expected("input", &w, v));
        if let Some(input) = &input
            && !input.value.is_object()
        {
            self.error(
                Diagnostic::new(
                    format!("`input` in {w} must be a table"),
                    f.get("input").map_or(v.span(), |i| i.span()),
                )
                .label("not a table")
                .hint("write the input with the API's member names: `input = { clusterName = \"...\" }`"),
            );
            return None;
        }
        Some(AwsCommand::Input {
            command: command?,
            input: input?,
        })
    }

    pub(super) fn env(&mut self, what: &str, v: &Val) -> Option<Vec<(Node<String>, Template)>> {
        self.templates(&keys::ENV, "env", what, v)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::format::ast::Action;

    #[test]
    fn aws_and_kubectl_are_shell_templates() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\naws = \"eks describe-cluster --name $NAME --x ${{Y}} $$HOME\"\n"
        );
        let w = ok(&src);
        let Action::Aws(t) = &w.steps[0].action.value else {
            panic!()
        };
        let vars: Vec<_> = t.command().vars().map(|v| &src[v.span.clone()]).collect();
        assert_eq!(vars, ["$NAME", "${Y}"]);
    }

    #[test]
    fn run_scripts_are_not_templates() {
        let w = ok(&format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"echo ${{X\"\n"));
        assert!(matches!(&w.steps[0].action.value, Action::Run(s) if s == "echo ${X"));
    }
}
