//! An async client for the Feishu (Lark) Open Platform, for every endpoint of the generated
//! [`feishu_openapi`] crate.
//!
//! One [`Client::send`] takes any generated request and returns its typed data or its typed
//! error. Around it the client gets and caches the tenant access token, keeps under each
//! endpoint's documented rate limits, retries what the error says a retry can fix (backoff
//! with jitter, `x-ogw-ratelimit-reset` on HTTP 429) within one deadline per call, resends an
//! attempt that got no answer only when the endpoint's spec allows it, and traces each call
//! with its operation id and `X-Tt-Logid`. Secrets never reach `Debug` output or logs.
//!
//! ```no_run
//! use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
//! use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
//! use feishu_openapi::{BaseUrl, EndpointError};
//! use feishu_openapi_client::{Client, Error};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .base_url(BaseUrl::FEISHU)
//!     .app_credentials("cli_a1b2c3", "app secret")
//!     .build()?;
//! let request = UnbindMeetingChatRequest::new(
//!     CalendarId::new("feishu.cn_xxx@group.calendar.feishu.cn")?,
//!     EventId::new("75d28f9b-e35c-4230-8a83-123_0")?,
//!     MeetingChatId::new("oc_xxx")?,
//! );
//! match client.send(&request).await {
//!     Ok(response) => println!("unbound (log id {:?})", response.log_id),
//!     Err(Error::Api(error)) => {
//!         let advice = error.documented().map(|row| row.advice_en);
//!         println!("{error}; advice: {advice:?}");
//!     }
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod client;
mod error;
mod rate_limit;
mod retry;
#[cfg(feature = "redis")]
mod shared;
mod tenant_token;

/// The generated API the client sends, so that one dependency brings both. Enable its
/// services' features on your own `feishu-openapi` dependency (cargo unifies them).
pub use feishu_openapi;
/// The `http` crate whose types requests and responses are made of.
pub use http;

pub use client::{Client, ClientBuilder};
pub use error::{
    BuildError, DeadlineExceeded, Error, TokenError, TransportError, UncertainOutcome,
};
pub use retry::RetryPolicy;
#[cfg(feature = "redis")]
pub use shared::{InvalidRedisUrl, SharedRedis};

/// Checks the code blocks of the workspace README, so its examples cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
