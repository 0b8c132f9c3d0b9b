//! One error type for every endpoint, over its page's table of documented codes: the codes
//! themselves are the service's, defined once for all its endpoints.

use std::fmt;
use std::hash::Hash;

use crate::{
    EndpointError, ErrorCodeInfo, ErrorResponse, ErrorView, MalformedResponse, PlatformErrorInfo,
    ResponseFailure,
};

/// A service's error codes, one variant each (`feishu_openapi::calendar::CalendarErrorCode`).
pub trait ServiceCodes: Copy + Eq + Hash + fmt::Debug + 'static {
    /// Every code, in the order of [`ROWS`](Self::ROWS).
    const ALL: &'static [Self];
    /// The service's row for each code.
    const ROWS: &'static [ErrorCodeInfo];

    /// The code with this number, when the service documents it.
    fn from_code(code: i64) -> Option<Self> {
        let index = Self::ROWS.iter().position(|row| row.code == code)?;
        Self::ALL.get(index).copied()
    }

    /// The service's row for this code.
    fn row(self) -> &'static ErrorCodeInfo {
        let index = Self::ALL.iter().position(|code| *code == self);
        // `ALL` and `ROWS` are generated side by side: every code has its row.
        &Self::ROWS[index.unwrap_or_default()]
    }
}

/// The platform's error codes, one variant each (`feishu_openapi::PlatformErrorCode`).
pub trait PlatformCodes: Copy + Eq + Hash + fmt::Debug + 'static {
    /// Every code, in the order of [`ROWS`](Self::ROWS).
    const ALL: &'static [Self];
    /// The shared table's row for each code.
    const ROWS: &'static [PlatformErrorInfo];

    /// The code with this number, when it is a platform-wide one.
    fn from_code(code: i64) -> Option<Self> {
        let index = Self::ROWS.iter().position(|row| row.code == code)?;
        Self::ALL.get(index).copied()
    }

    /// The shared table's row for this code.
    fn row(self) -> &'static PlatformErrorInfo {
        let index = Self::ALL.iter().position(|code| *code == self);
        &Self::ROWS[index.unwrap_or_default()]
    }
}

/// Which codes an error type documents, and how: an endpoint's page table (its request type's,
/// through [`PageErrorTable`]), or a whole service's (implemented by the service's code enum).
pub trait ErrorTable: 'static {
    /// The service's code enum.
    type Code: ServiceCodes;
    /// The platform's code enum.
    type Platform: PlatformCodes;
    /// The whole service's table, which [`ApiError::into_service`] converts to.
    type Service: ErrorTable<Code = Self::Code, Platform = Self::Platform>;
    /// What failed, for messages: the operation id, or the service.
    const CONTEXT: &'static str;
    /// The documented rows, as this table words them (a page may word a service's code its
    /// own way).
    const ROWS: &'static [ErrorCodeInfo];
}

/// An endpoint whose error table is its page's: the rows of its [`Operation`](crate::Operation),
/// over its service's codes. Its request type is then an [`ErrorTable`], named in messages by
/// its operation id.
pub trait PageErrorTable: crate::Endpoint + 'static {
    /// The service's code enum, which is also the whole service's [`ErrorTable`].
    type ServiceCodes: ServiceCodes + ErrorTable<Code = Self::ServiceCodes>;
}

impl<E: PageErrorTable> ErrorTable for E {
    type Code = E::ServiceCodes;
    type Platform = <E::ServiceCodes as ErrorTable>::Platform;
    type Service = E::ServiceCodes;
    const CONTEXT: &'static str = E::OPERATION.id;
    const ROWS: &'static [ErrorCodeInfo] = E::OPERATION.error_codes;
}

/// Why a call failed, after the request was sent: a code the table documents, a platform-wide
/// code, any other code, or a body that was not the API's envelope. Every variant keeps the
/// response's status, `msg` and `X-Tt-Logid` request id; [`EndpointError`] answers `code()`,
/// `message()`, `is_retryable()`, `needs_new_token()`, `documented()` and the rest.
///
/// Branch on the code, never on `msg`:
/// `Err(ApiError::Documented(CalendarErrorCode::ChatNotMatchWithEvent, response))`.
#[non_exhaustive]
pub enum ApiError<T: ErrorTable> {
    /// A code of the table: which one, and the response.
    Documented(T::Code, ErrorResponse),
    /// A platform-wide code (an invalid or expired token, a missing scope, the platform's rate
    /// limit).
    Platform(T::Platform, ErrorResponse),
    /// A code the table does not document. Match on [`code()`](EndpointError::code) rather
    /// than on this variant: a code the docs add later moves to [`Documented`](Self::Documented).
    /// A code the service documents elsewhere answers `documented()` and `is_retryable()` by
    /// the service's row.
    Unknown(ErrorResponse),
    /// The body was not the API's JSON envelope (a gateway's HTML page, an empty or cut-off
    /// body), or its `data` did not fit.
    MalformedResponse(MalformedResponse),
}

impl<T: ErrorTable> ApiError<T> {
    /// The documented code, when the error is one.
    pub fn documented_code(&self) -> Option<T::Code> {
        match self {
            ApiError::Documented(code, _) => Some(*code),
            _ => None,
        }
    }

    /// The platform code, when the error is one.
    pub fn platform_code(&self) -> Option<T::Platform> {
        match self {
            ApiError::Platform(code, _) => Some(*code),
            _ => None,
        }
    }

    /// The same error as the whole service's: handle a code once for every endpoint of the
    /// service. A code this table leaves out but the service documents becomes `Documented`.
    pub fn into_service(self) -> ApiError<T::Service> {
        match self {
            ApiError::Documented(code, response) => ApiError::Documented(code, response),
            ApiError::Platform(code, response) => ApiError::Platform(code, response),
            ApiError::Unknown(response) => ApiError::from(ResponseFailure::Api(response)),
            ApiError::MalformedResponse(malformed) => ApiError::MalformedResponse(malformed),
        }
    }
}

impl<T: ErrorTable> From<ResponseFailure> for ApiError<T> {
    fn from(failure: ResponseFailure) -> Self {
        let response = match failure {
            ResponseFailure::Api(response) => response,
            ResponseFailure::Malformed(malformed) => return ApiError::MalformedResponse(malformed),
        };
        let documented = T::ROWS.iter().any(|row| row.code == response.code);
        if let Some(code) = documented
            .then(|| T::Code::from_code(response.code))
            .flatten()
        {
            return ApiError::Documented(code, response);
        }
        match T::Platform::from_code(response.code) {
            Some(code) => ApiError::Platform(code, response),
            None => ApiError::Unknown(response),
        }
    }
}

impl<T: ErrorTable> EndpointError for ApiError<T> {
    fn view(&self) -> ErrorView<'_> {
        match self {
            ApiError::Documented(code, response) => {
                let number = code.row().code;
                let row = T::ROWS.iter().find(|row| row.code == number);
                ErrorView::documented(response, row.unwrap_or_else(|| code.row()))
            }
            ApiError::Platform(code, response) => ErrorView::platform(response, code.row()),
            // A code the page leaves out but its service documents reads as the service's row.
            ApiError::Unknown(response) => match T::Code::from_code(response.code) {
                Some(code) => ErrorView::documented(response, code.row()),
                None => ErrorView::unknown(response),
            },
            ApiError::MalformedResponse(malformed) => ErrorView::malformed(malformed),
        }
    }
}

impl<T: ErrorTable> fmt::Display for ApiError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.view().fmt_failure(f, T::CONTEXT)
    }
}

impl<T: ErrorTable> std::error::Error for ApiError<T> {}

// Written out rather than derived: a derive would ask `T`, the table, for them too.
impl<T: ErrorTable> fmt::Debug for ApiError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Documented(code, response) => f
                .debug_tuple("Documented")
                .field(code)
                .field(response)
                .finish(),
            ApiError::Platform(code, response) => f
                .debug_tuple("Platform")
                .field(code)
                .field(response)
                .finish(),
            ApiError::Unknown(response) => f.debug_tuple("Unknown").field(response).finish(),
            ApiError::MalformedResponse(malformed) => {
                f.debug_tuple("MalformedResponse").field(malformed).finish()
            }
        }
    }
}

impl<T: ErrorTable> Clone for ApiError<T> {
    fn clone(&self) -> Self {
        match self {
            ApiError::Documented(code, response) => ApiError::Documented(*code, response.clone()),
            ApiError::Platform(code, response) => ApiError::Platform(*code, response.clone()),
            ApiError::Unknown(response) => ApiError::Unknown(response.clone()),
            ApiError::MalformedResponse(malformed) => {
                ApiError::MalformedResponse(malformed.clone())
            }
        }
    }
}

impl<T: ErrorTable> PartialEq for ApiError<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ApiError::Documented(a, x), ApiError::Documented(b, y)) => a == b && x == y,
            (ApiError::Platform(a, x), ApiError::Platform(b, y)) => a == b && x == y,
            (ApiError::Unknown(x), ApiError::Unknown(y)) => x == y,
            (ApiError::MalformedResponse(x), ApiError::MalformedResponse(y)) => x == y,
            _ => false,
        }
    }
}

impl<T: ErrorTable> Eq for ApiError<T> {}
