//! An AWS call as parsed ([`Call`]) and as filled in, ready to send
//! ([`Request`]).

use serde_json::{Map, Value, json};

use crate::action::arg::{Arg, CommandError, Filler};
use crate::action::aws::input::{add, input_members};
use crate::action::aws::print::{OutputFormat, print};
use crate::action::aws::spec::{Member, Operation, Service};
use crate::action::aws::waiters::Waiter;
use crate::query::Query;
use crate::template::JsonTemplate;

/// A validated `aws` step: which operation, and where each input member
/// comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub service: Service,
    pub operation: &'static Operation,
    /// `eks wait …`: `operation` is the describe call it polls.
    pub waiter: Option<&'static Waiter>,
    /// Members set by flags, in the order written; repeated list and map
    /// flags add up.
    pub members: Vec<(&'static Member, Arg<Value>)>,
    /// Members given as one object: the flags win over it.
    pub input: Option<Input>,
    /// `--page-size`: the page size, while the CLI still fetches every page.
    pub page_size: Option<Arg<i64>>,
    /// `--max-items`: how many items the CLI prints before it stops with a
    /// `NextToken`.
    pub max_items: Option<Arg<i64>>,
    /// `--starting-token`: the `NextToken` of an earlier, truncated call.
    pub starting_token: Option<Arg<String>>,
    /// `--region`: this call's region instead of the environment's.
    pub region: Option<Arg<String>>,
    /// `--query`, a JMESPath expression over the output.
    pub query: Option<Arg<Query>>,
    /// `--output`: how the CLI would print the output (the step's output
    /// is JSON either way; the printed text follows it).
    pub output: Option<Arg<OutputFormat>>,
    /// Whether a list operation fetches every page and joins them, as the
    /// CLI does unless `--no-paginate` or a paging member is given.
    pub paginate: bool,
}

/// Members given as one object.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// `--cli-input-json '{…}'` or `file://…`.
    Json(Arg<Map<String, Value>>),
    /// The table form's `input = { … }`.
    Table(JsonTemplate),
}

/// A call with every value known: the operation's input by API member name.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub service: Service,
    pub operation: &'static Operation,
    pub waiter: Option<&'static Waiter>,
    pub input: Map<String, Value>,
    pub query: Option<Query>,
    pub output: Option<OutputFormat>,
    pub paginate: bool,
    pub max_items: Option<i64>,
    pub starting_token: Option<String>,
    pub region: Option<String>,
}

impl Request {
    /// What the AWS CLI prints for this call's output (`--query` already
    /// applied) in its `--output` format, JSON by default.
    pub fn printed(&self, output: &Value) -> String {
        let format = self.output.unwrap_or_default();
        // The CLI's text prints a truncated list's token last, on a line
        // of its own, rather than among the output's scalars.
        let token = output.get("NextToken").filter(|_| {
            format == OutputFormat::Text && self.query.is_none() && self.operation.paging.is_some()
        });
        match (token, output) {
            (Some(token), Value::Object(map)) => {
                let mut rest = map.clone();
                rest.shift_remove("NextToken");
                let mut text = print(format, self.operation.api, &Value::Object(rest));
                text.push_str(&print(
                    format,
                    self.operation.api,
                    &json!({"NextToken": {"NextToken": token}}),
                ));
                text
            }
            _ => print(format, self.operation.api, output),
        }
    }
}

impl Call {
    /// `eks wait addon-active`, `iam get-role`: for messages.
    pub fn name(&self) -> String {
        match self.waiter {
            Some(w) => format!("{} wait {}", self.service.name(), w.name),
            None => format!("{} {}", self.service.name(), self.operation.name),
        }
    }

    /// The call with its placeholders filled in and its files read.
    pub fn fill(&self, f: &Filler<'_>) -> Result<Request, CommandError> {
        let op = self.operation;
        let mut input: Map<String, Value> = Map::new();
        for (member, arg) in &self.members {
            let value = arg.fill(f)?;
            match input.get_mut(member.name) {
                Some(acc) => add(acc, value),
                None => {
                    input.insert(member.name.to_string(), value);
                }
            }
        }
        let given = match &self.input {
            None => Map::new(),
            Some(Input::Json(arg)) => arg.fill(f)?,
            Some(Input::Table(t)) => match t.fill(f.value).map_err(|m| CommandError::new(m, ""))? {
                Value::Object(map) => input_members(op, map, "the table's input")?,
                _ => return Err(CommandError::new("the table's input is not an object", "")),
            },
        };
        let mut paginate = self.paginate;
        for (name, value) in given {
            if is_paging_member(op, &name) {
                paginate = false;
            }
            input.entry(name).or_insert(value);
        }
        if let (Some(size), Some(paging)) = (&self.page_size, op.paging) {
            input.insert(paging.limit_key.into(), size.fill(f)?.into());
        }
        required(self, &input)?;
        Ok(Request {
            service: self.service,
            operation: op,
            waiter: self.waiter,
            input,
            query: self.query.as_ref().map(|q| q.fill(f)).transpose()?,
            output: self.output.as_ref().map(|o| o.fill(f)).transpose()?,
            paginate,
            max_items: self.max_items.as_ref().map(|a| a.fill(f)).transpose()?,
            starting_token: self.starting_token.as_ref().map(|a| a.fill(f)).transpose()?,
            region: self.region.as_ref().map(|a| a.fill(f)).transpose()?,
        })
    }
}

/// Whether a member pages through results (a paging member written by
/// hand turns off fetching every page).
pub fn is_paging_member(op: &Operation, name: &str) -> bool {
    op.paging
        .is_some_and(|p| p.input_token == name || p.limit_key == name)
}

/// The members the operation requires and the input lacks, as the CLI
/// reports them.
pub fn required(call: &Call, input: &Map<String, Value>) -> Result<(), CommandError> {
    let missing: Vec<String> = call
        .operation
        .members
        .iter()
        .filter(|m| m.required && !input.contains_key(m.name))
        .map(|m| format!("--{}", m.flag))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(CommandError::new(
        format!(
            "{}: the following arguments are required: {}",
            call.name(),
            missing.join(", ")
        ),
        "",
    ))
}
