//! Spec files as loaded: their display name and text, for diagnostics.

use std::path::{Path, PathBuf};

/// One loaded spec file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given (used to resolve relative references such as `platform:`).
    pub path: PathBuf,
    /// Name shown in diagnostics (the path relative to the working or manifest directory).
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// A file with its display name.
    pub fn new(path: &Path, name: String, text: String) -> Self {
        Self { path: path.to_path_buf(), name, text }
    }

    /// Byte offset of a 1-based line and column (column counted in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let col = l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
                return offset + col;
            }
            offset += l.len();
        }
        self.text.len()
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, self.text[line_start..offset].chars().count() + 1)
    }
}
