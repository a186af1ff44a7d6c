//! A template's text → its nodes. Positions in errors are character
//! offsets into the template, counted from 1.

use std::fmt;

use serde_json::Value;

use super::{Filter, Node, Op, Slice, Step};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// The character (from 1) where the problem is.
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.message, self.column)
    }
}

type Result<T> = std::result::Result<T, ParseError>;

fn err<T>(message: impl Into<String>, at: usize) -> Result<T> {
    Err(ParseError {
        message: message.into(),
        column: at + 1,
    })
}

/// What an action is, before ranges are nested.
enum Flat {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>),
    End(usize),
}

pub fn template(source: &str) -> Result<Vec<Node>> {
    let chars: Vec<char> = source.chars().collect();
    let mut flat = Vec::new();
    let mut i = 0;
    let mut text = String::new();
    while i < chars.len() {
        if chars[i] != '{' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        if !text.is_empty() {
            flat.push(Flat::Text(std::mem::take(&mut text)));
        }
        let start = i;
        let mut p = Cursor {
            chars: &chars,
            pos: i + 1,
        };
        p.skip_spaces();
        let keyword = p.peek_word();
        let kind = match keyword.as_str() {
            "range" => {
                p.pos += 5;
                Some(true)
            }
            "end" => {
                p.pos += 3;
                Some(false)
            }
            _ => None,
        };
        let steps = p.steps(&['}'])?;
        if p.peek() != Some('}') {
            return err("unclosed action", start);
        }
        i = p.pos + 1;
        flat.push(match kind {
            Some(true) => Flat::Range(steps),
            Some(false) if steps.is_empty() => Flat::End(start),
            Some(false) => return err("`end` takes nothing after it", start),
            None => Flat::Path(steps),
        });
    }
    if !text.is_empty() {
        flat.push(Flat::Text(text));
    }
    let mut it = flat.into_iter();
    let (nodes, end) = nest(&mut it)?;
    if let Some(at) = end {
        return err("`end` without `range`", at);
    }
    Ok(nodes)
}

/// Nodes up to an `end` (whose position is returned) or the template's end.
fn nest(it: &mut std::vec::IntoIter<Flat>) -> Result<(Vec<Node>, Option<usize>)> {
    let mut nodes = Vec::new();
    while let Some(f) = it.next() {
        match f {
            Flat::Text(t) => nodes.push(Node::Text(Value::String(t))),
            Flat::Path(steps) => nodes.push(Node::Path(steps)),
            Flat::Range(steps) => {
                let (body, end) = nest(it)?;
                let unclosed = end.is_none().then(|| body.clone());
                nodes.push(Node::Range(steps, body));
                // kubectl takes a `range` without `end` to the template's
                // end, then runs what followed it once more on the outer
                // value (tutorials write `{range .items[*]}…{"\n"}` so).
                nodes.extend(unclosed.into_iter().flatten());
            }
            Flat::End(at) => return Ok((nodes, Some(at))),
        }
    }
    Ok((nodes, None))
}

struct Cursor<'a> {
    chars: &'a [char],
    pos: usize,
}

fn is_terminator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
        }
    }

    /// The letters and digits from here.
    fn peek_word(&self) -> String {
        self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect()
    }

    /// Steps until one of `stops` (not consumed) or the end of the input.
    fn steps(&mut self, stops: &[char]) -> Result<Vec<Step>> {
        let mut steps = Vec::new();
        loop {
            let Some(c) = self.peek() else { return Ok(steps) };
            if stops.contains(&c) {
                return Ok(steps);
            }
            match c {
                ' ' | '\t' | '@' | '$' => self.pos += 1,
                '.' => {
                    self.pos += 1;
                    if self.peek() == Some('.') {
                        steps.push(Step::Recursive);
                        self.pos += 1;
                    }
                    steps.push(self.field());
                }
                '[' if self.chars[self.pos..].starts_with(&['[', '?', '(']) => {
                    steps.push(self.filter()?);
                }
                '[' => steps.extend(self.bracket()?),
                '"' | '\'' => steps.push(Step::Literal(Value::String(self.quoted(c)?))),
                c if c == '+' || c == '-' || c.is_ascii_digit() => steps.push(self.number()?),
                c if c.is_alphanumeric() => {
                    let word = self.peek_word();
                    match word.as_str() {
                        "true" | "false" => steps.push(Step::Literal(Value::Bool(word == "true"))),
                        _ => return err(format!("unrecognized identifier {word}"), self.pos),
                    }
                    self.pos += word.chars().count();
                }
                '\n' | '\r' => return err("unclosed action", self.pos),
                other => return err(format!("unrecognized character in action: {other:?}"), self.pos),
            }
        }
    }

    /// A field's name after its dot; `\` escapes the next character.
    fn field(&mut self) -> Step {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.pos += 1;
                if let Some(n) = self.peek() {
                    name.push(n);
                    self.pos += 1;
                }
                continue;
            }
            if is_terminator(c) {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        if name == "*" {
            Step::Wildcard
        } else {
            Step::Field(name)
        }
    }

    fn quoted(&mut self, quote: char) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => return err("unterminated quoted string", start),
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return err("unterminated quoted string", start);
                    };
                    self.pos += 1;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        other => other,
                    });
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn number(&mut self) -> Result<Step> {
        let start = self.pos;
        let mut text = String::new();
        while let Some(c) = self.peek().filter(|c| !is_terminator(*c) || *c == '.') {
            text.push(c);
            self.pos += 1;
        }
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Step::Literal(Value::from(n)));
        }
        match text.parse::<f64>() {
            Ok(f) => Ok(Step::Literal(Value::from(f))),
            Err(_) => err(format!("cannot parse number {text}"), start),
        }
    }

    /// `[…]` without a filter: a union, a quoted key, an index or a slice.
    fn bracket(&mut self) -> Result<Vec<Step>> {
        let start = self.pos;
        let Some(len) = self.chars[start..].iter().position(|c| *c == ']') else {
            return err("unterminated array", start);
        };
        let inner: String = self.chars[start + 1..start + len].iter().collect();
        self.pos = start + len + 1;
        let inner = if inner == "*" { ":".to_string() } else { inner };
        if inner.contains(',') {
            let mut paths = Vec::new();
            for part in inner.split(',') {
                let sub: Vec<char> = format!("[{}]", part.trim()).chars().collect();
                let mut c = Cursor { chars: &sub, pos: 0 };
                paths.push(c.steps(&[]).map_err(|e| ParseError {
                    message: e.message,
                    column: start + 1,
                })?);
            }
            return Ok(vec![Step::Union(paths)]);
        }
        if let Some(key) = inner
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .filter(|k| !k.contains('\''))
        {
            // As kubectl does: the key is read as a dotted path.
            let sub: Vec<char> = format!(".{key}").chars().collect();
            let mut c = Cursor { chars: &sub, pos: 0 };
            return c.steps(&[]);
        }
        slice(&inner).map(|s| vec![Step::Slice(s)]).ok_or(ParseError {
            message: format!("invalid array index {inner}"),
            column: start + 1,
        })
    }

    /// `[?(LEFT OP RIGHT)]` or `[?(PATH)]`.
    fn filter(&mut self) -> Result<Step> {
        let start = self.pos;
        self.pos += 3;
        let body_start = self.pos;
        let mut quote: Option<char> = None;
        loop {
            match self.peek() {
                None | Some('\n') => return err("unterminated filter", start),
                Some(c @ ('"' | '\'')) => match quote {
                    None => quote = Some(c),
                    Some(q) if q == c && self.chars[self.pos - 1] != '\\' => quote = None,
                    _ => {}
                },
                Some(')') if quote.is_none() => break,
                _ => {}
            }
            self.pos += 1;
        }
        let body: String = self.chars[body_start..self.pos].iter().collect();
        self.pos += 1;
        if self.peek() != Some(']') {
            return err("unclosed filter: expected ]", self.pos);
        }
        self.pos += 1;
        let sub_steps = |text: &str| -> Result<Vec<Step>> {
            let sub: Vec<char> = text.chars().collect();
            let mut c = Cursor { chars: &sub, pos: 0 };
            c.steps(&[]).map_err(|e| ParseError {
                message: e.message,
                column: start + 1,
            })
        };
        // The operator is the first run of `!<>=` outside quotes.
        let chars: Vec<char> = body.chars().collect();
        let op_at = chars.iter().position(|c| "!<>=".contains(*c));
        let Some(op_start) = op_at else {
            return Ok(Step::Filter(Box::new(Filter {
                left: sub_steps(&body)?,
                op: None,
            })));
        };
        let op_len = chars[op_start..]
            .iter()
            .take_while(|c| "!<>=".contains(**c))
            .count();
        let op_text: String = chars[op_start..op_start + op_len].iter().collect();
        let op = match op_text.as_str() {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            ">" => Op::Gt,
            "<=" => Op::Le,
            ">=" => Op::Ge,
            other => return err(format!("unrecognized filter operator {other}"), start),
        };
        let left: String = chars[..op_start].iter().collect();
        let right: String = chars[op_start + op_len..].iter().collect();
        Ok(Step::Filter(Box::new(Filter {
            left: sub_steps(&left)?,
            op: Some((op, sub_steps(&right)?)),
        })))
    }
}

/// `N`, `a:b`, `a:b:c`, `:`, `-1:`.
fn slice(text: &str) -> Option<Slice> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    let num = |s: &str| -> Option<Option<i64>> {
        if s.is_empty() {
            return Some(None);
        }
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().map(Some)
    };
    let start = num(parts[0])?;
    if parts.len() == 1 {
        let n = start?;
        return Some(Slice {
            start: Some(n),
            end: Some(n + 1),
            derived: true,
            step: None,
        });
    }
    Some(Slice {
        start,
        end: num(parts[1])?,
        derived: false,
        step: match parts.get(2) {
            Some(s) => num(s)?,
            None => None,
        },
    })
}
