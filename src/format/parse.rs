//! TOML to AST.
//!
//! The TOML text is parsed into a tree of spanned values, which is walked by
//! hand, table by table, following `keys.rs`: every error is collected (unknown
//! keys, wrong types, missing keys, bad durations, queries, regexes,
//! templates) and reported together, in source order.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::action::arg::CommandError;
use crate::action::words::{self, Line};
use crate::action::{aws, kubectl};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::{
    Action, AwsStep, Capture, Check, Defaults, Expected, HttpCall, JsonType, KubectlStep, Kubernetes, Meta,
    Node, Pattern, Predicate, Retry, Span, Step, VarDef, VarSource, Wait, Workflow,
};
use crate::format::keys::{self, Map, Table, Type};
use crate::format::template::{self, Dollar, Template};
use crate::query::{Lang, Query};

type Val<'i> = Spanned<DeValue<'i>>;
type Tbl<'i> = DeTable<'i>;
/// The valid entries of a name-to-value map.
type Entries<'a, 'i> = Vec<(Node<String>, &'a Val<'i>)>;

/// Deepest nesting of arrays and inline tables accepted (the TOML parser
/// gives up a little deeper, with one error per level).
pub const MAX_NESTING: usize = 64;

/// At most this many TOML syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses a workflow file, reporting every error it finds, in source order.
pub fn parse(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    match parse_partial(file) {
        (Some(w), diags) if diags.is_empty() => Ok(w),
        (_, mut diags) => {
            if diags.is_empty() {
                // Cannot happen: every missing piece is reported. Never panic.
                diags.push(Diagnostic::whole_file("the workflow is incomplete"));
            }
            Err(diags)
        }
    }
}

/// Parses a workflow file. The workflow comes back, with the errors, when
/// they leave its structure whole (a duplicate step id), so that validation
/// can go on and report its own errors too.
pub fn parse_partial(file: &SourceFile) -> (Option<Workflow>, Vec<Diagnostic>) {
    let text: &str = &file.text;
    if let Some(d) = nesting_check(text) {
        return (None, vec![d]);
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return (None, syntax_diagnostics(&errors));
    }
    let mut p = Parser {
        src: text,
        diags: Vec::new(),
        regexes: HashMap::new(),
        ids: HashMap::new(),
        soft: Vec::new(),
    };
    let span = root.span();
    let workflow = p.workflow(root.get_ref(), span).filter(|_| p.diags.is_empty());
    let mut diags = p.diags;
    diags.extend(p.soft);
    sort(&mut diags);
    (workflow, diags)
}

/// Sorts diagnostics by position, whole-file ones first.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.as_ref().map(|s| (s.start, s.end)));
}

/// Rejects arrays and inline tables nested deeper than [`MAX_NESTING`],
/// before the TOML parser sees them.
fn nesting_check(text: &str) -> Option<Diagnostic> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if q == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if !triple && b[i] == b'\n' {
                        break;
                    }
                    if b[i] == q && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q))) {
                        i += if triple { 2 } else { 0 };
                        break;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            format!("values nested too deeply (more than {MAX_NESTING} levels)"),
                            i..i + 1,
                        )
                        .label("too deep")
                        .hint("a workflow never needs this much nesting; look for unclosed `[` or `{`"),
                    );
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn syntax_diagnostics(errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    for e in errors {
        let msg = e.message().trim();
        let first = msg.lines().next().unwrap_or("invalid TOML");
        let (message, label) = match first.split_once(", expected ") {
            Some((m, exp)) => (m.to_string(), format!("expected {exp}")),
            None => (first.to_string(), "here".to_string()),
        };
        let mut d = match e.span() {
            Some(span) => Diagnostic::new(message, span),
            None => Diagnostic::whole_file(message),
        };
        d = d
            .label(label)
            .hint("this is a TOML syntax error; the workflow's keys are checked once the file is valid TOML");
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    sort(&mut diags);
    if diags.len() > MAX_SYNTAX_ERRORS {
        let more = diags.len() - MAX_SYNTAX_ERRORS;
        diags.truncate(MAX_SYNTAX_ERRORS);
        diags.push(
            Diagnostic::whole_file(format!("... and {more} more TOML syntax errors"))
                .hint("fix the first errors: the others often follow from them"),
        );
    }
    diags
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The span from a value's start to the end of everything inside it (a
/// `[[steps]]` table's own span is only its header).
fn extent(v: &Val) -> Span {
    let mut span = v.span();
    match v.get_ref() {
        DeValue::Table(t) => {
            for (k, val) in t.iter() {
                let inner = extent(val);
                span.start = span.start.min(k.span().start).min(inner.start);
                span.end = span.end.max(k.span().end).max(inner.end);
            }
        }
        DeValue::Array(a) => {
            for val in a.iter() {
                let inner = extent(val);
                span.start = span.start.min(inner.start);
                span.end = span.end.max(inner.end);
            }
        }
        _ => {}
    }
    span
}

fn ordinal(i: usize) -> String {
    format!("#{}", i + 1)
}

/// The keys of one table, checked against its definition.
struct Fields<'a, 'i> {
    table: &'a Tbl<'i>,
    /// How the table is called in messages: "step `x`", "`[defaults]`".
    what: String,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Val<'i>> {
        self.table.get(key)
    }
}

struct Parser<'s> {
    src: &'s str,
    diags: Vec<Diagnostic>,
    regexes: HashMap<&'static str, regex::Regex>,
    /// Step ids seen so far (steps, then finally), with where they were first written.
    ids: HashMap<String, Span>,
    /// Errors that leave the workflow's structure whole (duplicate ids).
    soft: Vec<Diagnostic>,
}

impl<'s> Parser<'s> {
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn matches(&mut self, pattern: &'static keys::Pattern, s: &str) -> bool {
        if !self.regexes.contains_key(pattern.regex) {
            // The patterns are constants, tested to compile.
            let Ok(re) = regex::Regex::new(pattern.regex) else {
                return true;
            };
            self.regexes.insert(pattern.regex, re);
        }
        self.regexes.get(pattern.regex).is_none_or(|re| re.is_match(s))
    }

    /// Checks a table's keys against `def`: unknown or misplaced keys,
    /// missing required keys, and groups of which exactly one key is needed.
    fn open<'a, 'i>(
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

    /// A value that must be an array of tables.
    fn tables<'a, 'i>(
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

    fn wrong_type(&mut self, key: &str, what: &str, v: &Val, ty: &Type) {
        let found = type_name(v.get_ref());
        let hint = match ty {
            Type::Duration { .. } => "write it as a string, e.g. \"30s\"".to_string(),
            Type::Strings { .. } => "write it like [\"bash\", \"-c\"]".to_string(),
            Type::Any
            | Type::NumberOrString
            | Type::Table(_)
            | Type::Tables { .. }
            | Type::Map(_)
            | Type::NonEmptyArray => format!("`{key}` takes {}", ty.describe()),
            _ if matches!(
                v.get_ref(),
                DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_)
            ) =>
            {
                "put the value in double quotes".to_string()
            }
            _ => format!("`{key}` takes {}", ty.describe()),
        };
        self.error(
            Diagnostic::new(
                format!("`{key}` in {what} must be {}, not {found}", ty.describe()),
                v.span(),
            )
            .label(format!("{found} here"))
            .hint(hint),
        );
    }

    fn string(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Node::new(s.to_string(), v.span())),
            _ => {
                self.wrong_type(key, what, v, &Type::String);
                None
            }
        }
    }

    fn non_empty_string(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<String>> {
        let s = self.string(key, what, v)?;
        if s.value.trim().is_empty() {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty string")
                    .hint(format!("`{key}` takes a non-empty string")),
            );
            return None;
        }
        Some(s)
    }

    fn pattern_string(
        &mut self,
        key: &str,
        what: &str,
        v: &Val,
        pattern: &'static keys::Pattern,
    ) -> Option<Node<String>> {
        let s = self.string(key, what, v)?;
        if !self.matches(pattern, &s.value) {
            self.error(
                Diagnostic::new(
                    format!("`{}` is not a valid `{key}` in {what}", s.value),
                    v.span(),
                )
                .label("invalid")
                .hint(format!("use {}", pattern.describe)),
            );
            return None;
        }
        Some(s)
    }

    fn bool(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Node::new(*b, v.span())),
            _ => {
                self.wrong_type(key, what, v, &Type::Bool);
                None
            }
        }
    }

    fn duration(&mut self, key: &str, what: &str, v: &Val, zero: bool) -> Option<Node<Duration>> {
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Duration { zero });
            return None;
        };
        match humantime::parse_duration(s) {
            Ok(d) if d.is_zero() && !zero => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be longer than zero"), v.span())
                        .label("zero")
                        .hint("write a positive duration, e.g. \"30s\""),
                );
                None
            }
            Ok(d) => Some(Node::new(d, v.span())),
            Err(e) => {
                self.error(
                    Diagnostic::new(
                        format!("`{key}` in {what} is not a valid duration: \"{s}\""),
                        v.span(),
                    )
                    .label(e.to_string())
                    .hint("write a number and a unit, e.g. \"500ms\", \"30s\", \"5m\" or \"1h 30m\""),
                );
                None
            }
        }
    }

    fn integer(&mut self, key: &str, what: &str, v: &Val, min: i64) -> Option<Node<i64>> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Integer { min });
            return None;
        };
        let n = i64::from_str_radix(i.as_str(), i.radix()).ok();
        match n {
            Some(n) if n >= min => Some(Node::new(n, v.span())),
            _ => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be an integer >= {min}"), v.span())
                        .label("out of range")
                        .hint(format!("write an integer >= {min}")),
                );
                None
            }
        }
    }

    fn number(&mut self, key: &str, what: &str, v: &Val, min: f64) -> Option<Node<f64>> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => {
                self.wrong_type(key, what, v, &Type::Number { min });
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() && n >= min => Some(Node::new(n, v.span())),
            _ => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be a number >= {min:?}"), v.span())
                        .label("out of range")
                        .hint(format!("write a number >= {min:?}, e.g. 1.5")),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str, what: &str, v: &Val, non_empty: bool) -> Option<Node<Vec<String>>> {
        let ty = Type::Strings { non_empty };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, what, v, &ty);
            return None;
        };
        if non_empty && items.is_empty() {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty array")
                    .hint("write it like [\"bash\", \"-e\", \"-c\"]"),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                other => {
                    ok = false;
                    self.error(
                        Diagnostic::new(
                            format!(
                                "`{key}` in {what} must hold only strings, not {}",
                                type_name(other)
                            ),
                            item.span(),
                        )
                        .label(format!("{} here", type_name(other)))
                        .hint("put the value in double quotes"),
                    );
                }
            }
        }
        ok.then(|| Node::new(out, v.span()))
    }

    fn template(&mut self, key: &str, what: &str, v: &Val, dollar: Dollar) -> Option<Template> {
        let s = self.string(key, what, v)?;
        self.template_of(&s.value, v.span(), &format!("`{key}` in {what}"), dollar)
    }

    fn template_of(&mut self, s: &str, span: Span, what: &str, dollar: Dollar) -> Option<Template> {
        match template::parse(s, span, self.src, dollar) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(
                    Diagnostic::new(format!("{} in {what}", e.message), e.span)
                        .label("invalid reference")
                        .hint(e.hint),
                );
                None
            }
        }
    }

    fn query(&mut self, key: &str, what: &str, v: &Val, lang: Lang) -> Option<Node<Query>> {
        let s = self.string(key, what, v)?;
        match Query::compile(lang, &s.value) {
            Ok(q) => Some(Node::new(q, v.span())),
            Err(e) => {
                let span = v.span();
                let at = point_in_string(&s.value, span, self.src, e.offset);
                let (name, hint) = match lang {
                    Lang::JmesPath => (
                        "JMESPath expression",
                        "JMESPath is the language of `aws --query`: https://jmespath.org/specification.html",
                    ),
                    Lang::Jq => ("jq program", "see the jq manual: https://jqlang.org/manual/"),
                };
                self.error(
                    Diagnostic::new(format!("invalid {name} in `{key}` of {what}"), at)
                        .label(e.message)
                        .hint(hint),
                );
                None
            }
        }
    }

    fn regex(&mut self, key: &str, what: &str, v: &Val) -> Option<Pattern> {
        let s = self.string(key, what, v)?;
        match regex::Regex::new(&s.value) {
            Ok(regex) => Some(Pattern {
                source: s.value,
                regex,
            }),
            Err(e) => {
                let text = e.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("invalid")
                    .trim()
                    .trim_start_matches("error: ")
                    .to_string();
                self.error(
                    Diagnostic::new(
                        format!("invalid regular expression in `{key}` of {what}"),
                        v.span(),
                    )
                    .label(reason)
                    .hint("write a regex of the `regex` crate; in a literal string ('...') backslashes need no escaping"),
                );
                None
            }
        }
    }

    /// An expected value: TOML to JSON, collecting the `${NAME}` of its strings.
    fn expected(&mut self, key: &str, what: &str, v: &Val) -> Option<Expected> {
        let mut vars = Vec::new();
        let value = self.json(key, what, v, &mut vars)?;
        Some(Expected { value, vars })
    }

    fn json(
        &mut self,
        key: &str,
        what: &str,
        v: &Val,
        vars: &mut Vec<Node<String>>,
    ) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match v.get_ref() {
            DeValue::String(s) => {
                let t = self.template_of(s, v.span(), &format!("`{key}` of {what}"), Dollar::Braced)?;
                vars.extend(t.vars().cloned());
                J::String(s.to_string())
            }
            DeValue::Integer(i) => {
                let n = i64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .map(J::from)
                    .or_else(|| u64::from_str_radix(i.as_str(), i.radix()).ok().map(J::from));
                match n {
                    Some(n) => n,
                    None => {
                        self.error(
                            Diagnostic::new(format!("integer too large in `{key}` of {what}"), v.span())
                                .label("too large")
                                .hint("integers must fit in 64 bits; write large numbers as strings"),
                        );
                        return None;
                    }
                }
            }
            DeValue::Float(f) => {
                match f
                    .as_str()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Some(n) => J::Number(n),
                    None => {
                        self.error(
                            Diagnostic::new(format!("`{key}` of {what} is not a JSON number"), v.span())
                                .label("nan or infinite")
                                .hint("JSON has no NaN or infinity; compare with a finite number"),
                        );
                        return None;
                    }
                }
            }
            DeValue::Boolean(b) => J::Bool(*b),
            DeValue::Datetime(d) => J::String(d.to_string()),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items.iter() {
                    match self.json(key, what, item, vars) {
                        Some(j) => out.push(j),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                J::Array(out)
            }
            DeValue::Table(t) => {
                let mut out = serde_json::Map::new();
                let mut ok = true;
                for (k, item) in t.iter() {
                    match self.json(key, what, item, vars) {
                        Some(j) => {
                            out.insert(k.get_ref().to_string(), j);
                        }
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                J::Object(out)
            }
        })
    }

    // ---- tables of the format ----

    fn workflow(&mut self, root: &Tbl, span: Span) -> Option<Workflow> {
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

    fn meta(&mut self, v: &Val) -> Option<Meta> {
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

    fn kubernetes(&mut self, v: &Val) -> Option<Kubernetes> {
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

    fn defaults(&mut self, v: &Val) -> Option<Defaults> {
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

    /// The keys of a name-to-value map (`[vars]`, `capture`, `env`), checked.
    fn map_entries<'a, 'i>(
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

    fn vars(&mut self, v: &Val) -> Option<Vec<VarDef>> {
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

    fn steps(&mut self, v: &Val, key: &str, min: usize) -> Option<Vec<Step>> {
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

    fn step(&mut self, v: &Val, section: &str, index: usize) -> Option<Step> {
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
    fn unique_id(&mut self, id: &Node<String>) {
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

    fn action(&mut self, f: &Fields) -> Option<Node<Action>> {
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
            _ => Action::Kubectl(self.kubectl(w, v)?),
        };
        Some(Node::new(action, key.span().start..v.span().end))
    }

    /// `http = "https://..."` or `http = { url = "...", method = "POST", ... }`.
    fn http(&mut self, what: &str, v: &Val) -> Option<HttpCall> {
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

    /// A command line's words, split once, the way the shell splits them.
    fn line(&mut self, key: &str, what: &str, v: &Val) -> Option<Line> {
        let s = self.string(key, what, v)?;
        match words::split(&s.value, v.span(), self.src) {
            Ok(line) => Some(line),
            Err(e) => {
                let label = if e.needs_shell {
                    "needs a shell"
                } else {
                    "cannot be split into words"
                };
                self.error(
                    Diagnostic::new(format!("{} in `{key}` of {what}", e.message), e.span)
                        .label(label)
                        .hint(e.hint),
                );
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

    /// `kubectl = "get pods ..."`.
    fn kubectl(&mut self, what: &str, v: &Val) -> Option<KubectlStep> {
        let line = self.line("kubectl", what, v)?;
        match kubectl::parse(&line.words) {
            Ok(command) => Some(KubectlStep { line, command }),
            Err(e) => {
                self.command_error(e, "kubectl", what, v);
                None
            }
        }
    }

    /// `aws = "eks ..."` or `aws = { command = "eks ...", input = { ... } }`.
    fn aws(&mut self, what: &str, v: &Val) -> Option<AwsStep> {
        let DeValue::Table(t) = v.get_ref() else {
            let line = self.line("aws", what, v)?;
            return match aws::parse(&line.words) {
                Ok(call) => Some(AwsStep {
                    line,
                    input: None,
                    call,
                }),
                Err(e) => {
                    self.command_error(e, "aws", what, v);
                    None
                }
            };
        };
        let f = self.open(t, &keys::AWS_CALL, format!("`aws` of {what}"), v.span());
        let w = f.what.clone();
        let command = f.get("command").and_then(|v| self.line("command", &w, v));
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
        let (line, input) = (command?, input?);
        match aws::parse_table(&line.words, &input.value) {
            Ok(call) => Some(AwsStep {
                line,
                input: Some(input),
                call,
            }),
            Err(e) => {
                self.command_error(e, "aws", what, v);
                None
            }
        }
    }

    fn checks(&mut self, key: &str, what: &str, v: &Val, min: usize) -> Option<Vec<Check>> {
        let example = format!("`{key} = [ {{ query = \"...\", equals = \"...\" }} ]`");
        let is_array = matches!(v.get_ref(), DeValue::Array(_));
        let items = self.tables(key, what, v, min, &example);
        let mut out = Vec::new();
        let mut ok = is_array && items.len() >= min;
        for (i, item) in items.into_iter().enumerate() {
            let named = format!("check {} of `{key}` in {what}", ordinal(i));
            match self.check(item, named) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn check(&mut self, v: &Val, what: String) -> Option<Check> {
        let DeValue::Table(t) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(format!("{what} must be a table, not {found}"), v.span())
                    .label(format!("{found} here"))
                    .hint("write a check like { query = \"status\", equals = \"ACTIVE\" }"),
            );
            return None;
        };
        let f = self.open(t, &keys::CHECK, what, v.span());
        let w = f.what.clone();
        let query = self.query_of(&f);
        let predicate = self.predicate(&f, &w);
        Some(Check {
            query: query?,
            predicate: predicate?,
            span: v.span(),
        })
    }

    /// The query of a check or capture table: its `query` or `jq` key.
    fn query_of(&mut self, f: &Fields) -> Option<Node<Query>> {
        let (key, v) = f
            .table
            .iter()
            .find(|(k, _)| matches!(&**k.get_ref(), "query" | "jq"))?;
        let lang = if &**key.get_ref() == "jq" {
            Lang::Jq
        } else {
            Lang::JmesPath
        };
        self.query(lang.key(), &f.what, v, lang)
    }

    fn predicate(&mut self, f: &Fields, w: &str) -> Option<Node<Predicate>> {
        let operators = keys::CHECK.one_of.get(1).map_or(&[][..], |g| g.keys);
        let (key, v) = f
            .table
            .iter()
            .find(|(k, _)| operators.contains(&&**k.get_ref()))?;
        let k: &str = key.get_ref();
        let span = key.span().start..v.span().end;
        let p = match k {
            "equals" => Predicate::Equals(self.expected(k, w, v)?),
            "not-equals" => Predicate::NotEquals(self.expected(k, w, v)?),
            "contains" => Predicate::Contains(self.expected(k, w, v)?),
            "not-contains" => Predicate::NotContains(self.expected(k, w, v)?),
            "matches" => Predicate::Matches(self.regex(k, w, v)?),
            "exists" | "absent" => {
                let b = self.bool(k, w, v)?;
                if !b.value {
                    let other = if k == "exists" { "absent" } else { "exists" };
                    self.error(
                        Diagnostic::new(format!("`{k} = false` in {w} is not allowed"), v.span())
                            .label("only `true` is allowed")
                            .hint(format!("write `{other} = true` instead")),
                    );
                    return None;
                }
                if k == "exists" {
                    Predicate::Exists
                } else {
                    Predicate::Absent
                }
            }
            "length" => Predicate::Length(u64::try_from(self.integer(k, w, v, 0)?.value).ok()?),
            "greater" | "greater-or-equal" | "less" | "less-or-equal" => {
                if !matches!(
                    v.get_ref(),
                    DeValue::Integer(_) | DeValue::Float(_) | DeValue::String(_)
                ) {
                    self.wrong_type(k, w, v, &Type::NumberOrString);
                    return None;
                }
                let e = self.expected(k, w, v)?;
                match k {
                    "greater" => Predicate::Greater(e),
                    "greater-or-equal" => Predicate::GreaterOrEqual(e),
                    "less" => Predicate::Less(e),
                    _ => Predicate::LessOrEqual(e),
                }
            }
            "one-of" => {
                match v.get_ref() {
                    DeValue::Array(a) if !a.is_empty() => {}
                    DeValue::Array(_) => {
                        self.error(
                            Diagnostic::new(format!("`one-of` in {w} is empty"), v.span())
                                .label("empty array")
                                .hint("list the accepted values, e.g. [\"ACTIVE\", \"UPDATING\"]"),
                        );
                        return None;
                    }
                    _ => {
                        self.wrong_type(k, w, v, &Type::NonEmptyArray);
                        return None;
                    }
                }
                Predicate::OneOf(self.expected(k, w, v)?)
            }
            _ => {
                let s = self.string(k, w, v)?;
                match JsonType::ALL.iter().find(|t| t.name() == s.value) {
                    Some(t) => Predicate::Type(*t),
                    None => {
                        let hint = match keys::closest(&s.value, keys::JSON_TYPES.iter().copied()) {
                            Some(c) => format!("did you mean \"{c}\"?"),
                            None => {
                                format!("use one of {}", list(keys::JSON_TYPES.iter().copied()))
                            }
                        };
                        self.error(
                            Diagnostic::new(format!("unknown type \"{}\" in {w}", s.value), v.span())
                                .label("unknown type")
                                .hint(hint),
                        );
                        return None;
                    }
                }
            }
        };
        Some(Node::new(p, span))
    }

    fn captures(&mut self, what: &str, v: &Val) -> Option<Vec<Capture>> {
        let (entries, mut ok) = self.map_entries(&keys::CAPTURE, what, v)?;
        let mut out = Vec::new();
        for (name, val) in entries {
            let named = format!("capture `{}` in {what}", name.value);
            let query = match val.get_ref() {
                DeValue::String(_) => self.query(&name.value, what, val, Lang::JmesPath),
                DeValue::Table(t) => {
                    let f = self.open(t, &keys::CAPTURE_QUERY, named, val.span());
                    self.query_of(&f)
                }
                other => {
                    let found = type_name(other);
                    self.error(
                        Diagnostic::new(
                            format!("{named} must be a JMESPath string or {{ jq = \"...\" }}, not {found}"),
                            val.span(),
                        )
                        .label(format!("{found} here"))
                        .hint(format!(
                            "write `{0} = \"path.to.value\"` or `{0} = {{ jq = \".path\" }}`",
                            name.value
                        )),
                    );
                    None
                }
            };
            match query {
                Some(query) => out.push(Capture { name, query }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn env(&mut self, what: &str, v: &Val) -> Option<Vec<(Node<String>, Template)>> {
        self.templates(&keys::ENV, "env", what, v)
    }

    /// A map of names to templates (`env`, `headers`).
    fn templates(
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

    fn wait(&mut self, what: &str, v: &Val) -> Option<Wait> {
        let t = self.table("wait", what, v, &keys::WAIT)?;
        let f = self.open(t, &keys::WAIT, format!("`wait` of {what}"), v.span());
        let w = f.what.clone();
        let until = f.get("until").and_then(|v| self.checks("until", &w, v, 1));
        let fail_if = match f.get("fail-if") {
            Some(v) => self.checks("fail-if", &w, v, 0),
            None => Some(Vec::new()),
        };
        let interval = opt(f.get("interval").map(|v| self.duration("interval", &w, v, false)));
        let max_interval = opt(f
            .get("max-interval")
            .map(|v| self.duration("max-interval", &w, v, false)));
        let backoff = opt(f.get("backoff").map(|v| self.number("backoff", &w, v, 1.0)));
        Some(Wait {
            until: until?,
            fail_if: fail_if?,
            interval: interval?,
            max_interval: max_interval?,
            backoff: backoff?,
            span: extent(v),
        })
    }

    fn retry(&mut self, what: &str, v: &Val) -> Option<Retry> {
        let t = self.table("retry", what, v, &keys::RETRY)?;
        let f = self.open(t, &keys::RETRY, format!("`retry` of {what}"), v.span());
        let w = f.what.clone();
        let attempts = f.get("attempts").and_then(|v| {
            let n = self.integer("attempts", &w, v, 1)?;
            match u32::try_from(n.value) {
                Ok(a) => Some(Node::new(a, n.span)),
                Err(_) => {
                    self.error(
                        Diagnostic::new(format!("`attempts` in {w} is too large"), n.span)
                            .label("too large")
                            .hint("a few attempts are enough; use `wait` to poll for long"),
                    );
                    None
                }
            }
        });
        let delay = opt(f.get("delay").map(|v| self.duration("delay", &w, v, true)));
        Some(Retry {
            attempts: attempts?,
            delay: delay?,
            span: extent(v),
        })
    }
}

/// The span of the character at byte `offset` of `text`, the decoded value
/// of the TOML string written at `span`: exact when the string was written
/// verbatim, else the whole string.
pub fn point_in_string(text: &str, span: Span, source: &str, offset: Option<usize>) -> Span {
    match (offset, template::content_offset(text, &span, source)) {
        (Some(off), Some(base)) if off <= text.len() => {
            let len = text
                .get(off..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            base + off..base + off + len
        }
        _ => span,
    }
}

/// An optional key: absent is fine (`Some(None)`), present but invalid is `None`.
fn opt<T>(v: Option<Option<T>>) -> Option<Option<T>> {
    match v {
        None => Some(None),
        Some(None) => None,
        Some(Some(t)) => Some(Some(t)),
    }
}

fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::format::template::Part;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("t.toml"),
            text: Arc::from(text),
        }
    }

    fn ok(text: &str) -> Workflow {
        match parse(&file(text)) {
            Ok(w) => w,
            Err(d) => panic!("{d:#?}"),
        }
    }

    fn errs(text: &str) -> Vec<Diagnostic> {
        parse(&file(text)).expect_err("an error")
    }

    const HEAD: &str = "[workflow]\nname = \"t\"\n";

    #[test]
    fn a_full_workflow_builds_its_ast() {
        let src = format!(
            r#"{HEAD}title = "T"
[defaults]
timeout = "5m"
shell = ["bash", "-c"]
backoff = 2

[vars]
Z = "z"
A = {{ env = "A_ENV", default = "a" }}
N = 0x10
F = 1.5
B = true

[[steps]]
id = "one"
run = "echo"
timeout = "1h 30m"
expect = [ {{ jq = ".a", equals = {{ x = ["${{Z}}", 1] }} }}, {{ query = "b", one-of = [1, 2] }} ]
capture = {{ C = "a.b", D = {{ jq = ".d" }} }}
env = {{ E = "${{A}}/x" }}
wait = {{ until = [ {{ query = "s", type = "string" }} ], backoff = 1.5 }}
retry = {{ attempts = 3 }}
must-fail = true
skip = "later"
dir = "sub"

[[finally]]
id = "two"
run = "true"
"#
        );
        let w = ok(&src);
        assert_eq!(w.meta.name.value, "t");
        assert_eq!(w.meta.title.as_ref().map(|t| t.value.as_str()), Some("T"));
        assert_eq!(w.defaults.timeout.as_ref().map(|d| d.value.as_secs()), Some(300));
        assert_eq!(w.defaults.backoff.as_ref().map(|b| b.value), Some(2.0));
        let names: Vec<_> = w.vars.iter().map(|v| v.name.value.as_str()).collect();
        assert_eq!(names, ["Z", "A", "N", "F", "B"], "source order");
        let literal = |i: usize| match &w.vars[i].source {
            VarSource::Literal(l) => l.value.clone(),
            VarSource::Env { .. } => panic!(),
        };
        assert_eq!(
            (literal(2), literal(3), literal(4)),
            ("16".into(), "1.5".into(), "true".into())
        );
        assert!(
            matches!(&w.vars[1].source, VarSource::Env { env, default: Some(d) } if env.value == "A_ENV" && d.value == "a")
        );

        let step = &w.steps[0];
        assert_eq!(step.timeout.as_ref().map(|t| t.value.as_secs()), Some(5400));
        assert!(matches!(step.action.value, Action::Run(ref s) if s == "echo"));
        assert_eq!(&src[step.action.span.clone()], "run = \"echo\"");
        assert!(src[step.span.clone()].starts_with("[[steps]]"));
        assert!(src[step.span.clone()].ends_with("dir = \"sub\""));
        assert_eq!(step.expect.len(), 2);
        match &step.expect[0].predicate.value {
            Predicate::Equals(e) => {
                assert_eq!(e.value, serde_json::json!({"x": ["${Z}", 1]}));
                assert_eq!(e.vars.len(), 1);
                assert_eq!(&src[e.vars[0].span.clone()], "${Z}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(step.expect[0].query.value.lang(), Lang::Jq);
        assert_eq!(
            &src[step.expect[0].predicate.span.clone()],
            "equals = { x = [\"${Z}\", 1] }"
        );
        let captures: Vec<_> = step
            .capture
            .iter()
            .map(|c| (c.name.value.as_str(), c.query.value.lang()))
            .collect();
        assert_eq!(captures, [("C", Lang::JmesPath), ("D", Lang::Jq)]);
        assert_eq!(step.env.len(), 1);
        assert!(matches!(&step.env[0].1.parts[0], Part::Var(v) if v.value == "A"));
        let wait = step.wait.as_ref().unwrap();
        assert_eq!(wait.until.len(), 1);
        assert!(matches!(
            wait.until[0].predicate.value,
            Predicate::Type(JsonType::String)
        ));
        assert_eq!(step.retry.as_ref().map(|r| r.attempts.value), Some(3));
        assert_eq!(step.must_fail.as_ref().map(|m| m.value), Some(true));
        assert_eq!(w.finally.len(), 1);
        assert_eq!(w.finally[0].id.value, "two");
    }

    #[test]
    fn every_error_is_collected_in_order() {
        let src = format!(
            "{HEAD}bogus = 1\n[[steps]]\nid = \"a\"\nrun = 1\ntimeout = 5\n[[steps]]\nid = \"b\"\nrun = \"x\"\nretry = {{ attempts = 0 }}\n"
        );
        let d = errs(&src);
        assert_eq!(d.len(), 4, "{d:#?}");
        let texts: Vec<_> = d.iter().map(|d| &src[d.span.clone().unwrap()]).collect();
        assert_eq!(texts, ["bogus", "1", "5", "0"]);
    }

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
    fn a_duration_that_is_not_a_string_gets_a_hint() {
        let d = errs(&format!(
            "{HEAD}[defaults]\ntimeout = 30\n[[steps]]\nid = \"a\"\nrun = \"x\"\n"
        ));
        assert_eq!(d[0].hint.as_deref(), Some("write it as a string, e.g. \"30s\""));
    }

    #[test]
    fn syntax_errors_stop_before_the_schema() {
        let d = errs("[workflow]\nname = \nbogus = 1\n");
        assert!(d.iter().all(|d| !d.message.contains("bogus")), "{d:#?}");
        assert!(!d.is_empty());
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
    fn run_scripts_are_not_templates() {
        let w = ok(&format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"echo ${{X\"\n"));
        assert!(matches!(&w.steps[0].action.value, Action::Run(s) if s == "echo ${X"));
    }

    #[test]
    fn query_errors_point_into_verbatim_strings() {
        let src = r#"q = "a.b[""#;
        let span = 4..src.len();
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(3)), 8..9);
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(4)), 9..9);
        assert_eq!(point_in_string("a.b[", span.clone(), src, None), span);
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(99)), span);
        // With an escape, positions inside the string are unknown.
        let src = r#"q = "a\tb[""#;
        let span = 4..src.len();
        assert_eq!(point_in_string("a\tb[", span.clone(), src, Some(3)), span);
    }

    #[test]
    fn nesting_limit_ignores_brackets_in_strings_and_comments() {
        let deep = "[".repeat(MAX_NESTING + 1);
        assert!(nesting_check(&format!("x = \"{deep}\"\n")).is_none());
        assert!(nesting_check(&format!("x = '{deep}'\n")).is_none());
        assert!(nesting_check(&format!("x = \"\"\"\n{deep}\n\"\"\"\n")).is_none());
        assert!(nesting_check(&format!("# {deep}\n")).is_none());
        assert!(nesting_check(&format!("x = \"\\\"{deep}\"\n")).is_none());
        let d = nesting_check(&format!("x = {deep}")).unwrap();
        assert_eq!(d.span, Some(4 + MAX_NESTING..5 + MAX_NESTING));
        let ok = format!("x = {}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(nesting_check(&ok).is_none());
    }

    #[test]
    fn reserved_and_invalid_variable_names() {
        let d = errs(&format!(
            "{HEAD}[vars]\nREHEARSE_MODE = \"x\"\n[[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ REHEARSE_MODE = \"a\" }}\n"
        ));
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.message.contains("built-in")));
    }

    #[test]
    fn exists_false_suggests_absent() {
        let d = errs(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ query = \"a\", exists = false }} ]\n"
        ));
        assert_eq!(d[0].hint.as_deref(), Some("write `absent = true` instead"));
    }
}
