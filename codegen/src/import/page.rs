//! Reading a Feishu doc page (either crawler's format) into the facts a spec holds.
//!
//! pulldown-cmark finds the blocks and table cells; the cells' Markdown source is kept as the
//! spec's text. Format A continues a table cell on the next line after a hard break (two
//! trailing spaces); those lines are joined with `<br>` first, as format B writes them.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::load::{
    RawAllowedValue, RawAuth, RawEndpoint, RawErrorCode, RawErrors, RawField, RawHttp, RawParam,
    RawRateLimit, RawRateLimits, RawResponse, RawScope, RawSource, RawText,
};
use crate::validate::{sdk_name, upper_camel_from_words};

/// What a doc page describes.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// One endpoint, as a spec without English text, with derived Rust names.
    Endpoint(Box<RawEndpoint>),
    /// The common error code page: `(code, message, advice)` rows.
    ErrorCodes(Vec<(i64, String, String)>),
}

/// Why a page cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError(pub String);

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, PageError> {
    Err(PageError(message.into()))
}

/// The host doc links are written with, whichever mirror the page was saved from.
const DOC_HOST: &str = "https://open.feishu.cn/";
const MIRROR_HOST: &str = "https://open.larkoffice.com/";

/// Reads a page. `Ok(None)` for a page that is neither an endpoint nor the error code list.
pub fn read_page(text: &str) -> Result<Option<Page>, PageError> {
    let Some((front, body)) = split_front_matter(text) else {
        return Ok(None);
    };
    let front: serde_yaml::Mapping = serde_yaml::from_str(front)
        .map_err(|err| PageError(format!("front matter is not YAML: {err}")))?;
    let get = |key: &str| {
        front.get(key).and_then(|value| match value {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let (url, date) = match (get("source_url"), get("fullPath")) {
        (Some(url), _) => (url, get("last_remote_update").unwrap_or_default()),
        (None, Some(path)) => {
            let millis: i64 = get("updateTime")
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| PageError("front matter has no numeric updateTime".into()))?;
            (
                format!("https://open.feishu.cn/document{path}"),
                beijing_date(millis),
            )
        }
        (None, None) => return fail("front matter has neither source_url nor fullPath"),
    };
    let doc = Document::parse(&join_continued_cells(body));
    if let Some(table) = doc.table_under("请求") {
        return endpoint(&doc, table, url, date).map(|e| Some(Page::Endpoint(Box::new(e))));
    }
    for table in &doc.tables {
        if table
            .rows
            .first()
            .is_some_and(|head| head.len() == 3 && head[0] == "错误码" && head[2] == "排查建议")
        {
            let rows = table.rows[1..]
                .iter()
                .filter_map(|row| {
                    let code = row.first()?.parse().ok()?;
                    Some((code, row.get(1)?.clone(), row.get(2)?.clone()))
                })
                .collect();
            return Ok(Some(Page::ErrorCodes(rows)));
        }
    }
    Ok(None)
}

fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end], &rest[end + 5..]))
}

/// The calendar date in Beijing time (UTC+8) of a millisecond timestamp, as the docs show it.
fn beijing_date(millis: i64) -> String {
    let days = (millis / 1000 + 8 * 3600).div_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Format A: a table line ending in a hard break continues on the next line.
fn join_continued_cells(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_table = false;
    let mut continued = false;
    for line in body.lines() {
        let is_delimiter = line.contains("---")
            && line.contains('|')
            && line.chars().all(|c| matches!(c, '-' | '|' | ' ' | ':'));
        if line.trim().is_empty() {
            in_table = false;
        }
        let text = if continued { line.trim_start() } else { line };
        if in_table && line.ends_with("  ") && !line.trim().is_empty() {
            out.push_str(text.trim_end());
            out.push_str("<br>");
            continued = true;
        } else {
            out.push_str(text);
            out.push('\n');
            continued = false;
        }
        if is_delimiter {
            in_table = true;
        }
    }
    out
}

/// A table: its rows (head first), each cell's Markdown normalized.
#[derive(Debug, Default)]
struct Table {
    heading: String,
    rows: Vec<Vec<String>>,
}

/// The parts of a page the importer reads.
#[derive(Debug, Default)]
struct Document {
    title: String,
    /// Paragraphs and list items before the first `##` heading, in order.
    intro: Vec<String>,
    tables: Vec<Table>,
    /// Code blocks with the heading they are under.
    code_blocks: Vec<(String, String)>,
    /// Links with the paragraph text they are in: `(paragraph, url)`.
    links: Vec<(String, String)>,
}

impl Document {
    fn parse(text: &str) -> Document {
        let mut doc = Document::default();
        let mut heading: Option<(HeadingLevel, String)> = None;
        let mut current = String::new();
        let mut seen_h2 = false;
        let mut row: Option<Vec<String>> = None;
        let mut item_depth = 0;
        let mut paragraph: Option<(String, Vec<String>)> = None;
        let mut code: Option<String> = None;
        let options = Options::ENABLE_TABLES;
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, title)) = heading.take() {
                        if level == HeadingLevel::H1 && doc.title.is_empty() {
                            doc.title = title.trim().to_owned();
                        } else {
                            seen_h2 |= level >= HeadingLevel::H2;
                            current = title.trim().to_owned();
                        }
                    }
                }
                Event::Text(t) if heading.is_some() => {
                    if let Some((_, title)) = heading.as_mut() {
                        title.push_str(&t);
                    }
                }
                Event::Start(Tag::Table(_)) => doc.tables.push(Table {
                    heading: current.clone(),
                    rows: Vec::new(),
                }),
                Event::Start(Tag::TableHead | Tag::TableRow) => row = Some(Vec::new()),
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    if let (Some(cells), Some(table)) = (row.take(), doc.tables.last_mut()) {
                        table.rows.push(cells);
                    }
                }
                Event::Start(Tag::TableCell) => {
                    if let Some(cells) = row.as_mut() {
                        cells.push(cell_text(text[range].trim().trim_matches('|')));
                    }
                }
                Event::Start(Tag::Item) => {
                    if !seen_h2 && !doc.title.is_empty() && item_depth == 0 {
                        let item = strip_quote_markers(&text[range]);
                        let item = item.trim_start().trim_start_matches(['-', '*']).trim();
                        doc.intro.push(normalize_links(item));
                    }
                    item_depth += 1;
                }
                Event::End(TagEnd::Item) => item_depth -= 1,
                Event::Start(Tag::Paragraph) => {
                    paragraph = Some((strip_quote_markers(&text[range]), Vec::new()));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    if let Some((_, links)) = paragraph.as_mut() {
                        links.push(normalize_links(&dest_url));
                    }
                }
                Event::End(TagEnd::Paragraph) => {
                    if let Some((source, links)) = paragraph.take() {
                        if !seen_h2 && !doc.title.is_empty() && item_depth == 0 {
                            doc.intro.push(normalize_links(source.trim()));
                        }
                        for link in links {
                            doc.links.push((source.clone(), link));
                        }
                    }
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                    code = Some(String::new())
                }
                Event::Text(t) if code.is_some() => {
                    if let Some(block) = code.as_mut() {
                        block.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(block) = code.take() {
                        doc.code_blocks.push((current.clone(), block));
                    }
                }
                _ => {}
            }
        }
        doc
    }

    fn table_under(&self, heading: &str) -> Option<&Table> {
        self.tables.iter().find(|table| table.heading == heading)
    }
}

fn strip_quote_markers(source: &str) -> String {
    source
        .lines()
        .map(|line| {
            let line = line.trim_start();
            line.strip_prefix('>').map(str::trim_start).unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn normalize_links(text: &str) -> String {
    text.replace(MIRROR_HOST, DOC_HOST)
}

/// A table cell's Markdown as the spec keeps it: `<br>` and inline ` - ` bullets become new
/// lines, escapes and entities are resolved, doc links point at open.feishu.cn.
fn cell_text(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {
                text.extend(chars.next());
            }
            _ => text.push(c),
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&")
        .replace("<br>", "\n");
    let mut lines = Vec::new();
    for line in text.lines() {
        // Inline bullets: `text - item - item` (format B writes lists on one line).
        let mut rest = line.trim();
        while let Some(at) = find_inline_bullet(rest) {
            lines.push(rest[..at].trim_end().to_owned());
            rest = rest[at..].trim_start();
        }
        lines.push(rest.to_owned());
    }
    let lines: Vec<String> = lines.into_iter().filter(|l| !l.is_empty()).collect();
    // A response field's depth is its indentation before `└`: keep it.
    let indent = raw
        .split('└')
        .next()
        .filter(|_| raw.contains('└'))
        .map_or(0, |before| {
            before.matches("&nbsp;").count() + before.matches(' ').count()
        });
    format!(
        "{}{}",
        " ".repeat(indent),
        normalize_links(&lines.join("\n"))
    )
}

/// Where a ` - ` bullet starts inside a line (after some text), if one does.
fn find_inline_bullet(line: &str) -> Option<usize> {
    line.match_indices(" - ")
        .map(|(at, _)| at)
        .find(|at| !line[..*at].trim().is_empty())
        .map(|at| at + 1)
}

fn text(zh: impl Into<String>) -> RawText {
    RawText {
        zh: zh.into(),
        en: None,
    }
}

/// A cell's lines, less the `**示例值**` / `**默认值**` / `**可选值有**` parts it states.
#[derive(Debug, Default)]
struct Described {
    description: String,
    example: Option<String>,
    default: Option<String>,
    values: Vec<RawAllowedValue>,
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    value.trim_matches('`').to_owned()
}

fn describe(cell: &str) -> Described {
    let mut out = Described::default();
    let mut kept: Vec<&str> = Vec::new();
    let mut in_values = false;
    for line in cell.lines() {
        if let Some(example) = line.strip_prefix("**示例值**：") {
            out.example = Some(unquote(example));
            in_values = false;
        } else if let Some(default) = line.strip_prefix("**默认值**：") {
            out.default = Some(unquote(default));
            in_values = false;
        } else if line == "**可选值有**：" {
            in_values = true;
            kept.push(line);
        } else if let Some(value) = line.strip_prefix("- `").filter(|_| in_values) {
            match value.split_once("`: ").or_else(|| value.split_once("`：")) {
                Some((value, description)) => out.values.push(RawAllowedValue {
                    value: value.to_owned(),
                    rust_name: None,
                    description: text(description.trim()),
                }),
                None => kept.push(line),
            }
        } else {
            in_values = false;
            kept.push(line);
        }
    }
    // The values are their own facts; their heading line goes when they all were read.
    if !out.values.is_empty() {
        kept.retain(|line| *line != "**可选值有**：");
    }
    out.description = kept.join("\n");
    out
}

fn endpoint(
    doc: &Document,
    request: &Table,
    url: String,
    date: String,
) -> Result<RawEndpoint, PageError> {
    let operation_id = operation_id(&url)?;
    let parts: Vec<String> = operation_id.split('.').map(str::to_owned).collect();
    let mut http = RawHttp {
        method: String::new(),
        path: String::new(),
    };
    let mut rate_limits = RawRateLimits {
        doc_url: String::new(),
        limits: Vec::new(),
    };
    let mut app_types = Vec::new();
    let mut scopes = Vec::new();
    let mut field_scopes = Vec::new();
    for row in request.rows.iter().skip(1) {
        let (Some(key), Some(value)) = (row.first(), row.get(1)) else {
            continue;
        };
        match key.as_str() {
            "HTTP URL" => match value.find("/open-apis/") {
                Some(at) => http.path = value[at..].to_owned(),
                None => return fail(format!("HTTP URL {value:?} has no /open-apis/ path")),
            },
            "HTTP Method" => http.method = value.clone(),
            "接口频率限制" => rate_limits = rate_limit(value)?,
            "支持的应用类型" => app_types = app_type_list(value)?,
            _ if key.starts_with("权限要求") => scopes = scope_list(value)?,
            // `> **Tip**: ...不建议申请 `scope` label`: the scopes start at the first backtick.
            "字段权限要求" => {
                let from = value.find('`').unwrap_or(value.len());
                field_scopes = scope_list(&value[from..])?;
            }
            _ => {}
        }
    }
    if http.method.is_empty() || http.path.is_empty() {
        return fail("the 请求 table has no HTTP URL or HTTP Method row");
    }

    let auth = doc
        .table_under("请求头")
        .and_then(|table| table.rows.iter().find(|row| row[0] == "Authorization"))
        .map(|row| authorization(row.last().map(String::as_str).unwrap_or_default()))
        .ok_or_else(|| PageError("no Authorization row under 请求头".into()))?;
    let path_params = params(doc.table_under("路径参数"), true);
    let query_params = params(doc.table_under("查询参数"), false);
    let request_body = doc
        .table_under("请求体")
        .map(|table| build_tree(&mut field_rows(table, true).into_iter().peekable(), 0))
        .unwrap_or_default();

    let (envelope, data) = response_fields(doc.table_under("响应体"))?;
    let example = doc
        .code_blocks
        .iter()
        .find(|(heading, _)| heading == "响应体示例")
        .map(|(_, block)| block.clone())
        .ok_or_else(|| PageError("no code block under 响应体示例".into()))?;
    let codes = doc
        .table_under("错误码")
        .map(|table| table.rows.iter().skip(1).map(error_row).collect())
        .transpose()?
        .unwrap_or_default();
    let more_info_url = doc
        .links
        .iter()
        .find(|(paragraph, _)| paragraph.contains("通用错误码"))
        .map(|(_, url)| url.clone())
        .unwrap_or_default();

    let (description, notes) = intro(&doc.intro);
    Ok(RawEndpoint {
        rust_name: sdk_name(&parts),
        operation_id,
        title: text(doc.title.clone()),
        description: text(description),
        notes: notes.into_iter().map(text).collect(),
        source: RawSource {
            url,
            last_updated: date,
        },
        auth,
        scopes,
        field_scopes,
        rate_limits,
        app_types,
        path_params,
        query_params,
        request_body,
        response: RawResponse {
            envelope,
            data,
            example,
        },
        errors: RawErrors {
            more_info_url,
            codes,
        },
        unknown_outcome: super::merge::new_unknown_outcome(&http.method),
        http,
    })
}

/// `.../calendar-v4/calendar-event-meeting_chat/delete` gives
/// `calendar.v4.calendar_event_meeting_chat.delete`.
fn operation_id(url: &str) -> Result<String, PageError> {
    let segments: Vec<&str> = url.trim_end_matches('/').rsplit('/').take(3).collect();
    let [action, resource, service_version] = segments.as_slice() else {
        return fail(format!(
            "cannot tell the operation from the page URL {url:?}"
        ));
    };
    let Some((service, version)) = service_version.rsplit_once('-') else {
        return fail(format!(
            "{service_version:?} in {url:?} is not `service-version`"
        ));
    };
    Ok(format!(
        "{}.{version}.{}.{action}",
        service.replace('-', "_"),
        resource.replace('-', "_")
    ))
}

fn rate_limit(cell: &str) -> Result<RawRateLimits, PageError> {
    // `[1000 次/分钟、50 次/秒](url)`
    let (label, url) = cell
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("]("))
        .map(|(label, rest)| (label, rest.trim_end_matches(')')))
        .ok_or_else(|| PageError(format!("rate limit {cell:?} is not a link")))?;
    let mut limits = Vec::new();
    for item in label.split(['、', ',', '，']) {
        let item = item.trim();
        let (count, per) = if let Some(count) = item.strip_suffix("次/分钟") {
            (count, "minute")
        } else if let Some(count) = item.strip_suffix("次/秒") {
            (count, "second")
        } else {
            return fail(format!(
                "rate limit {item:?} is neither per 分钟 nor per 秒"
            ));
        };
        let limit = count
            .trim()
            .parse()
            .map_err(|_| PageError(format!("rate limit {item:?} has no count")))?;
        limits.push(RawRateLimit {
            limit,
            per: per.to_owned(),
        });
    }
    Ok(RawRateLimits {
        doc_url: url.to_owned(),
        limits,
    })
}

fn app_type_list(cell: &str) -> Result<Vec<String>, PageError> {
    cell.split(['、', ','])
        .map(|item| match item.trim() {
            "自建应用" | "custom" => Ok("custom".to_owned()),
            "商店应用" | "isv" => Ok("store".to_owned()),
            other => fail(format!("unknown app type {other:?}")),
        })
        .collect()
}

fn scope_list(cell: &str) -> Result<Vec<RawScope>, PageError> {
    let mut scopes = Vec::new();
    if cell.contains('`') {
        // Format B: `name` label `name` label
        let parts: Vec<&str> = cell.split('`').collect();
        for pair in parts[1..].chunks(2) {
            let name = pair[0].trim();
            let label = pair.get(1).map(|l| l.trim()).unwrap_or_default();
            scopes.push(RawScope {
                name: name.to_owned(),
                label: text(label),
            });
        }
    } else {
        // Format A: label(name), one per line
        for line in cell.lines() {
            let Some((label, name)) = line
                .trim()
                .strip_suffix(')')
                .and_then(|l| l.rsplit_once('('))
            else {
                return fail(format!("scope {line:?} is not `label(name)`"));
            };
            scopes.push(RawScope {
                name: name.to_owned(),
                label: text(label.trim()),
            });
        }
    }
    Ok(scopes)
}

fn authorization(cell: &str) -> RawAuth {
    let mut token_types = Vec::new();
    if cell.contains("tenant_access_token") {
        token_types.push("tenant".to_owned());
    }
    if cell.contains("user_access_token") {
        token_types.push("user".to_owned());
    }
    const MARKER: &str = "**示例值**：";
    let (description, example) = match cell.find(MARKER) {
        Some(at) => {
            let after = &cell[at + MARKER.len()..];
            let (example, rest) = match after.strip_prefix('"').and_then(|a| a.split_once('"')) {
                Some((example, rest)) => (example.to_owned(), rest),
                None => {
                    let end = after.find('\n').unwrap_or(after.len());
                    (after[..end].trim().to_owned(), &after[end..])
                }
            };
            let before = cell[..at].trim_end();
            let rest = rest.trim_start();
            let joined = match (before.is_empty(), rest.is_empty()) {
                (_, true) => before.to_owned(),
                (true, false) => rest.to_owned(),
                (false, false) if cell[..at].ends_with('\n') => format!("{before}\n{rest}"),
                (false, false) => format!("{before} {rest}"),
            };
            (joined, example)
        }
        None => (cell.to_owned(), String::new()),
    };
    RawAuth {
        token_types,
        description: text(description),
        example,
    }
}

fn param_type(page_type: &str, has_values: bool) -> String {
    match page_type {
        "boolean" | "bool" => "bool",
        "int" | "int32" | "int64" => "int",
        _ if has_values => "enum",
        _ => "string",
    }
    .to_owned()
}

fn params(table: Option<&Table>, in_path: bool) -> Vec<RawParam> {
    let Some(table) = table else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .skip(1)
        .map(|row| {
            let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
            let code = |i: usize| cell(i).trim_matches('`');
            let (required, description) = if in_path {
                (None, describe(cell(2)))
            } else {
                (Some(cell(2) == "是"), describe(cell(3)))
            };
            RawParam {
                name: code(0).to_owned(),
                param_type: param_type(code(1), !description.values.is_empty()),
                rust_name: None,
                rust_field: None,
                required,
                description: text(description.description),
                example: description.example.unwrap_or_default(),
                default: description.default,
                values: description.values,
            }
        })
        .collect()
}

/// The 响应体 table as the envelope's fields and the tree under `data`.
fn response_fields(table: Option<&Table>) -> Result<(Vec<RawField>, Vec<RawField>), PageError> {
    let Some(table) = table else {
        return fail("no 响应体 table");
    };
    let mut envelope = build_tree(&mut field_rows(table, false).into_iter().peekable(), 0);
    let data = envelope
        .iter_mut()
        .find(|field| field.name == "data")
        .map(|field| std::mem::take(&mut field.fields))
        .unwrap_or_default();
    Ok((envelope, data))
}

/// A 响应体 or 请求体 table's rows as `(depth, field)` in page order; `└` rows are nested
/// one level per indentation step. The 请求体 table has a 必填 column before 描述, and its
/// string fields with 可选值有 are enums, as for parameters.
fn field_rows(table: &Table, in_body: bool) -> Vec<(usize, RawField)> {
    let mut flat = Vec::new();
    for row in table.rows.iter().skip(1) {
        let name_cell = row.first().map(String::as_str).unwrap_or_default();
        let (indent, name) = match name_cell.split_once('└') {
            Some((indent, name)) => (indent.chars().filter(|c| *c == ' ').count() / 2 + 1, name),
            None => (0, name_cell),
        };
        let name = name.trim().trim_matches('`').to_owned();
        let page_type = row.get(1).map(|c| c.trim_matches('`')).unwrap_or_default();
        let (base, array) = match page_type.strip_suffix("[]") {
            Some(base) => (base, true),
            None => (page_type, false),
        };
        let description_column = if in_body { 3 } else { 2 };
        let described = describe(
            row.get(description_column)
                .map(String::as_str)
                .unwrap_or_default(),
        );
        let field_type = match base {
            "string" if in_body && !described.values.is_empty() => "enum",
            "string" => "string",
            "int" | "int32" | "int64" => "int",
            "float" | "number" | "number(float)" | "double" => "float",
            "boolean" | "bool" => "bool",
            _ => "object",
        };
        let rust_name =
            (field_type == "object" && base != "-").then(|| upper_camel_from_words(base));
        flat.push((
            indent,
            RawField {
                name,
                field_type: field_type.to_owned(),
                array,
                rust_name,
                rust_field: None,
                required: in_body.then(|| row.get(2).is_some_and(|cell| cell == "是")),
                description: text(described.description),
                example: if in_body { described.example } else { None },
                default: if in_body { described.default } else { None },
                values: described.values,
                fields: Vec::new(),
            },
        ));
    }
    flat
}

fn build_tree(
    rows: &mut std::iter::Peekable<impl Iterator<Item = (usize, RawField)>>,
    depth: usize,
) -> Vec<RawField> {
    let mut fields = Vec::new();
    while let Some((row_depth, _)) = rows.peek() {
        if *row_depth < depth {
            break;
        }
        let Some((row_depth, mut field)) = rows.next() else {
            break;
        };
        field.fields = build_tree(rows, row_depth + 1);
        if field.fields.is_empty() {
            // Only an object with fields is a struct.
            field.rust_name = None;
        }
        fields.push(field);
    }
    fields
}

fn error_row(row: &Vec<String>) -> Result<RawErrorCode, PageError> {
    let number = |i: usize, what: &str| {
        row.get(i)
            .and_then(|cell| cell.parse::<i64>().ok())
            .ok_or_else(|| PageError(format!("error row {row:?} has no {what}")))
    };
    let status = number(0, "HTTP status")?;
    Ok(RawErrorCode {
        status,
        code: number(1, "code")?,
        message: row.get(2).cloned().unwrap_or_default(),
        advice: text(row.get(3).cloned().unwrap_or_default()),
    })
}

/// The description paragraphs and the notes (`**注意事项**：` or `> **Tip**:` and the bullets).
fn intro(blocks: &[String]) -> (String, Vec<String>) {
    let mut description = Vec::new();
    let mut notes = Vec::new();
    let mut in_notes = false;
    for block in blocks {
        if in_notes {
            notes.push(block.clone());
            continue;
        }
        let marker = ["**注意事项**：", "**Tip**:"]
            .iter()
            .find_map(|marker| block.find(marker).map(|at| (at, marker.len())));
        match marker {
            Some((at, len)) => {
                let before = block[..at].trim();
                if !before.is_empty() {
                    description.push(before.to_owned());
                }
                let after = block[at + len..]
                    .trim()
                    .trim_start_matches("**说明**")
                    .trim();
                let after = after.strip_prefix("- ").unwrap_or(after).trim();
                if !after.is_empty() {
                    notes.push(after.to_owned());
                }
                in_notes = true;
            }
            None => description.push(block.clone()),
        }
    }
    (description.join("\n\n"), notes)
}
