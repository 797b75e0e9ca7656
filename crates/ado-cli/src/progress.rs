//! Progress on standard error for long lists, through `indicatif`: drawn only when standard error
//! is a terminal (a log file or a CI step gets none), at most a few times a second.

use indicatif::{ProgressBar, ProgressStyle};

/// A running count of `what` (items of a list of unknown length); hidden unless `enabled`.
pub fn counter(what: &'static str, enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {pos} {msg} ({per_sec})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    ProgressBar::no_length().with_style(style).with_message(what)
}

/// A bar towards `total` items of `what`.
pub fn bar(what: &'static str, total: u64) -> ProgressBar {
    let style = ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("#>-");
    ProgressBar::new(total).with_style(style).with_message(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_counter_is_hidden_and_still_counts() {
        let counter = counter("items", false);
        counter.inc(3);
        assert!(counter.is_hidden());
        assert_eq!(counter.position(), 3);
    }

    #[test]
    fn the_bar_counts_towards_its_total() {
        let bar = bar("items", 10);
        bar.inc(4);
        assert_eq!((bar.position(), bar.length()), (4, Some(10)));
    }
}
