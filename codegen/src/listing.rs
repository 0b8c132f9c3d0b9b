//! The public API of the generated crate, one line per public item, read from the generated
//! code itself: a review sees a renamed, removed or changed item at a glance, and `generate`
//! and `import` report every line that goes as a breaking change.

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

/// Where the listing is written, under `generated/`.
pub const LISTING_FILE: &str = "public-api.txt";

/// The Rust module path of a generated file: `src/calendar/v4/get_event.rs` is
/// `feishu_openapi::calendar::v4::get_event`.
pub fn module_path(file: &str) -> String {
    let inner = file
        .trim_start_matches("src/")
        .trim_end_matches(".rs")
        .trim_end_matches("/mod")
        .trim_end_matches("lib");
    let mut path = String::from("feishu_openapi");
    for part in inner.split('/').filter(|part| !part.is_empty()) {
        path.push_str("::");
        path.push_str(part);
    }
    path
}

/// Every public, documented item of one file, as `path kind details` lines.
pub fn public_items(module: &str, file: &syn::File) -> Vec<String> {
    let mut lines = Vec::new();
    list_items(module, &file.items, &mut lines);
    lines
}

fn list_items(module: &str, items: &[Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Mod(item) if is_public(&item.vis, &item.attrs) => {
                let path = format!("{module}::{}", item.ident);
                out.push(format!("{path} mod{}", cfg_note(&item.attrs)));
                if let Some((_, content)) = &item.content {
                    list_items(&path, content, out);
                }
            }
            Item::Use(item) if is_public(&item.vis, &item.attrs) => {
                use_lines(module, "", &item.tree, out);
            }
            Item::Const(item) if is_public(&item.vis, &item.attrs) => {
                out.push(format!(
                    "{module}::{} const: {}",
                    item.ident,
                    text(&item.ty)
                ));
            }
            Item::Static(item) if is_public(&item.vis, &item.attrs) => {
                out.push(format!(
                    "{module}::{} static: {}",
                    item.ident,
                    text(&item.ty)
                ));
            }
            Item::Type(item) if is_public(&item.vis, &item.attrs) => {
                out.push(format!(
                    "{module}::{} type = {}",
                    item.ident,
                    text(&item.ty)
                ));
            }
            Item::Struct(item) if is_public(&item.vis, &item.attrs) => {
                let path = format!("{module}::{}", item.ident);
                out.push(format!("{path} struct{}", shape_note(&item.attrs)));
                fields(&path, &item.fields, out);
            }
            Item::Enum(item) if is_public(&item.vis, &item.attrs) => {
                let path = format!("{module}::{}", item.ident);
                out.push(format!("{path} enum{}", shape_note(&item.attrs)));
                for variant in &item.variants {
                    let payload = match &variant.fields {
                        Fields::Unit => String::new(),
                        fields => text(fields),
                    };
                    out.push(format!("{path}::{} variant{payload}", variant.ident));
                }
            }
            Item::Impl(item) => impl_items(module, item, out),
            _ => {}
        }
    }
}

/// One line per name a `pub use` brings in: `module::Name use source::Name`.
fn use_lines(module: &str, prefix: &str, tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => {
            use_lines(
                module,
                &format!("{prefix}{}::", path.ident),
                &path.tree,
                out,
            );
        }
        syn::UseTree::Name(name) => {
            out.push(format!(
                "{module}::{} use {prefix}{}",
                name.ident, name.ident
            ));
        }
        syn::UseTree::Rename(rename) => {
            out.push(format!(
                "{module}::{} use {prefix}{}",
                rename.rename, rename.ident
            ));
        }
        syn::UseTree::Glob(_) => out.push(format!("{module}::* use {prefix}*")),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_lines(module, prefix, tree, out);
            }
        }
    }
}

fn fields(path: &str, fields: &Fields, out: &mut Vec<String>) {
    for field in fields {
        if let (Some(name), true) = (&field.ident, is_public(&field.vis, &field.attrs)) {
            out.push(format!("{path}::{name} field: {}", text(&field.ty)));
        }
    }
}

fn impl_items(module: &str, item: &syn::ItemImpl, out: &mut Vec<String>) {
    let self_type = text(&item.self_ty);
    let path = format!("{module}::{self_type}");
    if let Some((trait_path, _)) = &item.trait_ {
        out.push(format!("{path} impl {}", text(trait_path)));
        return;
    }
    for member in &item.items {
        if let ImplItem::Fn(function) = member {
            if is_public(&function.vis, &function.attrs) {
                let signature = &function.sig;
                let inputs: Vec<String> = signature.inputs.iter().map(text).collect();
                let output = match &signature.output {
                    syn::ReturnType::Default => String::new(),
                    syn::ReturnType::Type(_, ty) => format!(" -> {}", text(ty)),
                };
                let constness = if signature.constness.is_some() {
                    "const "
                } else {
                    ""
                };
                out.push(format!(
                    "{path}::{} {constness}fn({}){output}",
                    signature.ident,
                    inputs.join(", ")
                ));
            }
        }
    }
}

/// Public and not hidden from the docs: what a consumer may write against.
fn is_public(visibility: &Visibility, attrs: &[Attribute]) -> bool {
    matches!(visibility, Visibility::Public(_))
        && !attrs.iter().any(|attr| text(attr).contains("doc(hidden)"))
}

/// `#[non_exhaustive]` and the derived traits: removing either breaks a consumer.
fn shape_note(attrs: &[Attribute]) -> String {
    let mut note = String::new();
    for attr in attrs {
        if attr.path().is_ident("derive") {
            note.push_str(&format!(" {}", text(&attr.meta)));
        } else if attr.path().is_ident("non_exhaustive") {
            note.push_str(" non_exhaustive");
        }
    }
    note
}

/// The cargo feature a module is compiled under.
fn cfg_note(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .map(|attr| format!(" {}", text(&attr.meta)))
        .collect()
}

/// Tokens as compact text: `Option<&'static str>` rather than `Option < & 'static str >`.
fn text(tokens: &impl ToTokens) -> String {
    let spaced = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(spaced.len());
    let mut chars = spaced.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let before = out.chars().last().unwrap_or(' ');
        let mut ahead = chars.clone();
        let after = ahead.next().unwrap_or(' ');
        // `::` joins path segments; a lone `:` (a parameter's type) keeps its space after.
        let path_colon_before = out.ends_with("::");
        let path_colon_after = after == ':' && ahead.next() == Some(':');
        let tight_before =
            path_colon_before || matches!(before, '<' | '&' | '(' | '[' | '{' | '#' | '!');
        let tight_after = path_colon_after
            || matches!(after, '<' | '>' | ',' | ')' | ']' | '}' | ';' | '(' | '?')
            || (after == ':' && before != ':');
        if !(tight_before || tight_after) {
            out.push(' ');
        }
    }
    out
}

/// The lines of `old` that `new` lacks: items removed, renamed or changed, each a break for
/// a consumer.
pub fn breaking_changes(old: &str, new: &str) -> Vec<String> {
    let new_lines: std::collections::BTreeSet<&str> = new.lines().collect();
    old.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter(|line| !new_lines.contains(line))
        .map(str::to_owned)
        .collect()
}
