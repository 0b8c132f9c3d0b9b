//! Names for what is new: an import proposes a Rust name only for an item that has none yet,
//! from identifiers where it can. Once in the spec, a name is the spec's, whatever the page
//! says later.

use crate::load::{RawAllowedValue, RawEndpoint, RawField, RawService, RawServiceErrorCode};
use crate::validate::{is_snake_case, is_upper_camel_case, upper_camel_from_words};

/// Fills every missing name of the spec: enum parameters and body enums and their values,
/// and the Rust field of a wire name that is not snake_case.
pub fn name_new_items(spec: &mut RawEndpoint) {
    for param in spec.path_params.iter_mut().chain(&mut spec.query_params) {
        if param.param_type == "enum" {
            param
                .rust_name
                .get_or_insert_with(|| upper_camel_from_words(&param.name));
            name_values(&mut param.values);
        }
        if param.rust_field.is_none() && !is_snake_case(&param.name) {
            param.rust_field = Some(snake_name(&param.name));
        }
    }
    name_fields(&mut spec.request_body, true);
    name_fields(&mut spec.response.envelope, false);
    name_fields(&mut spec.response.data, false);
}

fn name_fields(fields: &mut [RawField], in_body: bool) {
    for field in fields {
        if in_body && field.field_type == "enum" {
            field
                .rust_name
                .get_or_insert_with(|| upper_camel_from_words(&field.name));
            name_values(&mut field.values);
        }
        if field.rust_field.is_none() && !is_snake_case(&field.name) {
            field.rust_field = Some(snake_name(&field.name));
        }
        name_fields(&mut field.fields, in_body);
    }
}

/// Each value without a name gets one from its wire form (`open_id` gives `OpenId`); a value
/// that gives none (a number, Chinese) is named by its position, `Value1`, `Value2`, ...
fn name_values(values: &mut [RawAllowedValue]) {
    let mut taken: Vec<String> = values.iter().filter_map(|v| v.rust_name.clone()).collect();
    for (i, value) in values.iter_mut().enumerate() {
        if value.rust_name.is_some() {
            continue;
        }
        let mut name = upper_camel_from_words(&value.value);
        if !is_upper_camel_case(&name) {
            name = if name.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                format!("Value{name}")
            } else {
                format!("Value{}", i + 1)
            };
        }
        let name = unique(name, &taken);
        taken.push(name.clone());
        value.rust_name = Some(name);
    }
}

/// A snake_case Rust name for a wire name: `IBAN` gives `iban`, `userId` gives `user_id`.
fn snake_name(wire: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.bytes().next() {
        Some(b'a'..=b'z') if !matches!(out.as_str(), "self" | "super" | "crate") => out,
        _ => format!("field_{out}"),
    }
}

/// Adds the service's rows for the page's codes it does not know yet, each named from its
/// message (or its code, when the message gives no name), and returns the codes added.
pub fn add_new_codes(spec: &RawEndpoint, service: &mut RawService) -> Vec<i64> {
    let mut added = Vec::new();
    for row in &spec.errors.codes {
        if service.errors.iter().any(|known| known.code == row.code) {
            continue;
        }
        let taken: Vec<String> = service.errors.iter().map(|e| e.rust_name.clone()).collect();
        let mut name = upper_camel_from_words(&row.message);
        let reserved = ["Unknown", "Platform", "MalformedResponse"].contains(&name.as_str());
        if !is_upper_camel_case(&name) || reserved {
            name = format!("Code{}", row.code);
        } else if taken.contains(&name) {
            // Two codes with one message: the code tells them apart.
            name = format!("{name}{}", row.code);
        }
        service.errors.push(RawServiceErrorCode {
            code: row.code,
            rust_name: unique(name, &taken),
            status: row.status,
            message: row.message.clone(),
            retryable: row.status == 429 || row.status >= 500,
            advice: row.advice.clone(),
        });
        added.push(row.code);
    }
    added
}

/// `name`, or `name2`, `name3`, ... when it is taken.
fn unique(name: String, taken: &[String]) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(name)
}
