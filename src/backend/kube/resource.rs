//! Resource types as a tutorial names them (`po`, `deploy`, `svc`,
//! `deployments.apps`, a CRD's short name) resolved to API resources.
//!
//! Well-known kinds go through `pinned_kind` (one discovery request for
//! their group-version, which records and replays well); anything else
//! through a scan of every group's preferred version, matching plural,
//! singular, short names and kind as kubectl does.

use std::collections::HashMap;
use std::sync::Mutex;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;
use kube::Client;
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::Scope;

use crate::action::kubectl::kinds::well_known;

/// An API resource with its scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub ar: ApiResource,
    pub namespaced: bool,
}

impl Resolved {
    /// `deployment.apps`, `pod`: how kubectl names the type in messages.
    pub fn type_name(&self) -> String {
        let kind = self.ar.kind.to_lowercase();
        if self.ar.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.ar.group)
        }
    }
}

/// Why a type could not be resolved.
pub enum ResolveError {
    /// The server does not serve it (kubectl: `error: the server doesn't have a resource type "x"`).
    Unknown(String),
    Api(kube::Error),
}

impl From<kube::Error> for ResolveError {
    fn from(e: kube::Error) -> Self {
        ResolveError::Api(e)
    }
}

/// Resolves and remembers types for the life of a backend.
#[derive(Default)]
pub struct Resolver {
    cache: Mutex<HashMap<String, Resolved>>,
}

impl Resolver {
    /// A type as written on the command line.
    pub async fn by_name(&self, client: &Client, name: &str) -> Result<Resolved, ResolveError> {
        let key = name.to_lowercase();
        if let Some(r) = self.cache.lock().expect("cache").get(&key) {
            return Ok(r.clone());
        }
        // `deployments.apps`, `ingresses.networking.k8s.io`: the group after the first dot.
        let (base, group) = match key.split_once('.') {
            Some((b, g)) => (b, Some(g)),
            None => (key.as_str(), None),
        };
        let resolved = match well_known(&key) {
            // A server may serve the kind in another version only (CronJob
            // as batch/v1beta1 before 1.21): then it says which.
            Some(k) => match self
                .by_gvk(client, &GroupVersionKind::gvk(k.group, k.version, k.kind))
                .await
            {
                Err(ResolveError::Unknown(_)) => scan(client, base, group).await?,
                other => other?,
            },
            None => scan(client, base, group).await?,
        };
        self.cache.lock().expect("cache").insert(key, resolved.clone());
        Ok(resolved)
    }

    /// A type from a manifest's `apiVersion` and `kind`.
    pub async fn by_gvk(&self, client: &Client, gvk: &GroupVersionKind) -> Result<Resolved, ResolveError> {
        let key = format!("{}/{}/{}", gvk.group, gvk.version, gvk.kind);
        if let Some(r) = self.cache.lock().expect("cache").get(&key) {
            return Ok(r.clone());
        }
        let resolved = match kube::discovery::pinned_kind(client, gvk).await {
            Ok((ar, caps)) => Resolved {
                ar,
                namespaced: caps.scope == Scope::Namespaced,
            },
            Err(kube::Error::Discovery(_)) => {
                return Err(ResolveError::Unknown(format!(
                    "resource mapping not found for kind \"{}\" in version \"{}\"",
                    gvk.kind,
                    gvk.api_version()
                )));
            }
            Err(kube::Error::Api(s)) if s.code == 404 => {
                return Err(ResolveError::Unknown(format!(
                    "resource mapping not found for kind \"{}\" in version \"{}\"",
                    gvk.kind,
                    gvk.api_version()
                )));
            }
            Err(e) => return Err(e.into()),
        };
        self.cache.lock().expect("cache").insert(key, resolved.clone());
        Ok(resolved)
    }
}

/// Looks through every group's preferred version for the type, then
/// through its other versions (as kubectl finds CronJobs served only as
/// batch/v1beta1).
async fn scan(client: &Client, name: &str, group: Option<&str>) -> Result<Resolved, ResolveError> {
    let mut lists: Vec<APIResourceList> = Vec::new();
    if group.is_none_or(str::is_empty) {
        lists.push(client.list_core_api_resources("v1").await?);
    }
    let mut others: Vec<String> = Vec::new();
    for g in client.list_api_groups().await?.groups {
        if group.is_some_and(|want| want != g.name) {
            continue;
        }
        let Some(gv) = g
            .preferred_version
            .map(|v| v.group_version)
            .or_else(|| g.versions.first().map(|v| v.group_version.clone()))
        else {
            continue;
        };
        others.extend(
            g.versions
                .into_iter()
                .map(|v| v.group_version)
                .filter(|v| *v != gv),
        );
        lists.push(client.list_api_group_resources(&gv).await?);
    }
    if let Some(found) = find_in(&lists, name) {
        return Ok(found);
    }
    let mut lists: Vec<APIResourceList> = Vec::new();
    for gv in &others {
        lists.push(client.list_api_group_resources(gv).await?);
    }
    if let Some(found) = find_in(&lists, name) {
        return Ok(found);
    }
    let shown = match group {
        Some(g) => format!("{name}.{g}"),
        None => name.to_string(),
    };
    Err(ResolveError::Unknown(format!(
        "the server doesn't have a resource type \"{shown}\""
    )))
}

/// The type named `name` in these resource lists.
fn find_in(lists: &[APIResourceList], name: &str) -> Option<Resolved> {
    for list in lists {
        for r in &list.resources {
            if r.name.contains('/') {
                continue;
            }
            let matches = r.name == name
                || r.singular_name == name
                || r.kind.eq_ignore_ascii_case(name)
                || r.short_names.iter().flatten().any(|s| s == name);
            if matches {
                let (g, v) = match list.group_version.rsplit_once('/') {
                    Some((g, v)) => (g.trim_start_matches('/'), v),
                    None => ("", list.group_version.as_str()),
                };
                let (g, v) = (r.group.as_deref().unwrap_or(g), r.version.as_deref().unwrap_or(v));
                let gvk = GroupVersionKind::gvk(g, v, &r.kind);
                return Some(Resolved {
                    ar: ApiResource::from_gvk_with_plural(&gvk, &r.name),
                    namespaced: r.namespaced,
                });
            }
        }
    }
    None
}
