//! Every AWS operation `aws` steps can run, each defined once: its CLI
//! name, API name, input members with their flags, how the CLI pages
//! through it, the SDK call that sends it, and (through the `ToCli`
//! conversions next to it) the shape of its output. An operation cannot be
//! half-declared: the [`operations!`] macro builds the table entry and the
//! call from the same lines, and the compiler refuses an output type that
//! has no conversion.
//!
//! The SDK call sits here rather than in the backend so that the parser
//! (which validates flags against the members) and the backend (which sends
//! the call) read the same definition. The backend only builds the
//! [`Clients`] for its transport and hands them in.

pub mod eks;
pub mod iam;
pub mod sts;

use std::collections::HashMap;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::{Map, Value, json};

use crate::action::aws::spec::Operation;
use crate::ground::port::{ActionError, BoxFuture, NoMatch, error_chain};

/// The SDK clients of the services `aws` steps call.
#[derive(Clone, Debug)]
pub struct Clients {
    pub eks: aws_sdk_eks::Client,
    pub iam: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
}

/// Sends one operation: the clients, the operation (for its messages) and
/// its input by member name → what the AWS CLI prints, as JSON.
pub type Sender = for<'a> fn(
    &'a Clients,
    &'static Operation,
    &'a Map<String, Value>,
) -> BoxFuture<'a, Result<Value, ActionError>>;

/// Typed reads of the input members.
#[derive(Clone, Copy)]
pub struct In<'a>(pub &'a Map<String, Value>);

impl<'a> In<'a> {
    pub fn s(&self, k: &str) -> Option<String> {
        self.0.get(k)?.as_str().map(str::to_string)
    }
    pub fn i(&self, k: &str) -> Option<i32> {
        self.0.get(k)?.as_i64().and_then(|n| i32::try_from(n).ok())
    }
    pub fn b(&self, k: &str) -> Option<bool> {
        self.0.get(k)?.as_bool()
    }
    /// An SDK enum from its wire string.
    pub fn e<T: for<'x> From<&'x str>>(&self, k: &str) -> Option<T> {
        self.0.get(k)?.as_str().map(T::from)
    }
    pub fn sl(&self, k: &str) -> Option<Vec<String>> {
        let items = self.0.get(k)?.as_array()?;
        Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        )
    }
    pub fn sm(&self, k: &str) -> Option<HashMap<String, String>> {
        let map = self.0.get(k)?.as_object()?;
        Some(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
        )
    }
    pub fn obj(&self, k: &str) -> Option<In<'a>> {
        self.0.get(k)?.as_object().map(In)
    }
    pub fn objs(&self, k: &str) -> Option<Vec<In<'a>>> {
        let items = self.0.get(k)?.as_array()?;
        Some(items.iter().filter_map(|v| v.as_object().map(In)).collect())
    }
}

/// An error the API answered with, worded as the CLI words it; anything else
/// (no connection, no credentials) is a runtime error.
pub fn api_error<E>(op: &Operation, err: SdkError<E, HttpResponse>) -> ActionError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            // Without a modelled error, botocore names the HTTP status and
            // quotes the body.
            let raw = service.raw();
            let status = raw.status().as_u16().to_string();
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .filter(|b| !b.is_empty());
            let code = e.code().unwrap_or(&status);
            let message = e.message().or(body.as_deref()).unwrap_or("Unknown");
            ActionError::failed(
                format!(
                    "An error occurred ({code}) when calling the {} operation: {message}",
                    op.api
                ),
                Some(json!({"error": {"code": code, "message": message}})),
            )
        }
        // A transport that has no answer (a replay) says so plainly, not as
        // a dispatch failure.
        _ => match NoMatch::find(&err) {
            Some(no_match) => ActionError::runtime(format!("{}: {}", op.api, no_match.message)),
            None => ActionError::runtime(format!("{} could not be called: {}", op.api, error_chain(&err))),
        },
    }
}

/// A bad value the SDK refuses before sending.
pub fn invalid(op: &Operation, what: impl std::fmt::Display) -> ActionError {
    ActionError::failed(
        format!("Parameter validation failed for {}: {what}", op.api),
        None,
    )
}

/// Reads one member for its SDK setter: `s`, `i`, `b`, `e`, `sl`, `sm`
/// read by name; `with(f)` converts a structure with `f(op, input, name)`.
macro_rules! read {
    ($i:ident, $op:ident, $name:expr, with, $conv:path) => {
        $conv($op, $i, $name)?
    };
    ($i:ident, $op:ident, $name:expr, $read:ident) => {
        $i.$read($name)
    };
}

/// A table of operations of one service: each entry is the CLI name, the
/// API name, the SDK method, optionally how it pages (and the setter of
/// its page size when that is not a member), then one line per member:
/// the member, how it is read, and its SDK setter.
macro_rules! operations {
    (client: $client:ident; $(#[$meta:meta])* pub static $table:ident = [$(
        $cli:literal $api:ident $method:ident
            $(paged($paging:expr $(, limit $limit:ident)?))?
        { $($member:expr, $read:ident $(($conv:path))? => $setter:ident;)* }
    )*];) => {
        $(#[$meta])*
        pub static $table: &[$crate::action::aws::spec::Operation] = &[$(
            $crate::action::aws::spec::Operation {
                name: $cli,
                api: stringify!($api),
                members: &[$($member),*],
                paging: $crate::action::aws::ops::paging!($($paging)?),
                reads: &[$((($member).name, stringify!($read))),*],
                send: {
                    fn send<'a>(
                        c: &'a $crate::action::aws::ops::Clients,
                        op: &'static $crate::action::aws::spec::Operation,
                        input: &'a serde_json::Map<std::string::String, serde_json::Value>,
                    ) -> $crate::ground::port::BoxFuture<
                        'a,
                        Result<serde_json::Value, $crate::ground::port::ActionError>,
                    > {
                        Box::pin(async move {
                            #[allow(unused_variables)]
                            let i = $crate::action::aws::ops::In(input);
                            let request = c.$client.$method()
                                $(.$setter($crate::action::aws::ops::read!(i, op, ($member).name, $read $(, $conv)?)))*
                                $($(.$limit(i.i(($paging).limit_key)))?)?;
                            let output = request
                                .send()
                                .await
                                .map_err(|e| $crate::action::aws::ops::api_error(op, e))?;
                            Ok($crate::action::aws::convert::ToCli::to_cli(&output)
                                .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new())))
                        })
                    }
                    send
                },
            }
        ),*];
    };
}

macro_rules! paging {
    () => {
        None
    };
    ($paging:expr) => {
        Some($paging)
    };
}

pub(crate) use {operations, paging, read};

#[cfg(test)]
mod tests {
    use crate::action::aws::spec::{Service, Ty};

    /// The table and the calls agree: each member is read for its SDK
    /// setter the way its type says.
    #[test]
    fn every_member_is_read_as_its_type_says() {
        for service in Service::ALL {
            for op in service.operations() {
                assert_eq!(op.members.len(), op.reads.len(), "{}", op.name);
                for (member, (name, read)) in op.members.iter().zip(op.reads) {
                    assert_eq!(member.name, *name, "{} {}", service.name(), op.name);
                    let fits = match member.ty {
                        Ty::String => matches!(*read, "s" | "e"),
                        Ty::Integer => *read == "i",
                        Ty::Boolean => *read == "b",
                        Ty::StringList => *read == "sl",
                        Ty::StringMap => *read == "sm",
                        Ty::Struct(_) | Ty::StructList(_) => *read == "with",
                    };
                    assert!(
                        fits,
                        "{} {}: {} is read with `{read}`",
                        service.name(),
                        op.name,
                        member.name
                    );
                }
            }
        }
    }

    /// The flag is the CLI's transformation of the member name.
    #[test]
    fn flags_are_kebab_case_of_member_names() {
        for service in Service::ALL {
            for op in service.operations() {
                for m in op.members {
                    let mut kebab = String::new();
                    for (i, c) in m.name.chars().enumerate() {
                        if c.is_ascii_uppercase() {
                            if i > 0 {
                                kebab.push('-');
                            }
                            kebab.push(c.to_ascii_lowercase());
                        } else {
                            kebab.push(c);
                        }
                    }
                    assert_eq!(kebab, m.flag, "{} {}", service.name(), op.name);
                }
            }
        }
    }

    #[test]
    fn operation_names_are_unique_per_service() {
        for service in Service::ALL {
            let mut names: Vec<&str> = service.operations().iter().map(|o| o.name).collect();
            names.sort();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "{}", service.name());
        }
    }
}
