//! The one redactor for everything that leaves the process: recordings,
//! the JSON, JUnit and HTML reports, the terminal and snapshots.
//!
//! What is a secret:
//!
//! - JSON members named (in any case) `SecretAccessKey`, `SessionToken`,
//!   `aws_secret_access_key`, `aws_session_token` (STS `Credentials`, IAM
//!   `CreateAccessKey`), at any depth, and the same fields in XML
//!   (`<SecretAccessKey>…</SecretAccessKey>`), in JSON-looking text and in
//!   ini or environment lines (process output); their values are also
//!   hidden wherever else the same body repeats them (an `aws` step's
//!   printed `--output text` or `table`);
//! - Kubernetes `Secret` objects (also inside a `SecretList`, watch events
//!   and the `kubectl.kubernetes.io/last-applied-configuration` annotation
//!   that kubectl's client-side apply writes): every value of `data` and
//!   `stringData`; `TokenRequest`: `status.token`. (`managedFields` name
//!   the keys of `data`, never their values.)
//! - every value a [`Secrets`] holds: the credentials in use, variables
//!   declared `secret = true` and captures marked secret. They are matched
//!   as whole tokens, never inside a longer word, so that a short or common
//!   value (moto's `test` secret key) cannot corrupt `test-cluster`.
//!
//! Redacted values become `REDACTED`, which is also valid base64, so a
//! replayed `Secret` still deserialises.

use std::sync::{Arc, LazyLock, RwLock};

use regex::Regex;
use serde_json::Value;

pub const REDACTED: &str = "REDACTED";

const SECRET_KEYS: &[&str] = &[
    "secretaccesskey",
    "sessiontoken",
    "aws_secret_access_key",
    "aws_session_token",
];

/// The fields of a kubeconfig user (`kind: Config`, `users[].user`) that
/// authenticate it: `eks update-kubeconfig --dry-run` prints a whole
/// kubeconfig, with the other users' credentials in it.
const KUBECONFIG_USER_SECRETS: &[&str] = &["token", "password", "client-key-data"];

/// The credential fields of a kubeconfig's users, when `map` is one.
fn kubeconfig_credentials(map: &serde_json::Map<String, Value>) -> Vec<&Value> {
    if map.get("kind").and_then(Value::as_str) != Some("Config") {
        return Vec::new();
    }
    let users = map.get("users").and_then(Value::as_array).into_iter().flatten();
    users
        .filter_map(|u| u.get("user").and_then(Value::as_object))
        .flat_map(|user| KUBECONFIG_USER_SECRETS.iter().filter_map(|k| user.get(*k)))
        .filter(|v| v.is_string())
        .collect()
}

/// Redacts the credential fields of a kubeconfig's users, when `map` is one.
fn redact_kubeconfig(map: &mut serde_json::Map<String, Value>, changed: &mut bool) {
    if map.get("kind").and_then(Value::as_str) != Some("Config") {
        return;
    }
    let Some(Value::Array(users)) = map.get_mut("users") else {
        return;
    };
    for user in users
        .iter_mut()
        .filter_map(|u| u.get_mut("user"))
        .filter_map(Value::as_object_mut)
    {
        for key in KUBECONFIG_USER_SECRETS {
            if let Some(value) = user.get_mut(*key)
                && value.is_string()
                && value.as_str() != Some(REDACTED)
            {
                *value = Value::String(REDACTED.into());
                *changed = true;
            }
        }
    }
}

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SECRET_KEYS.contains(&k.as_str())
}

/// Scrubs a JSON value in place; returns whether anything was redacted.
pub fn redact_json(v: &mut Value) -> bool {
    let mut changed = false;
    walk(v, false, &mut changed);
    changed
}

fn walk(v: &mut Value, is_k8s_secret: bool, changed: &mut bool) {
    match v {
        Value::Object(map) => {
            let kind = map.get("kind").and_then(Value::as_str).map(str::to_string);
            let secret = is_k8s_secret || kind.as_deref() == Some("Secret");
            if secret {
                redact_last_applied(map, changed);
                for field in ["data", "stringData"] {
                    if let Some(Value::Object(data)) = map.get_mut(field) {
                        for value in data.values_mut() {
                            if value.as_str() != Some(REDACTED) {
                                *value = Value::String(REDACTED.into());
                                *changed = true;
                            }
                        }
                    }
                }
            }
            if kind.as_deref() == Some("TokenRequest")
                && let Some(Value::Object(status)) = map.get_mut("status")
                && let Some(token) = status.get_mut("token")
                && token.as_str() != Some(REDACTED)
            {
                *token = Value::String(REDACTED.into());
                *changed = true;
            }
            redact_kubeconfig(map, changed);
            let list_of_secrets = kind.as_deref() == Some("SecretList");
            for (key, value) in map.iter_mut() {
                if is_secret_key(key) && value.is_string() {
                    if value.as_str() != Some(REDACTED) {
                        *value = Value::String(REDACTED.into());
                        *changed = true;
                    }
                } else {
                    walk(value, list_of_secrets && key == "items", changed);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, is_k8s_secret, changed);
            }
        }
        _ => {}
    }
}

/// The annotation where kubectl's client-side apply keeps the object as it
/// was last applied: for a Secret, its data again.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn redact_last_applied(object: &mut serde_json::Map<String, Value>, changed: &mut bool) {
    let Some(Value::String(text)) = object
        .get_mut("metadata")
        .and_then(|m| m.get_mut("annotations"))
        .and_then(|a| a.get_mut(LAST_APPLIED))
    else {
        return;
    };
    let redacted = match serde_json::from_str::<Value>(text) {
        Ok(mut applied) => {
            let mut inner = false;
            walk(&mut applied, true, &mut inner);
            if !inner {
                return;
            }
            // kubectl writes the JSON on one line, with a newline.
            let newline = if text.ends_with('\n') { "\n" } else { "" };
            format!(
                "{}{newline}",
                serde_json::to_string(&applied).expect("JSON values serialise")
            )
        }
        Err(_) => REDACTED.to_string(),
    };
    if *text != redacted {
        *text = redacted;
        *changed = true;
    }
}

/// Scrubs a Kubernetes object known to be a Secret although it does not
/// say so: the body of a patch sent to a `secrets` path.
pub fn redact_secret_object(v: &mut Value) -> bool {
    let mut changed = false;
    walk(v, true, &mut changed);
    changed
}

/// Whether a Kubernetes API path names Secrets (`…/secrets` or
/// `…/secrets/NAME`), whose request bodies are Secrets without a `kind`.
pub fn is_secret_path(path: &str) -> bool {
    if !(path.starts_with("/api/") || path.starts_with("/apis/")) {
        return false;
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let n = segments.len();
    segments[n - 1] == "secrets" || (n >= 2 && segments[n - 2] == "secrets")
}

static XML_SECRET: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ["SecretAccessKey", "SessionToken"]
        .iter()
        .map(|tag| Regex::new(&format!(r"(<{tag}>)[^<]*(</{tag}>)")).expect("valid regex"))
        .collect()
});

static JSON_TEXT_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"("(?i:SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token)"\s*:\s*")[^"]*(")"#,
    )
    .expect("valid regex")
});

static INI_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^(\s*(?:export\s+)?(?i:aws_secret_access_key|aws_session_token)\s*=\s*)\S+")
        .expect("valid regex")
});

/// Scrubs text (an XML body, process output): AWS credential fields in XML,
/// JSON-looking text and ini-style files, and every known secret string.
pub fn redact_text(text: &str, secrets: &[String]) -> String {
    if !names_a_credential(text) {
        return redact_known(text, secrets);
    }
    let mut out = text.to_string();
    for re in XML_SECRET.iter() {
        out = re
            .replace_all(&out, format!("${{1}}{REDACTED}${{2}}"))
            .into_owned();
    }
    out = JSON_TEXT_SECRET
        .replace_all(&out, format!("${{1}}{REDACTED}${{2}}"))
        .into_owned();
    out = INI_SECRET
        .replace_all(&out, format!("${{1}}{REDACTED}"))
        .into_owned();
    redact_known(&out, secrets)
}

/// Whether `text` may hold a credential field, for the patterns to look
/// at; most text does not, and skips them.
fn names_a_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "secretaccesskey",
        "sessiontoken",
        "aws_secret_access_key",
        "aws_session_token",
    ]
    .iter()
    .any(|name| lower.contains(name))
}

/// Replaces each known secret where it stands as a whole token.
pub fn redact_known(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        if !secret.is_empty() && out.contains(secret.as_str()) {
            out = replace_tokens(&out, secret);
        }
    }
    out
}

/// A character that continues a word, a name or a host: a secret next to
/// one is part of something longer (`test` in `test-cluster`,
/// `attestation` or `test.example.com`) and is left alone.
fn continues_token(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')
}

/// `text` with every whole-token occurrence of `secret` redacted.
fn replace_tokens(text: &str, secret: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find(secret) {
        let start = from + found;
        let end = start + secret.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if before.is_some_and(continues_token) || after.is_some_and(continues_token) {
            from = start + secret.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.push_str(&text[rest..start]);
        out.push_str(REDACTED);
        rest = end;
        from = end;
    }
    out.push_str(&text[rest..]);
    out
}

/// Scrubs a stored body (JSON structure or text) and every string in it.
/// The values of its own credential fields are secrets for the whole body:
/// a step's outcome holds them in its JSON output and again in what it
/// printed (`aws sts assume-role --output text` prints them in columns,
/// without their names).
pub fn redact_body(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) => *s = redact_text(s, secrets),
        other => {
            let mut known = secrets.to_vec();
            credential_values(other, &mut known);
            // Longest first, so that a secret that contains another is
            // replaced whole.
            known.sort_by_key(|v| std::cmp::Reverse(v.len()));
            redact_json(other);
            redact_strings(other, &known);
        }
    }
}

/// The values of the credential fields in `v`, at any depth.
fn credential_values(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for x in kubeconfig_credentials(map) {
                if let Some(s) = x.as_str().filter(|s| !s.is_empty() && *s != REDACTED) {
                    out.push(s.to_string());
                }
            }
            for (k, x) in map {
                match x {
                    Value::String(s) if is_secret_key(k) && !s.is_empty() && s != REDACTED => {
                        out.push(s.clone())
                    }
                    _ => credential_values(x, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| credential_values(x, out)),
        _ => {}
    }
}

/// Every string in `v` as text: a step's output holds process output as
/// strings, which may print credentials in JSON, XML or ini form.
fn redact_strings(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) => *s = redact_text(s, secrets),
        Value::Array(a) => a.iter_mut().for_each(|x| redact_strings(x, secrets)),
        Value::Object(m) => m.values_mut().for_each(|x| redact_strings(x, secrets)),
        _ => {}
    }
}

/// Whether a live text is the one recorded as `recorded`, whose secrets
/// were redacted when it was saved: each `REDACTED` there stands for one
/// whole token (a replay does not know the recorded secrets), and the
/// credential fields of `live` are redacted as the recorder redacts them.
pub fn matches_redacted(recorded: &str, live: &str) -> bool {
    if recorded == live {
        return true;
    }
    if !recorded.contains(REDACTED) {
        return false;
    }
    let live = redact_text(live, &[]);
    // Each marker stands for one token: no blank, no quote.
    let pattern = recorded
        .split(REDACTED)
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r#"[^\s"']+"#);
    Regex::new(&format!("^{pattern}$")).is_ok_and(|re| re.is_match(&live))
}

/// The values that must never leave the process, shared by everything
/// that writes: the engine (reports, the terminal), the recorder. Cheap to
/// clone; clones share one set, so a capture marked secret in one step is
/// hidden from then on everywhere.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: Arc<RwLock<Vec<String>>>,
}

impl Secrets {
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// A value to hide from now on; empty values and the marker itself are
    /// ignored.
    pub fn add(&self, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() || value == REDACTED {
            return;
        }
        let mut values = self.values.write().unwrap_or_else(|e| e.into_inner());
        if !values.contains(&value) {
            // Longest first, so that a secret that contains another is
            // replaced whole.
            values.push(value);
            values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// Adds every secret of this set to `other`.
    pub fn copy_into(&self, other: &Secrets) {
        for value in self.snapshot() {
            other.add(value);
        }
    }

    /// Whether `value` is one of the secrets.
    pub fn contains(&self, value: &str) -> bool {
        self.snapshot().iter().any(|v| v == value)
    }

    fn snapshot(&self) -> Vec<String> {
        self.values.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Text (process output, a message, a command line) with every secret
    /// redacted: credential fields and the known values.
    pub fn text(&self, text: &str) -> String {
        redact_text(text, &self.snapshot())
    }

    /// A stored body (JSON structure or text) with every secret redacted.
    pub fn body(&self, v: &mut Value) {
        redact_body(v, &self.snapshot());
    }

    /// Any serialisable value (a step's outcome) with every secret in it
    /// redacted: through its JSON form, so that no field is forgotten.
    pub fn value<T: serde::Serialize + serde::de::DeserializeOwned>(&self, value: &mut T) {
        let Ok(mut json) = serde_json::to_value(&*value) else {
            return;
        };
        let before = json.clone();
        self.body(&mut json);
        if json != before
            && let Ok(redacted) = serde_json::from_value(json)
        {
            *value = redacted;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_in_a_body_are_hidden_wherever_it_repeats_them() {
        // A step's outcome: `sts assume-role --output text` prints the
        // credentials' values in columns, without their names.
        let mut outcome = json!({
            "output": {"Credentials": {"AccessKeyId": "ASIA1", "SecretAccessKey": "k/E+y1", "SessionToken": "T0k=="}},
            "stdout": "CREDENTIALS\tASIA1\t2026\tk/E+y1\tT0k==\n",
        });
        redact_body(&mut outcome, &[]);
        assert_eq!(outcome["output"]["Credentials"]["SecretAccessKey"], REDACTED);
        assert_eq!(
            outcome["stdout"],
            "CREDENTIALS\tASIA1\t2026\tREDACTED\tREDACTED\n"
        );
    }

    #[test]
    fn sts_credentials_are_redacted_in_json_and_xml() {
        let mut v = json!({"Credentials": {"AccessKeyId": "AKID", "SecretAccessKey": "s3cr3t", "SessionToken": "tok"}});
        assert!(redact_json(&mut v));
        assert_eq!(v["Credentials"]["SecretAccessKey"], REDACTED);
        assert_eq!(v["Credentials"]["SessionToken"], REDACTED);
        assert_eq!(v["Credentials"]["AccessKeyId"], "AKID");

        let xml = "<Credentials><SessionToken>tok</SessionToken><SecretAccessKey>s3cr3t</SecretAccessKey></Credentials>";
        let out = redact_text(xml, &[]);
        assert!(!out.contains("tok<") && !out.contains("s3cr3t"), "{out}");
        assert!(out.contains("<SessionToken>REDACTED</SessionToken>"));
    }

    #[test]
    fn kubernetes_secrets_are_redacted_in_objects_lists_and_events() {
        let mut list = json!({"kind": "SecretList", "items": [{"metadata": {"name": "a"}, "data": {"password": "cGFzcw=="}}]});
        redact_json(&mut list);
        assert_eq!(list["items"][0]["data"]["password"], REDACTED);

        let mut event = json!({"type": "ADDED", "object": {"kind": "Secret", "stringData": {"k": "v"}}});
        redact_json(&mut event);
        assert_eq!(event["object"]["stringData"]["k"], REDACTED);

        let mut cm = json!({"kind": "ConfigMap", "data": {"k": "v"}});
        assert!(!redact_json(&mut cm));
        assert_eq!(cm["data"]["k"], "v");
    }

    #[test]
    fn known_secrets_are_whole_tokens_only() {
        let secrets = ["test".to_string()];
        let text = "test-cluster attestation test.example.com latest key=test \"test\" /test/";
        assert_eq!(
            redact_known(text, &secrets),
            "test-cluster attestation test.example.com latest key=REDACTED \"REDACTED\" /REDACTED/"
        );
        assert_eq!(redact_known("testtest test", &secrets), "testtest REDACTED");
    }

    #[test]
    fn a_secret_s_last_applied_configuration_is_redacted_too() {
        let applied =
            "{\"apiVersion\":\"v1\",\"data\":{\"password\":\"aHVudGVyMg==\"},\"kind\":\"Secret\"}\n";
        let mut secret = json!({"kind": "Secret", "metadata": {"name": "db", "annotations": {LAST_APPLIED: applied}}, "data": {"password": "aHVudGVyMg=="}});
        assert!(redact_json(&mut secret));
        let text = secret["metadata"]["annotations"][LAST_APPLIED].as_str().unwrap();
        assert!(!text.contains("aHVudGVyMg=="), "{text}");
        assert!(
            text.ends_with("}\n") && text.contains("\"password\":\"REDACTED\""),
            "{text}"
        );
        // A patch to a secrets path has no kind: the path says what it is.
        assert!(is_secret_path("/api/v1/namespaces/carts/secrets/db"));
        assert!(is_secret_path("/api/v1/namespaces/carts/secrets"));
        assert!(!is_secret_path("/api/v1/namespaces/secrets/configmaps/x"));
        let mut patch = json!({"data": {"password": "aHVudGVyMg=="}, "metadata": {"annotations": {LAST_APPLIED: applied}}});
        assert!(redact_secret_object(&mut patch));
        assert!(!patch.to_string().contains("aHVudGVyMg=="), "{patch}");
    }

    #[test]
    fn a_recorded_text_matches_the_live_one_its_secrets_came_from() {
        let recorded = "echo \"a REDACTED of test-cluster\" --key REDACTED";
        assert!(matches_redacted(
            recorded,
            "echo \"a test of test-cluster\" --key s3cr3t/x+y"
        ));
        assert!(!matches_redacted(
            recorded,
            "echo \"a test of prod-cluster\" --key s3cr3t"
        ));
        assert!(!matches_redacted(
            recorded,
            "echo \"a  of test-cluster\" --key s3cr3t"
        ));
        assert!(!matches_redacted("plain", "plain "));
        assert!(matches_redacted(
            "echo '{\"SecretAccessKey\": \"REDACTED\"}'",
            "echo '{\"SecretAccessKey\": \"abc\"}'"
        ));
    }

    #[test]
    fn a_value_is_redacted_through_its_json_form() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Outcome {
            command: String,
            output: Value,
        }
        let secrets = Secrets::new();
        secrets.add("hunter2");
        let mut outcome = Outcome {
            command: "login --password hunter2".into(),
            output: json!({"token": "hunter2", "Credentials": {"SessionToken": "tok"}}),
        };
        secrets.value(&mut outcome);
        assert_eq!(outcome.command, "login --password REDACTED");
        assert_eq!(
            outcome.output,
            json!({"token": "REDACTED", "Credentials": {"SessionToken": "REDACTED"}})
        );
    }

    #[test]
    fn text_output_and_known_secrets_are_redacted() {
        let text = "{\n  \"SecretAccessKey\": \"abc\"\n}\naws_session_token = xyz\nthe key is K3Y\n";
        let out = redact_text(text, &["K3Y".to_string()]);
        assert_eq!(
            out,
            "{\n  \"SecretAccessKey\": \"REDACTED\"\n}\naws_session_token = REDACTED\nthe key is REDACTED\n"
        );
    }

    #[test]
    fn a_kubeconfigs_user_credentials_are_redacted() {
        let mut config = json!({"kind": "Config", "users": [
            {"name": "a", "user": {"token": "tok-123", "client-key-data": "S0VZ"}},
            {"name": "b", "user": {"exec": {"command": "aws"}}},
        ], "clusters": [{"name": "c", "cluster": {"certificate-authority-data": "Q0E="}}]});
        let mut body = config.clone();
        assert!(redact_json(&mut config));
        assert_eq!(config["users"][0]["user"]["token"], REDACTED);
        assert_eq!(config["users"][0]["user"]["client-key-data"], REDACTED);
        assert_eq!(config["users"][1]["user"]["exec"]["command"], "aws");
        assert_eq!(
            config["clusters"][0]["cluster"]["certificate-authority-data"],
            "Q0E="
        );
        // In a body, the values go from the text it printed too.
        body["printed"] = json!("users:\n- user:\n    token: tok-123\n");
        redact_body(&mut body, &[]);
        assert_eq!(body["printed"], "users:\n- user:\n    token: REDACTED\n");
    }
}
