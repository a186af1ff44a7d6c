//! The text kubectl's describers write: lines at indentation levels (two
//! spaces each), cells separated by tabs and aligned as Go's text/tabwriter
//! aligns them (no minimum width, two spaces of padding), and the helpers
//! the describers share (labels, annotations, events' ages).

use serde_json::{Map, Value};

/// kubectl hides the annotation `kubectl apply` keeps.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Annotations longer than this are printed on lines of their own.
const MAX_ANNOTATION_LEN: usize = 140;

/// A describer's text: written in tab-separated cells, aligned when
/// flushed, as kubectl's prefix writer over a tab writer does.
#[derive(Default)]
pub struct Text {
    pending: String,
    done: String,
}

impl Text {
    /// `text` at `level` (two spaces per level).
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.pending.push_str("  ");
        }
        self.pending.push_str(&escape_terminal(text));
    }

    /// `text` and a line break (Go's `Sprintln` of one value).
    pub fn line(&mut self, text: &str) {
        self.write(0, &format!("{text}\n"));
    }

    /// Aligns what was written so far on its own: what follows starts new
    /// columns (kubectl flushes before the events).
    pub fn flush(&mut self) {
        self.done.push_str(&align(&std::mem::take(&mut self.pending), 2));
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}

/// kubectl writes describers' text through an escaper that keeps terminal
/// escape sequences and carriage returns from acting on the terminal.
fn escape_terminal(text: &str) -> String {
    text.replace('\u{1b}', "^[").replace('\r', "\\r")
}

/// Go's text/tabwriter (minimum width 0, padding `padding`, spaces): a
/// line's cells are the text between tabs, the last one not in a column.
/// A column block is a run of consecutive lines that have a cell in that
/// column; its cells are padded to the widest one plus `padding`.
pub fn align(text: &str, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut widths = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, padding, &mut out);
    out.join("\n")
}

/// Lines `from..to` whose columns before `widths.len()` are already sized.
fn format_block(
    lines: &[Vec<&str>],
    mut from: usize,
    to: usize,
    widths: &mut Vec<usize>,
    padding: usize,
    out: &mut Vec<String>,
) {
    let column = widths.len();
    let has_cell = |line: &Vec<&str>| column + 1 < line.len();
    let mut this = from;
    while this < to {
        if !has_cell(&lines[this]) {
            this += 1;
            continue;
        }
        write_lines(&lines[from..this], widths, out);
        from = this;
        let mut width = 0;
        while this < to && has_cell(&lines[this]) {
            width = width.max(lines[this][column].chars().count() + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, from, this, widths, padding, out);
        widths.pop();
        from = this;
    }
    write_lines(&lines[from..to], widths, out);
}

fn write_lines(lines: &[Vec<&str>], widths: &[usize], out: &mut Vec<String>) {
    for cells in lines {
        let mut line = String::new();
        for (j, cell) in cells.iter().enumerate() {
            line.push_str(cell);
            if let Some(w) = widths.get(j) {
                let pad = w.saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push(line);
    }
}

/// The string map at `key` of `obj` (labels, annotations, data).
pub fn strings<'a>(obj: &'a Value, pointer: &str) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<(&str, &str)> = obj
        .pointer(pointer)
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(Map::iter)
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
        .collect();
    pairs.sort();
    pairs
}

/// A string at `pointer`, or empty.
pub fn str_at<'a>(obj: &'a Value, pointer: &str) -> &'a str {
    obj.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// `Labels:` and one `key=value` per line, sorted, or `<none>`.
pub fn labels(t: &mut Text, title: &str, obj: &Value) {
    map_lines(t, title, obj, "/metadata/labels");
}

/// A string map as kubectl prints labels: one `key=value` per line.
pub fn map_lines(t: &mut Text, title: &str, obj: &Value, pointer: &str) {
    map_lines_in(t, "", title, obj, pointer);
}

/// [`map_lines`] with every line after `indent`.
pub fn map_lines_in(t: &mut Text, indent: &str, title: &str, obj: &Value, pointer: &str) {
    t.write(0, &format!("{indent}{title}:\t"));
    let pairs = strings(obj, pointer);
    if pairs.is_empty() {
        t.line("<none>");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            t.write(0, &format!("{indent}\t"));
        }
        t.write(0, &format!("{k}={v}\n"));
    }
}

/// `Annotations:` as kubectl prints them: sorted, without the last-applied
/// one; a long or multi-line value on lines of its own, each cut at 138
/// characters.
pub fn annotations(t: &mut Text, title: &str, obj: &Value) {
    t.write(0, &format!("{title}:\t"));
    let pairs: Vec<_> = strings(obj, "/metadata/annotations")
        .into_iter()
        .filter(|(k, _)| *k != LAST_APPLIED)
        .collect();
    if pairs.is_empty() {
        t.line("<none>");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            t.write(0, "\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            t.write(0, &format!("{k}:\n"));
            for part in value.split('\n') {
                t.write(0, &format!("\t  {}\n", shorten(part, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            t.write(0, &format!("{k}: {value}\n"));
        }
    }
}

/// Go cuts at a byte count; a cut inside a character keeps the whole character.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end += 1;
    }
    format!("{}...", &s[..end])
}

/// `k=v,k2=v2` sorted, or `<none>` (apimachinery's `labels.FormatLabels`).
pub fn format_map(obj: &Value, pointer: &str) -> String {
    let pairs = strings(obj, pointer);
    if pairs.is_empty() {
        return "<none>".into();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A string list as Go's `%v` prints it: `[a b]`.
pub fn go_list(obj: &Value, pointer: &str) -> String {
    let items: Vec<&str> = obj
        .pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    format!("[{}]", items.join(" "))
}

/// A duration as kubectl prints ages (apimachinery's `HumanDuration`):
/// seconds up to two minutes, then minutes and seconds up to ten minutes,
/// and so on, coarser as it grows.
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            h => format!("{}d{h}h", hours / 24),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return match (hours / 24) % 365 {
            0 => format!("{}y", hours / 24 / 365),
            d => format!("{}y{d}d", hours / 24 / 365),
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_align_within_their_block() {
        // The header's two cells and the rows' share columns; the line
        // without a tab ends the block, so `Name:` aligns on its own.
        let text = "Name:\tcarts\nNamespace:\tshop\nplain line\n  Type\tReason\tAge\n  ----\t------\t---\n  Normal\tScheduled\t5s\n";
        assert_eq!(
            align(text, 2),
            "Name:       carts\nNamespace:  shop\nplain line\n  Type    Reason     Age\n  ----    ------     ---\n  Normal  Scheduled  5s\n"
        );
        // A line with fewer cells ends the inner column's block only.
        assert_eq!(align("a\tb\tc\nlong\tx\n", 1), "a    b c\nlong x\n");
    }

    #[test]
    fn labels_and_annotations_print_as_kubectl_prints_them() {
        let obj = json!({"metadata": {
            "labels": {"b": "2", "a": "1"},
            "annotations": {LAST_APPLIED: "{}", "note": "x\ny\n", "k": "v"},
        }});
        let mut t = Text::default();
        labels(&mut t, "Labels", &obj);
        annotations(&mut t, "Annotations", &obj);
        t.write(0, "Empty:\t");
        t.line("<none>");
        assert_eq!(
            t.finish(),
            "Labels:       a=1\n              b=2\nAnnotations:  k: v\n              note:\n                x\n                y\nEmpty:        <none>\n"
        );
        assert_eq!(format_map(&obj, "/metadata/labels"), "a=1,b=2");
        assert_eq!(format_map(&obj, "/spec/nope"), "<none>");
        assert_eq!(shorten(&"é".repeat(3), 3), "éé...");
    }

    #[test]
    fn ages_as_kubectl_prints_them() {
        for (s, want) in [
            (-5, "<invalid>"),
            (-1, "0s"),
            (59, "59s"),
            (119, "119s"),
            (120, "2m"),
            (125, "2m5s"),
            (600, "10m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 60, "3h1m"),
            (9 * 3600, "9h"),
            (50 * 3600, "2d2h"),
            (10 * 86400, "10d"),
            (800 * 86400, "2y70d"),
            (3000 * 86400, "8y"),
        ] {
            assert_eq!(human_duration(s), want, "{s}");
        }
    }
}
