//! The parsed expression: a tree of nodes, each knowing how deep it goes so
//! that the parser can refuse a tree deeper than the interpreter may
//! recurse (see `MAX_DEPTH` in `parser`).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub node: Node,
    /// Nodes on the longest path from this one down to a leaf, itself included.
    depth: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `@`, and the implicit "the value itself" of `[*]` or `a.*`.
    Identity,
    Field(String),
    /// A backtick or raw string literal.
    Literal(Value),
    /// `lhs.rhs`: `rhs` reads what `lhs` gave.
    Subexpr(Box<Expr>, Box<Expr>),
    /// `lhs | rhs`: the same as `Subexpr`, but it stops a projection.
    Pipe(Box<Expr>, Box<Expr>),
    /// `lhs[0]` or `lhs[1:2]`: `rhs` is an `Index` or a `Slice`.
    IndexExpr(Box<Expr>, Box<Expr>),
    Index(i64),
    Slice(Slice),
    /// `lhs[*].rhs` (and slices, flattens): `rhs` over each element of the
    /// array `lhs` gives, nulls dropped.
    Projection(Box<Expr>, Box<Expr>),
    /// `lhs.*.rhs`: the same over the values of an object.
    ValueProjection(Box<Expr>, Box<Expr>),
    /// `lhs[?cond].rhs`: the same over the elements for which `cond` is true.
    FilterProjection {
        lhs: Box<Expr>,
        cond: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `lhs[]`: arrays inside the array merged into it, one level.
    Flatten(Box<Expr>),
    Compare(Comparator, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    MultiList(Vec<Expr>),
    /// `{key: expr, ...}`, in the order written.
    MultiHash(Vec<(String, Expr)>),
    Function(String, Vec<Expr>),
    /// `&expr`: handed unevaluated to a function (`sort_by`, `map`...).
    Expref(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// `[start:stop:step]`, each part optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub start: Option<i64>,
    pub stop: Option<i64>,
    pub step: Option<i64>,
}

impl Expr {
    pub fn new(node: Node) -> Expr {
        let mut deepest = 0;
        node.each_child(|c| deepest = deepest.max(c.depth));
        Expr {
            node,
            depth: deepest + 1,
        }
    }

    pub fn depth(&self) -> u32 {
        self.depth
    }

    pub fn is_identity(&self) -> bool {
        self.node == Node::Identity
    }
}

impl Node {
    /// Calls `f` on each direct child, in the order they are written.
    fn each_child<'e>(&'e self, mut f: impl FnMut(&'e Expr)) {
        match self {
            Node::Subexpr(a, b)
            | Node::Pipe(a, b)
            | Node::IndexExpr(a, b)
            | Node::Projection(a, b)
            | Node::ValueProjection(a, b)
            | Node::Compare(_, a, b)
            | Node::And(a, b)
            | Node::Or(a, b) => {
                f(a);
                f(b);
            }
            Node::FilterProjection { lhs, cond, rhs } => {
                f(lhs);
                f(cond);
                f(rhs);
            }
            Node::Flatten(a) | Node::Not(a) | Node::Expref(a) => f(a),
            Node::MultiList(items) | Node::Function(_, items) => items.iter().for_each(f),
            Node::MultiHash(pairs) => pairs.iter().for_each(|(_, e)| f(e)),
            Node::Identity | Node::Field(_) | Node::Literal(_) | Node::Index(_) | Node::Slice(_) => {}
        }
    }
}

/// The distinct top-level fields `expr` reads from its root input, in the
/// order they appear (a `when` condition names the variables it needs).
pub fn root_fields(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, true, &mut out);
    out
}

/// `at_root` says whether `expr` is evaluated against the root input, as
/// opposed to a value derived from it: the right side of a sub-expression,
/// pipe or projection, a filter's condition, or the body of an `&expr`.
fn walk(expr: &Expr, at_root: bool, out: &mut Vec<String>) {
    match &expr.node {
        Node::Field(name) => {
            if at_root && !out.contains(name) {
                out.push(name.clone());
            }
        }
        // `a.b`, `a | b`: `b` reads what `a` produced, unless `a` is `@`.
        Node::Subexpr(lhs, rhs) | Node::Pipe(lhs, rhs) | Node::IndexExpr(lhs, rhs) => {
            walk(lhs, at_root, out);
            walk(rhs, at_root && lhs.is_identity(), out);
        }
        // The right side and the condition run once per element.
        Node::Projection(lhs, rhs) | Node::ValueProjection(lhs, rhs) => {
            walk(lhs, at_root, out);
            walk(rhs, false, out);
        }
        Node::FilterProjection { lhs, cond, rhs } => {
            walk(lhs, at_root, out);
            walk(cond, false, out);
            walk(rhs, false, out);
        }
        Node::Expref(body) => walk(body, false, out),
        _ => expr.node.each_child(|child| walk(child, at_root, out)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Expr> {
        Box::new(Expr::new(Node::Field(name.into())))
    }

    #[test]
    fn depth_counts_the_longest_path() {
        assert_eq!(field("a").depth(), 1);
        let sub = Expr::new(Node::Subexpr(field("a"), field("b")));
        assert_eq!(sub.depth(), 2);
        let not = Expr::new(Node::Not(Box::new(sub)));
        let list = Expr::new(Node::MultiList(vec![*field("x"), not]));
        assert_eq!(list.depth(), 4);
        let hash = Expr::new(Node::MultiHash(vec![("k".into(), list)]));
        assert_eq!(hash.depth(), 5);
    }
}
