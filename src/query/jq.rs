//! jq (stub, to be written).
use serde_json::Value;

use super::{CompileError, EvalError};

pub struct Compiled;

pub fn compile(source: &str) -> Result<Compiled, CompileError> {
    let _ = source;
    Err(CompileError {
        message: "not written yet".into(),
        offset: None,
    })
}

pub fn eval(c: &Compiled, input: &Value) -> Result<Value, EvalError> {
    let _ = (c, input);
    Err(EvalError("not written yet".into()))
}
