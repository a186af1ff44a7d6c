//! `delete`: named objects, `-l`, `-f` manifests; `--wait` watches until
//! they are gone.

use std::time::Duration;

use kube::api::DeleteParams;
use kube::core::Request;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::Json;
use super::objects::url_path;
use super::watch::{self, Filter};
use super::{Ctx, api_error, build_error, failed_with, is_not_found, lines};
use crate::action::kubectl::Delete;

impl Ctx<'_> {
    pub(super) async fn delete(&self, v: &Delete) -> Json {
        let ignore_not_found = v.ignore_not_found;
        let mut objs = Vec::new();
        if !v.files.is_empty() {
            for mut doc in self.manifests(&v.files).await? {
                objs.push(self.manifest_ref(&mut doc).await?);
            }
        }
        if let Some(targets) = &v.targets {
            let named = self.objects(&targets.list, v.selector.as_deref(), v.all_namespaces);
            objs.extend(named.await?);
        }
        let mut stdout = Vec::new();
        let mut deleted = Vec::new();
        let grace = grace_period(v);
        let params = DeleteParams {
            grace_period_seconds: grace.and_then(|g| u32::try_from(g).ok()),
            ..DeleteParams::background()
        };
        let verb = if grace == Some(0) {
            "force deleted"
        } else {
            "deleted"
        };
        for o in &objs {
            let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
                .delete(&o.name, &params)
                .map_err(build_error)?;
            match self.request(req).await {
                Ok(_) => {
                    stdout.push(format!("{} \"{}\" {verb}", o.r.type_name(), o.name));
                    deleted.push(o);
                }
                Err(e) if ignore_not_found && is_not_found(&e) => {}
                Err(e) => {
                    let mut err = api_error(e);
                    if let Some(Value::Object(m)) = &mut err.output {
                        m.insert("stdout".into(), Value::String(lines(&stdout)));
                    }
                    return Err(err);
                }
            }
        }
        if objs.is_empty() && !ignore_not_found {
            stdout.push("No resources found".into());
        }
        if v.wait {
            let timeout = v.timeout;
            let deadline = self.wait_deadline(timeout);
            for o in deleted {
                let names = [o.name.clone()];
                let filter = Filter {
                    namespace: o.namespace.as_deref(),
                    names: &names,
                    selector: None,
                };
                let gone = watch::until(
                    self.client(),
                    &self.b.timer,
                    &o.r,
                    &filter,
                    deadline,
                    |objects, _| Ok(objects.is_empty().then_some(())),
                )
                .await?;
                if gone.is_none() {
                    return Err(failed_with(
                        &stdout,
                        format!(
                            "error: timed out waiting for the condition on {}/{}",
                            o.r.ar.plural, o.name
                        ),
                    ));
                }
            }
        }
        Ok(json!({"stdout": lines(&stdout)}))
    }
}

/// The grace period kubectl sends: `--grace-period=0` means 1 unless
/// `--force`, and `--force` alone means 0; negative is the object's own.
fn grace_period(v: &Delete) -> Option<i64> {
    match (v.grace_period, v.force) {
        (Some(g), true) if g < 0 => Some(0),
        (Some(0), false) => Some(1),
        (None, true) => Some(0),
        (Some(g), _) if g < 0 => None,
        (g, _) => g,
    }
}

impl Ctx<'_> {
    /// A command's own timeout, within the step's deadline.
    pub(super) fn wait_deadline(&self, timeout: Option<Duration>) -> Instant {
        match timeout {
            Some(t) => (self.b.timer.now() + t).min(self.deadline),
            None => self.deadline,
        }
    }
}
