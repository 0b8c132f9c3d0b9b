//! Emit stage: pure functions from the checked model to token streams and Markdown.
//!
//! Nothing here knows a particular endpoint: every name, text and number comes from the model.

mod endpoint;
mod module_tree;
mod platform;
mod reference;
mod service;
mod types;

pub use endpoint::endpoint_module;
pub use module_tree::{ModuleFile, cargo_manifest, endpoint_path, module_tree};
pub use platform::platform_module;
pub use reference::{platform_reference_page, reference_page};
pub use service::{service_errors_module, service_ids, service_module, service_scopes_module};
pub use types::{SharedTypes, SharedUse, shared_types, types_module};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Doc attributes, one per line, so they print as `///` lines.
fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc attributes, printed as `//!` lines at the top of a module.
fn module_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// The text's lines as doc attribute values. A line after a list item that is not one starts
/// a new paragraph, as the page meant it (Markdown would fold it into the item).
fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_item = false;
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        // Tabs become spaces (rustdoc warns of them), and a `>` that starts a line is text: the
        // page's quotes do not survive in a cell, and a quote would take in the next line.
        let line = line.replace('\t', " ");
        let line = if in_fence {
            line
        } else {
            escape_stray_brackets(&line)
        };
        let line = match line.strip_prefix('>') {
            Some(rest) => format!("\\>{rest}"),
            None => line,
        };
        let line = line.as_str();
        let ordered = line.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
        });
        let is_item = line.starts_with("- ") || line.starts_with("* ") || ordered;
        if in_item && !is_item && !line.is_empty() && !line.starts_with(' ') {
            lines.push(String::new());
        }
        in_item = is_item || (in_item && line.starts_with(' '));
        lines.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
    }
    lines
}

/// The line with each `[...]` that is neither a Markdown link (`[text](url)`, closed on the
/// line) nor an intra-doc link (`` [`Name`] ``) escaped, outside code spans: the pages write
/// ranges, labels and patterns in brackets (`[0,86400]`, `[电话区号][电话号码]`,
/// `[a-zA-Z0-9_-]`), and cut links short, which rustdoc would take for broken links.
fn escape_stray_brackets(line: &str) -> String {
    if !line.contains('[') {
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    let mut in_code = false;
    let mut closing_to_escape = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code && (i == 0 || chars[i - 1] != '\\') => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|at| i + 1 + at);
                let is_link = close.is_some_and(|close| {
                    chars.get(i + 1) == Some(&'`')
                        || (chars.get(close + 1) == Some(&'(') && chars[close + 1..].contains(&')'))
                });
                if let Some(close) = close.filter(|_| !is_link) {
                    out.push('\\');
                    closing_to_escape.push(close);
                }
            }
            ']' if closing_to_escape.contains(&i) => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

/// An identifier, raw when the name is a Rust keyword (a query parameter named `type`).
fn ident(name: &str) -> Ident {
    match syn::parse_str::<Ident>(name) {
        Ok(ident) => ident,
        Err(_) => Ident::new_raw(name, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::{doc_lines, escape_stray_brackets};

    #[test]
    fn page_brackets_are_text_and_links_stay_links() {
        // Ranges, labels and patterns the pages put in brackets, and a link cut short.
        assert_eq!(
            escape_stray_brackets("取值范围[0,86400]，见[电话区号][电话号码]"),
            "取值范围\\[0,86400\\]，见\\[电话区号\\]\\[电话号码\\]"
        );
        assert_eq!(
            escape_stray_brackets("^[a-z][a-z_-]{0,63}$"),
            "^\\[a-z\\]\\[a-z_-\\]{0,63}$"
        );
        assert_eq!(
            escape_stray_brackets("详情参见[邮箱](https://www.feishu.cn/hc/a#tabs0"),
            "详情参见\\[邮箱\\](https://www.feishu.cn/hc/a#tabs0"
        );
        // Markdown links, intra-doc links and code spans are left as they are.
        for kept in [
            "[查询日历](https://open.feishu.cn/x)",
            "[`CalendarErrorCode`] and [`Documented`](crate::ApiError::Documented)",
            "`[0, 5]` in code",
            "an escaped \\[x\\]",
            "an open [ with no close",
        ] {
            assert_eq!(escape_stray_brackets(kept), kept);
        }
        // Nor are lines of a fenced code block (the pages' JSON examples).
        assert_eq!(
            doc_lines("```json\n{\"ids\":[1,2]}\n```\n[1,2]"),
            [" ```json", " {\"ids\":[1,2]}", " ```", " \\[1,2\\]"]
        );
    }
}
