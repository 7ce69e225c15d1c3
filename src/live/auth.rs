//! Getting a bearer token for Microsoft Graph, without a credential ever
//! appearing in a file, an argument or the output.
//!
//! The chain, first match wins (the Azure SDKs' variable names, so a CI job
//! configured for them works unchanged):
//! 1. `MAPPING_LINT_TOKEN`: a bearer token obtained elsewhere;
//! 2. `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` with
//!    - `AZURE_CLIENT_SECRET`: client credentials with a secret;
//!    - `AZURE_CLIENT_CERTIFICATE_PATH`: client credentials with a
//!      certificate (a PEM file holding the certificate and its RSA key; the
//!      client assertion is a PS256-signed JWT with an `x5t#S256` thumbprint);
//!    - `AZURE_FEDERATED_TOKEN_FILE`: workload identity federation (the
//!      file's token, e.g. a Kubernetes service-account token, is the client
//!      assertion; it is read again for every token request);
//!    - `ACTIONS_ID_TOKEN_REQUEST_URL` + `ACTIONS_ID_TOKEN_REQUEST_TOKEN`:
//!      GitHub Actions OIDC (`permissions: id-token: write`), the GitHub ID
//!      token for audience `api://AzureADTokenExchange` is the assertion;
//! 3. the Azure CLI (`az account get-access-token`) when it is installed
//!    and logged in.
//!
//! Every secret read or received is registered with the [`Masker`] before
//! anything else happens with it.

use super::http::{Client, Method, Request};
use super::mask::Masker;
use super::{Endpoints, LiveError};
use std::path::PathBuf;

/// The audience GitHub's ID token must have for Entra's token exchange.
pub const FEDERATION_AUDIENCE: &str = "api://AzureADTokenExchange";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A way to get a token, as found in the environment.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// `MAPPING_LINT_TOKEN`.
    Token(String),
    /// `AZURE_CLIENT_SECRET`.
    ClientSecret {
        tenant: String,
        client_id: String,
        secret: String,
    },
    /// `AZURE_CLIENT_CERTIFICATE_PATH`.
    Certificate {
        tenant: String,
        client_id: String,
        path: PathBuf,
    },
    /// `AZURE_FEDERATED_TOKEN_FILE`.
    FederatedFile {
        tenant: String,
        client_id: String,
        path: PathBuf,
    },
    /// GitHub Actions OIDC.
    GitHubOidc {
        tenant: String,
        client_id: String,
        request_url: String,
        request_token: String,
    },
    /// `az account get-access-token`.
    AzureCli { tenant: Option<String> },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl Credential {
    /// The credential the environment provides; `env` reads a variable
    /// (empty values count as unset). Registers every secret with `masker`.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>, masker: &Masker) -> Result<Credential, LiveError> {
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(token) = var("MAPPING_LINT_TOKEN") {
            let token = token.trim().trim_start_matches("Bearer ").trim().to_string();
            masker.add(&token);
            return Ok(Credential::Token(token));
        }
        let tenant = var("AZURE_TENANT_ID");
        let client_id = var("AZURE_CLIENT_ID");
        if let (Some(tenant), Some(client_id)) = (tenant.clone(), client_id.clone()) {
            let tenant = tenant.trim().to_string();
            let client_id = client_id.trim().to_string();
            if let Some(secret) = var("AZURE_CLIENT_SECRET") {
                masker.add(&secret);
                return Ok(Credential::ClientSecret {
                    tenant,
                    client_id,
                    secret,
                });
            }
            if let Some(path) = var("AZURE_CLIENT_CERTIFICATE_PATH") {
                return Ok(Credential::Certificate {
                    tenant,
                    client_id,
                    path: path.into(),
                });
            }
            if let Some(path) = var("AZURE_FEDERATED_TOKEN_FILE") {
                return Ok(Credential::FederatedFile {
                    tenant,
                    client_id,
                    path: path.into(),
                });
            }
            if let (Some(request_url), Some(request_token)) = (
                var("ACTIONS_ID_TOKEN_REQUEST_URL"),
                var("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
            ) {
                masker.add(&request_token);
                return Ok(Credential::GitHubOidc {
                    tenant,
                    client_id,
                    request_url,
                    request_token,
                });
            }
        }
        if azure_cli(env).is_some() {
            return Ok(Credential::AzureCli { tenant });
        }
        let partial = match (&tenant, &client_id) {
            (Some(_), None) => "\nAZURE_TENANT_ID is set but AZURE_CLIENT_ID is not.",
            (None, Some(_)) => "\nAZURE_CLIENT_ID is set but AZURE_TENANT_ID is not.",
            (Some(_), Some(_)) => {
                "\nAZURE_TENANT_ID and AZURE_CLIENT_ID are set, but none of AZURE_CLIENT_SECRET, \
                 AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE or the GitHub Actions \
                 ID-token variables (permissions: id-token: write) is."
            }
            (None, None) => "",
        };
        Err(LiveError::NoCredential {
            help: format!(
                "set MAPPING_LINT_TOKEN, or AZURE_TENANT_ID and AZURE_CLIENT_ID with \
                 AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE \
                 (or run in GitHub Actions with id-token: write), or install the Azure CLI and run \
                 `az login` (see docs/live.md){partial}"
            ),
        })
    }

    /// A short name for messages and `-v`.
    pub fn describe(&self) -> &'static str {
        match self {
            Credential::Token(_) => "MAPPING_LINT_TOKEN",
            Credential::ClientSecret { .. } => "client secret",
            Credential::Certificate { .. } => "client certificate",
            Credential::FederatedFile { .. } => "federated token file",
            Credential::GitHubOidc { .. } => "GitHub Actions OIDC",
            Credential::AzureCli { .. } => "Azure CLI",
        }
    }
}

/// The `az` executable on PATH, if any.
fn azure_cli(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let path = env("PATH")?;
    let names: &[&str] = if cfg!(windows) {
        &["az.cmd", "az.exe", "az"]
    } else {
        &["az"]
    };
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

/// Reads an environment variable (a closure, so tests can pass their own).
pub type Env = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Gets (once) and hands out the bearer token.
pub struct TokenSource {
    credential: Credential,
    endpoints: Endpoints,
    env: Env,
    token: std::sync::OnceLock<String>,
}

impl TokenSource {
    pub fn new(credential: Credential, endpoints: Endpoints, env: Env) -> TokenSource {
        TokenSource {
            credential,
            endpoints,
            env,
            token: std::sync::OnceLock::new(),
        }
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// The bearer token, requested on first use.
    pub fn token(&self, client: &Client) -> Result<String, LiveError> {
        if let Some(token) = self.token.get() {
            return Ok(token.clone());
        }
        client.trace(&format!("credential: {}", self.credential.describe()));
        let token = self.acquire(client)?;
        client.masker().add(&token);
        Ok(self.token.get_or_init(|| token).clone())
    }

    fn acquire(&self, client: &Client) -> Result<String, LiveError> {
        let masker = client.masker();
        let method = self.credential.describe();
        let fail = |message: String, help: &str| LiveError::Token {
            method,
            message: masker.mask(&message),
            help: help.to_string(),
        };
        match &self.credential {
            Credential::Token(token) => Ok(token.clone()),
            Credential::ClientSecret {
                tenant,
                client_id,
                secret,
            } => self.client_credentials(client, tenant, client_id, &[("client_secret", secret)]),
            Credential::Certificate {
                tenant,
                client_id,
                path,
            } => {
                let pem = std::fs::read(path).map_err(|e| {
                    fail(
                        format!("cannot read AZURE_CLIENT_CERTIFICATE_PATH {}: {e}", path.display()),
                        "point it at a PEM file holding the certificate and its private key",
                    )
                })?;
                let assertion = super::cert::client_assertion(
                    &pem,
                    client_id,
                    &self.endpoints.token_url(tenant),
                    std::time::SystemTime::now(),
                )
                .map_err(|e| {
                    fail(
                        format!("{}: {e}", path.display()),
                        "the PEM file must hold the certificate (BEGIN CERTIFICATE) and its \
                         unencrypted RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)",
                    )
                })?;
                masker.add(&assertion);
                self.assertion(client, tenant, client_id, &assertion)
            }
            Credential::FederatedFile {
                tenant,
                client_id,
                path,
            } => {
                let assertion = std::fs::read_to_string(path).map_err(|e| {
                    fail(
                        format!("cannot read AZURE_FEDERATED_TOKEN_FILE {}: {e}", path.display()),
                        "the file is written by the platform (e.g. AKS workload identity); check the pod's configuration",
                    )
                })?;
                let assertion = assertion.trim().to_string();
                masker.add(&assertion);
                self.assertion(client, tenant, client_id, &assertion)
            }
            Credential::GitHubOidc {
                tenant,
                client_id,
                request_url,
                request_token,
            } => {
                let assertion = self.github_id_token(client, request_url, request_token)?;
                masker.add(&assertion);
                self.assertion(client, tenant, client_id, &assertion)
            }
            Credential::AzureCli { tenant } => self.azure_cli(client, tenant.as_deref()),
        }
    }

    fn assertion(&self, client: &Client, tenant: &str, client_id: &str, assertion: &str) -> Result<String, LiveError> {
        self.client_credentials(
            client,
            tenant,
            client_id,
            &[
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", assertion),
            ],
        )
    }

    /// The OAuth 2.0 client credentials grant against the tenant's token
    /// endpoint.
    fn client_credentials(
        &self,
        client: &Client,
        tenant: &str,
        client_id: &str,
        proof: &[(&str, &str)],
    ) -> Result<String, LiveError> {
        let scope = self.endpoints.scope();
        let mut fields = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("scope", scope.as_str()),
        ];
        fields.extend_from_slice(proof);
        let request = Request::new(Method::Post, self.endpoints.token_url(tenant), "the token request").form(&fields);
        let response = client.send(&request)?;
        let method = self.credential.describe();
        if !response.is_success() {
            let message = client.masker().mask(&response.error_message());
            let help = if message.contains("AADSTS700016") || message.contains("AADSTS90002") {
                "check AZURE_TENANT_ID and AZURE_CLIENT_ID (and --cloud / --authority)"
            } else if message.contains("AADSTS70021") || message.contains("AADSTS700213") {
                "no federated credential of the app matches this token's issuer, subject and audience; \
                 see docs/live.md for the subject GitHub Actions and Azure Pipelines send"
            } else {
                "check the app registration's credential and that it has not expired (see docs/live.md)"
            };
            return Err(LiveError::Token {
                method,
                message: format!("HTTP {}: {message}", response.status),
                help: help.into(),
            });
        }
        token_field(&response.body, "access_token").ok_or_else(|| LiveError::Token {
            method,
            message: "the token response has no access_token".into(),
            help: String::new(),
        })
    }

    /// GitHub Actions' ID token for Entra's audience.
    fn github_id_token(&self, client: &Client, request_url: &str, request_token: &str) -> Result<String, LiveError> {
        let separator = if request_url.contains('?') { '&' } else { '?' };
        let url = format!("{request_url}{separator}audience={FEDERATION_AUDIENCE}");
        let request = Request::new(Method::Get, url, "the GitHub Actions ID-token request")
            .header("Authorization", format!("Bearer {request_token}"));
        let response = client.send(&request)?;
        if !response.is_success() {
            return Err(LiveError::Token {
                method: "GitHub Actions OIDC",
                message: format!(
                    "HTTP {} from the ID-token endpoint: {}",
                    response.status,
                    client.masker().mask(&response.error_message())
                ),
                help: "give the workflow job `permissions: id-token: write`".into(),
            });
        }
        token_field(&response.body, "value").ok_or_else(|| LiveError::Token {
            method: "GitHub Actions OIDC",
            message: "the ID-token response has no value".into(),
            help: String::new(),
        })
    }

    fn azure_cli(&self, client: &Client, tenant: Option<&str>) -> Result<String, LiveError> {
        let Some(az) = azure_cli(&*self.env) else {
            return Err(LiveError::NoCredential {
                help: "install the Azure CLI and run `az login`".into(),
            });
        };
        let mut command = std::process::Command::new(&az);
        command.args([
            "account",
            "get-access-token",
            "--resource",
            &self.endpoints.graph,
            "--output",
            "json",
        ]);
        if let Some(tenant) = tenant {
            command.args(["--tenant", tenant]);
        }
        client.trace(&format!(
            "running {} account get-access-token --resource {}",
            az.display(),
            self.endpoints.graph
        ));
        let output = command
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| LiveError::Token {
                method: "Azure CLI",
                message: format!("cannot run {}: {e}", az.display()),
                help: String::new(),
            })?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if let Some(token) = token_field(&stdout, "accessToken") {
            client.masker().add(&token);
        }
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message");
            return Err(LiveError::Token {
                method: "Azure CLI",
                message: client.masker().mask(first),
                help: "run `az login` (for a service principal: `az login --service-principal`), \
                       or use another credential (see docs/live.md)"
                    .into(),
            });
        }
        token_field(&stdout, "accessToken").ok_or_else(|| LiveError::Token {
            method: "Azure CLI",
            message: "`az account get-access-token` printed no accessToken".into(),
            help: String::new(),
        })
    }
}

fn token_field(body: &str, field: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get(field)?.as_str().map(str::to_string).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<Credential, LiveError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Credential::from_env(&|k| map.get(k).cloned(), &Masker::new())
    }

    #[test]
    fn the_chain_takes_the_first_complete_credential() {
        let full = [
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s3cret"),
            ("AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem"),
            ("AZURE_FEDERATED_TOKEN_FILE", "/f"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://x"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "rt"),
        ];
        let mut vars = full.to_vec();
        vars.push(("MAPPING_LINT_TOKEN", "Bearer abc.def"));
        assert_eq!(from(&vars).unwrap(), Credential::Token("abc.def".into()));
        assert_eq!(from(&full).unwrap().describe(), "client secret");
        assert_eq!(
            from(&full[..2].iter().chain(&full[3..]).copied().collect::<Vec<_>>())
                .unwrap()
                .describe(),
            "client certificate"
        );
        assert_eq!(
            from(&full[..2].iter().chain(&full[4..]).copied().collect::<Vec<_>>())
                .unwrap()
                .describe(),
            "federated token file"
        );
        assert_eq!(
            from(&full[..2].iter().chain(&full[5..]).copied().collect::<Vec<_>>())
                .unwrap()
                .describe(),
            "GitHub Actions OIDC"
        );
        let err = from(&full[..2]).unwrap_err();
        assert!(
            err.help_text().unwrap().contains("none of AZURE_CLIENT_SECRET"),
            "{err:?}"
        );
        let err = from(&[("AZURE_TENANT_ID", "t"), ("MAPPING_LINT_TOKEN", " ")]).unwrap_err();
        assert!(err.help_text().unwrap().contains("AZURE_CLIENT_ID is not"), "{err:?}");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let c = from(&[
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s3cret-value"),
        ])
        .unwrap();
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
