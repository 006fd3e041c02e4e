//! Reading a service file on every core.
//!
//! serde-saphyr reads about 20 MB/s, and nothing else can start before the spec is read:
//! at 1,000 endpoints that was a quarter of the generator's wall time on one core while the
//! other waited. A service file is mostly two lists (`types:` and `endpoints:`) of
//! independent items, so the items are dealt out to the cores: each core parses a copy of
//! the file in which the items of the other cores are commented out (the indenting space
//! that starts each of their lines becomes `#`), and the lists are joined in file order.
//!
//! That keeps every byte and character offset, line and column, so every location in the
//! model is the one a whole-file parse gives, and diagnostics cannot tell the difference.
//! Every copy keeps the first item of each list (an empty list would not be a list); the
//! joins skip the repeats. Copies are never cut between an anchor and its aliases. Anything
//! unusual (an error in any copy, an anchor defined twice, items tied by anchors so that no
//! cut is left, several documents, lists not written as plain block lists) gives `None`, and
//! the caller parses the whole file the usual way, which also reports the diagnostics.

use std::collections::{HashMap, HashSet};

use crate::pool::Helpers;
use crate::spec::ServiceFile;

/// Below this a file parses as fast on one core as in copies: each copy scans the commented-out
/// bytes too, and the thread costs its start. Measured once the generated code had become
/// thin (the runtime's `request!`, `json_object!` rules, `endpoint!`), so that reading the
/// spec is a bigger share of the run: Baike v1 (27 KB) 6.2 → 5.9 ms, 100 synthetic endpoints
/// (156 KB) 24.1 → 21.3 ms, whole process. (With the older, heavier output the copies were
/// slower for Baike and no faster at 100 endpoints.)
const MIN_SPLIT_BYTES: usize = 16 * 1024;

/// The service file parsed on `workers` cores, or `None` when it should be parsed whole.
/// `busy`: the helpers have other work queued first (the platform file), so the calling
/// thread takes a larger share.
pub(crate) fn parse_service(text: &str, workers: usize, helpers: &Helpers<'_>, busy: bool) -> Option<ServiceFile> {
    if text.len() < MIN_SPLIT_BYTES || !helpers.in_parallel() {
        return None;
    }
    parse_in_copies(text, workers, helpers, busy)
}

fn parse_in_copies(text: &str, workers: usize, helpers: &Helpers<'_>, busy: bool) -> Option<ServiceFile> {
    if workers < 2 || has_directives(text) || redefines_anchor(text) {
        return None;
    }
    let types = block_list(text, "types")?;
    let endpoints = block_list(text, "endpoints")?;
    let groups = deal(text, &[&types[1..], &endpoints[1..]], workers, busy);
    if groups.len() < 2 {
        return None;
    }
    // The helpers' copies first, so that they start while this thread makes its own.
    let copy = |keep: &Vec<(usize, usize)>| comment_out_except(text, &types, &endpoints, keep);
    let others: Vec<_> = groups[1..]
        .iter()
        .map(|keep| {
            let copy = copy(keep);
            helpers.run(move || serde_saphyr::from_str::<ServiceFile>(&copy).ok())
        })
        .collect();
    let first = serde_saphyr::from_str(&copy(&groups[0])).ok();
    let parsed: Vec<Option<ServiceFile>> =
        std::iter::once(first).chain(others.into_iter().map(|p| p.wait().flatten())).collect();
    let mut parsed = parsed.into_iter();
    let mut whole: ServiceFile = parsed.next()??;
    for part in parsed {
        let mut part = part?;
        whole.types.extend(part.types.drain(1..));
        whole.endpoints.value.extend(part.endpoints.value.drain(1..));
    }
    (whole.types.len() == types.len() && whole.endpoints.value.len() == endpoints.len()).then_some(whole)
}

/// `%` directives or `---` / `...` markers: several documents, or tags; not split.
fn has_directives(text: &str) -> bool {
    text.lines().any(|l| l.starts_with('%') || l.starts_with("---") || l.starts_with("..."))
}

/// Whether an anchor name may be defined twice. An alias means the latest definition
/// before it, which in a copy with items commented out could be an older one: such files are not
/// split. Anything that looks like an anchor counts (`R&D` in a description too), so this
/// errs towards parsing whole.
fn redefines_anchor(text: &str) -> bool {
    let mut seen = HashSet::new();
    names_after(text, '&').any(|name| !seen.insert(name))
}

/// The names after every `marker` (`&` anchors, `*` aliases) that starts a token.
fn names_after(text: &str, marker: char) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    text.match_indices(marker).filter_map(move |(i, _)| {
        let starts_token = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',');
        starts_token
            .then(|| text[i + 1..].split(|c: char| c.is_whitespace() || "[]{},".contains(c)).next().unwrap_or(""))
    })
}

/// For each item (in order), whether a copy may start at it: not when an anchor defined in
/// an earlier item is used by it or a later one (the copy would lack the anchor). Anchors
/// outside the items are in every copy.
fn may_start_at(text: &str, items: &[(usize, usize)]) -> Vec<bool> {
    let mut defined_in: HashMap<&str, usize> = HashMap::new();
    let mut ok = vec![true; items.len()];
    for (k, &(s, e)) in items.iter().enumerate() {
        for name in names_after(&text[s..e], '*') {
            if let Some(&first) = defined_in.get(name) {
                ok[first + 1..=k].iter_mut().for_each(|o| *o = false);
            }
        }
        for name in names_after(&text[s..e], '&') {
            defined_in.insert(name, k);
        }
    }
    ok
}

/// The byte ranges of the items of the top-level block list under `key:` (written once,
/// at column 0, with nothing after the colon but a comment), each from the line of its
/// `- ` to the line before the next item or the next top-level key. `None` when the key is
/// missing, repeated or not a block list, or when any line between items is indented less
/// than the items. (`load::top_level_item` answers another question, which item holds an
/// error, for the error recovery of the whole-file parse.)
fn block_list(text: &str, key: &str) -> Option<Vec<(usize, usize)>> {
    let mut found = None;
    for (at, line) in lines_with_offsets(text) {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let rest = rest.trim_start();
            if found.is_some() || !(rest.is_empty() || rest.starts_with('#')) {
                return None;
            }
            found = Some(at + line.len());
        }
    }
    let start = found?;
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut indent = None;
    let mut end = text.len();
    for (at, line) in lines_with_offsets(text).filter(|(at, _)| *at > start) {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let depth = line.len() - trimmed.len();
        if depth == 0 {
            end = at;
            break;
        }
        let is_item = trimmed.starts_with("- ") || trimmed == "-";
        match indent {
            None if is_item => indent = Some(depth),
            None => return None,
            Some(i) if depth < i => return None,
            Some(i) if depth == i && !is_item => return None,
            _ => {}
        }
        if is_item && Some(depth) == indent {
            if let Some(last) = items.last_mut() {
                last.1 = at;
            }
            items.push((at, text.len()));
        }
    }
    if let Some(last) = items.last_mut() {
        last.1 = end;
    }
    (!items.is_empty()).then_some(items)
}

/// Every line (without its break) and its byte offset; a `\r\n`, `\n` or lone `\r` ends a line.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let len = bytes[start..].iter().position(|b| *b == b'\n' || *b == b'\r').unwrap_or(bytes.len() - start);
        at = start + len;
        if bytes.get(at) == Some(&b'\r') {
            at += 1;
        }
        if bytes.get(at) == Some(&b'\n') && (at == start + len || bytes[at - 1] == b'\r') {
            at += 1;
        }
        Some((start, &text[start..start + len]))
    })
}

/// The items (all but the first of each list), dealt into `workers` groups of consecutive
/// items of about the same cost: per group, the ranges to keep. The cost of an item is its
/// lines: parsing goes by values, and a spec has about one per line (by bytes, the copy
/// with the types, short lines of many small values, took 48 ms and the other 35; by
/// lines, 44 and 36).
///
/// The first group is the calling thread's. When the helpers are `busy` with other work
/// first, it takes a tenth of the items more (Baike: the platform file kept the helper
/// 0.35 ms, and the calling thread waited 0.2 ms for its copy).
fn deal(text: &str, lists: &[&[(usize, usize)]], workers: usize, busy: bool) -> Vec<Vec<(usize, usize)>> {
    let cost = |&(s, e): &(usize, usize)| 1 + text.as_bytes()[s..e].iter().filter(|b| **b == b'\n').count();
    let all: Vec<((usize, usize), usize)> = lists.iter().flat_map(|l| l.iter().map(|r| (*r, cost(r)))).collect();
    let ranges: Vec<(usize, usize)> = all.iter().map(|(r, _)| *r).collect();
    let may_start = may_start_at(text, &ranges);
    let total: usize = all.iter().map(|(_, c)| c).sum();
    let first = (total.div_ceil(workers) + if busy { total / 10 } else { 0 }).min(total).max(1);
    let share = (total - first).div_ceil(workers.saturating_sub(1).max(1)).max(1);
    let mut groups = vec![Vec::new()];
    let mut size = 0;
    for (k, (range, c)) in all.into_iter().enumerate() {
        let target = if groups.len() == 1 { first } else { share };
        if size >= target && groups.len() < workers && may_start[k] {
            groups.push(Vec::new());
            size = 0;
        }
        groups.last_mut().expect("one group").push(range);
        size += c;
    }
    groups
}

/// The text with every item of both lists commented out, except the first of each and
/// `keep`; items that run to the end of the text are cut off instead (nothing after them
/// can move).
fn comment_out_except(
    text: &str,
    types: &[(usize, usize)],
    endpoints: &[(usize, usize)],
    keep: &[(usize, usize)],
) -> String {
    let keep: HashSet<usize> = keep.iter().map(|(start, _)| *start).collect();
    let mut hidden: Vec<(usize, usize)> =
        types[1..].iter().chain(&endpoints[1..]).copied().filter(|(s, _)| !keep.contains(s)).collect();
    hidden.sort_unstable();
    let mut len = text.len();
    while let Some(&(s, _)) = hidden.last().filter(|(_, e)| *e == len) {
        len = s;
        hidden.pop();
    }
    let mut bytes = text.as_bytes()[..len].to_vec();
    for (s, e) in hidden {
        // Every line of an item is indented: its first byte, a space, becomes `#`.
        for (at, line) in lines_with_offsets(&text[s..e]) {
            if !line.is_empty() {
                bytes[s + at] = b'#';
            }
        }
    }
    // Only spaces at line starts were replaced, by an ASCII byte: the text stays UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse_in_copies;
    use crate::pool::Helpers;
    use crate::spec::ServiceFile;

    fn whole(text: &str) -> ServiceFile {
        serde_saphyr::from_str(text).expect("valid spec")
    }

    /// Same values, same locations (`Debug` shows every `Spanned` location).
    /// Also with the calling thread's larger share (helpers busy first).
    fn assert_same(text: &str, workers: usize) {
        for busy in [false, true] {
            let split = parse_in_copies(text, workers, &Helpers::NewThread, busy)
                .unwrap_or_else(|| panic!("split, workers {workers}, busy {busy}"));
            assert_eq!(format!("{split:?}"), format!("{:?}", whole(text)), "busy: {busy}");
        }
    }

    fn spec(name: &str) -> String {
        std::fs::read_to_string(format!("{}/../../spec/{name}", env!("CARGO_MANIFEST_DIR"))).expect("spec file")
    }

    /// `n` types and `n` endpoints, with comments, blank lines, block scalars and
    /// non-ASCII text between and inside items.
    fn synthetic(n: usize) -> String {
        let mut text = String::from(
            "# synthetic\nservice:\n  name: s\n  version: v1\n  title: \"S — 词典\"\n  platform: p.yaml\ntypes:\n",
        );
        for i in 0..n {
            text += &format!(
                "  # type {i}\n  - name: T{i}\n    description: |\n      Line one, 飞书.\n\n      - not an item\n    fields:\n      - {{ name: a, type: string, required: true }}\n      - name: b\n        type: T{i}[]\n\n"
            );
        }
        text += "x-anchors:\n  - &tokens [tenant, user]\nendpoints:\n";
        for i in 0..n {
            text += &format!(
                "  - name: r{i}.get\n    summary: Get {i}.\n    doc: https://example.com/{i}\n    method: GET\n    path: /r/{i}\n    tokens: *tokens\n    response: {{ kind: json, type: T{i} }}\n"
            );
        }
        text
    }

    #[test]
    fn copies_give_the_whole_file_model() {
        let text = synthetic(40);
        for workers in [2, 3, 8] {
            assert_same(&text, workers);
        }
        assert_same(&text.replace('\n', "\r\n"), 2);
        // The specs of this repository, whose anchors allow two copies.
        for name in ["baike-v1.yaml", "lingo-v1.yaml"] {
            assert_same(&spec(name), 2);
        }
    }

    #[test]
    fn an_anchor_used_in_another_copy_means_a_whole_parse() {
        let text = synthetic(40);
        let anchored = text.replacen("  - name: T1\n", "  - name: &t1 T1\n", 1);
        assert_same(&anchored, 2);
        // Used by the last item: no copy may start between them, so there is one copy.
        let used = anchored.replacen("summary: Get 39.", "summary: *t1", 1);
        assert!(parse_in_copies(&used, 2, &Helpers::NewThread, false).is_none());
    }

    #[test]
    fn an_anchor_and_its_aliases_stay_in_one_copy() {
        let text = synthetic(40);
        // Defined in type 25 and used by type 39, across the middle of the items, where
        // the copies would be cut (with and without a larger first share): they are cut after.
        let anchored = text.replacen("  - name: T25\n", "  - name: &t25 T25\n", 1);
        let used = anchored.replacen("        type: T39[]\n", "        type: *t25\n", 1);
        assert_ne!(used, anchored);
        assert_same(&used, 2);
    }

    #[test]
    fn unusual_files_are_parsed_whole() {
        let text = synthetic(40);
        // An anchor defined twice.
        assert!(parse_in_copies(&format!("{text}x-more: &tokens 1\n"), 2, &Helpers::NewThread, false).is_none());
        // Several documents, flow lists, lists at the key's indentation, one core.
        assert!(parse_in_copies(&format!("---\n{text}"), 2, &Helpers::NewThread, false).is_none());
        assert!(
            parse_in_copies(&text.replacen("types:\n", "types: []\nx-types:\n", 1), 2, &Helpers::NewThread, false)
                .is_none()
        );
        assert!(
            parse_in_copies(&text.replace("\n  - name: T", "\n- name: T"), 2, &Helpers::NewThread, false).is_none()
        );
        assert!(parse_in_copies(&text, 1, &Helpers::NewThread, false).is_none());
        // An item with an error: the caller parses whole and reports it.
        assert!(
            parse_in_copies(&text.replacen("summary: Get 30.", "sumary: Get 30.", 1), 2, &Helpers::NewThread, false)
                .is_none()
        );
    }
}
