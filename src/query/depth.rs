//! A bound on how deeply a query nests, checked before it is parsed. Both
//! parsers and evaluators recurse once per nesting level and per chained
//! operator: `!` 5,000 times, `a.a.…` 5,000 deep or a jq program nested
//! 5,000 deep would overflow the stack, in validation or in the middle of a
//! run. Real queries stay far below the bound (the workshop's deepest is
//! under 20).

use super::CompileError;

/// The deepest nesting, plus chained operators, that a query may have.
pub const MAX_DEPTH: usize = 256;

/// Refuses a query that nests deeper than [`MAX_DEPTH`], pointing at the
/// character where it does.
pub fn check(source: &str) -> Result<(), CompileError> {
    let mut nesting: usize = 0;
    let mut chained: usize = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (offset, c) in source.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' | '[' | '{' => nesting += 1,
            ')' | ']' | '}' => nesting = nesting.saturating_sub(1),
            '.' | '|' | '!' | '&' | '?' => chained += 1,
            _ => {}
        }
        if nesting + chained > MAX_DEPTH {
            return Err(CompileError {
                message: format!(
                    "the expression nests or chains more than {MAX_DEPTH} levels deep; split it into several checks or captures"
                ),
                offset: Some(offset),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_long_chains_are_refused_with_their_offset() {
        for deep in [
            "!".repeat(5000) + "a",
            "a.".repeat(5000) + "a",
            "(".repeat(5000) + "1",
        ] {
            let err = check(&deep).unwrap_err();
            // The character where the bound is passed, not the end.
            assert!(
                err.offset
                    .is_some_and(|o| (MAX_DEPTH..=2 * MAX_DEPTH + 1).contains(&o)),
                "{deep:.20}"
            );
            assert!(err.message.contains("more than 256 levels"), "{}", err.message);
        }
    }

    #[test]
    fn quoted_text_and_ordinary_queries_pass() {
        assert!(check(&format!("'{}'", ".".repeat(5000))).is_ok());
        assert!(
            check(r#"Roles[?AssumeRolePolicyDocument.Statement[0].Principal.Service == 'x'].RoleName"#)
                .is_ok()
        );
        assert!(check(r#"[.items[] | select(.status.phase == "Running")] | length"#).is_ok());
    }
}
