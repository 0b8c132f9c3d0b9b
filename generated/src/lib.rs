//! Typed Feishu (Lark) Open Platform API, generated from one YAML source of truth.
//!
//! Every endpoint is described once in `spec/*.yaml` and turned into a module here by the
//! generator in `codegen/`. This crate does no I/O: it builds an [`http::Request`] and decodes
//! the status, headers and body you got back, so it works with any HTTP client.
//!
//! ```
//! use feishu_openapi::calendar::v4::{UnbindMeetingChatError, UnbindMeetingChatRequest};
//! use feishu_openapi::{AccessToken, BaseUrl, Endpoint};
//!
//! let request = UnbindMeetingChatRequest::new(
//!     "feishu.cn_xxx@group.calendar.feishu.cn",
//!     "75d28f9b-e35c-4230-8a83-123_0",
//!     "oc_xxx",
//! )?;
//! let token = AccessToken::tenant("t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234")?;
//! let http_request = request.http_request(&BaseUrl::FEISHU, &token)?;
//! assert_eq!(
//!     http_request.uri(),
//!     "https://open.feishu.cn/open-apis/calendar/v4/calendars/feishu.cn_xxx@group.calendar.feishu.cn\
//!      /events/75d28f9b-e35c-4230-8a83-123_0/meeting_chat?meeting_chat_id=oc_xxx"
//! );
//!
//! // ... send it with any client, then decode what came back:
//! let body = br#"{"code":195107,"msg":"no permission unbind meeting chat"}"#;
//! let outcome = UnbindMeetingChatRequest::decode_response(
//!     http::StatusCode::FORBIDDEN,
//!     &http::HeaderMap::new(),
//!     body,
//! );
//! assert!(matches!(outcome, Err(UnbindMeetingChatError::NoPermissionUnbindMeetingChat(_))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

// Generated code is laid out by prettyplease, not rustfmt: `codegen check` owns its format.
#[rustfmt::skip]
mod api;
mod auth;
mod base_url;
mod endpoint;
mod operation;
mod params;
mod response;

pub use api::platform::PlatformError;
pub use api::*;
pub use auth::{AccessToken, InvalidToken, TokenType};
pub use base_url::{BaseUrl, InvalidBaseUrl};
pub use endpoint::{BuildRequestError, Endpoint, EndpointError, JSON_CONTENT_TYPE, to_json_body};
pub use operation::{
    AppType, ErrorCodeInfo, Operation, PlatformErrorInfo, RateLimit, RatePeriod, Scope,
    UnknownOutcome,
};
pub use params::{InvalidParam, InvalidParamReason, PathAndQuery};
pub use response::{
    ApiResponse, ErrorResponse, LOG_ID_HEADER, MalformedResponse, ResponseFailure, decode_envelope,
};

/// Checks the code blocks of the workspace README, so its consumer example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
