//! Values that grant access (an app secret, an access token) and so must not reach a log.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string: sent and read as the plain string, but `Debug` shows `Secret(<redacted>)`,
/// so a request or response printed for a log leaves it out. [`expose`](Secret::expose) gives
/// the value to the code that needs it.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_leaves_the_value_out_and_serde_keeps_it() {
        let secret = Secret::new("dskLLdkasdjlasdKK");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(
            serde_json::to_string(&secret).unwrap(),
            "\"dskLLdkasdjlasdKK\""
        );
        let read: Secret = serde_json::from_str("\"t-abc\"").unwrap();
        assert_eq!(read.expose(), "t-abc");
    }
}
