//! The synchronization calls of Microsoft Graph v1.0 that the live commands
//! make (https://learn.microsoft.com/graph/api/resources/synchronization-overview):
//! list a service principal's jobs (following `@odata.nextLink`), get a
//! job's schema, replace it with `PUT` (which answers 204 No Content).
//!
//! Failures say what to do: 401 names the token problem, 403 the permission
//! the caller lacks, 404 the id that was not found.

use super::auth::TokenSource;
use super::http::{Client, Method, Request, Response, percent_encode};
use super::{Endpoints, LiveError};

/// Least-privileged Graph permissions, as documented for these calls.
pub const READ_PERMISSION: &str = "Synchronization.Read.All";
pub const WRITE_PERMISSIONS: &str = "Synchronization.ReadWrite.All or Application.ReadWrite.OwnedBy";

/// Pages followed at most when listing jobs (a service principal has one or
/// two jobs; this only stops a server that pages forever).
const MAX_PAGES: usize = 100;

/// A synchronization job, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub template_id: Option<String>,
    /// `status.code` (`Active`, `Paused`, `Quarantine`, …).
    pub status: Option<String>,
}

pub struct Graph {
    client: Client,
    endpoints: Endpoints,
    tokens: TokenSource,
}

impl Graph {
    pub fn new(client: Client, endpoints: Endpoints, tokens: TokenSource) -> Graph {
        Graph {
            client,
            endpoints,
            tokens,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    fn jobs_url(&self, sp: &str) -> Result<String, LiveError> {
        Ok(format!(
            "{}/v1.0/servicePrincipals/{}/synchronization/jobs",
            self.endpoints.graph,
            segment("service principal", sp)?
        ))
    }

    fn schema_url(&self, sp: &str, job: &str) -> Result<String, LiveError> {
        Ok(format!("{}/{}/schema", self.jobs_url(sp)?, segment("job", job)?))
    }

    fn authorized(&self, request: Request) -> Result<Request, LiveError> {
        let token = self.tokens.token(&self.client)?;
        Ok(request.header("Authorization", format!("Bearer {token}")))
    }

    /// `GET /servicePrincipals/{id}/synchronization/jobs`, every page.
    pub fn list_jobs(&self, sp: &str) -> Result<Vec<Job>, LiveError> {
        let what = format!("listing the synchronization jobs of service principal {sp}");
        let mut url = self.jobs_url(sp)?;
        let mut jobs = Vec::new();
        for _ in 0..MAX_PAGES {
            let response = self
                .client
                .send(&self.authorized(Request::new(Method::Get, &url, &what))?)?;
            self.check(&response, &what, Target::ServicePrincipal(sp), false)?;
            let page: serde_json::Value = serde_json::from_str(&response.body).map_err(|e| LiveError::Response {
                what: what.clone(),
                message: format!("not JSON: {e}"),
            })?;
            let values = page
                .get("value")
                .and_then(|v| v.as_array())
                .ok_or_else(|| LiveError::Response {
                    what: what.clone(),
                    message: "no `value` array".into(),
                })?;
            for job in values {
                let text = |pointer: &str| job.pointer(pointer).and_then(|v| v.as_str()).map(str::to_string);
                if let Some(id) = text("/id") {
                    jobs.push(Job {
                        id,
                        template_id: text("/templateId"),
                        status: text("/status/code"),
                    });
                }
            }
            match page.get("@odata.nextLink").and_then(|v| v.as_str()) {
                Some(next) => {
                    // Never send the token to another origin.
                    if !same_origin(next, &self.endpoints.graph) {
                        return Err(LiveError::Response {
                            what,
                            message: format!(
                                "the next page is on another host ({}); refusing to send the token there",
                                self.client.masker().mask(next)
                            ),
                        });
                    }
                    url = next.to_string();
                }
                None => return Ok(jobs),
            }
        }
        Err(LiveError::Response {
            what,
            message: format!("more than {MAX_PAGES} pages"),
        })
    }

    /// The job to use: `job` if given, else the service principal's only
    /// job; several jobs without `--job` is an error listing them.
    pub fn resolve_job(&self, sp: &str, job: Option<&str>) -> Result<String, LiveError> {
        if let Some(job) = job {
            return Ok(job.to_string());
        }
        let jobs = self.list_jobs(sp)?;
        match jobs.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(LiveError::NotFound {
                what: format!("a synchronization job of service principal {sp}"),
                message: "the service principal has no provisioning job".into(),
                help: "configure provisioning for the application first (Provisioning → Get started), \
                       or check the service principal id"
                    .into(),
            }),
            several => Err(LiveError::Config {
                message: format!("service principal {sp} has {} synchronization jobs", several.len()),
                help: format!(
                    "choose one with --job:\n{}",
                    several
                        .iter()
                        .map(|j| {
                            let mut line = format!("  --job {}", self.client.masker().mask(&j.id));
                            if let Some(t) = &j.template_id {
                                line.push_str(&format!("  (template {}", self.client.masker().mask(t)));
                                if let Some(s) = &j.status {
                                    line.push_str(&format!(", {}", self.client.masker().mask(s)));
                                }
                                line.push(')');
                            }
                            line
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            }),
        }
    }

    /// `GET …/jobs/{jobId}/schema`: the response body as received.
    pub fn get_schema(&self, sp: &str, job: &str) -> Result<String, LiveError> {
        let what = format!("getting the schema of job {job} of service principal {sp}");
        let request = self.authorized(Request::new(Method::Get, self.schema_url(sp, job)?, &what))?;
        let response = self.client.send(&request)?;
        self.check(&response, &what, Target::Job { sp, job }, false)?;
        Ok(response.body)
    }

    /// `PUT …/jobs/{jobId}/schema` with `body`, which replaces the whole
    /// schema.
    pub fn put_schema(&self, sp: &str, job: &str, body: Vec<u8>) -> Result<(), LiveError> {
        let what = format!("replacing the schema of job {job} of service principal {sp}");
        let request = self
            .authorized(Request::new(Method::Put, self.schema_url(sp, job)?, &what))?
            .body("application/json", body);
        let response = self.client.send(&request)?;
        self.check(&response, &what, Target::Job { sp, job }, true)
    }

    fn check(&self, response: &Response, what: &str, target: Target<'_>, write: bool) -> Result<(), LiveError> {
        if response.is_success() {
            return Ok(());
        }
        let masker = self.client.masker();
        let message = masker.mask(&response.error_message());
        let what = masker.mask(what);
        let permission = if write { WRITE_PERMISSIONS } else { READ_PERMISSION };
        Err(match response.status {
            401 => LiveError::Unauthorized {
                what,
                message,
                help: format!(
                    "the token is missing, expired or not for Microsoft Graph (its audience must be {}); \
                     with MAPPING_LINT_TOKEN, get a new one with `az account get-access-token --resource {}`",
                    self.endpoints.graph, self.endpoints.graph
                ),
            },
            403 => LiveError::Forbidden {
                what,
                message,
                help: format!(
                    "the caller needs the Microsoft Graph permission {permission} (application permission \
                     with admin consent; Application.ReadWrite.OwnedBy also requires the app to own the \
                     service principal), or as a user a role such as Application Administrator or Cloud \
                     Application Administrator; see docs/live.md"
                ),
            },
            404 => {
                let (what_missing, help) = match target {
                    Target::ServicePrincipal(sp) => (
                        format!("service principal {sp}"),
                        "--service-principal takes the service principal's object id (Enterprise \
                         applications → Overview → Object ID), not the application (client) id"
                            .to_string(),
                    ),
                    Target::Job { sp, job } => (
                        format!("job {job} of service principal {sp}"),
                        format!(
                            "list the jobs with `mapping-lint pull --service-principal {sp}` (without --job), \
                             and check that --service-principal is the object id"
                        ),
                    ),
                };
                LiveError::NotFound {
                    what: masker.mask(&what_missing),
                    message,
                    help,
                }
            }
            429 => LiveError::Status {
                what,
                status: 429,
                message,
                help: "Graph kept throttling the requests; try again later".into(),
            },
            status @ 300..=399 => LiveError::Status {
                what,
                status,
                message: format!(
                    "redirected to {} (not followed)",
                    masker.mask(response.location.as_deref().unwrap_or("?"))
                ),
                help: "check --graph-endpoint".into(),
            },
            status => LiveError::Status {
                what,
                status,
                message,
                help: if status >= 500 {
                    "Graph failed after retries; try again later".into()
                } else {
                    String::new()
                },
            },
        })
    }
}

enum Target<'a> {
    ServicePrincipal(&'a str),
    Job { sp: &'a str, job: &'a str },
}

/// Whether `url` has the scheme, host and port of `base`.
fn same_origin(url: &str, base: &str) -> bool {
    let origin = |u: &str| -> Option<String> {
        let (scheme, rest) = u.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ))
    };
    origin(url).is_some() && origin(url) == origin(base)
}

/// An id as one URL path segment: percent-encoded, so a `/`, `?` or `#`
/// cannot change the path, and never empty, `.` or `..`, which would still
/// be a path step (URL parsers read `%2E%2E` as `..` too): the request would
/// go to another resource of the same API, with the same token.
fn segment(what: &str, id: &str) -> Result<String, LiveError> {
    if id.is_empty() || id.chars().all(|c| c == '.') {
        return Err(LiveError::Config {
            message: format!("`{id}` is not a {what} id"),
            help: format!("give the {what}'s id as the portal or `pull` shows it"),
        });
    }
    Ok(percent_encode(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_percent_encode() {
        assert_eq!(percent_encode("scim.0a1b2c"), "scim.0a1b2c");
        assert_eq!(percent_encode("../x?y#z"), "..%2Fx%3Fy%23z");
        assert_eq!(segment("job", "scim.0a1b2c").unwrap(), "scim.0a1b2c");
        for dots in ["", ".", "..", "..."] {
            assert!(segment("job", dots).is_err(), "{dots:?}");
        }
    }

    #[test]
    fn next_links_must_stay_on_the_graph_host() {
        assert!(same_origin(
            "https://graph.microsoft.com/v1.0/x?$skiptoken=1",
            "https://graph.microsoft.com"
        ));
        assert!(!same_origin(
            "https://evil.example/v1.0/x",
            "https://graph.microsoft.com"
        ));
        assert!(!same_origin(
            "http://graph.microsoft.com/v1.0/x",
            "https://graph.microsoft.com"
        ));
        assert!(!same_origin(
            "https://graph.microsoft.com.evil.example/",
            "https://graph.microsoft.com"
        ));
    }
}
