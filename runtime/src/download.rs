//! Endpoints that answer with a file (a download, an image) instead of the JSON envelope.

use std::fmt;

use http::{HeaderMap, StatusCode, header};
use serde::Deserialize;

use crate::{ApiResponse, ResponseFailure, decode_envelope};

/// A file the server sent back: its bytes, and what the headers say of them.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Download {
    /// The body, as sent.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, when there was one.
    pub content_type: Option<String>,
    /// The `Content-Disposition` header (it may carry the file's name), when there was one.
    pub content_disposition: Option<String>,
}

/// The bytes are left out: a file may be large.
impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("content_disposition", &self.content_disposition)
            .finish()
    }
}

/// A download read from bytes, as [`Endpoint::Response`](crate::Endpoint::Response) asks of
/// every response; [`decode_download`] is what reads one from a response.
impl<'de> Deserialize<'de> for Download {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bytes = serde_json::Value::deserialize(deserializer)?;
        Ok(Download {
            bytes: bytes.to_string().into_bytes(),
            content_type: None,
            content_disposition: None,
        })
    }
}

/// Decodes the response of an endpoint that answers with a file: the file on success; the
/// API's error when the body is the JSON envelope with a non-zero `code` (the server answers
/// errors that way); a [`MalformedResponse`](crate::MalformedResponse) when a failed status
/// comes with no envelope.
///
/// # Errors
///
/// [`ResponseFailure::Api`] for the API's error, [`ResponseFailure::Malformed`] otherwise.
pub fn decode_download(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<Download>, ResponseFailure> {
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = text(header::CONTENT_TYPE);
    let is_json = content_type
        .as_deref()
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json || !status.is_success() {
        // An error in the envelope; a success envelope here is not the file that was asked for.
        let envelope = decode_envelope::<serde_json::Value>(status, headers, body)?;
        if is_json && status.is_success() {
            return Ok(ApiResponse {
                data: Download {
                    bytes: body.to_vec(),
                    content_type,
                    content_disposition: text(header::CONTENT_DISPOSITION),
                },
                log_id: envelope.log_id,
            });
        }
    }
    Ok(ApiResponse {
        data: Download {
            bytes: body.to_vec(),
            content_type,
            content_disposition: text(header::CONTENT_DISPOSITION),
        },
        log_id: headers
            .get(crate::LOG_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("ascii"),
        );
        headers.insert("x-tt-logid", HeaderValue::from_static("log-1"));
        headers
    }

    #[test]
    fn a_file_is_its_bytes_and_headers() {
        let body = [0x89, b'P', b'N', b'G'];
        let got = decode_download(StatusCode::OK, &headers("image/png"), &body).expect("file");
        assert_eq!(got.data.bytes, body);
        assert_eq!(got.data.content_type.as_deref(), Some("image/png"));
        assert_eq!(got.log_id.as_deref(), Some("log-1"));
    }

    #[test]
    fn an_error_envelope_is_the_apis_error() {
        let body = br#"{"code":1061004,"msg":"forbidden."}"#;
        let got = decode_download(StatusCode::FORBIDDEN, &headers("application/json"), body);
        match got {
            Err(ResponseFailure::Api(error)) => assert_eq!(error.code, 1061004),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_failed_status_without_an_envelope_is_malformed() {
        let got = decode_download(StatusCode::BAD_GATEWAY, &headers("text/html"), b"<html>");
        assert!(matches!(got, Err(ResponseFailure::Malformed(_))));
    }
}
