//! What the verbs share: resolving a type as written, getting one object,
//! listing objects, and naming the objects a command acts on.

use kube::Client;
use kube::api::{DynamicObject, GetParams, ListParams};
use kube::core::{GroupVersionKind, Request, Resource};
use serde_json::Value;

use super::resource::{ResolveError, Resolved};
use super::select::LabelSelector;
use super::{Ctx, api_error, build_error, name_of, watch};
use crate::action::kubectl::Target;
use crate::ground::port::ActionError;

/// An object to act on.
pub(super) struct ObjRef {
    pub r: Resolved,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjRef {
    /// What kubectl prints when it changed the object: `deployment.apps/carts scaled`.
    pub fn line(&self, what: &str) -> String {
        format!("{}/{} {what}", self.r.type_name(), self.name)
    }
}

fn resolve_error(e: ResolveError) -> ActionError {
    match e {
        ResolveError::Unknown(m) => ActionError::failed(format!("error: {m}"), None),
        ResolveError::Api(e) => api_error(e),
    }
}

pub(crate) fn url_path(r: &Resolved, namespace: Option<&str>) -> String {
    DynamicObject::url_path(&r.ar, if r.namespaced { namespace } else { None })
}

impl Ctx<'_> {
    pub(super) fn client(&self) -> &Client {
        &self.b.client
    }

    pub(super) async fn resolve(&self, name: &str) -> Result<Resolved, ActionError> {
        self.b
            .resolver
            .by_name(self.client(), name)
            .await
            .map_err(resolve_error)
    }

    pub(super) fn ns_for(&self, r: &Resolved, all: bool) -> Option<String> {
        (r.namespaced && !all).then(|| self.ns.clone())
    }

    pub(super) async fn request(&self, req: http::Request<Vec<u8>>) -> Result<Value, kube::Error> {
        self.client().request::<Value>(req).await
    }

    pub(super) async fn get_one(
        &self,
        r: &Resolved,
        ns: Option<&str>,
        name: &str,
    ) -> Result<Value, kube::Error> {
        let req = Request::new(url_path(r, ns))
            .get(name, &GetParams::default())
            .map_err(kube::Error::BuildRequest)?;
        let mut obj = self.request(req).await?;
        watch::fill_type(&mut obj, r);
        Ok(obj)
    }

    /// The objects of a type matching a selector, each with its type.
    pub(super) async fn list_of(
        &self,
        r: &Resolved,
        ns: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, ActionError> {
        let parsed = match selector {
            Some(s) => {
                Some(LabelSelector::parse(s).map_err(|e| ActionError::failed(format!("error: {e}"), None))?)
            }
            None => None,
        };
        let lp = ListParams {
            label_selector: selector.map(str::to_string),
            field_selector: field_selector.map(str::to_string),
            ..ListParams::default()
        };
        let req = Request::new(url_path(r, ns)).list(&lp).map_err(build_error)?;
        let resp = self.request(req).await.map_err(api_error)?;
        let mut items = Vec::new();
        for mut item in resp
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            if parsed.as_ref().is_none_or(|s| s.matches(&item)) {
                watch::fill_type(&mut item, r);
                items.push(item);
            }
        }
        Ok(items)
    }

    /// Named targets, or every object of their types matching `selector`.
    pub(super) async fn objects(
        &self,
        targets: &[Target],
        selector: Option<&str>,
        all: bool,
    ) -> Result<Vec<ObjRef>, ActionError> {
        let mut out = Vec::new();
        for t in targets {
            let r = self.resolve(&t.resource).await?;
            let ns = self.ns_for(&r, all);
            if t.names.is_empty() {
                for item in self.list_of(&r, ns.as_deref(), selector, None).await? {
                    out.push(ObjRef {
                        r: r.clone(),
                        namespace: item
                            .pointer("/metadata/namespace")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| ns.clone()),
                        name: name_of(&item).to_string(),
                    });
                }
            } else {
                for name in &t.names {
                    out.push(ObjRef {
                        r: r.clone(),
                        namespace: ns.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Like [`Ctx::objects`], each with its current state (the verbs that
    /// compute a change from it: `set`, `rollout undo`).
    pub(super) async fn objects_now(
        &self,
        targets: &[Target],
        selector: Option<&str>,
    ) -> Result<Vec<(ObjRef, Value)>, ActionError> {
        let mut out = Vec::new();
        for o in self.objects(targets, selector, false).await? {
            let obj = self
                .get_one(&o.r, o.namespace.as_deref(), &o.name)
                .await
                .map_err(api_error)?;
            out.push((o, obj));
        }
        Ok(out)
    }

    /// The API resource of a manifest's `apiVersion` and `kind`.
    pub(super) async fn resolve_kind(&self, gvk: &GroupVersionKind) -> Result<Resolved, ActionError> {
        self.b
            .resolver
            .by_gvk(self.client(), gvk)
            .await
            .map_err(resolve_error)
    }

    /// The one object a command names (`patch`, `rollout status`).
    pub(super) async fn one_object(&self, target: &Target) -> Result<ObjRef, ActionError> {
        let mut objects = self.objects(std::slice::from_ref(target), None, false).await?;
        match objects.len() {
            1 => Ok(objects.remove(0)),
            _ => Err(ActionError::failed(
                "error: the command takes exactly one object",
                None,
            )),
        }
    }
}
