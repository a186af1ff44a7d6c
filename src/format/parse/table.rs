//! A table checked against its definition in `keys.rs`: unknown, misplaced
//! and missing keys, groups of which exactly one key is needed; values that
//! must be tables, arrays of tables, or either a leaf or a table.

use toml::de::DeValue;

use super::value::FromValue;
use super::{Parser, Tbl, Val, list, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::Span;
use crate::format::keys::{self, Key, OneOf, Table, Type};

/// The keys of one table, checked against its definition.
pub(super) struct Fields<'a, 'i> {
    pub(super) table: &'a Tbl<'i>,
    /// Its definition in `keys.rs`, which declares the type of each key.
    pub(super) def: &'static Table,
    /// How the table is called in messages: "step `x`", "`[defaults]`".
    pub(super) what: String,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        self.table.get(key)
    }

    /// The first key of the table that `pick` recognizes, with the key's
    /// span and its value (`open` reported any second one).
    pub(super) fn first<P>(&self, pick: impl Fn(&'a str) -> Option<P>) -> Option<(P, Span, &'a Val<'i>)> {
        self.table
            .iter()
            .find_map(|(k, v)| Some((pick(k.get_ref())?, k.span(), v)))
    }

    /// The keys of the table's one-of group called `what` ("query", "action"...).
    pub(super) fn group(&self, what: &str) -> Option<&'static [&'static str]> {
        self.def.one_of.iter().find(|g| g.what == what).map(|g| g.keys)
    }
}

/// A key that takes a leaf or a table (`aws`, `http`): which one it holds.
pub(super) enum Form<'a, 'i, T> {
    Leaf(T),
    Table(Fields<'a, 'i>),
}

/// The table among the types a value may have (`Either`, a map's values).
pub(super) fn table_in(types: &'static [Type]) -> Option<&'static Table> {
    types.iter().find_map(|t| match t {
        Type::Table(def) => Some(*def),
        _ => None,
    })
}

/// The leaf type among the types a value may have.
pub(super) fn leaf_in(types: &'static [Type]) -> Option<&'static Type> {
    types.iter().find(|t| !matches!(t, Type::Table(_)))
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
        let meant = self.unknown_keys(table, def, &what);
        for key in def.keys.iter().filter(|k| k.required) {
            if table.get(key.name).is_none() && !meant.contains(&key.name) {
                let d = missing(def, key, &what, header.clone());
                self.error(d);
            }
        }
        for group in def.one_of {
            self.one_of(table, group, &what, &header, &meant);
        }
        Fields { table, def, what }
    }

    /// Reports the keys `def` does not have; returns the known keys that
    /// they probably meant, which are then not reported missing.
    fn unknown_keys(&mut self, table: &Tbl, def: &'static Table, what: &str) -> Vec<&'static str> {
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
                None => elsewhere(name, def),
            };
            self.error(
                Diagnostic::new(format!("unknown key `{name}` in {what}"), key.span())
                    .label("unknown key")
                    .hint(hint),
            );
        }
        meant
    }

    /// Exactly one key of `group` must be present.
    fn one_of(&mut self, table: &Tbl, group: &OneOf, what: &str, header: &Span, meant: &[&str]) {
        let present: Vec<_> = table
            .iter()
            .filter(|(k, _)| group.keys.contains(&&**k.get_ref()))
            .collect();
        let keys = || list(group.keys.iter().copied());
        match present.as_slice() {
            [] if group.keys.iter().any(|k| meant.contains(k)) => {}
            [] => self.error(
                Diagnostic::new(format!("{what} has no {}", group.what), header.clone())
                    .label(format!("no {} here", group.what))
                    .hint(format!("add one of {}", keys())),
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
                        .hint(format!("keep exactly one of {}", keys())),
                    );
                }
            }
        }
    }

    /// The definition of `key` in `f`'s table. The parser reads only keys
    /// that `keys.rs` declares: another is a bug, reported, not a panic.
    pub(super) fn declared(&mut self, f: &Fields, key: &str) -> Option<&'static Key> {
        let found = f.def.key(key);
        if found.is_none() {
            self.bug(format!("`{key}` is not a key of {} in keys.rs", f.def.name));
        }
        found
    }

    /// Reports that `key` of `f` is not declared as `expected` in `keys.rs`.
    pub(super) fn not_declared_as<T>(&mut self, f: &Fields, key: &str, expected: &str) -> Option<T> {
        self.bug(format!(
            "`{key}` of {} is not declared as {expected} in keys.rs",
            f.def.name
        ));
        None
    }

    /// A value that must be a table.
    fn table<'a, 'i>(
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

    /// `v`, the value of `key` in `f`, a table of the definition that
    /// `keys.rs` declares for it (`[workflow]`, `wait`...), opened.
    pub(super) fn sub_table<'a, 'i>(
        &mut self,
        f: &Fields,
        key: &str,
        v: &'a Val<'i>,
    ) -> Option<Fields<'a, 'i>> {
        let Type::Table(def) = self.declared(f, key)?.ty else {
            return self.not_declared_as(f, key, "a table");
        };
        let t = self.table(key, &f.what, v, def)?;
        Some(self.nested(f, key, t, v, def))
    }

    /// Opens `t`, the value of `key` in `f`: called `[key]` in messages at
    /// the root, "`key` of" its parent below.
    fn nested<'a, 'i>(
        &mut self,
        f: &Fields,
        key: &str,
        t: &'a Tbl<'i>,
        v: &Val,
        def: &'static Table,
    ) -> Fields<'a, 'i> {
        let what = if std::ptr::eq(f.def, &keys::ROOT) {
            def.what.to_string()
        } else {
            format!("`{key}` of {}", f.what)
        };
        self.open(t, def, what, v.span())
    }

    /// `v`, the value of `key` in `f`, which `keys.rs` declares as a leaf or
    /// a table (`aws`, `http`): the table opened, or the leaf read.
    pub(super) fn leaf_or_table<'a, 'i, T: FromValue>(
        &mut self,
        f: &Fields,
        key: &str,
        v: &'a Val<'i>,
    ) -> Option<Form<'a, 'i, T>> {
        let Type::Either(types) = self.declared(f, key)?.ty else {
            return self.not_declared_as(f, key, "a leaf or a table");
        };
        if let (DeValue::Table(t), Some(def)) = (v.get_ref(), table_in(types)) {
            return Some(Form::Table(self.nested(f, key, t, v, def)));
        }
        let Some(ty) = leaf_in(types) else {
            return self.not_declared_as(f, key, "a leaf");
        };
        self.read_as(ty, key, &f.what, v).map(Form::Leaf)
    }

    /// `v`, the value of `key` in `f`: an array of tables with at least as
    /// many elements as `keys.rs` declares. Returns their definition and
    /// the elements, or `None` (reported) when it is not such an array.
    /// `example` shows how to write one in hints.
    pub(super) fn tables_of<'a, 'i>(
        &mut self,
        f: &Fields,
        key: &str,
        v: &'a Val<'i>,
        example: &str,
    ) -> Option<(&'static Table, Vec<&'a Val<'i>>)> {
        let Type::Tables { table, min } = self.declared(f, key)?.ty else {
            return self.not_declared_as(f, key, "an array of tables");
        };
        let what = &f.what;
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
            return None;
        };
        if items.len() < min {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty")
                    .hint(format!("add at least one: {example}")),
            );
            return None;
        }
        Some((table, items.iter().collect()))
    }
}

/// The error of a required key missing from `def`: at the root, a missing table.
fn missing(def: &'static Table, key: &Key, what: &str, header: Span) -> Diagnostic {
    if std::ptr::eq(def, &keys::ROOT) {
        let (shown, example) = match key.ty {
            Type::Tables { table, .. } => (format!("[[{}]]", key.name), table.example),
            Type::Table(table) => (format!("[{}]", key.name), table.example),
            _ => (key.name.to_string(), key.doc),
        };
        Diagnostic::new(format!("the file has no `{shown}` table"), header)
            .label(format!("`{shown}` is missing"))
            .hint(format!("add {example}"))
    } else {
        Diagnostic::new(format!("{what} has no `{}`", key.name), header)
            .label(format!("`{}` is missing", key.name))
            .hint(format!("add `{}`: {}", key.name, key.doc))
    }
}

/// The hint for an unknown key that is no typo: the table it belongs to, if
/// any, and the keys of this one.
fn elsewhere(name: &str, def: &'static Table) -> String {
    match keys::tables()
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
}
