//! Counting calls in sliding windows, as the platform counts them for its rate limits.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Call times per key. A key names one limit: who is counted, for what, over which period.
#[derive(Debug, Default)]
pub(crate) struct Windows {
    calls: HashMap<String, VecDeque<Instant>>,
}

impl Windows {
    /// `None` when fewer than `limit` calls were counted under `key` in the `period` before
    /// `now`; otherwise how long until one more fits.
    pub(crate) fn wait(
        &mut self,
        key: &str,
        limit: u32,
        period: Duration,
        now: Instant,
    ) -> Option<Duration> {
        let calls = self.calls.get_mut(key)?;
        while calls
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) >= period)
        {
            calls.pop_front();
        }
        let limit = limit as usize;
        if calls.len() < limit {
            return None;
        }
        let oldest_counted = calls[calls.len() - limit];
        Some((oldest_counted + period).saturating_duration_since(now))
    }

    /// Counts a call under `key` at `now`.
    pub(crate) fn count(&mut self, key: String, now: Instant) {
        self.calls.entry(key).or_default().push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_limit_in_a_window_then_once_the_oldest_call_leaves_it() {
        let mut windows = Windows::default();
        let start = Instant::now();
        let second = Duration::from_secs(1);
        for _ in 0..3 {
            assert_eq!(windows.wait("k", 3, second, start), None);
            windows.count("k".into(), start);
        }
        let later = start + Duration::from_millis(400);
        assert_eq!(
            windows.wait("k", 3, second, later),
            Some(Duration::from_millis(600))
        );
        assert_eq!(windows.wait("k", 3, second, start + second), None);
        assert_eq!(windows.wait("other", 3, second, start), None);
    }
}
