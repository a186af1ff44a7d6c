//! JMESPath and jq: an expression compiled, then evaluated over a JSON
//! document, both from the input (`expression \0 document`); the first
//! byte picks the language.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehearse::query::{Lang, Query};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let lang = if pick % 2 == 0 { Lang::JmesPath } else { Lang::Jq };
    let mut parts = rest.splitn(2, |b| *b == 0);
    let Ok(expression) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let document = parts
        .next()
        .and_then(|d| serde_json::from_slice(d).ok())
        .unwrap_or_else(|| serde_json::json!({"items": [{"metadata": {"name": "a"}, "n": 1}, {"n": 2.5}], "s": "x"}));
    if let Ok(query) = Query::compile(lang, expression) {
        let _ = query.eval(&document);
    }
});
