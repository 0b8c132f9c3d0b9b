//! Names for what is new: an import proposes a Rust name only for an item that has none yet,
//! from identifiers where it can. Once in the spec, a name is the spec's, whatever the page
//! says later.

use crate::load::{RawAllowedValue, RawEndpoint, RawField, RawService, RawServiceErrorCode};
use crate::validate::{
    RESERVED_TYPE_NAMES, is_snake_case, is_upper_camel_case, upper_camel_from_words,
};

/// Fills every missing name of the spec: enum parameters and body enums and their values,
/// and the Rust field of a wire name that is not snake_case.
pub fn name_new_items(spec: &mut RawEndpoint) {
    for param in spec.path_params.iter_mut().chain(&mut spec.query_params) {
        if param.param_type == "enum" {
            param.rust_name.get_or_insert_with(|| {
                // Not a name the module imports (`Scope`) or the prelude has (`Option`).
                let name = upper_camel_from_words(&param.name);
                if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                    format!("{name}Param")
                } else {
                    name
                }
            });
            name_values(&mut param.values);
        }
        if param.rust_field.is_none() && !is_snake_case(&param.name) {
            param.rust_field = Some(snake_name(&param.name));
        }
        // A required string is an id whose type is named after the field (`calendar_id`
        // gives `CalendarId`): `from` would give `From`, which the module cannot import.
        let is_id = param.required != Some(false) && param.param_type == "string";
        let field = param
            .rust_field
            .clone()
            .unwrap_or_else(|| param.name.clone());
        if is_id
            && param.rust_field.is_none()
            && RESERVED_TYPE_NAMES.contains(&upper_camel_from_words(&field).as_str())
        {
            param.rust_field = Some(format!("{field}_id"));
        }
    }
    name_fields(&mut spec.request_body, true);
    // A body field named like a parameter would give the request two setters of one name.
    let params: Vec<String> = spec
        .path_params
        .iter()
        .chain(&spec.query_params)
        .map(|param| {
            param
                .rust_field
                .clone()
                .unwrap_or_else(|| param.name.clone())
        })
        .collect();
    for field in &mut spec.request_body {
        let rust = field
            .rust_field
            .clone()
            .unwrap_or_else(|| field.name.clone());
        if params.contains(&rust) {
            field.rust_field = Some(format!("body_{rust}"));
        }
    }
    name_fields(&mut spec.response.envelope, false);
    name_fields(&mut spec.response.data, false);
}

fn name_fields(fields: &mut [RawField], in_body: bool) {
    let mut taken: Vec<String> = Vec::new();
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
        // Two wire names may make one Rust name (`userId` and `user_id`): the later one is
        // told apart by a number.
        let rust = field
            .rust_field
            .clone()
            .unwrap_or_else(|| field.name.clone());
        if taken.contains(&rust) {
            let unique = (2..)
                .map(|n| format!("{rust}_{n}"))
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or(rust);
            field.rust_field = Some(unique.clone());
            taken.push(unique);
        } else {
            taken.push(rust);
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
        // A name of no ASCII letter or digit (`-`, Chinese) is a field all the same.
        None => "field".to_owned(),
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

/// Gives every struct and enum of the spec a name that means one shape: where the page gives
/// two different types one name, the later one is renamed after the field that holds it
/// (`Address` under `work_location` becomes `AddressWorkLocation`), and a name the module
/// already uses (its request, response and error types, a query parameter's enum, what it
/// imports) is never taken. Returns one line per rename.
pub fn unique_type_names(spec: &mut RawEndpoint) -> Vec<String> {
    let mut renames = Vec::new();
    let mut reserved: Vec<String> = ["Request", "Response", "Error"]
        .iter()
        .map(|suffix| format!("{}{suffix}", spec.rust_name))
        .collect();
    reserved.extend(RESERVED_TYPE_NAMES.iter().map(|name| (*name).to_owned()));
    for param in spec.path_params.iter().chain(&spec.query_params) {
        reserved.extend(param.rust_name.clone());
        let is_id = param.required != Some(false) && param.param_type == "string";
        if is_id {
            reserved.push(upper_camel_from_words(
                param.rust_field.as_deref().unwrap_or(&param.name),
            ));
        }
    }
    let mut taken = Vec::new();
    unique_in(
        &mut spec.response.data,
        "Data",
        "response.data",
        &reserved,
        &mut taken,
        &mut renames,
    );
    let mut body_reserved = vec![format!("{}Body", spec.rust_name)];
    body_reserved.extend(RESERVED_TYPE_NAMES.iter().map(|name| (*name).to_owned()));
    let mut body_taken = Vec::new();
    unique_in(
        &mut spec.request_body,
        "Body",
        "request_body",
        &body_reserved,
        &mut body_taken,
        &mut renames,
    );
    renames
}

/// A type's shape, as validation compares two types of one name: fields (names, types, lists,
/// required, nested names) and an enum's values.
fn shape(field: &RawField) -> String {
    let mut out = format!("{}:", field.field_type);
    if field.field_type == "enum" {
        for value in &field.values {
            out.push_str(&format!("{:?},", value.value));
        }
    }
    out.push('{');
    for child in &field.fields {
        out.push_str(&format!(
            "{:?} {} {} {:?} {:?} {};",
            child.name,
            child.field_type,
            child.array,
            child.required,
            child.rust_name,
            shape(child)
        ));
    }
    out.push('}');
    out
}

fn unique_in(
    fields: &mut [RawField],
    parent: &str,
    path: &str,
    reserved: &[String],
    taken: &mut Vec<(String, String)>,
    renames: &mut Vec<String>,
) {
    for (i, field) in fields.iter_mut().enumerate() {
        let item = format!("{path}[{i}]");
        let holder = upper_camel_from_words(&field.name);
        unique_in(
            &mut field.fields,
            &holder,
            &format!("{item}.fields"),
            reserved,
            taken,
            renames,
        );
        let named = field.field_type == "enum"
            || (field.field_type == "object" && !field.fields.is_empty());
        let Some(name) = field.rust_name.clone().filter(|_| named) else {
            continue;
        };
        let own = shape(field);
        let fits = |candidate: &str, taken: &[(String, String)]| {
            !reserved.iter().any(|r| r == candidate)
                && taken
                    .iter()
                    .find(|(known, _)| known == candidate)
                    .is_none_or(|(_, known_shape)| *known_shape == own)
        };
        let chosen = if fits(&name, taken) {
            name.clone()
        } else {
            let by_parent = format!("{name}{parent}");
            let by_field = format!("{name}{holder}");
            [by_parent, by_field]
                .into_iter()
                .chain((2..).map(|n| format!("{name}{n}")))
                .find(|candidate| is_upper_camel_case(candidate) && fits(candidate, taken))
                .unwrap_or(name.clone())
        };
        if !taken.iter().any(|(known, _)| *known == chosen) {
            taken.push((chosen.clone(), own));
        }
        if chosen != name {
            renames.push(format!(
                "{item}: the page names another type {name} too; this one is {chosen}"
            ));
            field.rust_name = Some(chosen);
        }
    }
}
