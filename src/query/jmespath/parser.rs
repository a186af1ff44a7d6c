//! Tokens into a tree: a Pratt parser ("top down operator precedence")
//! with the binding powers of the specification (`Tok::binding_power`).
//!
//! Each token has a "nud", how it starts an expression, and may have a
//! "led", how it continues the expression on its left. The grammar accepted
//! is Python's `jmespath`'s, quirks included, because `aws --query` runs
//! that one: a function's arguments and a hash's pairs may miss their comma
//! (`length(a b)` has two arguments), `!a.b` is `(!a).b`, and a slice right
//! after an index (`a[0][1:]`) does not project.
//!
//! Unlike Python's, it refuses a call of an unknown function or with the
//! wrong number of arguments: such an expression can only fail, and the
//! validator shows where.
//!
//! Recursion is bounded: an expression nested deeper than `MAX_DEPTH` (by
//! brackets, operators or a chain such as `a.a.a...`) is refused here, and
//! the parser and the interpreter grow their stack as they recurse
//! (`with_stack`), so neither can run out of it.

use super::SyntaxError;
use super::ast::{Comparator, Expr, Node, Slice};
use super::functions;
use super::interpreter::RuntimeError;
use super::lexer::{Tok, Token, tokenize};

/// Far beyond any real query (a chain of a hundred projections needs 101),
/// and a bound on the work and memory one expression can ask for.
pub const MAX_DEPTH: u32 = 256;

/// A projection's right side continues only with tokens that bind at least
/// this strongly; `|`, `||`, `&&`, comparisons and `[]` end it.
const PROJECTION_STOP: u8 = 10;

pub fn parse(source: &str) -> Result<Expr, SyntaxError> {
    let mut parser = Parser {
        tokens: tokenize(source)?,
        index: 0,
        nesting: 0,
    };
    let expr = parser.expression(0)?;
    match parser.current() {
        Tok::Eof => Ok(expr),
        _ => Err(parser.unexpected()),
    }
}

struct Parser {
    tokens: Vec<Token>,
    /// The current token (the tokens end with `Eof`, which is never passed).
    index: usize,
    /// Calls of `expression` under way.
    nesting: u32,
}

impl Parser {
    fn current(&self) -> &Tok {
        &self.tokens[self.index].tok
    }

    fn peek(&self, ahead: usize) -> &Tok {
        self.tokens.get(self.index + ahead).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens[self.index].start
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.index].clone();
        if token.tok != Tok::Eof {
            self.index += 1;
        }
        token
    }

    /// Consumes `expected` or fails.
    fn expect(&mut self, expected: Tok) -> Result<(), SyntaxError> {
        if *self.current() == expected {
            self.advance();
            Ok(())
        } else {
            Err(self.error(format!(
                "Expected '{}', found {}",
                expected.describe().trim_matches('`'),
                self.current().describe()
            )))
        }
    }

    fn error(&self, message: String) -> SyntaxError {
        SyntaxError::new(message, self.offset())
    }

    /// The current token cannot come here.
    fn unexpected(&self) -> SyntaxError {
        self.error(format!("Unexpected token, found {}", self.current().describe()))
    }

    /// Every node is built here, so that none is deeper than `MAX_DEPTH`.
    fn build(&self, node: Node) -> Result<Expr, SyntaxError> {
        let expr = Expr::new(node);
        if expr.depth() > MAX_DEPTH {
            return Err(self.too_deep());
        }
        Ok(expr)
    }

    fn too_deep(&self) -> SyntaxError {
        self.error(format!(
            "The expression is nested too deeply (more than {MAX_DEPTH} levels)"
        ))
    }

    /// An expression whose operators bind more strongly than `rbp`.
    fn expression(&mut self, rbp: u8) -> Result<Expr, SyntaxError> {
        if self.nesting >= MAX_DEPTH {
            return Err(self.too_deep());
        }
        self.nesting += 1;
        let result = super::with_stack(|| self.expression_within(rbp));
        self.nesting -= 1;
        result
    }

    fn expression_within(&mut self, rbp: u8) -> Result<Expr, SyntaxError> {
        let token = self.advance();
        let mut left = self.nud(token)?;
        while rbp < self.current().binding_power() {
            let token = self.advance();
            left = self.led(token, left)?;
        }
        Ok(left)
    }

    /// How `token` starts an expression.
    fn nud(&mut self, token: Token) -> Result<Expr, SyntaxError> {
        match token.tok {
            Tok::Literal(value) => self.build(Node::Literal(value)),
            Tok::Identifier(name) => self.build(Node::Field(name)),
            Tok::QuotedIdentifier(name) => {
                if *self.current() == Tok::Lparen {
                    return Err(SyntaxError::new(
                        "A quoted identifier cannot name a function",
                        token.start,
                    ));
                }
                self.build(Node::Field(name))
            }
            Tok::Current => self.build(Node::Identity),
            // `*.b`: the values of the current object.
            Tok::Star => {
                let rhs = if *self.current() == Tok::Rbracket {
                    self.build(Node::Identity)?
                } else {
                    self.projection_rhs(Tok::Star.binding_power())?
                };
                self.value_projection(self.build(Node::Identity)?, rhs)
            }
            Tok::Filter => self.filter(self.build(Node::Identity)?),
            Tok::Lbrace => self.multi_select_hash(),
            Tok::Lparen => {
                let inner = self.expression(0)?;
                self.expect(Tok::Rparen)?;
                Ok(inner)
            }
            Tok::Flatten => self.flatten(self.build(Node::Identity)?),
            Tok::Not => {
                let operand = self.expression(Tok::Not.binding_power())?;
                self.build(Node::Not(Box::new(operand)))
            }
            Tok::Lbracket => match self.current() {
                Tok::Number(_) | Tok::Colon => {
                    let index = self.index_or_slice()?;
                    self.project_if_slice(self.build(Node::Identity)?, index)
                }
                Tok::Star if *self.peek(1) == Tok::Rbracket => {
                    self.advance();
                    self.advance();
                    self.projection(self.build(Node::Identity)?)
                }
                _ => self.multi_select_list(),
            },
            Tok::Expref => {
                let body = self.expression(0)?;
                self.build(Node::Expref(Box::new(body)))
            }
            _ => {
                // Point at the token that cannot start an expression.
                self.index -= usize::from(token.tok != Tok::Eof);
                Err(self.unexpected())
            }
        }
    }

    /// How `token` continues the expression `left`.
    fn led(&mut self, token: Token, left: Expr) -> Result<Expr, SyntaxError> {
        match &token.tok {
            Tok::Dot if *self.current() == Tok::Star => {
                self.advance();
                let rhs = self.projection_rhs(Tok::Dot.binding_power())?;
                self.value_projection(left, rhs)
            }
            Tok::Dot => {
                let rhs = self.dot_rhs(Tok::Dot.binding_power())?;
                self.build(Node::Subexpr(Box::new(left), Box::new(rhs)))
            }
            Tok::Pipe => self.binary(left, &token.tok, Node::Pipe),
            Tok::Or => self.binary(left, &token.tok, Node::Or),
            Tok::And => self.binary(left, &token.tok, Node::And),
            Tok::Lparen => self.function(left, token.start),
            Tok::Filter => self.filter(left),
            Tok::Flatten => self.flatten(left),
            Tok::Lbracket => match self.current() {
                Tok::Number(_) | Tok::Colon => {
                    let index = self.index_or_slice()?;
                    // Python's parser appends to an index expression
                    // without projecting, even for a slice.
                    if matches!(left.node, Node::IndexExpr(..)) {
                        self.build(Node::IndexExpr(Box::new(left), Box::new(index)))
                    } else {
                        self.project_if_slice(left, index)
                    }
                }
                _ => {
                    self.expect(Tok::Star)?;
                    self.expect(Tok::Rbracket)?;
                    self.projection(left)
                }
            },
            Tok::Eq => self.comparison(left, Comparator::Eq),
            Tok::Ne => self.comparison(left, Comparator::Ne),
            Tok::Lt => self.comparison(left, Comparator::Lt),
            Tok::Lte => self.comparison(left, Comparator::Lte),
            Tok::Gt => self.comparison(left, Comparator::Gt),
            Tok::Gte => self.comparison(left, Comparator::Gte),
            // `*`, `!` and `{` bind but cannot follow an expression.
            _ => {
                self.index -= 1;
                Err(self.unexpected())
            }
        }
    }

    /// `left op right`, where `right` binds more strongly than `op`.
    fn binary(
        &mut self,
        left: Expr,
        op: &Tok,
        make: fn(Box<Expr>, Box<Expr>) -> Node,
    ) -> Result<Expr, SyntaxError> {
        let right = self.expression(op.binding_power())?;
        self.build(make(Box::new(left), Box::new(right)))
    }

    fn comparison(&mut self, left: Expr, op: Comparator) -> Result<Expr, SyntaxError> {
        // All comparators bind alike; `Eq` stands for them.
        let right = self.expression(Tok::Eq.binding_power())?;
        self.build(Node::Compare(op, Box::new(left), Box::new(right)))
    }

    /// `name(args)`, the `(` read: `left` must be a plain identifier, and
    /// name a function that takes that many arguments.
    fn function(&mut self, left: Expr, paren: usize) -> Result<Expr, SyntaxError> {
        // The token before the `(`: the name.
        let name_at = self.tokens[..self.index - 1].last().map_or(paren, |t| t.start);
        let Node::Field(name) = left.node else {
            return Err(SyntaxError::new(
                "Only a name can be called as a function",
                name_at,
            ));
        };
        let mut args = Vec::new();
        while *self.current() != Tok::Rparen {
            let arg = self.expression(0)?;
            if *self.current() == Tok::Comma {
                self.advance();
            }
            args.push(arg);
        }
        self.expect(Tok::Rparen)?;
        if let Err(e) = functions::check_call(&name, args.len()) {
            let message = match (&e, functions::closest(&name)) {
                (RuntimeError::UnknownFunction(_), Some(near)) => format!("{e}: did you mean {near}()?"),
                _ => e.to_string(),
            };
            return Err(SyntaxError::new(message, name_at));
        }
        self.build(Node::Function(name, args))
    }

    /// `[?cond]`, the `[?` read, and what follows it.
    fn filter(&mut self, lhs: Expr) -> Result<Expr, SyntaxError> {
        let cond = self.expression(0)?;
        self.expect(Tok::Rbracket)?;
        let rhs = if *self.current() == Tok::Flatten {
            self.build(Node::Identity)?
        } else {
            self.projection_rhs(Tok::Filter.binding_power())?
        };
        self.build(Node::FilterProjection {
            lhs: Box::new(lhs),
            cond: Box::new(cond),
            rhs: Box::new(rhs),
        })
    }

    /// `lhs[]` and what follows it.
    fn flatten(&mut self, lhs: Expr) -> Result<Expr, SyntaxError> {
        let flat = self.build(Node::Flatten(Box::new(lhs)))?;
        let rhs = self.projection_rhs(Tok::Flatten.binding_power())?;
        self.build(Node::Projection(Box::new(flat), Box::new(rhs)))
    }

    /// `lhs[*]` and what follows it.
    fn projection(&mut self, lhs: Expr) -> Result<Expr, SyntaxError> {
        let rhs = self.projection_rhs(Tok::Star.binding_power())?;
        self.build(Node::Projection(Box::new(lhs), Box::new(rhs)))
    }

    fn value_projection(&self, lhs: Expr, rhs: Expr) -> Result<Expr, SyntaxError> {
        self.build(Node::ValueProjection(Box::new(lhs), Box::new(rhs)))
    }

    /// A slice projects what follows it; an index does not.
    fn project_if_slice(&mut self, lhs: Expr, index: Expr) -> Result<Expr, SyntaxError> {
        let is_slice = matches!(index.node, Node::Slice(_));
        let indexed = self.build(Node::IndexExpr(Box::new(lhs), Box::new(index)))?;
        if is_slice {
            self.projection(indexed)
        } else {
            Ok(indexed)
        }
    }

    /// What a projection applies to each element: nothing (the element
    /// itself) when the next token ends the projection.
    fn projection_rhs(&mut self, rbp: u8) -> Result<Expr, SyntaxError> {
        match self.current() {
            t if t.binding_power() < PROJECTION_STOP => self.build(Node::Identity),
            Tok::Lbracket | Tok::Filter => self.expression(rbp),
            Tok::Dot => {
                self.advance();
                self.dot_rhs(rbp)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// What may follow a `.`: a name, `*`, a multi-select list or hash (a
    /// function call is a name followed by `(`).
    fn dot_rhs(&mut self, rbp: u8) -> Result<Expr, SyntaxError> {
        match self.current() {
            Tok::Identifier(_) | Tok::QuotedIdentifier(_) | Tok::Star => self.expression(rbp),
            Tok::Lbracket => {
                self.advance();
                self.multi_select_list()
            }
            Tok::Lbrace => {
                self.advance();
                self.multi_select_hash()
            }
            other => Err(self.error(format!(
                "Expected a name, `*`, `[` or `{{` after `.`, found {}",
                other.describe()
            ))),
        }
    }

    /// `[0]` or `[start:stop:step]`, the `[` read.
    fn index_or_slice(&mut self) -> Result<Expr, SyntaxError> {
        if *self.current() == Tok::Colon || *self.peek(1) == Tok::Colon {
            return self.slice();
        }
        let Tok::Number(n) = *self.current() else {
            return Err(self.unexpected());
        };
        self.advance();
        self.expect(Tok::Rbracket)?;
        self.build(Node::Index(n))
    }

    fn slice(&mut self) -> Result<Expr, SyntaxError> {
        let mut parts = [None; 3];
        let mut part = 0;
        while *self.current() != Tok::Rbracket {
            match *self.current() {
                Tok::Colon if part < 2 => part += 1,
                // As in Python, a second number in a part replaces the first.
                Tok::Number(n) => parts[part] = Some(n),
                _ => return Err(self.unexpected()),
            }
            self.advance();
        }
        self.expect(Tok::Rbracket)?;
        let [start, stop, step] = parts;
        self.build(Node::Slice(Slice { start, stop, step }))
    }

    /// `[a, b]`, the `[` read.
    fn multi_select_list(&mut self) -> Result<Expr, SyntaxError> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if *self.current() == Tok::Rbracket {
                break;
            }
            self.expect(Tok::Comma)?;
        }
        self.expect(Tok::Rbracket)?;
        self.build(Node::MultiList(items))
    }

    /// `{k: a, l: b}`, the `{` read.
    fn multi_select_hash(&mut self) -> Result<Expr, SyntaxError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.current() {
                Tok::Identifier(k) | Tok::QuotedIdentifier(k) => k.clone(),
                other => {
                    return Err(self.error(format!("Expected a key name, found {}", other.describe())));
                }
            };
            self.advance();
            self.expect(Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.current() {
                Tok::Comma => {
                    self.advance();
                }
                Tok::Rbrace => {
                    self.advance();
                    break;
                }
                _ => {}
            }
        }
        self.build(Node::MultiHash(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(source: &str) -> Node {
        parse(source).unwrap().node
    }

    fn boxed(node: Node) -> Box<Expr> {
        Box::new(Expr::new(node))
    }

    fn field(name: &str) -> Box<Expr> {
        boxed(Node::Field(name.into()))
    }

    fn err(source: &str) -> SyntaxError {
        parse(source).unwrap_err()
    }

    #[test]
    fn dots_chain_to_the_left() {
        assert_eq!(
            node("a.b.c"),
            Node::Subexpr(boxed(Node::Subexpr(field("a"), field("b"))), field("c"))
        );
    }

    #[test]
    fn binding_powers_order_the_operators() {
        // `||` binds less than `&&`, which binds less than `==`.
        assert_eq!(
            node("a || b && c == d"),
            Node::Or(
                field("a"),
                boxed(Node::And(
                    field("b"),
                    boxed(Node::Compare(Comparator::Eq, field("c"), field("d")))
                ))
            )
        );
        // `|` binds least of all.
        assert!(matches!(node("a || b | c"), Node::Pipe(..)));
        // `!` binds more than `.`, as in Python: `!a.b` is `(!a).b`.
        assert_eq!(
            node("!a.b"),
            Node::Subexpr(boxed(Node::Not(field("a"))), field("b"))
        );
    }

    #[test]
    fn projections_take_what_follows_until_a_stop() {
        // `a[*].b | c`: the pipe ends the projection.
        assert_eq!(
            node("a[*].b | c"),
            Node::Pipe(boxed(Node::Projection(field("a"), field("b"))), field("c"))
        );
        assert_eq!(
            node("a.*"),
            Node::ValueProjection(field("a"), boxed(Node::Identity))
        );
        let flatten = Node::Projection(boxed(Node::Flatten(field("a"))), field("b"));
        assert_eq!(node("a[].b"), flatten);
        assert!(matches!(node("a[?x > `1`].y"), Node::FilterProjection { .. }));
    }

    #[test]
    fn slices_project_and_indexes_do_not() {
        assert_eq!(node("a[0]"), Node::IndexExpr(field("a"), boxed(Node::Index(0))));
        let slice = Slice {
            start: None,
            stop: Some(2),
            step: Some(-1),
        };
        assert_eq!(
            node("a[:2:-1].b"),
            Node::Projection(
                boxed(Node::IndexExpr(field("a"), boxed(Node::Slice(slice)))),
                field("b")
            )
        );
        // After an index, a slice does not project (Python's parser).
        assert!(matches!(node("a[0][1:]"), Node::IndexExpr(..)));
    }

    #[test]
    fn multi_selects_keep_their_order() {
        let Node::MultiHash(pairs) = node("{z: a, \"y y\": b, a: `1`}") else {
            panic!("a hash")
        };
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "y y", "a"]);
        assert!(matches!(node("[a, b.c]"), Node::MultiList(items) if items.len() == 2));
        assert!(matches!(node("a.[b, c]"), Node::Subexpr(..)));
    }

    #[test]
    fn functions_and_exprefs() {
        assert_eq!(
            node("sort_by(items, &a.b)"),
            Node::Function(
                "sort_by".into(),
                vec![
                    *field("items"),
                    Expr::new(Node::Expref(boxed(Node::Subexpr(field("a"), field("b")))))
                ]
            )
        );
        // Python's parser does not need the comma (and allows a last one).
        assert!(matches!(node("not_null(a b)"), Node::Function(_, args) if args.len() == 2));
        assert!(matches!(node("length(a,)"), Node::Function(_, args) if args.len() == 1));
        assert_eq!(node("`1`"), Node::Literal(json!(1)));
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        let e = err("a b");
        assert_eq!((e.offset, e.message.as_str()), (2, "Unexpected token, found `b`"));
        let e = err("items[?x == 'y'");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (15, "Expected ']', found the end of the expression")
        );
        let e = err("foo.]");
        assert_eq!(e.offset, 4);
        assert!(e.message.ends_with("found `]`"), "{e:?}");
        let e = err("addon.status ==");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (15, "Unexpected token, found the end of the expression")
        );
        assert_eq!(err("a.\"b\"(c)").offset, 2);
        assert_eq!(err("@(a)").offset, 0);
        assert_eq!(err("[1 2]").offset, 3);
        assert_eq!(err("a[::1:]").offset, 5);
        assert_eq!(err("{a: b, 1: c}").offset, 7);
        assert_eq!(err("a *").offset, 2);
        assert_eq!(err("[a,]").offset, 3);
        assert_eq!(err("1").offset, 0);
    }

    #[test]
    fn calls_are_checked_against_the_functions() {
        let e = err("items | lenght(@)");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (8, "unknown function: lenght(): did you mean length()?")
        );
        assert_eq!(err("frobnicate(@)").message, "unknown function: frobnicate()");
        let e = err("a.sort_by(b)");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (2, "invalid arity: sort_by() takes 2 arguments, got 1")
        );
        assert_eq!(
            err("merge()").message,
            "invalid arity: merge() takes at least 1 argument, got 0"
        );
        assert!(parse("merge(a, b, c)").is_ok());
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
        let deep = [
            "!".repeat(5000) + "a",
            vec!["a"; 5000].join("."),
            "(".repeat(5000) + "a" + &")".repeat(5000),
            "[".repeat(5000) + "a" + &"]".repeat(5000),
            "{a:".repeat(5000) + "b" + &"}".repeat(5000),
            "f(".repeat(5000) + &")".repeat(5000),
            vec!["a"; 5000].join(" || "),
            vec!["a"; 5000].join(" | "),
            "a".to_string() + &"[0]".repeat(5000),
            "a".to_string() + &"[*]".repeat(5000),
            "& ".repeat(5000) + "a",
        ];
        for source in deep {
            let e = err(&source);
            assert!(
                e.message.contains("nested too deeply"),
                "{}: {e:?}",
                &source[..20]
            );
        }
        // Up to the limit, it parses.
        assert_eq!(
            parse(&vec!["a"; MAX_DEPTH as usize].join(".")).unwrap().depth(),
            MAX_DEPTH
        );
    }
}
