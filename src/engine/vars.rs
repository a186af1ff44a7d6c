//! The variables of a running workflow: `[vars]`, `--var`, then captures.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::template::Template;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vars(BTreeMap<String, String>);

impl Vars {
    pub fn new() -> Self {
        Vars::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A variable's value, owned: what templates and commands are filled
    /// in with.
    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A template with its references filled in; a variable that is not
    /// set (its capturing step was skipped) is an error naming it.
    pub fn fill(&self, template: &Template) -> Result<String, String> {
        template.fill(&|name| self.value(name))
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The variables as a JSON object: the input of `when` conditions.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    }
}

/// How a captured value becomes a variable: strings as they are, anything
/// else as compact JSON (so `${COUNT}` of a number reads `3`).
pub fn to_var_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
