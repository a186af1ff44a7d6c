//! `apply -f`: client-side, as kubectl applies by default (the
//! `last-applied-configuration` annotation and a three-way patch, see
//! `merge`), or server-side with `--server-side` (field manager
//! `rehearse`); and reading the manifests of `-f` arguments, which
//! `delete -f` shares.

use kube::api::{Patch, PatchParams, PostParams};
use kube::core::{GroupVersionKind, Request};
use serde::Deserialize;
use serde_json::Value;

use super::Done;
use super::objects::{ObjRef, url_path};
use super::{Ctx, FIELD_MANAGER, api_error, build_error, is_not_found, merge, name_of, one_or_list, watch};
use crate::action::kubectl::Apply;
use crate::ground::port::ActionError;
use crate::ground::regular_file;

impl Ctx<'_> {
    pub(super) async fn apply(&self, v: &Apply) -> Done {
        let docs = self.manifests(&v.files).await?;
        let mut out = Vec::new();
        let mut lines = Vec::new();
        for mut doc in docs {
            let o = self.manifest_ref(&mut doc).await?;
            let (mut obj, what) = if v.server_side {
                (
                    self.apply_server_side(&o, &doc, v.force_conflicts).await?,
                    "serverside-applied",
                )
            } else {
                self.apply_client_side(&o, &doc).await?
            };
            watch::fill_type(&mut obj, &o.r);
            lines.push(o.line(what));
            out.push(obj);
        }
        Ok((one_or_list(out), lines))
    }

    async fn apply_server_side(&self, o: &ObjRef, doc: &Value, force: bool) -> Result<Value, ActionError> {
        let mut pp = PatchParams::apply(FIELD_MANAGER);
        pp.force = force;
        let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
            .patch(&o.name, &pp, &Patch::Apply(doc))
            .map_err(build_error)?;
        self.request(req).await.map_err(api_error)
    }

    /// kubectl's default apply: create the object with the annotation that
    /// records the configuration, or patch it from the configuration
    /// recorded last time to this one (see `merge`).
    /// The object, and what kubectl says it did (`created`, `configured`,
    /// `unchanged`).
    async fn apply_client_side(&self, o: &ObjRef, doc: &Value) -> Result<(Value, &'static str), ActionError> {
        let sent = merge::with_record(doc);
        let live = match self.get_one(&o.r, o.namespace.as_deref(), &o.name).await {
            Ok(live) => live,
            Err(e) if is_not_found(&e) => return Ok((self.post_new(o, &sent).await?, "created")),
            Err(e) => return Err(api_error(e)),
        };
        let strategy = merge::strategy_for(&o.r.ar.group);
        let original = merge::last_applied(&live);
        let Some(patch) = merge::three_way(original.as_ref(), &sent, &live, strategy) else {
            // Unchanged: kubectl sends nothing either.
            return Ok((live, "unchanged"));
        };
        let pp = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PatchParams::default()
        };
        let kind = match strategy {
            merge::Strategy::Strategic => Patch::Strategic(&patch),
            merge::Strategy::Merge => Patch::Merge(&patch),
        };
        let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
            .patch(&o.name, &pp, &kind)
            .map_err(build_error)?;
        Ok((self.request(req).await.map_err(api_error)?, "configured"))
    }

    pub(super) async fn post_new(&self, o: &ObjRef, doc: &Value) -> Result<Value, ActionError> {
        let pp = PostParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PostParams::default()
        };
        let body = serde_json::to_vec(doc)
            .map_err(|e| ActionError::runtime(format!("cannot encode the manifest: {e}")))?;
        let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
            .create(&pp, body)
            .map_err(build_error)?;
        self.request(req).await.map_err(api_error)
    }

    /// The documents of `-f` arguments, in order.
    pub(super) async fn manifests(&self, files: &[String]) -> Result<Vec<Value>, ActionError> {
        let mut texts: Vec<(String, String)> = Vec::new();
        for f in files {
            if is_url(f) {
                texts.push((f.clone(), self.download(f).await?));
            } else if f == "-" {
                let Some(s) = self.stdin else {
                    return Err(ActionError::failed(
                        "error: `-f -` reads the manifest from stdin, and the step gives none",
                        None,
                    ));
                };
                texts.push(("stdin".into(), s.to_string()));
            } else {
                let path = self.dir.join(f);
                if path.is_dir() {
                    let mut entries: Vec<_> = std::fs::read_dir(&path)
                        .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", path.display())))?
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| {
                            p.is_file()
                                && p.extension()
                                    .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
                        })
                        .collect();
                    entries.sort();
                    for p in entries {
                        let text = regular_file::read_to_string(&p, regular_file::DATA_LIMIT)
                            .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", p.display())))?;
                        texts.push((p.display().to_string(), text));
                    }
                } else if path.is_file() {
                    let text = regular_file::read_to_string(&path, regular_file::DATA_LIMIT)
                        .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", path.display())))?;
                    texts.push((f.clone(), text));
                } else {
                    return Err(ActionError::failed(
                        format!("error: the path \"{f}\" does not exist"),
                        None,
                    ));
                }
            }
        }
        let mut docs = Vec::new();
        for (source, text) in texts {
            for de in serde_yaml_ng::Deserializer::from_str(&text) {
                let doc = Value::deserialize(de)
                    .map_err(|e| ActionError::failed(format!("error: error parsing {source}: {e}"), None))?;
                match doc {
                    Value::Null => {}
                    Value::Object(ref m) if m.get("kind").and_then(Value::as_str) == Some("List") => {
                        docs.extend(
                            m.get("items")
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default(),
                        );
                    }
                    Value::Object(_) => docs.push(doc),
                    _ => {
                        return Err(ActionError::failed(
                            format!("error: error parsing {source}: a document is not an object"),
                            None,
                        ));
                    }
                }
            }
        }
        if docs.is_empty() {
            return Err(ActionError::failed("error: no objects passed to apply", None));
        }
        Ok(docs)
    }

    /// A manifest at a URL, through the HTTP transport (recorded and
    /// replayed as an `http` step's requests): no larger than a manifest
    /// file may be, and no later than the step's deadline.
    async fn download(&self, url: &str) -> Result<String, ActionError> {
        let Some(http) = &self.b.http else {
            return Err(ActionError::runtime(format!(
                "cannot fetch {url}: this backend has no HTTP client"
            )));
        };
        let limit = usize::try_from(regular_file::DATA_LIMIT).unwrap_or(usize::MAX);
        let body = tokio::time::timeout_at(self.deadline, http.download(url, limit))
            .await
            .map_err(|_| {
                ActionError::failed(format!("error: fetching {url}: the step's deadline passed"), None)
            })??;
        String::from_utf8(body).map_err(|_| {
            ActionError::failed(
                format!("error: error parsing {url}: the manifest is not UTF-8 text"),
                None,
            )
        })
    }

    /// A manifest's type, namespace and name; fills in the namespace.
    pub(super) async fn manifest_ref(&self, doc: &mut Value) -> Result<ObjRef, ActionError> {
        let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        if api_version.is_empty() || kind.is_empty() {
            return Err(ActionError::failed(
                "error: a document has no apiVersion or kind",
                None,
            ));
        }
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let r = self.resolve_kind(&gvk).await?;
        let name = name_of(doc).to_string();
        if name.is_empty() {
            return Err(ActionError::failed(
                format!("error: a {kind} has no metadata.name (generateName is not supported by apply)"),
                None,
            ));
        }
        let namespace = if r.namespaced {
            let own = doc
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let (Some(own), Some(flag)) = (&own, self.namespace_flag)
                && own != flag
            {
                return Err(ActionError::failed(
                    format!(
                        "error: the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
                    ),
                    None,
                ));
            }
            let ns = own.unwrap_or_else(|| self.ns.clone());
            doc["metadata"]["namespace"] = Value::String(ns.clone());
            Some(ns)
        } else {
            None
        };
        Ok(ObjRef { r, namespace, name })
    }
}

/// `-f https://…`: kubectl reads http and https URLs.
fn is_url(f: &str) -> bool {
    f.starts_with("http://") || f.starts_with("https://")
}
