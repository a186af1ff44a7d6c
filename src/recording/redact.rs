//! Keeping credentials out of recordings.
//!
//! Request headers are never stored (so no `authorization`, signature,
//! `x-amz-security-token`, bearer token or user agent can reach a file);
//! of the response headers only `content-type` is kept. Bodies are scrubbed
//! here, and the same scrubbing is applied to a live request before it is
//! matched, so redaction never makes a replayed request miss:
//!
//! - JSON members named (in any case) `SecretAccessKey`, `SessionToken`,
//!   `aws_secret_access_key`, `aws_session_token` (STS `Credentials`, IAM
//!   `CreateAccessKey`), at any depth;
//! - Kubernetes `Secret` objects (also inside a `SecretList` and watch
//!   events): every value of `data` and `stringData`; `TokenRequest`:
//!   `status.token`;
//! - the same AWS fields in XML (`<SecretAccessKey>…</SecretAccessKey>`) and
//!   in JSON-looking text (process output);
//! - any string the recorder was told is secret (the credentials in use),
//!   wherever it appears.
//!
//! Redacted values become `REDACTED`, which is also valid base64, so a
//! replayed `Secret` still deserialises.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

pub const REDACTED: &str = "REDACTED";

const SECRET_KEYS: &[&str] = &[
    "secretaccesskey",
    "sessiontoken",
    "aws_secret_access_key",
    "aws_session_token",
];

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
    Regex::new(r"(?m)^(\s*(?i:aws_secret_access_key|aws_session_token)\s*=\s*)\S+").expect("valid regex")
});

/// Scrubs text (an XML body, process output): AWS credential fields in XML,
/// JSON-looking text and ini-style files, and every known secret string.
pub fn redact_text(text: &str, secrets: &[String]) -> String {
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

/// Replaces every occurrence of each known secret.
pub fn redact_known(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() && out.contains(s.as_str()) {
            out = out.replace(s.as_str(), REDACTED);
        }
    }
    out
}

/// Scrubs a stored body (JSON structure or text) and every string in it.
pub fn redact_body(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) => *s = redact_text(s, secrets),
        other => {
            redact_json(other);
            redact_strings(other, secrets);
        }
    }
}

fn redact_strings(v: &mut Value, secrets: &[String]) {
    if secrets.is_empty() {
        return;
    }
    match v {
        Value::String(s) => *s = redact_known(s, secrets),
        Value::Array(a) => a.iter_mut().for_each(|x| redact_strings(x, secrets)),
        Value::Object(m) => m.values_mut().for_each(|x| redact_strings(x, secrets)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn text_output_and_known_secrets_are_redacted() {
        let text = "{\n  \"SecretAccessKey\": \"abc\"\n}\naws_session_token = xyz\nthe key is K3Y\n";
        let out = redact_text(text, &["K3Y".to_string()]);
        assert_eq!(
            out,
            "{\n  \"SecretAccessKey\": \"REDACTED\"\n}\naws_session_token = REDACTED\nthe key is REDACTED\n"
        );
    }
}
