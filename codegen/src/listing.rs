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
                // A by-value `mut self` is the method's own business, not its signature's.
                let inputs: Vec<String> = signature
                    .inputs
                    .iter()
                    .map(|input| {
                        let input = text(input);
                        match input.as_str() {
                            "mut self" => "self".to_owned(),
                            _ => input,
                        }
                    })
                    .collect();
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
            // By the trait's name: `serde::Serialize` and an imported `Serialize` are one.
            let traits = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .map(|paths| {
                    paths
                        .iter()
                        .filter_map(|path| path.segments.last())
                        .map(|segment| segment.ident.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|_| text(&attr.meta));
            note.push_str(&format!(" derive({traits})"));
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
/// a consumer. A name the crate re-exports from one of its own modules counts as the item it
/// names, so a struct that moves to a shared module, re-exported where it was, breaks nothing.
pub fn breaking_changes(old: &str, new: &str) -> Vec<String> {
    let new_lines = with_reexports_resolved(new);
    let present: std::collections::HashSet<&str> = new_lines.iter().map(String::as_str).collect();
    // The new lines of each struct or enum, by the part before its derives.
    let mut derived: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for line in &new_lines {
        if let Some((head, _)) = line.split_once(" derive(") {
            derived.entry(head).or_default().push(line);
        }
    }
    with_reexports_resolved(old)
        .into_iter()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter(|line| !present.contains(line.as_str()))
        .filter(|line| {
            let head = line.split_once(" derive(").map(|(head, _)| head);
            !head
                .and_then(|head| derived.get(head))
                .is_some_and(|news| news.iter().any(|new| only_derives_added(line, new)))
        })
        .collect()
}

/// Whether `new` is the struct or enum `old` is, with the same shape and the derives of `old`
/// and more: a trait more breaks nobody.
fn only_derives_added(old: &str, new: &str) -> bool {
    fn parts(line: &str) -> Option<(&str, Vec<&str>, &str)> {
        let (head, tail) = line.split_once(" derive(")?;
        let (derives, rest) = tail.split_once(')')?;
        Some((head, derives.split(", ").collect(), rest))
    }
    match (parts(old), parts(new)) {
        (Some((old_head, old_derives, old_rest)), Some((new_head, new_derives, new_rest))) => {
            old_head == new_head
                && old_rest == new_rest
                && old_derives
                    .iter()
                    .all(|derive| new_derives.contains(derive))
        }
        _ => false,
    }
}

/// A listing's lines, each `A::X use super::...::X` of the crate's own replaced by the lines of
/// the item it names, written under `A::X`.
fn with_reexports_resolved(listing: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Listings before receivers were written as the signature has them.
    let listing = listing.replace("fn(mut self", "fn(self");
    // Sorted, the lines under one path are a run: found by a binary search, not a scan.
    let mut sorted: Vec<&str> = listing.lines().collect();
    sorted.sort_unstable();
    for line in listing.lines() {
        let target = line.split_once(" use ").and_then(|(name, source)| {
            let module = name.rsplit_once("::")?.0;
            Some((name, resolve_in_crate(module, source)?))
        });
        let Some((name, target)) = target else {
            out.push(line.to_owned());
            continue;
        };
        let before = out.len();
        let first = sorted.partition_point(|item| *item < target.as_str());
        for item in sorted[first..]
            .iter()
            .take_while(|item| item.starts_with(target.as_str()))
        {
            let rest = &item[target.len()..];
            if rest.starts_with(' ') || rest.starts_with("::") {
                out.push(format!("{name}{rest}"));
            }
        }
        if out.len() == before {
            out.push(line.to_owned());
        }
    }
    out
}

/// The absolute path of `source`, as `use` reads it inside `module`, when it is in this crate.
fn resolve_in_crate(module: &str, source: &str) -> Option<String> {
    let mut base: Vec<&str> = module.split("::").collect();
    let mut rest = source;
    if let Some(after) = rest.strip_prefix("crate::") {
        base.truncate(1);
        rest = after;
    } else if rest.starts_with("super::") {
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop()?;
            rest = after;
        }
    } else {
        return None;
    }
    (!base.is_empty()).then(|| format!("{}::{rest}", base.join("::")))
}

#[cfg(test)]
mod tests {
    use super::breaking_changes;

    #[test]
    fn a_struct_moved_to_a_shared_module_and_reexported_breaks_nothing() {
        let old = "feishu_openapi::cal::v4::get::TimeInfo struct derive(Debug) non_exhaustive\n\
                   feishu_openapi::cal::v4::get::TimeInfo::date field: Option<String>\n";
        let new = "feishu_openapi::cal::v4::get::TimeInfo use super::types::TimeInfo\n\
                   feishu_openapi::cal::v4::types::TimeInfo struct derive(Debug) non_exhaustive\n\
                   feishu_openapi::cal::v4::types::TimeInfo::date field: Option<String>\n";
        assert_eq!(breaking_changes(old, new), Vec::<String>::new());
        // Back again: the shared path goes, the old one stays.
        assert_eq!(
            breaking_changes(new, old),
            [
                "feishu_openapi::cal::v4::types::TimeInfo struct derive(Debug) non_exhaustive",
                "feishu_openapi::cal::v4::types::TimeInfo::date field: Option<String>"
            ]
        );
        // A field the shared struct lacks is a break at the old path.
        let narrower = new.replace(
            "feishu_openapi::cal::v4::types::TimeInfo::date field: Option<String>\n",
            "",
        );
        assert_eq!(
            breaking_changes(old, &narrower),
            ["feishu_openapi::cal::v4::get::TimeInfo::date field: Option<String>"]
        );
    }

    #[test]
    fn a_derive_added_breaks_nothing_and_one_removed_does() {
        let old = "feishu_openapi::m::Body struct derive(Debug, serde::Serialize) non_exhaustive\n";
        let more = "feishu_openapi::m::Body struct derive(Debug, serde::Serialize, serde::Deserialize) non_exhaustive\n";
        assert!(breaking_changes(old, more).is_empty());
        assert_eq!(breaking_changes(more, old), [more.trim_end()]);
        let exhaustive =
            "feishu_openapi::m::Body struct derive(Debug, serde::Serialize, serde::Deserialize)\n";
        assert_eq!(breaking_changes(old, exhaustive), [old.trim_end()]);
    }

    #[test]
    fn a_reexport_of_another_crate_is_compared_as_written() {
        let old = "feishu_openapi::* use feishu_openapi_runtime::*\n";
        assert_eq!(breaking_changes(old, ""), [old.trim_end()]);
        assert!(breaking_changes(old, old).is_empty());
    }
}
