//! Diagnostics: every problem of a spec, with file, line, column, a labelled snippet and
//! a hint. Implements `miette::Diagnostic` for the CLI and renders as plain text for the
//! proc-macro and golden tests.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode};
use unicode_width::UnicodeWidthChar;

use crate::source::{self, SourceFile};

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
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset and length of the offending text.
    pub span: (usize, usize),
    /// Label under the offending text.
    pub label: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Other places of the same file that explain the problem, such as where a value defined
    /// under a YAML anchor is used through an alias.
    pub notes: Vec<Note>,
    source: Arc<NamedSource<String>>,
}

/// A secondary place of a diagnostic, in the same file.
#[derive(Debug, Clone)]
pub struct Note {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset and length of the text.
    pub span: (usize, usize),
    /// What this place has to do with the problem.
    pub label: String,
}

/// A place in a spec file.
#[derive(Debug, Clone)]
pub struct Loc {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) offset: usize,
    pub(crate) len: usize,
    /// Other places of the same file worth showing: byte offset, length, label.
    pub(crate) notes: Vec<(usize, usize, String)>,
}

impl Loc {
    /// `span` of `file`; for a value reached through an alias, also where it is used.
    pub(crate) fn of(file: &Arc<SourceFile>, span: (usize, usize), used: Option<(usize, usize)>) -> Self {
        let loc = Self::at(file, span);
        match used {
            Some((at, len)) => loc.with_note(at, len, "used here, through an alias of the value above"),
            None => loc,
        }
    }

    /// `len` bytes at `offset` of `file`, both clamped to the text and its characters.
    pub(crate) fn at(file: &Arc<SourceFile>, (offset, len): (usize, usize)) -> Self {
        let offset = source::floor(&file.text, offset);
        let len = source::floor(&file.text, offset.saturating_add(len)) - offset;
        Self { file: Arc::clone(file), offset, len, notes: Vec::new() }
    }

    /// This location with a note on another place of the same file.
    pub(crate) fn with_note(mut self, offset: usize, len: usize, label: impl Into<String>) -> Self {
        self.notes.push((offset, len, label.into()));
        self
    }

    /// The start of `file`.
    pub(crate) fn start_of(file: &Arc<SourceFile>) -> Self {
        Self::at(file, (0, 0))
    }

    /// A problem of no place in any text, shown as in the file `name`.
    pub(crate) fn nowhere(path: &Path, name: impl Into<String>) -> Self {
        Self::start_of(&Arc::new(SourceFile::new(path, name.into(), String::new())))
    }
}

/// The part of `[offset, offset + len)` on the line of `offset`, at least one character
/// wide unless the line ends there.
fn clamp_to_line(text: &str, offset: usize, len: usize) -> (usize, usize) {
    let offset = source::floor(text, offset);
    let (_, line_end) = source::line_range(text, offset);
    let end = source::floor(text, offset.saturating_add(len).min(line_end)).max(offset);
    if end > offset {
        return (offset, end - offset);
    }
    let next = text[offset..line_end.max(offset)].chars().next().map_or(0, char::len_utf8);
    (offset, next)
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        let place = |offset: usize, len: usize, label: String| {
            let span = clamp_to_line(&loc.file.text, offset, len);
            let (line, column) = loc.file.line_col(span.0);
            Note { line, column, span, label }
        };
        let main = place(loc.offset, loc.len, label.into());
        let notes = loc.notes.iter().map(|(offset, len, label)| place(*offset, *len, label.clone())).collect();
        Self {
            severity,
            message: message.into(),
            file: loc.file.name.clone(),
            line: main.line,
            column: main.column,
            span: main.span,
            label: main.label,
            hint,
            notes,
            source: loc.file.named(),
        }
    }

    /// Plain rendering: `file:line:col: error: message`, the source line with a caret, and the hint.
    pub fn render_plain(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let text = self.source.inner();
        let gutter = self.notes.iter().map(|n| n.line).chain([self.line]).max().unwrap_or(1).to_string().len();
        let mut out = format!("{kind}: {}\n", self.message);
        out += &format!("{:gutter$}--> {}:{}:{}\n", "", self.file, self.line, self.column);
        if !text.is_empty() {
            out += &format!("{:gutter$} |\n", "");
            out += &snippet(text, self.line, self.span, &self.label, gutter);
            for n in &self.notes {
                out += &format!("{:gutter$}::: {}:{}:{}\n", "", self.file, n.line, n.column);
                out += &format!("{:gutter$} |\n", "");
                out += &snippet(text, n.line, n.span, &n.label, gutter);
            }
        }
        if let Some(hint) = &self.hint {
            out += &format!("{:gutter$} = help: {hint}\n", "");
        }
        out
    }
}

/// One source line with a caret line under `span`.
fn snippet(text: &str, line: usize, span: (usize, usize), label: &str, gutter: usize) -> String {
    let (start, end) = source::line_range(text, span.0);
    let at = source::floor(text, span.0).clamp(start, end);
    let until = source::floor(text, at.saturating_add(span.1)).clamp(at, end);
    let pad = display_width(&text[start..at]);
    let width = display_width(&text[at..until]).max(1);
    let shown: String = text[start..end]
        .trim_end_matches('\r')
        .chars()
        .map(|c| match c {
            '\t' => "    ".to_owned(),
            c if c.is_control() => "\u{fffd}".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let caret = format!("{}{}", " ".repeat(pad), "^".repeat(width));
    let caret = if label.is_empty() { caret } else { format!("{caret} {label}") };
    format!("{line:>gutter$} | {shown}\n{:gutter$} | {caret}\n", "")
}

/// Columns `s` takes as rendered: tabs count four, other control characters (shown as
/// `\u{fffd}`) one, wide characters two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '\t' => 4,
            c if c.is_control() => 1,
            c => UnicodeWidthChar::width(c).unwrap_or(0),
        })
        .sum()
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
        let label = LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span);
        let notes = self.notes.iter().map(|n| LabeledSpan::new(Some(n.label.clone()), n.span.0, n.span.1));
        Some(Box::new(std::iter::once(label).chain(notes)))
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

    /// Puts the diagnostics of each file in the order of their place in it; files keep the
    /// order in which they first got a diagnostic.
    pub(crate) fn sort(&mut self) {
        let mut files: Vec<String> = Vec::new();
        for d in &self.0 {
            if !files.contains(&d.file) {
                files.push(d.file.clone());
            }
        }
        self.0.sort_by_key(|d| (files.iter().position(|f| *f == d.file), d.span.0));
        self.merge_uses();
    }

    /// One mistake inside a YAML anchor is found once per alias that uses it: it is kept once,
    /// with a note at every use.
    fn merge_uses(&mut self) {
        let mut merged: Vec<Diagnostic> = Vec::with_capacity(self.0.len());
        for d in self.0.drain(..) {
            match merged.iter_mut().find(|m| m.file == d.file && m.span == d.span && m.message == d.message) {
                Some(first) => {
                    for note in d.notes {
                        if !first.notes.iter().any(|n| n.span == note.span) {
                            first.notes.push(note);
                        }
                    }
                }
                None => merged.push(d),
            }
        }
        self.0 = merged;
    }

    pub(crate) fn error(
        &mut self,
        loc: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.0.push(Diagnostic::new(Severity::Error, loc, message, label, Some(hint.into())));
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
