//! `version`: the API server's `/version`, as kubectl prints its server
//! part (`Server Version: v1.31.2`, `serverVersion` with `-o json|yaml`).
//! kubectl also prints its own version and Kustomize's; rehearse is
//! neither, so it gives none rather than a made-up one.

use serde_json::{Value, json};

use super::{Ctx, Done, api_error};
use crate::ground::port::ActionError;

impl Ctx<'_> {
    pub(super) async fn version(&self) -> Done {
        let req = http::Request::get("/version")
            .body(Vec::new())
            .map_err(|e| ActionError::runtime(format!("cannot build the request: {e}")))?;
        let server: Value = self.request(req).await.map_err(api_error)?;
        let line = format!(
            "Server Version: {}",
            server
                .get("gitVersion")
                .and_then(Value::as_str)
                .unwrap_or_default()
        );
        Ok((json!({"serverVersion": server}), vec![line]))
    }
}
