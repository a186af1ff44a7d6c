//! A table checked against its definition in `keys.rs`: unknown, misplaced
//! and missing keys, groups of which exactly one key is needed; values that
//! must be tables or arrays of tables; name-to-value maps.

use toml::de::DeValue;

use super::{Parser, Tbl, Val, list, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Node, Span};
use crate::format::keys::{self, Map, Table, Type};
use crate::format::template::{Dollar, Template};

/// The valid entries of a name-to-value map.
type Entries<'a, 'i> = Vec<(Node<String>, &'a Val<'i>)>;

/// The keys of one table, checked against its definition.
pub(super) struct Fields<'a, 'i> {
    pub(super) table: &'a Tbl<'i>,
    /// How the table is called in messages: "step `x`", "`[defaults]`".
    pub(super) what: String,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        self.table.get(key)
    }
}

impl Parser<'_> {
    /// Checks a table's keys against `def`: unknown or misplaced keys,
    /// missing required keys, and groups of which exactly one key is needed.
    pub(super) fn open<'a, 'i>(
        &mut self,
        table: &'a Tbl<'i>,
        def: &'static Table,
        what: String,
        header: Span,
    ) -> Fields<'a, 'i> {
        // Known keys that an unknown key probably meant: not reported missing.
        let mut meant: Vec<&'static str> = Vec::new();
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if def.key(name).is_some() {
                continue;
            }
            if let Some((_, hint)) = def.misplaced.iter().find(|(k, _)| *k == name) {
                self.error(
                    Diagnostic::new(format!("`{name}` cannot be set in {what}"), key.span())
                        .label("not allowed here")
                        .hint(*hint),
                );
                continue;
            }
            let hint = match keys::closest(name, def.names()) {
                Some(known) => {
                    meant.push(known);
                    format!("did you mean `{known}`?")
                }
                None => match keys::tables()
                    .into_iter()
                    .find(|t| !std::ptr::eq(*t, def) && t.key(name).is_some())
                {
                    Some(other) => format!(
                        "`{name}` is a key of {}, not of {}; the keys here are: {}",
                        other.name,
                        def.name,
                        list(def.names())
                    ),
                    None => format!("the keys of {} are: {}", def.name, list(def.names())),
                },
            };
            self.error(
                Diagnostic::new(format!("unknown key `{name}` in {what}"), key.span())
                    .label("unknown key")
                    .hint(hint),
            );
        }
        for key in def.keys.iter().filter(|k| k.required) {
            if table.get(key.name).is_some() || meant.contains(&key.name) {
                continue;
            }
            let d = if std::ptr::eq(def, &keys::ROOT) {
                let (shown, example) = match key.ty {
                    Type::Tables { table, .. } => (format!("[[{}]]", key.name), table.example),
                    Type::Table(table) => (format!("[{}]", key.name), table.example),
                    _ => (key.name.to_string(), key.doc),
                };
                Diagnostic::new(format!("the file has no `{shown}` table"), header.clone())
                    .label(format!("`{shown}` is missing"))
                    .hint(format!("add {example}"))
            } else {
                Diagnostic::new(format!("{what} has no `{}`", key.name), header.clone())
                    .label(format!("`{}` is missing", key.name))
                    .hint(format!("add `{}`: {}", key.name, key.doc))
            };
            self.error(d);
        }
        for group in def.one_of {
            let present: Vec<_> = table
                .iter()
                .filter(|(k, _)| group.keys.contains(&&**k.get_ref()))
                .collect();
            match present.as_slice() {
                [] if group.keys.iter().any(|k| meant.contains(k)) => {}
                [] => self.error(
                    Diagnostic::new(format!("{what} has no {}", group.what), header.clone())
                        .label(format!("no {} here", group.what))
                        .hint(format!("add one of {}", list(group.keys.iter().copied()))),
                ),
                [_] => {}
                [(first, _), rest @ ..] => {
                    for (k, _) in rest {
                        self.error(
                            Diagnostic::new(
                                format!(
                                    "{what} has several {}: `{}` and `{}`",
                                    group.plural,
                                    first.get_ref(),
                                    k.get_ref()
                                ),
                                k.span(),
                            )
                            .label(format!("second {}", group.what))
                            .hint(format!(
                                "keep exactly one of {}",
                                list(group.keys.iter().copied())
                            )),
                        );
                    }
                }
            }
        }
        Fields { table, what }
    }

    /// A value that must be a table.
    pub(super) fn table<'a, 'i>(
        &mut self,
        key: &str,
        what: &str,
        v: &'a Val<'i>,
        def: &'static Table,
    ) -> Option<&'a Tbl<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    Diagnostic::new(
                        format!("`{key}` in {what} must be a table, not {}", type_name(other)),
                        v.span(),
                    )
                    .label(format!("{} here", type_name(other)))
                    .hint(format!("write {}", def.example)),
                );
                None
            }
        }
    }

    /// A value that must be an array of tables.
    pub(super) fn tables<'a, 'i>(
        &mut self,
        key: &str,
        what: &str,
        v: &'a Val<'i>,
        min: usize,
        example: &str,
    ) -> Vec<&'a Val<'i>> {
        let DeValue::Array(items) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(
                    format!("`{key}` in {what} must be an array of tables, not {found}"),
                    v.span(),
                )
                .label(format!("{found} here"))
                .hint(format!("write {example}")),
            );
            return Vec::new();
        };
        if items.len() < min {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty")
                    .hint(format!("add at least one: {example}")),
            );
        }
        items.iter().collect()
    }

    /// The keys of a name-to-value map (`[vars]`, `capture`, `env`), checked.
    pub(super) fn map_entries<'a, 'i>(
        &mut self,
        map: &'static Map,
        what: &str,
        v: &'a Val<'i>,
    ) -> Option<(Entries<'a, 'i>, bool)> {
        let DeValue::Table(t) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(
                    format!("{} in {what} must be a table, not {found}", map.what),
                    v.span(),
                )
                .label(format!("{found} here"))
                .hint(format!(
                    "write `{} = {{ NAME = ... }}`",
                    map.name.trim_matches(['[', ']'])
                )),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (k, val) in t.iter() {
            let name: &str = k.get_ref();
            if !self.matches(map.key, name) {
                ok = false;
                self.error(
                    Diagnostic::new(
                        if std::ptr::eq(map, &keys::VARS) {
                            format!("`{name}` in {} is not a valid variable name", map.what)
                        } else if std::ptr::eq(map, &keys::HTTP_HEADERS) {
                            format!("`{name}` in {} of {what} is not a valid header name", map.what)
                        } else {
                            format!("`{name}` in {} of {what} is not a valid variable name", map.what)
                        },
                        k.span(),
                    )
                    .label("invalid name")
                    .hint(format!("use {}", map.key.describe)),
                );
                continue;
            }
            if keys::BUILTIN_VARS.contains(&name) && !std::ptr::eq(map, &keys::ENV) {
                ok = false;
                self.error(
                    Diagnostic::new(format!("`{name}` is a built-in variable"), k.span())
                        .label("reserved")
                        .hint(format!(
                            "rehearse sets `{name}` itself (to `live` or `replay`); choose another name"
                        )),
                );
                continue;
            }
            out.push((Node::new(name.to_string(), k.span()), val));
        }
        Some((out, ok))
    }

    /// A map of names to templates (`env`, `headers`).
    pub(super) fn templates(
        &mut self,
        map: &'static Map,
        prefix: &str,
        what: &str,
        v: &Val,
    ) -> Option<Vec<(Node<String>, Template)>> {
        let (entries, mut ok) = self.map_entries(map, what, v)?;
        let mut out = Vec::new();
        for (name, val) in entries {
            let key = format!("{prefix}.{}", name.value);
            match self.template(&key, what, val, Dollar::Braced) {
                Some(t) => out.push((name, t)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn unknown_keys_point_at_the_key_and_suggest() {
        let src = format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\ntiemout = \"5m\"\n");
        let d = errs(&src);
        assert_eq!(d.len(), 1);
        assert_eq!(&src[d[0].span.clone().unwrap()], "tiemout");
        assert_eq!(d[0].message, "unknown key `tiemout` in step `a`");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `timeout`?"));
    }

    #[test]
    fn wait_timeout_is_rejected_with_the_hint() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nwait = {{ until = [ {{ query = \"a\", exists = true }} ], timeout = \"5m\" }}\n"
        );
        let d = errs(&src);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(&src[d[0].span.clone().unwrap()], "timeout");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("a step's `timeout` bounds the whole step, waits included; move it to the step")
        );
    }

    #[test]
    fn reserved_and_invalid_variable_names() {
        let d = errs(&format!(
            "{HEAD}[vars]\nREHEARSE_MODE = \"x\"\n[[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ REHEARSE_MODE = \"a\" }}\n"
        ));
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.message.contains("built-in")));
    }
}
