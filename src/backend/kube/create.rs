//! `create namespace|configmap|secret generic`: the object kubectl's
//! generators make (`--from-literal` keys, a Secret's values in base64),
//! created, or only printed with `--dry-run=client`.

use serde_json::{Map, Value, json};

use super::objects::ObjRef;
use super::{Ctx, Done, watch};
use crate::action::kubectl::{Create, CreateKind};

impl Ctx<'_> {
    pub(super) async fn create(&self, v: &Create) -> Done {
        let (resource, kind) = match v.kind {
            CreateKind::Namespace => ("namespaces", "Namespace"),
            CreateKind::ConfigMap => ("configmaps", "ConfigMap"),
            CreateKind::Secret => ("secrets", "Secret"),
        };
        let r = self.resolve(resource).await?;
        let mut metadata = json!({"creationTimestamp": null, "name": v.name});
        // kubectl names the namespace only when `-n` says it.
        if let (true, Some(ns)) = (r.namespaced, self.namespace_flag) {
            metadata["namespace"] = json!(ns);
        }
        let mut obj = json!({"apiVersion": "v1", "kind": kind, "metadata": metadata});
        let data: Map<String, Value> = v
            .literals
            .iter()
            .map(|(k, value)| {
                let value = match v.kind {
                    CreateKind::Secret => base64(value.as_bytes()),
                    _ => value.clone(),
                };
                (k.clone(), Value::String(value))
            })
            .collect();
        match v.kind {
            CreateKind::Namespace => {
                obj["spec"] = json!({});
                obj["status"] = json!({});
            }
            _ if !data.is_empty() => obj["data"] = Value::Object(data),
            _ => {}
        }
        let o = ObjRef {
            namespace: self.ns_for(&r, false),
            r,
            name: v.name.clone(),
        };
        if v.dry_run {
            return Ok((obj, vec![o.line("created (dry run)")]));
        }
        let mut created = self.post_new(&o, &obj).await?;
        watch::fill_type(&mut created, &o.r);
        Ok((created, vec![o.line("created")]))
    }
}

/// Standard base64 with padding, as a Secret's `data` holds its values.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(super::base64(b"b"), "Yg==");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"abc"), "YWJj");
        assert_eq!(super::base64(b"hunter2"), "aHVudGVyMg==");
        assert_eq!(super::base64(b""), "");
    }
}
