//! Home of the trybuild cases in `cases/` (see `tests/ui.rs`).
