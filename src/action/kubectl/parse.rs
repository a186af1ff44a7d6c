//! A `kubectl` line's words → a typed command. Values written literally
//! are read and checked here; values with placeholders are read when the
//! engine fills them in, by the same readers (see `values`).

use std::time::Duration;

use crate::action::arg::{Arg, CommandError, Parsed, text};
use crate::action::kubectl::flags::{CONTEXT, NAMESPACE, Scanned, flags_for, scan};
use crate::action::kubectl::values::{self, MetaField, Names};
use crate::action::kubectl::{
    Apply, Command, Create, CreateKind, DESCRIBED_KINDS, Delete, Describe, DryRun, Exec, Get, Logs, Metadata,
    Patch, Restart, RolloutHistory, RolloutRestart, RolloutStatus, RolloutUndo, Run, Scale, SetEnv, SetImage,
    Verb, Wait,
};
use crate::action::kubectl::{kinds, print};
use crate::action::words::Word;

/// The verbs rehearse runs natively.
pub const VERBS: &str = "get, describe, apply, delete, patch, annotate, label, scale, rollout restart, rollout status, rollout undo, rollout history, set image, set env, wait, logs, exec, create, run, version, cluster-info";

/// Verbs kubectl has that rehearse does not run natively.
const NOT_NATIVE: &[&str] = &[
    "edit",
    "replace",
    "expose",
    "autoscale",
    "top",
    "cp",
    "port-forward",
    "proxy",
    "attach",
    "auth",
    "config",
    "api-resources",
    "api-versions",
    "explain",
    "diff",
    "kustomize",
    "drain",
    "cordon",
    "uncordon",
    "taint",
    "certificate",
    "debug",
    "events",
    "plugin",
];

/// Where a line rehearse does not run natively goes: the real kubectl.
fn cli_hint() -> String {
    format!("natively: {VERBS}; any other line runs through the kubectl CLI (refused with --native-only)")
}

/// Parses a line's words (the leading `kubectl` optional).
pub fn parse(words: &[Word]) -> Result<Command<Parsed>, CommandError> {
    let mut words = words;
    if words.first().is_some_and(|w| w.is("kubectl")) {
        words = &words[1..];
    }
    // Everything after `--` belongs to `exec`'s command.
    let (words, rest) = match words.iter().position(|w| w.is("--")) {
        Some(i) => (&words[..i], Some(words[i + 1..].to_vec())),
        None => (words, None),
    };
    let (leading, verb, args) = find_verb(words)?;
    let Some(specs) = flags_for(&verb) else {
        return Err(CommandError::not_native(
            format!("`{verb}` is not a verb rehearse runs natively"),
            cli_hint(),
        ));
    };
    if verb == "create" {
        create_kind_is_native(args)?;
    }
    let flags = scan(&verb, &specs, leading, args, rest)?;
    let had_rest = flags.rest.is_some();
    let namespace = flags.last(NAMESPACE.names[1]).map(text);
    let context = flags.last(CONTEXT.names[0]).map(text);
    let output = flags
        .last("--output")
        .map(|w| Arg::one(w, print::format))
        .transpose()?;
    let verb = verb_of(&verb, &flags)?;
    if had_rest && !matches!(verb, Verb::Exec(_) | Verb::Create(_) | Verb::Run(_)) {
        return Err(CommandError::new(
            "`--` is only understood by `exec`, `run` and `create deployment|job`",
            "",
        ));
    }
    Ok(Command {
        namespace,
        context,
        output,
        reads_stdout: false,
        verb,
    })
}

/// kubectl's global flags that take their value as the next word: written
/// before the verb, their value is not the verb. (Only `-n` and
/// `--context` are native.)
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--token",
    "--as",
    "--as-group",
    "--request-timeout",
];

/// Verbs whose subcommand is part of the verb, with the subcommands
/// rehearse runs natively.
const SUBCOMMANDS: &[(&str, &[&str])] = &[
    ("rollout", &["restart", "status", "undo", "history"]),
    ("set", &["image", "env"]),
];

/// The flags written before the verb (only `-n NS` and `--context NAME`
/// are allowed there), the
/// verb (`rollout status` is one), and the words after it.
fn find_verb(words: &[Word]) -> Result<(Vec<Word>, String, &[Word]), CommandError> {
    let mut i = 0;
    let mut leading = Vec::new();
    while i < words.len() && words[i].literal_prefix().starts_with('-') {
        leading.push(words[i].clone());
        if GLOBAL_WITH_VALUE.iter().any(|f| words[i].is(f)) && i + 1 < words.len() {
            leading.push(words[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    let Some(first) = words.get(i) else {
        return Err(CommandError::new(
            "no kubectl verb in the command",
            format!("natively supported: {VERBS}"),
        ));
    };
    let Some(verb) = first.text() else {
        return Err(CommandError::new(
            "the kubectl verb cannot come from a variable",
            format!("natively supported: {VERBS}"),
        )
        .at(&first.span));
    };
    if let Some(subs) = SUBCOMMANDS
        .iter()
        .find(|(v, _)| *v == verb)
        .map(|(_, subs)| *subs)
    {
        let native = subs.join(", ");
        return match words.get(i + 1).and_then(Word::text).as_deref() {
            Some(sub) if subs.contains(&sub) => Ok((leading, format!("{verb} {sub}"), &words[i + 2..])),
            Some(other) => Err(CommandError::not_native(
                format!("`{verb} {other}` is not run natively"),
                format!("natively: {verb} {native}; other lines run through the kubectl CLI"),
            )),
            None => Err(CommandError::new(
                format!("`{verb}` needs a subcommand"),
                format!("natively supported: {verb} {native}"),
            )),
        };
    }
    if NOT_NATIVE.contains(&verb.as_str()) {
        return Err(CommandError::not_native(
            format!("`{verb}` is not a verb rehearse runs natively"),
            cli_hint(),
        ));
    }
    Ok((leading, verb, &words[i + 1..]))
}

fn verb_of(verb: &str, f: &Scanned) -> Result<Verb<Parsed>, CommandError> {
    Ok(match verb {
        "get" => Verb::Get(get(f)?),
        "apply" => Verb::Apply(apply(f)?),
        "delete" => Verb::Delete(delete(f)?),
        "patch" => Verb::Patch(patch(f)?),
        "annotate" => Verb::Metadata(metadata(f, MetaField::Annotations)?),
        "label" => Verb::Metadata(metadata(f, MetaField::Labels)?),
        "scale" => Verb::Scale(scale(f)?),
        "rollout restart" => Verb::RolloutRestart(RolloutRestart {
            targets: targets(&f.positionals, "rollout restart", Names::Required)?,
        }),
        "rollout status" => Verb::RolloutStatus(rollout_status(f)?),
        "rollout undo" => Verb::RolloutUndo(RolloutUndo {
            targets: targets(&f.positionals, "rollout undo", Names::Required)?,
            to_revision: f
                .last("--to-revision")
                .map(|w| Arg::one(w, values::revision))
                .transpose()?,
        }),
        "rollout history" => Verb::RolloutHistory(rollout_history(f)?),
        "set image" => Verb::SetImage(set_image(f)?),
        "set env" => Verb::SetEnv(Box::new(set_env(f)?)),
        "wait" => Verb::Wait(wait(f)?),
        "logs" => Verb::Logs(logs(f)?),
        "exec" => Verb::Exec(exec(f)?),
        "create" => Verb::Create(create(f)?),
        "describe" => Verb::Describe(describe(f)?),
        "run" => Verb::Run(run(f)?),
        "version" => version(f)?,
        "cluster-info" => match f.positionals.first() {
            // `cluster-info dump` writes the cluster's state to files.
            Some(p) => {
                return Err(CommandError::not_native(
                    format!("`cluster-info {}` is not run natively", p.source()),
                    "natively, `cluster-info` says where the control plane and the cluster services are",
                ));
            }
            None => Verb::ClusterInfo,
        },
        other => {
            return Err(CommandError::new(
                format!("unknown kubectl verb `{other}`"),
                format!("natively supported: {VERBS}"),
            ));
        }
    })
}

fn targets(pos: &[Word], verb: &'static str, names: Names) -> Result<Arg<values::Targets>, CommandError> {
    if pos.is_empty() {
        return values::targets(&[], verb, names).map(Arg::Known);
    }
    Arg::of(pos, move |texts, _| values::targets(texts, verb, names), false)
}

fn one_target(pos: &[Word], verb: &'static str) -> Result<Arg<values::Target>, CommandError> {
    if pos.is_empty() {
        return values::one_target(&[], verb).map(Arg::Known);
    }
    Arg::of(pos, move |texts, _| values::one_target(texts, verb), false)
}

fn pod_target(pos: &[Word], verb: &'static str) -> Result<Arg<values::Target>, CommandError> {
    if pos.is_empty() {
        return values::pod_target(&[], verb).map(Arg::Known);
    }
    Arg::of(pos, move |texts, _| values::pod_target(texts, verb), false)
}

fn duration(f: &Scanned) -> Result<Option<Arg<Duration>>, CommandError> {
    f.last("--timeout")
        .map(|w| Arg::one(w, values::parse_duration))
        .transpose()
}

/// Names and a selector together are an error; a selector alone or names alone are fine.
fn no_names_with_selector(targets: &Arg<values::Targets>, selector: bool) -> Result<(), CommandError> {
    if let Arg::Known(t) = targets
        && selector
        && t.list.iter().any(|t| !t.names.is_empty())
    {
        return Err(CommandError::new(
            "names cannot be given together with a selector (-l)",
            "give either names or -l",
        ));
    }
    Ok(())
}

/// `verb` acting on every object of a type needs a selector.
fn needs_names_or_selector(
    targets: &Arg<values::Targets>,
    selector: bool,
    message: &str,
    hint: &str,
) -> Result<(), CommandError> {
    if let Arg::Known(t) = targets
        && !selector
        && t.list.iter().any(|t| t.names.is_empty())
    {
        return Err(CommandError::new(message, hint));
    }
    Ok(())
}

fn get(f: &Scanned) -> Result<Get<Parsed>, CommandError> {
    if f.switch("--watch")? || f.switch("--watch-only")? {
        return Err(watch_refused(f));
    }
    let selector = f.last("--selector").map(text);
    let targets = targets(&f.positionals, "get", Names::Optional)?;
    no_names_with_selector(&targets, selector.is_some())?;
    Ok(Get {
        targets,
        all_namespaces: f.switch("--all-namespaces")?,
        selector,
        field_selector: f.last("--field-selector").map(text),
        sort_by: f.last("--sort-by").map(text),
        ignore_not_found: f.switch("--ignore-not-found")?,
        show_managed_fields: f.switch("--show-managed-fields")?,
        show_labels: f.switch("--show-labels")?,
        no_headers: f.switch("--no-headers")?,
        label_columns: f.all("--label-columns").iter().map(text).collect(),
    })
}

fn describe(f: &Scanned) -> Result<Describe<Parsed>, CommandError> {
    described_kinds_are_native(&f.positionals)?;
    let selector = f.last("--selector").map(text);
    let targets = targets(&f.positionals, "describe", Names::Optional)?;
    no_names_with_selector(&targets, selector.is_some())?;
    let by_prefix = f.positionals.len() == 2 && !f.positionals[0].literal_prefix().contains('/');
    Ok(Describe {
        targets,
        selector,
        all_namespaces: f.switch("--all-namespaces")?,
        by_prefix,
    })
}

/// `describe` prints each kind its own way: a kind rehearse has no
/// describer for runs through the kubectl CLI, said at validation from the
/// types as written (`svc`, `deployments.apps`, `ingress/ui`).
fn described_kinds_are_native(pos: &[Word]) -> Result<(), CommandError> {
    let Some(first) = pos.first() else {
        return Ok(()); // `targets` says a type is needed
    };
    let mut types: Vec<(String, &Word)> = Vec::new();
    for w in pos {
        let prefix = w.literal_prefix();
        if let Some((ty, _)) = prefix.split_once('/') {
            types.push((ty.to_string(), w));
        }
    }
    if types.is_empty() {
        let Some(text) = first.text() else {
            return Err(CommandError::not_native(
                "`describe` of a type that comes from a variable is not run natively",
                "write the type; the kinds described natively: ".to_string() + &DESCRIBED_KINDS.join(", "),
            )
            .at(&first.span));
        };
        types.extend(
            text.split(',')
                .filter(|t| !t.is_empty())
                .map(|t| (t.to_string(), first)),
        );
    }
    for (ty, word) in types {
        // A type that is not a well-known kind is taken for a custom
        // resource, which kubectl's generic describer prints.
        let Some(kind) = kinds::well_known(&ty).map(|k| k.kind) else {
            continue;
        };
        if DESCRIBED_KINDS.contains(&kind) {
            continue;
        }
        let named = format!("{kind} (`{ty}`)");
        return Err(CommandError::not_native(
            format!("`describe` of {named} is not run natively: rehearse has no describer for it yet"),
            format!(
                "it runs through the kubectl CLI (refused with --native-only); kinds described natively: {}, and custom resources",
                DESCRIBED_KINDS.join(", ")
            ),
        )
        .at(&word.span));
    }
    Ok(())
}

fn apply(f: &Scanned) -> Result<Apply<Parsed>, CommandError> {
    let files = f.all("--filename");
    if files.is_empty() {
        return Err(CommandError::new(
            "`apply` needs -f FILE, -f DIR or -f -",
            "`apply -k` runs through the kubectl CLI",
        ));
    }
    if !f.positionals.is_empty() {
        let given: Vec<String> = f.positionals.iter().map(Word::source).collect();
        return Err(CommandError::new(
            format!("unexpected arguments for `apply`: {}", given.join(" ")),
            "give manifests with -f",
        ));
    }
    let server_side = f.switch("--server-side")?;
    let force_conflicts = f.switch("--force-conflicts")?;
    if force_conflicts && !server_side {
        return Err(CommandError::new(
            "--force-conflicts only applies with --server-side",
            "add --server-side, or drop --force-conflicts",
        ));
    }
    Ok(Apply {
        files: manifests(&files)?,
        server_side,
        force_conflicts,
    })
}

/// `-f` arguments, each read by [`values::manifest`].
fn manifests(files: &[Word]) -> Result<Vec<Arg<String>>, CommandError> {
    files.iter().map(|w| Arg::one(w, values::manifest)).collect()
}

fn delete(f: &Scanned) -> Result<Delete<Parsed>, CommandError> {
    let files = f.all("--filename");
    let selector = f.last("--selector").map(text);
    let all = f.switch("--all")?;
    let targets = if files.is_empty() {
        let names = if selector.is_some() || all {
            Names::Optional
        } else {
            Names::Required
        };
        let t = targets(&f.positionals, "delete", names)?;
        needs_names_or_selector(
            &t,
            selector.is_some() || all,
            "`delete` needs names, -l, --all or -f",
            "e.g. delete deployment carts, delete pods -l app=carts or delete pods --all",
        )?;
        Some(t)
    } else if !f.positionals.is_empty() {
        return Err(CommandError::new(
            "`delete -f` takes no resource arguments",
            "give either -f or TYPE NAME",
        ));
    } else {
        None
    };
    Ok(Delete {
        targets,
        files: manifests(&files)?,
        selector,
        all_namespaces: f.switch("--all-namespaces")?,
        ignore_not_found: f.switch("--ignore-not-found")?,
        wait: f.switch("--wait")?,
        timeout: duration(f)?,
        all,
        grace_period: grace_period(f)?,
        force: f.switch("--force")?,
    })
}

/// `--grace-period=N`, or `--now` (1 second), not both.
fn grace_period(f: &Scanned) -> Result<Option<Arg<i64>>, CommandError> {
    let given = f
        .last("--grace-period")
        .map(|w| Arg::one(w, values::grace_period))
        .transpose()?;
    if f.switch("--now")? {
        if let Some(w) = f.last("--grace-period") {
            return Err(CommandError::new(
                "--now and --grace-period cannot be specified together",
                "--now is --grace-period=1",
            )
            .at(&w.span));
        }
        return Ok(Some(Arg::Known(1)));
    }
    Ok(given)
}

/// `get --watch` streams changes until interrupted: a step waits for the
/// state it expects instead.
fn watch_refused(f: &Scanned) -> CommandError {
    let objects: Vec<String> = f.positionals.iter().map(Word::source).collect();
    let objects = if objects.is_empty() {
        "pods".to_string()
    } else {
        objects.join(" ")
    };
    let selector = f
        .last("--selector")
        .map(|w| format!(" -l {}", w.source()))
        .unwrap_or_default();
    // Not native: through the CLI it watches until the step's timeout, as
    // a pasted line would; the hint writes the wait that ends.
    CommandError::not_native(
        "`get --watch` prints changes until it is interrupted, so it is not run natively (through the CLI, it watches until the step's timeout)",
        format!(
            "to end when the state is reached, wait for it, e.g. kubectl = \"wait --for=condition=Ready {objects}{selector} --timeout=120s\" \
             (or --for=jsonpath='{{.status.phase}}'=Running), or a `wait` on the step with `stdout = true`"
        ),
    )
}

fn patch(f: &Scanned) -> Result<Patch<Parsed>, CommandError> {
    let target = one_target(&f.positionals, "patch")?;
    let Some(patch) = f.last("--patch") else {
        return Err(CommandError::new(
            "`patch` needs -p PATCH",
            "e.g. -p '{\"spec\":{\"replicas\":2}}'",
        ));
    };
    let body = match f.last("--type") {
        Some(kind) => Arg::of(
            &[kind.clone(), patch.clone()],
            |texts, _| values::patch(Some(&texts[0]), &texts[1]),
            false,
        )?,
        None => Arg::one(patch, |text| values::patch(None, text))?,
    };
    Ok(Patch {
        target,
        body,
        subresource: f.last("--subresource").map(text),
    })
}

fn metadata(f: &Scanned, field: MetaField) -> Result<Metadata<Parsed>, CommandError> {
    let verb = field.verb();
    // TYPE NAME... k=v k-   or TYPE/NAME... k=v
    let (objects, kvs) = objects_then_changes(f);
    let changes = if kvs.is_empty() {
        values::changes(&[], verb).map(Arg::Known)?
    } else {
        Arg::of(kvs, move |texts, _| values::changes(texts, verb), false)?
    };
    let selector = f.last("--selector").map(text);
    let targets = objects_or_selector(objects, verb, selector.is_some())?;
    needs_names_or_selector(
        &targets,
        selector.is_some(),
        &format!("`{verb}` needs a name or -l"),
        "",
    )?;
    Ok(Metadata {
        field,
        targets,
        selector,
        changes,
        overwrite: f.switch("--overwrite")?,
    })
}

fn scale(f: &Scanned) -> Result<Scale<Parsed>, CommandError> {
    let targets = targets(&f.positionals, "scale", Names::Required)?;
    let Some(replicas) = f.last("--replicas") else {
        return Err(CommandError::new("`scale` needs --replicas=N", ""));
    };
    Ok(Scale {
        targets,
        replicas: Arg::one(replicas, values::replicas)?,
    })
}

fn rollout_status(f: &Scanned) -> Result<RolloutStatus<Parsed>, CommandError> {
    // `--timeout 0` means no timeout of its own, as in kubectl.
    let timeout = match duration(f)? {
        Some(Arg::Known(d)) if d.is_zero() => None,
        other => other,
    };
    Ok(RolloutStatus {
        target: one_target(&f.positionals, "rollout status")?,
        timeout,
        watch: f.switch_or("--watch", true)?,
    })
}

fn wait(f: &Scanned) -> Result<Wait<Parsed>, CommandError> {
    let targets = targets(&f.positionals, "wait", Names::Optional)?;
    let Some(cond) = f.last("--for") else {
        return Err(CommandError::new(
            "`wait` needs --for",
            "--for=condition=Available, --for=delete or --for=jsonpath='{.status.phase}'=Running",
        ));
    };
    let condition = Arg::one(cond, values::wait_for)?;
    if let (Arg::Known(values::WaitFor::Delete), Some(o)) = (&condition, f.last("--output")) {
        return Err(CommandError::not_native(
            "`wait --for=delete -o …` is not run natively",
            "drop -o: the wait prints `TYPE/NAME condition met` for each object",
        )
        .at(&o.span));
    }
    let selector = f.last("--selector").map(text);
    let all = f.switch("--all")?;
    needs_names_or_selector(
        &targets,
        selector.is_some() || all,
        "`wait` needs a name, -l or --all",
        "e.g. wait --for=condition=Ready pods --all",
    )?;
    Ok(Wait {
        targets,
        selector,
        all_namespaces: f.switch("--all-namespaces")?,
        all,
        condition,
        timeout: duration(f)?.unwrap_or(Arg::Known(Duration::from_secs(30))),
    })
}

fn logs(f: &Scanned) -> Result<Logs<Parsed>, CommandError> {
    if f.switch("--follow")? {
        return Err(CommandError::not_native(
            "`logs -f` follows forever and is not run natively",
            "drop -f (the logs so far are returned); to wait for a line, put a `wait` on the step \
             (e.g. wait = { until = [ { stdout = true, contains = \"Started\" } ] })",
        ));
    }
    let selector = f.last("--selector").map(text);
    let target = match (&selector, f.positionals.is_empty()) {
        (Some(_), true) => None,
        (Some(_), false) => {
            return Err(CommandError::new(
                "only a selector (-l) or a POD name is allowed",
                "give either a pod (or TYPE/NAME) or -l",
            ));
        }
        (None, _) => Some(pod_target(&f.positionals, "logs")?),
    };
    let container = f.last("--container").map(text);
    let all_containers = f.switch("--all-containers")?;
    if all_containers && let Some(w) = f.last("--container") {
        return Err(CommandError::new(
            format!(
                "--all-containers=true should not be specified with container name {}",
                w.source()
            ),
            "drop -c, or --all-containers",
        )
        .at(&w.span));
    }
    Ok(Logs {
        target,
        selector,
        container,
        all_containers,
        prefix: f.switch("--prefix")?,
        previous: f.switch("--previous")?,
        tail: f.last("--tail").map(|w| Arg::one(w, values::tail)).transpose()?,
        since: f
            .last("--since")
            .map(|w| Arg::one(w, values::parse_duration))
            .transpose()?,
        timestamps: f.switch("--timestamps")?,
    })
}

fn rollout_history(f: &Scanned) -> Result<RolloutHistory<Parsed>, CommandError> {
    if let Some(w) = f.last("--revision") {
        return Err(CommandError::not_native(
            "`rollout history --revision` describes a pod template for people and is not run natively",
            "compare revisions with `get replicasets -l … -o json` and a query",
        )
        .at(&w.span));
    }
    Ok(RolloutHistory {
        targets: targets(&f.positionals, "rollout history", Names::Required)?,
    })
}

/// Resources first, then the changes (`NAME=VALUE`, `NAME-`), as
/// `set image`, `set env`, `label` and `annotate` take them.
fn objects_then_changes(f: &Scanned) -> (&[Word], &[Word]) {
    let split = f
        .positionals
        .iter()
        .position(|p| values::is_change(p.literal_prefix()))
        .unwrap_or(f.positionals.len());
    f.positionals.split_at(split)
}

/// The objects of the verbs that take changes after them: names, or a
/// type with `-l`.
fn objects_or_selector(
    objects: &[Word],
    verb: &'static str,
    selector: bool,
) -> Result<Arg<values::Targets>, CommandError> {
    let names = if selector {
        Names::Optional
    } else {
        Names::Required
    };
    let t = if objects.is_empty() {
        values::targets(&[], verb, names).map(Arg::Known)?
    } else {
        Arg::of(
            objects,
            move |texts, _| values::targets(texts, verb, names),
            false,
        )?
    };
    Ok(t)
}

/// `set image`'s and `set env`'s objects: names, or a type with `-l`.
fn set_targets(
    objects: &[Word],
    verb: &'static str,
    selector: bool,
) -> Result<Arg<values::Targets>, CommandError> {
    let t = objects_or_selector(objects, verb, selector)?;
    no_names_with_selector(&t, selector)?;
    Ok(t)
}

fn set_image(f: &Scanned) -> Result<SetImage<Parsed>, CommandError> {
    let (objects, pairs) = objects_then_changes(f);
    let selector = f.last("--selector").map(text);
    let targets = set_targets(objects, "set image", selector.is_some())?;
    let images = if pairs.is_empty() {
        values::image_changes(&[]).map(Arg::Known)?
    } else {
        Arg::of(pairs, |texts, _| values::image_changes(texts), false)?
    };
    Ok(SetImage {
        targets,
        selector,
        images,
    })
}

fn set_env(f: &Scanned) -> Result<SetEnv<Parsed>, CommandError> {
    let (objects, pairs) = objects_then_changes(f);
    let selector = f.last("--selector").map(text);
    let targets = set_targets(objects, "set env", selector.is_some())?;
    let from = f
        .last("--from")
        .map(|w| one_target(std::slice::from_ref(w), "set env --from"))
        .transpose()?;
    let changes = match (pairs.is_empty(), &from) {
        // `--from` alone adds the resource's keys.
        (true, Some(_)) => Arg::Known(Vec::new()),
        (true, None) => values::env_changes(&[]).map(Arg::Known)?,
        (false, _) => Arg::of(pairs, |texts, _| values::env_changes(texts), false)?,
    };
    Ok(SetEnv {
        targets,
        selector,
        containers: f.last("--containers").map(text),
        changes,
        overwrite: f.switch_or("--overwrite", true)?,
        from,
        // A comma-separated list, repeatable.
        keys: f.all("--keys").iter().map(text).collect(),
        prefix: f.last("--prefix").map(text),
    })
}

/// What `create` runs natively, for its messages.
const CREATE_NATIVE: &str = "`create` runs natively for `create namespace NAME`, `create configmap NAME`, \
     `create secret generic NAME`, `create deployment NAME --image=…` and `create job NAME --image=…|--from=cronjob/NAME` only";

/// `create service …` and the other generators are not native: said
/// before their flags are found unknown.
fn create_kind_is_native(args: &[Word]) -> Result<(), CommandError> {
    let kind = args.iter().find(|w| !w.literal_prefix().starts_with('-'));
    match kind.and_then(Word::text).as_deref() {
        Some("namespace" | "ns" | "configmap" | "cm" | "secret" | "deployment" | "deploy" | "job") | None => {
            Ok(())
        }
        Some(_) => Err(CommandError::not_native(
            CREATE_NATIVE,
            "the other kinds run through the kubectl CLI (refused with --native-only); or write the manifest and `apply -f` it",
        )
        .at(&kind.expect("a kind").span)),
    }
}

fn create(f: &Scanned) -> Result<Create<Parsed>, CommandError> {
    let words: Vec<Option<String>> = f.positionals.iter().map(Word::text).collect();
    let (kind, name) = match words.as_slice() {
        [Some(k), _] if k == "namespace" || k == "ns" => (CreateKind::Namespace, &f.positionals[1]),
        [Some(k), _] if k == "configmap" || k == "cm" => (CreateKind::ConfigMap, &f.positionals[1]),
        [Some(k), Some(g), _] if k == "secret" && g == "generic" => (CreateKind::Secret, &f.positionals[2]),
        [Some(k), _] if k == "deployment" || k == "deploy" => (CreateKind::Deployment, &f.positionals[1]),
        [Some(k), _] if k == "job" => (CreateKind::Job, &f.positionals[1]),
        _ => {
            return Err(CommandError::new(
                CREATE_NATIVE,
                "anything else: write the manifest and `apply -f` it, or use a `run` step with the real kubectl",
            ));
        }
    };
    let literals = f
        .all("--from-literal")
        .iter()
        .map(|w| Arg::one(w, values::literal))
        .collect::<Result<Vec<_>, _>>()?;
    let images = f
        .all("--image")
        .iter()
        .map(|w| Arg::one(w, values::images))
        .collect::<Result<Vec<_>, _>>()?;
    let command: Vec<Arg<String>> = f.rest.iter().flatten().map(text).collect();
    let create = Create {
        kind,
        name: text(name),
        literals,
        dry_run: dry_run(f)?,
        images,
        replicas: f
            .last("--replicas")
            .map(|w| Arg::one(w, values::replicas))
            .transpose()?,
        port: f.last("--port").map(|w| Arg::one(w, values::port)).transpose()?,
        command,
        from: f
            .last("--from")
            .map(|w| Arg::one(w, values::from_cronjob))
            .transpose()?,
    };
    create_flags_fit(&create)?;
    Ok(create)
}

/// Each kind takes its own flags, as kubectl's generators do.
fn create_flags_fit(c: &Create<Parsed>) -> Result<(), CommandError> {
    let kind = match c.kind {
        CreateKind::Namespace => "namespace",
        CreateKind::ConfigMap => "configmap",
        CreateKind::Secret => "secret generic",
        CreateKind::Deployment => "deployment",
        CreateKind::Job => "job",
    };
    let workload = matches!(c.kind, CreateKind::Deployment | CreateKind::Job);
    let refuse = |flag: &str| {
        Err(CommandError::new(
            format!("`create {kind}` takes no {flag}"),
            CREATE_NATIVE,
        ))
    };
    if !c.literals.is_empty() && !matches!(c.kind, CreateKind::ConfigMap | CreateKind::Secret) {
        return refuse("--from-literal");
    }
    if !workload && !c.images.is_empty() {
        return refuse("--image");
    }
    if !workload && !c.command.is_empty() {
        return refuse("command after --");
    }
    if c.kind != CreateKind::Deployment && c.replicas.is_some() {
        return refuse("--replicas");
    }
    if c.kind != CreateKind::Deployment && c.port.is_some() {
        return refuse("--port");
    }
    if c.kind != CreateKind::Job && c.from.is_some() {
        return refuse("--from");
    }
    let several_images = c.images.len() > 1 || matches!(c.images.first(), Some(Arg::Known(l)) if l.len() > 1);
    match c.kind {
        CreateKind::Deployment if c.images.is_empty() => Err(CommandError::new(
            "`create deployment` needs --image",
            "e.g. create deployment nginx --image=nginx",
        )),
        CreateKind::Deployment if several_images && !c.command.is_empty() => Err(CommandError::new(
            "cannot specify multiple --image options and command",
            "",
        )),
        CreateKind::Job if c.images.is_empty() == c.from.is_none() => Err(CommandError::new(
            "either --image or --from must be specified",
            "e.g. create job backup --from=cronjob/backup",
        )),
        CreateKind::Job if several_images => Err(CommandError::new("`create job` takes one --image", "")),
        CreateKind::Job if c.from.is_some() && !c.command.is_empty() => {
            Err(CommandError::new("cannot specify --from and command", ""))
        }
        _ => Ok(()),
    }
}

/// `--dry-run=none|client|server`.
fn dry_run(f: &Scanned) -> Result<DryRun, CommandError> {
    Ok(match f.last("--dry-run").map(|w| (w, w.text())) {
        None => DryRun::None,
        Some((_, Some(v))) if v == "client" => DryRun::Client,
        Some((_, Some(v))) if v == "server" => DryRun::Server,
        Some((_, Some(v))) if v == "none" => DryRun::None,
        Some((w, _)) => {
            return Err(CommandError::new(
                format!("invalid --dry-run value {}", w.source()),
                "--dry-run=client prints the object without creating it; --dry-run=server has the API server check it",
            )
            .at(&w.span));
        }
    })
}

/// `version` natively gives the API server's version; the client's
/// would be kubectl's, which rehearse is not.
fn version(f: &Scanned) -> Result<Verb<Parsed>, CommandError> {
    if f.switch("--client")? {
        return Err(CommandError::not_native(
            "`version --client` is kubectl's own version, which rehearse is not",
            "natively, `version` gives the API server's version (Server Version, serverVersion)",
        ));
    }
    if let Some(p) = f.positionals.first() {
        return Err(
            CommandError::new(format!("`version` takes no arguments, got {}", p.source()), "").at(&p.span),
        );
    }
    if let Some(w) = f.last("--output")
        && !matches!(w.text().as_deref(), Some("json" | "yaml"))
    {
        return Err(CommandError::new(
            "--output must be 'yaml' or 'json'",
            "version -o json or version -o yaml",
        )
        .at(&w.span));
    }
    Ok(Verb::Version)
}

fn run(f: &Scanned) -> Result<Run<Parsed>, CommandError> {
    for attach in ["--stdin", "--tty", "--rm", "--attach"] {
        if f.switch(attach)? {
            return Err(CommandError::not_native(
                format!("`run` with {attach} attaches a terminal to the pod, which a step cannot give"),
                "run the pod without -it/--rm, wait for it, then read it: e.g. kubectl = \"run x --image=… --restart=Never -- CMD\", \
                 kubectl = \"wait --for=jsonpath={.status.phase}=Succeeded pod/x\", kubectl = \"logs x\"",
            ));
        }
    }
    let [name] = f.positionals.as_slice() else {
        return Err(CommandError::new(
            "`run` needs one NAME",
            "e.g. run test-pod --image=curlimages/curl --restart=Never -- sleep 3600",
        ));
    };
    let Some(image) = f.last("--image") else {
        return Err(CommandError::new(
            "`run` needs --image",
            "e.g. run nginx --image=nginx",
        ));
    };
    let restart = match f.last("--restart").map(|w| (w, w.text())) {
        None => Restart::Always,
        Some((_, Some(v))) if v == "Always" => Restart::Always,
        Some((_, Some(v))) if v == "OnFailure" => Restart::OnFailure,
        Some((_, Some(v))) if v == "Never" => Restart::Never,
        Some((w, _)) => {
            return Err(CommandError::new(
                format!("invalid restart policy: {}", w.source()),
                "--restart=Always, OnFailure or Never",
            )
            .at(&w.span));
        }
    };
    let command = f.switch("--command")?;
    let args: Vec<Arg<String>> = f.rest.iter().flatten().map(text).collect();
    if command && args.is_empty() {
        return Err(CommandError::new(
            "--command needs the command after --",
            "e.g. run x --image=ubuntu --command -- sleep infinity",
        ));
    }
    Ok(Run {
        name: text(name),
        image: text(image),
        restart,
        command,
        args,
        env: f
            .all("--env")
            .iter()
            .map(|w| Arg::one(w, values::env))
            .collect::<Result<Vec<_>, _>>()?,
        labels: f
            .last("--labels")
            .map(|w| Arg::one(w, values::labels))
            .transpose()?,
        port: f.last("--port").map(|w| Arg::one(w, values::port)).transpose()?,
        dry_run: dry_run(f)?,
    })
}

fn exec(f: &Scanned) -> Result<Exec<Parsed>, CommandError> {
    let target = pod_target(&f.positionals, "exec")?;
    let command = match &f.rest {
        Some(c) if !c.is_empty() => c.iter().map(text).collect(),
        _ => {
            return Err(CommandError::new(
                "`exec` needs a command after --",
                "e.g. exec deployment/carts -- env",
            ));
        }
    };
    Ok(Exec {
        target,
        container: f.last("--container").map(text),
        command,
    })
}
