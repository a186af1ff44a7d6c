//! `--shard K/N`: a deterministic, balanced share of the workflows, so that
//! N CI jobs run every workflow exactly once between them without talking
//! to each other.
//!
//! Balance: workflows are dealt heaviest first to the lightest shard
//! (longest-processing-time first). A workflow's weight is the time its
//! recording took, where it has one; others weigh the mean of the known
//! ones (or the same as each other when none is known). Ties break on the
//! path, so every machine computes the same shares.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::SourceFile;
use crate::format::ast::Workflow;
use crate::recording::{self, Recording};

/// `K/N`, 1-based: shard K of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or("write it as K/N, e.g. 2/4")?;
        let k: usize = k.trim().parse().map_err(|_| format!("`{k}` is not a number"))?;
        let n: usize = n.trim().parse().map_err(|_| format!("`{n}` is not a number"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K must be between 1 and N"));
        }
        Ok(Shard { index: k, count: n })
    }
}

/// Which of `workflows` (path, recorded duration if known) belong to
/// `shard`, as indices in their original order.
pub fn select(workflows: &[(PathBuf, Option<Duration>)], shard: Shard) -> Vec<usize> {
    let known: Vec<Duration> = workflows.iter().filter_map(|(_, d)| *d).collect();
    let default = if known.is_empty() {
        Duration::from_secs(1)
    } else {
        known.iter().sum::<Duration>() / known.len() as u32
    };
    let mut order: Vec<usize> = (0..workflows.len()).collect();
    order.sort_by(|&a, &b| {
        let wa = workflows[a].1.unwrap_or(default);
        let wb = workflows[b].1.unwrap_or(default);
        wb.cmp(&wa).then_with(|| workflows[a].0.cmp(&workflows[b].0))
    });
    let mut load = vec![Duration::ZERO; shard.count];
    let mut owner = vec![0usize; workflows.len()];
    for i in order {
        let lightest = (0..shard.count).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        load[lightest] += workflows[i].1.unwrap_or(default);
        owner[i] = lightest;
    }
    (0..workflows.len())
        .filter(|&i| owner[i] + 1 == shard.index)
        .collect()
}

/// The workflows of `shard`, in file order, each weighed by the duration
/// of its recording when it has a readable one.
pub fn take(workflows: Vec<(SourceFile, Workflow)>, shard: Shard) -> Vec<(SourceFile, Workflow)> {
    let weights: Vec<(PathBuf, Option<Duration>)> = workflows
        .iter()
        .map(|(file, _)| {
            let recorded = Recording::load(&recording::path_for(&file.path)).ok();
            (file.path.clone(), recorded.map(|r| r.duration()))
        })
        .collect();
    let mine = select(&weights, shard);
    workflows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| mine.contains(i))
        .map(|(_, w)| w)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(name: &str, secs: Option<u64>) -> (PathBuf, Option<Duration>) {
        (PathBuf::from(name), secs.map(Duration::from_secs))
    }

    #[test]
    fn every_workflow_lands_in_exactly_one_shard() {
        let all: Vec<_> = (0..23)
            .map(|i| w(&format!("w{i:02}.toml"), Some((i * 7 % 11) as u64 + 1)))
            .collect();
        let mut seen = vec![0; all.len()];
        for k in 1..=4 {
            for i in select(&all, Shard { index: k, count: 4 }) {
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1), "{seen:?}");
    }

    #[test]
    fn shares_are_balanced_by_recorded_time() {
        // One long lab and many short ones: the long one runs alone.
        let mut all = vec![w("long.toml", Some(600))];
        all.extend((0..6).map(|i| w(&format!("short{i}.toml"), Some(100))));
        let one = select(&all, Shard { index: 1, count: 2 });
        let two = select(&all, Shard { index: 2, count: 2 });
        assert_eq!(one, vec![0]);
        assert_eq!(two.len(), 6);
    }

    #[test]
    fn unknown_durations_weigh_the_mean_and_the_split_is_stable() {
        let all = vec![
            w("a.toml", None),
            w("b.toml", Some(10)),
            w("c.toml", Some(30)),
            w("d.toml", None),
        ];
        let first = select(&all, Shard { index: 1, count: 2 });
        assert_eq!(first, select(&all, Shard { index: 1, count: 2 }));
        assert!("3/2".parse::<Shard>().is_err());
        assert!("0/2".parse::<Shard>().is_err());
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
    }
}
