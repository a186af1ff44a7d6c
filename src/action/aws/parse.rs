//! An `aws` line's words (the leading `aws` optional) → a [`Call`], as the
//! AWS CLI reads `<service> <operation> --flag value …`. Values written
//! literally are read and checked here; values with placeholders and
//! `file://` values are read when the engine fills the call in.

use serde_json::{Map, Value};

use crate::action::arg::{Arg, CommandError, Context};
use crate::action::aws::call::{Call, Input, is_paging_member, required};
use crate::action::aws::input::{closest_first, input_json, input_members, is_file_ref, member_value};
use crate::action::aws::options;
use crate::action::aws::print::OutputFormat;
use crate::action::aws::spec::{Member, Operation, Service, Ty};
use crate::action::aws::waiters::{EKS_WAITERS, Waiter, eks_waiter};
use crate::action::words::Word;
use crate::query::{Lang, Query};
use crate::template::JsonTemplate;

/// Global flags the CLI accepts on every operation; the first group takes a value.
const GLOBAL_WITH_VALUE: &[&str] = &["query", "output", "color", "cli-input-json", "region"];
const GLOBAL_SWITCHES: &[&str] = &["no-cli-pager", "no-paginate"];

/// Parses an `aws` line.
pub fn parse(words: &[Word]) -> Result<Call, CommandError> {
    parse_with(words, None)
}

/// Parses the table form: `command` (service, operation, maybe flags) and
/// `input`, the members by their API names (strings may hold `${NAME}`).
pub fn parse_table(command: &[Word], input: &Value) -> Result<Call, CommandError> {
    let template = JsonTemplate::parse(input).map_err(|e| CommandError::new(e.message, e.hint))?;
    parse_with(command, Some(template))
}

fn parse_with(words: &[Word], table: Option<JsonTemplate>) -> Result<Call, CommandError> {
    let mut words = words;
    if words.first().is_some_and(|w| w.is("aws")) {
        words = &words[1..];
    }
    let (service, operation, waiter, rest) = operation(words)?;
    let mut call = Call {
        service,
        operation,
        waiter,
        members: Vec::new(),
        input: None,
        page_size: None,
        max_items: None,
        starting_token: None,
        region: None,
        query: None,
        output: None,
        paginate: operation.paging.is_some(),
    };
    let mut given = group(rest, &call.name())?;
    for g in &mut given {
        g.flag = options::resolve(operation, &g.flag).map_err(|e| e.at(&g.at.span))?;
    }
    fill_pending(operation, &mut given);
    for g in given {
        flag_of(&mut call, g)?;
    }
    paging_flags_need_paging(&call)?;
    if let Some(table) = table {
        call.input = Some(match table {
            JsonTemplate::Plain(Value::Object(map)) => {
                Input::Json(Arg::Known(input_members(operation, map, "the table's input")?))
            }
            JsonTemplate::Plain(_) => {
                return Err(CommandError::new("the table's input is not an object", ""));
            }
            template => Input::Table(template),
        });
    }
    check_known(&mut call)?;
    Ok(call)
}

/// The CLI refuses its paging options on a call that does not page:
/// `--no-paginate`, or a paging member given by hand.
fn paging_flags_need_paging(call: &Call) -> Result<(), CommandError> {
    if call.paginate || call.operation.paging.is_none() {
        return Ok(());
    }
    let used: Vec<&str> = [
        ("--starting-token", call.starting_token.is_some()),
        ("--page-size", call.page_size.is_some()),
        ("--max-items", call.max_items.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    if used.is_empty() {
        return Ok(());
    }
    Err(CommandError::new(
        format!(
            "Cannot specify --no-paginate along with pagination arguments: {}",
            used.join(", ")
        ),
        "a paging member given by hand (--next-token, --max-results, --marker…) turns paging off, as --no-paginate does",
    ))
}

/// With every member source known, the required members must be there and
/// a paging member given by hand turns paging off, as in the CLI.
fn check_known(call: &mut Call) -> Result<(), CommandError> {
    let from_input = match &call.input {
        None => Map::new(),
        Some(Input::Json(Arg::Known(map))) => map.clone(),
        Some(_) => return Ok(()),
    };
    if from_input.keys().any(|k| is_paging_member(call.operation, k)) {
        call.paginate = false;
    }
    let mut present = from_input;
    for (member, _) in &call.members {
        present.insert(member.name.to_string(), Value::Null);
    }
    required(call, &present)
}

/// The native operation that a line's unknown operation of a native
/// service most likely meant (`eks describe-clustr`: `describe-cluster`).
/// The AWS CLI has many operations rehearse does not define, so an
/// unknown one runs through the CLI; a close match is only a hint.
pub fn likely_operation(words: &[Word]) -> Option<String> {
    let service = Service::from_name(&words.first()?.text()?)?;
    let op = words.get(1)?.text()?;
    if service == Service::Eks && op == "wait" {
        let name = words.get(2)?.text()?;
        let names = EKS_WAITERS.iter().map(|w| w.name);
        let meant = crate::ground::names::likely_meant(&name, names, 0.8)?;
        return (meant != name).then(|| format!("wait {meant}"));
    }
    if service.operation(&op).is_some() {
        return None;
    }
    let names = service.operations().iter().map(|o| o.name);
    crate::ground::names::likely_meant(&op, names, 0.8).map(str::to_string)
}

type Found<'w> = (Service, &'static Operation, Option<&'static Waiter>, &'w [Word]);

/// The service, the operation (or waiter) and the words after them.
fn operation(words: &[Word]) -> Result<Found<'_>, CommandError> {
    let usage = "write `<service> <operation> --flag value …` (without `aws`)";
    let Some(service_word) = words.first() else {
        return Err(CommandError::new("empty aws command", usage));
    };
    let service_name = literal(service_word, "the service")?;
    let Some(service) = Service::from_name(&service_name) else {
        let names = Service::ALL.map(Service::name);
        return Err(CommandError::not_native(
            format!("service `{service_name}` is not run natively"),
            format!("native services: {}", closest_first(&service_name, names)),
        )
        .at(&service_word.span));
    };
    let op_names = || service.operations().iter().map(|o| o.name);
    let Some(op_word) = words.get(1) else {
        return Err(CommandError::new(
            format!("no operation after `{}`", service.name()),
            format!(
                "operations of {}: {}",
                service.name(),
                op_names().collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    let op_name = literal(op_word, "the operation")?;
    if service == Service::Eks && op_name == "wait" {
        return waiter(service, words);
    }
    let Some(op) = service.operation(&op_name) else {
        return Err(CommandError::not_native(
            format!("operation `{op_name}` of {} is not run natively", service.name()),
            format!(
                "native operations of {}, closest first: {}",
                service.name(),
                closest_first(&op_name, op_names())
            ),
        )
        .at(&op_word.span));
    };
    Ok((service, op, None, &words[2..]))
}

fn waiter(service: Service, words: &[Word]) -> Result<Found<'_>, CommandError> {
    let waiter_names = || EKS_WAITERS.iter().map(|w| w.name);
    let Some(name_word) = words.get(2) else {
        return Err(CommandError::new(
            "no waiter after `eks wait`",
            format!("waiters: {}", waiter_names().collect::<Vec<_>>().join(", ")),
        ));
    };
    let name = literal(name_word, "the waiter")?;
    let Some(waiter) = eks_waiter(&name) else {
        return Err(CommandError::not_native(
            format!("waiter `{name}` of eks wait is not run natively"),
            format!(
                "native waiters, closest first: {}",
                closest_first(&name, waiter_names())
            ),
        )
        .at(&name_word.span));
    };
    let op = service
        .operation(waiter.operation)
        .expect("every waiter polls a known operation");
    Ok((service, op, Some(waiter), &words[3..]))
}

fn literal(word: &Word, what: &str) -> Result<String, CommandError> {
    word.text().ok_or_else(|| {
        CommandError::new(
            format!("{what} cannot come from a variable"),
            "write the service and operation as they are",
        )
        .at(&word.span)
    })
}

/// A flag as written, with the words that follow it up to the next flag.
struct Given {
    flag: String,
    at: Word,
    values: Vec<Word>,
}

/// `--flag v…` groups; `--flag=v` counts as a value.
fn group(mut rest: &[Word], what: &str) -> Result<Vec<Given>, CommandError> {
    let is_flag = |w: &Word| w.literal_prefix().starts_with("--") && w.literal_prefix().len() > 2;
    let mut out = Vec::new();
    while let Some(word) = rest.first() {
        if !is_flag(word) {
            return Err(CommandError::new(
                format!("unexpected argument `{}` in {what}", word.source()),
                "values follow a --flag; quote a value that holds spaces",
            )
            .at(&word.span));
        }
        let (flag, inline) = match word.split_prefix('=') {
            Some((f, v)) => (f, Some(v)),
            None if !word.has_placeholders() => (word.literal_prefix().to_string(), None),
            None => {
                return Err(CommandError::new(
                    format!("a flag's name cannot come from a variable: {}", word.source()),
                    "write the flag's name, then its value",
                )
                .at(&word.span));
            }
        };
        let count = rest[1..].iter().take_while(|w| !is_flag(w)).count();
        let mut values: Vec<Word> = inline.into_iter().collect();
        values.extend(rest[1..=count].iter().cloned());
        rest = &rest[1 + count..];
        out.push(Given {
            flag: flag.trim_start_matches("--").to_string(),
            at: word.clone(),
            values,
        });
    }
    Ok(out)
}

/// Flags that take exactly one value.
fn takes_one_value(op: &Operation, flag: &str) -> bool {
    match op.member_by_flag(flag) {
        Some(member) => matches!(
            member.ty,
            Ty::String | Ty::Integer | Ty::Struct(_) | Ty::StringMap
        ),
        None => GLOBAL_WITH_VALUE.contains(&flag),
    }
}

/// The AWS CLI's parser lets a one-value flag written without its value
/// take the first stray value found later: the EKS Workshop writes
/// `--policy-arn --query 'PolicyVersion.Document' arn:aws:iam::...`, and
/// the CLI sends that ARN as the policy ARN. Stray values are the ones
/// after a one-value flag's own value.
fn fill_pending(op: &Operation, given: &mut [Given]) {
    let mut strays: Vec<Word> = Vec::new();
    for g in given.iter_mut() {
        if takes_one_value(op, &g.flag) && g.values.len() > 1 {
            strays.extend(g.values.drain(1..));
        }
    }
    let mut strays = strays.into_iter();
    for g in given.iter_mut() {
        if g.values.is_empty() && takes_one_value(op, &g.flag) {
            match strays.next() {
                Some(v) => g.values.push(v),
                None => return,
            }
        }
    }
    // Strays nobody took go back where they were, to be reported there.
    let left: Vec<Word> = strays.collect();
    if let Some(g) = given.iter_mut().rev().find(|g| takes_one_value(op, &g.flag)) {
        g.values.extend(left);
    }
}

fn flag_of(call: &mut Call, given: Given) -> Result<(), CommandError> {
    let flag = given.flag.as_str();
    let at = given.at.span.clone();
    let op = call.operation;
    if let Some(member) = op.member_by_flag(flag) {
        return member_flag(call, member, given.values).map_err(|e| e.at(&at));
    }
    if let Some(member) = flag
        .strip_prefix("no-")
        .and_then(|f| op.member_by_flag(f))
        .filter(|m| m.ty == Ty::Boolean)
    {
        no_values(flag, &given.values).map_err(|e| e.at(&at))?;
        return set(call, member, Arg::Known(Value::Bool(false))).map_err(|e| e.at(&at));
    }
    global_flag(call, flag, given.values).map_err(|e| e.at(&at))
}

fn member_flag(call: &mut Call, member: &'static Member, values: Vec<Word>) -> Result<(), CommandError> {
    if is_paging_member(call.operation, member.name) {
        call.paginate = false;
    }
    if member.ty == Ty::Boolean {
        no_values(member.flag, &values)?;
        return set(call, member, Arg::Known(Value::Bool(true)));
    }
    if values.is_empty() {
        let what = if member.ty.is_collection() {
            "at least one argument"
        } else {
            "one argument"
        };
        return Err(CommandError::new(format!("--{} expects {what}", member.flag), ""));
    }
    // A file is read when the call is filled in, from the workflow's folder.
    let defer = values.iter().any(|w| w.text().is_some_and(|t| is_file_ref(&t)));
    let value = Arg::of(
        &values,
        move |texts, context| member_value(member, texts, context),
        defer,
    )?;
    if member.ty.is_collection() {
        call.members.push((member, value));
        Ok(())
    } else {
        set(call, member, value)
    }
}

fn set(call: &mut Call, member: &'static Member, value: Arg<Value>) -> Result<(), CommandError> {
    if call.members.iter().any(|(m, _)| m.name == member.name) {
        return Err(CommandError::new(format!("--{} is given twice", member.flag), ""));
    }
    call.members.push((member, value));
    Ok(())
}

fn global_flag(call: &mut Call, flag: &str, values: Vec<Word>) -> Result<(), CommandError> {
    let op = call.operation;
    match flag {
        "query" => {
            let q = one(flag, &values)?;
            call.query = Some(Arg::one(q, |text| {
                Query::compile(Lang::JmesPath, text).map_err(|e| {
                    CommandError::new(
                        format!("bad --query `{text}`: {}", e.message),
                        "--query takes a JMESPath expression, as the AWS CLI does",
                    )
                })
            })?);
        }
        "output" => {
            call.output = Some(Arg::one(one(flag, &values)?, |v| {
                OutputFormat::from_name(v).ok_or_else(|| {
                    CommandError::new(
                        format!("bad --output `{v}`"),
                        format!(
                            "one of {}; the step's output is JSON either way",
                            OutputFormat::NAMES.join(", ")
                        ),
                    )
                })
            })?);
        }
        "color" => {
            one(flag, &values)?;
        }
        "no-cli-pager" => no_values(flag, &values)?,
        "no-paginate" => {
            no_values(flag, &values)?;
            call.paginate = false;
        }
        "cli-input-json" => {
            let word = one(flag, &values)?;
            let defer = word.text().is_some_and(|t| is_file_ref(&t));
            let read = move |texts: &[String], context: &Context<'_>| input_json(op, &texts[0], context);
            call.input = Some(Input::Json(Arg::of(std::slice::from_ref(word), read, defer)?));
        }
        "page-size" if op.paging.is_some() => call.page_size = Some(integer(flag, &values)?),
        "max-items" if op.paging.is_some() => call.max_items = Some(integer(flag, &values)?),
        "starting-token" if op.paging.is_some() => {
            call.starting_token = Some(Arg::one(one(flag, &values)?, |v| Ok(v.to_string()))?);
        }
        "region" => {
            call.region = Some(Arg::one(one(flag, &values)?, |v| {
                if v.is_empty() {
                    Err(CommandError::new(
                        "--region is empty",
                        "name a region: --region us-west-2",
                    ))
                } else {
                    Ok(v.to_string())
                }
            })?);
        }
        "profile" | "endpoint-url" => {
            let var = match flag {
                "profile" => "AWS_PROFILE",
                _ => "AWS_ENDPOINT_URL",
            };
            return Err(CommandError::not_native(
                format!("--{flag} is not run natively"),
                format!("to run the line natively, set {var} in the environment rehearse runs in"),
            ));
        }
        _ => return Err(unknown_flag(call, flag)),
    }
    Ok(())
}

fn unknown_flag(call: &Call, flag: &str) -> CommandError {
    let op = call.operation;
    let mut names: Vec<String> = Vec::new();
    for m in op.members {
        names.push(m.flag.to_string());
        if m.ty == Ty::Boolean {
            names.push(format!("no-{}", m.flag));
        }
    }
    if op.paging.is_some() {
        names.extend(["page-size", "max-items", "starting-token"].map(String::from));
    }
    names.extend(
        GLOBAL_WITH_VALUE
            .iter()
            .chain(GLOBAL_SWITCHES)
            .map(|s| s.to_string()),
    );
    let ordered = closest_first(flag, names.iter().map(String::as_str));
    let options = ordered
        .split(", ")
        .map(|f| format!("--{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    CommandError::not_native(
        format!("option `--{flag}` of {} is not run natively", call.name()),
        format!("options, closest first: {options}"),
    )
}

/// An integer option, refused as the CLI's argument parser words it.
fn integer(flag: &str, values: &[Word]) -> Result<Arg<i64>, CommandError> {
    let word = one(flag, values)?;
    let flag = flag.to_string();
    Arg::one(word, move |v| {
        v.trim().parse::<i64>().map_err(|_| {
            CommandError::new(
                format!("argument --{flag}: invalid int value: '{v}'"),
                format!("--{flag} takes a whole number"),
            )
        })
    })
}

fn one<'w>(flag: &str, values: &'w [Word]) -> Result<&'w Word, CommandError> {
    match values {
        [only] => Ok(only),
        [] => Err(CommandError::new(format!("--{flag} expects one argument"), "")),
        [first, extra, ..] => Err(CommandError::new(
            format!(
                "unexpected argument `{}` after --{flag} {}",
                extra.source(),
                first.source()
            ),
            "quote a value that holds spaces",
        )
        .at(&extra.span)),
    }
}

fn no_values(flag: &str, values: &[Word]) -> Result<(), CommandError> {
    match values.first() {
        None => Ok(()),
        Some(v) => Err(CommandError::new(
            format!("--{flag} takes no value, got `{}`", v.source()),
            "",
        )),
    }
}
