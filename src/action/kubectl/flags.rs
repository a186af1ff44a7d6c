//! The flags each verb accepts, and the scan of a line's words into flags,
//! resource arguments and the command after `--`.

use crate::action::arg::CommandError;
use crate::action::kubectl::values::switch;
use crate::action::words::Word;

#[derive(Clone, Copy, Debug)]
pub struct Flag {
    /// Short and long names; the last one is the canonical name.
    pub names: &'static [&'static str],
    /// Whether the flag takes a value (else it is a switch).
    pub value: bool,
}

const fn flag(names: &'static [&'static str], value: bool) -> Flag {
    Flag { names, value }
}

pub const NAMESPACE: Flag = flag(&["-n", "--namespace"], true);
/// A global flag, like `-n`: the kubeconfig context of this one line.
pub const CONTEXT: Flag = flag(&["--context"], true);
const OUTPUT: Flag = flag(&["-o", "--output"], true);
const SELECTOR: Flag = flag(&["-l", "--selector"], true);
const ALL_NS: Flag = flag(&["-A", "--all-namespaces"], false);
const FILENAME: Flag = flag(&["-f", "--filename"], true);
const TIMEOUT: Flag = flag(&["--timeout"], true);

/// The flags of a verb, `-n` and `--context` first; None for a verb rehearse does not run natively.
pub fn flags_for(verb: &str) -> Option<Vec<Flag>> {
    let own = match verb {
        "get" => vec![
            OUTPUT,
            SELECTOR,
            ALL_NS,
            flag(&["--field-selector"], true),
            flag(&["--sort-by"], true),
            flag(&["--ignore-not-found"], false),
            flag(&["--show-managed-fields"], false),
            flag(&["--show-labels"], false),
            flag(&["--no-headers"], false),
            flag(&["-L", "--label-columns"], true),
            // Refused with a hint (see `parse`).
            flag(&["-w", "--watch"], false),
            flag(&["--watch-only"], false),
        ],
        "apply" => vec![
            FILENAME,
            OUTPUT,
            flag(&["--server-side"], false),
            flag(&["--force-conflicts"], false),
            flag(&["-R", "--recursive"], false),
        ],
        "delete" => vec![
            FILENAME,
            SELECTOR,
            ALL_NS,
            flag(&["--ignore-not-found"], false),
            flag(&["--wait"], false),
            TIMEOUT,
            flag(&["--all"], false),
            flag(&["--grace-period"], true),
            flag(&["--now"], false),
            flag(&["--force"], false),
        ],
        "patch" => vec![
            OUTPUT,
            flag(&["--type"], true),
            flag(&["-p", "--patch"], true),
            flag(&["--subresource"], true),
        ],
        "annotate" | "label" => vec![OUTPUT, SELECTOR, flag(&["--overwrite"], false)],
        "scale" => vec![OUTPUT, flag(&["--replicas"], true)],
        "rollout restart" => vec![],
        "rollout status" => vec![TIMEOUT, flag(&["-w", "--watch"], false)],
        "rollout undo" => vec![flag(&["--to-revision"], true)],
        // `--revision` is refused with a hint (see `parse`).
        "rollout history" => vec![flag(&["--revision"], true)],
        "set image" => vec![OUTPUT, SELECTOR],
        "set env" => vec![
            OUTPUT,
            SELECTOR,
            flag(&["-c", "--containers"], true),
            flag(&["--overwrite"], false),
            flag(&["--from"], true),
            flag(&["--keys"], true),
            flag(&["--prefix"], true),
        ],
        "wait" => vec![
            OUTPUT,
            SELECTOR,
            ALL_NS,
            flag(&["--all"], false),
            flag(&["--for"], true),
            TIMEOUT,
        ],
        "logs" => vec![
            SELECTOR,
            flag(&["--all-containers"], false),
            flag(&["--prefix"], false),
            flag(&["-c", "--container"], true),
            flag(&["-p", "--previous"], false),
            flag(&["--tail"], true),
            flag(&["--since"], true),
            flag(&["--timestamps"], false),
            flag(&["-f", "--follow"], false),
        ],
        "exec" => vec![
            flag(&["-c", "--container"], true),
            flag(&["-i", "--stdin"], false),
            flag(&["-t", "--tty"], false),
        ],
        "describe" => vec![SELECTOR, ALL_NS],
        "create" => vec![
            OUTPUT,
            flag(&["--from-literal"], true),
            flag(&["--dry-run"], true),
            flag(&["--image"], true),
            flag(&["-r", "--replicas"], true),
            flag(&["--port"], true),
            flag(&["--from"], true),
        ],
        // `--client` is refused with a hint (see `parse`).
        "version" => vec![OUTPUT, flag(&["--client"], false)],
        "cluster-info" => vec![],
        "run" => vec![
            OUTPUT,
            flag(&["--image"], true),
            flag(&["--restart"], true),
            flag(&["--command"], false),
            flag(&["--env"], true),
            flag(&["-l", "--labels"], true),
            flag(&["--port"], true),
            flag(&["--dry-run"], true),
            // Refused with a hint (see `parse`): they attach a terminal.
            flag(&["-i", "--stdin"], false),
            flag(&["-t", "--tty"], false),
            flag(&["--rm"], false),
            flag(&["--attach"], false),
        ],
        _ => return None,
    };
    let mut flags = vec![NAMESPACE, CONTEXT];
    flags.extend(own);
    Some(flags)
}

fn known_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.names.join("/"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A line's words sorted out: flags (canonical name and value word),
/// resource arguments, and the words after `--`.
#[derive(Default)]
pub struct Scanned {
    given: Vec<(&'static str, Word)>,
    pub positionals: Vec<Word>,
    pub rest: Option<Vec<Word>>,
}

impl Scanned {
    /// The value of the last occurrence of a flag.
    pub fn last(&self, name: &str) -> Option<&Word> {
        self.given.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every value of a repeatable flag, in order.
    pub fn all(&self, name: &str) -> Vec<Word> {
        self.given
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A switch: absent is false, `--x` true, `--x=false` false.
    pub fn switch(&self, name: &str) -> Result<bool, CommandError> {
        self.switch_or(name, false)
    }

    pub fn switch_or(&self, name: &str, default: bool) -> Result<bool, CommandError> {
        match self.last(name) {
            None => Ok(default),
            Some(w) => match w.text() {
                Some(t) => switch(name, &t).map_err(|e| e.at(&w.span)),
                None => Err(CommandError::new(
                    format!("the value of {name} cannot come from a variable"),
                    format!("write {name} or {name}=false"),
                )
                .at(&w.span)),
            },
        }
    }
}

/// Scans the words after the verb (`leading` are flags written before it).
pub fn scan(
    verb: &str,
    specs: &[Flag],
    leading: Vec<Word>,
    words: &[Word],
    rest: Option<Vec<Word>>,
) -> Result<Scanned, CommandError> {
    let mut out = Scanned {
        rest,
        ..Scanned::default()
    };
    let tokens: Vec<Word> = leading.into_iter().chain(words.iter().cloned()).collect();
    let mut t = 0;
    while t < tokens.len() {
        let tok = &tokens[t];
        t += 1;
        let prefix = tok.literal_prefix();
        if !prefix.starts_with('-') || tok.is("-") {
            out.positionals.push(tok.clone());
            continue;
        }
        // `-it`, `-ti`: two switches at once.
        if (verb == "exec" || verb == "run") && (tok.is("-it") || tok.is("-ti")) {
            out.given.push(("--stdin", Word::literal("", tok.span.clone())));
            out.given.push(("--tty", Word::literal("", tok.span.clone())));
            continue;
        }
        let (name, inline) = flag_parts(tok)?;
        let Some(spec) = specs.iter().find(|f| f.names.contains(&name.as_str())) else {
            return Err(CommandError::not_native(
                format!("flag {name} of `{verb}` is not run natively"),
                format!("known flags for `{verb}`: {}", known_flags(specs)),
            )
            .at(&tok.span));
        };
        let canonical = *spec.names.last().expect("flag names");
        let value = match (spec.value, inline) {
            (_, Some(v)) => v,
            (true, None) => match tokens.get(t) {
                Some(v) => {
                    t += 1;
                    v.clone()
                }
                None => {
                    return Err(CommandError::new(
                        format!("flag {name} needs a value"),
                        format!("write {name}=VALUE"),
                    )
                    .at(&tok.span));
                }
            },
            (false, None) => Word::literal("", tok.span.clone()),
        };
        out.given.push((canonical, value));
    }
    Ok(out)
}

/// `--name=value`, `--name`, `-nfoo`, `-n=foo`, `-n`: the flag's name and
/// its inline value.
fn flag_parts(tok: &Word) -> Result<(String, Option<Word>), CommandError> {
    let prefix = tok.literal_prefix();
    if prefix.starts_with("--") {
        return Ok(match tok.split_prefix('=') {
            Some((name, value)) => (name, Some(value)),
            None if !tok.has_placeholders() => (prefix.to_string(), None),
            None => {
                return Err(CommandError::new(
                    format!("a flag's name cannot come from a variable: {}", tok.source()),
                    "write the flag's name, then its value",
                )
                .at(&tok.span));
            }
        });
    }
    // A short flag: its two characters, then an inline value, with or without `=`.
    let name: String = prefix.chars().take(2).collect();
    if name.chars().count() < 2 {
        return Err(CommandError::new(format!("unknown flag {}", tok.source()), "").at(&tok.span));
    }
    let (_, value) = tok
        .split_prefix(name.chars().nth(1).unwrap_or('-'))
        .expect("the flag's own letter");
    let value = match value.split_prefix('=') {
        Some((before, after)) if before.is_empty() => after,
        _ => value,
    };
    let inline = (!value.parts.is_empty()).then_some(value);
    Ok((name, inline))
}
