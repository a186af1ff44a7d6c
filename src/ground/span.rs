//! Where a value was written: byte spans into a workflow's source text.

/// Byte offsets into the workflow's source text.
pub type Span = std::ops::Range<usize>;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Node<T> {
    pub fn new(value: T, span: Span) -> Self {
        Node { value, span }
    }
}
