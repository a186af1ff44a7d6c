//! The describer of ingresses: address, class, default backend, TLS, the
//! rules with each backend's service and its ready endpoints.

use std::collections::HashMap;

use serde_json::Value;

use super::core::list;
use super::events::describe_events;
use super::text::{Text, annotations, labels, str_at};

/// Each backend of an ingress, as the JSON text of its `backend` object,
/// mapped to how kubectl describes it (read from the server beforehand).
pub type Backends = HashMap<String, String>;

/// The backends of an ingress, default first, in the order printed.
pub fn backends_of(ing: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = ing.pointer("/spec/defaultBackend").into_iter().collect();
    for rule in list(ing, "/spec/rules") {
        out.extend(list(rule, "/http/paths").iter().filter_map(|p| p.get("backend")));
    }
    out
}

/// `carts:80`, or `carts:http` for a port given by name.
pub fn service_backend(service: &Value) -> String {
    let port = match service.pointer("/port/number").and_then(Value::as_i64) {
        Some(n) if n != 0 => n.to_string(),
        _ => str_at(service, "/port/name").to_string(),
    };
    format!("{}:{port}", str_at(service, "/name"))
}

/// A backend that is not a service: its resource.
pub fn resource_backend(backend: &Value) -> String {
    match backend.get("resource") {
        Some(r) => format!(
            "APIGroup: {}, Kind: {}, Name: {}",
            r.get("apiGroup").and_then(Value::as_str).unwrap_or("<none>"),
            str_at(r, "/kind"),
            str_at(r, "/name")
        ),
        None => String::new(),
    }
}

pub fn ingress(ing: &Value, backends: &Backends, events: Option<&[Value]>, now: i64) -> String {
    let described = |b: &Value| backends.get(&b.to_string()).cloned().unwrap_or_default();
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(ing, "/metadata/name")));
    labels(&mut t, "Labels", ing);
    t.write(
        0,
        &format!("Namespace:\t{}\n", str_at(ing, "/metadata/namespace")),
    );
    let mut addresses: Vec<&str> = list(ing, "/status/loadBalancer/ingress")
        .iter()
        .map(|i| match str_at(i, "/ip") {
            "" => str_at(i, "/hostname"),
            ip => ip,
        })
        .filter(|a| !a.is_empty())
        .collect();
    addresses.sort();
    addresses.dedup();
    t.write(0, &format!("Address:\t{}\n", addresses.join(",")));
    let class = ing
        .pointer("/spec/ingressClassName")
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    t.write(0, &format!("Ingress Class:\t{class}\n"));
    let default = ing
        .pointer("/spec/defaultBackend")
        .map_or_else(|| "<default>".to_string(), described);
    t.write(0, &format!("Default backend:\t{default}\n"));
    let tls = list(ing, "/spec/tls");
    if !tls.is_empty() {
        t.write(0, "TLS:\n");
        for entry in tls {
            let hosts: Vec<&str> = list(entry, "/hosts").iter().filter_map(Value::as_str).collect();
            match str_at(entry, "/secretName") {
                "" => t.write(1, &format!("SNI routes {}\n", hosts.join(","))),
                secret => t.write(1, &format!("{secret} terminates {}\n", hosts.join(","))),
            }
        }
    }
    t.write(0, "Rules:\n  Host\tPath\tBackends\n");
    t.write(1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in list(ing, "/spec/rules") {
        let Some(http) = rule.get("http").filter(|h| h.is_object()) else {
            continue;
        };
        count += 1;
        let host = match str_at(rule, "/host") {
            "" => "*",
            h => h,
        };
        t.write(1, &format!("{host}\t\n"));
        for path in list(http, "/paths") {
            let backend = path.get("backend").map(described).unwrap_or_default();
            t.write(2, &format!("\t{} \t{backend}\n", str_at(path, "/path")));
        }
    }
    if count == 0 {
        t.write(1, &format!("*\t*\t{default}\n"));
    }
    annotations(&mut t, "Annotations", ing);
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}
