//! `broadsheet serve`: builds the site in memory, serves it over HTTP, watches the site's
//! files, rebuilds on change and tells open pages to reload. Never writes to disk.

mod live;
mod site;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

pub use live::{inject, EVENTS_PATH};
pub use site::Preview;

use crate::cache::Cache;
use crate::{BuildOptions, Error};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub source: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// First port to try; the next free one is used if it is taken.
    pub port: u16,
    /// Build drafts too.
    pub drafts: bool,
    /// Build future articles too.
    pub future: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Print only the address served and errors (`-q`): no line per rebuild.
    pub quiet: bool,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Reload: the site changed (with the new build generation).
    Reload(u64),
    /// Only stylesheets changed: swap them without a reload.
    Css(u64),
    /// The last rebuild failed; the text is the error report.
    Failed(String),
}

/// State shared by the request handlers and the watcher.
pub struct Shared {
    /// The last good build, if any.
    pub preview: RwLock<Option<Arc<Preview>>>,
    /// The last build's error report, if it failed.
    pub error: RwLock<Option<String>>,
    /// Build generation, bumped on every successful rebuild.
    pub generation: AtomicU64,
    /// Events for open pages.
    pub events: broadcast::Sender<LiveEvent>,
    /// No summary line per rebuild (`-q`).
    pub quiet: bool,
}

/// Runs the server until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Output(format!("cannot start the server: {e}")))?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), Error> {
    let listener = bind(options.bind, options.port, options.quiet).await?;
    let addr =
        listener.local_addr().map_err(|e| Error::Output(format!("cannot read the server address: {e}")))?;
    let url = match addr {
        SocketAddr::V4(a) => format!("http://{a}/"),
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
    };
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        preview: RwLock::new(None),
        error: RwLock::new(None),
        generation: AtomicU64::new(std::process::id() as u64 * 1000),
        events,
        quiet: options.quiet,
    });
    let build_options = BuildOptions {
        source: options.source.clone(),
        output: None,
        drafts: options.drafts,
        future: options.future,
        base_url: Some(url.clone()),
        now: chrono::Utc::now(),
        cancel: None,
        use_cache: false,
    };
    let cache = Cache::for_preview(&options.source);
    let _watcher = watch::start(shared.clone(), build_options, cache)?;
    println!("Serving {} at {url} (Ctrl-C to stop)", options.source.display());
    if options.open {
        open_browser(&url);
    }
    let app = Router::new().route(EVENTS_PATH, get(events_stream)).fallback(get(page)).with_state(shared);
    accept(listener, app).await;
    if !options.quiet {
        println!("\nStopped.");
    }
    Ok(())
}

/// Time a client has to send a request's headers (also between keep-alive requests), so
/// idle or trickling connections do not pile up.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves connections until Ctrl-C, each with a header read timeout (hyper rejects
/// oversized headers with 431 and malformed requests with 400).
async fn accept(listener: tokio::net::TcpListener, app: Router) {
    let mut builder = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    builder.http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let builder = Arc::new(builder);
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(_) => continue, // e.g. too many open files: keep serving the others
            },
            _ = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = builder.serve_connection_with_upgrades(io, service).await;
        });
    }
}

/// Binds `port`, or the next free port when it is taken.
async fn bind(ip: IpAddr, port: u16, quiet: bool) -> Result<tokio::net::TcpListener, Error> {
    let mut last = None;
    for candidate in port..=port.saturating_add(50) {
        match tokio::net::TcpListener::bind((ip, candidate)).await {
            Ok(listener) => {
                if candidate != port && !quiet {
                    println!("Port {port} is taken; using {candidate}.");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(Error::Output(format!("cannot listen on {ip}:{candidate}: {e}"))),
        }
        if port == 0 {
            break;
        }
    }
    Err(Error::Output(format!(
        "no free port from {port}: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

async fn events_stream(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let hello = Event::default().event("hello").data(shared.generation.load(Ordering::SeqCst).to_string());
    let failed = shared
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .map(|text| Event::default().event("failed").data(text));
    let first =
        tokio_stream::iter(std::iter::once(hello).chain(failed).map(Ok::<Event, std::convert::Infallible>));
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|message| {
        message.ok().map(|event| {
            Ok(match event {
                LiveEvent::Reload(generation) => {
                    Event::default().event("reload").data(generation.to_string())
                }
                LiveEvent::Css(generation) => Event::default().event("css").data(generation.to_string()),
                LiveEvent::Failed(text) => Event::default().event("failed").data(text),
            })
        })
    });
    Sse::new(first.chain(updates)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn page(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let raw = request.uri().path().to_string();
    let path = percent_decode_str(&raw).decode_utf8_lossy().to_string();
    if path.split(['/', '\\']).any(|s| s == "..") || path.contains('\0') || path.contains('\\') {
        return (StatusCode::BAD_REQUEST, "Bad request: the path leaves the site.\n").into_response();
    }
    let preview = shared.preview.read().ok().and_then(|p| p.clone());
    let error = shared.error.read().ok().and_then(|e| e.clone());
    let generation = shared.generation.load(Ordering::SeqCst);
    let Some(preview) = preview else {
        let text = error.unwrap_or_else(|| "The site is being built.".into());
        let html = inject(
            "<!DOCTYPE html><html><head><title>Build failed</title></head><body></body></html>",
            generation,
            Some(&text),
        );
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
            .into_response();
    };
    if preview.is_folder_without_slash(&path) {
        let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        // One leading slash: `//tags` would send the browser to a host named `tags`.
        let location = format!("/{}/{query}", raw.trim_start_matches('/'));
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
    }
    let result =
        tokio::task::spawn_blocking(move || respond(&preview, &path, generation, error.as_deref())).await;
    match result {
        Ok(response) => response,
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}\n")).into_response(),
    }
}

fn respond(preview: &Preview, path: &str, generation: u64, error: Option<&str>) -> Response {
    let (status, found) = match preview.get(path) {
        Ok(Some(found)) => (StatusCode::OK, Ok((found.bytes, found.file))),
        Ok(None) => (StatusCode::NOT_FOUND, preview.not_found().map(|b| (b, "404.html".to_string()))),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, Err(e)),
    };
    let (bytes, file) = match found {
        Ok(found) => found,
        Err(e) => {
            let report = crate::error::report(&e);
            let html = inject(
                "<!DOCTYPE html><html><head><title>Error</title></head><body></body></html>",
                generation,
                Some(&report),
            );
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response();
        }
    };
    let mime = match file.rsplit('/').next().unwrap_or_default() {
        "atom.xml" => "application/atom+xml".parse().unwrap_or(mime_guess::mime::TEXT_XML),
        "rss.xml" => "application/rss+xml".parse().unwrap_or(mime_guess::mime::TEXT_XML),
        "feed.json" => "application/feed+json".parse().unwrap_or(mime_guess::mime::APPLICATION_JSON),
        _ => mime_guess::from_path(&file).first_or_octet_stream(),
    };
    let content_type = if mime.type_() == "text"
        || mime.essence_str().ends_with("xml")
        || mime.essence_str().ends_with("json")
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body: Vec<u8> = if file.ends_with(".html") {
        inject(&String::from_utf8_lossy(&bytes), generation, error).into_bytes()
    } else {
        bytes.as_ref().clone()
    };
    let mut response = (status, body).into_response();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command).arg(url).spawn().is_err() {
        println!("Could not open a browser; visit {url}");
    }
}
