//! Steps (`[[steps]]` and `[[finally]]`) and their actions: `run`, `aws`,
//! `kubectl` and `http`.

use toml::de::{DeTable, DeValue};

use super::table::{Fields, Form};
use super::{Parser, Val, all, extent, opt, ordinal, type_name};
use crate::action::arg::CommandError;
use crate::action::cli::{Fallback, Tool};
use crate::action::words::Line;
use crate::action::{aws, kubectl};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Action, AwsStep, CliStep, Expected, HttpCall, KubectlStep, Node, Source, Step};
use crate::format::keys::Table;
use crate::query::Lang;

one_of_keys!(
    /// The keys that choose a step's action: the "action" group of `keys::STEP`.
    ActionKey {
        Run = "run",
        Aws = "aws",
        Kubectl = "kubectl",
        Http = "http",
    }
);

impl Parser<'_> {
    /// `steps` or `finally` of the file's root.
    pub(super) fn steps(&mut self, root: &Fields, key: &str, v: &Val) -> Option<Vec<Step>> {
        let example = format!("each step as a `[[{key}]]` table (two brackets)");
        let (def, items) = self.tables_of(root, key, v, &example)?;
        if let Some(stubs) = &mut self.stubs {
            // The head of a file read in parts: the steps come from the batches.
            *(if key == "finally" {
                &mut stubs.finally
            } else {
                &mut stubs.steps
            }) = items.len();
            stubs.filled |= items
                .iter()
                .any(|v| !matches!(v.get_ref(), DeValue::Table(t) if t.is_empty()));
            return Some(Vec::new());
        }
        all(items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.step(def, item, key, i)))
    }

    pub(super) fn step(&mut self, def: &'static Table, v: &Val, section: &str, index: usize) -> Option<Step> {
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
        let f = self.open(t, def, step_name(t, section, index), v.span());
        let id = self.required(&f, "id");
        if let Some(id) = &id {
            self.unique_id(id);
        }
        let title = self.optional(&f, "title");
        let action = self.action(&f);
        let timeout = self.optional(&f, "timeout");
        let max_output = self.optional(&f, "max-output");
        let expect = match f.get("expect") {
            Some(v) => self.checks(&f, "expect", v),
            None => Some(Vec::new()),
        };
        let capture = match f.get("capture") {
            Some(v) => self.captures(&f, v),
            None => Some(Vec::new()),
        };
        let wait = opt(f.get("wait").map(|v| self.wait(&f, v)));
        let retry = opt(f.get("retry").map(|v| self.retry(&f, v)));
        let must_fail = self.optional(&f, "must-fail");
        let when = self.optional(&f, "when");
        let skip = self.optional(&f, "skip");
        let live_only = self.optional(&f, "live-only");
        let env = match f.get("env") {
            Some(v) => self.map_of(&f, "env", v),
            None => Some(Vec::new()),
        };
        let dir = self.optional(&f, "dir");
        let stdin = self.optional(&f, "stdin");
        let source = opt(f.get("source").map(|v| self.source(&f, v)));
        let mut step = Step {
            id: id?,
            title: title?,
            action: action?,
            timeout: timeout?,
            max_output: max_output?,
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
            source: source?,
            span: extent(v),
        };
        // Only a step that reads what `kubectl get` prints has it ask the
        // API server for its table: other steps make the requests they
        // made before tables were printed, so their recordings replay.
        let reads_stdout = step
            .expect
            .iter()
            .chain(step.wait.iter().flat_map(|w| w.until.iter().chain(&w.fail_if)))
            .map(|c| &c.query)
            .chain(step.capture.iter().map(|c| &c.query))
            .any(|q| q.value.lang() == Lang::Stdout);
        if let Action::Kubectl(k) = &mut step.action.value {
            k.command.reads_stdout = reads_stdout;
        }
        Some(step)
    }

    /// Step ids are unique across `steps` and `finally`. Checked here, not
    /// in validation, so that a duplicate is reported with the other errors
    /// of a file that does not parse.
    fn unique_id(&mut self, id: &Node<String>) {
        match self.ids.get(id.value.as_str()) {
            Some(&first) => {
                let (line, _) = crate::diagnostic::line_col(self.src, first);
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
                self.ids.insert(id.value.as_str().into(), id.span.start);
            }
        }
    }

    /// `source = { page = "...", line = 42, fingerprint = "..." }`.
    fn source(&mut self, step: &Fields, v: &Val) -> Option<Source> {
        let f = self.sub_table(step, "source", v)?;
        let page = self.required(&f, "page");
        let line = self
            .required::<Node<i64>>(&f, "line")
            .and_then(|n| u64::try_from(n.value).ok().map(|l| Node::new(l, n.span)));
        let fingerprint = self.required(&f, "fingerprint");
        Some(Source {
            page: page?,
            line: line?,
            fingerprint: fingerprint?,
            span: extent(v),
        })
    }

    fn action(&mut self, f: &Fields) -> Option<Node<Action>> {
        // The first action key; `open` reported a missing or a second one.
        let (action, span, v) = f.first(ActionKey::named)?;
        let key = action.key();
        let action = match action {
            ActionKey::Run => Action::Run(self.read::<Node<String>>(f, key, v)?.value),
            ActionKey::Aws => self.aws(f, v)?,
            ActionKey::Kubectl => self.kubectl(f, v)?,
            ActionKey::Http => Action::Http(self.http(f, v)?),
        };
        Some(Node::new(action, span.start..v.span().end))
    }

    /// `http = "https://..."` or `http = { url = "...", method = "POST", ... }`.
    fn http(&mut self, step: &Fields, v: &Val) -> Option<HttpCall> {
        let f = match self.leaf_or_table(step, "http", v)? {
            Form::Leaf(url) => {
                return Some(HttpCall {
                    method: Node::new("GET".into(), v.span()),
                    url,
                    headers: Vec::new(),
                    body: None,
                    follow_redirects: true,
                });
            }
            Form::Table(f) => f,
        };
        let url = self.required(&f, "url");
        let method: Option<Option<Node<String>>> = self.optional(&f, "method");
        let headers = match f.get("headers") {
            Some(h) => self.map_of(&f, "headers", h),
            None => Some(Vec::new()),
        };
        let body = self.optional(&f, "body");
        let follow: Option<Option<Node<bool>>> = self.optional(&f, "follow-redirects");
        let method = method?.unwrap_or_else(|| Node::new("GET".into(), v.span()));
        Some(HttpCall {
            method,
            url: url?,
            headers: headers?,
            body: body?,
            follow_redirects: follow?.is_none_or(|b| b.value),
        })
    }

    /// `kubectl = "get pods ..."`: parsed into its typed command, or run
    /// through the CLI when rehearse does not run it natively.
    fn kubectl(&mut self, step: &Fields, v: &Val) -> Option<Action> {
        let line: Line = self.read(step, "kubectl", v)?;
        match kubectl::parse(&line.words) {
            Ok(command) => Some(Action::Kubectl(KubectlStep {
                line,
                command: Box::new(command),
            })),
            Err(e) => self.fallback(Tool::Kubectl, line, e, &step.what, v),
        }
    }

    /// A line its parser refused: run through the CLI when it is only not
    /// native, else an error.
    fn fallback(&mut self, tool: Tool, line: Line, e: CommandError, what: &str, v: &Val) -> Option<Action> {
        match Fallback::of(tool, &line.words, &e) {
            Some(fallback) => Some(Action::Cli(CliStep { line, fallback })),
            None => {
                self.command_error(e, tool.name(), what, v);
                None
            }
        }
    }

    /// `aws = "eks ..."` or `aws = { command = "eks ...", input = { ... } }`:
    /// either form parsed into the same typed call.
    /// The table form is rehearse's own: it is never run through the CLI.
    fn aws(&mut self, step: &Fields, v: &Val) -> Option<Action> {
        let (line, input) = match self.leaf_or_table(step, "aws", v)? {
            Form::Leaf(line) => (line, None),
            Form::Table(f) => {
                let command: Option<Line> = self.required(&f, "command");
                let input: Option<Expected> = self.required(&f, "input");
                (command?, Some(input?))
            }
        };
        let call = match &input {
            None => aws::parse(&line.words),
            Some(input) => aws::parse_table(&line.words, &input.value),
        };
        match call {
            Ok(call) => Some(Action::Aws(Box::new(AwsStep { line, input, call }))),
            Err(e) if input.is_none() => self.fallback(Tool::Aws, line, e, &step.what, v),
            Err(e) => {
                self.command_error(e, "aws", &step.what, v);
                None
            }
        }
    }

    /// A command that is not what rehearse runs, pointing at the word at
    /// fault when there is one.
    fn command_error(&mut self, e: CommandError, kind: &str, what: &str, v: &Val) {
        let span = e.span.clone().unwrap_or_else(|| v.span());
        let d = Diagnostic::new(format!("{} in {what}", e.message), span)
            .label(format!("not a command rehearse runs as `{kind}`"));
        self.error(if e.hint.is_empty() { d } else { d.hint(e.hint) });
    }
}

/// How a step is called in messages: by its id, else by its place.
fn step_name(t: &DeTable, section: &str, index: usize) -> String {
    match t.get("id").map(|v| v.get_ref()) {
        Some(DeValue::String(id)) if !id.is_empty() => format!("step `{id}`"),
        _ if section == "steps" => format!("step {}", ordinal(index)),
        _ => format!("`{section}` step {}", ordinal(index)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::ActionKey;
    use crate::format::ast::Action;
    use crate::format::keys;

    #[test]
    fn action_keys_are_the_action_group_of_steps() {
        assert_one_of_keys(
            &keys::STEP,
            "action",
            ActionKey::ALL,
            ActionKey::key,
            ActionKey::named,
        );
    }

    #[test]
    fn aws_and_kubectl_are_split_into_words_with_placeholders() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\naws = \"eks describe-cluster --name $NAME --query ${{Y}}$$HOME\"\n"
        );
        let w = ok(&src);
        let Action::Aws(t) = &w.steps[0].action.value else {
            panic!()
        };
        let vars: Vec<_> = t.line.vars().map(|v| &src[v.span.clone()]).collect();
        assert_eq!(vars, ["$NAME", "${Y}"]);
    }

    #[test]
    fn a_kubectl_step_knows_whether_it_reads_what_it_prints() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\nkubectl = \"get pods\"\nexpect = [{{ query = \"items\", not-equals = [] }}]\n\
             [[steps]]\nid = \"b\"\nkubectl = \"get pods\"\ncapture = {{ P = {{ stdout = true }} }}\n\
             [[steps]]\nid = \"c\"\nkubectl = \"get pods\"\nwait = {{ until = [{{ stdout = true, contains = \"Running\" }}] }}\n"
        );
        let w = ok(&src);
        let reads: Vec<bool> = w
            .steps
            .iter()
            .map(|s| match &s.action.value {
                Action::Kubectl(k) => k.command.reads_stdout,
                _ => panic!(),
            })
            .collect();
        assert_eq!(reads, [false, true, true]);
    }

    #[test]
    fn http_methods_are_those_of_the_reference() {
        let src = format!("{HEAD}[[steps]]\nid = \"a\"\nhttp = {{ url = \"http://x\", method = \"get\" }}\n");
        let d = errs(&src);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].message, "unknown method \"get\" in `http` of step `a`");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"GET\"?"));
        assert_eq!(&src[d[0].span.clone().unwrap()], "\"get\"");
        let w = ok(&src.replace("\"get\"", "\"PATCH\""));
        let Action::Http(call) = &w.steps[0].action.value else {
            panic!()
        };
        assert_eq!(call.method.value, "PATCH");
    }

    #[test]
    fn source_names_the_page_line_and_fingerprint() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nsource = {{ page = \"lab/p.md\", line = 42, fingerprint = \"00ff\" }}\n"
        );
        let w = ok(&src);
        let source = w.steps[0].source.as_ref().unwrap();
        assert_eq!(
            (
                source.page.value.as_str(),
                source.line.value,
                source.fingerprint.value.as_str()
            ),
            ("lab/p.md", 42, "00ff")
        );
        assert!(src[source.span.clone()].starts_with("{ page"));
        let d = errs(&src.replace("\"00ff\"", "\"00FX\""));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].message,
            "`00FX` is not a valid `fingerprint` in `source` of step `a`"
        );
        let d = errs(&src.replace(", line = 42", ""));
        assert_eq!(d[0].message, "`source` of step `a` has no `line`");
        assert!(
            ok(&src.replace(
                "source = { page = \"lab/p.md\", line = 42, fingerprint = \"00ff\" }\n",
                ""
            ))
            .steps[0]
                .source
                .is_none()
        );
    }

    #[test]
    fn run_scripts_are_not_templates() {
        let w = ok(&format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"echo ${{X\"\n"));
        assert!(matches!(&w.steps[0].action.value, Action::Run(s) if s == "echo ${X"));
    }
}
