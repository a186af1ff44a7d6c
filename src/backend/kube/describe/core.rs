//! The describers of core kinds: ConfigMap, Secret, Namespace, Service.
//! (kubectl ranges over a ConfigMap's or a Secret's data in Go's random
//! map order; these print the keys sorted.)

use serde_json::Value;

use super::events::describe_events;
use super::text::{Text, annotations, format_map, labels, str_at};

pub fn config_map(obj: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    name_and_namespace(&mut t, obj);
    labels(&mut t, "Labels", obj);
    annotations(&mut t, "Annotations", obj);
    t.write(0, "\nData\n====\n");
    for (k, v) in sorted(obj.get("data")) {
        t.write(0, &format!("{k}:\n----\n"));
        t.write(0, &format!("{}\n", v.as_str().unwrap_or_default()));
        t.write(0, "\n");
    }
    t.write(0, "\nBinaryData\n====\n");
    for (k, v) in sorted(obj.get("binaryData")) {
        t.write(0, &format!("{k}: {} bytes\n", decoded_len(v)));
    }
    t.write(0, "\n");
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

pub fn secret(obj: &Value) -> String {
    let mut t = Text::default();
    name_and_namespace(&mut t, obj);
    labels(&mut t, "Labels", obj);
    annotations(&mut t, "Annotations", obj);
    let ty = str_at(obj, "/type");
    t.write(0, &format!("\nType:\t{ty}\n"));
    t.write(0, "\nData\n====\n");
    for (k, v) in sorted(obj.get("data")) {
        if k == "token" && ty == "kubernetes.io/service-account-token" {
            // The step's stdout is redacted with the Secret's values,
            // decoded ones included (see `printed::secret_values`).
            let token = decoded(v).unwrap_or_default();
            t.write(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&token)));
        } else {
            t.write(0, &format!("{k}:\t{} bytes\n", decoded_len(v)));
        }
    }
    t.finish()
}

pub fn namespace(obj: &Value, quotas: &[Value], limits: &[Value]) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    labels(&mut t, "Labels", obj);
    annotations(&mut t, "Annotations", obj);
    t.write(0, &format!("Status:\t{}\n", str_at(obj, "/status/phase")));
    let conditions = list(obj, "/status/conditions");
    if !conditions.is_empty() {
        t.write(0, "Conditions:\n");
        t.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        t.write(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            t.write(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    str_at(c, "/type"),
                    str_at(c, "/status"),
                    rfc1123z(str_at(c, "/lastTransitionTime")),
                    str_at(c, "/reason"),
                    str_at(c, "/message")
                ),
            );
        }
    }
    t.write(0, "\n");
    resource_quotas(&mut t, quotas);
    t.write(0, "\n");
    limit_ranges(&mut t, limits);
    t.finish()
}

fn resource_quotas(t: &mut Text, quotas: &[Value]) {
    if quotas.is_empty() {
        t.write(0, "No resource quota.\n");
        return;
    }
    let mut quotas: Vec<&Value> = quotas.iter().collect();
    quotas.sort_by_key(|q| str_at(q, "/metadata/name"));
    t.write(0, "Resource Quotas\n");
    for q in quotas {
        t.write(1, &format!("Name:\t{}\n", str_at(q, "/metadata/name")));
        let mut scopes: Vec<&str> = list(q, "/spec/scopes")
            .iter()
            .filter_map(|s| s.as_str())
            .collect();
        if !scopes.is_empty() {
            scopes.sort();
            t.write(1, &format!("Scopes:\t{}\n", scopes.join(", ")));
            for scope in &scopes {
                if let Some(help) = scope_help(scope) {
                    t.write(1, &format!("* {help}\n"));
                }
            }
        }
        t.write(1, "Resource\tUsed\tHard\n");
        t.write(1, "--------\t---\t---\n");
        for (resource, hard) in sorted(q.pointer("/status/hard")) {
            let used = q
                .pointer("/status/used")
                .and_then(|u| u.get(resource))
                .and_then(Value::as_str)
                .unwrap_or("0");
            t.write(
                1,
                &format!("{resource}\t{used}\t{}\n", hard.as_str().unwrap_or_default()),
            );
        }
    }
}

fn scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => return None,
    })
}

/// kubectl lists a limit's resources in Go's random map order; these are sorted.
fn limit_ranges(t: &mut Text, limits: &[Value]) {
    if limits.is_empty() {
        t.write(0, "No LimitRange resource.\n");
        return;
    }
    t.write(
        0,
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    t.write(
        0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    const FIELDS: [&str; 5] = ["min", "max", "defaultRequest", "default", "maxLimitRequestRatio"];
    for range in limits {
        for item in list(range, "/spec/limits") {
            let mut resources: Vec<&str> = FIELDS
                .iter()
                .filter_map(|f| item.get(*f).and_then(Value::as_object))
                .flat_map(|m| m.keys().map(String::as_str))
                .collect();
            resources.sort();
            resources.dedup();
            for r in resources {
                let cell = |f: &str| {
                    item.get(f)
                        .and_then(|m| m.get(r))
                        .and_then(Value::as_str)
                        .unwrap_or("-")
                        .to_string()
                };
                t.write(
                    0,
                    &format!(
                        " {}\t{r}\t{}\t{}\t{}\t{}\t{}\n",
                        str_at(item, "/type"),
                        cell("min"),
                        cell("max"),
                        cell("defaultRequest"),
                        cell("default"),
                        cell("maxLimitRequestRatio")
                    ),
                );
            }
        }
    }
}

pub fn service(obj: &Value, slices: &[Value], events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    name_and_namespace(&mut t, obj);
    labels(&mut t, "Labels", obj);
    annotations(&mut t, "Annotations", obj);
    t.write(0, &format!("Selector:\t{}\n", format_map(obj, "/spec/selector")));
    t.write(0, &format!("Type:\t{}\n", str_at(obj, "/spec/type")));
    if let Some(policy) = obj.pointer("/spec/ipFamilyPolicy").and_then(Value::as_str) {
        t.write(0, &format!("IP Family Policy:\t{policy}\n"));
    }
    t.write(0, &format!("IP Families:\t{}\n", joined(obj, "/spec/ipFamilies")));
    t.write(0, &format!("IP:\t{}\n", str_at(obj, "/spec/clusterIP")));
    t.write(0, &format!("IPs:\t{}\n", joined(obj, "/spec/clusterIPs")));
    if !list(obj, "/spec/externalIPs").is_empty() {
        t.write(
            0,
            &format!("External IPs:\t{}\n", joined(obj, "/spec/externalIPs")),
        );
    }
    let lb_ip = str_at(obj, "/spec/loadBalancerIP");
    if !lb_ip.is_empty() {
        t.write(0, &format!("Desired LoadBalancer IP:\t{lb_ip}\n"));
    }
    let external = str_at(obj, "/spec/externalName");
    if !external.is_empty() {
        t.write(0, &format!("External Name:\t{external}\n"));
    }
    let ingress = list(obj, "/status/loadBalancer/ingress");
    if !ingress.is_empty() {
        t.write(
            0,
            &format!("LoadBalancer Ingress:\t{}\n", load_balancer_ingress(ingress)),
        );
    }
    for port in list(obj, "/spec/ports") {
        let name = match str_at(port, "/name") {
            "" => "<unset>",
            n => n,
        };
        let protocol = str_at(port, "/protocol");
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        t.write(0, &format!("Port:\t{name}\t{number}/{protocol}\n"));
        let target = match port.get("targetPort") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => "0".to_string(),
        };
        t.write(0, &format!("TargetPort:\t{target}/{protocol}\n"));
        if let Some(node_port) = port.get("nodePort").and_then(Value::as_i64).filter(|p| *p != 0) {
            t.write(0, &format!("NodePort:\t{name}\t{node_port}/{protocol}\n"));
        }
        t.write(
            0,
            &format!("Endpoints:\t{}\n", endpoints(slices, str_at(port, "/name"))),
        );
    }
    t.write(
        0,
        &format!("Session Affinity:\t{}\n", str_at(obj, "/spec/sessionAffinity")),
    );
    let external_policy = str_at(obj, "/spec/externalTrafficPolicy");
    if !external_policy.is_empty() {
        t.write(0, &format!("External Traffic Policy:\t{external_policy}\n"));
    }
    if let Some(policy) = obj.pointer("/spec/internalTrafficPolicy").and_then(Value::as_str) {
        t.write(0, &format!("Internal Traffic Policy:\t{policy}\n"));
    }
    if let Some(port) = obj
        .pointer("/spec/healthCheckNodePort")
        .and_then(Value::as_i64)
        .filter(|p| *p != 0)
    {
        t.write(0, &format!("HealthCheck NodePort:\t{port}\n"));
    }
    if !list(obj, "/spec/loadBalancerSourceRanges").is_empty() {
        t.write(
            0,
            &format!(
                "LoadBalancer Source Ranges:\t{}\n",
                joined(obj, "/spec/loadBalancerSourceRanges")
            ),
        );
    }
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// `10.0.0.1 (VIP), lb.example.com`: an address, else its host name.
fn load_balancer_ingress(ingress: &[Value]) -> String {
    ingress
        .iter()
        .map(|i| match (str_at(i, "/ip"), str_at(i, "/ipMode")) {
            ("", _) => str_at(i, "/hostname").to_string(),
            (ip, "") => ip.to_string(),
            (ip, mode) => format!("{ip} ({mode})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ready endpoints of a port (by its name) as `host:port`, the first
/// three, then how many more; `<none>` without slices.
pub(super) fn endpoints(slices: &[Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    let mut shown = Vec::new();
    let mut count = 0;
    let ready = |e: &Value| e.pointer("/conditions/ready").and_then(Value::as_bool) != Some(false);
    let first_address = |e: &Value| str_at(e, "/addresses/0").to_string();
    for slice in slices {
        let ports = list(slice, "/ports");
        let endpoints = list(slice, "/endpoints");
        if ports.is_empty() {
            // A headless service without ports: addresses alone.
            for e in endpoints.iter().filter(|e| ready(e)) {
                if shown.len() < 3 {
                    shown.push(first_address(e));
                }
                count += 1;
            }
            continue;
        }
        for port in ports.iter().filter(|p| str_at(p, "/name") == port_name) {
            let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
            for e in endpoints.iter().filter(|e| ready(e)) {
                if shown.len() < 3 {
                    let host = first_address(e);
                    shown.push(if host.contains(':') {
                        format!("[{host}]:{number}")
                    } else {
                        format!("{host}:{number}")
                    });
                }
                count += 1;
            }
        }
    }
    let text = shown.join(",");
    if count > 3 {
        format!("{text} + {} more...", count - 3)
    } else {
        text
    }
}

fn name_and_namespace(t: &mut Text, obj: &Value) {
    t.write(0, &format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    t.write(
        0,
        &format!("Namespace:\t{}\n", str_at(obj, "/metadata/namespace")),
    );
}

/// The members of a map sorted by key.
fn sorted(map: Option<&Value>) -> Vec<(&str, &Value)> {
    let mut pairs: Vec<(&str, &Value)> = map
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    pairs.sort_by_key(|(k, _)| *k);
    pairs
}

pub(super) fn list<'a>(obj: &'a Value, pointer: &str) -> &'a [Value] {
    obj.pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A string list joined with commas, or `<none>`.
fn joined(obj: &Value, pointer: &str) -> String {
    let items: Vec<&str> = list(obj, pointer).iter().filter_map(Value::as_str).collect();
    if items.is_empty() {
        "<none>".into()
    } else {
        items.join(",")
    }
}

fn decoded(v: &Value) -> Option<Vec<u8>> {
    aws_smithy_types::base64::decode(v.as_str()?).ok()
}

/// The length of base64 data once decoded.
fn decoded_len(v: &Value) -> usize {
    decoded(v).map(|d| d.len()).unwrap_or_default()
}

/// A conditions table as kubectl prints a claim's and a node's: type,
/// status, a time of the kind's own (`LastProbeTime`,
/// `LastHeartbeatTime`: its title and field), the last transition, the
/// reason and the message; nothing without conditions.
pub(super) fn timed_conditions(t: &mut Text, conditions: &[Value], (title, field): (&str, &str)) {
    if conditions.is_empty() {
        return;
    }
    t.write(0, "Conditions:\n");
    t.write(
        1,
        &format!("Type\tStatus\t{title}\tLastTransitionTime\tReason\tMessage\n"),
    );
    t.write(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for c in conditions {
        t.write(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                str_at(c, "/type"),
                str_at(c, "/status"),
                rfc1123z(str_at(c, field)),
                rfc1123z(str_at(c, "/lastTransitionTime")),
                str_at(c, "/reason"),
                str_at(c, "/message")
            ),
        );
    }
}

/// A time as Go's RFC 1123 with a numeric zone prints it
/// (`Mon, 02 Jan 2006 15:04:05 -0700`); the API server's times are UTC.
pub(super) fn rfc1123z(time: &str) -> String {
    let Some(secs) = super::events::epoch_seconds(time) else {
        // Go formats the zero time.
        return "Mon, 01 Jan 0001 00:00:00 +0000".into();
    };
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Howard Hinnant's days-to-civil: the proleptic Gregorian date of a day
/// counted from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_print_as_go_rfc1123z() {
        assert_eq!(
            rfc1123z("2024-01-12T22:41:01Z"),
            "Fri, 12 Jan 2024 22:41:01 +0000"
        );
        assert_eq!(
            rfc1123z("2000-02-29T00:00:00Z"),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(rfc1123z(""), "Mon, 01 Jan 0001 00:00:00 +0000");
    }

    #[test]
    fn endpoints_list_three_ready_addresses_then_a_count() {
        let slice = json!({
            "ports": [{"name": "http", "port": 8080}],
            "endpoints": [
                {"addresses": ["10.0.0.1"], "conditions": {"ready": true}},
                {"addresses": ["10.0.0.2"], "conditions": {"ready": false}},
                {"addresses": ["10.0.0.3"]},
                {"addresses": ["fd00::4"]},
                {"addresses": ["10.0.0.5"]},
            ]
        });
        assert_eq!(
            endpoints(std::slice::from_ref(&slice), "http"),
            "10.0.0.1:8080,10.0.0.3:8080,[fd00::4]:8080 + 1 more..."
        );
        assert_eq!(endpoints(&[slice], "other"), "");
        assert_eq!(endpoints(&[], "http"), "<none>");
    }

    #[test]
    fn secrets_print_their_sizes() {
        let s = json!({"metadata": {"name": "db", "namespace": "shop"}, "type": "Opaque",
            "data": {"password": "c2VjcmV0", "user": "YQ=="}});
        let text = secret(&s);
        assert!(
            text.ends_with("Data\n====\npassword:  6 bytes\nuser:      1 bytes\n"),
            "{text}"
        );
    }
}
