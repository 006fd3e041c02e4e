//! Reading spec files from disk or memory (the first half of load; yaml.rs parses what is
//! read), and the did-you-mean matching every stage's hints share.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostics, Loc};
use crate::source::SourceFile;

/// Where spec files come from: the file system, or texts held in memory (tests, fuzzing).
#[derive(Clone, Copy)]
pub(crate) enum Files<'a> {
    /// Read files from disk.
    Disk,
    /// `(path, text)` pairs; a path not among them does not exist.
    Memory(&'a [(PathBuf, String)]),
}

impl Files<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self {
            Files::Disk => std::fs::read(path),
            Files::Memory(files) => files
                .iter()
                .find(|(p, _)| normalize(p) == normalize(path))
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")),
        }
    }

    /// A path made absolute and free of `.` and `..` where possible, for comparisons.
    pub(crate) fn normalize(&self, path: &Path) -> PathBuf {
        match self {
            Files::Disk => path.canonicalize().unwrap_or_else(|_| normalize(path)),
            Files::Memory(_) => normalize(path),
        }
    }
}

/// `path` without `.` components and with `..` applied lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads a file, naming it relative to `base` in diagnostics. `from` is where another file
/// names it. A file that is not UTF-8 is reported at its first bad byte.
pub(crate) fn read(
    files: Files<'_>,
    path: &Path,
    base: &Path,
    diags: &mut Diagnostics,
    from: Option<&Loc>,
) -> Option<Arc<SourceFile>> {
    let name = display_name(path, base);
    let bytes = match files.read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("cannot read spec file `{name}`: {e}");
            match from {
                Some(loc) => diags.error(
                    loc,
                    message,
                    "names a file that cannot be read",
                    "check the path; it is relative to the file that names it",
                ),
                None => diags.error(&Loc::nowhere(path, name), message, "", "check the path"),
            }
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(Arc::new(SourceFile::new(path, name, text))),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = Arc::new(SourceFile::new(path, name, text));
            diags.error(
                &Loc::at(&file, (at, 1)),
                "the file is not UTF-8 text",
                "invalid UTF-8 starts here",
                "save the spec as UTF-8",
            );
            None
        }
    }
}

/// A path as shown to the user: relative to `base` when inside it.
pub(crate) fn display_name(path: &Path, base: &Path) -> String {
    let shown: PathBuf = path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf());
    shown.to_string_lossy().replace('\\', "/")
}

/// Edit distance with adjacent transpositions (optimal string alignment), for
/// did-you-mean hints: `GTE` is one edit from `GET`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Row 0 and column 0 hold the distances from the empty prefix; the rest is overwritten.
    let mut d: Vec<Vec<usize>> = (0..=a.len()).map(|i| vec![i; b.len() + 1]).collect();
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The best match of `name` among `known`, for did-you-mean hints: at most a third of the
/// candidate's letters differ (one for short names), and never the whole name.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    if len > 64 {
        return None;
    }
    let lower = name.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= 1.max(k.chars().count() / 3) && *d < len)
        .min()
        .map(|(_, k)| k)
}

/// "did you mean `x`?" for the best match of `name` among `known`, else `otherwise`.
pub(crate) fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>, otherwise: &str) -> String {
    closest(name, known).map_or_else(|| otherwise.to_owned(), |c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        assert_eq!(closest("sumary", ["summary", "name"]), Some("summary"));
        assert_eq!(closest("x", ["a", "b"]), None);
        assert_eq!(closest("GTE", ["GET", "PUT"]), Some("GET"));
        assert_eq!(closest("InvalidParm", ["InvalidParam", "NetworkAnomaly"]), Some("InvalidParam"));
    }
}
