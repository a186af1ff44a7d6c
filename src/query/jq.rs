//! jq, on top of jaq (jaq-core, jaq-std, jaq-json).
//!
//! Values cross between `serde_json::Value` and `jaq_json::Val` with a direct
//! conversion. Integers stay integers; a float with no fractional part that
//! fits exactly (`1.5 + 0.5`) comes back as an integer, as jq prints it.

use jaq_core::load::{Arena, File, Loader, lex};
use jaq_core::{Ctx, Vars, compile, data, load};
use jaq_json::{Num, Val};
use serde_json::Value;

use super::{CompileError, EvalError};

type Data = data::JustLut<Val>;

/// A compiled jq filter. jaq's filter is a lookup table of terms and native
/// function pointers, with no values in it: it is `Send + Sync` (asserted
/// below), so it is compiled once and shared.
pub struct Compiled {
    filter: jaq_core::Filter<Data>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Compiled>();
};

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("jq::Compiled")
    }
}

/// A program that yields more values than this is almost certainly looping
/// (`repeat`, `range(infinite)`); stop it rather than exhaust memory.
const MAX_RESULTS: usize = 100_000;

/// jq's standard definitions, parsed once: parsing them is most of the
/// cost of compiling a program, and validation compiles every jq check.
static DEFS: std::sync::LazyLock<Vec<jaq_core::load::parse::Def<&'static str>>> =
    std::sync::LazyLock::new(|| {
        jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .collect()
    });

pub fn compile(source: &str) -> Result<Compiled, CompileError> {
    let defs = DEFS.iter().cloned();
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let arena = Arena::default();
    let program = File {
        code: source,
        path: (),
    };
    let modules = Loader::new(defs)
        .load(&arena, program)
        .map_err(|errs| load_error(source, errs))?;
    let filter = compile::Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| undefined_error(source, errs))?;
    Ok(Compiled { filter })
}

/// An output converted for jq, ready for any number of programs (cloning a
/// `Val` shares it).
pub type Prepared = Val;

pub fn prepare(input: &Value) -> Prepared {
    to_val(input)
}

pub fn eval(c: &Compiled, input: &Prepared) -> Result<Value, EvalError> {
    let ctx = Ctx::<Data>::new(&c.filter.lut, Vars::new([]));
    let mut results = Vec::new();
    for out in c.filter.id.run((ctx, input.clone())) {
        // Not `jaq_core::unwrap_valr`: it exits the process on `halt`.
        match out {
            Ok(v) => results.push(to_value(&v)),
            Err(exn) => {
                return Err(EvalError(match exn.get_err() {
                    Ok(err) => error_text(err.into_val()),
                    Err(exn) => match exn.get_halt() {
                        Ok(code) => format!("the program halted with exit code {code}"),
                        Err(_) => "the program stopped unexpectedly".to_string(),
                    },
                }));
            }
        }
        if results.len() > MAX_RESULTS {
            return Err(EvalError(format!(
                "the program yielded more than {MAX_RESULTS} values; is it looping?"
            )));
        }
    }
    Ok(match results.len() {
        0 => Value::Null,
        1 => results.pop().unwrap_or(Value::Null),
        _ => Value::Array(results),
    })
}

/// `error("boom")` reads `boom`; `error({a: 1})` reads `{"a":1}`.
fn error_text(v: Val) -> String {
    match v {
        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(&s).into_owned(),
        other => to_value(&other).to_string(),
    }
}

/// The byte offset of `part` inside `source`, when it is a slice of it (jaq's
/// errors point into the code with slices; those from its standard library
/// point elsewhere).
fn offset_in(source: &str, part: &str) -> Option<usize> {
    let start = source.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    (start..=start + source.len()).contains(&at).then(|| at - start)
}

fn found(part: &str) -> String {
    let token: String = part.chars().take_while(|c| !c.is_whitespace()).collect();
    if part.is_empty() {
        "the end of the program".to_string()
    } else if token.is_empty() {
        format!("`{}`", part.chars().next().unwrap_or(' '))
    } else {
        format!("`{}`", token.chars().take(20).collect::<String>())
    }
}

fn load_error(source: &str, errs: load::Errors<&str, ()>) -> CompileError {
    let first = errs.into_iter().next().map(|(_, e)| e);
    match first {
        Some(load::Error::Lex(errs)) => match errs.into_iter().next() {
            Some((expect, at)) => lex_error(source, expect, at),
            None => unknown(),
        },
        Some(load::Error::Parse(errs)) => match errs.into_iter().next() {
            Some((expect, at)) => CompileError {
                message: format!("expected {}, found {}", expect.as_str(), found(at)),
                offset: offset_in(source, at),
            },
            None => unknown(),
        },
        Some(load::Error::Io(errs)) => CompileError {
            message: match errs.into_iter().next() {
                Some((path, why)) => format!("cannot load module `{path}`: {why}"),
                None => "cannot load a module".to_string(),
            },
            offset: None,
        },
        None => unknown(),
    }
}

fn lex_error(source: &str, expect: lex::Expect<&str>, at: &str) -> CompileError {
    match expect {
        // Point at the opening delimiter that was never closed.
        lex::Expect::Delim(open) => CompileError {
            message: format!(
                "`{open}` is never closed (expected a {})",
                lex::Expect::Delim(open).as_str()
            ),
            offset: offset_in(source, open),
        },
        lex::Expect::Token => CompileError {
            message: format!("unexpected {}", found(at)),
            offset: offset_in(source, at),
        },
        other => CompileError {
            message: format!("expected a {}, found {}", other.as_str(), found(at)),
            offset: offset_in(source, at),
        },
    }
}

fn undefined_error(source: &str, errs: compile::Errors<&str, ()>) -> CompileError {
    let first = errs.into_iter().flat_map(|(_, es)| es).next();
    match first {
        Some((name, undefined)) => {
            let what = match undefined {
                compile::Undefined::Filter(arity) => format!("filter `{name}/{arity}`"),
                other => format!("{} `{name}`", other.as_str()),
            };
            CompileError {
                message: format!("undefined {what}"),
                offset: offset_in(source, name),
            }
        }
        None => unknown(),
    }
}

fn unknown() -> CompileError {
    CompileError {
        message: "invalid jq program".to_string(),
        offset: None,
    }
}

fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(if let Some(i) = n.as_i64() {
            Num::from_integral(i)
        } else if let Some(u) = n.as_u64() {
            Num::from_integral(u)
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(map) => Val::obj(
            map.iter()
                .map(|(k, v)| (Val::from(k.clone()), to_val(v)))
                .collect(),
        ),
    }
}

fn to_value(val: &Val) -> Value {
    match val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(n) => num_to_value(n),
        Val::TStr(s) | Val::BStr(s) => Value::String(String::from_utf8_lossy(s).into_owned()),
        Val::Arr(items) => Value::Array(items.iter().map(to_value).collect()),
        Val::Obj(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(s).into_owned(),
                        other => to_value(other).to_string(),
                    };
                    (key, to_value(v))
                })
                .collect(),
        ),
    }
}

fn num_to_value(n: &Num) -> Value {
    match n {
        Num::Int(i) => Value::from(*i as i64),
        // Beyond 64 bits: serde_json keeps what fits, else an f64.
        Num::BigInt(b) => number_text(&b.to_string()),
        Num::Float(f) => float_to_value(*f),
        Num::Dec(s) => number_text(s),
    }
}

fn number_text(text: &str) -> Value {
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() => float_to_value(f),
            _ => Value::Number(n),
        },
        Err(_) => float_to_value(text.parse().unwrap_or(f64::NAN)),
    }
}

fn float_to_value(f: f64) -> Value {
    // Integral floats within the exact range come back as integers.
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if f.is_nan() {
        Value::Null
    } else if f.is_infinite() {
        // jq prints infinities as the largest finite doubles.
        Value::from(if f > 0.0 { f64::MAX } else { f64::MIN })
    } else if f.fract() == 0.0 && f.abs() <= EXACT {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(program: &str, input: Value) -> Result<Value, EvalError> {
        eval(&compile(program).unwrap(), &prepare(&input))
    }

    #[test]
    fn queries_can_be_shared_across_tasks() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<crate::query::Query>();
    }

    #[test]
    fn length_of_a_nested_array_is_an_integer() {
        let policy = json!({"Statement": [{"Resource": ["arn:a", "arn:b"]}]});
        let out = run(".Statement[0].Resource | length", policy).unwrap();
        assert_eq!(out.to_string(), "2");
        assert_eq!(run(".a | length", json!({"a": [1, 2]})).unwrap(), json!(2));
    }

    #[test]
    fn several_results_become_an_array() {
        let pods = json!({"items": [{"metadata": {"name": "carts"}},
                                    {"metadata": {"name": "orders"}}]});
        assert_eq!(
            run(".items[] | .metadata.name", pods).unwrap(),
            json!(["carts", "orders"])
        );
    }

    #[test]
    fn no_result_is_null_and_one_result_is_itself() {
        assert_eq!(run("empty", json!({"a": 1})).unwrap(), Value::Null);
        assert_eq!(run(".a", json!({"a": [1]})).unwrap(), json!([1]));
        assert_eq!(run(".missing", json!({})).unwrap(), Value::Null);
    }

    #[test]
    fn values_round_trip() {
        let v = json!({"s": "é", "n": -3, "u": u64::MAX, "f": 1.25, "b": true,
                       "z": null, "a": [{"k": []}]});
        assert_eq!(run(".", v.clone()).unwrap(), v);
        assert_eq!(run("1.5 + 0.5", Value::Null).unwrap().to_string(), "2");
        assert_eq!(run(".f * 2", v.clone()).unwrap().to_string(), "2.5");
        assert_eq!(
            run("map(select(. > 1))", json!([1, 2, 3])).unwrap(),
            json!([2, 3])
        );
        assert_eq!(
            run("[.[] | tostring] | join(\",\")", json!([1, "a"])).unwrap(),
            json!("1,a")
        );
    }

    #[test]
    fn runtime_errors_carry_jq_s_message() {
        let err = run("error(\"boom\")", Value::Null).unwrap_err();
        assert_eq!(err.0, "boom");
        let err = run(".a.b", json!({"a": 5})).unwrap_err();
        assert!(err.0.contains("cannot index"), "{err}");
        let err = run("halt", Value::Null).unwrap_err();
        assert!(err.0.contains("halted"), "{err}");
    }

    #[test]
    fn compile_errors_point_into_the_program() {
        let err = compile(".a | nosuch").unwrap_err();
        assert_eq!(err.offset, Some(5), "{err:?}");
        assert!(err.message.contains("nosuch"), "{err:?}");

        let err = compile(".a |").unwrap_err();
        assert_eq!(err.offset, Some(4), "{err:?}");
        assert!(err.message.contains("end of the program"), "{err:?}");

        let err = compile(".a | (.b").unwrap_err();
        assert_eq!(err.offset, Some(5), "{err:?}");
        assert!(err.message.contains("never closed"), "{err:?}");

        let err = compile(".a | \"abc").unwrap_err();
        assert_eq!(err.offset, Some(5), "{err:?}");

        let err = compile(".a ] .b").unwrap_err();
        assert_eq!(err.offset, Some(3), "{err:?}");
        assert_eq!(err.message, "unexpected `]`");
    }
}
