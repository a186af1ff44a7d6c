//! The describer of CronJobs (`batch/v1`): the schedule and its policies,
//! the job template, the last schedule and the active jobs.

use serde_json::Value;

use super::core::{list, rfc1123z};
use super::events::describe_events;
use super::text::{Text, annotations, labels, str_at};
use super::workloads::{pod_template, selector_text};

pub fn cron_job(c: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(c, "/metadata/name")));
    t.write(0, &format!("Namespace:\t{}\n", str_at(c, "/metadata/namespace")));
    labels(&mut t, "Labels", c);
    annotations(&mut t, "Annotations", c);
    let spec = c.get("spec").unwrap_or(&Value::Null);
    t.write(0, &format!("Schedule:\t{}\n", str_at(spec, "/schedule")));
    t.write(
        0,
        &format!("Concurrency Policy:\t{}\n", str_at(spec, "/concurrencyPolicy")),
    );
    let suspend = spec
        .get("suspend")
        .and_then(Value::as_bool)
        .map_or("<unset>", |s| if s { "True" } else { "False" });
    t.write(0, &format!("Suspend:\t{suspend}\n"));
    let unset_or = |field: &str, unit: &str| {
        spec.get(field)
            .and_then(Value::as_i64)
            .map_or_else(|| "<unset>".to_string(), |n| format!("{n}{unit}"))
    };
    t.write(
        0,
        &format!(
            "Successful Job History Limit:\t{}\n",
            unset_or("successfulJobsHistoryLimit", "")
        ),
    );
    t.write(
        0,
        &format!(
            "Failed Job History Limit:\t{}\n",
            unset_or("failedJobsHistoryLimit", "")
        ),
    );
    t.write(
        0,
        &format!(
            "Starting Deadline Seconds:\t{}\n",
            unset_or("startingDeadlineSeconds", "s")
        ),
    );
    job_template(&mut t, spec.pointer("/jobTemplate/spec").unwrap_or(&Value::Null));
    let last = str_at(c, "/status/lastScheduleTime");
    let last = if last.is_empty() {
        "<unset>".to_string()
    } else {
        rfc1123z(last)
    };
    t.write(0, &format!("Last Schedule Time:\t{last}\n"));
    let active: Vec<&str> = list(c, "/status/active")
        .iter()
        .map(|j| str_at(j, "/name"))
        .collect();
    let active = if active.is_empty() {
        "<none>".to_string()
    } else {
        active.join(", ")
    };
    t.write(0, &format!("Active Jobs:\t{active}\n"));
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

/// kubectl's `describeJobTemplate`: fewer fields than the Job describer's,
/// `<unset>` where the template says nothing.
fn job_template(t: &mut Text, spec: &Value) {
    let selector = match spec.get("selector").filter(|s| s.is_object()) {
        Some(s) => selector_text(Some(s)),
        None => "<unset>".into(),
    };
    t.write(0, &format!("Selector:\t{selector}\n"));
    for (label, field) in [("Parallelism", "parallelism"), ("Completions", "completions")] {
        match spec.get(field).and_then(Value::as_i64) {
            Some(n) => t.write(0, &format!("{label}:\t{n}\n")),
            None => t.write(0, &format!("{label}:\t<unset>\n")),
        }
    }
    if let Some(d) = spec.get("activeDeadlineSeconds").and_then(Value::as_i64) {
        t.write(0, &format!("Active Deadline Seconds:\t{d}s\n"));
    }
    // The template is a struct in Go, never absent.
    pod_template(t, Some(spec.get("template").unwrap_or(&Value::Null)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A CronJob as a server with `batch/v1` serves it; no server here
    /// does (the peer is v1.20), so the text is written from kubectl's
    /// `describeCronJob` and `describeJobTemplate`.
    #[test]
    fn a_cron_job_prints_as_kubectl_describes_it() {
        let c = json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "nightly", "namespace": "shop", "labels": {"app": "report"}},
            "spec": {
                "schedule": "0 3 * * *", "concurrencyPolicy": "Forbid", "suspend": false,
                "successfulJobsHistoryLimit": 3, "startingDeadlineSeconds": 200,
                "jobTemplate": {"spec": {
                    "backoffLimit": 2, "activeDeadlineSeconds": 600,
                    "template": {"metadata": {"labels": {"app": "report"}}, "spec": {
                        "restartPolicy": "Never",
                        "containers": [{"name": "report", "image": "busybox", "command": ["date"]}]}}}}},
            "status": {"lastScheduleTime": "2026-11-30T03:00:00Z",
                       "active": [{"name": "nightly-29400180"}, {"name": "nightly-29400181"}]},
        });
        assert_eq!(
            cron_job(&c, Some(&[]), 0),
            "Name:                          nightly
Namespace:                     shop
Labels:                        app=report
Annotations:                   <none>
Schedule:                      0 3 * * *
Concurrency Policy:            Forbid
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      <unset>
Starting Deadline Seconds:     200s
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Active Deadline Seconds:       600s
Pod Template:
  Labels:  app=report
  Containers:
   report:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      date
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Mon, 30 Nov 2026 03:00:00 +0000
Active Jobs:         nightly-29400180, nightly-29400181
Events:              <none>
"
        );
        // What the template does not say is `<unset>`; a selector and
        // counts it does say are printed.
        let bare = json!({"metadata": {"name": "x", "namespace": "shop"},
            "spec": {"schedule": "@hourly", "suspend": true, "jobTemplate": {"spec": {
                "selector": {"matchLabels": {"job": "x"}}, "parallelism": 2, "completions": 4}}}});
        let text = cron_job(&bare, None, 0);
        for line in [
            "Suspend:                       True\n",
            "Starting Deadline Seconds:     <unset>\n",
            "Selector:                      job=x\n",
            "Parallelism:                   2\n",
            "Completions:                   4\n",
            "Pod Template:\n  Labels:  <none>\n",
            "Last Schedule Time:  <unset>\nActive Jobs:         <none>\n",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert!(!text.contains("Events"), "{text}");
    }
}
