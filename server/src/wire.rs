//! HTTP/1 as Feishu's gateway writes it: `X-Tt-Logid`, `Content-Type` and the like in title
//! case, the `x-ogw-ratelimit-*` headers in lowercase.
//!
//! Header names are case-insensitive, yet clients look some up by exact spelling: the official
//! Python SDK reads `X-Tt-Logid` from a plain dict. hyper writes names in lowercase, or all in
//! title case, and keeps another spelling only when it passes on one it has read
//! (`preserve_header_case`; the map of spellings is private to hyper). So the server has hyper
//! read a response head with Feishu's spellings once, and hands that map on with every response.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use http::Extensions;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A response head with the spellings title case would get wrong.
const FEISHU_SPELLINGS: &[u8] = b"HTTP/1.1 200 OK\r\n\
    X-Tt-Logid: 0\r\n\
    x-ogw-ratelimit-limit: 0\r\n\
    x-ogw-ratelimit-reset: 0\r\n\
    Content-Length: 0\r\n\
    \r\n";

/// Feishu's spellings, as hyper keeps them after reading [`FEISHU_SPELLINGS`].
pub(crate) async fn feishu_spellings() -> std::io::Result<Arc<Extensions>> {
    let (ours, mut theirs) = tokio::io::duplex(1024);
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .preserve_header_case(true)
        .handshake::<_, String>(TokioIo::new(ours))
        .await
        .map_err(std::io::Error::other)?;
    // Answers once hyper's request is in: an answer before it would be a protocol error.
    let answer = async {
        let mut request = Vec::new();
        while !request.ends_with(b"\r\n\r\n") {
            let mut chunk = [0; 256];
            match theirs.read(&mut chunk).await? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                read => request.extend_from_slice(&chunk[..read]),
            }
        }
        theirs.write_all(FEISHU_SPELLINGS).await
    };
    let ask = async {
        sender
            .send_request(http::Request::new(String::new()))
            .await
            .map_err(std::io::Error::other)
    };
    let response = tokio::select! {
        exchanged = async { tokio::try_join!(answer, ask) } => exchanged?.1,
        ended = connection => {
            return Err(std::io::Error::other(format!(
                "reading Feishu's header spellings: the connection ended first ({ended:?})"
            )));
        }
    };
    Ok(Arc::new(response.into_parts().0.extensions))
}

/// Gives a response Feishu's spellings; hyper title-cases the names they do not cover.
pub(crate) async fn spell_as_feishu(
    State(spellings): State<Arc<Extensions>>,
    mut response: Response,
) -> Response {
    response.extensions_mut().extend((*spellings).clone());
    response
}

/// Serves `app` over HTTP/1 on `listener`. Dropping the future closes every connection.
pub(crate) async fn serve(listener: TcpListener, app: Router) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, app.clone()));
                }
                Err(err) => {
                    // Out of file descriptors, say: wait for some to close rather than spin.
                    tracing::error!(error = %err, "local Feishu server: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, app: Router) {
    let served = hyper::server::conn::http1::Builder::new()
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
        .await;
    if let Err(err) = served {
        // A dropped-connection fault ends here on purpose; so does a client that hung up.
        tracing::debug!(error = %err, "local Feishu server: connection closed with an error");
    }
}
