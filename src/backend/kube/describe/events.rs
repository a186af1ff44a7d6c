//! The events kubectl prints under an object (those whose involved object
//! is it: name, namespace, kind and uid), and the other objects some
//! describers read (a namespace's quotas, a claim's pods, a service's
//! endpoint slices).

use kube::api::ListParams;
use kube::core::Request;
use serde_json::Value;

use super::text::{Text, human_duration, str_at};
use crate::backend::kube::{Ctx, api_error, build_error};
use crate::ground::port::ActionError;

impl Ctx<'_> {
    /// The items of a list at `path` (`/api/v1/namespaces/shop/pods`).
    pub(super) async fn list_path(
        &self,
        path: &str,
        selector: Option<(&str, &str)>,
    ) -> Result<Vec<Value>, ActionError> {
        let (labels, fields) = match selector {
            Some(("labels", s)) => (Some(s.to_string()), None),
            Some((_, s)) => (None, Some(s.to_string())),
            None => (None, None),
        };
        let lp = ListParams {
            label_selector: labels,
            field_selector: fields,
            ..ListParams::default()
        };
        let req = Request::new(path).list(&lp).map_err(build_error)?;
        let list = self.request(req).await.map_err(api_error)?;
        Ok(list
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// The events about `obj`. kubectl prints none when they cannot be
    /// read, and so does this.
    pub(super) async fn events_of(&self, obj: &Value) -> Result<Vec<Value>, ActionError> {
        self.events_with_uid(obj, str_at(obj, "/metadata/uid")).await
    }

    /// The events about `obj` that name it by `uid`.
    pub(super) async fn events_with_uid(&self, obj: &Value, uid: &str) -> Result<Vec<Value>, ActionError> {
        let ns = str_at(obj, "/metadata/namespace");
        let path = if ns.is_empty() {
            "/api/v1/events".to_string()
        } else {
            format!("/api/v1/namespaces/{ns}/events")
        };
        let selector = format!(
            "involvedObject.kind={},involvedObject.name={},involvedObject.namespace={ns},involvedObject.uid={}",
            str_at(obj, "/kind"),
            str_at(obj, "/metadata/name"),
            uid,
        );
        match self.list_path(&path, Some(("fields", &selector))).await {
            Ok(events) => Ok(events),
            Err(e) if e.kind == crate::ground::port::ErrorKind::Failed => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// A service's endpoint slices (`discovery.k8s.io/v1`); none where the
    /// server has no such API, as kubectl shows none.
    pub(super) async fn endpoint_slices(&self, svc: &Value) -> Vec<Value> {
        let path = format!(
            "/apis/discovery.k8s.io/v1/namespaces/{}/endpointslices",
            str_at(svc, "/metadata/namespace")
        );
        let selector = format!("kubernetes.io/service-name={}", str_at(svc, "/metadata/name"));
        self.list_path(&path, Some(("labels", &selector)))
            .await
            .unwrap_or_default()
    }
}

impl Ctx<'_> {
    /// An ingress backend as kubectl describes it: a service's
    /// `name:port (endpoints of that port)`, or the error reading them.
    pub(super) async fn ingress_backend(&self, ing: &Value, backend: &Value) -> String {
        let Some(service) = backend.get("service").filter(|s| s.is_object()) else {
            return super::network::resource_backend(backend);
        };
        let ns = str_at(ing, "/metadata/namespace");
        let name = str_at(service, "/name");
        let shown = super::network::service_backend(service);
        let slices = format!("/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices");
        let selector = format!("kubernetes.io/service-name={name}");
        let slices = match self.list_path(&slices, Some(("labels", &selector))).await {
            Ok(s) => s,
            Err(e) => return format!("{shown} (<error: {}>)", client_error(&e)),
        };
        let svc = format!("/api/v1/namespaces/{ns}/services/{name}");
        let svc = match self.request_path(&svc).await {
            Ok(s) => s,
            Err(e) => return format!("{shown} (<error: {}>)", client_error(&e)),
        };
        let number = service
            .pointer("/port/number")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let port_name = str_at(service, "/port/name");
        let mut chosen = "";
        for p in super::core::list(&svc, "/spec/ports") {
            let matches = (number != 0 && p.get("port").and_then(Value::as_i64) == Some(number))
                || (!port_name.is_empty() && str_at(p, "/name") == port_name);
            if matches {
                chosen = str_at(p, "/name");
            }
        }
        format!("{shown} ({})", super::core::endpoints(&slices, chosen))
    }

    /// The object at `path`.
    pub(super) async fn request_path(&self, path: &str) -> Result<Value, ActionError> {
        let req = http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| ActionError::runtime(format!("cannot build the request: {e}")))?;
        self.request(req).await.map_err(api_error)
    }
}

/// The HTTP status of an API error (404, 403), if the server answered.
pub(super) fn status_code(e: &ActionError) -> Option<i64> {
    e.output
        .as_ref()
        .and_then(|o| o.pointer("/error/code"))
        .and_then(Value::as_i64)
}

/// An API error as client-go's `err.Error()` reads: the server's message,
/// or, for a 404 without one (a group the server does not serve), its
/// generic text.
pub(super) fn client_error(e: &ActionError) -> String {
    let code = status_code(e);
    let message = e
        .output
        .as_ref()
        .and_then(|o| o.pointer("/error/message"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    match code {
        Some(404) if message.is_empty() || message.contains("404 page not found") => {
            "the server could not find the requested resource".into()
        }
        _ if !message.is_empty() => message.to_string(),
        _ => e.message.clone(),
    }
}

/// Seconds since the epoch of an RFC 3339 time.
pub fn epoch_seconds(time: &str) -> Option<i64> {
    let t = humantime::parse_rfc3339_weak(time).ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(d.as_secs()).ok()
}

/// The age of the time at `pointer` (`<unknown>` without one).
fn since(obj: &Value, pointer: &str, now: i64) -> Option<String> {
    let t = obj
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())?;
    // kubectl truncates to whole seconds of the difference, not of each time.
    let secs = epoch_seconds(t)?;
    Some(human_duration(now - secs))
}

/// `Events:` and a row per event, oldest last seen first, or `<none>`.
pub fn describe_events(t: &mut Text, events: &[Value], now: i64) {
    if events.is_empty() {
        t.write(0, "Events:\t<none>\n");
        return;
    }
    t.flush();
    let mut sorted: Vec<&Value> = events.iter().collect();
    sorted.sort_by_key(|e| {
        e.get("lastTimestamp")
            .and_then(Value::as_str)
            .and_then(epoch_seconds)
            .unwrap_or(i64::MIN)
    });
    t.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    t.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let unknown = || "<unknown>".to_string();
        let first = since(e, "/eventTime", now)
            .or_else(|| since(e, "/firstTimestamp", now))
            .unwrap_or_else(unknown);
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
        let interval = if let Some(series) = e.get("series").filter(|s| s.is_object()) {
            format!(
                "{} (x{} over {first})",
                since(series, "/lastObservedTime", now).unwrap_or_else(unknown),
                series.get("count").and_then(Value::as_i64).unwrap_or(0)
            )
        } else if count > 1 {
            format!(
                "{} (x{count} over {first})",
                since(e, "/lastTimestamp", now).unwrap_or_else(unknown)
            )
        } else {
            first
        };
        let mut source = str_at(e, "/source/component");
        if source.is_empty() {
            source = str_at(e, "/reportingComponent");
        }
        t.write(
            1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{}\n",
                str_at(e, "/type"),
                str_at(e, "/reason"),
                str_at(e, "/message").trim()
            ),
        );
    }
}
