//! Tables whose keys are names chosen by the author (`[vars]`, `capture`,
//! `env`, `headers`): the names checked against the map's pattern in
//! `keys.rs`, the values read by the type it declares.

use toml::de::DeValue;

use super::table::Fields;
use super::value::FromValue;
use super::{Parser, Val, all, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::Node;
use crate::format::keys::{self, Map, Type};

/// The valid entries of a name-to-value map.
pub(super) type Entries<'a, 'i> = Vec<(Node<String>, &'a Val<'i>)>;

impl Parser<'_> {
    /// The map that `keys.rs` declares as the value of `key` in `f`.
    pub(super) fn declared_map(&mut self, f: &Fields, key: &str) -> Option<&'static Map> {
        match self.declared(f, key)?.ty {
            Type::Map(map) => Some(map),
            _ => self.not_declared_as(f, key, "a map"),
        }
    }

    /// The entries of a name-to-value map whose names are valid, and whether
    /// all of them were; `None` when `v` is not a table (reported).
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
            let name = Node::new(k.get_ref().to_string(), k.span());
            if self.valid_name(map, what, &name) {
                out.push((name, val));
            } else {
                ok = false;
            }
        }
        Some((out, ok))
    }

    /// A name of a map matches its pattern, and is no built-in variable
    /// (which `env` may set, though).
    fn valid_name(&mut self, map: &'static Map, what: &str, name: &Node<String>) -> bool {
        let (name, span) = (name.value.as_str(), name.span.clone());
        if !self.matches(map.key, name) {
            let message = if std::ptr::eq(map, &keys::VARS) {
                format!("`{name}` in {} is not a valid variable name", map.what)
            } else if std::ptr::eq(map, &keys::HTTP_HEADERS) {
                format!("`{name}` in {} of {what} is not a valid header name", map.what)
            } else {
                format!("`{name}` in {} of {what} is not a valid variable name", map.what)
            };
            self.error(
                Diagnostic::new(message, span)
                    .label("invalid name")
                    .hint(format!("use {}", map.key.describe)),
            );
            return false;
        }
        if keys::BUILTIN_VARS.contains(&name) && !std::ptr::eq(map, &keys::ENV) {
            self.error(
                Diagnostic::new(format!("`{name}` is a built-in variable"), span)
                    .label("reserved")
                    .hint(format!(
                        "rehearse sets `{name}` itself (to `live` or `replay`); choose another name"
                    )),
            );
            return false;
        }
        true
    }

    /// `v`, the value of `key` in `f`: a map whose values all have the one
    /// type `keys.rs` declares (`env`, `headers`), each called `key.NAME`.
    pub(super) fn map_of<T: FromValue>(
        &mut self,
        f: &Fields,
        key: &str,
        v: &Val,
    ) -> Option<Vec<(Node<String>, T)>> {
        let map = self.declared_map(f, key)?;
        let [ty] = map.values else {
            return self.not_declared_as(f, key, "a map of values of one type");
        };
        let (entries, ok) = self.map_entries(map, &f.what, v)?;
        let values = all(entries.into_iter().map(|(name, val)| {
            let named = format!("{key}.{}", name.value);
            self.read_as(ty, &named, &f.what, val).map(|t| (name, t))
        }));
        values.filter(|_| ok)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn reserved_and_invalid_variable_names() {
        let d = errs(&format!(
            "{HEAD}[vars]\nREHEARSE_MODE = \"x\"\n[[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ REHEARSE_MODE = \"a\" }}\n"
        ));
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.message.contains("built-in")));
    }
}
