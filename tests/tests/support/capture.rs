//! What the client logs, captured: a `tracing` subscriber for the current thread that writes
//! into memory (tests run on a current-thread runtime).

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

/// Everything the subscriber wrote.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// The log so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs a subscriber of events at `level` and above for this thread, until the guard drops.
pub fn capture(level: LevelFilter) -> (Capture, impl Sized) {
    let capture = Capture::default();
    let guard = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish()
        .set_default();
    (capture, guard)
}
