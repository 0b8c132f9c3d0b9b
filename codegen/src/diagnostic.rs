//! Problems found in a spec, each pointing at the file, line:column and field it concerns.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::load::SpecSource;

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as it was given.
    pub file: String,
    /// 1-based line, or 0 when the problem is not at a place in the file.
    pub line: usize,
    /// 1-based column, or 0 with `line`.
    pub column: usize,
    /// Path of the field, like `errors.codes[3].code`; empty for the whole file.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// All the problems found, in file order; reported together so one run shows every fix needed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "error: {diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in spec; nothing was generated",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldStep {
    /// A mapping key.
    Key(&'static str),
    /// A sequence index.
    Index(usize),
}

/// A field path, printed like `errors.codes[3].code`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(pub Vec<FieldStep>);

impl FieldPath {
    /// This path, one key deeper.
    pub fn key(&self, key: &'static str) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(FieldStep::Key(key));
        FieldPath(steps)
    }

    /// This path, one index deeper.
    pub fn index(&self, index: usize) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(FieldStep::Index(index));
        FieldPath(steps)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                FieldStep::Key(key) if i == 0 => f.write_str(key)?,
                FieldStep::Key(key) => write!(f, ".{key}")?,
                FieldStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl Diagnostic {
    /// A problem at `field` of `source`, located in its text.
    pub fn at(
        source: &SpecSource,
        field: &FieldPath,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        let (line, column) = locate(&source.text, field).unwrap_or((0, 0));
        Diagnostic {
            file: source.path.display().to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
            hint,
        }
    }

    /// A YAML syntax or shape error, split into its field path and message.
    pub fn from_yaml(source: &SpecSource, err: &serde_yaml::Error) -> Self {
        let (line, column) = err
            .location()
            .map(|location| (location.line(), location.column()))
            .unwrap_or((0, 0));
        let mut text = err.to_string();
        if let Some(at) = text.rfind(" at line ") {
            text.truncate(at);
        }
        // serde_yaml prefixes the message with the field path, when it has one.
        let (field, message) = match text.split_once(": ") {
            Some((field, message)) if !field.is_empty() && !field.contains(' ') && field != "." => {
                (field.to_owned(), message.to_owned())
            }
            _ => (String::new(), text),
        };
        let hint = if message.starts_with("unknown field") {
            Some("check the spelling against spec/README.md".to_owned())
        } else if message.starts_with("missing field") {
            Some("every field spec/README.md marks as required must be present".to_owned())
        } else if message.starts_with("invalid type") {
            Some("spec/README.md gives the type each field takes".to_owned())
        } else if field.is_empty() {
            Some("the YAML does not parse here: check indentation and quoting".to_owned())
        } else {
            None
        };
        Diagnostic {
            file: source.path.display().to_string(),
            line,
            column,
            field,
            message,
            hint,
        }
    }
}

/// Finds the 1-based line and column of the node at `field` in YAML `text`, or of the nearest
/// enclosing node when the field is absent.
///
/// serde_yaml keeps no positions on values, but it does put the position of the node being
/// read on any error raised there; so this walks the path and raises an error at its end.
pub fn locate(text: &str, field: &FieldPath) -> Option<(usize, usize)> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    match (Probe { path: &field.0 }).deserialize(deserializer) {
        Ok(()) => None,
        Err(err) => err
            .location()
            .map(|location| (location.line(), location.column())),
    }
}

const FOUND: &str = "found";

struct Probe<'p> {
    path: &'p [FieldStep],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((FieldStep::Key(wanted), rest)) = self.path.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0.as_deref() == Some(*wanted) {
                return map.next_value_seed(Probe { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(de::Error::custom(FOUND))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((FieldStep::Index(wanted), rest)) = self.path.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        let mut index = 0;
        loop {
            if index == *wanted {
                return match seq.next_element_seed(Probe { path: rest })? {
                    Some(()) => Ok(()),
                    None => Err(de::Error::custom(FOUND)),
                };
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom(FOUND));
            }
            index += 1;
        }
    }
}

/// A mapping key, when it is a string.
struct KeyText(Option<String>);

impl<'de> de::Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        Ok(KeyText(value.as_str().map(str::to_owned)))
    }
}
