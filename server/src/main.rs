//! `feishu-local-server`: the local Feishu server with demo data, for trying a client by hand.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Parser;
use feishu_local_server::{LocalServer, World, demo};

/// Serves a local Feishu Open Platform with demo data.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let server = LocalServer::bind(SocketAddr::new(args.host, args.port), World::demo()).await?;
    // One write, so that a reader who stops after the first lines does not break the pipe
    // before the rest is out.
    let banner = [
        format!("Local Feishu server at {}", server.base_url()),
        format!("  app id:          {}", demo::APP_ID),
        format!("  app secret:      {}", demo::APP_SECRET),
        format!("  user token:      {}", demo::USER_TOKEN),
        format!("  calendar id:     {}", demo::CALENDAR_ID),
        format!("  event id:        {}", demo::EVENT_ID),
        format!("  meeting chat id: {}", demo::MEETING_CHAT_ID),
        format!(
            "  event id without a meeting chat: {}",
            demo::EVENT_WITHOUT_CHAT_ID
        ),
        format!(
            "  the user's calendar id:          {}",
            demo::USER_CALENDAR_ID
        ),
    ];
    let banner = banner.join("\n") + "\n";
    std::io::stdout().lock().write_all(banner.as_bytes())?;
    server.run().await;
    Ok(())
}
