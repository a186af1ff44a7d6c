//! `rehearse report merge`: the JSON reports of several shards become one
//! run: their workflows in the order given, the earliest start, the longest
//! wall time (shards run side by side), and the exit code the whole would
//! have had. The JUnit and HTML reports are made anew from the merged
//! outcomes.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::engine::outcome::WorkflowOutcome;
use crate::report::exit;

/// What a JSON report holds that merging needs.
#[derive(Deserialize)]
struct ShardReport {
    started_at: String,
    duration_ms: u64,
    exit_code: i32,
    workflows: Vec<WorkflowOutcome>,
}

/// The merged run.
pub struct Merged {
    pub workflows: Vec<WorkflowOutcome>,
    pub started_at: String,
    pub duration: Duration,
    pub exit_code: i32,
}

/// Reads and merges JSON reports; an unreadable or foreign file is an
/// error naming it.
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Merged, String> {
    let mut shards = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let shard: ShardReport = serde_json::from_slice(&text).map_err(|e| {
            format!(
                "{} is not a rehearse JSON report ({e}); merge the files written by --report-json",
                path.display()
            )
        })?;
        shards.push(shard);
    }
    Ok(merge(shards))
}

fn merge(shards: Vec<ShardReport>) -> Merged {
    let started_at = shards
        .iter()
        .map(|s| s.started_at.clone())
        .min()
        .unwrap_or_default();
    let duration = Duration::from_millis(shards.iter().map(|s| s.duration_ms).max().unwrap_or(0));
    // A shard that ran nothing (invalid input, interrupted early) still
    // decides the code: it is kept unless a worse one is found.
    let codes: Vec<i32> = shards.iter().map(|s| s.exit_code).collect();
    let workflows: Vec<WorkflowOutcome> = shards.into_iter().flat_map(|s| s.workflows).collect();
    let exit_code = codes
        .into_iter()
        .chain(std::iter::once(exit::for_outcomes(&workflows)))
        .max_by_key(|c| severity(*c))
        .unwrap_or(exit::SUCCESS);
    Merged {
        workflows,
        started_at,
        duration,
        exit_code,
    }
}

/// Which exit code wins when shards disagree.
fn severity(code: i32) -> u8 {
    match code {
        exit::SUCCESS => 0,
        exit::CHECK_FAILED => 1,
        exit::INVALID_INPUT => 2,
        exit::RUNTIME_ERROR => 3,
        exit::INTERRUPTED => 4,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(started: &str, ms: u64, code: i32) -> ShardReport {
        ShardReport {
            started_at: started.into(),
            duration_ms: ms,
            exit_code: code,
            workflows: Vec::new(),
        }
    }

    #[test]
    fn earliest_start_longest_time_worst_code() {
        let m = merge(vec![
            shard("2026-01-01T00:00:02.000Z", 500, exit::SUCCESS),
            shard("2026-01-01T00:00:01.000Z", 900, exit::CHECK_FAILED),
            shard("2026-01-01T00:00:03.000Z", 100, exit::SUCCESS),
        ]);
        assert_eq!(m.started_at, "2026-01-01T00:00:01.000Z");
        assert_eq!(m.duration, Duration::from_millis(900));
        assert_eq!(m.exit_code, exit::CHECK_FAILED);
        let m = merge(vec![
            shard("a", 1, exit::RUNTIME_ERROR),
            shard("b", 1, exit::CHECK_FAILED),
        ]);
        assert_eq!(m.exit_code, exit::RUNTIME_ERROR);
    }
}
