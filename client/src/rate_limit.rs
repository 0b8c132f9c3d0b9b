//! Keeping under each endpoint's documented rate limits, so a busy caller waits here instead
//! of earning HTTP 429s.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feishu_openapi::{Operation, RateLimit};

/// Sliding windows per endpoint, built from its `OPERATION.rate_limits`.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    endpoints: Mutex<HashMap<&'static str, Arc<tokio::sync::Mutex<Vec<Window>>>>>,
}

/// Calls started in the last `span`, for one limit.
#[derive(Debug)]
struct Window {
    limit: usize,
    span: Duration,
    started: VecDeque<Instant>,
}

impl Window {
    fn new(limit: &RateLimit) -> Self {
        let period = limit.period.duration();
        Window {
            limit: limit.limit.max(1) as usize,
            // A tenth more than the period: a call counted here at t may reach the server a
            // little later than the one counted at t + period.
            span: period + period / 10,
            started: VecDeque::new(),
        }
    }

    /// When one more call fits, if not now.
    fn next_free(&mut self, now: Instant) -> Option<Instant> {
        while self
            .started
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) >= self.span)
        {
            self.started.pop_front();
        }
        (self.started.len() >= self.limit)
            .then(|| self.started[self.started.len() - self.limit] + self.span)
    }
}

impl RateLimiter {
    /// Waits until a call to `operation` fits every one of its limits, and counts it.
    ///
    /// Callers queue in order, so none starves.
    pub(crate) async fn acquire(&self, operation: &'static Operation) {
        if operation.rate_limits.is_empty() {
            return;
        }
        let windows = {
            let mut endpoints = self
                .endpoints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let windows = endpoints.entry(operation.id).or_insert_with(|| {
                let windows = operation.rate_limits.iter().map(Window::new).collect();
                Arc::new(tokio::sync::Mutex::new(windows))
            });
            Arc::clone(windows)
        };
        let mut windows = windows.lock().await;
        loop {
            let now = Instant::now();
            let free_at = windows.iter_mut().filter_map(|w| w.next_free(now)).max();
            match free_at {
                None => break,
                Some(free_at) => {
                    tracing::debug!(
                        wait_ms = free_at.saturating_duration_since(now).as_millis() as u64,
                        "waiting for the endpoint's rate limit"
                    );
                    tokio::time::sleep_until(free_at.into()).await;
                }
            }
        }
        let now = Instant::now();
        for window in windows.iter_mut() {
            window.started.push_back(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feishu_openapi::RatePeriod;

    #[test]
    fn a_full_window_frees_a_tenth_after_its_period() {
        let mut window = Window::new(&RateLimit {
            limit: 2,
            period: RatePeriod::Second,
        });
        let start = Instant::now();
        assert_eq!(window.next_free(start), None);
        window.started.push_back(start);
        window.started.push_back(start + Duration::from_millis(10));
        assert_eq!(
            window.next_free(start + Duration::from_millis(20)),
            Some(start + Duration::from_millis(1100))
        );
        assert_eq!(window.next_free(start + Duration::from_millis(1100)), None);
    }
}
