//! A progress line on standard error for long lists, drawn only when standard error is a
//! terminal (a log file or a CI step gets none).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts items and redraws a line on standard error (only when it is a terminal, or forced).
pub struct Progress {
    what: &'static str,
    count: AtomicU64,
    shown: bool,
    total: Option<u64>,
}

impl Progress {
    /// A counter for `what`; drawn when `enabled` and standard error is a terminal.
    pub fn new(what: &'static str, enabled: bool) -> Self {
        Self {
            what,
            count: AtomicU64::new(0),
            shown: enabled && std::io::stderr().is_terminal(),
            total: None,
        }
    }

    /// A bar towards `total` (the demo's), drawn when standard error is a terminal.
    pub fn bar(what: &'static str, total: u64) -> Self {
        Self {
            what,
            count: AtomicU64::new(0),
            shown: std::io::stderr().is_terminal(),
            total: Some(total),
        }
    }

    /// One more item.
    pub fn tick(&self) {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        if self.shown && (n.is_multiple_of(100) || self.total == Some(n)) {
            self.draw(n);
        }
    }

    fn draw(&self, n: u64) {
        let line = match self.total {
            Some(total) if total > 0 => {
                let filled = (n * 30 / total).min(30) as usize;
                format!(
                    "\r[{}{}] {n}/{total} {}",
                    "#".repeat(filled),
                    " ".repeat(30 - filled),
                    self.what
                )
            }
            _ => format!("\r{n} {}…", self.what),
        };
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
    }

    /// How many items were counted.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// End the line.
    pub fn finish(&self) {
        if self.shown && self.count() >= 100 {
            self.draw(self.count());
            eprintln!();
        }
    }
}
