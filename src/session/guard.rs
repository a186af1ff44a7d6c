//! The guard rail: a workflow that names its AWS account refuses to run
//! live against another. One STS call finds the account of the credentials.

use crate::ground::port::Mode;
use crate::session::prepare::Prepared;

/// Checks every workflow in file order; the first refusal is the error.
pub async fn check_accounts(prepared: &[Prepared]) -> Result<(), String> {
    for p in prepared {
        check_account(p).await?;
    }
    Ok(())
}

async fn check_account(p: &Prepared) -> Result<(), String> {
    let Some(expected) = &p.plan.workflow.meta.account else {
        return Ok(());
    };
    // A replay talks to no account at all.
    if p.traffic.mode() == Mode::Replay {
        return Ok(());
    }
    let expected = p.plan.vars.fill(expected)?;
    let aws = p.backend().aws().await.map_err(|e| e.message)?;
    let actual = aws.account_id().await.map_err(|e| e.message)?;
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: the credentials are for AWS account {actual}, but the workflow expects {expected}; nothing was run",
            p.plan.file.path.display()
        ))
    }
}
