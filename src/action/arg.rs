//! Values of a typed command, before and after their placeholders are
//! filled in.
//!
//! A command is parsed once, at validation. A value written literally is
//! read into its type then (`--replicas 3` is the number 3), so that a bad
//! value is an error with its position before anything runs. A value that
//! holds a placeholder (`--replicas ${N}`) keeps its words and the function
//! that reads them; the engine fills the words in and reads the value with
//! that same function, once per attempt. The words never change: a value
//! can never add, remove or split one.
//!
//! Commands are generic in their [`Stage`]: `Parsed` commands hold
//! [`Arg`]s, `Filled` commands hold plain values, so a backend can only
//! ever be handed a command whose every value is known.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::action::words::Word;
use crate::ground::span::Span;

/// Why a command or one of its values is not what rehearse can run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    pub message: String,
    pub hint: String,
    /// The word at fault, when known.
    pub span: Option<Span>,
    pub refusal: Refusal,
}

/// Whether a refused line is wrong, or right but beyond what rehearse runs
/// natively: the real tool may well run it (a verb, flag, service or
/// operation rehearse does not know), so the step runs through the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong whatever runs it: a missing value, a bad number, a verb from a variable.
    Invalid,
    /// Not run natively; the real `aws` or `kubectl` decides.
    NotNative,
}

impl CommandError {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> CommandError {
        CommandError {
            message: message.into(),
            hint: hint.into(),
            span: None,
            refusal: Refusal::Invalid,
        }
    }

    /// A line rehearse does not run natively, which the CLI may run.
    pub fn not_native(message: impl Into<String>, hint: impl Into<String>) -> CommandError {
        CommandError {
            refusal: Refusal::NotNative,
            ..CommandError::new(message, hint)
        }
    }

    pub fn is_not_native(&self) -> bool {
        self.refusal == Refusal::NotNative
    }

    /// Points at `span` unless the error already points somewhere.
    pub fn at(mut self, span: &Span) -> CommandError {
        self.span.get_or_insert_with(|| span.clone());
        self
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for CommandError {}

/// What reading a value may need besides its text.
pub struct Context<'a> {
    /// The workflow's folder: relative file paths resolve against it.
    pub dir: &'a Path,
}

/// What filling in a command needs: the variables' values, and the context
/// its values are read in.
pub struct Filler<'a> {
    pub value: &'a dyn Fn(&str) -> Option<String>,
    pub context: Context<'a>,
}

impl Filler<'_> {
    /// A word with its placeholders filled in.
    pub fn word(&self, word: &Word) -> Result<String, CommandError> {
        word.fill(self.value)
            .map_err(|m| CommandError::new(m, "").at(&word.span))
    }
}

/// Reads a value from the text of its words.
pub type Read<T> = Arc<dyn Fn(&[String], &Context<'_>) -> Result<T, CommandError> + Send + Sync>;

/// A value of a parsed command.
#[derive(Clone)]
pub enum Arg<T> {
    /// Written literally: read at validation.
    Known(T),
    /// Holds placeholders, or needs the run's context (a file to read):
    /// read when the command is filled in.
    Later { words: Vec<Word>, read: Read<T> },
}

impl<T: fmt::Debug> fmt::Debug for Arg<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Known(v) => f.debug_tuple("Known").field(v).finish(),
            Arg::Later { words, .. } => {
                let text: Vec<String> = words.iter().map(Word::source).collect();
                f.debug_tuple("Later").field(&text).finish()
            }
        }
    }
}

/// Two values are equal when they are known and equal, or when they wait
/// for the same words (the reader is fixed by where the value was written).
impl<T: PartialEq> PartialEq for Arg<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Arg::Known(a), Arg::Known(b)) => a == b,
            (Arg::Later { words: a, .. }, Arg::Later { words: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl<T> Arg<T> {
    /// The value of `words`: read now when they are literal, else later.
    pub fn of(
        words: &[Word],
        read: impl Fn(&[String], &Context<'_>) -> Result<T, CommandError> + Send + Sync + 'static,
        defer: bool,
    ) -> Result<Arg<T>, CommandError> {
        let texts: Option<Vec<String>> = words.iter().map(Word::text).collect();
        match texts {
            Some(texts) if !defer => {
                let context = Context { dir: Path::new(".") };
                read(&texts, &context)
                    .map(Arg::Known)
                    .map_err(|e| match words.first() {
                        Some(w) => e.at(&span_of(words, &w.span)),
                        None => e,
                    })
            }
            _ => Ok(Arg::Later {
                words: words.to_vec(),
                read: Arc::new(read),
            }),
        }
    }

    /// The value of one word.
    pub fn one(
        word: &Word,
        read: impl Fn(&str) -> Result<T, CommandError> + Send + Sync + 'static,
    ) -> Result<Arg<T>, CommandError> {
        Arg::of(std::slice::from_ref(word), move |texts, _| read(&texts[0]), false)
    }

    /// The value, its placeholders filled in.
    pub fn fill(&self, filler: &Filler<'_>) -> Result<T, CommandError>
    where
        T: Clone,
    {
        match self {
            Arg::Known(v) => Ok(v.clone()),
            Arg::Later { words, read } => {
                let texts = words
                    .iter()
                    .map(|w| filler.word(w))
                    .collect::<Result<Vec<_>, _>>()?;
                read(&texts, &filler.context).map_err(|e| match words.first() {
                    Some(w) => e.at(&span_of(words, &w.span)),
                    None => e,
                })
            }
        }
    }
}

/// An [`Arg`] holding any text at all.
pub fn text(word: &Word) -> Arg<String> {
    match word.text() {
        Some(t) => Arg::Known(t),
        None => Arg::Later {
            words: vec![word.clone()],
            read: Arc::new(|texts: &[String], _: &Context<'_>| Ok(texts[0].clone())),
        },
    }
}

/// From the first word's start to the last word's end.
fn span_of(words: &[Word], first: &Span) -> Span {
    match words.last() {
        Some(last) if last.span.end >= first.start => first.start..last.span.end,
        _ => first.clone(),
    }
}

/// Where a command is in its life: parsed (values may wait for their
/// placeholders) or filled in (every value known).
pub trait Stage: Clone + fmt::Debug + PartialEq + Send + Sync + 'static {
    type Val<T: Clone + fmt::Debug + PartialEq + Send + Sync + 'static>: Clone
        + fmt::Debug
        + PartialEq
        + Send
        + Sync;
}

/// Validated, as written: values are [`Arg`]s.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed;

/// Ready to run: every value known.
#[derive(Clone, Debug, PartialEq)]
pub struct Filled;

impl Stage for Parsed {
    type Val<T: Clone + fmt::Debug + PartialEq + Send + Sync + 'static> = Arg<T>;
}

impl Stage for Filled {
    type Val<T: Clone + fmt::Debug + PartialEq + Send + Sync + 'static> = T;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::span::Node;
    use crate::template::Part;

    fn lit(t: &str) -> Word {
        Word::literal(t, 0..t.len())
    }

    fn var(name: &str) -> Word {
        Word {
            parts: vec![Part::Var(Node::new(name.into(), 0..name.len() + 1))],
            span: 0..name.len() + 1,
        }
    }

    fn number(t: &str) -> Result<u32, CommandError> {
        t.parse()
            .map_err(|_| CommandError::new(format!("`{t}` is not a number"), ""))
    }

    #[test]
    fn literal_values_are_read_at_once_and_placeholders_when_filled() {
        assert_eq!(Arg::one(&lit("3"), number).unwrap(), Arg::Known(3));
        let e = Arg::one(&lit("x"), number).unwrap_err();
        assert_eq!(e.span, Some(0..1));
        let later = Arg::one(&var("N"), number).unwrap();
        assert!(matches!(later, Arg::Later { .. }));
        let values = |n: &str| (n == "N").then(|| "7".to_string());
        let filler = Filler {
            value: &values,
            context: Context { dir: Path::new(".") },
        };
        assert_eq!(later.fill(&filler).unwrap(), 7);
        let bad = |_: &str| Some("seven".to_string());
        let filler = Filler {
            value: &bad,
            context: Context { dir: Path::new(".") },
        };
        assert!(later.fill(&filler).unwrap_err().message.contains("seven"));
    }
}
