//! What every generated endpoint implements, so one client can send any of them.

use std::fmt;

use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{
    AccessToken, ApiResponse, BaseUrl, EndpointError, Multipart, Operation, PathAndQuery,
    ResponseFailure, TokenType, decode_envelope,
};

/// A request to one endpoint, with its facts, its URL and how to read its response.
pub trait Endpoint {
    /// The endpoint's facts from the spec.
    const OPERATION: &'static Operation;
    /// The `data` of a successful response.
    type Response: DeserializeOwned;
    /// Everything that can go wrong after the request was sent.
    type Error: EndpointError + From<ResponseFailure>;

    /// Writes the request's path and query, every value percent-encoded.
    fn write_path_and_query(&self, out: &mut PathAndQuery);

    /// The JSON request body, for endpoints whose spec declares one; `None` sends no body.
    ///
    /// # Errors
    ///
    /// [`BuildRequestError::InvalidBody`] when the body cannot be written as JSON.
    fn json_body(&self) -> Result<Option<Vec<u8>>, BuildRequestError> {
        Ok(None)
    }

    /// The `multipart/form-data` request body, for endpoints that upload a file; `None` (the
    /// default) sends the [`json_body`](Endpoint::json_body) instead.
    ///
    /// # Errors
    ///
    /// [`BuildRequestError::InvalidBody`] when a field cannot be written.
    fn multipart_body(&self) -> Result<Option<Multipart>, BuildRequestError> {
        Ok(None)
    }

    /// The path and query alone, e.g. for logs or a client that takes a relative URL.
    fn path_and_query(&self) -> String {
        let mut out = PathAndQuery::with_prefix("", Self::OPERATION.path_template.len() + 64);
        self.write_path_and_query(&mut out);
        out.into_string()
    }

    /// Whether a successful response carries its values beside `code` and `msg` rather than
    /// under `data`, as the token endpoints' do.
    const DATA_AT_TOP_LEVEL: bool = false;

    /// The request to send to `base_url`, authorized by `token`.
    fn http_request(
        &self,
        base_url: &BaseUrl,
        token: &AccessToken,
    ) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
        let operation = Self::OPERATION;
        if !operation.accepts(token.token_type()) {
            return Err(BuildRequestError::TokenTypeNotAccepted {
                operation: operation.id,
                token_type: token.token_type(),
            });
        }
        let mut request = self.unauthorized_request(base_url)?;
        request
            .headers_mut()
            .insert(header::AUTHORIZATION, token.authorization().clone());
        Ok(request)
    }

    /// The request to send to `base_url` with no access token, for an endpoint that takes
    /// none: the one that gives the tenant access token.
    ///
    /// # Errors
    ///
    /// [`BuildRequestError::TokenRequired`] when the endpoint takes a token.
    fn http_request_without_token(
        &self,
        base_url: &BaseUrl,
    ) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
        if !Self::OPERATION.token_types.is_empty() {
            return Err(BuildRequestError::TokenRequired {
                operation: Self::OPERATION.id,
            });
        }
        self.unauthorized_request(base_url)
    }

    /// The request, without its `Authorization` header.
    #[doc(hidden)]
    fn unauthorized_request(
        &self,
        base_url: &BaseUrl,
    ) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
        let operation = Self::OPERATION;
        // Room for typical ids, then shrunk to fit (in place), so that `http` takes the buffer
        // over as it is: it copies or allocates again when length and capacity differ.
        let mut path_and_query = PathAndQuery::with_prefix("", operation.path_template.len() + 128);
        self.write_path_and_query(&mut path_and_query);
        let mut path_and_query = path_and_query.into_string();
        path_and_query.shrink_to_fit();
        let invalid_uri = |err: http::Error| BuildRequestError::InvalidUri(err.to_string());
        let mut uri = http::uri::Parts::default();
        let (scheme, authority) = base_url
            .scheme_and_authority()
            .map_err(|err| invalid_uri(err.into()))?;
        uri.scheme = Some(scheme);
        uri.authority = Some(authority);
        uri.path_and_query = Some(
            http::uri::PathAndQuery::try_from(path_and_query)
                .map_err(|err| invalid_uri(err.into()))?,
        );
        let uri = http::Uri::from_parts(uri).map_err(|err| invalid_uri(err.into()))?;
        let (body, content_type) = match self.multipart_body()? {
            Some(form) => {
                let (content_type, body) = form.finish();
                (body, Some(content_type))
            }
            None => match self.json_body()? {
                Some(body) => (body, Some(JSON_CONTENT_TYPE)),
                None => (Vec::new(), None),
            },
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = operation.method.clone();
        *request.uri_mut() = uri;
        if let Some(content_type) = content_type {
            request
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type);
        }
        Ok(request)
    }

    /// Decodes the status, headers and body the server sent back.
    fn decode_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<ApiResponse<Self::Response>, Self::Error> {
        if Self::DATA_AT_TOP_LEVEL {
            crate::response::decode_top_level(status, headers, body).map_err(Self::Error::from)
        } else {
            decode_envelope(status, headers, body).map_err(Self::Error::from)
        }
    }

    /// Decodes a whole [`http::Response`].
    fn decode_http_response<B: AsRef<[u8]>>(
        response: &http::Response<B>,
    ) -> Result<ApiResponse<Self::Response>, Self::Error> {
        Self::decode_response(
            response.status(),
            response.headers(),
            response.body().as_ref(),
        )
    }
}

/// The content type of a JSON request body, as the Feishu docs ask for it.
pub const JSON_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");

/// A request body as JSON bytes, for [`Endpoint::json_body`]: generated endpoints use it, and
/// so can one written by hand. A failure is a [`BuildRequestError`], never a panic.
///
/// # Errors
///
/// [`BuildRequestError::InvalidBody`] when serde cannot write the value as JSON.
pub fn to_json_body(body: &impl Serialize) -> Result<Vec<u8>, BuildRequestError> {
    serde_json::to_vec(body).map_err(|err| BuildRequestError::InvalidBody(err.to_string()))
}

/// A request that could not be turned into an [`http::Request`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildRequestError {
    /// The endpoint does not accept this kind of token.
    TokenTypeNotAccepted {
        /// The operation id.
        operation: &'static str,
        /// The token type given.
        token_type: TokenType,
    },
    /// The URL could not be parsed, which encoding should make impossible.
    InvalidUri(String),
    /// The request body could not be written as JSON (a map with non-string keys, say).
    InvalidBody(String),
    /// The endpoint takes an access token: send it with `http_request`.
    TokenRequired {
        /// The operation id.
        operation: &'static str,
    },
}

impl fmt::Display for BuildRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildRequestError::TokenTypeNotAccepted {
                operation,
                token_type,
            } => write!(f, "{operation} does not accept a {token_type}"),
            BuildRequestError::InvalidUri(reason) => write!(f, "request URL is invalid: {reason}"),
            BuildRequestError::InvalidBody(reason) => {
                write!(f, "request body cannot be written as JSON: {reason}")
            }
            BuildRequestError::TokenRequired { operation } => {
                write!(f, "{operation} takes an access token")
            }
        }
    }
}

impl std::error::Error for BuildRequestError {}
