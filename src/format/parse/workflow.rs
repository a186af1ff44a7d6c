//! The file's root and its top-level tables: `[workflow]`, `[kubernetes]`,
//! `[defaults]` and `[vars]`.

use toml::de::DeValue;

use super::{Parser, Tbl, Val, extent, opt, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Defaults, Kubernetes, Meta, Node, Span, VarDef, VarSource, Workflow};
use crate::format::keys;
use crate::format::template::Dollar;

impl Parser<'_> {
    pub(super) fn workflow(&mut self, root: &Tbl, span: Span) -> Option<Workflow> {
        let f = self.open(
            root,
            &keys::ROOT,
            "the workflow file".into(),
            span.start..span.start,
        );
        let meta = f.get("workflow").and_then(|v| self.meta(v));
        let defaults = match f.get("defaults") {
            Some(v) => self.defaults(v),
            None => Some(Defaults::default()),
        };
        let vars = match f.get("vars") {
            Some(v) => self.vars(v),
            None => Some(Vec::new()),
        };
        let steps = match f.get("steps") {
            Some(v) => self.steps(v, "steps", 1),
            None => None,
        };
        let finally = match f.get("finally") {
            Some(v) => self.steps(v, "finally", 0),
            None => Some(Vec::new()),
        };
        let kubernetes = match f.get("kubernetes") {
            Some(v) => self.kubernetes(v),
            None => Some(Kubernetes::default()),
        };
        Some(Workflow {
            kubernetes: kubernetes?,
            meta: meta?,
            defaults: defaults?,
            vars: vars?,
            steps: steps?,
            finally: finally?,
        })
    }

    pub(super) fn meta(&mut self, v: &Val) -> Option<Meta> {
        let t = self.table("workflow", "the workflow file", v, &keys::WORKFLOW)?;
        let f = self.open(t, &keys::WORKFLOW, "`[workflow]`".into(), v.span());
        let w = f.what.clone();
        let name = f
            .get("name")
            .and_then(|v| self.pattern_string("name", &w, v, &keys::WORKFLOW_NAME));
        let title = f.get("title").map(|v| self.string("title", &w, v));
        let source = f.get("source").map(|v| self.string("source", &w, v));
        let description = f.get("description").map(|v| self.string("description", &w, v));
        let account = opt(f
            .get("account")
            .map(|v| self.template("account", &w, v, Dollar::Braced)));
        Some(Meta {
            account: account?,
            name: name?,
            title: title.map_or(Some(None), |o| o.map(Some))?,
            source: source.map_or(Some(None), |o| o.map(Some))?,
            description: description.map_or(Some(None), |o| o.map(Some))?,
        })
    }

    pub(super) fn kubernetes(&mut self, v: &Val) -> Option<Kubernetes> {
        let t = self.table("kubernetes", "the workflow file", v, &keys::KUBERNETES)?;
        let f = self.open(t, &keys::KUBERNETES, "`[kubernetes]`".into(), v.span());
        let w = f.what.clone();
        let context = opt(f.get("context").map(|v| self.non_empty_string("context", &w, v)));
        let namespace = opt(f
            .get("namespace")
            .map(|v| self.non_empty_string("namespace", &w, v)));
        Some(Kubernetes {
            context: context?,
            namespace: namespace?,
        })
    }

    pub(super) fn defaults(&mut self, v: &Val) -> Option<Defaults> {
        let t = self.table("defaults", "the workflow file", v, &keys::DEFAULTS)?;
        let f = self.open(t, &keys::DEFAULTS, "`[defaults]`".into(), v.span());
        let w = f.what.clone();
        let timeout = opt(f.get("timeout").map(|v| self.duration("timeout", &w, v, false)));
        let shell = opt(f.get("shell").map(|v| self.strings("shell", &w, v, true)));
        let interval = opt(f.get("interval").map(|v| self.duration("interval", &w, v, false)));
        let max_interval = opt(f
            .get("max-interval")
            .map(|v| self.duration("max-interval", &w, v, false)));
        let backoff = opt(f.get("backoff").map(|v| self.number("backoff", &w, v, 1.0)));
        Some(Defaults {
            timeout: timeout?,
            shell: shell?,
            interval: interval?,
            max_interval: max_interval?,
            backoff: backoff?,
        })
    }

    pub(super) fn vars(&mut self, v: &Val) -> Option<Vec<VarDef>> {
        let (entries, mut ok) = self.map_entries(&keys::VARS, "the workflow file", v)?;
        let mut out = Vec::new();
        for (name, val) in entries {
            let what = format!("variable `{}`", name.value);
            let span = name.span.start.min(val.span().start)..extent(val).end;
            let literal = |s: String| Some(VarSource::Literal(Node::new(s, val.span())));
            let source = match val.get_ref() {
                DeValue::String(s) => literal(s.to_string()),
                DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) => literal(n.to_string()),
                    Err(_) => literal(i.as_str().to_string()),
                },
                DeValue::Float(f) => literal(f.as_str().to_string()),
                DeValue::Boolean(b) => literal(b.to_string()),
                DeValue::Table(t) => {
                    let f = self.open(t, &keys::VAR_ENV, what.clone(), val.span());
                    let env = f.get("env").and_then(|v| self.non_empty_string("env", &what, v));
                    let default = opt(f.get("default").map(|v| self.string("default", &what, v)));
                    match (env, default) {
                        (Some(env), Some(default)) => Some(VarSource::Env { env, default }),
                        _ => None,
                    }
                }
                other => {
                    let found = type_name(other);
                    self.error(
                        Diagnostic::new(
                            format!("{what} must be a string, a number, a boolean or {{ env = \"...\" }}, not {found}"),
                            val.span(),
                        )
                        .label(format!("{found} here"))
                        .hint(format!(
                            "write `{0} = \"value\"` or `{0} = {{ env = \"{0}\", default = \"value\" }}`",
                            name.value
                        )),
                    );
                    None
                }
            };
            match source {
                Some(source) => out.push(VarDef { name, source, span }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}
