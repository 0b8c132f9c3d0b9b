//! Trouble on demand: what a test asks the next calls to an endpoint to run into.

use std::time::Duration;

/// Something that happens to the next call to an endpoint (the token issuer is spared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The endpoint's internal service error (HTTP 500).
    InternalError,
    /// HTTP 429, code 99991400, with `x-ogw-ratelimit-reset: reset_seconds`.
    RateLimited {
        /// Seconds the caller is told to wait.
        reset_seconds: u64,
    },
    /// The response starts, then the connection is cut.
    DropConnection,
    /// The server waits this long before it handles the call (then handles it).
    Stall(Duration),
    /// The server handles the call (a change is made), then waits this long before answering:
    /// a client that gives up meanwhile cannot know that its call was applied.
    StallAnswer(Duration),
    /// The server handles the call (a change is made), then cuts the connection instead of
    /// answering.
    DropAnswer,
    /// The call is answered with this code, as the page or the platform documents it: the
    /// endpoint's row's HTTP status and message, or a platform code's (HTTP 400; 429 with the
    /// `x-ogw-ratelimit-*` headers for the rate limit).
    Answer(i64),
}
