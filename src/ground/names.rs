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
}
