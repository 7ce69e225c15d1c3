//! The one HTTP client of the live commands.
//!
//! Blocking and small on purpose: a live command makes a handful of
//! sequential requests, so an async runtime would only add build time.
//! `ureq` 3 with rustls and the `ring` provider is pure Rust apart from
//! ring's assembly, verifies certificates against the bundled Mozilla roots
//! (`webpki-roots`), and reads `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`
//! and `NO_PROXY` from the environment.
//!
//! Policy, in one place:
//! - one **deadline** for the whole command (`--timeout`), so retries can
//!   never make it hang;
//! - **retries** with exponential backoff on 429 (waiting what `Retry-After`
//!   says), on 5xx and on failed connections; every request the live
//!   commands send (GET, the token POST, the schema PUT, which replaces the
//!   whole schema) is safe to repeat;
//! - **no redirects**: a 3xx is reported, never followed, so the bearer
//!   token cannot be forwarded to another host;
//! - a **trace** (`-v`) of method, URL, status and waits; headers and
//!   bodies are never traced, and every line passes the [`Masker`].

use super::LiveError;
use super::mask::Masker;
use std::time::{Duration, Instant};

/// At most this many attempts per request.
pub const MAX_ATTEMPTS: u32 = 5;
/// The first backoff after a 5xx or a failed connection; doubled each time.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// No single wait is longer than this, whatever `Retry-After` says.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// Bodies larger than this are refused (a synchronization schema is at most
/// a few megabytes).
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// Where trace lines go (stderr in the binary).
pub type Trace = Box<dyn Fn(&str) + Send + Sync>;

pub struct Client {
    agent: ureq::Agent,
    deadline: Instant,
    timeout: Duration,
    masker: Masker,
    trace: Option<Trace>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request to send. `what` names it in errors ("listing the jobs of …").
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub what: String,
    pub headers: Vec<(&'static str, String)>,
    /// `(content type, bytes)`.
    pub body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>, what: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            what: what.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }

    pub fn body(mut self, content_type: &'static str, bytes: Vec<u8>) -> Request {
        self.body = Some((content_type, bytes));
        self
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(self, fields: &[(&str, &str)]) -> Request {
        let encoded = fields
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body("application/x-www-form-urlencoded", encoded.into_bytes())
    }
}

/// Percent-encoding of everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`):
/// for form fields, and for an id as one URL path segment (a `/`, `?` or `#` in it cannot change
/// the path).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A response that arrived (any status).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
    /// For a 3xx: where it points.
    pub location: Option<String>,
    /// The `Retry-After` header, in seconds.
    pub retry_after: Option<Duration>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The `error.message` of a Graph error body, or the
    /// `error_description` of an OAuth error, or the start of the body.
    pub fn error_message(&self) -> String {
        let parsed: Option<serde_json::Value> = serde_json::from_str(&self.body).ok();
        let field = parsed.as_ref().and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error_description"))
                .and_then(|m| m.as_str())
                .map(|m| m.lines().next().unwrap_or_default().to_string())
        });
        let code = parsed.as_ref().and_then(|v| {
            v.pointer("/error/code")
                .or_else(|| v.get("error"))
                .and_then(|c| c.as_str())
                .map(str::to_string)
        });
        match (code, field) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (None, Some(message)) => message,
            (Some(code), None) => code,
            (None, None) if self.body.trim().is_empty() => "(empty response)".to_string(),
            (None, None) => self.body.chars().take(200).collect(),
        }
    }
}

impl Client {
    /// A client whose requests, retries included, all end within `timeout`.
    pub fn new(timeout: Duration, masker: Masker, trace: Option<Trace>) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(Duration::from_secs(15).min(timeout)))
            .user_agent(concat!("mapping-lint/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            deadline: Instant::now() + timeout,
            timeout,
            masker,
            trace,
        }
    }

    pub fn masker(&self) -> &Masker {
        &self.masker
    }

    /// Writes a (masked) line to the trace, if `-v` asked for one.
    pub fn trace(&self, line: &str) {
        if let Some(trace) = &self.trace {
            trace(&self.masker.mask(line));
        }
    }

    /// Sends `request`, retrying on throttling, server errors and failed
    /// connections. Returns the last response whatever its status; an error
    /// only when no response arrived in time.
    pub fn send(&self, request: &Request) -> Result<Response, LiveError> {
        let mut attempt = 1;
        loop {
            let remaining = self.deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.timed_out(request));
            }
            self.trace(&format!("→ {} {}", request.method.as_str(), request.url));
            let started = Instant::now();
            let outcome = self.send_once(request, remaining);
            let elapsed = started.elapsed().as_millis();
            let wait = match &outcome {
                Ok(response) => {
                    self.trace(&format!("← {} ({elapsed} ms)", response.status));
                    retry_wait(response, attempt)
                }
                Err(message) => {
                    self.trace(&format!("← no response ({elapsed} ms): {message}"));
                    Some(backoff(attempt))
                }
            };
            let Some(wait) = wait.filter(|_| attempt < MAX_ATTEMPTS) else {
                return outcome.map_err(|message| self.transport_error(request, &message));
            };
            let remaining = self.deadline.saturating_duration_since(Instant::now());
            if wait >= remaining {
                // Waiting would pass the deadline: report what we have.
                return match outcome {
                    Ok(response) => Ok(response),
                    Err(_) => Err(self.timed_out(request)),
                };
            }
            self.trace(&format!(
                "  retrying in {} ms (attempt {} of {MAX_ATTEMPTS})",
                wait.as_millis(),
                attempt + 1
            ));
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn send_once(&self, request: &Request, remaining: Duration) -> Result<Response, String> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url)
            .header("Accept", "application/json");
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let (content_type, bytes) = match &request.body {
            Some((content_type, bytes)) => (Some(*content_type), bytes.clone()),
            None => (None, Vec::new()),
        };
        if let Some(content_type) = content_type {
            builder = builder.header("Content-Type", content_type);
        }
        let http_request = builder.body(bytes).map_err(|e| format!("invalid request: {e}"))?;
        let configured = self
            .agent
            .configure_request(http_request)
            .timeout_global(Some(remaining))
            .build();
        let mut response = self
            .agent
            .run(configured)
            .map_err(|e| self.masker.mask(&describe(&e)))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header("retry-after");
        let location = header("location");
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| self.masker.mask(&describe(&e)))?;
        Ok(Response {
            status,
            body,
            location,
            retry_after: retry_after.as_deref().and_then(parse_retry_after),
        })
    }

    fn timed_out(&self, request: &Request) -> LiveError {
        LiveError::Transport {
            what: request.what.clone(),
            message: format!("no answer within the timeout of {} s", self.timeout.as_secs()),
            help: "retry later, or give more time with --timeout SECONDS".into(),
        }
    }

    fn transport_error(&self, request: &Request, message: &str) -> LiveError {
        let host = request
            .url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        LiveError::Transport {
            what: request.what.clone(),
            message: format!("{} ({host})", self.masker.mask(message)),
            help: "check the network, the endpoint (--cloud, --graph-endpoint, --authority) and \
                   HTTPS_PROXY / NO_PROXY"
                .into(),
        }
    }
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Io(e) => format!("{e}"),
        other => other.to_string(),
    }
}

/// How long to wait before retrying this response, or `None` if it is final.
fn retry_wait(response: &Response, attempt: u32) -> Option<Duration> {
    match response.status {
        429 | 500..=599 => Some(response.retry_after.unwrap_or_else(|| backoff(attempt)).min(MAX_WAIT)),
        _ => None,
    }
}

fn backoff(attempt: u32) -> Duration {
    (FIRST_BACKOFF * 2u32.saturating_pow(attempt.saturating_sub(1))).min(MAX_WAIT)
}

/// `Retry-After` in seconds (the form Graph sends); an HTTP date is not
/// parsed and falls back to the backoff.
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_percent_encoded() {
        assert_eq!(
            percent_encode("https://graph.microsoft.com/.default"),
            "https%3A%2F%2Fgraph.microsoft.com%2F.default"
        );
        assert_eq!(percent_encode("a b+c&d=é"), "a%20b%2Bc%26d%3D%C3%A9");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(4));
        assert_eq!(backoff(30), MAX_WAIT);
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn error_messages_come_from_graph_and_oauth_bodies() {
        let graph = Response {
            status: 403,
            body: r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{}}}"#.into(),
            location: None,
            retry_after: None,
        };
        assert_eq!(
            graph.error_message(),
            "Authorization_RequestDenied: Insufficient privileges to complete the operation."
        );
        let oauth = Response {
            status: 401,
            body: r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x"}"#.into(),
            location: None,
            retry_after: None,
        };
        assert_eq!(
            oauth.error_message(),
            "invalid_client: AADSTS7000215: Invalid client secret provided."
        );
    }
}
