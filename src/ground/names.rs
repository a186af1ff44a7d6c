//! Names a person may have mistyped: the known ones, closest first, for
//! messages that say what was meant (AWS services and options, step ids).

/// The candidates, most similar to `name` first (ties keep their order).
pub fn closest_first<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// The known name `name` was most likely meant to be: the closest, when it
/// is at least `min` similar (0 to 1, normalized Damerau-Levenshtein).
pub fn likely_meant<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    min: f64,
) -> Option<&'a str> {
    let best = closest_first(name, candidates).into_iter().next()?;
    (strsim::normalized_damerau_levenshtein(name, best) >= min).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_similar_come_first_and_ties_keep_their_order() {
        let known = [
            "carts-pods",
            "agent-pods",
            "carts-configmap",
            "crashing-pod",
            "b",
            "a",
        ];
        assert_eq!(closest_first("carts-pod", known)[0], "carts-pods");
        assert_eq!(closest_first("zzz", ["b", "a"]), ["b", "a"]);
    }

    #[test]
    fn a_likely_meant_name_is_close_enough() {
        let ops = ["describe-cluster", "list-clusters", "describe-nodegroup"];
        assert_eq!(
            likely_meant("describe-clustr", ops, 0.8),
            Some("describe-cluster")
        );
        assert_eq!(likely_meant("describe-fargate-profile", ops, 0.8), None);
    }
}
