//! `feishu-local-server`: the local Feishu server with demo data, for trying a client by hand.

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
    println!("Local Feishu server at {}", server.base_url());
    println!("  app id:          {}", demo::APP_ID);
    println!("  app secret:      {}", demo::APP_SECRET);
    println!("  user token:      {}", demo::USER_TOKEN);
    println!("  calendar id:     {}", demo::CALENDAR_ID);
    println!("  event id:        {}", demo::EVENT_ID);
    println!("  meeting chat id: {}", demo::MEETING_CHAT_ID);
    println!(
        "  event without a meeting chat: {}",
        demo::EVENT_WITHOUT_CHAT_ID
    );
    println!("  user's calendar: {}", demo::USER_CALENDAR_ID);
    server.run().await;
    Ok(())
}
