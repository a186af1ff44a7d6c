//! The AWS CLI's shorthand for structures and maps, read as
//! `awscli/shorthand.py` reads it, in two steps:
//!
//! 1. The syntax, which knows no types: `key=value` pairs separated by
//!    commas; a value is a word, a quoted string, a list written `a,b`
//!    (the words after a comma that are not followed by `=`) or `[a,b]`,
//!    or a structure `{key=value,…}`; `\,` is a comma inside a word. Every
//!    leaf is a string.
//! 2. The member's shape, as the CLI's `BackCompatVisitor` applies it:
//!    integers and booleans read from their strings, a lone value where a
//!    list belongs becomes a list of one (`namespaces=carts`), and each key
//!    must be a field of its structure.
//!
//! `key@=file://…` (a value read from a file) is left to the CLI.

use serde_json::{Map, Value};

use crate::action::arg::CommandError;
use crate::action::aws::input::closest_first;
use crate::action::aws::spec::{Field, Ty};

/// The shorthand text given to `--flag`, read as a value of shape `ty`: a
/// structure (`Ty::Struct`, or one item of a `Ty::StructList`) or a map.
pub fn read(flag: &str, ty: Ty, text: &str) -> Result<Value, CommandError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let parsed = parser.parameter().map_err(|e| e.for_flag(flag, text))?;
    let ty = match ty {
        Ty::StructList(fields) => Ty::Struct(fields),
        other => other,
    };
    typed(ty, Value::Object(parsed)).map_err(|e| e.for_flag(flag))
}

/// Why a text is not shorthand.
enum SyntaxError {
    /// `expected` was due at character `at` (from 0), `actual` was there.
    Expected {
        expected: char,
        actual: Option<char>,
        at: usize,
    },
    /// No word where one was due.
    NoWord { at: usize },
    /// A key given twice at the top level, most often a `,` meant as a space.
    Duplicate { key: String },
    /// `key@=`: a value read from a file.
    FileValue { key: String },
}

impl SyntaxError {
    fn for_flag(self, flag: &str, text: &str) -> CommandError {
        let grammar = "shorthand is key=value,key=value; a list is a,b or [a,b]; a structure is {key=value,…}; quote a value with ' or \"; or give JSON";
        let at = |i: usize| format!("at character {} of `{text}`", i + 1);
        match self {
            SyntaxError::Expected {
                expected,
                actual,
                at: i,
            } => {
                let actual = actual.map_or_else(|| "EOF".to_string(), String::from);
                CommandError::new(
                    format!(
                        "Error parsing parameter '--{flag}': Expected: '{expected}', received: '{actual}' {}",
                        at(i)
                    ),
                    grammar,
                )
            }
            SyntaxError::NoWord { at: i } => CommandError::new(
                format!("Error parsing parameter '--{flag}': expected a value {}", at(i)),
                grammar,
            ),
            SyntaxError::Duplicate { key } => CommandError::new(
                format!("Error parsing parameter '--{flag}': Second instance of key \"{key}\" in `{text}`"),
                "this is often because there is a \",\" instead of a space between two structures",
            ),
            SyntaxError::FileValue { key } => CommandError::not_native(
                format!("--{flag}: `{key}@=` (a value read from a file) is not read natively"),
                "write the value itself, or give the whole value as JSON (file:// works for the whole value)",
            ),
        }
    }
}

/// Whitespace as Python's `string.whitespace` has it.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The characters a word starts with (shorthand.py's `_START_WORD`): not
/// a quote, `,`, `=`, `[` or `{`, nor a space or control character. Python's
/// ranges stop at U+FFFF.
fn starts_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// The characters that go on with a first value (`_FIRST_FOLLOW_CHARS`):
/// spaces and `=` may, `,`, quotes, `]` and `}` end it.
fn follows_first(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// The characters that go on with a later value of a list (`_SECOND_FOLLOW_CHARS`):
/// `=` ends it, which is how `a=b,c,d=e` tells the list `b,c` from the key `d`.
fn follows_second(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// The characters of a key.
fn in_key(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

type Parsed<T> = Result<T, SyntaxError>;

impl Parser {
    fn current(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn at_end(&self) -> bool {
        self.at >= self.chars.len()
    }

    fn skip_blanks(&mut self) {
        while self.current().is_some_and(is_blank) {
            self.at += 1;
        }
    }

    fn expect(&mut self, expected: char, blanks: bool) -> Parsed<()> {
        if blanks {
            self.skip_blanks();
        }
        if self.current() != Some(expected) {
            return Err(SyntaxError::Expected {
                expected,
                actual: self.current(),
                at: self.at,
            });
        }
        self.at += 1;
        if blanks {
            self.skip_blanks();
        }
        Ok(())
    }

    /// parameter = keyval *("," keyval)
    fn parameter(&mut self) -> Parsed<Map<String, Value>> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        while !self.at_end() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                return Err(SyntaxError::Duplicate { key });
            }
            params.insert(key, value);
        }
        Ok(params)
    }

    /// keyval = key "=" [values]
    fn keyval(&mut self) -> Parsed<(String, Value)> {
        let key = self.key()?;
        Ok((key, self.values()?))
    }

    /// A key and its `=` (an `@=` is refused).
    fn key(&mut self) -> Parsed<String> {
        let start = self.at;
        while self.current().is_some_and(in_key) {
            self.at += 1;
        }
        let key: String = self.chars[start..self.at].iter().collect();
        self.skip_blanks();
        if self.current() == Some('@') {
            return Err(SyntaxError::FileValue { key });
        }
        self.expect('=', true)?;
        Ok(key)
    }

    /// values = csv-list / explicit-list / hash-literal (nothing: "")
    fn values(&mut self) -> Parsed<Value> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    /// `b` alone, or the list `b,c,…`: later words are the list's while no
    /// `=` follows them; at one that has, back up to its comma, which then
    /// separates the next key.
    fn csv_value(&mut self) -> Parsed<Value> {
        let first = self.first_value()?;
        self.skip_blanks();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            let next = self.second_value().and_then(|value| {
                self.skip_blanks();
                if self.at_end() {
                    return Ok((value, true));
                }
                self.expect(',', true)?;
                Ok((value, false))
            });
            match next {
                Ok((value, last)) => {
                    list.push(value);
                    if last {
                        break;
                    }
                }
                Err(e) if self.at_end() => return Err(e),
                Err(_) => {
                    self.back_to_comma();
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(list.swap_remove(0));
        }
        Ok(Value::Array(list))
    }

    fn back_to_comma(&mut self) {
        while self.at > 0 && self.chars.get(self.at) != Some(&',') {
            self.at -= 1;
        }
    }

    /// explicit-list = "[" [value *("," value)] "]"
    fn explicit_list(&mut self) -> Parsed<Value> {
        self.expect('[', true)?;
        let mut items = Vec::new();
        while self.current() != Some(']') {
            items.push(self.explicit_value()?);
            self.skip_blanks();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.skip_blanks();
            }
        }
        self.expect(']', false)?;
        Ok(Value::Array(items))
    }

    /// hash-literal = "{" keyval *("," keyval) "}"; a key given twice keeps
    /// its last value, as in the CLI.
    fn hash_literal(&mut self) -> Parsed<Value> {
        self.expect('{', true)?;
        let mut map = Map::new();
        while self.current() != Some('}') {
            let key = self.key()?;
            let value = self.explicit_value()?;
            self.skip_blanks();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.skip_blanks();
            }
            map.insert(key, value);
        }
        self.expect('}', false)?;
        Ok(Value::Object(map))
    }

    /// A value inside brackets or braces: a list, a structure or one word.
    fn explicit_value(&mut self) -> Parsed<Value> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    /// A quoted string or a word (possibly empty).
    fn first_value(&mut self) -> Parsed<Value> {
        if let Some(quoted) = self.quoted()? {
            return Ok(Value::String(quoted));
        }
        Ok(Value::String(self.word(follows_first).unwrap_or_default()))
    }

    /// A later value of a list: a quoted string or a word, which must be there.
    fn second_value(&mut self) -> Parsed<Value> {
        if let Some(quoted) = self.quoted()? {
            return Ok(Value::String(quoted));
        }
        self.word(follows_second)
            .map(Value::String)
            .ok_or(SyntaxError::NoWord { at: self.at })
    }

    /// A word: a first character, then the ones `follows` allows; `\,` is
    /// a comma in it, trailing blanks are dropped.
    fn word(&mut self, follows: fn(char) -> bool) -> Option<String> {
        let step = |at: usize, ok: fn(char) -> bool| match (self.chars.get(at), self.chars.get(at + 1)) {
            (Some('\\'), Some(',')) => Some(2),
            (Some(&c), _) if ok(c) => Some(1),
            _ => None,
        };
        let start = self.at;
        let mut end = start + step(start, starts_word)?;
        while let Some(n) = step(end, follows) {
            end += n;
        }
        self.at = end;
        let raw: String = self.chars[start..end].iter().collect();
        Some(raw.replace("\\,", ",").trim_end().to_string())
    }

    /// A string in single or double quotes, when one starts here: it ends
    /// at the last quote before the first one no backslash escapes, as the
    /// CLI's greedy pattern matches it; `\'` (or `\"`) and `\\` are read.
    fn quoted(&mut self) -> Parsed<Option<String>> {
        let Some(quote) = self.current().filter(|c| matches!(c, '\'' | '"')) else {
            return Ok(None);
        };
        let mut close = None;
        for i in self.at + 1..self.chars.len() {
            if self.chars[i] == quote {
                close = Some(i);
                if i == self.at + 1 || self.chars[i - 1] != '\\' {
                    break;
                }
            }
        }
        let Some(close) = close else {
            return Err(SyntaxError::NoWord { at: self.at });
        };
        let inner: String = self.chars[self.at + 1..close].iter().collect();
        self.at = close + 1;
        let escaped_quote = format!("\\{quote}");
        Ok(Some(
            inner
                .replace(&escaped_quote, &quote.to_string())
                .replace("\\\\", "\\"),
        ))
    }
}

/// Why a parsed value does not have its member's shape, and where in it.
struct ShapeError {
    path: String,
    message: String,
    hint: String,
}

impl ShapeError {
    fn for_flag(self, flag: &str) -> CommandError {
        let at = if self.path.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.path)
        };
        CommandError::new(format!("--{flag}{at}: {}", self.message), self.hint)
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The parsed value given the member's shape (step 2).
fn typed(ty: Ty, value: Value) -> Result<Value, ShapeError> {
    typed_at("", ty, value)
}

fn typed_at(path: &str, ty: Ty, value: Value) -> Result<Value, ShapeError> {
    let wrong = |what: &str, value: &Value| ShapeError {
        path: path.to_string(),
        message: format!("expected {what}, got {value}"),
        hint: "check the brackets and braces of the shorthand, or give JSON".to_string(),
    };
    match (ty, value) {
        (Ty::String, v @ Value::String(_)) => Ok(v),
        (Ty::Integer, Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| wrong("an integer", &Value::String(s))),
        (Ty::Boolean, Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false", &Value::String(s))),
        },
        (Ty::StringList, Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| typed_at(&format!("{path}[{i}]"), Ty::String, v))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        (Ty::StructList(fields), Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| typed_at(&format!("{path}[{i}]"), Ty::Struct(fields), v))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        // A lone value where a list belongs is a list of one.
        (Ty::StringList | Ty::StructList(_), lone) => typed_at(path, ty, Value::Array(vec![lone])),
        (Ty::StringMap, Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| Ok((k.clone(), typed_at(&child(path, &k), Ty::String, v)?)))
            .collect::<Result<_, _>>()
            .map(Value::Object),
        (Ty::Struct(fields), Value::Object(map)) => structure(path, fields, map),
        (Ty::String, v) => Err(wrong("a string", &v)),
        (Ty::Integer, v) => Err(wrong("an integer", &v)),
        (Ty::Boolean, v) => Err(wrong("true or false", &v)),
        (Ty::StringMap | Ty::Struct(_), v) => Err(wrong("a structure {key=value,…}", &v)),
    }
}

fn structure(path: &str, fields: &[Field], map: Map<String, Value>) -> Result<Value, ShapeError> {
    let mut out = Map::new();
    for (key, value) in map {
        let Some(field) = fields.iter().find(|f| f.name == key) else {
            return Err(ShapeError {
                path: path.to_string(),
                message: format!("unknown key `{key}`"),
                hint: format!(
                    "keys, closest first: {}",
                    closest_first(&key, fields.iter().map(|f| f.name))
                ),
            });
        };
        let value = typed_at(&child(path, &key), field.ty, value)?;
        out.insert(key, value);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::action::aws::spec::field;

    /// The syntax alone (step 1), as the CLI's ShorthandParser gives it.
    fn syntax(text: &str) -> Value {
        let mut p = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        match p.parameter() {
            Ok(map) => Value::Object(map),
            Err(e) => panic!("{text}: {}", e.for_flag("x", text)),
        }
    }

    fn syntax_error(text: &str) -> CommandError {
        let mut p = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        match p.parameter() {
            Ok(map) => panic!("{text}: read as {map:?}"),
            Err(e) => e.for_flag("x", text),
        }
    }

    /// Cases of the CLI's own shorthand tests (tests/unit/test_shorthand.py).
    #[test]
    fn the_syntax_reads_as_the_clis() {
        assert_eq!(syntax("foo=bar"), json!({"foo": "bar"}));
        assert_eq!(syntax("foo=bar,baz=qux"), json!({"foo": "bar", "baz": "qux"}));
        assert_eq!(syntax("a=b,c"), json!({"a": ["b", "c"]}));
        assert_eq!(syntax("a=b,c,d=e,f"), json!({"a": ["b", "c"], "d": ["e", "f"]}));
        assert_eq!(syntax("a="), json!({"a": ""}));
        assert_eq!(syntax("a=[]"), json!({"a": []}));
        assert_eq!(syntax("a=[b, c]"), json!({"a": ["b", "c"]}));
        assert_eq!(syntax("a=[[b, c], [d]]"), json!({"a": [["b", "c"], ["d"]]}));
        assert_eq!(
            syntax("a={b=c,d=[e,f]}"),
            json!({"a": {"b": "c", "d": ["e", "f"]}})
        );
        assert_eq!(syntax("a = b , c = d"), json!({"a": "b", "c": "d"}));
        assert_eq!(syntax("a=b c"), json!({"a": "b c"}));
        assert_eq!(syntax("a=b\\,c"), json!({"a": "b,c"}));
        assert_eq!(syntax("a='b,c',d=\"e=f\""), json!({"a": "b,c", "d": "e=f"}));
        assert_eq!(syntax("a='it\\'s'"), json!({"a": "it's"}));
        assert_eq!(syntax("a=b=c"), json!({"a": "b=c"}));
        assert_eq!(syntax("a=http://x/y?z=1"), json!({"a": "http://x/y?z=1"}));
        assert_eq!(syntax("arn:aws:x=y"), json!({"arn:aws:x": "y"}));
    }

    /// The EKS Workshop's lines.
    #[test]
    fn the_workshops_lines() {
        assert_eq!(
            syntax("type=namespace,namespaces=carts"),
            json!({"type": "namespace", "namespaces": "carts"})
        );
        assert_eq!(
            syntax("type=namespace,namespaces=carts,ui"),
            json!({"type": "namespace", "namespaces": ["carts", "ui"]})
        );
        assert_eq!(
            syntax("addOrUpdateTaints=[{key=frontend, value=true, effect=NO_EXECUTE}]"),
            json!({"addOrUpdateTaints": [{"key": "frontend", "value": "true", "effect": "NO_EXECUTE"}]})
        );
        assert_eq!(
            syntax("addOrUpdateLabels={status=new-node}"),
            json!({"addOrUpdateLabels": {"status": "new-node"}})
        );
    }

    #[test]
    fn syntax_errors_say_what_was_expected_where() {
        let e = syntax_error("type");
        assert_eq!(
            e.message,
            "Error parsing parameter '--x': Expected: '=', received: 'EOF' at character 5 of `type`"
        );
        assert!(!e.is_not_native());
        assert!(
            syntax_error("a=[b,c")
                .message
                .contains("Expected: ',', received: 'EOF'")
        );
        assert!(syntax_error("a={b=c").message.contains("received: 'EOF'"));
        assert!(
            syntax_error("a=b,")
                .message
                .contains("expected a value at character 5")
        );
        assert!(
            syntax_error("a=b,a=c")
                .message
                .contains("Second instance of key \"a\"")
        );
        assert!(syntax_error("a@=file://x").is_not_native());
        assert!(syntax_error("a='b").message.contains("expected a value"));
    }

    const SCOPE: Ty = Ty::Struct(&[field("type", Ty::String), field("namespaces", Ty::StringList)]);
    const TAINT: Ty = Ty::StructList(&[
        field("key", Ty::String),
        field("value", Ty::String),
        field("effect", Ty::String),
    ]);
    const TAINTS: Ty = Ty::Struct(&[field("addOrUpdateTaints", TAINT), field("removeTaints", TAINT)]);

    #[test]
    fn the_shape_makes_lists_numbers_and_booleans() {
        assert_eq!(
            read("access-scope", SCOPE, "type=namespace,namespaces=carts").unwrap(),
            json!({"type": "namespace", "namespaces": ["carts"]})
        );
        assert_eq!(
            read("taints", TAINTS, "addOrUpdateTaints={key=k,effect=NO_SCHEDULE}").unwrap(),
            json!({"addOrUpdateTaints": [{"key": "k", "effect": "NO_SCHEDULE"}]})
        );
        const SIZED: Ty = Ty::Struct(&[field("minSize", Ty::Integer), field("on", Ty::Boolean)]);
        assert_eq!(
            read("s", SIZED, "minSize= 3,on=True").unwrap(),
            json!({"minSize": 3, "on": true})
        );
        // One item of a list of structures.
        assert_eq!(
            read("taints", TAINT, "key=k2,value=v,effect=NO_EXECUTE").unwrap(),
            json!({"key": "k2", "value": "v", "effect": "NO_EXECUTE"})
        );
        assert_eq!(
            read("tags", Ty::StringMap, "team=carts,env=dev").unwrap(),
            json!({"team": "carts", "env": "dev"})
        );
    }

    #[test]
    fn the_shape_refuses_what_does_not_fit() {
        let e = read("access-scope", SCOPE, "type=namespace,namespace=carts").unwrap_err();
        assert_eq!(e.message, "--access-scope: unknown key `namespace`");
        assert!(e.hint.starts_with("keys, closest first: namespaces"), "{e}");
        let e = read("access-scope", SCOPE, "type=[a,b]").unwrap_err();
        assert_eq!(
            e.message,
            "--access-scope (type): expected a string, got [\"a\",\"b\"]"
        );
        let e = read("taints", TAINTS, "addOrUpdateTaints=[{key=k,colour=red}]").unwrap_err();
        assert_eq!(e.message, "--taints (addOrUpdateTaints[0]): unknown key `colour`");
        const SIZED: Ty = Ty::Struct(&[field("minSize", Ty::Integer)]);
        assert!(
            read("s", SIZED, "minSize=x")
                .unwrap_err()
                .message
                .contains("an integer")
        );
        assert!(
            read("tags", Ty::StringMap, "team=a,b")
                .unwrap_err()
                .message
                .contains("(team): expected a string")
        );
    }
}
