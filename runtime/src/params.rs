//! Request parameters: checking them, and writing them into a URL without changing its shape.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes kept as they are in a path segment: RFC 3986 unreserved characters, and `@`, which
/// calendar ids carry and which means nothing special in a path. Everything else, `/ ? # %`
/// included, is percent-encoded, so an id always stays one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Bytes kept as they are in a query name or value: RFC 3986 unreserved characters only.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds the path and query of a request, encoding every value it is given.
#[derive(Debug)]
pub struct PathAndQuery {
    buf: String,
    has_query: bool,
}

impl PathAndQuery {
    /// Starts after `prefix`, typically the base URL, with room for `capacity` more bytes.
    pub fn with_prefix(prefix: &str, capacity: usize) -> Self {
        let mut buf = String::with_capacity(prefix.len() + capacity);
        buf.push_str(prefix);
        PathAndQuery {
            buf,
            has_query: false,
        }
    }

    /// Appends a fixed part of the path template, as is.
    pub fn literal(&mut self, text: &str) {
        debug_assert!(!self.has_query, "path written after query");
        self.buf.push_str(text);
    }

    /// Appends a value as one percent-encoded path segment.
    pub fn segment(&mut self, value: &str) {
        debug_assert!(!self.has_query, "path written after query");
        self.buf.extend(utf8_percent_encode(value, PATH_SEGMENT));
    }

    /// Appends `name=value` to the query, both percent-encoded.
    pub fn query(&mut self, name: &str, value: &str) {
        self.buf.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.buf.extend(utf8_percent_encode(name, QUERY_COMPONENT));
        self.buf.push('=');
        self.buf.extend(utf8_percent_encode(value, QUERY_COMPONENT));
    }

    /// Appends `name=value` for a value that is set and not empty, as an optional query
    /// parameter is sent; nothing otherwise.
    #[doc(hidden)]
    pub fn optional_query(&mut self, name: &str, value: Option<impl fmt::Display>) {
        let Some(value) = value else { return };
        let (len, has_query) = (self.buf.len(), self.has_query);
        self.query(name, "");
        let value_start = self.buf.len();
        // Written straight into the buffer, encoded; `QueryEncoder` never fails.
        let _ = fmt::write(&mut QueryEncoder(&mut self.buf), format_args!("{value}"));
        if self.buf.len() == value_start {
            self.buf.truncate(len);
            self.has_query = has_query;
        }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The finished text.
    pub fn into_string(self) -> String {
        self.buf
    }
}

/// Percent-encodes what is formatted into it as a query component.
struct QueryEncoder<'a>(&'a mut String);

impl fmt::Write for QueryEncoder<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.extend(utf8_percent_encode(text, QUERY_COMPONENT));
        Ok(())
    }
}

/// A request parameter that cannot be sent, and why. The request is never built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParam {
    param: &'static str,
    reason: InvalidParamReason,
}

impl InvalidParam {
    pub(crate) fn new(param: &'static str, reason: InvalidParamReason) -> Self {
        InvalidParam { param, reason }
    }

    /// The parameter's name, as the docs spell it.
    pub fn param(&self) -> &'static str {
        self.param
    }

    /// What is wrong with it.
    pub fn reason(&self) -> InvalidParamReason {
        self.reason
    }
}

impl fmt::Display for InvalidParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request parameter `{}`: ", self.param)?;
        match self.reason {
            InvalidParamReason::Empty => f.write_str("is required and must not be empty"),
            InvalidParamReason::DotSegment => {
                f.write_str("`.` and `..` cannot be sent as a path segment")
            }
        }
    }
}

impl std::error::Error for InvalidParam {}

/// What makes a parameter value unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidParamReason {
    /// A required value is empty.
    Empty,
    /// A path id is `.` or `..`, which URL normalization would turn into another endpoint.
    DotSegment,
}
