//! The file's root and its top-level tables: `[workflow]`, `[kubernetes]`,
//! `[defaults]` and `[vars]`.

use toml::de::DeValue;

use super::table::{Fields, table_in};
use super::{Parser, Tbl, Val, all, extent, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Defaults, Kubernetes, Meta, Node, Span, VarDef, VarSource, Workflow};
use crate::format::keys::{self, Table};

impl Parser<'_> {
    pub(super) fn workflow(&mut self, root: &Tbl, span: Span) -> Option<Workflow> {
        let f = self.open(
            root,
            &keys::ROOT,
            "the workflow file".into(),
            span.start..span.start,
        );
        let meta = f.get("workflow").and_then(|v| self.meta(&f, v));
        let defaults = match f.get("defaults") {
            Some(v) => self.defaults(&f, v),
            None => Some(Defaults::default()),
        };
        let vars = match f.get("vars") {
            Some(v) => self.vars(&f, v),
            None => Some(Vec::new()),
        };
        let steps = f.get("steps").and_then(|v| self.steps(&f, "steps", v));
        let finally = match f.get("finally") {
            Some(v) => self.steps(&f, "finally", v),
            None => Some(Vec::new()),
        };
        let kubernetes = match f.get("kubernetes") {
            Some(v) => self.kubernetes(&f, v),
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

    fn meta(&mut self, root: &Fields, v: &Val) -> Option<Meta> {
        let f = self.sub_table(root, "workflow", v)?;
        let name = self.required(&f, "name");
        let title = self.optional(&f, "title");
        let source = self.optional(&f, "source");
        let description = self.optional(&f, "description");
        let account = self.optional(&f, "account");
        Some(Meta {
            account: account?,
            name: name?,
            title: title?,
            source: source?,
            description: description?,
        })
    }

    fn kubernetes(&mut self, root: &Fields, v: &Val) -> Option<Kubernetes> {
        let f = self.sub_table(root, "kubernetes", v)?;
        let context = self.optional(&f, "context");
        let namespace = self.optional(&f, "namespace");
        Some(Kubernetes {
            context: context?,
            namespace: namespace?,
        })
    }

    fn defaults(&mut self, root: &Fields, v: &Val) -> Option<Defaults> {
        let f = self.sub_table(root, "defaults", v)?;
        let timeout = self.optional(&f, "timeout");
        let max_output = self.optional(&f, "max-output");
        let shell = self.optional(&f, "shell");
        let interval = self.optional(&f, "interval");
        let max_interval = self.optional(&f, "max-interval");
        let backoff = self.optional(&f, "backoff");
        Some(Defaults {
            timeout: timeout?,
            max_output: max_output?,
            shell: shell?,
            interval: interval?,
            max_interval: max_interval?,
            backoff: backoff?,
        })
    }

    fn vars(&mut self, root: &Fields, v: &Val) -> Option<Vec<VarDef>> {
        let map = self.declared_map(root, "vars")?;
        let (entries, ok) = self.map_entries(map, &root.what, v)?;
        let from_env = table_in(map.values);
        let vars = all(entries.into_iter().map(|(name, val)| {
            let span = name.span.start.min(val.span().start)..extent(val).end;
            let source = self.var_source(&name, val, from_env)?;
            Some(VarDef { name, source, span })
        }));
        vars.filter(|_| ok)
    }

    /// A variable's value: a literal (a string, a number or a boolean, kept
    /// as written), or a table that reads the environment.
    fn var_source(
        &mut self,
        name: &Node<String>,
        val: &Val,
        from_env: Option<&'static Table>,
    ) -> Option<VarSource> {
        let what = format!("variable `{}`", name.value);
        let literal = |s: String| Some(VarSource::Literal(Node::new(s, val.span())));
        match (val.get_ref(), from_env) {
            (DeValue::String(s), _) => literal(s.to_string()),
            (DeValue::Integer(i), _) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => literal(n.to_string()),
                Err(_) => literal(i.as_str().to_string()),
            },
            (DeValue::Float(f), _) => literal(f.as_str().to_string()),
            (DeValue::Boolean(b), _) => literal(b.to_string()),
            (DeValue::Table(t), Some(def)) => {
                let f = self.open(t, def, what, val.span());
                let env = self.required(&f, "env");
                let default = self.optional(&f, "default");
                let secret: Option<Option<Node<bool>>> = self.optional(&f, "secret");
                Some(VarSource::Env {
                    env: env?,
                    default: default?,
                    secret: secret?.is_some_and(|s| s.value),
                })
            }
            (other, _) => {
                let found = type_name(other);
                self.error(
                    Diagnostic::new(
                        format!(
                            "{what} must be a string, a number, a boolean or {{ env = \"...\" }}, not {found}"
                        ),
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
        }
    }
}
