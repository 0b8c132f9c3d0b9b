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
    for line in text.lines() {
        // Tabs become spaces (rustdoc warns of them), and a `>` that starts a line is text: the
        // page's quotes do not survive in a cell, and a quote would take in the next line.
        let line = line.replace('\t', " ");
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

/// An identifier, raw when the name is a Rust keyword (a query parameter named `type`).
fn ident(name: &str) -> Ident {
    match syn::parse_str::<Ident>(name) {
        Ok(ident) => ident,
        Err(_) => Ident::new_raw(name, Span::call_site()),
    }
}
