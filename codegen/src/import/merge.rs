//! Merging a page's facts into an existing spec, and the semantic report of what changed.
//!
//! Facts come from the page; what a page does not carry is kept from the spec: English text
//! (while its Chinese is unchanged), chosen Rust names, retry overrides and what may be resent
//! after an unknown outcome.

use crate::load::{RawAllowedValue, RawEndpoint, RawField, RawParam, RawText, RawUnknownOutcome};

/// The page's facts, with the spec's own choices kept.
pub fn merge(mut page: RawEndpoint, spec: &RawEndpoint) -> RawEndpoint {
    page.rust_name = spec.rust_name.clone();
    if same_page(&page.source.url, &spec.source.url) {
        // Each crawler saved the page under another of its addresses: keep the spec's.
        page.source.url = spec.source.url.clone();
    }
    keep_en(&mut page.title, Some(&spec.title));
    keep_en(&mut page.description, Some(&spec.description));
    for note in &mut page.notes {
        let old = spec.notes.iter().find(|old| same_words(&old.zh, &note.zh));
        keep_en(note, old);
    }
    if let Some(description) = &mut page.auth.description {
        keep_en(description, spec.auth.description.as_ref());
    }
    for scope in &mut page.scopes {
        let old = spec.scopes.iter().find(|old| old.name == scope.name);
        if let Some(label) = &mut scope.label {
            keep_en(label, old.and_then(|old| old.label.as_ref()));
        }
    }
    for scope in &mut page.field_scopes {
        let old = spec.field_scopes.iter().find(|old| old.name == scope.name);
        if let Some(label) = &mut scope.label {
            keep_en(label, old.and_then(|old| old.label.as_ref()));
        }
    }
    merge_params(&mut page.path_params, &spec.path_params);
    merge_params(&mut page.query_params, &spec.query_params);
    merge_fields(&mut page.request_body, &spec.request_body);
    merge_fields(&mut page.response.envelope, &spec.response.envelope);
    merge_fields(&mut page.response.data, &spec.response.data);
    for row in &mut page.errors.codes {
        let old = spec.errors.codes.iter().find(|old| old.code == row.code);
        keep_en(&mut row.advice, old.map(|old| &old.advice));
    }
    page.unknown_outcome = spec.unknown_outcome.clone();
    page
}

/// For a new spec: no page says whether a resend is safe, so only a read (GET) may be sent
/// again until someone who knows the endpoint decides otherwise in the spec.
pub fn new_unknown_outcome(method: &str) -> RawUnknownOutcome {
    RawUnknownOutcome {
        resend: method.eq_ignore_ascii_case("GET"),
        codes_if_applied: Vec::new(),
    }
}

/// Keeps the English of `old` when the Chinese it renders is unchanged. Text that differs
/// only in where its lines break and how much space is between words (one page format breaks
/// a cell over lines where the other runs it on) is unchanged, and keeps the spec's wording.
pub fn keep_en(new: &mut RawText, old: Option<&RawText>) {
    if let Some(old) = old.filter(|old| same_words(&old.zh, &new.zh)) {
        new.zh = old.zh.clone();
        new.en = old.en.clone();
    }
}

/// Whether two texts say the same, whitespace aside.
pub fn same_words(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

/// Whether two doc addresses are one page: one's path ends with the other's
/// (`/document/calendar-v4/x/delete` is the short form of
/// `/document/uAjLw4CM/ukTMukTMukTM/reference/calendar-v4/x/delete`).
fn same_page(a: &str, b: &str) -> bool {
    let path = |url: &str| {
        url.split_once("/document/")
            .map(|(_, path)| path.trim_end_matches('/').to_owned())
    };
    match (path(a), path(b)) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
            a == b || a.ends_with(&format!("/{b}")) || b.ends_with(&format!("/{a}"))
        }
        _ => a == b,
    }
}

/// Keeps each value's English and Rust name: a value is the same value while its wire form is.
fn merge_values(new: &mut [RawAllowedValue], old: &[RawAllowedValue]) {
    for value in new {
        let old = old.iter().find(|old| old.value == value.value);
        keep_en(&mut value.description, old.map(|old| &old.description));
        if let Some(old) = old {
            value.rust_name = old.rust_name.clone();
        }
    }
}

fn merge_params(new: &mut [RawParam], old: &[RawParam]) {
    for param in new {
        if let Some(old) = old.iter().find(|old| old.name == param.name) {
            keep_en(&mut param.description, Some(&old.description));
            merge_values(&mut param.values, &old.values);
            param.rust_name = old.rust_name.clone();
            param.rust_field = old.rust_field.clone();
        }
    }
}

/// Keeps each field's English, names and secrecy: a field is the same field while its wire name is,
/// and an object keeps its struct's name however the page now spells its type.
fn merge_fields(new: &mut [RawField], old: &[RawField]) {
    for field in new {
        if let Some(old) = old.iter().find(|old| old.name == field.name) {
            keep_en(&mut field.description, Some(&old.description));
            merge_values(&mut field.values, &old.values);
            let named = field.field_type == "enum"
                || (field.field_type == "object" && !field.fields.is_empty());
            if named && old.rust_name.is_some() {
                field.rust_name = old.rust_name.clone();
            }
            field.rust_field = old.rust_field.clone();
            // Whether a string is a secret is the spec's call, as its names are.
            if field.field_type == "string" && !field.array {
                field.sensitive = old.sensitive;
            }
            merge_fields(&mut field.fields, &old.fields);
        }
    }
}

/// What changed between two specs, fact by fact; English text and Rust names are not facts.
/// Empty when nothing changed.
pub fn report(old: &RawEndpoint, new: &RawEndpoint) -> Vec<String> {
    let mut out = Report(Vec::new());
    out.value("title", &old.title.zh, &new.title.zh);
    out.value("description", &old.description.zh, &new.description.zh);
    let zh = |notes: &[RawText]| notes.iter().map(|n| n.zh.clone()).collect::<Vec<_>>();
    out.list("note", &zh(&old.notes), &zh(&new.notes));
    out.value("source.url", &old.source.url, &new.source.url);
    out.value(
        "source.last_updated",
        &old.source.last_updated,
        &new.source.last_updated,
    );
    out.value("http.method", &old.http.method, &new.http.method);
    out.value("http.path", &old.http.path, &new.http.path);
    out.value(
        "auth.token_types",
        &old.auth.token_types.join(","),
        &new.auth.token_types.join(","),
    );
    out.value(
        "auth.description",
        old.auth.description.as_ref().map_or("", |text| &text.zh),
        new.auth.description.as_ref().map_or("", |text| &text.zh),
    );
    out.value(
        "auth.example",
        old.auth.example.as_deref().unwrap_or_default(),
        new.auth.example.as_deref().unwrap_or_default(),
    );
    out.keyed(
        "scope",
        old.scopes.iter().map(|s| (s.name.clone(), label(s))),
        new.scopes.iter().map(|s| (s.name.clone(), label(s))),
    );
    out.keyed(
        "field scope",
        old.field_scopes.iter().map(|s| (s.name.clone(), label(s))),
        new.field_scopes.iter().map(|s| (s.name.clone(), label(s))),
    );
    let rate_url = |spec: &RawEndpoint| {
        spec.rate_limits
            .as_ref()
            .and_then(|limits| limits.doc_url.clone())
            .unwrap_or_default()
    };
    out.value("rate_limits.doc_url", &rate_url(old), &rate_url(new));
    let special = |spec: &RawEndpoint| {
        spec.rate_limits
            .as_ref()
            .and_then(|limits| limits.special.clone())
            .unwrap_or_default()
    };
    out.value("rate_limits.special", &special(old), &special(new));
    let limits = |spec: &RawEndpoint| {
        spec.rate_limits
            .iter()
            .flat_map(|limits| &limits.limits)
            .map(|l| (l.per.clone(), l.limit.to_string()))
            .collect::<Vec<_>>()
    };
    out.keyed("rate limit per", limits(old), limits(new));
    out.value(
        "app_types",
        &old.app_types.join(","),
        &new.app_types.join(","),
    );
    out.keyed(
        "path param",
        param_facts(&old.path_params),
        param_facts(&new.path_params),
    );
    out.keyed(
        "query param",
        param_facts(&old.query_params),
        param_facts(&new.query_params),
    );
    out.keyed(
        "body field",
        field_facts(&old.request_body, ""),
        field_facts(&new.request_body, ""),
    );
    out.keyed(
        "response field",
        field_facts(&old.response.envelope, ""),
        field_facts(&new.response.envelope, ""),
    );
    out.keyed(
        "data field",
        field_facts(&old.response.data, ""),
        field_facts(&new.response.data, ""),
    );
    out.value(
        "response.example",
        &old.response.example,
        &new.response.example,
    );
    out.value(
        "errors.more_info_url",
        old.errors.more_info_url.as_deref().unwrap_or_default(),
        new.errors.more_info_url.as_deref().unwrap_or_default(),
    );
    out.value(
        "http.content_type",
        old.http.content_type.as_deref().unwrap_or_default(),
        new.http.content_type.as_deref().unwrap_or_default(),
    );
    let error_facts = |spec: &RawEndpoint| {
        spec.errors
            .codes
            .iter()
            .map(|row| {
                (
                    row.code.to_string(),
                    format!("HTTP {} {:?}: {}", row.status, row.message, row.advice.zh),
                )
            })
            .collect::<Vec<_>>()
    };
    out.keyed("error code", error_facts(old), error_facts(new));
    out.0
}

fn label(scope: &crate::load::RawScope) -> String {
    scope
        .label
        .as_ref()
        .map(|label| label.zh.clone())
        .unwrap_or_default()
}

fn param_facts(params: &[RawParam]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|p| {
            let values: Vec<String> = p
                .values
                .iter()
                .map(|v| format!("{}={}", v.value, v.description.zh))
                .collect();
            (
                p.name.clone(),
                format!(
                    "{}{}, example {:?}, default {:?}, values [{}]: {}",
                    p.param_type,
                    match p.required {
                        Some(true) => ", required",
                        Some(false) => ", optional",
                        None => "",
                    },
                    p.example,
                    p.default,
                    values.join(", "),
                    p.description.zh
                ),
            )
        })
        .collect()
}

fn field_facts(fields: &[RawField], prefix: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        let values: Vec<&str> = field.values.iter().map(|v| v.value.as_str()).collect();
        // Only body fields say whether they are required and give an example.
        let mut body_facts = match (field.required, &field.example) {
            (None, None) => String::new(),
            (required, example) => format!(
                "{}, example {example:?}",
                if required == Some(true) {
                    ", required"
                } else {
                    ", optional"
                }
            ),
        };
        if let Some(default) = &field.default {
            body_facts.push_str(&format!(", default {default:?}"));
        }
        out.push((
            path.clone(),
            format!(
                "{}{}{body_facts} [{}]: {}",
                field.field_type,
                if field.array { "[]" } else { "" },
                values.join(", "),
                field.description.zh
            ),
        ));
        out.extend(field_facts(&field.fields, &format!("{path}.")));
    }
    out
}

struct Report(Vec<String>);

impl Report {
    fn value(&mut self, what: &str, old: &str, new: &str) {
        if old != new {
            let (was, is) = difference(old, new);
            self.0.push(format!("~ {what}: {was} -> {is}"));
        }
    }

    fn list(&mut self, what: &str, old: &[String], new: &[String]) {
        for item in old.iter().filter(|item| !new.contains(item)) {
            self.0.push(format!("- {what}: {}", short(item)));
        }
        for item in new.iter().filter(|item| !old.contains(item)) {
            self.0.push(format!("+ {what}: {}", short(item)));
        }
    }

    fn keyed(
        &mut self,
        what: &str,
        old: impl IntoIterator<Item = (String, String)>,
        new: impl IntoIterator<Item = (String, String)>,
    ) {
        let old: Vec<(String, String)> = old.into_iter().collect();
        let new: Vec<(String, String)> = new.into_iter().collect();
        for (key, facts) in &old {
            match new.iter().find(|(k, _)| k == key) {
                None => self.0.push(format!("- {what} {key}: {}", short(facts))),
                Some((_, now)) if now != facts => {
                    let (was, is) = difference(facts, now);
                    self.0.push(format!("~ {what} {key}: {was} -> {is}"));
                }
                Some(_) => {}
            }
        }
        for (key, facts) in &new {
            if !old.iter().any(|(k, _)| k == key) {
                self.0.push(format!("+ {what} {key}: {}", short(facts)));
            }
        }
    }
}

/// The two texts from a little before where they first differ, each shortened. When that
/// would print the same on both sides (the texts differ in line breaks or spacing alone), the
/// excerpts are quoted, so the difference shows.
fn difference(old: &str, new: &str) -> (String, String) {
    let same = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let start = same.saturating_sub(20);
    let excerpt = |text: &str| {
        let rest: String = text.chars().skip(start).collect();
        let prefix = if start > 0 { "…" } else { "" };
        format!("{prefix}{}", short(&rest))
    };
    let (was, is) = (excerpt(old), excerpt(new));
    if was != is {
        return (was, is);
    }
    let quoted = |text: &str| {
        let rest: String = text.chars().skip(start).take(60).collect();
        let prefix = if start > 0 { "…" } else { "" };
        format!("{prefix}{rest:?}")
    };
    (quoted(old), quoted(new))
}

/// One line of at most 100 characters, for the report.
fn short(text: &str) -> String {
    let line = text.replace('\n', " ");
    match line.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}
