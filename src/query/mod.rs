//! JSON queries over step outputs: JMESPath (the `aws --query` dialect, our
//! own implementation, see `jmespath`) and jq.
//!
//! A `Query` is compiled once, when the workflow is parsed, and evaluated
//! many times (every poll of a wait).

pub mod depth;
mod jmespath;
mod jq;
pub mod jsonpath;

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[serde(rename = "jmespath")]
    JmesPath,
    Jq,
    /// Not a language: what the step printed (`stdout = true`), as text.
    Stdout,
}

impl Lang {
    /// The key that introduces this language in a check.
    pub fn key(self) -> &'static str {
        match self {
            Lang::JmesPath => "query",
            Lang::Jq => "jq",
            Lang::Stdout => "stdout",
        }
    }
}

/// Why an expression did not compile.
#[derive(Clone, Debug, PartialEq)]
pub struct CompileError {
    pub message: String,
    /// Byte offset of the problem inside the expression, when known.
    pub offset: Option<usize>,
}

/// Why an evaluation failed (a jq `error`, a JMESPath type error...).
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError(pub String);

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone)]
pub struct Query {
    lang: Lang,
    source: String,
    compiled: Arc<Compiled>,
}

enum Compiled {
    JmesPath(jmespath::Compiled),
    Jq(jq::Compiled),
    Stdout,
}

impl Query {
    pub fn compile(lang: Lang, source: &str) -> Result<Query, CompileError> {
        depth::check(source)?;
        let compiled = match lang {
            Lang::JmesPath => Arc::new(Compiled::JmesPath(jmespath::compile(source)?)),
            Lang::Jq => compile_jq_once(source)?,
            Lang::Stdout => Arc::new(Compiled::Stdout),
        };
        Ok(Query {
            lang,
            source: source.to_string(),
            compiled,
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the query. A jq program that yields no value gives `null`,
    /// one value gives that value, several give an array of them.
    pub fn eval(&self, input: &Value) -> Result<Value, EvalError> {
        self.eval_on(&Input::new(input))
    }

    /// Evaluates the query over an output that other queries may read too.
    pub fn eval_on(&self, input: &Input<'_>) -> Result<Value, EvalError> {
        match &*self.compiled {
            Compiled::JmesPath(c) => jmespath::eval(c, input.value),
            Compiled::Jq(c) => jq::eval(c, input.jq.get_or_init(|| jq::prepare(input.value))),
            Compiled::Stdout => Ok(input.stdout.map_or(Value::Null, |text| {
                // As a page shows sample output: without the last line
                // break, which a TOML string would have to spell out.
                Value::String(text.trim_end_matches(['\n', '\r']).to_string())
            })),
        }
    }

    /// The top-level field names a JMESPath expression reads from its input
    /// (for `when` conditions, whose input is the variables). Empty for jq.
    pub fn fields(&self) -> Vec<String> {
        match &*self.compiled {
            Compiled::JmesPath(c) => jmespath::fields(c),
            Compiled::Jq(_) | Compiled::Stdout => Vec::new(),
        }
    }
}

/// A string as Python's `json.dumps` writes it (ASCII only, the rest as
/// `\uXXXX` UTF-16 units), as JMESPath's `to_string` and botocore's paging
/// tokens spell strings.
pub fn python_string(s: &str) -> String {
    let mut out = String::new();
    jmespath::json_text::write_string(&mut out, s);
    out
}

/// One output, read by several queries (the checks and captures of a step).
/// JMESPath reads the `serde_json::Value` as it is; jq has its own value
/// type, and converting a big output into it costs far more than most
/// queries (tens of milliseconds for a list of 5,000 pods), so that
/// conversion is made once, on first use, and kept.
pub struct Input<'a> {
    value: &'a Value,
    /// What the step printed, for `stdout = true`.
    stdout: Option<&'a str>,
    jq: OnceCell<jq::Prepared>,
}

impl<'a> Input<'a> {
    pub fn new(value: &'a Value) -> Input<'a> {
        Input::printed(value, None)
    }

    /// An output and the text its step printed.
    pub fn printed(value: &'a Value, stdout: Option<&'a str>) -> Input<'a> {
        Input {
            value,
            stdout,
            jq: OnceCell::new(),
        }
    }

    pub fn value(&self) -> &'a Value {
        self.value
    }
}

/// Most jq programs the cache keeps. A compiled program holds jq's
/// standard library: tens of kilobytes each, so a process that compiles
/// endless distinct programs (a fuzzer, a server) must not keep them all.
/// Workflows repeat a few checks; past this many, a program is compiled
/// each time it is met.
const JQ_CACHE_MAX: usize = 1024;

type JqCache = std::sync::Mutex<std::collections::HashMap<String, Arc<Compiled>>>;

fn jq_cache() -> &'static JqCache {
    static CACHE: std::sync::LazyLock<JqCache> = std::sync::LazyLock::new(Default::default);
    &CACHE
}

/// A jq program is compiled once per process: compiling one compiles jq's
/// whole standard library with it (a fraction of a millisecond), and the
/// same checks recur across the steps and files a run validates.
fn compile_jq_once(source: &str) -> Result<Arc<Compiled>, CompileError> {
    if let Some(hit) = jq_cache().lock().unwrap_or_else(|e| e.into_inner()).get(source) {
        return Ok(hit.clone());
    }
    let compiled = Arc::new(Compiled::Jq(jq::compile(source)?));
    let mut cache = jq_cache().lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() < JQ_CACHE_MAX {
        cache.insert(source.to_string(), compiled.clone());
    }
    Ok(compiled)
}

/// Two queries are the same when they are written the same in the same language.
impl PartialEq for Query {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.source == other.source
    }
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", self.lang.key(), self.source)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lang {
            Lang::Stdout => f.write_str("stdout"),
            _ => write!(f, "{} `{}`", self.lang.key(), self.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_input_read_by_both_languages_answers_as_fresh_evaluations_do() {
        let output = json!({"items": [{"name": "a", "ready": true}, {"name": "b", "ready": false}]});
        let input = Input::new(&output);
        let queries = [
            Query::compile(Lang::JmesPath, "items[?ready].name").unwrap(),
            Query::compile(Lang::Jq, "[.items[] | select(.ready | not) | .name]").unwrap(),
            Query::compile(Lang::JmesPath, "length(items)").unwrap(),
            Query::compile(Lang::Jq, ".items | length").unwrap(),
        ];
        // Twice over, so the second round reads the kept conversions.
        for _ in 0..2 {
            let kept: Vec<Value> = queries.iter().map(|q| q.eval_on(&input).unwrap()).collect();
            let fresh: Vec<Value> = queries.iter().map(|q| q.eval(&output).unwrap()).collect();
            assert_eq!(kept, fresh);
            assert_eq!(kept, [json!(["a"]), json!(["b"]), json!(2), json!(2)]);
        }
    }

    #[test]
    fn the_jq_cache_keeps_at_most_its_bound_and_programs_past_it_still_compile() {
        for i in 0..JQ_CACHE_MAX + 50 {
            let q = Query::compile(Lang::Jq, &format!(".a // {i}")).unwrap();
            assert_eq!(q.eval(&json!({})).unwrap(), json!(i));
        }
        let kept = jq_cache().lock().unwrap().len();
        assert!(kept <= JQ_CACHE_MAX, "{kept} programs kept");
    }

    #[test]
    fn stdout_reads_the_printed_text_without_its_last_line_break() {
        let output = json!({"spec": {"replicas": 2}});
        let stdout = Query::compile(Lang::Stdout, "").unwrap();
        let printed = Input::printed(&output, Some("NAME  READY\ncarts 1/1\n\n"));
        assert_eq!(stdout.eval_on(&printed).unwrap(), json!("NAME  READY\ncarts 1/1"));
        // A step that printed nothing of its own (an `http` step) has no stdout.
        assert_eq!(stdout.eval_on(&Input::new(&output)).unwrap(), Value::Null);
        assert_eq!(stdout.to_string(), "stdout");
    }
}
