//! Verbs that change objects by patching them: `patch`, `annotate`,
//! `label`, `scale` and `rollout restart`.

use kube::api::{Patch as KubePatch, PatchParams};
use kube::core::Request;
use serde_json::{Value, json};

use super::Json;
use super::objects::{ObjRef, url_path};
use super::{Ctx, FIELD_MANAGER, RESTARTED_AT, api_error, build_error, one_or_list, rollout, select, watch};
use crate::action::kubectl::{MetaField, Metadata, Patch, PatchType, Scale, Targets};
use crate::ground::port::ActionError;

impl Ctx<'_> {
    pub(super) async fn patch_object(
        &self,
        o: &ObjRef,
        patch_type: PatchType,
        patch: &Value,
        subresource: Option<&str>,
    ) -> Result<Value, ActionError> {
        let pp = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PatchParams::default()
        };
        let request = Request::new(url_path(&o.r, o.namespace.as_deref()));
        let p = match patch_type {
            PatchType::Strategic => KubePatch::Strategic(patch),
            // A JSON patch is sent like a merge patch with its own content type
            // (kube's `Patch::Json` wants the json-patch crate's types).
            PatchType::Merge | PatchType::Json => KubePatch::Merge(patch),
        };
        let mut req = match subresource {
            Some(sub) => request.patch_subresource(sub, &o.name, &pp, &p),
            None => request.patch(&o.name, &pp, &p),
        }
        .map_err(build_error)?;
        if patch_type == PatchType::Json {
            req.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json-patch+json"),
            );
        }
        let mut obj = self.request(req).await.map_err(api_error)?;
        if subresource.is_none() {
            watch::fill_type(&mut obj, &o.r);
        }
        Ok(obj)
    }

    pub(super) async fn patch(&self, v: &Patch) -> Json {
        let o = self.one_object(&v.target).await?;
        self.patch_object(&o, v.body.kind, &v.body.value, v.subresource.as_deref())
            .await
    }

    pub(super) async fn metadata(&self, v: &Metadata) -> Json {
        let key = v.field.key();
        let mut out = Vec::new();
        for o in self
            .objects(&v.targets.list, v.selector.as_deref(), false)
            .await?
        {
            if !v.overwrite {
                self.refuse_overwrite(&o, v).await?;
            }
            let map: serde_json::Map<String, Value> = v
                .changes
                .iter()
                .map(|c| (c.key.clone(), c.value.clone().map_or(Value::Null, Value::String)))
                .collect();
            let patch = json!({"metadata": {key: map}});
            out.push(self.patch_object(&o, PatchType::Merge, &patch, None).await?);
        }
        Ok(one_or_list(out))
    }

    /// Without `--overwrite`, kubectl refuses to change a key that has
    /// another value.
    async fn refuse_overwrite(&self, o: &ObjRef, v: &Metadata) -> Result<(), ActionError> {
        let current = self
            .get_one(&o.r, o.namespace.as_deref(), &o.name)
            .await
            .map_err(api_error)?;
        for change in &v.changes {
            let Some(value) = &change.value else { continue };
            let Some(old) = current
                .pointer(&format!("/metadata/{}", v.field.key()))
                .and_then(|m| m.get(&change.key))
                .filter(|old| old.as_str() != Some(value.as_str()))
            else {
                continue;
            };
            let (k, old) = (&change.key, select::display(old));
            let message = match v.field {
                MetaField::Annotations => format!(
                    "error: --overwrite is false but found the following declared annotation(s): '{k}' already has a value ({old})"
                ),
                MetaField::Labels => {
                    format!("error: '{k}' already has a value ({old}), and --overwrite is false")
                }
            };
            return Err(ActionError::failed(message, None));
        }
        Ok(())
    }

    pub(super) async fn scale(&self, v: &Scale) -> Json {
        let mut out = Vec::new();
        for o in self.objects(&v.targets.list, None, false).await? {
            let patch = json!({"spec": {"replicas": v.replicas}});
            out.push(
                self.patch_object(&o, PatchType::Merge, &patch, Some("scale"))
                    .await?,
            );
        }
        Ok(one_or_list(out))
    }

    /// `rollout restart`: kubectl's annotation on the pod template, with the
    /// time from the injectable clock (so that replays match).
    pub(super) async fn restart(&self, targets: &Targets) -> Json {
        let mut out = Vec::new();
        for o in self.objects(&targets.list, None, false).await? {
            if !rollout::supported(&o.r.ar.kind) {
                return Err(ActionError::failed(
                    format!(
                        "error: {}/{} restarting is not supported",
                        o.r.type_name(),
                        o.name
                    ),
                    None,
                ));
            }
            let now = (self.b.now)();
            let patch = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}});
            out.push(self.patch_object(&o, PatchType::Merge, &patch, None).await?);
        }
        Ok(one_or_list(out))
    }
}
