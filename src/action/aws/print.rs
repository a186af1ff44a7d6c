//! What the AWS CLI v1 prints for a call's output (after `--query`), in
//! each `--output` format: a pure function of the value, the format and the
//! operation's API name (the table's title).
//!
//! Written after the behaviour of aws-cli v1's `formatter.py`, `text.py`
//! and `table.py`:
//! - `json`: four-space indentation, non-ASCII as it is, nothing at all
//!   for an empty object;
//! - `text`: one line per structure, its scalar members' values joined by
//!   tabs in the order of their sorted names, each nested member on lines
//!   of its own prefixed by its name in capitals, a list of scalars on one
//!   line; scalars as Python's `str` writes them (`True`, `None`);
//! - `table`: a section per structure, titled by the member's name (the
//!   whole output by the operation's API name), scalar members as sorted
//!   columns, nested members as indented sections, laid out for an
//!   80-column terminal (a wider table turns its one-row sections
//!   vertical, as the CLI does when its output is not a terminal).
//!
//! The accepted differences with the CLI are listed in docs/backends.md.

use serde_json::Value;

/// `--output`, read once when the line is parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Json,
    Text,
    Table,
    /// The CLI v2's YAML (v1 refuses it): printed as YAML, not compared.
    Yaml,
}

impl OutputFormat {
    pub const NAMES: &[&str] = &["json", "text", "table", "yaml", "yaml-stream"];

    pub fn from_name(name: &str) -> Option<OutputFormat> {
        match name {
            "json" => Some(OutputFormat::Json),
            "text" => Some(OutputFormat::Text),
            "table" => Some(OutputFormat::Table),
            "yaml" | "yaml-stream" => Some(OutputFormat::Yaml),
            _ => None,
        }
    }
}

/// The text the CLI prints for `value` in `format`; `title` is the
/// operation's API name (`GetRole`).
pub fn print(format: OutputFormat, title: &str, value: &Value) -> String {
    match format {
        OutputFormat::Json => json(value),
        OutputFormat::Text => text(value),
        OutputFormat::Table => table(title, value),
        OutputFormat::Yaml => yaml(value),
    }
}

/// A scalar as Python's `str` writes it.
fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        // A structure where a scalar was expected (a member scalar in one
        // item of a list and not in another): the CLI writes Python's repr.
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Object(_) | Value::Array(_))
}

// ---- json ----

fn json(value: &Value) -> String {
    if value.as_object().is_some_and(|m| m.is_empty()) {
        return String::new();
    }
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut ser).expect("a JSON value always serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

// ---- yaml ----

fn yaml(value: &Value) -> String {
    serde_yaml_ng::to_string(value).unwrap_or_default()
}

// ---- text ----

fn text(value: &Value) -> String {
    let mut out = String::new();
    text_item(value, None, None, &mut out);
    out
}

fn text_item(item: &Value, name: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match item {
        Value::Object(_) => text_object(item, name, scalar_keys, out),
        Value::Array(items) => text_list(items, name, out),
        scalar => {
            out.push_str(&py_str(scalar));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], name: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        // Every structure of the list prints the same columns.
        let keys = all_scalar_keys(items);
        for item in items {
            text_item(item, name, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) = items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            scalar_line(&scalars, name, out);
        }
        for n in nested {
            text_item(n, name, None, out);
        }
    } else {
        scalar_line(&items.iter().collect::<Vec<_>>(), name, out);
    }
}

/// A list of scalars: one prefixed line each under a name, else one line.
fn scalar_line(items: &[&Value], name: Option<&str>, out: &mut String) {
    match name {
        Some(name) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", name.to_uppercase(), py_str(item)));
            }
        }
        None => {
            let words: Vec<String> = items.iter().map(|v| py_str(v)).collect();
            out.push_str(&words.join("\t"));
            out.push('\n');
        }
    }
}

fn text_object(item: &Value, name: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    let Value::Object(map) = item else { return };
    let mut scalars: Vec<String> = Vec::new();
    let mut nested: Vec<(&str, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                let v = &map[k];
                if is_scalar(v) {
                    scalars.push(py_str(v));
                } else {
                    nested.push((k, v));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(map.get(k).map(py_str).unwrap_or_default());
            }
            let mut rest: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
            rest.sort();
            nested.extend(rest.into_iter().map(|k| (k.as_str(), &map[k])));
        }
    }
    if !scalars.is_empty() {
        if let Some(name) = name {
            scalars.insert(0, name.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, v) in nested {
        text_item(v, Some(k), None, out);
    }
}

/// The sorted names of the members that are scalars in any item.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

// ---- table ----

/// The terminal width the CLI assumes when its output is not a terminal.
const WIDTH: usize = 80;
/// Each column's padding around its widest cell.
const PADDING: usize = 4;

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) {
        self.widen(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.widen(&row);
        self.rows.push(row);
    }

    fn widen(&mut self, cells: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = cells.iter().map(|c| width(c)).collect();
        } else {
            for (w, c) in self.max_widths.iter_mut().zip(cells) {
                *w = (*w).max(width(c));
            }
        }
    }

    /// Column widths with padding, scaled to fill `max_width` exactly (the
    /// rounding error spread one column at a time, as the CLI does).
    fn column_widths(&self, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + PADDING).collect();
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / unscaled.iter().sum::<usize>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// The width the section needs, its borders and indentation included.
    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + PADDING).sum();
        let outer = 2 + 2 * self.indent;
        (width(&self.title) + outer).max(columns + outer)
    }
}

#[derive(Default)]
struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("a section was just added")
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_string(),
            indent,
            ..Section::default()
        });
    }

    /// Adds `current` under `title`; false when there is nothing to show.
    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> bool {
        if !truthy(current) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent);
        }
        match current {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.add_list(items, indent, title);
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        scalar if is_scalar(scalar) => self.current().add_row(vec![py_str(scalar)]),
                        Value::Array(inner) if inner.iter().all(is_scalar) => {
                            self.current().add_row(inner.iter().map(py_str).collect());
                        }
                        // Python iterates a dict's keys: all strings.
                        Value::Object(map) => self.current().add_row(map.keys().cloned().collect()),
                        other => {
                            self.build(None, other, 0);
                        }
                    }
                }
            }
            Value::Object(_) => self.add_object(current, indent),
            _ => {}
        }
        true
    }

    fn add_object(&mut self, current: &Value, indent: usize) {
        let Value::Object(map) = current else { return };
        let (headers, more) = group(map);
        if headers.len() == 1 {
            let value = py_str(&map[&headers[0]]);
            self.current().add_row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|h| py_str(&map[h])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent + 1);
        }
    }

    fn add_list(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in items.iter().filter_map(Value::as_object) {
            let (h, m) = group(item);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            let Value::Object(map) = item else { continue };
            if i > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or_default(), indent);
                self.current().add_header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|h| map.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(v) = map.get(key) {
                    self.build(Some(key), v, indent + 1);
                }
            }
        }
    }

    fn render(mut self) -> String {
        let mut max_width = self.max_width();
        if max_width > WIDTH {
            self.turn_vertical();
            max_width = self.max_width();
        }
        let mut out = "-".repeat(max_width);
        out.push('\n');
        for section in &self.sections {
            render_section(section, max_width, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections.iter().map(Section::total_width).max().unwrap_or(0)
    }

    /// One-row sections with headers become name/value rows.
    fn turn_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: std::mem::take(&mut section.title),
                    indent: section.indent,
                    ..Section::default()
                };
                for (h, cell) in section.headers.iter().zip(&section.rows[0]) {
                    vertical.add_row(vec![h.clone(), cell.clone()]);
                }
                *section = vertical;
            }
        }
    }
}

/// A member's scalar names and its nested ones, each sorted.
fn group(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, v) in map {
        if is_scalar(v) {
            headers.push(k.clone());
        } else {
            more.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// Python's truth value of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = section.indent;
    let max = max_width.saturating_sub(indent * 2);
    let mut line = |text: String| {
        out.push_str(&"|".repeat(indent));
        out.push_str(&text);
        out.push_str(&"|".repeat(indent));
        out.push('\n');
    };
    if !section.title.is_empty() {
        line(center(&section.title, max, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(max.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(max);
        line(line_break(&widths));
        let mut titles = String::new();
        for (i, (w, h)) in widths.iter().zip(&section.headers).enumerate() {
            titles.push_str(&center(h, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(titles);
    }
    if section.rows.is_empty() {
        return;
    }
    let widths = section.column_widths(max);
    if widths.is_empty() {
        return;
    }
    line(line_break(&widths));
    for row in &section.rows {
        let mut cells = String::new();
        for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
            cells.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(cells);
    }
    line(line_break(&widths));
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let (length, text_len) = (length as i64, width(text) as i64);
    let start = length.div_euclid(2) - text_len.div_euclid(2) - 1;
    let so_far = width(left) as i64 + start + text_len;
    let right_spaces = length - width(right) as i64 - so_far;
    format!("{left}{}{text}{}{right}", spaces(start), spaces(right_spaces))
}

fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let (length, text_len) = (length as i64, width(text) as i64);
    let edges = (left.len() + right.len()) as i64;
    let padding = if length - (text_len + 2 + edges) >= 0 {
        2
    } else {
        0
    };
    let rest = length - (left.len() as i64 + padding + text_len) - right.len() as i64;
    format!("{left}{}{text}{}{right}", spaces(padding), spaces(rest))
}

/// The columns a text takes in a terminal: two for East Asian wide and
/// full-width characters.
fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

fn table(title: &str, value: &Value) -> String {
    let mut table = Table::default();
    if !table.build(Some(title), value, 0) {
        return String::new();
    }
    table.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_indented_by_four_and_an_empty_object_prints_nothing() {
        assert_eq!(print(OutputFormat::Json, "X", &json!({})), "");
        assert_eq!(
            print(OutputFormat::Json, "X", &json!({"a": [1, {}], "é": []})),
            "{\n    \"a\": [\n        1,\n        {}\n    ],\n    \"é\": []\n}\n"
        );
        assert_eq!(print(OutputFormat::Json, "X", &json!(null)), "null\n");
    }

    #[test]
    fn text_puts_scalars_on_one_line_and_names_nested_members() {
        let v = json!({
            "Role": {"RoleName": "r", "Path": "/", "MaxSessionDuration": 3600,
                     "Tags": [{"Key": "a", "Value": "1"}, {"Value": "2", "Key": "b", "Extra": true}],
                     "Ids": ["x", "y"]},
            "IsTruncated": false,
        });
        assert_eq!(
            text(&v),
            "False\nROLE\t3600\t/\tr\nIDS\tx\nIDS\ty\nTAGS\t\ta\t1\nTAGS\tTrue\tb\t2\n"
        );
        assert_eq!(text(&json!(["a", "b", 3])), "a\tb\t3\n");
        assert_eq!(text(&json!("ACTIVE")), "ACTIVE\n");
        assert_eq!(text(&json!(null)), "None\n");
        assert_eq!(text(&json!([["a", "b"], ["c"]])), "a\tb\nc\n");
        assert_eq!(text(&json!({})), "");
    }

    #[test]
    fn a_table_has_a_title_sorted_columns_and_indented_sections() {
        let v = json!({"cluster": {"name": "c", "status": "ACTIVE", "tags": {"env": "test"}}});
        // As aws-cli 1.46's TableFormatter prints it.
        let expected = "\
----------------------
|   DescribeCluster  |
+--------------------+
||      cluster     ||
|+-------+----------+|
|| name  | status   ||
|+-------+----------+|
||  c    |  ACTIVE  ||
|+-------+----------+|
|||      tags      |||
||+------+---------+||
|||  env |  test   |||
||+------+---------+||
";
        assert_eq!(table("DescribeCluster", &v), expected);
        assert_eq!(table("X", &json!({})), "");
        assert_eq!(table("GetX", &json!("ACTIVE")), "------\n|GetX|\n+----+\n");
    }

    #[test]
    fn column_widths_fill_the_width_as_the_cli_rounds_them() {
        let mut s = Section::default();
        s.add_header(vec!["a".into(), "bb".into(), "ccc".into()]);
        assert_eq!(s.column_widths(20), vec![5, 7, 8]);
        assert_eq!(s.column_widths(18), vec![5, 6, 7]);
    }

    #[test]
    fn a_table_wider_than_the_terminal_turns_its_one_row_sections_vertical() {
        let long = "x".repeat(50);
        let v = json!({"a": long, "b": long});
        let out = table("Wide", &v);
        let x = "x".repeat(50);
        let (dash, line) = ("-".repeat(61), "-".repeat(55));
        let (before, after) = (" ".repeat(27), " ".repeat(28));
        let expected = format!(
            "{dash}\n|{before}Wide{after}|\n+---+{line}+\n|  a|  {x}   |\n|  b|  {x}   |\n+---+{line}+\n"
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn output_names_are_read_once() {
        assert_eq!(OutputFormat::from_name("table"), Some(OutputFormat::Table));
        assert_eq!(OutputFormat::from_name("yaml-stream"), Some(OutputFormat::Yaml));
        assert_eq!(OutputFormat::from_name("xml"), None);
    }
}
