//! Access tokens: which identity a call is made as, and the `Authorization` header it becomes.

use std::fmt;

use http::HeaderValue;

/// The kind of access token, which decides the identity a call is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// `tenant_access_token`: the call is made as the app.
    Tenant,
    /// `user_access_token`: the call is made as a user who authorized the app.
    User,
}

impl TokenType {
    /// The name the Feishu documentation uses for this token type.
    pub const fn name(self) -> &'static str {
        match self {
            TokenType::Tenant => "tenant_access_token",
            TokenType::User => "user_access_token",
        }
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An access token, checked once so that it can always become an `Authorization` header.
///
/// Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct AccessToken {
    token_type: TokenType,
    header: HeaderValue,
}

impl AccessToken {
    /// A `tenant_access_token`, to call as the app.
    pub fn tenant(token: &str) -> Result<Self, InvalidToken> {
        Self::new(TokenType::Tenant, token)
    }

    /// A `user_access_token`, to call as the user who granted it.
    pub fn user(token: &str) -> Result<Self, InvalidToken> {
        Self::new(TokenType::User, token)
    }

    /// A token of the given type.
    ///
    /// Tokens are visible ASCII without spaces: anything else (CR, LF, control bytes, non-ASCII)
    /// would corrupt or split the header, so it is refused here rather than sent.
    pub fn new(token_type: TokenType, token: &str) -> Result<Self, InvalidToken> {
        if token.is_empty() {
            return Err(InvalidToken::Empty);
        }
        if let Some(position) = token.bytes().position(|b| !b.is_ascii_graphic()) {
            return Err(InvalidToken::InvalidByte { position });
        }
        let mut header = HeaderValue::try_from(format!("Bearer {token}"))
            .map_err(|_| InvalidToken::InvalidByte { position: 0 })?;
        header.set_sensitive(true);
        Ok(AccessToken { token_type, header })
    }

    /// Which identity this token calls as.
    pub fn token_type(&self) -> TokenType {
        self.token_type
    }

    /// The `Authorization` header value, `Bearer <token>`, marked sensitive.
    pub fn authorization(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token_type", &self.token_type)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Why a string cannot be used as an access token. Never contains the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidToken {
    /// The token is empty.
    Empty,
    /// The byte at `position` is not visible ASCII (a space, CR, LF, control or non-ASCII byte).
    InvalidByte {
        /// Byte offset of the first offending byte.
        position: usize,
    },
}

impl fmt::Display for InvalidToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidToken::Empty => f.write_str("access token is empty"),
            InvalidToken::InvalidByte { position } => write!(
                f,
                "access token has a byte that is not visible ASCII at offset {position}"
            ),
        }
    }
}

impl std::error::Error for InvalidToken {}
