//! Diagnostics: every problem of a spec, with file, line, column, a labelled snippet and
//! a hint. Implements `miette::Diagnostic` for the CLI and renders as plain text for the
//! proc-macro and golden tests.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::source::SourceFile;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The spec cannot be generated.
    Error,
    /// Suspicious but generated anyway.
    Warning,
}

/// One problem found in a spec.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Display name of the file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte offset and length of the offending text.
    pub span: (usize, usize),
    /// Label under the offending text.
    pub label: String,
    /// How to fix it.
    pub hint: Option<String>,
    source: Arc<NamedSource<String>>,
}

/// A place in a spec file.
#[derive(Debug, Clone)]
pub struct Loc {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) offset: usize,
    pub(crate) len: usize,
}

impl Loc {
    /// A location from a serde-saphyr location in `file`.
    pub(crate) fn from_saphyr(file: &Arc<SourceFile>, loc: &serde_saphyr::Location) -> Self {
        let span = loc.span();
        let (offset, len) = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) if loc.line() > 0 => (o as usize, l as usize),
            _ => (file.offset_of(loc.line().max(1) as usize, loc.column().max(1) as usize), 1),
        };
        Self { file: Arc::clone(file), offset: offset.min(file.text.len()), len }
    }

    /// The start of `file`.
    pub(crate) fn start_of(file: &Arc<SourceFile>) -> Self {
        Self { file: Arc::clone(file), offset: 0, len: 0 }
    }
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        let (line, column) = loc.file.line_col(loc.offset);
        // Keep the label on the first line of multi-line values.
        let rest = &loc.file.text[loc.offset..];
        let len = loc.len.min(rest.find('\n').unwrap_or(rest.len())).max(usize::from(!rest.is_empty()));
        Self {
            severity,
            message: message.into(),
            file: loc.file.name.clone(),
            line,
            column,
            span: (loc.offset, len),
            label: label.into(),
            hint,
            source: Arc::new(NamedSource::new(loc.file.name.clone(), loc.file.text.clone())),
        }
    }

    /// Plain rendering: `file:line:col: error: message`, the source line with a caret, and the hint.
    pub fn render_plain(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let text = self.source.inner();
        let line_start = text[..self.span.0].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[self.span.0..].find('\n').map_or(text.len(), |i| self.span.0 + i);
        let line_text = &text[line_start..line_end];
        let pad = text[line_start..self.span.0].chars().count();
        let width = text[self.span.0..(self.span.0 + self.span.1).min(line_end)].chars().count().max(1);
        let gutter = self.line.to_string().len();
        let mut out = format!("{kind}: {}\n", self.message);
        out += &format!("{:gutter$}--> {}:{}:{}\n", "", self.file, self.line, self.column);
        out += &format!("{:gutter$} |\n", "");
        out += &format!("{} | {line_text}\n", self.line);
        out += &format!("{:gutter$} | {}{} {}\n", "", " ".repeat(pad), "^".repeat(width), self.label);
        if let Some(hint) = &self.hint {
            out += &format!("{:gutter$} = help: {hint}\n", "");
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.hint.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new(Some(self.label.clone()), self.span.0, self.span.1);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Every diagnostic of a run; an `Err` of generation holds at least one error.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// All diagnostics rendered as plain text.
    pub fn render_plain(&self) -> String {
        self.0.iter().map(Diagnostic::render_plain).collect::<Vec<_>>().join("\n")
    }

    pub(crate) fn error(
        &mut self,
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.0.push(Diagnostic::new(Severity::Error, loc, message, label, hint.into()));
    }

    pub(crate) fn warning(
        &mut self,
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.0.push(Diagnostic::new(Severity::Warning, loc, message, label, hint.into()));
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors().count();
        write!(f, "{n} error(s) in the spec")?;
        for d in self.errors() {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
