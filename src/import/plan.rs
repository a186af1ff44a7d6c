//! A lab turned into the steps of a workflow, in page order: one step per
//! command (its kind chosen by `decide`), the hook scripts' runs around
//! their blocks, the suite hooks around their folders, the variables the
//! native steps read, and the comments that make the file read well.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::block::Command;
use super::decide::{self, Kind, Tool};
use super::harness::{self, Difference, Treatment};
use super::lab::{self, Folder, Lab};
use super::markdown::{Block, Page};
use super::summary::{HarnessNote, Summary};

/// The workflow to write.
#[derive(Clone, Debug)]
pub struct Workflow {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The lab's folder (or page), relative to the workflow file.
    pub source: String,
    /// Variables read from the environment, in order of first use.
    pub vars: Vec<String>,
    pub steps: Vec<Item>,
    pub finally: Vec<Item>,
}

/// What the `steps` and `finally` arrays hold: steps, and the comments
/// that name the pages and sections between them.
#[derive(Clone, Debug)]
pub enum Item {
    /// A page's banner or a section's name.
    Banner(String),
    Step(Box<Step>),
}

#[derive(Clone, Debug, Default)]
pub struct Step {
    pub id: String,
    pub title: Option<String>,
    pub action: Action,
    /// Seconds.
    pub timeout: Option<u64>,
    pub must_fail: bool,
    pub skip: Option<String>,
    pub live_only: Option<String>,
    pub env: Vec<(String, String)>,
    pub capture: Vec<(String, String)>,
    pub source: Option<Source>,
    /// Comment lines above the step.
    pub notes: Vec<String>,
    /// The sample output the page shows after the command.
    pub output: Vec<String>,
    /// Comment lines after the step (a wait to write instead of a sleep).
    pub after: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Run(String),
    Native(Tool, String),
}

impl Default for Action {
    fn default() -> Self {
        Action::Run(String::new())
    }
}

/// `source = { page, line, fingerprint }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub page: String,
    pub line: usize,
    pub fingerprint: String,
}

/// The workflow of `lab`, to be written in `out_dir`, and what was read and made.
pub fn plan(lab: &Lab, out_dir: &Path) -> (Workflow, Summary) {
    let top = lab.folders.first();
    let root = top.map(|f| f.dir.clone()).unwrap_or_default();
    let mut p = Planner {
        out_dir: out_dir.to_path_buf(),
        root: root.clone(),
        ids: HashSet::new(),
        vars: Vec::new(),
        captured: HashSet::new(),
        outputs: 0,
        summary: Summary {
            notes: lab.notes.clone(),
            excluded: lab.excluded.clone(),
            ..Summary::default()
        },
        steps: Vec::new(),
        finally: Vec::new(),
    };
    for folder in &lab.folders {
        p.folder(folder);
    }
    let first_page = top.and_then(|f| f.pages.first());
    let index = first_page.filter(|pg| lab::is_index(&pg.path));
    let named = match (top, first_page) {
        (Some(f), Some(pg)) if f.suite_hook.is_none() && f.pages.len() == 1 && !lab::is_index(&pg.path) => {
            pg.path.file_stem().map(PathBuf::from).unwrap_or_default()
        }
        _ => root.file_name().map(PathBuf::from).unwrap_or_default(),
    };
    let source = match (top, first_page) {
        (Some(f), Some(pg)) if f.pages.len() == 1 && f.suite_hook.is_none() => relative(out_dir, &pg.path),
        _ => relative(out_dir, &root),
    };
    let workflow = Workflow {
        name: workflow_name(&named.to_string_lossy()),
        title: index.or(first_page).and_then(|pg| pg.front.title.clone()),
        description: index.and_then(|pg| pg.front.description.clone()),
        source,
        vars: p.vars,
        steps: p.steps,
        finally: p.finally,
    };
    (workflow, p.summary)
}

struct Planner {
    out_dir: PathBuf,
    root: PathBuf,
    ids: HashSet<String>,
    vars: Vec<String>,
    captured: HashSet<String>,
    /// Variables made so far for hooks' `TEST_OUTPUT`.
    outputs: usize,
    summary: Summary,
    steps: Vec<Item>,
    finally: Vec<Item>,
}

/// A hook script, as a block or a folder names it.
struct Hook {
    name: String,
    path: PathBuf,
    /// Its text, None when the file is missing.
    script: Option<String>,
}

impl Hook {
    fn new(name: &str, path: PathBuf) -> Hook {
        Hook {
            name: name.to_string(),
            script: std::fs::read_to_string(&path).ok(),
            path,
        }
    }

    /// The text of the script's `part` function (`before() { … }`), or
    /// the whole script when it has no such function.
    fn part(&self, part: &str) -> Option<&str> {
        let script = self.script.as_deref()?;
        Some(function_body(script, part).unwrap_or(script))
    }

    /// The after part reads the block's output.
    fn reads_output(&self) -> bool {
        self.part("after").is_some_and(|s| s.contains("TEST_OUTPUT"))
    }
}

/// The body of the shell function `name() {` … `}` (its closing brace
/// alone on a line at the start).
fn function_body<'s>(script: &'s str, name: &str) -> Option<&'s str> {
    let mut offset = 0;
    let mut start = None;
    for line in script.split_inclusive('\n') {
        let t = line.trim();
        match start {
            None => {
                let head = t.strip_prefix("function ").unwrap_or(t);
                if let Some(rest) = head.strip_prefix(name) {
                    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
                    if rest == "(){" {
                        start = Some(offset + line.len());
                    }
                }
            }
            Some(from) if line.trim_end() == "}" => return Some(&script[from..offset]),
            Some(_) => {}
        }
        offset += line.len();
    }
    None
}

impl Planner {
    fn folder(&mut self, folder: &Folder) {
        let key = self.folder_key(&folder.dir);
        let suite = folder
            .suite_hook
            .as_ref()
            .map(|path| Hook::new("suite", path.clone()));
        if let Some(hook) = &suite {
            let title = format!("Suite hook of {}: before its pages", self.shown(&folder.dir));
            let step = self.hook_step(&format!("{key}.hook-suite-before"), hook, "before", None, title);
            self.steps.push(Item::Step(Box::new(step)));
        }
        for page in &folder.pages {
            self.page(folder, page);
        }
        if let Some(hook) = &suite {
            let title = format!("Suite hook of {}: after its pages", self.shown(&folder.dir));
            let mut step = self.hook_step(&format!("{key}.hook-suite-after"), hook, "after", None, title);
            if folder.top {
                step.notes.push(
                    "The harness runs it after the folder's tests whatever happened: a `finally` step."
                        .into(),
                );
                self.finally.push(Item::Step(Box::new(step)));
            } else {
                step.notes.push(
                    "The harness runs it after the folder's tests whatever happened; here it runs when they pass, before the next folder."
                        .into(),
                );
                self.steps.push(Item::Step(Box::new(step)));
            }
        }
    }

    fn page(&mut self, folder: &Folder, page: &Page) {
        self.summary.pages += 1;
        self.summary.other_blocks += page.other_blocks;
        let title = page.front.title.as_deref().unwrap_or("(no title)");
        self.steps.push(Item::Banner(format!(
            "---- {}: {title} ----",
            self.shown(&page.path)
        )));
        let key = self.page_key(&page.path);
        let mut section = None;
        for block in &page.blocks {
            self.summary.bash_blocks += 1;
            if block.attrs.no_test {
                self.summary.untested_blocks += 1;
            }
            if block.commands.is_empty() {
                self.summary.empty_blocks += 1;
                continue;
            }
            let here = block.section.describe();
            if here.is_some() && here != section {
                self.steps.push(Item::Banner(here.clone().unwrap_or_default()));
                section = here;
            }
            self.block(folder, page, &key, block);
        }
    }

    fn block(&mut self, folder: &Folder, page: &Page, key: &str, block: &Block) {
        let diffs = harness::differences(block);
        let hook = block
            .attrs
            .hook
            .as_deref()
            .filter(|_| !block.attrs.no_test)
            .map(|name| Hook::new(name, folder.hook(name)));
        if let Some(h) = &hook {
            let title = format!("Hook {}: before the block at line {}", h.name, block.line);
            let id = format!("{key}.hook-{}-before", slug_word(&h.name));
            let step = self.hook_step(&id, h, "before", block.attrs.hook_timeout, title);
            self.steps.push(Item::Step(Box::new(step)));
        }
        let reads_output = hook.as_ref().is_some_and(Hook::reads_output);
        let mut outputs = Vec::new();
        let last = block.commands.len() - 1;
        for (n, command) in block.commands.iter().enumerate() {
            let mut step = self.command_step(page, key, block, command, reads_output);
            for d in diffs.iter().filter(|d| d.command == Some(n)) {
                step.notes.push(harness_note(d));
                self.summary.harness.push(self.harness_entry(page, d));
            }
            // An assignment prints nothing in the harness's block: its
            // stdout here is the value it captures.
            if reads_output && assigned(&command.text).is_none() {
                self.outputs += 1;
                let var = format!("HOOK_OUTPUT_{}", self.outputs);
                step.capture.push((var.clone(), "stdout".into()));
                self.captured.insert(var.clone());
                outputs.push(var);
            }
            if n == last {
                for d in diffs.iter().filter(|d| d.command.is_none()) {
                    step.after.push(format!(
                        "The workshop's harness also runs line {} as a command (`{}`): {}.",
                        d.line, d.text, d.why
                    ));
                    self.summary.harness_runs_output.push(self.harness_entry(page, d));
                }
                if let Some(secs) = block.attrs.wait.filter(|s| *s > 0 && !block.attrs.no_test) {
                    step.after.extend(wait_proposal(secs, &step.action));
                }
                if let (Some(name), true) = (&block.attrs.hook, block.attrs.no_test) {
                    step.after.push(format!(
                        "hook={name} does not run either: the block is test=false."
                    ));
                }
            }
            self.steps.push(Item::Step(Box::new(step)));
        }
        if let Some(h) = &hook {
            let title = format!("Hook {}: after the block at line {}", h.name, block.line);
            let id = format!("{key}.hook-{}-after", slug_word(&h.name));
            let mut step = self.hook_step(&id, h, "after", block.attrs.hook_timeout, title);
            if reads_output {
                let all: String = outputs.iter().map(|v| format!("${{{v}}}")).collect();
                step.env.push(("TEST_OUTPUT".into(), all));
                step.notes
                    .push("It reads the block's output in TEST_OUTPUT, as the harness gives it.".into());
            }
            self.steps.push(Item::Step(Box::new(step)));
        }
    }

    /// The step of one command.
    fn command_step(&mut self, page: &Page, key: &str, block: &Block, c: &Command, text_read: bool) -> Step {
        self.summary.commands += 1;
        let is_last = block.commands.last().is_some_and(|l| l.line == c.line);
        let mut step = Step {
            id: self.unique(&format!("{key}.{}", slug(&c.text))),
            timeout: block.attrs.timeout.filter(|t| *t > 0),
            must_fail: block.attrs.expect_error && is_last,
            source: Some(Source {
                page: relative(&self.out_dir, &page.path),
                line: c.line,
                fingerprint: c.fingerprint(),
            }),
            output: c.output.clone(),
            ..Step::default()
        };
        step.action = match decide::decide(&c.text, text_read) {
            Kind::Native {
                tool,
                line,
                vars,
                cli,
            } => {
                for v in vars {
                    if !self.captured.contains(&v) && !self.vars.contains(&v) {
                        self.vars.push(v);
                    }
                }
                match tool {
                    Tool::Aws => self.summary.aws += 1,
                    Tool::Kubectl => self.summary.kubectl += 1,
                }
                if let Some(why) = cli {
                    self.summary.cli += 1;
                    step.notes
                        .push(format!("Runs through the {} CLI: {why}.", tool.name()));
                }
                Action::Native(tool, line)
            }
            Kind::Run { why } => {
                self.summary.run += 1;
                if let Some(why) = why {
                    step.notes.push(format!("A `run` step: {why}."));
                }
                Action::Run(c.text.clone())
            }
        };
        if block.attrs.no_test {
            step.skip =
                Some("the page marks this block test=false: the workshop's harness does not run it".into());
            self.summary.skipped_steps += 1;
        }
        if c.text.split_whitespace().next() == Some("prepare-environment") {
            step.live_only = Some(
                "prepare-environment is a shell function of the workshop's IDE; a replay starts from the state it leaves"
                    .into(),
            );
            self.summary.live_only += 1;
        }
        if step.must_fail {
            self.summary.must_fail += 1;
            if block.commands.len() > 1 {
                step.notes.push(
                    "expectError=true: the harness lets the block fail; the failure is taken to be its last command's."
                        .into(),
                );
            }
        }
        if let (Action::Run(script), Some(name)) = (&step.action, assigned(&c.text)) {
            step.notes.push(format!(
                "Prints {name} for the steps after it, which rehearse runs each in its own shell."
            ));
            step.action = Action::Run(format!("{script}\nprintf '%s' \"${name}\""));
            step.capture.push((name.clone(), "stdout".into()));
            self.captured.insert(name);
        }
        step
    }

    /// A run of a hook script's `part` (`before` or `after`).
    fn hook_step(&mut self, id: &str, hook: &Hook, part: &str, timeout: Option<u64>, title: String) -> Step {
        self.summary.hooks += 1;
        let path = relative(&self.out_dir, &hook.path);
        let mut step = Step {
            id: self.unique(id),
            title: Some(title),
            action: Action::Run(format!("bash {} {part}", shell_quote(&path))),
            timeout: timeout.filter(|t| *t > 0),
            ..Step::default()
        };
        match hook.part(part) {
            None => {
                step.skip = Some(format!(
                    "the page names hook `{}`, but {path} does not exist",
                    hook.name
                ));
                self.summary.skipped_steps += 1;
            }
            Some(script) if script.contains("prepare-environment") => {
                step.live_only =
                    Some("the hook runs prepare-environment, a shell function of the workshop's IDE".into());
                self.summary.live_only += 1;
            }
            Some(_) => {}
        }
        step
    }

    fn harness_entry(&self, page: &Page, d: &Difference) -> HarnessNote {
        HarnessNote {
            page: PathBuf::from(self.shown(&page.path)),
            line: d.line,
            text: d.text.clone(),
            treatment: d.treatment.clone(),
            why: d.why.clone(),
        }
    }

    /// `base`, or `base-2`, `base-3`... whichever is free.
    fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while self.ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.ids.insert(id.clone());
        id
    }

    /// A path as shown in comments and the summary: relative to the lab's folder.
    fn shown(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            Ok(rel) => rel.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The prefix of the ids of a page's steps: its path in the lab,
    /// dotted (`using-dynamo`, `pods.index` → `pods`).
    fn page_key(&self, page: &Path) -> String {
        let parent = page.parent().unwrap_or(Path::new(""));
        if lab::is_index(page) {
            return match parent.strip_prefix(&self.root) {
                Ok(rel) if !rel.as_os_str().is_empty() => dotted(rel),
                _ => "index".into(),
            };
        }
        let stem = page.file_stem().map(PathBuf::from).unwrap_or_default();
        match parent.strip_prefix(&self.root) {
            Ok(rel) => dotted(&rel.join(stem)),
            Err(_) => dotted(&stem),
        }
    }

    fn folder_key(&self, dir: &Path) -> String {
        match dir.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => dotted(rel),
            _ => "lab".into(),
        }
    }
}

fn harness_note(d: &Difference) -> String {
    let what = match d.treatment {
        Some(Treatment::Skipped) => "never runs this command",
        Some(Treatment::Truncated) => "runs only part of this command",
        Some(Treatment::Altered) => "runs this command altered",
        None => "runs this line",
    };
    format!("The workshop's harness {what}: {}.", d.why)
}

/// What to write instead of the page's `wait=N` sleep.
fn wait_proposal(secs: u64, action: &Action) -> Vec<String> {
    let (on, example) = match action {
        Action::Native(Tool::Aws, line) if line.contains("addon") => (
            "a step that describes the add-on",
            r#"{ query = "addon.status", equals = "ACTIVE" }"#,
        ),
        Action::Native(Tool::Aws, _) => (
            "a step that describes what it changed",
            r#"{ query = "…", equals = "…" }"#,
        ),
        Action::Native(Tool::Kubectl, _) => (
            "a step that gets what it changed",
            r#"{ query = "status.readyReplicas", greater-or-equal = 1 }"#,
        ),
        Action::Run(_) => (
            "this step, or one that reads what it changed",
            r#"{ query = "stdout", contains = "…" }"#,
        ),
    };
    vec![
        format!(
            "The page sleeps {secs}s after this block (wait={secs}). Wait on the condition the next steps"
        ),
        format!("need instead, on {on}, e.g. `wait = {{ until = [ {example} ] }}`."),
    ]
}

/// The readable part of a command, for its step's id: the first words
/// that are neither flags nor their values, up to a pipe or redirection.
pub fn slug(text: &str) -> String {
    let joined = text.replace("\\\n", " ");
    let first = joined.lines().next().unwrap_or("");
    let mut words: Vec<String> = Vec::new();
    let mut skip_value = false;
    for word in first.split_whitespace() {
        if ["|", "||", "&&", ";", "&"].contains(&word)
            || word.starts_with(['>', '<', '|'])
            || word.starts_with("2>")
        {
            break;
        }
        if word.starts_with('-') {
            skip_value = !word.contains('=');
            continue;
        }
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let substitution = word.contains("$(") || word.contains('`');
        if word.contains('$') && !substitution {
            continue;
        }
        let w = slug_word(word.trim_matches(['"', '\'']));
        if !w.is_empty() {
            words.push(w);
        }
        if substitution {
            break;
        }
        if words.len() == 4 {
            break;
        }
    }
    let mut out = String::new();
    for w in words {
        if !out.is_empty() && out.len() + w.len() >= 48 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    if out.is_empty() { "command".into() } else { out }
}

/// A word as id characters: up to its first character that is not part
/// of a name or a path (`FOO=$(x)` → `foo`, `deployment/carts` →
/// `deployment-carts`), lowercase, dashes for the rest.
fn slug_word(word: &str) -> String {
    let kept: String = word
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "._/:-".contains(*c))
        .collect();
    let mut out = String::new();
    for c in kept.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn dotted(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(slug_word(&s.to_string_lossy())),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        "page".into()
    } else {
        parts.join(".")
    }
}

/// A workflow name: lowercase letters, digits, `-` and `_`, starting with a letter or digit.
fn workflow_name(s: &str) -> String {
    let w = slug_word(s);
    if w.is_empty() { "imported".into() } else { w }
}

/// The variable a command sets, when it is one assignment and nothing
/// else: `NAME=…` or `export NAME=…` (no `;`, `&&`, `|` or second one).
pub fn assigned(text: &str) -> Option<String> {
    let words = top_level_words(text)?;
    let assignment = match words.as_slice() {
        [export, assignment] if export == "export" => assignment,
        [assignment] => assignment,
        _ => return None,
    };
    let (name, _) = assignment.split_once('=')?;
    crate::template::is_name(name).then(|| name.to_string())
}

/// The words of a simple command, or None when it has a control operator
/// (`;`, `&`, `|`, a newline) outside quotes and `$(…)`.
fn top_level_words(text: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        word.push(c);
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                if let Some(&next) = chars.get(i + 1) {
                    word.push(next);
                }
                i += 1;
            }
            (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (_, '$') if chars.get(i + 1) == Some(&'(') => {
                depth += 1;
                word.push('(');
                i += 1;
            }
            (None, '`') => return None,
            (_, ')') if depth > 0 => depth -= 1,
            (Some(_), _) => {}
            (None, _) if depth > 0 => {}
            (None, ';' | '&' | '|' | '\n' | '<' | '>' | '(' | ')') => return None,
            (None, ' ' | '\t') => {
                word.pop();
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (None, _) => {}
        }
        i += 1;
    }
    if quote.is_some() || depth > 0 {
        return None;
    }
    if !word.is_empty() {
        words.push(word);
    }
    Some(words)
}

/// `s` as one shell word.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+=:@%,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `to` relative to the folder `from`, with `/` between components.
pub fn relative(from: &Path, to: &Path) -> String {
    let from = normalize(from);
    let to = normalize(to);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    for _ in from.components().skip(common) {
        parts.push("..".into());
    }
    for c in to.components().skip(common) {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// An absolute path without `.` and `..` (read lexically).
pub fn normalize(path: &Path) -> PathBuf {
    // `lab.toml`'s folder is the empty path: the current folder.
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_the_readable_words() {
        assert_eq!(
            slug("kubectl -n carts get -o yaml cm carts"),
            "kubectl-get-cm-carts"
        );
        assert_eq!(
            slug("aws eks create-addon --cluster-name $EKS_CLUSTER_NAME --addon-name x"),
            "aws-eks-create-addon"
        );
        assert_eq!(
            slug("kubectl get pods --all-namespaces=true | grep x"),
            "kubectl-get-pods"
        );
        assert_eq!(slug("export FOO=$(kubectl get x)"), "export-foo");
        assert_eq!(slug("$HOME/bin/x"), "command");
        assert_eq!(
            slug("kubectl rollout status deployment/carts"),
            "kubectl-rollout-status-deployment-carts"
        );
        assert_eq!(slug("aws \\\n  iam get-role"), "aws-iam-get-role");
    }

    #[test]
    fn one_assignment_alone() {
        assert_eq!(assigned("export A=1").as_deref(), Some("A"));
        assert_eq!(
            assigned("export LB=$(kubectl get svc -o jsonpath='{.x}' | tr -d ';')").as_deref(),
            Some("LB")
        );
        assert_eq!(assigned("export A=\"a b; c\"").as_deref(), Some("A"));
        assert_eq!(
            assigned("POD=$(kubectl get pods \\\n  -o name)").as_deref(),
            Some("POD")
        );
        assert_eq!(assigned("export A=1 B=2"), None);
        assert_eq!(assigned("export A=1 && echo"), None);
        assert_eq!(assigned("export A=1\nexport B=2"), None);
        assert_eq!(assigned("A=1 cmd"), None);
        assert_eq!(assigned("export A=`x`"), None);
        assert_eq!(assigned("export 1A=x"), None);
        assert_eq!(assigned("echo a=b"), None);
    }

    #[test]
    fn hook_parts() {
        let script = "set -e\n\nbefore() {\n  echo \"noop\"\n}\n\nafter() {\n  if [[ $TEST_OUTPUT ]]; then\n    prepare-environment\n  fi\n}\n\n\"$@\"\n";
        assert_eq!(function_body(script, "before"), Some("  echo \"noop\"\n"));
        assert!(
            function_body(script, "after")
                .unwrap()
                .contains("prepare-environment")
        );
        assert_eq!(function_body(script, "other"), None);
        assert_eq!(function_body("function after () {\nx\n}\n", "after"), Some("x\n"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/c/d.md")), "../c/d.md");
        assert_eq!(relative(Path::new("/a"), Path::new("/a/b/../c.md")), "c.md");
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), ".");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative(Path::new(""), &cwd.join("lab/index.md")),
            "lab/index.md",
            "the folder of `lab.toml`"
        );
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_quote("../tests/hook-x.sh"), "../tests/hook-x.sh");
        assert_eq!(shell_quote("a b/it's"), r"'a b/it'\''s'");
    }
}
