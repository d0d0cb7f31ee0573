//! Packing items into files of at most so many lines (models, methods, samples and the manifest
//! all split this way). Where a part ends depends on the items near the cut, not on everything
//! before it, so that a regeneration that adds or removes an item moves few others between
//! files. This is content-defined chunking: a chunk ends after an item whose key's hash says so
//! once it holds half the limit (the chance grows with the item's lines, so that chunks average
//! about four fifths of the limit); a chunk past the limit is cut again inside, before the item
//! that hashes highest among the places that leave both sides able to fit. Neither rule looks
//! at where earlier parts ended, so after an added or removed item the parts are the same again
//! from the next chunk end the hashes chose.

/// The most lines a generated file or manifest part should have: past it, the items go into
/// parts (`<module>_<first item>`).
pub const MAX_LINES: usize = 4000;

/// `items` in their order, into parts of at most `max` lines; `measure` gives an item's key
/// (stable across regenerations: a type or operation name) and its lines. An item longer than
/// `max` gets a part alone. The first item always opens the first part.
pub(crate) fn split<T>(items: Vec<T>, max: usize, measure: impl Fn(&T) -> (&str, usize)) -> Vec<Vec<T>> {
    let (hashes, lines): (Vec<u64>, Vec<usize>) = items
        .iter()
        .map(|item| {
            let (key, lines) = measure(item);
            (stable_hash(key), lines)
        })
        .unzip();
    let min = max / 2;
    // The mean number of lines past `min` before the hash ends a chunk.
    let mean_extra = (max * 3 / 10).max(1) as u64;
    let mut cuts = Vec::new();
    let (mut start, mut used) = (0, 0);
    for i in 0..items.len() {
        used += lines[i];
        if (used >= min && hashes[i] % mean_extra < lines[i] as u64) || i + 1 == items.len() {
            cut_inside(&lines, &hashes, start, i + 1, max, &mut cuts);
            if i + 1 < items.len() {
                cuts.push(i + 1);
            }
            (start, used) = (i + 1, 0);
        }
    }
    cuts.sort_unstable();
    let mut parts: Vec<Vec<T>> = vec![Vec::new()];
    for (i, item) in items.into_iter().enumerate() {
        if cuts.binary_search(&i).is_ok() {
            parts.push(Vec::new());
        }
        if let Some(part) = parts.last_mut() {
            part.push(item);
        }
    }
    parts
}

/// Adds to `cuts` the places (a part starts at that index) that split the chunk `start..end`
/// into the fewest parts of at most `max` lines it can be: before the highest hash among the
/// places that leave each side no more lines than its share of those parts can hold.
fn cut_inside(lines: &[usize], hashes: &[u64], start: usize, end: usize, max: usize, cuts: &mut Vec<usize>) {
    let total: usize = lines[start..end].iter().sum();
    if total <= max || end - start < 2 {
        return;
    }
    let parts = total.div_ceil(max);
    let (left, right) = (parts / 2, parts - parts / 2);
    let (low, high) = (total.saturating_sub(right * max), left * max);
    let mut best: Option<(bool, u64, usize)> = None;
    let mut before = 0;
    for at in start + 1..end {
        before += lines[at - 1];
        let candidate = (before >= low && before <= high, hashes[at], at);
        if best.is_none_or(|b| (candidate.0, candidate.1) > (b.0, b.1)) {
            best = Some(candidate);
        }
    }
    let Some((_, _, at)) = best else { return };
    cuts.push(at);
    cut_inside(lines, hashes, start, at, max, cuts);
    cut_inside(lines, hashes, at, end, max, cuts);
}

/// The file stems of `base`'s `parts`: `base`, then `base_<label>` for each later part, where
/// `label` names a part by its first item (in snake case). A part's name so depends on its own
/// first item only, never on how many parts come before it; a stem that is already `taken`
/// gets a number (only where two modules' names meet).
pub(crate) fn part_names<P>(
    base: &str,
    parts: &[P],
    label: impl Fn(&P) -> String,
    taken: &mut std::collections::BTreeSet<String>,
) -> Vec<String> {
    let mut names = vec![base.to_owned()];
    for label in parts.iter().skip(1).map(label) {
        names.push(crate::names::claim_in(taken, [format!("{base}_{label}")], "_"));
    }
    names
}

/// FNV-1a of `key`: the same on every machine and in every Rust version (unlike `DefaultHasher`).
fn stable_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items `name0..nameN` of `lines` lines each, split at `max`; the parts as names.
    fn parts(names: &[String], lines: usize, max: usize) -> Vec<Vec<String>> {
        split(names.to_vec(), max, |name| (name.as_str(), lines))
    }

    fn names(range: std::ops::Range<usize>) -> Vec<String> {
        range.map(|i| format!("Type{i:03}")).collect()
    }

    #[test]
    fn parts_stay_under_the_limit_and_keep_the_order() {
        let all = names(0..300);
        let split = parts(&all, 37, 1000);
        assert!(split.iter().all(|p| !p.is_empty() && p.len() * 37 <= 1000), "{split:?}");
        assert_eq!(split.concat(), all);
        // Not many more parts than the fewest possible (300 * 37 / 1000 = 11.1, so 12).
        assert!(split.len() <= 18, "{} parts", split.len());
        // Short runs and long items are left alone.
        assert_eq!(parts(&names(0..3), 10, 1000).len(), 1);
        assert_eq!(parts(&names(0..3), 5000, 1000).len(), 3);
    }

    /// For each item of `split` that is in `kept`, the other items of `kept` in its part.
    fn companions(split: &[Vec<String>], kept: &[String]) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for part in split {
            for item in part.iter().filter(|i| kept.contains(i)) {
                let others = part.iter().filter(|o| *o != item && kept.contains(o)).cloned().collect();
                out.push((item.clone(), others));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn an_added_item_moves_few_others() {
        let all = names(0..300);
        let before = companions(&parts(&all, 37, 1000), &all);
        let mut moved = Vec::new();
        for added in 0..40 {
            let mut more = all.clone();
            more.insert(added * 7, format!("Added{added}"));
            let after = companions(&parts(&more, 37, 1000), &all);
            // An item moved when the items it shares a part with are not the same.
            moved.push(before.iter().zip(&after).filter(|(b, a)| b != a).count());
        }
        // Greedy packing moves every item after the insertion (150 on average here); this
        // moves none most of the time, and at worst the items of a few neighbouring parts.
        let untouched = moved.iter().filter(|m| **m == 0).count();
        let mean = moved.iter().sum::<usize>() / moved.len();
        assert!(untouched >= 30 && mean <= 15, "items moved per insertion: {moved:?}");
    }
}
