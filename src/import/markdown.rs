//! A page of tutorial markdown as the EKS Workshop writes it (Docusaurus):
//! its front matter, its headings and `:::` admonitions (to name the
//! section a command is in), and its fenced code blocks with their
//! attributes. Commands are read from `bash` blocks (see `block`); blocks
//! in other languages are counted and skipped.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ImportError;
use super::block::{self, Command};
use crate::diagnostic::{Diagnostic, SourceFile};

/// A markdown page.
#[derive(Clone, Debug)]
pub struct Page {
    pub path: PathBuf,
    pub front: FrontMatter,
    /// The `bash` blocks, in page order.
    pub blocks: Vec<Block>,
    /// Fenced blocks in other languages (`yaml`, `text`, `file`...): not imported.
    pub other_blocks: usize,
}

impl Page {
    /// Every command of every `bash` block, in page order.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.blocks.iter().flat_map(|b| &b.commands)
    }
}

/// The page's YAML front matter, what the importer uses of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontMatter {
    /// The page starts with a `---` block (the workshop's harness refuses a page without one).
    pub found: bool,
    pub title: Option<String>,
    /// `weight`, else `sidebar_position`: the page's place in its folder.
    pub weight: Option<i64>,
    pub description: Option<String>,
}

/// A fenced `bash` block.
#[derive(Clone, Debug)]
pub struct Block {
    /// The line of the opening fence, from 1.
    pub line: usize,
    /// Spaces before the fence.
    pub indent: usize,
    /// The block is inside a list item (indented under a `-`, `*`, `+` or `1.` line).
    pub in_list: bool,
    pub attrs: Attrs,
    /// The heading the block is under, and the admonition it is in.
    pub section: Section,
    /// Its lines, the fence's indentation removed.
    pub body: Vec<String>,
    pub commands: Vec<Command>,
}

/// Where a block sits on its page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// The nearest heading above the block.
    pub heading: Option<String>,
    /// The `:::kind Title` admonition the block is in, as `kind: Title`.
    pub admonition: Option<String>,
}

impl Section {
    /// `Heading (tip: Before you start)`, or None when the block is under neither.
    pub fn describe(&self) -> Option<String> {
        match (&self.heading, &self.admonition) {
            (Some(h), Some(a)) => Some(format!("{h} ({a})")),
            (Some(h), None) => Some(h.clone()),
            (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        }
    }
}

/// The attributes after ```` ```bash ````, read as the workshop's harness
/// reads them: words of the form `key=value` (exactly one `=`), numbers by
/// their leading digits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs {
    /// `test=false`: the harness never runs the block.
    pub no_test: bool,
    /// `timeout=N`: seconds (the harness's default is 120).
    pub timeout: Option<u64>,
    /// `wait=N`: seconds the harness sleeps after the block.
    pub wait: Option<u64>,
    /// `hook=NAME`: `tests/hook-NAME.sh before` and `after` run around the block.
    pub hook: Option<String>,
    /// `hookTimeout=N`: seconds, for the hook's runs.
    pub hook_timeout: Option<u64>,
    /// `expectError=true`: a failure of the block is ignored.
    pub expect_error: bool,
    /// `raw=true`: the whole block is one command, without prompts.
    pub raw: bool,
    /// Other `key=value` words, which the harness warns about and ignores.
    pub unknown: Vec<String>,
}

impl Attrs {
    pub fn parse(meta: &str) -> Attrs {
        let mut a = Attrs::default();
        for word in meta.split(' ') {
            let Some((key, value)) = word.split_once('=') else {
                continue;
            };
            if value.contains('=') {
                continue;
            }
            match key {
                "test" => a.no_test = value == "false",
                "timeout" => a.timeout = leading_number(value),
                "wait" => a.wait = leading_number(value),
                "hook" => a.hook = Some(value.to_string()),
                "hookTimeout" => a.hook_timeout = leading_number(value),
                "expectError" => a.expect_error = value == "true",
                "raw" => a.raw = value == "true",
                _ => a.unknown.push(word.to_string()),
            }
        }
        a
    }
}

/// The number at the start of `s`, as JavaScript's `parseInt` reads it.
fn leading_number(s: &str) -> Option<u64> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Reads a page from disk: an error when it cannot be read, is not UTF-8
/// text, or has a fence or a heredoc that is never closed.
pub fn read(path: &Path) -> Result<Page, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ImportError::about(
            path,
            format!("cannot read {}: {e}", path.display()),
            "check the path and its permissions: give a markdown page or a lab's folder",
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has as many bytes up to the bad one.
            let d = Diagnostic::new(format!("{} is not UTF-8 text", path.display()), at..at + 1)
                .label("not UTF-8")
                .hint("tutorial pages are UTF-8 markdown; is this the right file?");
            return Err(ImportError::in_page(source(path, &text), vec![d]));
        }
    };
    parse(path, &text).map_err(|d| ImportError::in_page(source(path, &text), d))
}

fn source(path: &Path, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(text),
    }
}

/// An opening or closing fence: its indentation, character and length.
struct Fence {
    indent: usize,
    ch: char,
    len: usize,
}

fn fence(line: &str) -> Option<(Fence, &str)> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    if len < 3 {
        return None;
    }
    let info = &rest[len..];
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((Fence { indent, ch, len }, info.trim()))
}

fn closes(open: &Fence, line: &str) -> bool {
    fence(line).is_some_and(|(f, info)| f.ch == open.ch && f.len >= open.len && info.is_empty())
}

/// Where each line of `text` starts, in bytes.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

/// Parses a page's text. Line numbers count from 1. A fence or a heredoc
/// that is never closed is an error, at the line that opens it.
pub fn parse(path: &Path, text: &str) -> Result<Page, Vec<Diagnostic>> {
    let lines: Vec<&str> = text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let starts = line_starts(text);
    let span_of_line = |i: usize| starts[i]..starts[i] + lines[i].len();
    let mut errors = Vec::new();
    let (front, mut i) = front_matter(&lines);
    let mut page = Page {
        path: path.to_path_buf(),
        front,
        blocks: Vec::new(),
        other_blocks: 0,
    };
    let mut section = Section::default();
    while i < lines.len() {
        let line = lines[i];
        if let Some((open, info)) = fence(line) {
            let start = i;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !closes(&open, lines[i]) {
                body.push(unindent(lines[i], open.indent).to_string());
                i += 1;
            }
            if i >= lines.len() {
                let fence: String = std::iter::repeat_n(open.ch, open.len).collect();
                errors.push(
                    Diagnostic::new(
                        format!("this {fence}{info} block is never closed"),
                        span_of_line(start),
                    )
                    .label("opened here, closed nowhere below")
                    .hint(format!(
                        "end the block with a line of {fence} (nothing after it); as it is, the rest of the page is in the block"
                    )),
                );
                break;
            }
            i += 1;
            let (lang, meta) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
            if lang == "bash" {
                let attrs = Attrs::parse(meta.trim());
                let commands = match block::commands(&body, start + 2, attrs.raw) {
                    Ok(commands) => commands,
                    Err(unclosed) => {
                        let line = start + 1 + unclosed.line;
                        let h = &unclosed.heredoc;
                        // The body line lost the fence's indentation.
                        let at = starts[line] + lines[line].len() - body[unclosed.line].len();
                        errors.push(
                            Diagnostic::new(
                                format!(
                                    "the heredoc `{}` is never closed: no line `{}` before its block ends",
                                    &body[unclosed.line][h.at.clone()],
                                    h.delimiter
                                ),
                                at + h.at.start..at + h.at.end,
                            )
                            .label("opened here")
                            .hint(format!(
                                "end it with a line that holds only `{}`{}, before the block's closing fence",
                                h.delimiter,
                                if h.strip_tabs { " (after tabs)" } else { "" }
                            )),
                        );
                        Vec::new()
                    }
                };
                page.blocks.push(Block {
                    line: start + 1,
                    indent: open.indent,
                    in_list: in_list(&lines[..start], open.indent),
                    attrs,
                    section: section.clone(),
                    body,
                    commands,
                });
            } else {
                page.other_blocks += 1;
            }
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(heading) = heading(trimmed) {
            section.heading = Some(heading);
        } else if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim();
            section.admonition = match rest.split_once(char::is_whitespace) {
                _ if rest.is_empty() => None,
                Some((kind, title)) => Some(format!("{kind}: {}", title.trim())),
                None => Some(rest.to_string()),
            };
        }
        i += 1;
    }
    if errors.is_empty() { Ok(page) } else { Err(errors) }
}

/// Whether a line indented by `indent` continues a list item: the nearest
/// line above it that is indented less starts one.
fn in_list(above: &[&str], indent: usize) -> bool {
    if indent == 0 {
        return false;
    }
    let Some(parent) = above
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() < indent)
    else {
        return false;
    };
    let t = parent.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    ["- ", "* ", "+ "].iter().any(|m| t.starts_with(m))
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
}

/// `## Heading` as its text.
fn heading(line: &str) -> Option<String> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The line without up to `n` leading spaces (as markdown removes a
/// fence's indentation from its content).
fn unindent(line: &str, n: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(n)..]
}

/// The front matter, and the index of the first line after it.
fn front_matter(lines: &[&str]) -> (FrontMatter, usize) {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return (FrontMatter::default(), 0);
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return (FrontMatter::default(), 0);
    };
    let yaml = lines[1..=end].join("\n");
    let mut front = FrontMatter {
        found: true,
        ..FrontMatter::default()
    };
    if let Ok(serde_yaml_ng::Value::Mapping(map)) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&yaml) {
        let get = |key: &str| map.get(serde_yaml_ng::Value::String(key.to_string()));
        front.title = get("title").and_then(scalar);
        front.description = get("description").and_then(scalar);
        front.weight = get("weight")
            .or_else(|| get("sidebar_position"))
            .and_then(scalar)
            .and_then(|w| {
                let digits: String = w
                    .trim()
                    .chars()
                    .enumerate()
                    .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
                    .map(|(_, c)| c)
                    .collect();
                digits.parse().ok()
            });
    }
    (front, end + 2)
}

fn scalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        parse(Path::new("p.md"), text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn front_matter_gives_title_and_weight() {
        let p = page(
            "---\ntitle: \"Using it\"\nsidebar_position: 34\ncustom: { \"module\": true }\n---\n\nText\n",
        );
        assert_eq!(
            p.front,
            FrontMatter {
                found: true,
                title: Some("Using it".into()),
                weight: Some(34),
                description: None,
            }
        );
        let p = page("---\ntitle: T\nweight: 5\nsidebar_position: 9\n---\n");
        assert_eq!(p.front.weight, Some(5), "weight wins, as in the harness");
        assert!(!page("# No front matter\n").front.found);
    }

    #[test]
    fn attributes_are_read_as_the_harness_reads_them() {
        let a = Attrs::parse(
            "timeout=300 wait=60s hook=enable hookTimeout=430 expectError=true test=false raw=true title=x",
        );
        assert_eq!(
            a,
            Attrs {
                no_test: true,
                timeout: Some(300),
                wait: Some(60),
                hook: Some("enable".into()),
                hook_timeout: Some(430),
                expect_error: true,
                raw: true,
                unknown: vec!["title=x".into()],
            }
        );
        assert_eq!(Attrs::parse("test=true expectError=yes"), Attrs::default());
        assert_eq!(Attrs::parse("a=b=c").unknown, Vec::<String>::new());
    }

    #[test]
    fn bash_blocks_are_read_and_others_counted() {
        let text = "---\ntitle: T\n---\n## Setup\n\n:::tip Before you start\n\n```bash timeout=10\n$ echo hi\nhi\n```\n\n:::\n\n```yaml\na: 1\n```\n\n````text\n```bash\n$ not a block\n```\n````\n\n### Check\n\n```bash\n$ true\n```\n";
        let p = page(text);
        assert_eq!(p.other_blocks, 2);
        assert_eq!(p.blocks.len(), 2);
        let b = &p.blocks[0];
        assert_eq!((b.line, b.attrs.timeout), (8, Some(10)));
        assert_eq!(
            b.section.describe().as_deref(),
            Some("Setup (tip: Before you start)")
        );
        assert_eq!(b.commands[0].line, 9);
        assert_eq!(b.commands[0].output, ["hi"]);
        assert_eq!(p.blocks[1].section.describe().as_deref(), Some("Check"));
        assert_eq!(p.blocks[1].commands[0].line, 28);
    }

    #[test]
    fn an_indented_fence_is_read_without_its_indentation() {
        let p = page("1. First:\n\n   ```bash wait=30\n   $ kubectl get pods \\\n     -A\n   NAME\n   ```\n");
        let b = &p.blocks[0];
        assert_eq!((b.indent, b.in_list), (3, true));
        let p = page("Text\n  ```bash\n  $ true\n  ```\n");
        assert!(!p.blocks[0].in_list, "indented, but under no list item");
        assert_eq!(b.commands[0].text, "kubectl get pods \\\n  -A");
        assert_eq!(b.commands[0].line, 4);
    }
}
