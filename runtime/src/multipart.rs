//! `multipart/form-data` request bodies, for the endpoints that upload a file.

use std::fmt;

use http::HeaderValue;
use serde::Serialize;

use crate::BuildRequestError;

/// A file to upload: its name, as the server is told it, and its bytes.
///
/// ```
/// use feishu_openapi_runtime::FilePart;
///
/// let file = FilePart::new("card.png", vec![0x89, b'P', b'N', b'G']).with_content_type("image/png");
/// assert_eq!(file.file_name(), "card.png");
/// assert_eq!(file.bytes().len(), 4);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl FilePart {
    /// A file of `bytes`, sent as `application/octet-stream` under `file_name`.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: "application/octet-stream".to_owned(),
            bytes: bytes.into(),
        }
    }

    /// The same file, sent with another content type (`image/png`, say).
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file's name, as the server is told it.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type the file is sent with.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// The bytes are left out: a file may be large, and may hold what a log must not.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A `multipart/form-data` body being written, one part per field, for
/// [`Endpoint::multipart_body`](crate::Endpoint::multipart_body).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug)]
struct Part {
    name: String,
    file: Option<(String, String)>,
    bytes: Vec<u8>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// A text field: a string, number or bool, or an enum's value.
    pub fn text(&mut self, name: &str, value: impl fmt::Display) {
        self.parts.push(Part {
            name: name.to_owned(),
            file: None,
            bytes: value.to_string().into_bytes(),
        });
    }

    /// A field whose value is a list or an object: sent as its JSON text.
    ///
    /// # Errors
    ///
    /// [`BuildRequestError::InvalidBody`] when the value cannot be written as JSON.
    pub fn json(&mut self, name: &str, value: &impl Serialize) -> Result<(), BuildRequestError> {
        let bytes = crate::to_json_body(value)?;
        self.parts.push(Part {
            name: name.to_owned(),
            file: None,
            bytes,
        });
        Ok(())
    }

    /// A file field.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        self.parts.push(Part {
            name: name.to_owned(),
            file: Some((file.file_name.clone(), file.content_type.clone())),
            bytes: file.bytes.clone(),
        });
    }

    /// The body's `Content-Type` (with its boundary) and bytes. The boundary is the first of
    /// a fixed series that no part contains, so the same form always gives the same bytes.
    pub fn finish(self) -> (HeaderValue, Vec<u8>) {
        let boundary = (0u64..)
            .map(|n| format!("feishu-openapi-boundary-{n:016x}"))
            .find(|boundary| {
                !self
                    .parts
                    .iter()
                    .any(|part| contains(&part.bytes, boundary.as_bytes()))
            })
            .unwrap_or_default();
        let size: usize = self.parts.iter().map(|part| part.bytes.len() + 160).sum();
        let mut body = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some((file_name, content_type)) = &part.file {
                disposition.push_str(&format!(
                    "; filename=\"{}\"\r\nContent-Type: {}",
                    quoted(file_name),
                    header_text(content_type)
                ));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type =
            HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
                .unwrap_or(HeaderValue::from_static("multipart/form-data"));
        (content_type, body)
    }
}

/// A name or file name inside a quoted header parameter: `"`, CR and LF percent-encoded, as
/// browsers send them.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value without the bytes that would end the header.
fn header_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_as_its_parts_between_boundaries() {
        let mut form = Multipart::new();
        form.text("parent_type", "explorer");
        form.text("size", 4);
        form.file(
            "file",
            &FilePart::new("a\"b.txt", b"data".to_vec()).with_content_type("text/plain"),
        );
        let (content_type, body) = form.finish();
        let boundary = "feishu-openapi-boundary-0000000000000000";
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}").as_str()
        );
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"parent_type\"\r\n\r\nexplorer\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n4\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.txt\"\r\n\
             Content-Type: text/plain\r\n\r\ndata\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).expect("utf-8"), expected);
    }

    #[test]
    fn the_boundary_is_never_in_a_part() {
        let mut form = Multipart::new();
        form.text("x", "--feishu-openapi-boundary-0000000000000000");
        let (content_type, body) = form.finish();
        assert!(
            content_type
                .to_str()
                .expect("ascii")
                .ends_with("feishu-openapi-boundary-0000000000000001")
        );
        let text = String::from_utf8(body).expect("utf-8");
        assert!(text.starts_with("--feishu-openapi-boundary-0000000000000001\r\n"));
    }

    #[test]
    fn a_file_shows_no_bytes_when_debugged() {
        let file = FilePart::new("secret.txt", b"password".to_vec());
        let shown = format!("{file:?}");
        assert!(shown.contains("secret.txt") && shown.contains("len: 8"));
        assert!(!shown.contains("password") && !shown.contains("112"));
    }
}
