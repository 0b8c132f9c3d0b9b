//! What can go wrong with a call: the endpoint's own typed error, or the client's failures
//! around it (transport, timeout, tenant token).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use feishu_openapi::{BuildRequestError, EndpointError, ErrorResponse, MalformedResponse};

/// Why a call failed. `E` is the endpoint's error type, e.g. `UnbindMeetingChatError`.
///
/// [`Error::Api`] holds what the endpoint answered; the other variants say why there was no
/// answer to read, or why the answer cannot be taken at its word. Retries have already
/// happened when this is returned.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The endpoint answered with an error, for a generated endpoint a
    /// [`feishu_openapi::ApiError`]: a code of the endpoint's page (`Documented`, with its
    /// advice), a platform-wide code (`Platform`, e.g. 99991672 missing scope), any other code
    /// (`Unknown`; `into_service()` reads a code the service documents elsewhere), or a body
    /// that is not the API's envelope.
    Api(E),
    /// No tenant access token could be had.
    Token(TokenError),
    /// No complete answer: the connection could not be made, or was dropped.
    Transport(TransportError),
    /// No answer within the client's timeout for one attempt.
    Timeout(TransportError),
    /// The request could not be built, e.g. the endpoint takes no token of the type given.
    Request(BuildRequestError),
    /// The call's deadline passed (retries, waits and the token purchase included) before it
    /// was done.
    DeadlineExceeded(Box<DeadlineExceeded<E>>),
    /// An attempt may have been applied without its answer being seen, and what followed
    /// cannot tell: either the endpoint may not be sent again, or a later attempt answered
    /// what the endpoint also answers once the first was applied (195108 after an unbind).
    UncertainOutcome(Box<UncertainOutcome<E>>),
}

impl<E: EndpointError> Error<E> {
    /// The endpoint's error, when the endpoint answered.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The API's `code`, from the endpoint or the token issuer. `None` for an uncertain
    /// outcome: its later answer's code does not say what happened (see
    /// [`UncertainOutcome::later_answer`]).
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
            Error::UncertainOutcome(uncertain) => uncertain.log_ids.last().map(String::as_str),
            Error::DeadlineExceeded(exceeded) => exceeded.log_ids.last().map(String::as_str),
            _ => None,
        }
    }

    /// Whether the call may have been applied although this error says it failed: the
    /// request went out and no answer said what became of it. Check the resource's state
    /// before acting on the failure.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport(error) | Error::Timeout(error) => error.may_have_arrived(),
            Error::DeadlineExceeded(exceeded) => exceeded.outcome_unknown(),
            Error::UncertainOutcome(_) => true,
            Error::Api(_) | Error::Token(_) | Error::Request(_) => false,
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
            Error::DeadlineExceeded(exceeded) => exceeded.fmt(f),
            Error::UncertainOutcome(uncertain) => uncertain.fmt(f),
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
            Error::DeadlineExceeded(exceeded) => exceeded
                .last_failure
                .as_ref()
                .map(|error| error as &(dyn std::error::Error + 'static)),
            Error::UncertainOutcome(uncertain) => Some(&uncertain.unanswered),
        }
    }
}

/// The call's deadline passed before it was done. What is known by then is kept.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeadlineExceeded<E> {
    /// The endpoint's operation id.
    pub operation_id: &'static str,
    /// The deadline the call had, from its start.
    pub deadline: Duration,
    /// Attempts sent, the one in flight included. 0 when the deadline passed while getting
    /// the token or waiting for the rate limit.
    pub attempts: u32,
    /// Whether an attempt was under way (being sent, or sent and not yet answered) when the
    /// deadline passed: it may have been applied.
    pub in_flight: bool,
    /// An earlier attempt that got no answer after it may have reached the server.
    pub unanswered: Option<TransportError>,
    /// What the last attempt that ended before the deadline failed with.
    pub last_failure: Option<Error<E>>,
    /// The `X-Tt-Logid`s of the answers the call got, in order.
    pub log_ids: Vec<String>,
}

impl<E> DeadlineExceeded<E> {
    /// Whether an attempt may have been applied without its answer being seen.
    pub fn outcome_unknown(&self) -> bool {
        self.in_flight || self.unanswered.is_some()
    }
}

impl<E: fmt::Display> fmt::Display for DeadlineExceeded<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the call's deadline of {:?} passed after {} attempt(s)",
            self.operation_id, self.deadline, self.attempts
        )?;
        if self.in_flight {
            f.write_str("; the last was under way, so it may have been applied")?;
        }
        if let Some(unanswered) = &self.unanswered {
            write!(
                f,
                "; an earlier attempt got no answer ({unanswered}), so it may have been applied"
            )?;
        }
        if let Some(last) = &self.last_failure {
            write!(f, "; last failure: {last}")?;
        }
        Ok(())
    }
}

/// An attempt may have been applied, and the call cannot tell whether it was.
///
/// The first attempt whose outcome is unknown is `unanswered`. When the endpoint's spec allows
/// a resend (`OPERATION.unknown_outcome.resend`), `later_answer` is what a resend answered: a
/// code the endpoint gives once the first attempt was applied (`codes_if_applied`, e.g.
/// 195108 after an unbind), or a passing failure (rate limit, internal error) that says
/// nothing either way. Look at the resource to learn what happened.
#[derive(Debug)]
#[non_exhaustive]
pub struct UncertainOutcome<E> {
    /// The endpoint's operation id.
    pub operation_id: &'static str,
    /// Why the first attempt whose outcome is unknown got no answer (timeout, dropped
    /// connection).
    pub unanswered: TransportError,
    /// The endpoint's answer to a later attempt; `None` when the call was not sent again
    /// because the endpoint may not be resent.
    pub later_answer: Option<E>,
    /// Attempts sent.
    pub attempts: u32,
    /// The `X-Tt-Logid`s of the answers the call got, in order.
    pub log_ids: Vec<String>,
}

impl<E: fmt::Display> fmt::Display for UncertainOutcome<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: outcome unknown: an attempt got no answer ({}) and may have been applied",
            self.operation_id, self.unanswered
        )?;
        match &self.later_answer {
            Some(answer) => write!(
                f,
                "; a later attempt answered \"{answer}\", which does not tell whether it was"
            ),
            None => f.write_str("; not sent again, as the endpoint may not be resent"),
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
    /// The token request could not be built from the app's id and secret.
    Request(BuildRequestError),
}

impl TokenError {
    /// The issuer's `X-Tt-Logid`.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            TokenError::NoAppCredentials | TokenError::Request(_) => None,
            TokenError::Refused(response) => response.log_id.as_deref(),
            TokenError::Malformed(malformed) => malformed.log_id.as_deref(),
        }
    }

    /// Whether asking again can help: only when the issuer was overloaded or failing.
    pub fn is_retryable(&self) -> bool {
        match self {
            TokenError::NoAppCredentials | TokenError::Request(_) => false,
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
            TokenError::Request(error) => write!(f, "the token request: {error}"),
        }
    }
}

impl std::error::Error for TokenError {}

/// A failure below HTTP: connecting, sending, or reading the answer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct TransportError {
    source: Arc<reqwest::Error>,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        TransportError {
            source: Arc::new(source),
        }
    }

    /// Whether the connection was never made, so the server cannot have seen the request.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether the attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the request may have reached the server: it was not refused before sending.
    pub fn may_have_arrived(&self) -> bool {
        !self.source.is_connect() && !self.source.is_builder()
    }

    /// Whether the request could not be made at all: sending it again fails the same way.
    pub(crate) fn is_builder(&self) -> bool {
        self.source.is_builder()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)?;
        // reqwest keeps the cause (reset, EOF, refused) one level down: say it here.
        let mut cause = std::error::Error::source(self.source.as_ref());
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
