//! Spec files as loaded: their display name and text, for diagnostics. Every position
//! helper here accepts any offset (out of range, or inside a multi-byte character) and
//! never panics: diagnostics must render whatever the input was.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::NamedSource;

/// One loaded spec file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given (used to resolve relative references such as `platform:`).
    pub path: PathBuf,
    /// Name shown in diagnostics (the path relative to the working or manifest directory).
    pub name: String,
    /// The file's text.
    pub text: String,
    /// The text as a miette source, shared by the file's diagnostics.
    named: OnceLock<Arc<NamedSource<String>>>,
}

impl SourceFile {
    /// A file with its display name.
    pub fn new(path: &Path, name: String, text: String) -> Self {
        Self { path: path.to_path_buf(), name, text, named: OnceLock::new() }
    }

    /// The text as a miette source, made once.
    pub(crate) fn named(&self) -> Arc<NamedSource<String>> {
        Arc::clone(self.named.get_or_init(|| Arc::new(NamedSource::new(self.name.clone(), self.text.clone()))))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// `offset`, moved back to a character boundary and into `text`.
pub(crate) fn floor(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Byte range of the line holding `offset`, without its line break; `offset` (moved to a
/// character boundary) is always within it, even when it is the line break.
pub(crate) fn line_range(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
    (start, end.max(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_characters_and_past_the_end_are_safe() {
        let text = "a: 星云\nb: c\r\n";
        for o in 0..text.len() + 3 {
            let (l, c) = line_col(text, o);
            assert!(l >= 1 && c >= 1);
            let (s, e) = line_range(text, o);
            assert!(s <= e && e <= text.len());
        }
        assert_eq!(line_col(text, 4), (1, 4));
        assert_eq!(line_col(text, 5), (1, 4), "inside `星` floors to its start");
        assert_eq!(line_range(text, 12), (10, 14));
        // On the `\n` of a `\r\n`, the range still holds the offset (a fuzz finding).
        assert_eq!(line_range(text, 15), (10, 15));
        let cr = "a\r\r\r\nb";
        for o in 0..cr.len() {
            let (s, e) = line_range(cr, o);
            assert!(s <= o && o <= e, "{o}: {s}..{e}");
        }
    }
}
