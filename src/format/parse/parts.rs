//! A workflow read in parts: its head (every table but the steps), then its
//! steps a few at a time, each part parsed, read into the AST and dropped
//! before the next.
//!
//! Why: the `toml` crate lexes a whole document into tokens and events and
//! builds its spanned tree before it returns, about 32 bytes for each byte
//! of input. A 1 MiB workflow parsed at once held 32 MB. In parts, the
//! largest tree alive is the head's or one batch's.
//!
//! A batch is a slice of the file; the head is the file without the steps'
//! bodies. Each part's tree has its spans moved to where its bytes are in
//! the file before it is read, so every message points into the file. (A
//! copy of the file with the other parts blanked would keep the offsets
//! without moving anything, but the `toml` lexer sizes its tokens by the
//! length of its input: 7 MB for a 1 MiB file, each time.)
//!
//! The split is only tried on the plain shape, `[[steps]]` and `[[finally]]`
//! headers with their own `[steps.…]` sub-tables. Anything else (a quoted
//! header, `steps = [...]` inline, a sub-table away from its step, a TOML
//! syntax error in a part) and the caller parses the whole file at once,
//! exactly as before: the parts give the same workflow and the same
//! diagnostics, or they are not used.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A batch of consecutive steps is parsed together up to about this many
/// bytes: small enough that its tree is a fraction of the file, large
/// enough that a file of thousands of steps is not thousands of parses.
const BATCH_BYTES: usize = 16 * 1024;

/// The two arrays of steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    Steps,
    Finally,
}

impl Section {
    pub(super) fn key(self) -> &'static str {
        match self {
            Section::Steps => "steps",
            Section::Finally => "finally",
        }
    }

    fn named(key: &str) -> Option<Section> {
        match key {
            "steps" => Some(Section::Steps),
            "finally" => Some(Section::Finally),
            _ => None,
        }
    }
}

/// One `[[steps]]` or `[[finally]]` element: from the start of its header's
/// line to the start of the next header that is not one of its sub-tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Element {
    pub(super) section: Section,
    /// The element's bytes.
    pub(super) range: Range<usize>,
    /// Where its header's closing brackets end: the head keeps the header.
    pub(super) header_end: usize,
}

/// The elements of `text`, in order, or `None` when the file is not of the
/// plain shape (see the module's documentation) or has no steps to split.
pub(super) fn elements(text: &str) -> Option<Vec<Element>> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let b = text.as_bytes();
    let mut out: Vec<Element> = Vec::new();
    // The element being read, if the last header opened or continued one.
    let mut open: Option<Element> = None;
    let mut depth = 0usize;
    let mut line_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if line_start && depth == 0 {
            let first = skip_blanks(b, i);
            if b.get(first) == Some(&b'[') {
                let header = read_header(b, first)?;
                match header.section {
                    // `[[steps]]`: a new step.
                    Some(section) if header.array && !header.dotted => {
                        close(&mut open, &mut out, i);
                        open = Some(Element {
                            section,
                            range: i..i,
                            header_end: header.end,
                        });
                    }
                    // `[steps.wait]`, `[[steps.expect]]`: a sub-table of the step above.
                    Some(section) if header.dotted => match &open {
                        Some(e) if e.section == section => {}
                        // Away from its step: left to the whole parse.
                        _ => return None,
                    },
                    // `[steps]` as a table: left to the whole parse.
                    Some(_) => return None,
                    None => close(&mut open, &mut out, i),
                }
                i = header.end;
                line_start = false;
                continue;
            }
        }
        line_start = false;
        match c {
            b'\n' => line_start = true,
            b'#' => i = line_end(b, i) - 1,
            // A string that does not end: the whole parse reports it.
            b'"' | b'\'' => i = string_end(b, i).ok()? - 1,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i += 1;
    }
    close(&mut open, &mut out, b.len());
    (!out.is_empty()).then_some(out)
}

/// Ends the open element at `at`.
fn close(open: &mut Option<Element>, out: &mut Vec<Element>, at: usize) {
    if let Some(mut e) = open.take() {
        e.range.end = at;
        out.push(e);
    }
}

/// A table header: which array of steps it is about, if any.
struct Header {
    array: bool,
    section: Option<Section>,
    /// `[steps.expect]`: a key after the first.
    dotted: bool,
    /// Just past its closing brackets.
    end: usize,
}

/// Reads the header starting at `b[at] == '['`. Only bare keys are read: a
/// quoted key (`["steps"]`) gives `None`, and the whole file is parsed.
fn read_header(b: &[u8], at: usize) -> Option<Header> {
    let array = b.get(at + 1) == Some(&b'[');
    let mut i = at + if array { 2 } else { 1 };
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut key_start: Option<usize> = None;
    loop {
        let c = *b.get(i)?;
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => {
                key_start.get_or_insert(i);
            }
            b' ' | b'\t' | b'.' | b']' => {
                if let Some(s) = key_start.take() {
                    keys.push(&b[s..i]);
                }
                if c == b']' {
                    break;
                }
            }
            _ => return None,
        }
        i += 1;
    }
    if array && b.get(i + 1) != Some(&b']') {
        return None;
    }
    let first = std::str::from_utf8(keys.first()?).ok()?;
    Some(Header {
        array,
        section: Section::named(first),
        dotted: keys.len() > 1,
        end: i + if array { 2 } else { 1 },
    })
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The index of the newline ending the line of `i`, or the text's end.
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p)
}

/// Just past the string opening at `b[at]` (basic or literal, one line or
/// three quotes). For a string that does not end, `Err` with where the scan
/// stopped: the newline ending its line, or the text's end.
pub(super) fn string_end(b: &[u8], at: usize) -> Result<usize, usize> {
    let q = b[at];
    let triple = b.get(at + 1) == Some(&q) && b.get(at + 2) == Some(&q);
    let mut i = at + if triple { 3 } else { 1 };
    while i < b.len() {
        let c = b[i];
        if q == b'"' && c == b'\\' {
            i += 2;
            continue;
        }
        if c == q {
            if !triple {
                return Ok(i + 1);
            }
            if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                // A closing `"""` may have up to two quotes of content before it.
                let mut end = i + 3;
                while b.get(end) == Some(&q) && end < i + 5 {
                    end += 1;
                }
                return Ok(end);
            }
        }
        if c == b'\n' && !triple {
            return Err(i);
        }
        i += 1;
    }
    Err(b.len())
}

/// Consecutive elements of one section, parsed together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Batch {
    pub(super) section: Section,
    pub(super) range: Range<usize>,
    /// How many elements it holds: its parse must give as many steps.
    pub(super) elements: usize,
}

/// Batches of consecutive elements of one section, each about
/// [`BATCH_BYTES`] long: the steps first, then `finally`, as the whole
/// parse reads them (step ids are checked for duplicates in that order).
pub(super) fn batches(elements: &[Element]) -> Vec<Batch> {
    let mut out: Vec<Batch> = Vec::new();
    for section in [Section::Steps, Section::Finally] {
        let mut current: Option<Batch> = None;
        for e in elements.iter().filter(|e| e.section == section) {
            match &mut current {
                Some(b) if b.range.end == e.range.start && b.range.len() < BATCH_BYTES => {
                    b.range.end = e.range.end;
                    b.elements += 1;
                }
                _ => {
                    let next = Batch {
                        section,
                        range: e.range.clone(),
                        elements: 1,
                    };
                    out.extend(current.replace(next));
                }
            }
        }
        out.extend(current);
    }
    out
}

/// Where the bytes of a part's text are in the file: pieces of the part,
/// each starting at a byte of the file, in order.
pub(super) struct Offsets {
    /// (start in the part, start in the file).
    pieces: Vec<(usize, usize)>,
}

impl Offsets {
    /// A part that is the file's bytes from `start` on.
    pub(super) fn from(start: usize) -> Offsets {
        Offsets {
            pieces: vec![(0, start)],
        }
    }

    fn pos(&self, at: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|&(part, _)| part <= at)
            .saturating_sub(1);
        let (part, file) = self.pieces.get(i).copied().unwrap_or((0, 0));
        file + (at - part)
    }

    /// A span of the part, as a span of the file. Its end is that of its
    /// last byte: a span ending where a piece ends stays in that piece.
    pub(super) fn span(&self, span: Range<usize>) -> Range<usize> {
        let start = self.pos(span.start);
        let end = if span.end > span.start {
            self.pos(span.end - 1) + 1
        } else {
            start
        };
        start..end
    }
}

/// The head of the file: its text without the steps' bodies, so that
/// `steps` and `finally` are arrays of empty tables; and where its bytes
/// are in the file. Of a run of elements with nothing between them (see
/// [`runs`]), only the first one's header is kept, on a line of its own:
/// the head of a file of thousands of steps stays a few tables.
pub(super) fn head(text: &str, elements: &[Element]) -> (String, Offsets) {
    let mut out = String::new();
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut last: Option<Section> = None;
    for e in elements {
        if last == Some(e.section) && e.range.start == at {
            at = e.range.end;
            continue;
        }
        pieces.push((out.len(), at));
        out.push_str(&text[at..e.range.start]);
        pieces.push((out.len(), e.range.start));
        out.push_str(&text[e.range.start..e.header_end]);
        // Maps to the end of the header: no span starts on it.
        out.push('\n');
        at = e.range.end;
        last = Some(e.section);
    }
    pieces.push((out.len(), at));
    out.push_str(&text[at..]);
    (out, Offsets { pieces })
}

/// How many headers of `section` the head keeps: one per run of its
/// elements that follow each other with nothing between them.
pub(super) fn runs(elements: &[Element], section: Section) -> usize {
    let mut runs = 0;
    let mut previous: Option<&Element> = None;
    for e in elements {
        let continues = previous.is_some_and(|p| p.section == e.section && p.range.end == e.range.start);
        if e.section == section && !continues {
            runs += 1;
        }
        previous = Some(e);
    }
    runs
}

/// Moves every span of a part's tree to where its bytes are in the file.
pub(super) fn shift(root: &mut Spanned<DeTable>, offsets: &Offsets) {
    let span = offsets.span(root.span());
    let table = std::mem::take(root.get_mut());
    *root = Spanned::new(span, shift_table(table, offsets));
}

fn shift_table<'i>(table: DeTable<'i>, offsets: &Offsets) -> DeTable<'i> {
    // Keys cannot be changed in place: the table is built again, in order.
    let mut out = DeTable::with_capacity(table.len());
    for (key, mut value) in table {
        shift_value(&mut value, offsets);
        out.insert(Spanned::new(offsets.span(key.span()), key.into_inner()), value);
    }
    out
}

fn shift_value(value: &mut Spanned<DeValue>, offsets: &Offsets) {
    let span = offsets.span(value.span());
    let mut inner = std::mem::replace(value.get_mut(), DeValue::Boolean(false));
    match &mut inner {
        DeValue::Table(t) => *t = shift_table(std::mem::take(t), offsets),
        DeValue::Array(a) => {
            for item in a.iter_mut() {
                shift_value(item, offsets);
            }
        }
        _ => {}
    }
    *value = Spanned::new(span, inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Option<Vec<(Section, &str)>> {
        Some(
            elements(text)?
                .into_iter()
                .map(|e| (e.section, &text[e.range]))
                .collect(),
        )
    }

    #[test]
    fn elements_run_from_their_header_to_the_next_table_that_is_not_theirs() {
        let text = "[workflow]\nname = \"w\"\n\n[[steps]]\nid = \"a\"\n[steps.wait]\nuntil = []\n\
                    [[steps.expect]]\nquery = \"a\"\n\n[vars]\nA = \"[[steps]]\"\n[[finally]]\nid = \"z\"\n";
        let found = sections(text).unwrap();
        assert_eq!(
            found,
            vec![
                (
                    Section::Steps,
                    "[[steps]]\nid = \"a\"\n[steps.wait]\nuntil = []\n[[steps.expect]]\nquery = \"a\"\n\n"
                ),
                (Section::Finally, "[[finally]]\nid = \"z\"\n"),
            ]
        );
    }

    #[test]
    fn brackets_inside_values_strings_and_comments_are_not_headers() {
        let text = "[workflow]\nname = \"w\"\n[[steps]]\nid = \"a\"\nargs = [\n[1],\n]\n\
                    run = '''\n[[steps]]\n'''\n# [[steps]]\nx = \"\"\"\n[vars]\n\"\"\"\n";
        let found = sections(text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, &text[text.find("[[steps]]").unwrap()..]);
    }

    #[test]
    fn shapes_other_than_the_plain_one_are_left_to_the_whole_parse() {
        for text in [
            // No step headers at all.
            "[workflow]\nname = \"w\"\nsteps = [{ id = \"a\", run = \"x\" }]\n",
            // A quoted header.
            "[workflow]\nname = \"w\"\n[[\"steps\"]]\nid = \"a\"\n",
            // A sub-table away from its step.
            "[[steps]]\nid = \"a\"\n[vars]\nA = \"1\"\n[steps.wait]\nuntil = []\n",
            // `[steps]` as a table.
            "[steps]\nid = \"a\"\n",
            // A string that does not end.
            "[[steps]]\nid = \"a\nrun = \"x\"\n",
            // A byte order mark hides the first header from the scan.
            "\u{feff}[[steps]]\nid = \"a\"\n",
        ] {
            let found = sections(text);
            assert!(found.is_none(), "{text:?} gave {found:?}");
        }
    }

    #[test]
    fn the_head_keeps_a_header_per_run_and_drops_bodies_and_maps_back_to_the_file() {
        let text = "[workflow]\nname = \"w\"\n[[steps]]\nid = \"é\"\nrun = \"x\"\n  [[steps]] # b\nid = \"b\"\n[vars]\nA = \"1\"\n  [[steps]]\nid = \"c\"\n";
        let els = elements(text).unwrap();
        let (head, offsets) = head(text, &els);
        // Steps `é` and `b` are one run, `c` (after `[vars]`) another.
        assert_eq!(
            head,
            "[workflow]\nname = \"w\"\n[[steps]]\n[vars]\nA = \"1\"\n  [[steps]]\n"
        );
        assert_eq!((runs(&els, Section::Steps), runs(&els, Section::Finally)), (2, 0));
        for needle in ["name", "[vars]", "A = \"1\"\n", "  [[steps]]"] {
            let at = head.find(needle).unwrap();
            let span = offsets.span(at..at + needle.len());
            assert_eq!(&text[span], needle);
        }
        let (mut root, errors) = DeTable::parse_recoverable(&head);
        assert!(errors.is_empty());
        shift(&mut root, &offsets);
        let a = &root.get_ref()["vars"];
        assert_eq!(&text[a.span()], "[vars]");
        let DeValue::Table(vars) = a.get_ref() else {
            panic!()
        };
        let (k, v) = vars.iter().next().unwrap();
        assert_eq!((&text[k.span()], &text[v.span()]), ("A", "\"1\""));
    }

    #[test]
    fn batches_hold_consecutive_steps_of_one_section_steps_first() {
        let big = "x".repeat(BATCH_BYTES);
        let text = format!(
            "[[finally]]\nid = \"f\"\n[[steps]]\nid = \"a\"\nrun = \"{big}\"\n[[steps]]\nid = \"b\"\n\
             [[steps]]\nid = \"c\"\n[vars]\n[[steps]]\nid = \"d\"\n"
        );
        let els = elements(&text).unwrap();
        assert_eq!(els.len(), 5);
        let got: Vec<(Section, usize)> = batches(&els)
            .into_iter()
            .map(|b| (b.section, b.elements))
            .collect();
        // Each batch's count is that of the elements its bytes hold.
        for b in batches(&els) {
            let inside = els.iter().filter(|e| b.range.contains(&e.range.start)).count();
            assert_eq!(b.elements, inside);
        }
        // `a` fills a batch; `b` and `c` share one; `d` follows `[vars]`.
        assert_eq!(
            got,
            vec![
                (Section::Steps, 1),
                (Section::Steps, 2),
                (Section::Steps, 1),
                (Section::Finally, 1)
            ]
        );
    }
}
