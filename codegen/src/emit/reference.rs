//! The Markdown reference of one endpoint, for reviewers reading generated diffs.

use std::fmt::{self, Write};

use super::endpoint::{app_type_text, rate_limit_short};
use crate::model::{AllowedValue, Endpoint, Field, Param, PlatformErrors, Service, Text};

/// The reference page of one endpoint, from the same model as its code.
pub fn reference_page(e: &Endpoint, service: &Service) -> String {
    let mut page = String::new();
    // Writing to a String cannot fail.
    let _ = write_page(&mut page, e, service);
    page
}

fn write_page(out: &mut String, e: &Endpoint, service: &Service) -> fmt::Result {
    writeln!(out, "# {}\n", e.title.inline())?;
    writeln!(
        out,
        "`{}` · Rust: `feishu_openapi::{}::{}::{}Request` · official SDKs: `{}`\n",
        e.operation_id, e.service, e.version, e.rust_name, e.sdk_name
    )?;
    writeln!(out, "{}\n", e.description.paragraphs())?;
    writeln!(
        out,
        "Upstream page: <{}> (last updated {}).\n",
        e.source_url, e.last_updated
    )?;
    if !e.notes.is_empty() {
        writeln!(out, "## 注意事项 · Notes\n")?;
        for note in &e.notes {
            match &note.en {
                Some(en) => writeln!(out, "- {}\n  {en}", note.zh)?,
                None => writeln!(out, "- {}", note.zh)?,
            }
        }
        out.push('\n');
    }

    writeln!(out, "## Request\n\n| | |\n|---|---|")?;
    writeln!(out, "| HTTP method | `{}` |", e.method.as_str())?;
    writeln!(out, "| Path | `{}` |", e.path_template)?;
    let link = e
        .rate_limit_doc_url
        .as_ref()
        .map(|url| format!(" ([频控策略 · rate limiting]({url}))"))
        .unwrap_or_default();
    writeln!(out, "| Rate limits | {}{link} |", rate_limit_short(e))?;
    writeln!(out, "| App types | {} |", app_type_text(e))?;
    let tokens: Vec<&str> = e.token_types.iter().map(|t| t.doc_name()).collect();
    writeln!(
        out,
        "| Tokens | {}: {} (`Authorization: {}`) |",
        tokens.join(", "),
        text_cell(&e.auth_description),
        e.auth_example
    )?;
    let scopes: Vec<String> = e
        .scopes
        .iter()
        .map(|s| format!("`{}` {}", s.name, cell(&s.label_inline())))
        .collect();
    writeln!(out, "| Scopes, any one of | {} |", scopes.join("<br>"))?;
    if !e.field_scopes.is_empty() {
        let field_scopes: Vec<String> = e
            .field_scopes
            .iter()
            .map(|s| format!("`{}` {}", s.name, cell(&s.label_inline())))
            .collect();
        writeln!(
            out,
            "| Scopes for sensitive fields (字段权限要求) | {} |",
            field_scopes.join("<br>")
        )?;
    }
    out.push('\n');

    writeln!(out, "### Authorization header\n")?;
    writeln!(
        out,
        "{}\n\nExample: `Authorization: {}`\n",
        e.auth_description.paragraphs(),
        e.auth_example
    )?;
    params_table(out, "Path parameters", &e.path_params)?;
    params_table(out, "Query parameters", &e.query_params)?;
    if !e.request_body.is_empty() {
        writeln!(
            out,
            "### Request body

Sent as JSON (`Content-Type: application/json; charset=utf-8`); \
             optional fields are left out until set.

\
             | Name | Type | Required | Description | Example |
|---|---|---|---|---|"
        )?;
        body_rows(out, &e.request_body, "")?;
        out.push('\n');
    }

    if e.response_file {
        writeln!(
            out,
            "## Response\n\nA file (`feishu_openapi::Download`), not the JSON envelope; errors \
             come as the envelope.\n"
        )?;
    } else {
        response_section(out, e)?;
    }

    writeln!(
        out,
        "## Error codes\n\n\
         | HTTP | Code | Message | Rust variant | Retry helps | 排查建议 | Advice |\n\
         |---|---|---|---|---|---|---|"
    )?;
    for row in &e.errors {
        writeln!(
            out,
            "| {} | {} | {} | `{}ErrorCode::{}` | {} | {} | {} |",
            row.status,
            row.code,
            cell(&row.message),
            service.rust_name,
            row.variant,
            if row.retryable { "yes" } else { "no" },
            cell(&row.advice.zh),
            cell(row.advice.en.as_deref().unwrap_or(""))
        )?;
    }
    match &e.errors_more_info_url {
        Some(url) => writeln!(
            out,
            "\nOther codes: [通用错误码 · common error codes]({url})."
        ),
        None => Ok(()),
    }
}

fn params_table(out: &mut String, heading: &str, params: &[Param]) -> fmt::Result {
    if params.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "### {heading}\n\n| Name | Type | Required | Description | Example |\n|---|---|---|---|---|"
    )?;
    for param in params {
        let mut description = text_cell(&param.description);
        if let Some(default) = &param.default {
            description.push_str(&format!("<br>Default: `{default}`"));
        }
        description.push_str(&values_cell(&param.values));
        writeln!(
            out,
            "| `{}` | {} | {} | {} | `{}` |",
            param.name,
            param.param_type.name(),
            if param.required { "yes" } else { "no" },
            description,
            param.example
        )?;
    }
    out.push('\n');
    Ok(())
}

/// Rows of the data table, nested fields named by their path (`event.start_time.date`).
fn data_rows(out: &mut String, fields: &[Field], prefix: &str) -> fmt::Result {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        writeln!(
            out,
            "| `{path}` | {} | {}{} |",
            field.type_label(),
            text_cell(&field.description),
            values_cell(&field.values)
        )?;
        let prefix = if field.array {
            format!("{path}[].")
        } else {
            format!("{path}.")
        };
        data_rows(out, &field.fields, &prefix)?;
    }
    Ok(())
}

/// Rows of the request body table, nested fields named by their path.
fn body_rows(out: &mut String, fields: &[Field], prefix: &str) -> fmt::Result {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        writeln!(
            out,
            "| `{path}` | {} | {} | {}{}{} | {} |",
            field.type_label(),
            if field.required { "yes" } else { "no" },
            text_cell(&field.description),
            values_cell(&field.values),
            field
                .default
                .as_deref()
                .map(|default| format!("<br>When left out: `{}`", cell(default)))
                .unwrap_or_default(),
            field
                .example
                .as_deref()
                .map(|example| format!("`{}`", cell(example)))
                .unwrap_or_default()
        )?;
        let prefix = if field.array {
            format!("{path}[].")
        } else {
            format!("{path}.")
        };
        body_rows(out, &field.fields, &prefix)?;
    }
    Ok(())
}

fn text_cell(text: &Text) -> String {
    cell(&text.inline())
}

fn values_cell(values: &[AllowedValue]) -> String {
    values
        .iter()
        .map(|v| format!("<br>`{}`: {}", v.value, cell(&v.description.inline())))
        .collect()
}

/// The Markdown reference of the platform-wide error codes.
pub fn platform_reference_page(platform: &PlatformErrors) -> String {
    let mut page = format!(
        "# {}\n\nCodes any endpoint can answer with, from <{}> (last updated {}). \
         Every endpoint's error enum decodes them as its `Platform` variant: \
         `feishu_openapi::platform::PlatformError`.\n\n\
         | Code | Message | Rust variant | Retry helps | New token helps | 排查建议 | Advice |\n\
         |---|---|---|---|---|---|---|\n",
        platform.title.inline(),
        platform.source_url,
        platform.last_updated
    );
    for row in &platform.codes {
        page.push_str(&format!(
            "| {} | {} | `PlatformErrorCode::{}` | {} | {} | {} | {} |\n",
            row.code,
            cell(&row.message),
            row.variant,
            if row.retryable { "yes" } else { "no" },
            if row.new_token { "yes" } else { "no" },
            cell(&row.advice.zh),
            cell(row.advice.en.as_deref().unwrap_or(""))
        ));
    }
    page
}

/// Text fit for one Markdown table cell.
fn cell(text: &str) -> String {
    text.trim().replace('|', "\\|").replace('\n', "<br>")
}

/// The response table, `data`'s fields and the example.
fn response_section(out: &mut String, e: &Endpoint) -> fmt::Result {
    writeln!(
        out,
        "## Response\n\n| Name | Type | Description |\n|---|---|---|"
    )?;
    for field in &e.envelope {
        writeln!(
            out,
            "| `{}` | {} | {} |",
            field.name,
            field.type_label(),
            text_cell(&field.description)
        )?;
    }
    out.push('\n');
    if e.data.is_empty() {
        writeln!(out, "`data` is an empty object.\n")?;
    } else {
        writeln!(
            out,
            "### `data`\n\n| Name | Type | Description |\n|---|---|---|"
        )?;
        data_rows(out, &e.data, "")?;
        out.push('\n');
    }
    writeln!(
        out,
        "Example:\n\n```json\n{}\n```\n",
        e.response_example.trim_end()
    )?;
    Ok(())
}
