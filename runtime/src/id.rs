//! Checked values of required string parameters, one type per parameter, so that two ids
//! cannot be swapped without a compile error.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use crate::params::{InvalidParam, InvalidParamReason};

/// Which parameter an [`Id`] is the value of. Generated code declares one kind per required
/// string parameter of a service (`calendar_id` gives `CalendarIdKind` and the alias
/// `CalendarId = Id<CalendarIdKind>`).
pub trait IdKind {
    /// The parameter's name, as the docs spell it: what [`InvalidParam`] reports.
    const PARAM: &'static str;
    /// Whether some endpoint sends the value as a path segment, where `.` and `..` would
    /// change which endpoint is hit; a value only ever sent in the query may be either.
    const IN_PATH: bool = true;
}

/// The value of one required string parameter, checked once when made: not empty, and, for a
/// value sent as a path segment, not `.` or `..`, which URL normalization (reqwest's included,
/// even percent-encoded) would turn into another endpoint. A request that holds ids can
/// therefore always be sent.
pub struct Id<K> {
    value: String,
    kind: PhantomData<fn() -> K>,
}

impl<K: IdKind> Id<K> {
    /// Checks `value`.
    ///
    /// # Errors
    ///
    /// [`InvalidParam`] when the value is empty, or `.` or `..` for a path segment.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidParam> {
        let value = value.into();
        let reason = match value.as_str() {
            "" => Some(InvalidParamReason::Empty),
            "." | ".." if K::IN_PATH => Some(InvalidParamReason::DotSegment),
            _ => None,
        };
        match reason {
            Some(reason) => Err(InvalidParam::new(K::PARAM, reason)),
            None => Ok(Id {
                value,
                kind: PhantomData,
            }),
        }
    }
}

impl<K> Id<K> {
    /// The value, as sent.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The value, as sent.
    pub fn into_string(self) -> String {
        self.value
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", K::PARAM, self.value)
    }
}

impl<K> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

// Written out rather than derived: a derive would ask the kind, an empty enum, for them too.
impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        Id {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<K> Eq for Id<K> {}

impl<K> PartialEq<str> for Id<K> {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<K> PartialEq<&str> for Id<K> {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

impl<K> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<K> AsRef<str> for Id<K> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> TryFrom<String> for Id<K> {
    type Error = InvalidParam;

    fn try_from(value: String) -> Result<Self, InvalidParam> {
        Id::new(value)
    }
}

impl<K: IdKind> TryFrom<&str> for Id<K> {
    type Error = InvalidParam;

    fn try_from(value: &str) -> Result<Self, InvalidParam> {
        Id::new(value)
    }
}

impl<K: IdKind> std::str::FromStr for Id<K> {
    type Err = InvalidParam;

    fn from_str(value: &str) -> Result<Self, InvalidParam> {
        Id::new(value)
    }
}
