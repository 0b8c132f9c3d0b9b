//! Unbinds a meeting chat from an event.
//!
//! With no arguments, starts the local Feishu server with its demo data and runs against it:
//!
//! ```sh
//! cargo run -p feishu-openapi-client --example unbind_meeting_chat
//! ```
//!
//! Against a real tenant, with the app's id and secret in the environment:
//!
//! ```sh
//! FEISHU_APP_ID=cli_xxx FEISHU_APP_SECRET=xxx \
//!   cargo run -p feishu-openapi-client --example unbind_meeting_chat -- \
//!   --base-url https://open.feishu.cn \
//!   --calendar-id 'feishu.cn_xxx@group.calendar.feishu.cn' \
//!   --event-id 75d28f9b-e35c-4230-8a83-123_0 --meeting-chat-id oc_xxx
//! ```

use std::process::ExitCode;

use clap::Parser;
use feishu_local_server::{LocalServer, World, demo};
use feishu_openapi::calendar::v4::{UnbindMeetingChatError, UnbindMeetingChatRequest};
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{BaseUrl, EndpointError};
use feishu_openapi_client::{Client, Error};

/// Unbinds a meeting chat from an event (解绑会议群).
#[derive(Parser)]
struct Args {
    /// Feishu (https://open.feishu.cn), Lark (https://open.larksuite.com) or another server.
    /// Without it, a local server with demo data is started.
    #[arg(long, requires_all = ["calendar_id", "event_id", "meeting_chat_id"])]
    base_url: Option<String>,
    /// The calendar the event is in.
    #[arg(long)]
    calendar_id: Option<CalendarId>,
    /// The event.
    #[arg(long)]
    event_id: Option<EventId>,
    /// The meeting chat to unbind.
    #[arg(long)]
    meeting_chat_id: Option<MeetingChatId>,
    /// Log each call and retry.
    #[arg(long)]
    verbose: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.verbose {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .init();
    }
    let outcome = match &args.base_url {
        Some(base_url) => against_tenant(base_url, &args).await,
        None => against_local_server().await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn against_tenant(base_url: &str, args: &Args) -> Result<(), String> {
    let base_url = BaseUrl::parse(base_url).map_err(|err| err.to_string())?;
    let app_id = std::env::var("FEISHU_APP_ID").map_err(|_| "set FEISHU_APP_ID")?;
    let app_secret = std::env::var("FEISHU_APP_SECRET").map_err(|_| "set FEISHU_APP_SECRET")?;
    let client = Client::builder()
        .base_url(base_url)
        .app_credentials(app_id, app_secret)
        .build()
        .map_err(|err| err.to_string())?;
    // clap requires all three with --base-url, and has checked each (not empty, `.` or `..`).
    let (Some(calendar_id), Some(event_id), Some(meeting_chat_id)) = (
        args.calendar_id.clone(),
        args.event_id.clone(),
        args.meeting_chat_id.clone(),
    ) else {
        return Err("--base-url needs --calendar-id, --event-id and --meeting-chat-id".into());
    };
    let request = UnbindMeetingChatRequest::new(calendar_id, event_id, meeting_chat_id);
    if unbind(&client, &request).await {
        Ok(())
    } else {
        Err("the meeting chat was not unbound".into())
    }
}

async fn against_local_server() -> Result<(), String> {
    let server = LocalServer::start(World::demo())
        .await
        .map_err(|err| format!("cannot start the local server: {err}"))?;
    println!(
        "Local Feishu server with demo data at {}",
        server.base_url()
    );
    let base_url = BaseUrl::parse(&server.base_url()).map_err(|err| err.to_string())?;
    let client = Client::builder()
        .base_url(base_url)
        .app_credentials(demo::APP_ID, demo::APP_SECRET)
        .build()
        .map_err(|err| err.to_string())?;
    let invalid = |err: feishu_openapi::InvalidParam| err.to_string();
    let request = UnbindMeetingChatRequest::new(
        CalendarId::new(demo::CALENDAR_ID).map_err(invalid)?,
        EventId::new(demo::EVENT_ID).map_err(invalid)?,
        MeetingChatId::new(demo::MEETING_CHAT_ID).map_err(invalid)?,
    );
    if !unbind(&client, &request).await {
        return Err("the demo meeting chat was not unbound".into());
    }
    println!();
    println!("Again, now that the chat is no longer bound, to show an error:");
    if unbind(&client, &request).await {
        return Err("unbinding twice succeeded".into());
    }
    Ok(())
}

/// Sends the request and prints what happened; true when the chat was unbound.
async fn unbind(client: &Client, request: &UnbindMeetingChatRequest) -> bool {
    println!(
        "Unbinding meeting chat {} from event {} in calendar {}",
        request.meeting_chat_id, request.event_id, request.calendar_id
    );
    match client.send(request).await {
        Ok(response) => {
            println!(
                "  unbound (log id {})",
                response.log_id.as_deref().unwrap_or("-")
            );
            true
        }
        Err(error) => {
            report(&error);
            false
        }
    }
}

fn report(error: &Error<UnbindMeetingChatError>) {
    println!("  failed: {error}");
    if let Error::Api(api) = error {
        if let Some(code) = api.code() {
            println!("  code:    {code}");
        }
        println!("  message: {}", api.message());
        match api.documented() {
            Some(row) => {
                println!("  advice:  {}", row.advice_en);
                println!("  建议:    {}", row.advice_zh);
            }
            None => println!(
                "  advice:  not on the endpoint's page; see {}",
                feishu_openapi::calendar::v4::unbind_meeting_chat::OPERATION.doc_url
            ),
        }
        println!("  retry may help: {}", api.is_retryable());
    }
    if error.outcome_unknown() {
        println!("  outcome: unknown; the chat may be unbound already: look before retrying");
    }
    println!("  log id:  {}", error.log_id().unwrap_or("-"));
}
