//! Reading a Feishu doc page (either crawler's format) into the facts a spec holds.
//!
//! pulldown-cmark finds the blocks and table cells; the cells' Markdown source is kept as the
//! spec's text. Format A continues a table cell on the next line after a hard break (two
//! trailing spaces); those lines are joined with `<br>` first, as format B writes them.
//!
//! Every fact remembers the page line it came from, so a refusal or a defect of the doc can
//! name it. Where the doc is wrong (a duplicated row, a row without a code), the fact is kept
//! where it can be and a [`DocDefect`] says what is wrong; the reader never panics, and its
//! time grows with the page's length alone.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::load::{
    RawAllowedValue, RawAuth, RawEndpoint, RawErrorCode, RawErrors, RawField, RawHttp, RawParam,
    RawRateLimit, RawRateLimits, RawResponse, RawScope, RawSource, RawText,
};
use crate::validate::{sdk_name, upper_camel_from_words};

/// What a doc page describes.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// One endpoint: its spec without English text, with derived Rust names, and where on the
    /// page each fact is.
    Endpoint(Box<PageFacts>),
    /// The common error code page: `(code, message, advice)` rows.
    ErrorCodes(Vec<(i64, String, String)>),
}

/// An endpoint page's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFacts {
    /// The facts as a spec.
    pub spec: RawEndpoint,
    /// The page line of each part of the spec, by field path.
    pub lines: SourceLines,
    /// What the page gets wrong, each at its line; the facts are kept as written where they
    /// can be.
    pub defects: Vec<DocDefect>,
}

/// A mistake in the doc page itself, at a line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocDefect {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DocDefect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Page lines by spec field path (`query_params[1]`, `response.data[0].fields[2]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceLines(Vec<(String, usize)>);

impl SourceLines {
    fn add(&mut self, path: impl Into<String>, line: usize) {
        self.0.push((path.into(), line));
    }

    /// The line of `path`, or of the nearest enclosing part the page has a line for.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        self.0
            .iter()
            .filter(|(known, _)| {
                path == known
                    || known.is_empty()
                    || path
                        .strip_prefix(known.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
            .max_by_key(|(known, _)| known.len())
            .map(|(_, line)| *line)
    }
}

/// Why a page cannot be read as an endpoint: what is wrong, and at which line (0: the page
/// as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: ", self.line)?;
        }
        f.write_str(&self.message)
    }
}

fn fail<T>(line: usize, message: impl Into<String>) -> Result<T, PageError> {
    Err(PageError {
        line,
        message: message.into(),
    })
}

/// The host doc links are written with, whichever mirror the page was saved from.
const DOC_HOST: &str = "https://open.feishu.cn/";
const MIRROR_HOST: &str = "https://open.larkoffice.com/";

/// How deep the `└` rows of a table may nest: deeper rows are kept one level under this.
const MAX_DEPTH: usize = 24;

/// The version of an operation whose path has none (the legacy meeting room API).
pub const UNVERSIONED: &str = "legacy";

/// Reads a page. `Ok(None)` for a page that is neither an endpoint nor the error code list.
pub fn read_page(text: &str) -> Result<Option<Page>, PageError> {
    let Some((front, body, body_line)) = split_front_matter(text) else {
        return Ok(None);
    };
    let front: serde_yaml::Mapping = serde_yaml::from_str(front).map_err(|err| PageError {
        line: 1,
        message: format!("front matter is not YAML: {err}"),
    })?;
    let get = |key: &str| {
        front.get(key).and_then(|value| match value {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let (joined, line_map) = join_continued_cells(body, body_line);
    let doc = Document::parse(&joined, &line_map);
    let request = doc.table_under("请求");
    if request.is_none() {
        return Ok(error_code_page(&doc).map(Page::ErrorCodes));
    }
    let (url, date) = match (get("source_url"), get("fullPath")) {
        (Some(url), _) => (url, get("last_remote_update").unwrap_or_default()),
        (None, Some(path)) => {
            let millis: i64 = get("updateTime")
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| PageError {
                    line: 1,
                    message: "front matter has no numeric updateTime".into(),
                })?;
            (
                format!("https://open.feishu.cn/document{path}"),
                beijing_date(millis),
            )
        }
        (None, None) => return fail(1, "front matter has neither source_url nor fullPath"),
    };
    match request {
        Some(table) => endpoint(&doc, table, url, date).map(|e| Some(Page::Endpoint(Box::new(e)))),
        None => Ok(None),
    }
}

fn error_code_page(doc: &Document) -> Option<Vec<(i64, String, String)>> {
    let table = doc.tables.iter().find(|table| {
        table
            .rows
            .first()
            .is_some_and(|head| head.len() == 3 && head[0] == "错误码" && head[2] == "排查建议")
    })?;
    Some(
        table.rows[1..]
            .iter()
            .filter_map(|row| {
                let code = row.first()?.parse().ok()?;
                Some((code, row.get(1)?.clone(), row.get(2)?.clone()))
            })
            .collect(),
    )
}

/// The front matter, the body, and the line the body starts at.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---\n")?;
    let end = if rest.starts_with("---\n") {
        0
    } else {
        rest.find("\n---\n")? + 1
    };
    let front = &rest[..end];
    let body = &rest[end + 4..];
    Some((front, body, front.matches('\n').count() + 3))
}

/// The calendar date in Beijing time (UTC+8) of a millisecond timestamp, as the docs show it.
fn beijing_date(millis: i64) -> String {
    let days = (millis / 1000).saturating_add(8 * 3600).div_euclid(86_400);
    // Howard Hinnant's civil-from-days; days outside any plausible date are clamped.
    let z = days.clamp(-1_000_000_000, 1_000_000_000) + 719_468;
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

/// Format A: a table line ending in a hard break continues on the next line. Returns the
/// joined text and, for each of its lines, the page line it starts at.
fn join_continued_cells(body: &str, first_line: usize) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut lines = Vec::new();
    let mut in_table = false;
    let mut continued = false;
    for (i, line) in body.lines().enumerate() {
        let is_delimiter = line.contains("---")
            && line.contains('|')
            && line.chars().all(|c| matches!(c, '-' | '|' | ' ' | ':'));
        if line.trim().is_empty() {
            in_table = false;
        }
        if !continued {
            lines.push(first_line + i);
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
    (out, lines)
}

/// A table: its rows (head first), each cell's Markdown normalized, and each row's line.
#[derive(Debug, Default)]
struct Table {
    heading: String,
    rows: Vec<Vec<String>>,
    lines: Vec<usize>,
}

impl Table {
    fn line(&self, row: usize) -> usize {
        self.lines.get(row).copied().unwrap_or_default()
    }

    /// The column whose head is one of `names` (bold and spaces aside).
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.rows.first()?.iter().position(|cell| {
            let head: String = cell
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '*')
                .collect();
            names.contains(&head.as_str())
        })
    }
}

/// A field row's name cell as its nesting (0 at the top; larger is deeper, only the order
/// counts) and its name: format B indents one `└` with non-breaking spaces, older pages repeat
/// `∟` or `└` once per level.
fn nesting(cell: &str) -> (usize, &str) {
    let lead = cell.len() - cell.trim_start_matches(' ').len();
    let rest = &cell[lead..];
    let mut markers = 0;
    let mut end = 0;
    for (at, c) in rest.char_indices() {
        match c {
            '└' | '∟' | '├' => markers += 1,
            ' ' | '\u{3000}' | '\t' => {}
            _ => break,
        }
        end = at + c.len_utf8();
    }
    if markers == 0 {
        return (0, cell.trim());
    }
    (lead + 2 * markers, rest[end..].trim())
}

/// A name or type cell without its code and bold marks.
fn bare(cell: &str) -> &str {
    cell.trim().trim_matches(['`', '*']).trim()
}

/// A note: its text and line.
type Note = (String, usize);

/// The parts of a page the importer reads.
#[derive(Debug, Default)]
struct Document {
    title: String,
    /// Paragraphs and list items before the first `##` heading, in order, with their lines.
    intro: Vec<Note>,
    /// Notes from elsewhere: `> **Tip**` and other quotes after the intro, and the blocks of
    /// `##` sections that are not the request or the response (注意事项, 使用限制, ...).
    notes: Vec<Note>,
    tables: Vec<Table>,
    /// Code blocks with the heading they are under and their line.
    code_blocks: Vec<(String, String, usize)>,
    /// Links with the paragraph text they are in: `(paragraph, url)`.
    links: Vec<(String, String)>,
    /// The 响应 section says the response is a file (二进制, 文件流).
    says_file: bool,
}

/// `##` sections whose content is the endpoint's facts, read from tables and code blocks.
const FACT_SECTIONS: [&str; 4] = ["请求", "响应", "错误码", "状态码"];

/// `##` sections after the request whose blocks are notes.
const NOTE_SECTIONS: [&str; 6] = [
    "注意事项",
    "使用限制",
    "前提条件",
    "提示",
    "使用说明",
    "说明",
];

impl Document {
    fn parse(text: &str, line_map: &[usize]) -> Document {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let line_of = |offset: usize| {
            let index = line_starts.partition_point(|start| *start <= offset);
            line_map
                .get(index.saturating_sub(1))
                .copied()
                .unwrap_or_default()
        };
        let mut doc = Document::default();
        let mut heading: Option<(HeadingLevel, String)> = None;
        let mut current = String::new();
        // The `##` section the text is in, when it is one whose blocks are notes.
        let mut note_section: Option<String> = None;
        let mut seen_h2 = false;
        let mut seen_request = false;
        let mut row: Option<(Vec<String>, usize)> = None;
        let mut item_depth = 0usize;
        let mut quote_depth = 0usize;
        let mut paragraph: Option<(String, Vec<String>, usize)> = None;
        let mut code: Option<(String, usize)> = None;
        let options = Options::ENABLE_TABLES;
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, title)) = heading.take() {
                        let title = title.trim().to_owned();
                        if level == HeadingLevel::H1 && doc.title.is_empty() {
                            doc.title = title;
                        } else {
                            seen_h2 |= level >= HeadingLevel::H2;
                            if level == HeadingLevel::H2 {
                                let facts =
                                    FACT_SECTIONS.iter().any(|fact| title.starts_with(fact));
                                seen_request |= facts;
                                // Before the request, every section is about using the
                                // endpoint; after it, only those named so.
                                let notes = !seen_request
                                    || NOTE_SECTIONS.iter().any(|note| title.starts_with(note));
                                note_section =
                                    (!facts && notes && !title.is_empty()).then(|| title.clone());
                            }
                            current = title;
                        }
                    }
                }
                Event::Text(t) | Event::Code(t) if heading.is_some() => {
                    if let Some((_, title)) = heading.as_mut() {
                        title.push_str(&t);
                    }
                }
                Event::Start(Tag::Table(_)) => doc.tables.push(Table {
                    heading: current.clone(),
                    ..Table::default()
                }),
                Event::Start(Tag::TableHead | Tag::TableRow) => {
                    row = Some((Vec::new(), line_of(range.start)));
                }
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    if let (Some((cells, line)), Some(table)) = (row.take(), doc.tables.last_mut())
                    {
                        table.rows.push(cells);
                        table.lines.push(line);
                    }
                }
                Event::Start(Tag::TableCell) => {
                    if let Some((cells, _)) = row.as_mut() {
                        cells.push(cell_text(text[range].trim().trim_matches('|')));
                    }
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let in_intro = !seen_h2 && !doc.title.is_empty();
                    if quote_depth == 0 && item_depth == 0 && !in_intro {
                        let quote = strip_quote_markers(&text[range.clone()]);
                        let note = strip_note_marker(quote.trim());
                        if !note.is_empty() {
                            doc.notes
                                .push((normalize_links(note), line_of(range.start)));
                        }
                    }
                    quote_depth += 1;
                }
                Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
                Event::Start(Tag::Item) => {
                    if item_depth == 0 && quote_depth == 0 {
                        let item = strip_quote_markers(&text[range.clone()]);
                        let item = item.trim_start().trim_start_matches(['-', '*', '+']).trim();
                        let item = (normalize_links(item), line_of(range.start));
                        if !seen_h2 && !doc.title.is_empty() {
                            doc.intro.push(item);
                        } else if note_section.is_some() {
                            doc.notes.push(section_note(&mut note_section, item));
                        }
                    } else if item_depth == 0 && !seen_h2 && !doc.title.is_empty() {
                        // A list inside the intro's quote: the quote's bullets, as notes.
                        let item = strip_quote_markers(&text[range.clone()]);
                        let item = item.trim_start().trim_start_matches(['-', '*', '+']).trim();
                        doc.intro
                            .push((normalize_links(item), line_of(range.start)));
                    }
                    item_depth += 1;
                }
                Event::End(TagEnd::Item) => item_depth = item_depth.saturating_sub(1),
                Event::Start(Tag::Paragraph) => {
                    paragraph = Some((
                        strip_quote_markers(&text[range.clone()]),
                        Vec::new(),
                        line_of(range.start),
                    ));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    if let Some((_, links, _)) = paragraph.as_mut() {
                        links.push(normalize_links(&dest_url));
                    }
                }
                Event::End(TagEnd::Paragraph) => {
                    if let Some((source, links, line)) = paragraph.take() {
                        let in_response = current.starts_with("响应");
                        doc.says_file |= in_response
                            && ["二进制", "文件流"]
                                .iter()
                                .any(|word| source.contains(word));
                        if item_depth == 0 {
                            let block = (normalize_links(source.trim()), line);
                            if !seen_h2 && !doc.title.is_empty() {
                                doc.intro.push(block);
                            } else if note_section.is_some() && quote_depth == 0 {
                                doc.notes.push(section_note(&mut note_section, block));
                            }
                        }
                        for link in links {
                            doc.links.push((source.clone(), link));
                        }
                    }
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                    code = fenced.then(|| (String::new(), line_of(range.start)));
                }
                Event::Text(t) if code.is_some() => {
                    if let Some((block, _)) = code.as_mut() {
                        block.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((block, line)) = code.take() {
                        doc.code_blocks.push((current.clone(), block, line));
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

/// A block of a note section: the section's first block is prefixed with its title, unless
/// the title says it holds notes (注意事项).
fn section_note(section: &mut Option<String>, (text, line): Note) -> Note {
    match section.as_deref() {
        Some(title) if !title.starts_with("注意事项") && !title.is_empty() => {
            let note = format!("{title}：{text}");
            // Later blocks of the section are its own.
            *section = Some(String::new());
            (note, line)
        }
        _ => (text, line),
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

/// A quote's text without its `**Tip**:` (or Warning, Note, ...) marker.
fn strip_note_marker(quote: &str) -> &str {
    let rest = quote.trim_start();
    match rest
        .strip_prefix("**")
        .and_then(|r| r.split_once("**"))
        .filter(|(word, _)| word.chars().all(|c| c.is_ascii_alphabetic()) && !word.is_empty())
    {
        Some((_, after)) => after.trim_start_matches([':', '：']).trim(),
        None => rest.trim(),
    }
}

fn normalize_links(text: &str) -> String {
    text.replace(MIRROR_HOST, DOC_HOST)
}

/// A table cell's Markdown as the spec keeps it: `<br>` and inline ` - ` bullets become new
/// lines, escapes and entities are resolved, doc links point at open.feishu.cn.
fn cell_text(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    // Backslash escapes of punctuation: the character alone.
    while let Some(at) = rest.find('\\') {
        text.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.chars().next() {
            Some(c) if c.is_ascii_punctuation() => {
                text.push(c);
                rest = &after[1..];
            }
            _ => {
                text.push('\\');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if text.contains('&') {
        text = text
            .replace("&nbsp;", " ")
            .replace("&gt;", ">")
            .replace("&lt;", "<")
            .replace("&amp;", "&");
    }
    if text.contains("<br>") {
        text = text.replace("<br>", "\n");
    }
    let mut lines = Vec::new();
    for line in text.lines() {
        // Inline bullets: `text - item - item` (format B writes lists on one line).
        let line = line.trim();
        let mut start = 0;
        let mut seen_text = false;
        let mut at = 0;
        while let Some(found) = line[at..].find(" - ") {
            let bullet = at + found;
            seen_text |= !line[at..bullet].trim().is_empty();
            if seen_text && !line[start..bullet].trim().is_empty() {
                lines.push(line[start..bullet].trim());
                start = bullet + 1;
            }
            at = bullet + 1;
        }
        lines.push(line[start..].trim());
    }
    lines.retain(|l| !l.is_empty());
    // A response field's depth is its indentation before `└`: keep it.
    let indent = raw.find('└').map_or(0, |at| {
        let before = &raw[..at];
        before.matches("&nbsp;").count() + before.matches(' ').count()
    });
    let mut out = " ".repeat(indent);
    out.push_str(&lines.join("\n"));
    if out.contains(MIRROR_HOST) {
        out = normalize_links(&out);
    }
    out
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
    /// Values the cell lists twice: kept once.
    repeated: Vec<String>,
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('“').and_then(|v| v.strip_suffix('”')))
        .unwrap_or(value);
    match value.strip_prefix('`').and_then(|v| v.strip_suffix('`')) {
        Some(inner) if !inner.contains('`') => inner.to_owned(),
        _ => value.to_owned(),
    }
}

/// A field that by its name holds a secret: a credential or a token that grants access (not a
/// page token or a file token, which only point at things).
fn is_secret_name(name: &str) -> bool {
    name.ends_with("secret")
        || name.ends_with("access_token")
        || name.ends_with("refresh_token")
        || name == "password"
}

const EXAMPLE: &str = "**示例值**：";
const DEFAULT: &str = "**默认值**：";
const VALUES: &str = "**可选值有**：";

/// The cell's lines, a `**示例值**` / `**默认值**` / `**可选值有**` marker that follows text on
/// its line starting a line of its own.
fn marked_lines(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in cell.lines() {
        let mut rest = line;
        loop {
            let next = [EXAMPLE, DEFAULT, VALUES]
                .iter()
                .filter_map(|marker| rest.find(marker))
                .filter(|at| *at > 0)
                .min();
            match next {
                Some(at) => {
                    out.push(rest[..at].trim_end());
                    rest = &rest[at..];
                }
                None => break,
            }
        }
        out.push(rest);
    }
    out.retain(|line| !line.is_empty());
    out
}

/// How many more brackets a line opens than it closes, outside JSON strings.
fn bracket_depth(line: &str) -> i64 {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

fn describe(cell: &str) -> Described {
    // Some pages put the colon inside the bold: `**示例值：**`. Read as the usual marker; a
    // marker the description keeps is written back as the page spells it.
    const COLON_INSIDE: [(&str, &str); 3] = [
        ("**示例值：**", EXAMPLE),
        ("**默认值：**", DEFAULT),
        ("**可选值有：**", VALUES),
    ];
    let spelled: Vec<(&str, &str)> = COLON_INSIDE
        .into_iter()
        .filter(|(page, usual)| cell.contains(page) && !cell.contains(usual))
        .collect();
    let cell = spelled.iter().fold(cell.to_owned(), |cell, (page, usual)| {
        cell.replace(page, usual)
    });
    let cell = cell.as_str();
    let mut out = Described::default();
    let mut kept: Vec<&str> = Vec::new();
    let mut in_values = false;
    // A JSON example the cell breaks over lines, while its brackets are open.
    let mut open_example: Option<(String, i64)> = None;
    for line in marked_lines(cell) {
        if let Some((example, depth)) = open_example.as_mut() {
            if !line.starts_with("**") {
                example.push('\n');
                example.push_str(line);
                *depth += bracket_depth(line);
                if *depth <= 0 {
                    out.example = open_example.take().map(|(example, _)| example);
                }
                continue;
            }
            out.example = open_example.take().map(|(example, _)| example);
        }
        if let Some(example) = line.strip_prefix(EXAMPLE) {
            let example = unquote(example);
            let depth = bracket_depth(&example);
            if example.starts_with(['[', '{']) && depth > 0 {
                open_example = Some((example, depth));
            } else {
                out.example = Some(example);
            }
            in_values = false;
        } else if let Some(default) = line.strip_prefix(DEFAULT) {
            out.default = Some(unquote(default));
            in_values = false;
        } else if line.trim_end() == VALUES.trim_end() {
            in_values = true;
            kept.push(line);
        } else if let Some(value) = line.strip_prefix("- `").filter(|_| in_values) {
            match value.split_once("`: ").or_else(|| value.split_once("`：")) {
                Some((value, description)) => {
                    if out.values.iter().any(|known| known.value == value) {
                        out.repeated.push(value.to_owned());
                    } else {
                        out.values.push(RawAllowedValue {
                            value: value.to_owned(),
                            rust_name: None,
                            description: text(description.trim()),
                        });
                    }
                }
                None => kept.push(line),
            }
        } else {
            in_values = false;
            kept.push(line);
        }
    }
    if let Some((example, _)) = open_example {
        out.example = Some(example);
    }
    // The values are their own facts; their heading line goes when they all were read.
    if !out.values.is_empty() {
        kept.retain(|line| line.trim_end() != VALUES.trim_end());
    }
    out.description = spelled.iter().fold(kept.join("\n"), |text, (page, usual)| {
        text.replace(usual, page)
    });
    out
}

/// What the reader learns while it reads: lines and defects.
#[derive(Default)]
struct Notes {
    lines: SourceLines,
    defects: Vec<DocDefect>,
}

impl Notes {
    fn defect(&mut self, line: usize, message: impl Into<String>) {
        self.defects.push(DocDefect {
            line,
            message: message.into(),
        });
    }
}

fn endpoint(
    doc: &Document,
    request: &Table,
    url: String,
    date: String,
) -> Result<PageFacts, PageError> {
    let mut notes = Notes::default();
    let mut http = RawHttp {
        method: String::new(),
        path: String::new(),
        content_type: None,
    };
    let mut rate_limits = None;
    let mut app_types = Vec::new();
    let mut scopes = Vec::new();
    let mut field_scopes = Vec::new();
    let mut path_line = request.line(0);
    // What the page has no line for is located at its 请求 table.
    notes.lines.add("", request.line(0));
    for (i, row) in request.rows.iter().enumerate().skip(1) {
        let (Some(key), Some(value)) = (row.first(), row.get(1)) else {
            continue;
        };
        let line = request.line(i);
        match key.as_str() {
            "HTTP URL" => {
                let Some(at) = value.find("/open-apis/") else {
                    return fail(
                        line,
                        format!(
                            "HTTP URL {value:?} is not under /open-apis/ of the platform's host"
                        ),
                    );
                };
                let path = &value[at..];
                let path = path.split(['?', '#', ' ']).next().unwrap_or(path);
                if path.len() != value[at..].len() {
                    notes.defect(
                        line,
                        format!(
                            "HTTP URL {value:?} carries more than the path; the path is {path:?}"
                        ),
                    );
                }
                http.path = path.trim_end_matches('/').to_owned();
                path_line = line;
                notes.lines.add("http.path", line);
            }
            "HTTP Method" => {
                http.method = value.trim().to_ascii_uppercase();
                notes.lines.add("http.method", line);
            }
            "接口频率限制" => {
                rate_limits = rate_limit(value, line, &mut notes);
                notes.lines.add("rate_limits", line);
            }
            "支持的应用类型" => {
                app_types = app_type_list(value, line, &mut notes);
                notes.lines.add("app_types", line);
            }
            _ if key.starts_with("权限要求") => {
                scopes = scope_list(value, line, &mut notes);
                notes.lines.add("scopes", line);
            }
            // `> **Tip**: ...不建议申请 `scope` label`: the scopes start at the first backtick.
            "字段权限要求" => {
                let from = value.find('`').unwrap_or(value.len());
                field_scopes = scope_list(&value[from..], line, &mut notes);
                notes.lines.add("field_scopes", line);
            }
            _ => {}
        }
    }
    if http.method.is_empty() || http.path.is_empty() {
        return fail(
            request.line(0),
            "the 请求 table has no HTTP URL or HTTP Method row",
        );
    }
    let operation_id =
        operation_id(&url, &http.path, &http.method).map_err(|message| PageError {
            line: path_line,
            message,
        })?;
    let parts: Vec<String> = operation_id.split('.').map(str::to_owned).collect();

    let headers = doc.table_under("请求头");
    let auth_row = headers.and_then(|table| {
        (1..table.rows.len())
            .find(|i| table.rows[*i].first().map(String::as_str) == Some("Authorization"))
    });
    let auth = match (headers, auth_row) {
        (Some(table), Some(i)) => {
            notes.lines.add("auth", table.line(i));
            authorization(table.rows[i].last().map(String::as_str).unwrap_or_default())
        }
        // A page that gives a token takes none.
        _ => RawAuth {
            token_types: Vec::new(),
            description: None,
            example: None,
        },
    };
    if let Some(table) = headers {
        for (i, row) in table.rows.iter().enumerate().skip(1) {
            if row.first().is_some_and(|name| name == "Content-Type")
                && row.iter().any(|cell| cell.contains("multipart/form-data"))
            {
                http.content_type = Some(MULTIPART.to_owned());
                notes.lines.add("http.content_type", table.line(i));
            }
        }
    }
    let path_params = params(doc.table_under("路径参数"), true, &mut notes);
    let query_params = params(doc.table_under("查询参数"), false, &mut notes);
    let request_body = match doc.table_under("请求体") {
        Some(table) => {
            notes.lines.add("request_body", table.line(0));
            let rows = field_rows(table, true, &mut notes);
            build_tree(rows, "request_body", &mut notes)
        }
        None => Vec::new(),
    };
    let mut request_body = request_body;
    if let Some((_, example, _)) = doc
        .code_blocks
        .iter()
        .find(|(heading, _, _)| heading == "请求体示例")
    {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(example) {
            lists_from_example(&mut request_body, &value, "request_body", &mut notes);
        }
    }
    let has_file = request_body.iter().any(|field| field.field_type == "file");
    if has_file && http.content_type.is_none() {
        http.content_type = Some(MULTIPART.to_owned());
    }

    let (envelope, mut data) = response_fields(doc, &mut notes)?;
    let file = envelope.is_empty() && doc.says_file;
    let example = match doc
        .code_blocks
        .iter()
        .find(|(heading, _, _)| heading == "响应体示例")
    {
        Some((_, block, line)) => {
            notes.lines.add("response.example", *line);
            block.clone()
        }
        None if file => String::new(),
        None => {
            let line = doc.table_under("响应体").map_or(0, |table| table.line(0));
            notes.defect(
                line,
                "no code block under 响应体示例: the response example is left empty",
            );
            notes.lines.add("response.example", line);
            String::new()
        }
    };
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&example) {
        if let Some(value) = value.get("data") {
            lists_from_example(&mut data, value, "response.data", &mut notes);
        }
    }
    let codes = match doc.table_under("错误码") {
        Some(table) => error_rows(table, &mut notes)?,
        None => Vec::new(),
    };
    let more_info_url = doc
        .links
        .iter()
        .find(|(paragraph, _)| paragraph.contains("通用错误码") || paragraph.contains("错误码说明"))
        .map(|(_, url)| url.clone());

    let (description, mut page_notes) = intro(&doc.intro);
    let description = if description.trim().is_empty() {
        let line = doc.intro.first().map_or(1, |(_, line)| *line);
        notes.defect(
            line,
            "the page has no description under its title; the title stands in",
        );
        doc.title.clone()
    } else {
        description
    };
    page_notes.extend(doc.notes.iter().cloned());
    for (i, (_, line)) in page_notes.iter().enumerate() {
        notes.lines.add(format!("notes[{i}]"), *line);
    }
    let mut title = doc.title.clone();
    if title.is_empty() {
        notes.defect(1, "the page has no `#` title; the operation id stands in");
        title = operation_id.clone();
    }
    let spec = RawEndpoint {
        rust_name: sdk_name(&parts),
        operation_id,
        title: text(title),
        description: text(description),
        notes: page_notes.into_iter().map(|(note, _)| text(note)).collect(),
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
            file,
        },
        errors: RawErrors {
            more_info_url,
            codes,
        },
        unknown_outcome: super::merge::new_unknown_outcome(&http.method),
        http,
        doc_defects: Vec::new(),
    };
    Ok(PageFacts {
        spec,
        lines: notes.lines,
        defects: notes.defects,
    })
}

/// An object the table does not mark as a list (`-`, or a type without `[]`) whose example
/// is a list of objects is a list: the example shows what is sent. Reported, as the table
/// and the example disagree.
fn lists_from_example(
    fields: &mut [RawField],
    example: &serde_json::Value,
    path: &str,
    notes: &mut Notes,
) {
    for (i, field) in fields.iter_mut().enumerate() {
        let Some(value) = example.get(&field.name) else {
            continue;
        };
        let item = format!("{path}[{i}]");
        let value = match value {
            serde_json::Value::Array(items) if field.field_type == "object" && !field.array => {
                field.array = true;
                let line = notes.lines.line_of(&item).unwrap_or_default();
                notes.defect(
                    line,
                    format!(
                        "{item}: the table types {:?} as one object, its example as a list; read as a list",
                        field.name
                    ),
                );
                match items.first() {
                    Some(first) => first,
                    None => continue,
                }
            }
            serde_json::Value::Array(items) => match items.first() {
                Some(first) => first,
                None => continue,
            },
            other => other,
        };
        lists_from_example(&mut field.fields, value, &format!("{item}.fields"), notes);
    }
}

/// The content type of a file upload's body.
pub const MULTIPART: &str = "multipart/form-data";

/// The operation id: from the page's address when it reads
/// `.../calendar-v4/calendar-event-meeting_chat/delete`
/// (`calendar.v4.calendar_event_meeting_chat.delete`), else from the HTTP path.
fn operation_id(url: &str, path: &str, method: &str) -> Result<String, String> {
    let segments: Vec<&str> = url.trim_end_matches('/').split('/').collect();
    // The last `service-vN` segment of the address, followed by a resource and an action.
    let versioned = segments.iter().rposition(|segment| {
        segment
            .rsplit_once('-')
            .is_some_and(|(service, version)| !service.is_empty() && is_version(version))
    });
    if let Some(at) = versioned.filter(|at| segments.len() >= at + 3) {
        let (service, version) = segments[at].rsplit_once('-').unwrap_or_default();
        let rest = &segments[at + 1..];
        let (action, resource) = rest.split_last().unwrap_or((&"", &[]));
        let id = format!(
            "{}.{version}.{}.{}",
            snake(service),
            snake(&resource.join("_")),
            snake(action)
        );
        if id.split('.').all(crate::validate::is_snake_case) {
            return Ok(id);
        }
    }
    operation_id_from_path(path, method).ok_or_else(|| {
        format!("cannot tell the operation from the page address {url:?} or the path {path:?}")
    })
}

fn is_version(text: &str) -> bool {
    text.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `calendar-event_x` to `calendar_event_x`; `IsvTenant` to `isv_tenant`.
fn snake(text: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    out.trim_end_matches('_').to_owned()
}

/// From the path's fixed segments and the method, which together tell endpoints apart:
/// `POST /open-apis/meeting_room/building/create` gives `meeting_room.legacy.building_create.post`,
/// `GET /open-apis/sheets/v2/spreadsheets/:token/dataValidation` gives
/// `sheets.v2.spreadsheets_data_validation.get`.
fn operation_id_from_path(path: &str, method: &str) -> Option<String> {
    let rest = path.strip_prefix("/open-apis/")?;
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let service = snake(segments.next()?);
    let mut version = None;
    let mut words = Vec::new();
    for segment in segments {
        if segment.starts_with(':') || segment.starts_with('{') {
            continue;
        }
        if version.is_none() && is_version(segment) {
            version = Some(segment.to_owned());
        } else {
            words.push(snake(segment));
        }
    }
    let action = method.to_ascii_lowercase();
    let resource = if words.is_empty() {
        service.clone()
    } else {
        words.join("_")
    };
    let id = format!(
        "{service}.{}.{resource}.{action}",
        version.as_deref().unwrap_or(UNVERSIONED)
    );
    id.split('.')
        .all(crate::validate::is_snake_case)
        .then_some(id)
}

/// `[1000 次/分钟、50 次/秒](url)`; `[特殊频控](url)` (a special limit the page does not
/// count) gives no limits.
fn rate_limit(cell: &str, line: usize, notes: &mut Notes) -> Option<RawRateLimits> {
    let (label, url) = match cell
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("]("))
    {
        Some((label, rest)) => (label, Some(rest.trim_end_matches(')').to_owned())),
        None => (cell, None),
    };
    let mut limits = Vec::new();
    let mut special = None;
    for item in label.split(['、', ',', '，']) {
        let item = item.trim();
        let counted = if let Some(count) = item.strip_suffix("次/分钟") {
            Some((count, "minute"))
        } else {
            item.strip_suffix("次/秒").map(|count| (count, "second"))
        };
        match counted.and_then(|(count, per)| Some((count.trim().parse::<i64>().ok()?, per))) {
            Some((limit, per))
                if limit > 0 && !limits.iter().any(|l: &RawRateLimit| l.per == per) =>
            {
                limits.push(RawRateLimit {
                    limit,
                    per: per.to_owned(),
                });
            }
            _ if !item.is_empty() => {
                if !item.contains("特殊") {
                    notes.defect(
                        line,
                        format!("rate limit {item:?} is neither a count per 分钟 nor per 秒; kept as written"),
                    );
                }
                special = Some(label.trim().to_owned());
            }
            _ => {}
        }
    }
    Some(RawRateLimits {
        doc_url: url,
        limits,
        special,
    })
}

fn app_type_list(cell: &str, line: usize, notes: &mut Notes) -> Vec<String> {
    let mut types = Vec::new();
    for item in cell.split(['、', ',', '，']) {
        let app_type = match item.trim() {
            "自建应用" | "custom" => "custom",
            "商店应用" | "isv" => "store",
            "" => continue,
            other => {
                notes.defect(line, format!("unknown app type {other:?}, left out"));
                continue;
            }
        };
        if !types.iter().any(|known| known == app_type) {
            types.push(app_type.to_owned());
        }
    }
    types
}

fn scope_list(cell: &str, line: usize, notes: &mut Notes) -> Vec<RawScope> {
    let mut scopes: Vec<RawScope> = Vec::new();
    let mut push = |name: &str, label: &str, notes: &mut Notes| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        if scopes.iter().any(|known| known.name == name) {
            notes.defect(line, format!("scope {name:?} is listed twice; kept once"));
            return;
        }
        scopes.push(RawScope {
            name: name.to_owned(),
            label: (!label.trim().is_empty()).then(|| text(label.trim())),
        });
    };
    let trimmed = cell.trim();
    if trimmed.is_empty() || trimmed == "无" {
        return Vec::new();
    }
    if cell.contains('`') {
        // Format B: `name` label `name` label
        let parts: Vec<&str> = cell.split('`').collect();
        for pair in parts[1..].chunks(2) {
            push(pair[0], pair.get(1).copied().unwrap_or_default(), notes);
        }
    } else {
        // Format A: label(name), one per line; or bare names.
        for line_text in cell.lines() {
            let line_text = line_text.trim();
            match line_text
                .strip_suffix(')')
                .and_then(|l| l.rsplit_once('('))
                .filter(|(_, name)| is_scope_name(name))
            {
                Some((label, name)) => push(name, label, notes),
                None if line_text.split_whitespace().all(is_scope_name) => {
                    for name in line_text.split_whitespace() {
                        push(name, "", notes);
                    }
                }
                None => notes.defect(
                    line,
                    format!(
                        "scope {line_text:?} is neither `label(name)` nor a scope name; left out"
                    ),
                ),
            }
        }
    }
    scopes
}

fn is_scope_name(text: &str) -> bool {
    !text.is_empty()
        && text.contains(':')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '.' | '-' | '*'))
}

fn authorization(cell: &str) -> RawAuth {
    let mut token_types = Vec::new();
    if cell.contains("tenant_access_token") {
        token_types.push("tenant".to_owned());
    }
    if cell.contains("user_access_token") {
        token_types.push("user".to_owned());
    }
    let (description, example) = match cell.find(EXAMPLE) {
        Some(at) => {
            let after = &cell[at + EXAMPLE.len()..];
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
        description: Some(text(description)),
        example: Some(example),
    }
}

/// The spec's type of a parameter: `int` with listed values is an enum of numbers.
fn param_type(page_type: &str, has_values: bool) -> &'static str {
    match page_type {
        "boolean" | "bool" => "bool",
        _ if has_values => "enum",
        "int" | "int32" | "int64" | "integer" | "number" | "long" => "int",
        _ => "string",
    }
}

fn params(table: Option<&Table>, in_path: bool, notes: &mut Notes) -> Vec<RawParam> {
    let Some(table) = table else {
        return Vec::new();
    };
    let list = if in_path {
        "path_params"
    } else {
        "query_params"
    };
    let mut out: Vec<RawParam> = Vec::new();
    let type_column = table.column(&["类型", "参数类型"]).unwrap_or(1);
    let required_column = table.column(&["必填", "必须", "是否必填", "是否必须"]);
    let description_column = table
        .column(&["描述", "说明", "参数说明"])
        .unwrap_or(if in_path { 2 } else { 3 });
    for (i, row) in table.rows.iter().enumerate().skip(1) {
        let line = table.line(i);
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        let code = |i: usize| bare(cell(i));
        let description_cell = cell(description_column);
        let described = describe(description_cell);
        let required = (!in_path).then(|| {
            matches!(
                bare(cell(required_column.unwrap_or(2))),
                "是" | "true" | "required"
            )
        });
        let name = code(0).to_owned();
        if name.is_empty() {
            notes.defect(line, "a parameter row has no name; left out");
            continue;
        }
        if out.iter().any(|known| known.name == name) {
            notes.defect(
                line,
                format!("parameter {name:?} is listed twice; the first row is kept"),
            );
            continue;
        }
        for value in &described.repeated {
            notes.defect(
                line,
                format!("value {value:?} of {name:?} is listed twice; kept once"),
            );
        }
        let page_type = code(type_column);
        let param_type = if in_path {
            "string"
        } else if page_type.ends_with("[]") {
            // A list: sent as one text, as the page's example writes it.
            "string"
        } else {
            param_type(page_type, !described.values.is_empty())
        };
        let (description, values) = if param_type == "enum" {
            (described.description, described.values)
        } else {
            // Values that make no enum stay in the text, as the page gives them.
            (describe_keeping_values(description_cell), Vec::new())
        };
        let description = if description.trim().is_empty() {
            notes.defect(
                line,
                format!("parameter {name:?} has no description; its name stands in"),
            );
            name.clone()
        } else {
            description
        };
        notes.lines.add(format!("{list}[{}]", out.len()), line);
        out.push(RawParam {
            name,
            param_type: param_type.to_owned(),
            rust_name: None,
            rust_field: None,
            required,
            description: text(description),
            example: described.example.unwrap_or_default(),
            default: described.default,
            values,
        });
    }
    out
}

/// A cell's description with its 可选值有 list kept in the text: for a parameter whose values
/// make no enum.
fn describe_keeping_values(cell: &str) -> String {
    marked_lines(cell)
        .into_iter()
        .filter(|line| !line.starts_with(EXAMPLE) && !line.starts_with(DEFAULT))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 响应体 table as the envelope's fields and the tree under `data`. `data` is the
/// response type itself, so the page's type name for it names nothing.
fn response_fields(
    doc: &Document,
    notes: &mut Notes,
) -> Result<(Vec<RawField>, Vec<RawField>), PageError> {
    let Some(table) = doc.table_under("响应体") else {
        let line = doc
            .tables
            .iter()
            .find(|table| table.heading == "请求")
            .map_or(0, |table| table.line(0));
        if doc.says_file {
            return Ok((Vec::new(), Vec::new()));
        }
        return fail(
            line,
            "no 响应体 table, and the page does not say the response is a file (二进制)",
        );
    };
    notes.lines.add("response", table.line(0));
    let rows = field_rows(table, false, notes);
    let mut envelope = build_tree(rows, "response.envelope", notes);
    let data_index = envelope.iter().position(|field| field.name == "data");
    let data = match data_index {
        Some(i) => {
            let data = &mut envelope[i];
            data.rust_name = None;
            if data.field_type != "object" || data.array {
                data.field_type = "object".to_owned();
                data.array = false;
            }
            notes
                .lines
                .rename_prefix(&format!("response.envelope[{i}].fields"), "response.data");
            std::mem::take(&mut data.fields)
        }
        None => Vec::new(),
    };
    Ok((envelope, data))
}

impl SourceLines {
    /// Moves the lines under `from` to `to`: `data`'s fields are the spec's `response.data`.
    fn rename_prefix(&mut self, from: &str, to: &str) {
        for (path, _) in &mut self.0 {
            if let Some(rest) = path.strip_prefix(from) {
                *path = format!("{to}{rest}");
            }
        }
    }
}

/// A 响应体 or 请求体 table's rows as `(depth, field, line)` in page order; `└` rows are
/// nested one level per indentation step. The 请求体 table has a 必填 column before 描述, and
/// its string fields with 可选值有 are enums, as for parameters.
fn field_rows(table: &Table, in_body: bool, notes: &mut Notes) -> Vec<(usize, RawField, usize)> {
    let mut flat = Vec::new();
    let type_column = table.column(&["类型", "参数类型", "字段类型"]).unwrap_or(1);
    let required_column = table
        .column(&["必填", "必须", "是否必填", "是否必须"])
        .unwrap_or(2);
    let description_column = table
        .column(&["描述", "说明", "字段说明", "参数说明"])
        .unwrap_or(if in_body { 3 } else { 2 });
    for (i, row) in table.rows.iter().enumerate().skip(1) {
        let line = table.line(i);
        let name_cell = row.first().map(String::as_str).unwrap_or_default();
        let (indent, name) = nesting(name_cell);
        let name = bare(name).to_owned();
        if name.is_empty() {
            notes.defect(line, "a field row has no name; left out");
            continue;
        }
        let page_type = row.get(type_column).map(|c| bare(c)).unwrap_or_default();
        let (base, array) = match page_type.strip_suffix("[]") {
            Some(base) => (base.trim(), true),
            None => (page_type, false),
        };
        let cell = row
            .get(description_column)
            .map(String::as_str)
            .unwrap_or_default();
        let described = describe(cell);
        for value in &described.repeated {
            notes.defect(
                line,
                format!("value {value:?} of {name:?} is listed twice; kept once"),
            );
        }
        let field_type = match base {
            "string" | "str" | "String" if in_body && !described.values.is_empty() => "enum",
            "string" | "str" | "String" => "string",
            "int" | "int32" | "int64" | "integer" | "long" => "int",
            "float" | "number" | "number(float)" | "double" | "float64" | "float32" => "float",
            "boolean" | "bool" => "bool",
            "file" | "binary" if in_body => "file",
            _ => "object",
        };
        let (field_type, values) = match field_type {
            // A file's or an object's values are documentation, kept in its text.
            "file" | "object" if !described.values.is_empty() => (field_type, Vec::new()),
            _ => (field_type, described.values),
        };
        let description = if values.is_empty() && !described.repeated.is_empty() {
            described.description
        } else if field_type == "object" || field_type == "file" {
            describe_keeping_values(cell)
        } else {
            described.description
        };
        let description = if description.trim().is_empty() {
            name.clone()
        } else {
            description
        };
        let type_name = upper_camel_from_words(base);
        let rust_name = (field_type == "object"
            && crate::validate::is_upper_camel_case(&type_name)
            && base != "-"
            && !matches!(base, "object" | "map" | "json" | "struct"))
        .then_some(type_name);
        let sensitive = field_type == "string" && !array && is_secret_name(&name);
        flat.push((
            indent,
            RawField {
                name,
                field_type: field_type.to_owned(),
                array,
                rust_name,
                rust_field: None,
                required: in_body.then(|| {
                    row.get(required_column)
                        .is_some_and(|cell| matches!(bare(cell), "是" | "true" | "required"))
                }),
                description: text(description),
                example: if in_body { described.example } else { None },
                default: if in_body { described.default } else { None },
                values,
                fields: Vec::new(),
                sensitive,
            },
            line,
        ));
    }
    flat
}

/// Nests the rows by their indentation (a row is under the nearest row before it that is
/// indented less), keeping the first of two fields of one name at one level.
fn build_tree(rows: Vec<(usize, RawField, usize)>, list: &str, notes: &mut Notes) -> Vec<RawField> {
    // One entry per open level: the fields closed so far at that level and their list's
    // path; beside it, the field open at that level (if it is kept) and its indentation.
    let mut levels: Vec<(Vec<RawField>, String)> = vec![(Vec::new(), list.to_owned())];
    let mut open: Vec<Option<RawField>> = Vec::new();
    let mut indents: Vec<usize> = Vec::new();
    for (indent, field, line) in rows {
        while indents
            .last()
            .is_some_and(|open_indent| *open_indent >= indent)
        {
            indents.pop();
            close(&mut levels, &mut open);
        }
        if open.len() >= MAX_DEPTH {
            notes.defect(
                line,
                format!(
                    "field {:?} is nested deeper than {MAX_DEPTH} levels; kept at that depth",
                    field.name
                ),
            );
            indents.pop();
            close(&mut levels, &mut open);
        }
        indents.push(indent);
        let Some((siblings, path)) = levels.last() else {
            break;
        };
        let field_path = format!("{path}[{}]", siblings.len());
        let duplicate = siblings.iter().any(|known| known.name == field.name);
        if duplicate {
            notes.defect(
                line,
                format!(
                    "field {:?} is listed twice at one level; the first row is kept",
                    field.name
                ),
            );
        } else {
            notes.lines.add(field_path.clone(), line);
        }
        levels.push((Vec::new(), format!("{field_path}.fields")));
        open.push((!duplicate).then_some(field));
    }
    while !open.is_empty() {
        close(&mut levels, &mut open);
    }
    levels.pop().map(|(fields, _)| fields).unwrap_or_default()
}

/// Closes the innermost open field: its children become its fields, and it joins its
/// parent's list (a repeated field is dropped with its children).
fn close(levels: &mut Vec<(Vec<RawField>, String)>, open: &mut Vec<Option<RawField>>) {
    let (Some((children, _)), Some(field)) = (levels.pop(), open.pop()) else {
        return;
    };
    let Some(mut field) = field else {
        return;
    };
    field.fields = children;
    if field.fields.is_empty() {
        // Only an object with fields is a struct.
        field.rust_name = None;
    } else {
        // Rows under it make it an object (a type named `file` in a response, say), named
        // after its type, or after itself when the type is no name (`object`, `map`).
        if field.field_type != "object" {
            let type_name = upper_camel_from_words(&field.field_type);
            field.field_type = "object".to_owned();
            field.values.clear();
            field.example = None;
            field.default = None;
            field.rust_name = Some(type_name);
        }
        let usable = field
            .rust_name
            .as_deref()
            .is_some_and(crate::validate::is_upper_camel_case);
        if !usable {
            let own = upper_camel_from_words(&field.name);
            field.rust_name = Some(if crate::validate::is_upper_camel_case(&own) {
                own
            } else {
                "Object".to_owned()
            });
        }
    }
    if let Some((siblings, _)) = levels.last_mut() {
        siblings.push(field);
    }
}

fn error_rows(table: &Table, notes: &mut Notes) -> Result<Vec<RawErrorCode>, PageError> {
    let head = table.rows.first().cloned().unwrap_or_default();
    let column = |names: &[&str]| {
        head.iter()
            .position(|cell| names.iter().any(|name| cell.replace(' ', "") == *name))
    };
    let Some(status_column) = column(&["HTTP状态码"]) else {
        return fail(
            table.line(0),
            "the 错误码 table has no HTTP状态码 column: each code's HTTP status is unknown",
        );
    };
    let code_column = column(&["错误码"]).unwrap_or(status_column + 1);
    let message_column = column(&["描述", "说明"]).unwrap_or(code_column + 1);
    let advice_column = column(&["排查建议"]).unwrap_or(message_column + 1);
    let mut codes: Vec<RawErrorCode> = Vec::new();
    for (i, row) in table.rows.iter().enumerate().skip(1) {
        let line = table.line(i);
        let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or_default();
        let Ok(code) = cell(code_column).parse::<i64>() else {
            notes.defect(
                line,
                format!(
                    "error row has no numeric code ({:?}); left out",
                    cell(code_column)
                ),
            );
            continue;
        };
        let Ok(status) = cell(status_column).parse::<i64>() else {
            notes.defect(
                line,
                format!(
                    "error {code} has no numeric HTTP status ({:?}); left out",
                    cell(status_column)
                ),
            );
            continue;
        };
        if code == 0 {
            notes.defect(line, "error code 0 means success; the row is left out");
            continue;
        }
        if codes.iter().any(|known| known.code == code) {
            notes.defect(
                line,
                format!("error code {code} is listed twice; the first row is kept"),
            );
            continue;
        }
        let message = cell(message_column).replace('\n', " ");
        let message = if message.trim().is_empty() {
            notes.defect(
                line,
                format!("error {code} has no message; its code stands in"),
            );
            code.to_string()
        } else {
            message
        };
        let advice = cell(advice_column);
        let advice = if advice.is_empty() {
            notes.defect(
                line,
                format!("error {code} has no 排查建议; its message stands in"),
            );
            message.clone()
        } else {
            advice.to_owned()
        };
        notes
            .lines
            .add(format!("errors.codes[{}]", codes.len()), line);
        codes.push(RawErrorCode {
            status,
            code,
            message,
            advice: text(advice),
        });
    }
    Ok(codes)
}

/// The description paragraphs and the notes (`**注意事项**：` or `> **Tip**:` and the bullets).
fn intro(blocks: &[Note]) -> (String, Vec<Note>) {
    let mut description = Vec::new();
    let mut notes = Vec::new();
    let mut in_notes = false;
    for (block, line) in blocks {
        if in_notes {
            notes.push((block.clone(), *line));
            continue;
        }
        let marker = [
            "**注意事项**：",
            "**注意事项**",
            "**Tip**:",
            "**Note**:",
            "**Warning**:",
            "**Error**:",
            "**Info**:",
            "**Caution**:",
            "**Tip**",
            "**Note**",
            "**Warning**",
            "**Error**",
            "**Info**",
            "**Caution**",
        ]
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
                    notes.push((after.to_owned(), *line));
                }
                in_notes = true;
            }
            None => description.push(block.clone()),
        }
    }
    (description.join("\n\n"), notes)
}
