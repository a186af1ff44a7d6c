//! Which option a flag as written names. The AWS CLI reads its command line
//! with Python's argparse, which takes any unambiguous prefix of a long
//! option (`--cluster` for `--cluster-name`): the EKS Workshop writes such
//! lines. It reads in two passes, as `awscli/clidriver.py` does: the main
//! parser knows only the global options and claims a flag first (so `--c`
//! is ambiguous between `--color`, `--ca-bundle`…, whatever the operation
//! has), then the operation's parser reads what is left with its own
//! options. In each pass an exact name wins, a prefix of exactly one option
//! names it, and a prefix of several is an error listing them in the
//! parser's order.

use crate::action::arg::CommandError;
use crate::action::aws::kubeconfig::is_update_kubeconfig;
use crate::action::aws::spec::{Operation, Ty};

/// The AWS CLI v1's global options, in its main parser's order
/// (`awscli/data/cli.json`, then `--version`, which the parser adds last).
const MAIN: &[&str] = &[
    "debug",
    "endpoint-url",
    "no-verify-ssl",
    "no-paginate",
    "output",
    "query",
    "profile",
    "region",
    "color",
    "no-sign-request",
    "ca-bundle",
    "cli-read-timeout",
    "cli-connect-timeout",
    "v2-debug",
    "version",
];

/// Options rehearse accepts by their full name only: the AWS CLI v2's
/// `--no-cli-pager`, which v1's parser does not know.
const EXACT_ONLY: &[&str] = &["no-cli-pager"];

/// `eks update-kubeconfig`'s option that rehearse leaves to the CLI.
const UPDATE_KUBECONFIG_MORE: &[&str] = &["assume-role-arn"];

/// The paging options the CLI adds to an operation that pages.
const PAGING: &[&str] = &["starting-token", "page-size", "max-items"];

/// The operation parser's options, in the CLI's order: the members (a
/// boolean's `--no-` form right after it), then the options the CLI adds.
/// `eks update-kubeconfig`, the CLI's own command, has its own table: its
/// switches have no `--no-` form, and it has no input JSON.
pub fn operation_options(op: &Operation) -> Vec<String> {
    if is_update_kubeconfig(op) {
        let mut names: Vec<String> = op.members.iter().map(|m| m.flag.to_string()).collect();
        names.extend(UPDATE_KUBECONFIG_MORE.iter().map(|s| s.to_string()));
        return names;
    }
    let mut names = Vec::new();
    for m in op.members {
        names.push(m.flag.to_string());
        if m.ty == Ty::Boolean {
            names.push(format!("no-{}", m.flag));
        }
    }
    names.push("cli-input-json".to_string());
    if op.paging.is_some() {
        names.extend(PAGING.iter().map(|s| s.to_string()));
    }
    names.push("generate-cli-skeleton".to_string());
    names
}

/// The option a flag (without its dashes) names, by its full name; a flag
/// no option starts with is returned as written, to be refused as unknown.
pub fn resolve(op: &Operation, flag: &str) -> Result<String, CommandError> {
    if EXACT_ONLY.contains(&flag) {
        return Ok(flag.to_string());
    }
    if let Some(global) = in_pass(flag, MAIN.iter().copied())? {
        return Ok(global.to_string());
    }
    let options = operation_options(op);
    Ok(in_pass(flag, options.iter().map(String::as_str))?
        .unwrap_or(flag)
        .to_string())
}

/// One parser's pass: the exact option, the one option the flag starts, or
/// an error when it starts several.
fn in_pass<'a>(
    flag: &str,
    options: impl Iterator<Item = &'a str> + Clone,
) -> Result<Option<&'a str>, CommandError> {
    if let Some(exact) = options.clone().find(|o| *o == flag) {
        return Ok(Some(exact));
    }
    let starting: Vec<&str> = options.filter(|o| o.starts_with(flag)).collect();
    match starting[..] {
        [] => Ok(None),
        [only] => Ok(Some(only)),
        _ => {
            let listed = starting
                .iter()
                .map(|o| format!("--{o}"))
                .collect::<Vec<_>>()
                .join(", ");
            Err(CommandError::new(
                format!("ambiguous option: --{flag} could match {listed}"),
                "the AWS CLI takes the start of an option only when one option starts so: write more of it",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::aws::spec::Service;

    fn op(name: &str) -> &'static Operation {
        Service::Eks.operation(name).unwrap()
    }

    #[test]
    fn a_prefix_of_one_option_names_it() {
        let list = op("list-access-entries");
        assert_eq!(resolve(list, "cluster").unwrap(), "cluster-name");
        assert_eq!(resolve(list, "cluster-n").unwrap(), "cluster-name");
        assert_eq!(resolve(list, "s").unwrap(), "starting-token");
        assert_eq!(resolve(list, "reg").unwrap(), "region");
        assert_eq!(resolve(list, "qu").unwrap(), "query");
    }

    #[test]
    fn an_exact_name_wins_and_an_unknown_one_is_kept() {
        let list = op("list-access-entries");
        assert_eq!(resolve(list, "cluster-name").unwrap(), "cluster-name");
        assert_eq!(resolve(list, "no-cli-pager").unwrap(), "no-cli-pager");
        assert_eq!(resolve(list, "clusterx").unwrap(), "clusterx");
    }

    #[test]
    fn the_global_pass_claims_a_flag_first() {
        // As the CLI says it for `aws eks list-access-entries --c c`.
        let err = resolve(op("list-access-entries"), "c").unwrap_err();
        assert_eq!(
            err.message,
            "ambiguous option: --c could match --color, --ca-bundle, --cli-read-timeout, --cli-connect-timeout"
        );
        assert_eq!(
            resolve(op("list-access-entries"), "v").unwrap_err().message,
            "ambiguous option: --v could match --v2-debug, --version"
        );
    }

    #[test]
    fn an_ambiguous_prefix_lists_the_operation_options_in_order() {
        let err = resolve(op("list-access-entries"), "ma").unwrap_err();
        assert_eq!(
            err.message,
            "ambiguous option: --ma could match --max-results, --max-items"
        );
    }

    #[test]
    fn update_kubeconfig_has_the_clis_own_table() {
        let update = op("update-kubeconfig");
        assert_eq!(resolve(update, "user").unwrap(), "user-alias");
        assert_eq!(resolve(update, "dry").unwrap(), "dry-run");
        assert_eq!(
            resolve(update, "a").unwrap_err().message,
            "ambiguous option: --a could match --alias, --assume-role-arn"
        );
        assert_eq!(resolve(update, "assume").unwrap(), "assume-role-arn");
    }

    #[test]
    fn no_operation_option_is_a_prefix_of_a_global_one() {
        // Else the main parser would claim its exact name as that global.
        for service in Service::ALL {
            for op in service.operations() {
                for option in operation_options(op) {
                    assert_eq!(resolve(op, &option).unwrap(), option, "{}", op.name);
                }
            }
        }
    }
}
