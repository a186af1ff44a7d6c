//! Expression text into tokens, each with the byte range it was written at.
//!
//! The rules are those of Python's `jmespath` (what `aws --query` runs),
//! including where it is more lenient than the specification: a backtick
//! literal that is not valid JSON is read as a string (the deprecated form
//! the AWS documentation still uses), and a backslash in a raw string keeps
//! itself unless it escapes a quote.

use std::borrow::Cow;

use serde_json::Value;

use super::SyntaxError;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Dot,
    Star,
    Comma,
    Colon,
    /// `@`
    Current,
    Lparen,
    Rparen,
    Lbrace,
    Rbrace,
    Lbracket,
    Rbracket,
    /// `[]`, written without a space between the brackets.
    Flatten,
    /// `[?`
    Filter,
    Pipe,
    Or,
    And,
    /// `&`, before an expression handed to a function.
    Expref,
    Not,
    Lt,
    Lte,
    Gt,
    Gte,
    Eq,
    Ne,
    Identifier(String),
    QuotedIdentifier(String),
    /// A backtick literal or a raw string literal.
    Literal(Value),
    /// Only integers: indexes and slice bounds.
    Number(i64),
    Eof,
}

impl Tok {
    /// How strongly the token binds the expression on its left (the Pratt
    /// parser's "left binding power"); 0 ends any expression.
    pub fn binding_power(&self) -> u8 {
        match self {
            Tok::Pipe => 1,
            Tok::Or => 2,
            Tok::And => 3,
            Tok::Lt | Tok::Lte | Tok::Gt | Tok::Gte | Tok::Eq | Tok::Ne => 5,
            Tok::Flatten => 9,
            Tok::Star => 20,
            Tok::Filter => 21,
            Tok::Dot => 40,
            Tok::Not => 45,
            Tok::Lbrace => 50,
            Tok::Lbracket => 55,
            Tok::Lparen => 60,
            _ => 0,
        }
    }

    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        let text = match self {
            Tok::Dot => ".",
            Tok::Star => "*",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::Current => "@",
            Tok::Lparen => "(",
            Tok::Rparen => ")",
            Tok::Lbrace => "{",
            Tok::Rbrace => "}",
            Tok::Lbracket => "[",
            Tok::Rbracket => "]",
            Tok::Flatten => "[]",
            Tok::Filter => "[?",
            Tok::Pipe => "|",
            Tok::Or => "||",
            Tok::And => "&&",
            Tok::Expref => "&",
            Tok::Not => "!",
            Tok::Lt => "<",
            Tok::Lte => "<=",
            Tok::Gt => ">",
            Tok::Gte => ">=",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Identifier(name) => return format!("`{name}`"),
            Tok::QuotedIdentifier(name) => return format!("`\"{name}\"`"),
            Tok::Literal(_) => "a literal",
            Tok::Number(n) => return format!("`{n}`"),
            Tok::Eof => return "the end of the expression".to_string(),
        };
        format!("`{text}`")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// Byte offset of the token's first character.
    pub start: usize,
}

/// The whole expression as tokens, ending with `Eof` (the parser looks two
/// tokens ahead, so it reads from a list rather than a stream).
pub fn tokenize(source: &str) -> Result<Vec<Token>, SyntaxError> {
    if source.is_empty() {
        return Err(SyntaxError::new("The expression is empty", 0));
    }
    let mut lexer = Lexer { source, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    tokens.push(Token {
        tok: Tok::Eof,
        start: source.len(),
    });
    Ok(tokens)
}

struct Lexer<'s> {
    source: &'s str,
    /// Byte offset of the next character.
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.source[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Consumes `second` if it comes next.
    fn eat(&mut self, second: char) -> bool {
        if self.peek() == Some(second) {
            self.pos += second.len_utf8();
            true
        } else {
            false
        }
    }

    fn next_token(&mut self) -> Result<Option<Token>, SyntaxError> {
        while self.peek().is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(None);
        };
        let tok = match c {
            '.' => Tok::Dot,
            '*' => Tok::Star,
            ',' => Tok::Comma,
            ':' => Tok::Colon,
            '@' => Tok::Current,
            '(' => Tok::Lparen,
            ')' => Tok::Rparen,
            '{' => Tok::Lbrace,
            '}' => Tok::Rbrace,
            ']' => Tok::Rbracket,
            '[' if self.eat(']') => Tok::Flatten,
            '[' if self.eat('?') => Tok::Filter,
            '[' => Tok::Lbracket,
            '|' if self.eat('|') => Tok::Or,
            '|' => Tok::Pipe,
            '&' if self.eat('&') => Tok::And,
            '&' => Tok::Expref,
            '<' if self.eat('=') => Tok::Lte,
            '<' => Tok::Lt,
            '>' if self.eat('=') => Tok::Gte,
            '>' => Tok::Gt,
            '!' if self.eat('=') => Tok::Ne,
            '!' => Tok::Not,
            '=' if self.eat('=') => Tok::Eq,
            '=' => {
                return Err(SyntaxError::new(
                    "`=` is not an operator: compare with `==`",
                    start,
                ));
            }
            'a'..='z' | 'A'..='Z' | '_' => Tok::Identifier(self.identifier(start)),
            '0'..='9' | '-' => self.number(start)?,
            '"' => self.quoted_identifier(start)?,
            '\'' => self.raw_string(start)?,
            '`' => self.literal(start)?,
            other => return Err(SyntaxError::new(format!("Unknown character `{other}`"), start)),
        };
        Ok(Some(Token { tok, start }))
    }

    fn identifier(&mut self, start: usize) -> String {
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        self.source[start..self.pos].to_string()
    }

    /// An integer, possibly negative. Beyond what an i64 holds it saturates:
    /// as an index or a slice bound, that reads as Python's big integers do.
    fn number(&mut self, start: usize) -> Result<Tok, SyntaxError> {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text = &self.source[start..self.pos];
        if text == "-" {
            return Err(SyntaxError::new("`-` must be followed by digits", start));
        }
        let value = text
            .parse::<i64>()
            .unwrap_or(if text.starts_with('-') { i64::MIN } else { i64::MAX });
        Ok(Tok::Number(value))
    }

    /// The text up to the closing `delimiter`, the opening one already read.
    /// A backslash and the character after it are kept as written (so an
    /// escaped delimiter does not close); each kind of token decodes its
    /// own escapes from that.
    fn delimited(&mut self, delimiter: char, start: usize) -> Result<&str, SyntaxError> {
        let content_start = self.pos;
        let unclosed = || {
            let what = match delimiter {
                '`' => "backtick",
                '\'' => "single quote",
                _ => "double quote",
            };
            SyntaxError::new(format!("The {what} opened here is never closed"), start)
        };
        loop {
            match self.bump() {
                None => return Err(unclosed()),
                Some(c) if c == delimiter => return Ok(&self.source[content_start..self.pos - 1]),
                Some('\\') => {
                    if self.bump().is_none() {
                        return Err(unclosed());
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// `"name"`: the content is a JSON string.
    fn quoted_identifier(&mut self, start: usize) -> Result<Tok, SyntaxError> {
        let content = self.delimited('"', start)?;
        serde_json::from_str::<String>(&format!("\"{content}\""))
            .map(Tok::QuotedIdentifier)
            .map_err(|e| SyntaxError::new(format!("Invalid quoted identifier: {}", json_reason(&e)), start))
    }

    /// `'text'`: a string taken as written, except that `\'` is a quote.
    fn raw_string(&mut self, start: usize) -> Result<Tok, SyntaxError> {
        let content = self.delimited('\'', start)?;
        Ok(Tok::Literal(Value::String(content.replace("\\'", "'"))))
    }

    /// `` `json` ``: a JSON value, with `` \` `` for a backtick. Content
    /// that is not JSON is the deprecated string form (`` `Deny` ``), read
    /// as the JSON string it would be between double quotes, leading
    /// whitespace removed.
    fn literal(&mut self, start: usize) -> Result<Tok, SyntaxError> {
        let content = self.delimited('`', start)?.replace("\\`", "`");
        if let Ok(value) = serde_json::from_str::<Value>(&integer_zeros(&content)) {
            return Ok(Tok::Literal(value));
        }
        let legacy = format!("\"{}\"", content.trim_start_matches(is_python_space));
        serde_json::from_str::<String>(&legacy)
            .map(|s| Tok::Literal(Value::String(s)))
            .map_err(|e| SyntaxError::new(format!("Invalid JSON literal: {}", json_reason(&e)), start))
    }
}

/// JSON text with each integer `-0` written `0`: Python reads it as the
/// integer 0, serde_json as the float -0.0.
fn integer_zeros(text: &str) -> Cow<'_, str> {
    if !text.contains("-0") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '-' && text[i + 1..].starts_with('0') {
            let after = text[i + 2..].chars().next();
            if !after.is_some_and(|a| a.is_ascii_digit() || matches!(a, '.' | 'e' | 'E')) {
                continue;
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// The whitespace Python's `str.lstrip()` removes: Unicode's, and the four
/// ASCII separators (0x1C to 0x1F) Python also counts.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// serde_json's message without its "at line 1 column N" (the diagnostic
/// points at the token instead).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn toks(source: &str) -> Vec<Tok> {
        tokenize(source).unwrap().into_iter().map(|t| t.tok).collect()
    }

    fn err(source: &str) -> SyntaxError {
        tokenize(source).unwrap_err()
    }

    #[test]
    fn operators_take_their_longest_form() {
        use Tok::*;
        assert_eq!(
            toks("a || b && !c != d <= e >= f < g > h == i | &j"),
            [
                Identifier("a".into()),
                Or,
                Identifier("b".into()),
                And,
                Not,
                Identifier("c".into()),
                Ne,
                Identifier("d".into()),
                Lte,
                Identifier("e".into()),
                Gte,
                Identifier("f".into()),
                Lt,
                Identifier("g".into()),
                Gt,
                Identifier("h".into()),
                Eq,
                Identifier("i".into()),
                Pipe,
                Expref,
                Identifier("j".into()),
                Eof
            ]
        );
    }

    #[test]
    fn brackets_fuse_only_when_adjacent() {
        use Tok::*;
        assert_eq!(toks("a[]"), [Identifier("a".into()), Flatten, Eof]);
        assert_eq!(toks("a[ ]"), [Identifier("a".into()), Lbracket, Rbracket, Eof]);
        assert_eq!(toks("[?x]")[0], Filter);
        assert_eq!(
            toks("[-1:2]"),
            [Lbracket, Number(-1), Colon, Number(2), Rbracket, Eof]
        );
    }

    #[test]
    fn offsets_are_bytes() {
        let tokens = tokenize("'é' | b").unwrap();
        assert_eq!(tokens.iter().map(|t| t.start).collect::<Vec<_>>(), [0, 5, 7, 8]);
    }

    #[test]
    fn literals_are_json_or_legacy_strings() {
        assert_eq!(toks("`[1, {\"a\": 2}]`")[0], Tok::Literal(json!([1, {"a": 2}])));
        assert_eq!(toks("`Deny`")[0], Tok::Literal(json!("Deny")));
        // Leading whitespace goes, trailing stays, JSON escapes are read.
        assert_eq!(toks("`  foo bar `")[0], Tok::Literal(json!("foo bar ")));
        assert_eq!(toks(r"`a\nb`")[0], Tok::Literal(json!("a\nb")));
        assert_eq!(toks(r"`\``")[0], Tok::Literal(json!("`")));
        assert_eq!(toks("` 7 `")[0], Tok::Literal(json!(7)));
        // `-0` is Python's integer 0; `-0.0` stays a float.
        assert_eq!(toks("`-0`")[0], Tok::Literal(json!(0)));
        assert_eq!(toks("`[-01]`")[0], Tok::Literal(json!("[-01]")));
        let Tok::Literal(v) = &toks(r#"`[-0, -0.0, -0e1, "-0"]`"#)[0] else {
            panic!("a literal")
        };
        assert_eq!(v.to_string(), r#"[0,-0.0,-0.0,"-0"]"#);
        assert!(err(r#"`a"b`"#).message.starts_with("Invalid JSON literal"));
    }

    #[test]
    fn raw_strings_keep_backslashes_except_before_a_quote() {
        assert_eq!(toks(r"'a\'b'")[0], Tok::Literal(json!("a'b")));
        assert_eq!(toks(r"'a\\b'")[0], Tok::Literal(json!(r"a\\b")));
        assert_eq!(toks(r"'a\nb'")[0], Tok::Literal(json!(r"a\nb")));
    }

    #[test]
    fn quoted_identifiers_are_json_strings() {
        assert_eq!(toks(r#""a\"b""#)[0], Tok::QuotedIdentifier("a\"b".into()));
        assert_eq!(toks(r#""\u00e9""#)[0], Tok::QuotedIdentifier("é".into()));
        assert!(err(r#""\x""#).message.starts_with("Invalid quoted identifier"));
    }

    #[test]
    fn numbers_saturate() {
        assert_eq!(toks("[99999999999999999999]")[1], Tok::Number(i64::MAX));
        assert_eq!(toks("[-007]")[1], Tok::Number(-7));
    }

    #[test]
    fn errors_point_at_the_offending_character() {
        assert_eq!(err("a = b").offset, 2);
        assert_eq!(err("a - b").offset, 2);
        assert_eq!(err("a.é").offset, 2);
        assert_eq!(err("a.'open").offset, 2);
        assert_eq!(err("`open\\`").offset, 0);
        assert_eq!(
            err("a == `open").message,
            "The backtick opened here is never closed"
        );
        assert_eq!(
            err("'open").message,
            "The single quote opened here is never closed"
        );
        assert_eq!(err("").offset, 0);
    }
}
