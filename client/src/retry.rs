//! When and how long to wait before sending a failed call again.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

/// How often, and after how long, a call that failed in a way a retry can fix is sent again.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`, each drawn at random
/// between half and all of that value, so that many callers do not retry in step. An HTTP 429
/// with `x-ogw-ratelimit-reset` waits that many seconds instead. No wait starts that would end
/// past the call's deadline ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 200 ms up to 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Every call is sent once (a token refresh still gets its one retry).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sends a call at most `max_attempts` times in all (at least once).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Backoff starts at `initial` and doubles up to `max`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait after the `failed_attempts`-th failure: exponential, capped, with jitter.
    pub(crate) fn backoff(&self, failed_attempts: u32) -> Duration {
        let exponent = failed_attempts.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        // Equal jitter: half fixed, half random.
        let half = ceiling / 2;
        half + half.mul_f64(random_unit())
    }
}

/// A number in [0, 1), random enough to spread retries (std's hasher keys are random).
fn random_unit() -> f64 {
    let bits = RandomState::new().hash_one(std::time::Instant::now()) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_stops_at_the_cap() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = policy.backoff(30);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
    }

    #[test]
    fn jitter_spreads_waits() {
        let policy = RetryPolicy::default();
        let waits: std::collections::HashSet<_> = (0..20).map(|_| policy.backoff(3)).collect();
        assert!(waits.len() > 1, "20 waits were all equal: {waits:?}");
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
    }
}
