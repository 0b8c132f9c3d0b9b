//! Where requests go: Feishu, Lark, or any server that speaks the same API.

use std::borrow::Cow;
use std::fmt;

use http::uri::{Authority, Scheme};

/// Scheme and host (and port) that request paths are appended to.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Cow<'static, str>);

impl BaseUrl {
    /// Feishu, the mainland China platform.
    pub const FEISHU: BaseUrl = BaseUrl(Cow::Borrowed("https://open.feishu.cn"));
    /// Lark, the international platform.
    pub const LARK: BaseUrl = BaseUrl(Cow::Borrowed("https://open.larksuite.com"));

    /// Any other server, such as a local one in tests: `http(s)://host[:port]`.
    ///
    /// A path, query or fragment is refused: it would silently change every endpoint's URL.
    pub fn parse(url: &str) -> Result<Self, InvalidBaseUrl> {
        let invalid = |reason| InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        };
        let uri: http::Uri = url.parse().map_err(|_| invalid("not a valid URL"))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            _ => return Err(invalid("scheme must be http or https")),
        }
        let authority = uri.authority().ok_or_else(|| invalid("has no host"))?;
        if authority.as_str().contains('@') {
            return Err(invalid("must not carry credentials"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() || url.contains('#') {
            return Err(invalid("must not have a path, query or fragment"));
        }
        let scheme = uri.scheme_str().unwrap_or_default();
        Ok(BaseUrl(Cow::Owned(format!("{scheme}://{authority}"))))
    }

    /// The scheme and authority of a request's URI; the built-in hosts cost no allocation.
    pub(crate) fn scheme_and_authority(
        &self,
    ) -> Result<(Scheme, Authority), http::uri::InvalidUri> {
        let (scheme, authority) = self.0.split_once("://").unwrap_or(("", &self.0));
        let scheme = match scheme {
            "https" => Scheme::HTTPS,
            "http" => Scheme::HTTP,
            other => Scheme::try_from(other)?,
        };
        let authority = match self.0 {
            // Only the consts above are borrowed, and their hosts are valid.
            Cow::Borrowed(url) => Authority::from_static(&url[url.len() - authority.len()..]),
            Cow::Owned(_) => Authority::try_from(authority)?,
        };
        Ok((scheme, authority))
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.as_str()).finish()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A base URL that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBaseUrl {
    url: String,
    reason: &'static str,
}

impl fmt::Display for InvalidBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base URL {:?}: {}", self.url, self.reason)
    }
}

impl std::error::Error for InvalidBaseUrl {}
