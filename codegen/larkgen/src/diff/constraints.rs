//! Constraints checked before sending: which bounds moved, and whether the new ones refuse a
//! value the old ones allowed (tightened) or only allow more (loosened).

use super::{ChangeKind, Changes, Rule};
use crate::ir::Rules;

/// One change for all the constraints of an input or field that moved: tightened when any
/// bound refuses something the old bounds allowed, loosened otherwise.
pub(crate) fn compare(at: &[&str], old: &Rules, new: &Rules, out: &mut Changes) {
    let mut moved = Vec::new();
    let mut tighter = false;
    let lower = [
        ("min_length", old.min_length, new.min_length),
        ("min_items", old.min_items, new.min_items),
        ("min_bytes", old.min_bytes, new.min_bytes),
    ];
    let upper = [
        ("max_length", old.max_length, new.max_length),
        ("max_items", old.max_items, new.max_items),
        ("max_bytes", old.max_bytes, new.max_bytes),
    ];
    for (name, o, n) in lower {
        tighter |= bound(&mut moved, name, o, n, |o, n| n > o);
    }
    tighter |= bound(&mut moved, "min", old.min, new.min, |o, n| n > o);
    for (name, o, n) in upper {
        tighter |= bound(&mut moved, name, o, n, |o, n| n < o);
    }
    tighter |= bound(&mut moved, "max", old.max, new.max, |o, n| n < o);
    if old.forbidden_chars != new.forbidden_chars {
        moved.push(format!("forbidden_chars {:?} → {:?}", old.forbidden_chars, new.forbidden_chars));
        tighter |= new.forbidden_chars.chars().any(|c| !old.forbidden_chars.contains(c));
    }
    if old.extensions != new.extensions {
        moved.push(format!("extensions [{}] → [{}]", old.extensions.join(", "), new.extensions.join(", ")));
        // No extension listed allows every file.
        tighter |= !new.extensions.is_empty()
            && (old.extensions.is_empty() || old.extensions.iter().any(|e| !new.extensions.contains(e)));
    }
    if !moved.is_empty() {
        report(at, moved, tighter, out);
    }
}

/// An object's `at_least_one_of`: none means no rule; fewer alternatives is stricter.
pub(crate) fn at_least_one_of(at: &[&str], old: &[String], new: &[String], out: &mut Changes) {
    if old == new {
        return;
    }
    // Setting only a field the new list lacks no longer passes.
    let tighter = !new.is_empty() && (old.is_empty() || old.iter().any(|f| !new.contains(f)));
    let text = format!("at_least_one_of [{}] → [{}]", old.join(", "), new.join(", "));
    report(at, vec![text], tighter, out);
}

fn report(at: &[&str], moved: Vec<String>, tighter: bool, out: &mut Changes) {
    let rule = if tighter { Rule::ConstraintTightened } else { Rule::ConstraintLoosened };
    out.push(at, ChangeKind::Changed, rule, moved.join(", "));
}

/// Records a bound that moved; true when the new one refuses what the old allowed: a bound
/// where there was none, or one `stricter` than the old.
fn bound<T: PartialEq + Copy + std::fmt::Display>(
    moved: &mut Vec<String>,
    name: &str,
    old: Option<T>,
    new: Option<T>,
    stricter: impl Fn(T, T) -> bool,
) -> bool {
    if old == new {
        return false;
    }
    let show = |v: Option<T>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    moved.push(format!("{name} {} → {}", show(old), show(new)));
    match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => stricter(o, n),
    }
}
