//! Helpers shared by the integration tests.

#![allow(dead_code)]

/// The ```toml blocks of a markdown file: (the word after `toml`, the body,
/// the 1-based line of the opening fence).
pub fn toml_blocks(md: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (i, line) in md.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(info) = line.strip_prefix("```toml") {
                    current = Some((info.trim().to_string(), String::new(), i + 1));
                }
            }
            Some((_, body, _)) => {
                if line.starts_with("```") {
                    out.extend(current.take());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "unclosed code block");
    out
}
