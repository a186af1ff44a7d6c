//! Which recorded exchange answers a request.
//!
//! A request's key is its service, method, path, normalised query and
//! normalised body. Headers never take part. Normalising a body:
//! - JSON: volatile members are ignored (EKS's random `clientRequestToken`;
//!   the time in the `kubectl.kubernetes.io/restartedAt` annotation of a
//!   `rollout restart` patch), credentials are redacted as in the file, and
//!   members compare regardless of order;
//! - anything else (IAM's and STS's `application/x-www-form-urlencoded`
//!   bodies) is parsed as form pairs, decoded and sorted.
//!
//! Identical requests (polling) get their recorded responses in order;
//! once all are used the last one answers again, except for watches,
//! whose streams are not repeated (a watcher would re-watch forever): see
//! [`NoMatch::watch_exhausted`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::format::{Exchange, Header, HttpExchange, ProcessExchange, Recording};
use crate::action::process::process_output;
use crate::ground::json;
pub use crate::ground::port::NoMatch;
use crate::ground::port::{ActionError, ActionResult, ErrorKind, Output};
use crate::ground::redact::{is_secret_path, matches_redacted, redact_json, redact_secret_object};

/// JSON members whose value never decides a match.
const VOLATILE_MEMBERS: &[&str] = &["clientRequestToken", "kubectl.kubernetes.io/restartedAt"];

/// What decides which recorded exchange answers a request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestKey {
    pub service: String,
    pub method: String,
    pub path: String,
    /// Decoded `key=value` pairs, sorted.
    pub query: Vec<String>,
    /// The body in canonical form ("" when empty).
    pub body: String,
    /// The region an AWS call named with `--region` (None: the recording's).
    pub region: Option<String>,
}

impl RequestKey {
    /// The key of a live request: `body` is the stored form of its body
    /// (see [`body_value`]).
    pub fn new(
        service: &str,
        method: &str,
        path: &str,
        query: Vec<String>,
        body: Option<&Value>,
    ) -> RequestKey {
        let mut query = query;
        // A watch's `timeoutSeconds` is what was left of the watcher's
        // deadline when it (re-)watched: a matter of timing, like
        // `clientRequestToken`, and never the same twice.
        if query.iter().any(|q| q == "watch=true" || q == "watch=1") {
            query.retain(|q| !q.starts_with("timeoutSeconds="));
        }
        // A body sent to a Secret's path is a Secret without a `kind`: it
        // is compared as the recorder stored it.
        let secret_body = body.filter(|_| is_secret_path(path)).map(|b| {
            let mut b = b.clone();
            redact_secret_object(&mut b);
            b
        });
        RequestKey {
            service: service.to_string(),
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query,
            body: canonical_body(secret_body.as_ref().or(body)),
            region: None,
        }
    }

    /// The key of an AWS call in a region named with `--region`.
    pub fn in_region(mut self, region: Option<&str>) -> RequestKey {
        self.region = region.map(str::to_string);
        self
    }

    pub fn of(exchange: &HttpExchange) -> RequestKey {
        RequestKey::new(
            &exchange.service,
            &exchange.request.method,
            &exchange.request.path,
            exchange.request.query.clone(),
            exchange.request.body.as_ref(),
        )
        .in_region(exchange.request.region.as_deref())
    }

    /// `iam POST /?a=b body `…``, for messages.
    pub fn describe(&self) -> String {
        let mut s = match &self.region {
            Some(region) => format!("{} ({region}) {} {}", self.service, self.method, self.path),
            None => format!("{} {} {}", self.service, self.method, self.path),
        };
        if !self.query.is_empty() {
            s.push('?');
            s.push_str(&self.query.join("&"));
        }
        if !self.body.is_empty() {
            s.push_str(" body `");
            s.push_str(&truncate(&self.body, 300));
            s.push('`');
        }
        s
    }

    fn is_watch(&self) -> bool {
        self.query.iter().any(|q| q == "watch=true" || q == "watch=1")
    }

    /// A Kubernetes API discovery document (`/api`, `/apis`, `/api/v1`,
    /// `/apis/GROUP/VERSION`).
    fn is_discovery(&self) -> bool {
        if self.service != "kubernetes" || self.method != "GET" {
            return false;
        }
        let parts: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        matches!(parts.as_slice(), ["api"] | ["apis"] | ["api", _] | ["apis", _, _])
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// A raw query string as decoded `key=value` pairs, sorted.
pub fn normalise_query(raw: Option<&str>) -> Vec<String> {
    let mut pairs: Vec<String> = form_pairs(raw.unwrap_or(""))
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.sort();
    pairs
}

fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The stored form of a body: None when empty, a JSON structure when it is
/// JSON (other than a bare string), else its text.
pub fn body_value(bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::String(_)) | Err(_) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
        Ok(v) => Some(v),
    }
}

/// The bytes to send for a stored body.
pub fn body_bytes(body: Option<&Value>) -> Vec<u8> {
    match body {
        None => Vec::new(),
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(v) => serde_json::to_vec(v).expect("JSON values serialise"),
    }
}

/// A body in the form that requests are compared in.
pub fn canonical_body(body: Option<&Value>) -> String {
    match body {
        None => String::new(),
        Some(Value::String(text)) => {
            let mut pairs = form_pairs(text);
            pairs.sort();
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }
        Some(v) => {
            let mut v = v.clone();
            blank_volatile(&mut v);
            redact_json(&mut v);
            // Keys sorted: the text is the same whatever the members' order.
            json::sorted_compact(&v)
        }
    }
}

fn blank_volatile(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if VOLATILE_MEMBERS.contains(&key.as_str()) {
                    *value = Value::String("<volatile>".into());
                } else {
                    blank_volatile(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(blank_volatile),
        _ => {}
    }
}

/// Answers requests and commands from a recording. Cheap to clone; clones
/// share which exchanges have been used.
#[derive(Clone, Debug)]
pub struct Player {
    inner: Arc<Mutex<PlayerState>>,
}

#[derive(Debug)]
struct PlayerState {
    recording: Recording,
    /// The key of each HTTP exchange, by index (None for processes).
    keys: Vec<Option<RequestKey>>,
    used: Vec<bool>,
    by_key: HashMap<RequestKey, Vec<usize>>,
    /// Which of each step's results an attempt was answered with.
    results_used: HashMap<String, Vec<bool>>,
    /// The step set with [`Player::set_step`].
    step: String,
}

impl Player {
    pub fn new(recording: Recording) -> Player {
        let keys: Vec<Option<RequestKey>> = recording
            .exchanges
            .iter()
            .map(|e| match e {
                Exchange::Http(h) => Some(RequestKey::of(h)),
                Exchange::Process(_) => None,
            })
            .collect();
        let mut by_key: HashMap<RequestKey, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                by_key.entry(k.clone()).or_default().push(i);
            }
        }
        let used = vec![false; keys.len()];
        let results_used = recording
            .steps
            .iter()
            .map(|(step, results)| (step.clone(), vec![false; results.len()]))
            .collect();
        Player {
            inner: Arc::new(Mutex::new(PlayerState {
                recording,
                keys,
                used,
                by_key,
                results_used,
                step: String::new(),
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, PlayerState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Names the step whose requests follow, for messages about requests
    /// that are not recorded; see `Recorder::set_step`.
    pub fn set_step(&self, step: impl Into<String>) {
        self.state().step = step.into();
    }

    pub fn header(&self) -> Header {
        self.state().recording.header.clone()
    }

    /// The recorded exchange that answers this request.
    pub fn http(&self, key: &RequestKey) -> Result<HttpExchange, NoMatch> {
        self.http_watch(key).map(|(exchange, _)| exchange)
    }

    /// [`Player::http`], and for a watch whether it is the last one its
    /// step recorded on that path: the recorded run watched no further, so
    /// the end of its events is where the recorded wait ended.
    pub fn http_watch(&self, key: &RequestKey) -> Result<(HttpExchange, bool), NoMatch> {
        let mut st = self.state();
        let Some(indices) = st.by_key.get(key).cloned() else {
            return Err(NoMatch {
                message: st.explain_http(key),
                watch_exhausted: false,
            });
        };
        // Strict: a step is answered by its own exchanges only (or those
        // that name it in `also-answers`), in order, the last repeating; a
        // step that runs out never borrows a later step's answer (a wait
        // would then pass on data recorded for another moment). Discovery
        // documents are the cluster's, not a step's: any step may read them,
        // since the client asks once and caches them.
        let step = st.current_step();
        let own: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|i| key.is_discovery() || st.recording.exchanges[*i].answers(&step))
            .collect();
        let Some(&last_own) = own.last() else {
            return Err(NoMatch {
                message: st.explain_other_steps(key, &indices),
                watch_exhausted: false,
            });
        };
        let chosen = match own.iter().copied().find(|i| !st.used[*i]) {
            Some(i) => i,
            None if key.is_watch() => {
                return Err(NoMatch {
                    message: format!(
                        "the recording's {} watch response(s) for {} are all used (step `{step}`): \
                         the run watched more often than the recorded one",
                        own.len(),
                        key.describe(),
                    ),
                    watch_exhausted: true,
                });
            }
            None => last_own,
        };
        st.used[chosen] = true;
        let Exchange::Http(h) = &st.recording.exchanges[chosen] else {
            unreachable!("only HTTP exchanges have keys")
        };
        let last_watch = key.is_watch()
            && !st.recording.exchanges[chosen + 1..]
                .iter()
                .zip(&st.keys[chosen + 1..])
                .any(|(e, k)| {
                    e.step() == h.step && k.as_ref().is_some_and(|k| k.is_watch() && k.path == key.path)
                });
        Ok(((**h).clone(), last_watch))
    }

    /// The recorded result of a `run` step's command, and how long it took.
    pub fn process(&self, step: &str, command: &str) -> Result<(ActionResult, Duration), NoMatch> {
        let mut st = self.state();
        let matching: Vec<usize> = st
            .recording
            .exchanges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Exchange::Process(p) if p.step == step && matches_redacted(&p.command, command) => Some(i),
                _ => None,
            })
            .collect();
        let Some(&last) = matching.last() else {
            return Err(NoMatch {
                message: st.explain_process(step, command),
                watch_exhausted: false,
            });
        };
        let chosen = matching.iter().copied().find(|&i| !st.used[i]).unwrap_or(last);
        st.used[chosen] = true;
        let Exchange::Process(p) = &st.recording.exchanges[chosen] else {
            unreachable!("filtered to processes")
        };
        Ok((process_result(p), Duration::from_millis(p.duration_ms)))
    }

    /// The result of `step`'s next attempt and how long it takes, when the
    /// recording holds the step's results: in order, the last repeating
    /// (a wait that polls more sees its last answer again, never another
    /// step's). None: the step's traffic is answered by its exchanges.
    pub fn step_result(&self, step: &str) -> Option<(ActionResult, Duration)> {
        let mut st = self.state();
        let used = st.results_used.get_mut(step)?;
        let i = used.iter().position(|u| !u).unwrap_or(used.len() - 1);
        used[i] = true;
        let result = &st.recording.steps[step][i];
        Some((result.result(), result.duration()))
    }

    /// The step of each recorded result no attempt was answered with: the
    /// step did not run, or took fewer attempts than recorded.
    pub fn unused_results(&self) -> Vec<String> {
        let st = self.state();
        let mut unused: Vec<String> = Vec::new();
        // In the recording's order of steps, so that the list is the same
        // on every run.
        for step in st.recording.steps.keys() {
            let used = &st.results_used[step];
            unused.extend(used.iter().filter(|u| !**u).map(|_| step.clone()));
        }
        unused
    }

    /// Exchanges no request or command asked for: the run took a different
    /// path than the recorded one.
    pub fn unused(&self) -> Vec<Exchange> {
        let st = self.state();
        st.recording
            .exchanges
            .iter()
            .zip(&st.used)
            .filter(|(_, used)| !**used)
            .map(|(e, _)| e.clone())
            .collect()
    }
}

/// A recorded process as the shell backend would have returned it.
pub fn process_result(p: &ProcessExchange) -> ActionResult {
    let output = process_output(p.stdout.as_bytes(), p.stderr.as_bytes(), p.exit_code, p.signal);
    match (&p.error, p.error_kind.as_deref()) {
        (None, _) => Ok(Output::printed(
            p.output.as_deref().cloned().unwrap_or(output),
            p.stdout.clone(),
        )),
        (Some(message), _) if p.output.is_some() => {
            Err(ActionError::failed(message.clone(), p.output.as_deref().cloned()))
        }
        (Some(message), Some("runtime")) => Err(ActionError {
            kind: ErrorKind::Runtime,
            message: message.clone(),
            output: None,
        }),
        (Some(message), _) => Err(ActionError::failed(message.clone(), Some(output))),
    }
}

impl PlayerState {
    /// A request the recording has, but for other steps only.
    fn explain_other_steps(&self, key: &RequestKey, indices: &[usize]) -> String {
        let mut steps: Vec<&str> = indices
            .iter()
            .map(|i| self.recording.exchanges[*i].step())
            .collect();
        steps.dedup();
        let step = self.current_step();
        format!(
            "the recording has no response for {} (step `{step}`): it has one for step(s) {}, and a replay \
             answers a step only with its own exchanges (a recording that means to share one says so with \
             `also-answers`)",
            key.describe(),
            steps
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    fn current_step(&self) -> String {
        let step = crate::ground::port::current_step();
        if step.is_empty() { self.step.clone() } else { step }
    }

    fn explain_http(&self, key: &RequestKey) -> String {
        let step = self.current_step();
        let mut msg = format!("the recording has no response for {}", key.describe());
        if !step.is_empty() {
            msg.push_str(&format!(" (step `{step}`)"));
        }
        let same_service: Vec<(usize, &RequestKey)> = self
            .keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.as_ref().map(|k| (i, k)))
            .filter(|(_, k)| k.service == key.service)
            .collect();
        let same_method: Vec<(usize, &RequestKey)> = same_service
            .iter()
            .copied()
            .filter(|(_, k)| k.method == key.method)
            .collect();
        let pool = if same_method.is_empty() {
            same_service
        } else {
            same_method
        };
        if pool.is_empty() {
            msg.push_str(&format!("; it has no {} requests at all", key.service));
            return msg;
        }
        let mut scored: Vec<(f64, usize, &RequestKey)> = pool
            .into_iter()
            .map(|(i, k)| (similarity(key, k), i, k))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut seen: Vec<&RequestKey> = Vec::new();
        msg.push_str("; the closest recorded requests:");
        for (_, i, k) in scored {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            msg.push_str(&format!(
                "\n  - {} (recorded by step `{}`)",
                k.describe(),
                self.recording.exchanges[i].step()
            ));
            if seen.len() == 3 {
                break;
            }
        }
        msg
    }

    fn explain_process(&self, step: &str, command: &str) -> String {
        let mut msg = format!(
            "the recording has no run of `{}` for step `{step}`",
            truncate(command, 200)
        );
        let mut others: Vec<(f64, &ProcessExchange)> = self
            .recording
            .exchanges
            .iter()
            .filter_map(|e| match e {
                Exchange::Process(p) => Some(p),
                _ => None,
            })
            .map(|p| {
                let score = strsim::normalized_levenshtein(&p.command, command)
                    + if p.step == step { 1.0 } else { 0.0 };
                (score, p)
            })
            .collect();
        others.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (_, p) in others {
            if seen.contains(&(p.step.as_str(), p.command.as_str())) {
                continue;
            }
            if seen.is_empty() {
                msg.push_str("; the closest recorded commands:");
            }
            seen.push((&p.step, &p.command));
            msg.push_str(&format!(
                "\n  - `{}` (recorded by step `{}`)",
                truncate(&p.command, 200),
                p.step
            ));
            if seen.len() == 3 {
                break;
            }
        }
        msg
    }
}

/// How alike two requests of one service are: mostly by path, then body and query.
fn similarity(a: &RequestKey, b: &RequestKey) -> f64 {
    let path = strsim::normalized_levenshtein(&a.path, &b.path);
    let body = strsim::normalized_levenshtein(&a.body, &b.body);
    let query = strsim::normalized_levenshtein(&a.query.join("&"), &b.query.join("&"));
    0.5 * path + 0.35 * body + 0.15 * query
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_bodies_compare_as_sorted_pairs() {
        let a = body_value(b"Action=GetRole&RoleName=my%2Drole&Version=2010-05-08");
        let b = body_value(b"Version=2010-05-08&RoleName=my-role&Action=GetRole");
        assert_eq!(canonical_body(a.as_ref()), canonical_body(b.as_ref()));
    }

    #[test]
    fn volatile_json_members_are_ignored() {
        let a = json!({"addonName": "x", "clientRequestToken": "1111"});
        let b = json!({"clientRequestToken": "2222", "addonName": "x"});
        assert_eq!(canonical_body(Some(&a)), canonical_body(Some(&b)));
        let p1 = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2025-01-01T00:00:00Z"}}}}});
        let p2 = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2026-02-02T00:00:00Z"}}}}});
        assert_eq!(canonical_body(Some(&p1)), canonical_body(Some(&p2)));
        let other = json!({"addonName": "y", "clientRequestToken": "1111"});
        assert_ne!(canonical_body(Some(&a)), canonical_body(Some(&other)));
    }

    #[test]
    fn bodies_are_stored_as_json_or_text() {
        assert_eq!(body_value(b""), None);
        assert_eq!(body_value(b"{\"a\":1}"), Some(json!({"a": 1})));
        assert_eq!(body_value(b"\"s\""), Some(json!("\"s\"")));
        assert_eq!(body_value(b"<xml/>"), Some(json!("<xml/>")));
        assert_eq!(body_bytes(Some(&json!("\"s\""))), b"\"s\"");
    }

    #[test]
    fn a_watch_timeout_never_decides_a_match() {
        let key = |q: &str| {
            RequestKey::new(
                "kubernetes",
                "GET",
                "/api/v1/pods",
                normalise_query(Some(q)),
                None,
            )
        };
        assert_eq!(
            key("watch=true&timeoutSeconds=19&resourceVersion=7"),
            key("resourceVersion=7&watch=true&timeoutSeconds=1")
        );
        assert_ne!(key("timeoutSeconds=19"), key("timeoutSeconds=1"), "only watches");
    }

    #[test]
    fn queries_are_decoded_and_sorted() {
        assert_eq!(
            normalise_query(Some("watch=true&labelSelector=app%3Dweb&a")),
            ["a=", "labelSelector=app=web", "watch=true"]
        );
    }
}
