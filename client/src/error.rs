//! What can go wrong with a call: the endpoint's own typed error, or the client's failures
//! around it (transport, timeout, tenant token).

use std::fmt;

use feishu_openapi::{BuildRequestError, EndpointError, ErrorResponse, MalformedResponse};

/// Why a call failed. `E` is the endpoint's error type, e.g. `UnbindMeetingChatError`.
///
/// [`Error::Api`] holds what the endpoint answered; the other variants say why there was no
/// answer to read. Retries have already happened when this is returned.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The endpoint answered with an error: a documented code (with its advice), a
    /// platform-wide code (its `Platform` variant, e.g. 99991672 missing scope), an undocumented
    /// one (`Unknown`), or a body that is not the API's envelope.
    Api(E),
    /// No tenant access token could be had.
    Token(TokenError),
    /// No complete answer: the connection could not be made, or was dropped.
    Transport(TransportError),
    /// No answer within the client's timeout.
    Timeout(TransportError),
    /// The request could not be built, e.g. the endpoint takes no token of the type given.
    Request(BuildRequestError),
}

impl<E: EndpointError> Error<E> {
    /// The endpoint's error, when the endpoint answered.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The API's `code`, from the endpoint or the token issuer.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(error) => error.code(),
            Error::Token(TokenError::Refused(response)) => Some(response.code),
            _ => None,
        }
    }

    /// The `X-Tt-Logid` request id of the answer, to quote to Feishu support.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            Error::Api(error) => error.log_id(),
            Error::Token(error) => error.log_id(),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => error.fmt(f),
            Error::Token(error) => write!(f, "no tenant access token: {error}"),
            Error::Transport(error) => write!(f, "no answer: {error}"),
            Error::Timeout(error) => write!(f, "timed out: {error}"),
            Error::Request(error) => error.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(error) => Some(error),
            Error::Token(error) => Some(error),
            Error::Transport(error) | Error::Timeout(error) => Some(error),
            Error::Request(error) => Some(error),
        }
    }
}

/// Why the token issuer gave no tenant access token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The client was built without app credentials, so it has no tenant token to send.
    NoAppCredentials,
    /// The issuer refused, e.g. 10015 for a wrong App Secret.
    Refused(ErrorResponse),
    /// The answer was not the issuer's JSON. Its excerpt is left empty when the body could
    /// carry a token.
    Malformed(MalformedResponse),
}

impl TokenError {
    /// The issuer's `X-Tt-Logid`.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            TokenError::NoAppCredentials => None,
            TokenError::Refused(response) => response.log_id.as_deref(),
            TokenError::Malformed(malformed) => malformed.log_id.as_deref(),
        }
    }

    /// Whether asking again can help: only when the issuer was overloaded or failing.
    pub fn is_retryable(&self) -> bool {
        match self {
            TokenError::NoAppCredentials => false,
            TokenError::Refused(response) => {
                response.status.as_u16() == 429 || response.status.is_server_error()
            }
            TokenError::Malformed(malformed) => malformed.is_retryable(),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::NoAppCredentials => {
                f.write_str("the client has no app id and secret to get a tenant token with")
            }
            TokenError::Refused(response) => write!(f, "token issuer refused: {response}"),
            TokenError::Malformed(malformed) => malformed.fmt(f),
        }
    }
}

impl std::error::Error for TokenError {}

/// A failure below HTTP: connecting, sending, or reading the answer.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        TransportError { source }
    }

    /// Whether the connection was never made, so the server cannot have seen the request.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)?;
        // reqwest keeps the cause (reset, EOF, refused) one level down: say it here.
        let mut cause = std::error::Error::source(&self.source);
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// An app id or secret was empty.
    EmptyCredentials,
    /// The HTTP client could not be set up (TLS roots, for one).
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::EmptyCredentials => f.write_str("app id and app secret must not be empty"),
            BuildError::Http(error) => write!(f, "cannot set up the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for BuildError {}
