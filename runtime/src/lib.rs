//! The hand-written runtime that the generated `feishu-openapi` crate builds on.
//!
//! Consumers use it through `feishu-openapi`, which re-exports everything here; depend on this
//! crate directly only to write an endpoint by hand. Items that only generated code needs are
//! `pub` but `#[doc(hidden)]`, as in progenitor-client: they are not part of the API a user
//! writes against.
#![deny(missing_docs)]

mod api_error;
mod auth;
mod base_url;
mod download;
mod endpoint;
mod error;
mod id;
mod multipart;
mod operation;
mod params;
mod response;
mod secret;

pub use api_error::{ApiError, ErrorTable, PageErrorTable, PlatformCodes, ServiceCodes};
pub use auth::{AccessToken, InvalidToken, TokenType};
pub use base_url::{BaseUrl, InvalidBaseUrl};
pub use download::{Download, decode_download};
pub use endpoint::{BuildRequestError, Endpoint, JSON_CONTENT_TYPE, to_json_body};
pub use error::{EndpointError, ErrorView};
pub use id::{Id, IdKind};
pub use multipart::{FilePart, Multipart};
pub use operation::{
    AppType, ErrorCodeInfo, Operation, PlatformErrorInfo, RateLimit, RatePeriod, Scope,
    UnknownOutcome,
};
pub use params::{InvalidParam, InvalidParamReason, PathAndQuery};
pub use response::{
    ApiResponse, ErrorResponse, LOG_ID_HEADER, MalformedResponse, ResponseFailure, decode_envelope,
};
pub use secret::Secret;
