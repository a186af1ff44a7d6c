//! The AWS CLI's paging of a list operation: every page fetched and its
//! results joined, `--max-items` stopping the output with a `NextToken`,
//! and `--starting-token` resuming from one.
//!
//! The CLI's `NextToken` is its own (botocore's paginator's), not the
//! service's: the base64 of a JSON object holding the service token of the
//! page it stopped in (`{"nextToken": …}`, `null` on the first page) and,
//! when it stopped inside that page, how many of the page's items were
//! printed already (`"boto_truncate_amount": n`). A resumed call fetches
//! that page again and skips those items. Tokens made by the CLI resume
//! here, and ours resume in the CLI.

use std::future::Future;

use aws_smithy_types::base64;
use serde_json::{Map, Value};

use crate::action::aws::spec::Paging;
use crate::ground::port::ActionError;
use crate::query::python_string;

/// Where a resumed call starts: the service token of its first page (None:
/// the very first page) and how many of that page's items to skip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    pub token: Option<String>,
    pub skip: usize,
}

/// The CLI's paging options of one call.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits<'a> {
    pub max_items: Option<i64>,
    pub starting_token: Option<&'a str>,
}

/// Fetches the pages `call` answers, as the CLI does, and joins their
/// results under the operation's result key, with `NextToken` when
/// `--max-items` stopped before the end.
pub async fn every_page<F, Fut>(
    paging: Paging,
    limits: Limits<'_>,
    mut input: Map<String, Value>,
    call: F,
) -> Result<Value, ActionError>
where
    F: Fn(Map<String, Value>) -> Fut,
    Fut: Future<Output = Result<Value, ActionError>>,
{
    let start = limits
        .starting_token
        .map(|t| decode(paging.input_token, t))
        .unwrap_or_default();
    let mut current = start.token;
    if let Some(token) = &current {
        input.insert(paging.input_token.into(), Value::String(token.clone()));
    }
    let mut skip = start.skip;
    let mut results: Option<Value> = None;
    let mut total: i64 = 0;
    let mut seen: Vec<String> = Vec::new();
    let mut next_token = None;
    let mut once: Option<Map<String, Value>> = None;
    loop {
        let out = call(input.clone()).await?;
        if once.is_none() {
            let first = paging
                .non_aggregate
                .iter()
                .map(|k| (k.to_string(), out.get(*k).cloned().unwrap_or(Value::Null)));
            once = Some(first.collect());
        }
        let mut page = out.get(paging.result_key).cloned();
        // Only the first page of a resumed call skips what was printed.
        let skipped = std::mem::take(&mut skip);
        if let Some(Value::Array(items)) = &mut page {
            items.drain(..skipped.min(items.len()));
        }
        let count = match &page {
            Some(Value::Array(items)) => items.len() as i64,
            _ => 0,
        };
        if let Some(max) = limits.max_items.filter(|max| total + count > *max) {
            let keep = (max - total).max(0) as usize;
            if let Some(Value::Array(items)) = &mut page {
                items.truncate(keep);
            }
            join(&mut results, page);
            next_token = Some(encode(
                paging.input_token,
                current.as_deref(),
                Some(keep + skipped),
            ));
            break;
        }
        join(&mut results, page);
        total += count;
        let Some(next) = out
            .get(paging.output_token)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
        else {
            break;
        };
        if limits.max_items == Some(total) {
            // On a page boundary: the next call starts at the next page.
            next_token = Some(encode(paging.input_token, Some(&next), None));
            break;
        }
        if seen.contains(&next) {
            break;
        }
        seen.push(next.clone());
        input.insert(paging.input_token.into(), Value::String(next.clone()));
        current = Some(next);
    }
    let mut joined = Map::new();
    if let Some(results) = results {
        joined.insert(paging.result_key.into(), results);
    }
    joined.extend(once.unwrap_or_default());
    if let Some(token) = next_token {
        joined.insert("NextToken".into(), Value::String(token));
    }
    Ok(Value::Object(joined))
}

/// A page's results added to those before it.
fn join(results: &mut Option<Value>, page: Option<Value>) {
    match (results, page) {
        (Some(Value::Array(all)), Some(Value::Array(page))) => all.extend(page),
        (results @ None, Some(page)) => *results = Some(page),
        _ => {}
    }
}

/// The CLI's `NextToken`: base64 of the JSON Python's `json.dumps` writes.
pub fn encode(input_token: &str, token: Option<&str>, truncate: Option<usize>) -> String {
    let mut json = format!("{{{}: ", python_string(input_token));
    match token {
        Some(t) => json.push_str(&python_string(t)),
        None => json.push_str("null"),
    }
    if let Some(n) = truncate {
        json.push_str(&format!(", \"boto_truncate_amount\": {n}"));
    }
    json.push('}');
    base64::encode(json.as_bytes())
}

/// A `--starting-token`: the CLI's own token, or (as botocore still
/// accepts) an older `token___n` or a service token as it is.
pub fn decode(input_token: &str, text: &str) -> Resume {
    let own = base64::decode(text)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    if let Some(Value::Object(map)) = own {
        let skip = map
            .get("boto_truncate_amount")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let token = map.get(input_token).and_then(Value::as_str).map(str::to_string);
        return Resume { token, skip };
    }
    let (token, skip) = match text.rsplit_once("___") {
        Some((token, n)) if n.parse::<usize>().is_ok() => (token, n.parse().unwrap_or(0)),
        _ => (text, 0),
    };
    Resume {
        token: (token != "None").then(|| token.to_string()),
        skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PAGING: Paging = Paging {
        input_token: "nextToken",
        output_token: "nextToken",
        limit_key: "maxResults",
        result_key: "clusters",
        non_aggregate: &[],
    };

    /// Pages of two clusters each, `a` to `e`, the service's token the
    /// index of the next page's first item.
    async fn pages(limits: Limits<'_>) -> (Value, Vec<Option<String>>) {
        pages_of(2, limits).await
    }

    async fn pages_of(size: usize, limits: Limits<'_>) -> (Value, Vec<Option<String>>) {
        let all = ["a", "b", "c", "d", "e"];
        let asked = std::sync::Mutex::new(Vec::new());
        let out = every_page(PAGING, limits, Map::new(), |input| {
            let from: usize = input
                .get("nextToken")
                .and_then(Value::as_str)
                .map_or(0, |t| t.parse().unwrap());
            asked
                .lock()
                .unwrap()
                .push(input.get("nextToken").and_then(Value::as_str).map(str::to_string));
            let page: Vec<&str> = all.iter().skip(from).take(size).copied().collect();
            let mut out = json!({ "clusters": page });
            if from + size < all.len() {
                out["nextToken"] = json!((from + size).to_string());
            }
            async move { Ok(out) }
        })
        .await
        .unwrap();
        (out, asked.into_inner().unwrap())
    }

    fn token(v: &Value) -> Resume {
        decode("nextToken", v["NextToken"].as_str().unwrap())
    }

    #[tokio::test]
    async fn every_page_without_limits() {
        let (out, asked) = pages(Limits::default()).await;
        assert_eq!(out, json!({"clusters": ["a", "b", "c", "d", "e"]}));
        assert_eq!(asked.len(), 3);
    }

    #[tokio::test]
    async fn max_items_inside_a_page_resumes_inside_it() {
        let limits = Limits {
            max_items: Some(3),
            ..Limits::default()
        };
        let (out, _) = pages(limits).await;
        assert_eq!(out["clusters"], json!(["a", "b", "c"]));
        // Stopped after one item of the page fetched with token "2".
        let resume = token(&out);
        assert_eq!(
            resume,
            Resume {
                token: Some("2".into()),
                skip: 1
            }
        );
        let text = out["NextToken"].as_str().unwrap().to_string();
        let (rest, asked) = pages(Limits {
            max_items: None,
            starting_token: Some(&text),
        })
        .await;
        assert_eq!(rest, json!({"clusters": ["d", "e"]}));
        assert_eq!(asked[0].as_deref(), Some("2"));
    }

    #[tokio::test]
    async fn max_items_on_a_page_boundary_names_the_next_page() {
        let (out, asked) = pages(Limits {
            max_items: Some(2),
            ..Limits::default()
        })
        .await;
        assert_eq!(out["clusters"], json!(["a", "b"]));
        assert_eq!(asked.len(), 1, "no page is fetched past --max-items");
        assert_eq!(
            token(&out),
            Resume {
                token: Some("2".into()),
                skip: 0
            }
        );
    }

    #[tokio::test]
    async fn a_resumed_call_truncated_in_its_first_page_counts_what_it_skipped() {
        // Pages of three: from the first page, one item skipped, then one
        // more printed: the next call skips two.
        let start = encode("nextToken", None, Some(1));
        let (out, _) = pages_of(
            3,
            Limits {
                max_items: Some(1),
                starting_token: Some(&start),
            },
        )
        .await;
        assert_eq!(out["clusters"], json!(["b"]));
        assert_eq!(token(&out), Resume { token: None, skip: 2 });
        // The rest of that page exactly: the next call starts at the next page.
        let (out, _) = pages_of(
            3,
            Limits {
                max_items: Some(2),
                starting_token: Some(&start),
            },
        )
        .await;
        assert_eq!(out["clusters"], json!(["b", "c"]));
        assert_eq!(
            token(&out),
            Resume {
                token: Some("3".into()),
                skip: 0
            }
        );
    }

    #[test]
    fn tokens_are_the_clis_json_in_base64() {
        // As botocore's TokenEncoder writes {"nextToken": null, "boto_truncate_amount": 1}.
        assert_eq!(
            encode("nextToken", None, Some(1)),
            "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
        );
        assert_eq!(
            String::from_utf8(base64::decode(encode("Marker", Some("é\"x"), None)).unwrap()).unwrap(),
            r#"{"Marker": "\u00e9\"x"}"#
        );
    }

    #[test]
    fn older_and_service_tokens_are_read_as_botocore_reads_them() {
        assert_eq!(
            decode("nextToken", "abc___3"),
            Resume {
                token: Some("abc".into()),
                skip: 3
            }
        );
        assert_eq!(
            decode("nextToken", "opaque-token"),
            Resume {
                token: Some("opaque-token".into()),
                skip: 0
            }
        );
    }
}
