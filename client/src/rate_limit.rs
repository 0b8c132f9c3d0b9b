//! Keeping under each endpoint's documented rate limits, so a busy caller waits here instead
//! of earning HTTP 429s.
//!
//! The server counts a call when it arrives, which is some time after it was sent and before
//! its answer is back. So a call holds its place in every window from the moment it is sent
//! until a full period after its answer: however long the network or the server takes, no
//! `limit + 1` calls can arrive within one period.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use feishu_openapi::Operation;

/// One limiter per endpoint, built from its `OPERATION.rate_limits`.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    endpoints: Mutex<HashMap<&'static str, Arc<EndpointLimiter>>>,
}

impl RateLimiter {
    /// Waits until a call to `operation` fits all of its limits; the call holds its place
    /// until the returned permit is dropped, when its answer is in (or it was given up).
    pub(crate) async fn acquire(&self, operation: &'static Operation) -> Option<Permit> {
        if operation.rate_limits.is_empty() {
            return None;
        }
        let endpoint = {
            let mut endpoints = self
                .endpoints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let endpoint = endpoints.entry(operation.id).or_insert_with(|| {
                let limits = operation
                    .rate_limits
                    .iter()
                    .map(|limit| Limit {
                        calls: limit.limit.max(1) as usize,
                        period: limit.period.duration(),
                    })
                    .collect();
                Arc::new(EndpointLimiter {
                    limits,
                    calls: Mutex::default(),
                    released: tokio::sync::Notify::new(),
                    queue: tokio::sync::Mutex::new(()),
                })
            });
            Arc::clone(endpoint)
        };
        Some(endpoint.acquire().await)
    }
}

#[derive(Debug, Clone, Copy)]
struct Limit {
    calls: usize,
    period: Duration,
}

#[derive(Debug)]
struct EndpointLimiter {
    limits: Vec<Limit>,
    calls: Mutex<Calls>,
    /// Woken when a call's answer is in, which may free a place.
    released: tokio::sync::Notify,
    /// Callers wait their turn in order, so none starves.
    queue: tokio::sync::Mutex<()>,
}

/// Calls that still hold a place: in flight (`None`) or answered at the given time.
#[derive(Debug, Default)]
struct Calls {
    next_id: u64,
    held: Vec<(u64, Option<Instant>)>,
}

/// When a new call fits.
#[derive(Debug, PartialEq, Eq)]
enum Room {
    Now,
    At(Instant),
    /// When a call in flight is answered.
    AfterRelease,
}

impl Calls {
    fn room(&mut self, limits: &[Limit], now: Instant) -> Room {
        let longest = limits.iter().map(|l| l.period).max().unwrap_or_default();
        self.held.retain(|(_, answered)| {
            answered.is_none_or(|at| now.saturating_duration_since(at) < longest)
        });
        let mut room = Room::Now;
        for limit in limits {
            let mut holding: Vec<Option<Instant>> = self
                .held
                .iter()
                .map(|&(_, answered)| answered)
                .filter(|answered| {
                    answered.is_none_or(|at| now.saturating_duration_since(at) < limit.period)
                })
                .collect();
            if holding.len() < limit.calls {
                continue;
            }
            // That many must leave the window: answered calls in the order they were answered,
            // calls in flight (sorted last) only once answered.
            let must_leave = holding.len() - limit.calls + 1;
            holding.sort_by(|a, b| match (a, b) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            });
            room = match (room, holding[must_leave - 1]) {
                (Room::AfterRelease, _) | (_, None) => Room::AfterRelease,
                (Room::Now, Some(at)) => Room::At(at + limit.period),
                (Room::At(earlier), Some(at)) => Room::At(earlier.max(at + limit.period)),
            };
        }
        room
    }

    fn hold(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.held.push((id, None));
        id
    }
}

impl EndpointLimiter {
    fn calls(&self) -> MutexGuard<'_, Calls> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn acquire(self: Arc<Self>) -> Permit {
        let _turn = self.queue.lock().await;
        loop {
            // Listen before looking, so that a release in between is not missed.
            let released = self.released.notified();
            tokio::pin!(released);
            released.as_mut().enable();
            let room = {
                let mut calls = self.calls();
                let room = calls.room(&self.limits, Instant::now());
                if room == Room::Now {
                    let id = calls.hold();
                    return Permit {
                        endpoint: Arc::clone(&self),
                        id,
                    };
                }
                room
            };
            tracing::debug!(?room, "waiting for the endpoint's rate limit");
            match room {
                Room::At(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at.into()) => {}
                        () = released => {}
                    }
                }
                Room::AfterRelease | Room::Now => released.await,
            }
        }
    }
}

/// A call's place in its endpoint's windows; dropping it starts the period it still holds.
#[derive(Debug)]
pub(crate) struct Permit {
    endpoint: Arc<EndpointLimiter>,
    id: u64,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let now = Instant::now();
        if let Some(call) = self
            .endpoint
            .calls()
            .held
            .iter_mut()
            .find(|(id, _)| *id == self.id)
        {
            call.1 = Some(now);
        }
        self.endpoint.released.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_PER_SECOND: &[Limit] = &[Limit {
        calls: 2,
        period: Duration::from_secs(1),
    }];

    #[test]
    fn calls_hold_their_place_until_a_period_after_their_answer() {
        let start = Instant::now();
        let mut calls = Calls::default();
        assert_eq!(calls.room(TWO_PER_SECOND, start), Room::Now);
        let first = calls.hold();
        calls.hold();
        // Both in flight: only an answer can make room.
        assert_eq!(calls.room(TWO_PER_SECOND, start), Room::AfterRelease);
        let answered = start + Duration::from_millis(300);
        calls
            .held
            .iter_mut()
            .find(|(id, _)| *id == first)
            .unwrap()
            .1 = Some(answered);
        assert_eq!(
            calls.room(TWO_PER_SECOND, answered),
            Room::At(answered + Duration::from_secs(1))
        );
        assert_eq!(
            calls.room(TWO_PER_SECOND, answered + Duration::from_secs(1)),
            Room::Now
        );
    }

    #[test]
    fn every_limit_must_have_room() {
        let limits = [
            Limit {
                calls: 3,
                period: Duration::from_secs(60),
            },
            Limit {
                calls: 2,
                period: Duration::from_secs(1),
            },
        ];
        let start = Instant::now();
        let mut calls = Calls::default();
        for offset in [0, 0, 2000] {
            calls.hold();
            calls.held.last_mut().unwrap().1 = Some(start + Duration::from_millis(offset));
        }
        // The one-second window has room again; the one-minute window is full until a minute
        // after the first answer.
        let now = start + Duration::from_millis(3000);
        assert_eq!(
            calls.room(&limits, now),
            Room::At(start + Duration::from_secs(60))
        );
    }
}
