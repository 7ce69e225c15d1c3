//! Talking to Microsoft Graph: `pull`, `push` and `diff live:` — the only
//! parts of mapping-lint that use the network.
//!
//! Everything else (`check`, file `diff`, `eval`, `rule`, `profile`) is
//! offline by construction: nothing outside this module opens a socket, and
//! this module is only reached from those three commands.
//!
//! - [`Endpoints`]: where requests go (national clouds, or explicit
//!   `--graph-endpoint` / `--authority`);
//! - [`http`]: one small blocking client (`ureq` with rustls and the `ring`
//!   provider) with a total deadline, retries with backoff on 429 and 5xx
//!   (honouring `Retry-After`), no redirects (a bearer token is never sent
//!   to another host) and a `-v` trace in which every line is masked;
//! - [`auth`]: the credential chain (a token from the environment, client
//!   credentials with a secret or a certificate, workload identity
//!   federation, the Azure CLI) and the token request;
//! - [`graph`]: the three synchronization calls (list jobs with paging, get
//!   the schema, replace it with `PUT`), with errors that name the missing
//!   permission or the id that was not found;
//! - [`schema`]: turning Graph's response into the file `pull` writes —
//!   stable key order, no volatile fields, credentials masked.

pub mod auth;
mod cert;
pub mod graph;
pub mod http;
pub mod mask;
pub mod schema;

pub use auth::{Credential, TokenSource};
pub use graph::{Graph, Job};
pub use mask::Masker;

/// A national cloud: its Graph and login endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cloud {
    /// The global service (graph.microsoft.com, login.microsoftonline.com).
    #[default]
    Public,
    /// Microsoft Graph for US Government L4 (graph.microsoft.us).
    UsGov,
    /// Microsoft Graph China operated by 21Vianet.
    China,
}

impl Cloud {
    pub fn graph(self) -> &'static str {
        match self {
            Cloud::Public => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    pub fn authority(self) -> &'static str {
        match self {
            Cloud::Public => "https://login.microsoftonline.com",
            Cloud::UsGov => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }
}

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Graph's base URL without a version: requests go to `{graph}/v1.0/…`.
    pub graph: String,
    /// The Microsoft Entra authority: tokens come from
    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub authority: String,
}

impl Endpoints {
    /// The cloud's endpoints, each replaced by an explicit URL if given.
    pub fn new(cloud: Cloud, graph: Option<&str>, authority: Option<&str>) -> Result<Endpoints, LiveError> {
        let check = |what: &'static str, url: &str| -> Result<String, LiveError> {
            let trimmed = url.trim().trim_end_matches('/');
            let ok = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                && !trimmed.contains(char::is_whitespace)
                && trimmed.len() > "https://".len();
            if ok {
                Ok(trimmed.to_string())
            } else {
                Err(LiveError::Config {
                    message: format!("{what} `{}` is not an http(s) URL", mask::control_free(url)),
                    help: "give a URL such as https://graph.microsoft.com (without /v1.0)".into(),
                })
            }
        };
        Ok(Endpoints {
            graph: check("the Graph endpoint", graph.unwrap_or(cloud.graph()))?,
            authority: check("the authority", authority.unwrap_or(cloud.authority()))?,
        })
    }

    /// The OAuth scope of a token for this Graph endpoint.
    pub fn scope(&self) -> String {
        format!("{}/.default", self.graph)
    }

    /// The token endpoint of a tenant.
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, tenant)
    }
}

/// Why a live command failed. Messages never contain a credential: every
/// text that comes from the network or the environment is masked first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum LiveError {
    /// Bad options or environment.
    #[error("{message}")]
    Config { message: String, help: String },
    /// No credential in the environment.
    #[error("no credential for Microsoft Graph")]
    NoCredential { help: String },
    /// A credential was found but no token could be obtained with it.
    #[error("cannot get a token ({method}): {message}")]
    Token {
        method: &'static str,
        message: String,
        help: String,
    },
    /// 401 from Graph.
    #[error("Graph refused the token (401 Unauthorized) for {what}: {message}")]
    Unauthorized {
        what: String,
        message: String,
        help: String,
    },
    /// 403 from Graph.
    #[error("permission denied (403 Forbidden) for {what}: {message}")]
    Forbidden {
        what: String,
        message: String,
        help: String,
    },
    /// 404 from Graph.
    #[error("{what} not found (404): {message}")]
    NotFound {
        what: String,
        message: String,
        help: String,
    },
    /// Any other unsuccessful status, or throttling that outlasted the retries.
    #[error("{what} failed: HTTP {status}: {message}")]
    Status {
        what: String,
        status: u16,
        message: String,
        help: String,
    },
    /// No response (connection, TLS, proxy) or the deadline passed.
    #[error("{what} failed: {message}")]
    Transport {
        what: String,
        message: String,
        help: String,
    },
    /// A response that is not what the API documents.
    #[error("unexpected response for {what}: {message}")]
    Response { what: String, message: String },
}

impl LiveError {
    /// What to do about it.
    pub fn help_text(&self) -> Option<&str> {
        match self {
            LiveError::Config { help, .. }
            | LiveError::NoCredential { help }
            | LiveError::Token { help, .. }
            | LiveError::Unauthorized { help, .. }
            | LiveError::Forbidden { help, .. }
            | LiveError::NotFound { help, .. }
            | LiveError::Status { help, .. }
            | LiveError::Transport { help, .. } => (!help.is_empty()).then_some(help.as_str()),
            LiveError::Response { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_and_overrides() {
        let e = Endpoints::new(Cloud::China, None, None).unwrap();
        assert_eq!(e.graph, "https://microsoftgraph.chinacloudapi.cn");
        assert_eq!(e.token_url("t"), "https://login.chinacloudapi.cn/t/oauth2/v2.0/token");
        let e = Endpoints::new(Cloud::Public, Some("http://127.0.0.1:9/"), Some("http://127.0.0.1:8")).unwrap();
        assert_eq!(e.graph, "http://127.0.0.1:9");
        assert_eq!(e.scope(), "http://127.0.0.1:9/.default");
        assert_eq!(e.authority, "http://127.0.0.1:8");
        assert!(Endpoints::new(Cloud::Public, Some("graph.microsoft.com"), None).is_err());
        assert!(Endpoints::new(Cloud::Public, None, Some("ftp://x")).is_err());
    }
}
