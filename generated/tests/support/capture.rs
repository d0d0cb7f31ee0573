//! Captures everything logged in the test binary, at every level down to `TRACE`: every
//! `tracing` span and event with all its fields (this crate's, and its dependencies' such as
//! `hyper-util`), and every `log` record (what `reqwest` logs). Installed once per test binary
//! as the global subscriber and the global logger, so events of every thread and task count.

#![allow(dead_code)] // Each test binary uses part of it.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();

/// Installs the capture (once; later calls do nothing).
pub fn install() {
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(Recorder::default())
            .expect("no other global tracing subscriber");
        log::set_logger(&LOGGER).expect("no other logger");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Everything captured so far, one line per span, field record, event or log record.
pub fn lines() -> Vec<String> {
    LINES.lock().unwrap().clone()
}

fn push(line: String) {
    LINES.lock().unwrap().push(line);
}

#[derive(Default)]
struct Recorder {
    next_id: AtomicU64,
}

/// Writes every field of a span or event, formatted with `Debug`.
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let meta = span.metadata();
        let mut fields = Fields(format!(
            "span {} {} {}:",
            meta.level(),
            meta.target(),
            meta.name()
        ));
        span.record(&mut fields);
        push(fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields("record:".to_owned());
        values.record(&mut fields);
        push(fields.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut fields = Fields(format!("event {} {}:", meta.level(), meta.target()));
        event.record(&mut fields);
        push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

struct Logger;

static LOGGER: Logger = Logger;

impl log::Log for Logger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        push(format!(
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}
