//! A parsed command with its placeholders filled in: every value read by
//! the reader chosen when the line was parsed.

use crate::action::arg::{Arg, CommandError, Filled, Filler, Parsed};
use crate::action::kubectl::{
    Apply, Command, Create, Delete, Describe, Exec, Get, Logs, Metadata, Patch, RolloutHistory,
    RolloutRestart, RolloutStatus, RolloutUndo, Run, Scale, SetEnv, SetImage, Verb, Wait,
};

type Result<T> = std::result::Result<T, CommandError>;

fn opt<T: Clone>(a: &Option<Arg<T>>, f: &Filler<'_>) -> Result<Option<T>> {
    a.as_ref().map(|a| a.fill(f)).transpose()
}

fn all<T: Clone>(list: &[Arg<T>], f: &Filler<'_>) -> Result<Vec<T>> {
    list.iter().map(|a| a.fill(f)).collect()
}

impl Command<Parsed> {
    pub fn fill(&self, f: &Filler<'_>) -> Result<Command<Filled>> {
        Ok(Command {
            namespace: opt(&self.namespace, f)?,
            context: opt(&self.context, f)?,
            output: opt(&self.output, f)?,
            reads_stdout: self.reads_stdout,
            verb: self.verb.fill(f)?,
        })
    }
}

impl Verb<Parsed> {
    fn fill(&self, f: &Filler<'_>) -> Result<Verb<Filled>> {
        Ok(match self {
            Verb::Describe(v) => Verb::Describe(Describe {
                targets: v.targets.fill(f)?,
                selector: opt(&v.selector, f)?,
                all_namespaces: v.all_namespaces,
                by_prefix: v.by_prefix,
            }),
            Verb::Get(v) => Verb::Get(Get {
                targets: v.targets.fill(f)?,
                all_namespaces: v.all_namespaces,
                selector: opt(&v.selector, f)?,
                field_selector: opt(&v.field_selector, f)?,
                sort_by: opt(&v.sort_by, f)?,
                ignore_not_found: v.ignore_not_found,
                show_managed_fields: v.show_managed_fields,
                show_labels: v.show_labels,
                no_headers: v.no_headers,
                label_columns: all(&v.label_columns, f)?,
            }),
            Verb::Apply(v) => Verb::Apply(Apply {
                files: all(&v.files, f)?,
                server_side: v.server_side,
                force_conflicts: v.force_conflicts,
            }),
            Verb::Delete(v) => Verb::Delete(Delete {
                targets: opt(&v.targets, f)?,
                files: all(&v.files, f)?,
                selector: opt(&v.selector, f)?,
                all_namespaces: v.all_namespaces,
                ignore_not_found: v.ignore_not_found,
                wait: v.wait,
                timeout: opt(&v.timeout, f)?,
                all: v.all,
                grace_period: opt(&v.grace_period, f)?,
                force: v.force,
            }),
            Verb::Patch(v) => Verb::Patch(Patch {
                target: v.target.fill(f)?,
                body: v.body.fill(f)?,
                subresource: opt(&v.subresource, f)?,
            }),
            Verb::Metadata(v) => Verb::Metadata(Metadata {
                field: v.field,
                targets: v.targets.fill(f)?,
                selector: opt(&v.selector, f)?,
                changes: v.changes.fill(f)?,
                overwrite: v.overwrite,
            }),
            Verb::Scale(v) => Verb::Scale(Scale {
                targets: v.targets.fill(f)?,
                replicas: v.replicas.fill(f)?,
            }),
            Verb::RolloutRestart(v) => Verb::RolloutRestart(RolloutRestart {
                targets: v.targets.fill(f)?,
            }),
            Verb::RolloutStatus(v) => Verb::RolloutStatus(RolloutStatus {
                target: v.target.fill(f)?,
                // `--timeout=${T}` with T=0 means no timeout, as a literal 0 does.
                timeout: opt(&v.timeout, f)?.filter(|d| !d.is_zero()),
                watch: v.watch,
            }),
            Verb::RolloutUndo(v) => Verb::RolloutUndo(RolloutUndo {
                targets: v.targets.fill(f)?,
                to_revision: opt(&v.to_revision, f)?,
            }),
            Verb::RolloutHistory(v) => Verb::RolloutHistory(RolloutHistory {
                targets: v.targets.fill(f)?,
            }),
            Verb::SetImage(v) => Verb::SetImage(SetImage {
                targets: v.targets.fill(f)?,
                selector: opt(&v.selector, f)?,
                images: v.images.fill(f)?,
            }),
            Verb::SetEnv(v) => Verb::SetEnv(Box::new(SetEnv {
                targets: v.targets.fill(f)?,
                selector: opt(&v.selector, f)?,
                containers: opt(&v.containers, f)?,
                changes: v.changes.fill(f)?,
                overwrite: v.overwrite,
                from: opt(&v.from, f)?,
                keys: all(&v.keys, f)?,
                prefix: opt(&v.prefix, f)?,
            })),
            Verb::Wait(v) => Verb::Wait(Wait {
                targets: v.targets.fill(f)?,
                selector: opt(&v.selector, f)?,
                all_namespaces: v.all_namespaces,
                all: v.all,
                condition: v.condition.fill(f)?,
                timeout: v.timeout.fill(f)?,
            }),
            Verb::Logs(v) => Verb::Logs(Logs {
                target: opt(&v.target, f)?,
                selector: opt(&v.selector, f)?,
                container: opt(&v.container, f)?,
                all_containers: v.all_containers,
                prefix: v.prefix,
                previous: v.previous,
                tail: opt(&v.tail, f)?,
                since: opt(&v.since, f)?,
                timestamps: v.timestamps,
            }),
            Verb::Create(v) => Verb::Create(Create {
                kind: v.kind,
                name: v.name.fill(f)?,
                literals: all(&v.literals, f)?,
                dry_run: v.dry_run,
                images: all(&v.images, f)?,
                replicas: opt(&v.replicas, f)?,
                port: opt(&v.port, f)?,
                command: all(&v.command, f)?,
                from: opt(&v.from, f)?,
            }),
            Verb::Run(v) => Verb::Run(Run {
                name: v.name.fill(f)?,
                image: v.image.fill(f)?,
                restart: v.restart,
                command: v.command,
                args: all(&v.args, f)?,
                env: all(&v.env, f)?,
                labels: opt(&v.labels, f)?,
                port: opt(&v.port, f)?,
                dry_run: v.dry_run,
            }),
            Verb::Version => Verb::Version,
            Verb::ClusterInfo => Verb::ClusterInfo,
            Verb::Exec(v) => Verb::Exec(Exec {
                target: v.target.fill(f)?,
                container: opt(&v.container, f)?,
                command: all(&v.command, f)?,
            }),
        })
    }
}
