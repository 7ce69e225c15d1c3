//! `pull`, `push` and `diff live:` end to end against a local server that
//! plays Microsoft Entra's token endpoint and Microsoft Graph, with
//! responses shaped like the examples of Microsoft's Graph documentation
//! (list synchronization jobs, get and update synchronizationSchema, errors
//! with `{"error": {"code", "message", "innerError"}}`, throttling with
//! `Retry-After`). Every test also checks that no credential reaches stdout
//! or stderr.

mod common;
#[path = "support/mock_http.rs"]
mod mock_http;

use assert_cmd::Command;
use common::{Run, temp_file};
use mock_http::{MockServer, Recorded, Reply};
use std::sync::{Arc, Mutex};

const SP: &str = "5f0c2b9e-7d41-4a8e-b6c3-19e2d4a07f58";
const JOB: &str = "scim.9d2f64a1c0b84e7f93a5be06c1d7f284.e81b47c2-3a95-4f0d-8c6e-27b1d9f05a63";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
/// The access token the fake token endpoint issues (JWT-shaped, like Entra's).
const ACCESS_TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.QWNjZXNzVG9rZW5TaWduYXR1cmU";
const CLIENT_SECRET: &str = "Qx8Q~verySecretValue.0123456789abcdefghij";
const GITHUB_REQUEST_TOKEN: &str = "ghs_RequestTokenValue0123456789";
const GITHUB_ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIn0.R2l0SHViSWRUb2tlblNpZw";
const FEDERATED_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29pZGMucHJlcC5henVyZS5jb20ifQ.S3ViZXJuZXRlc1Rva2VuU2ln";

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The fake tenant: its schema, its jobs, what it does with a PUT.
struct Tenant {
    schema: String,
    /// Pages of the jobs list (`@odata.nextLink` added between them).
    job_pages: Vec<Vec<&'static str>>,
    /// Store PUT bodies as the new schema (else ignore them).
    accept_put: bool,
    /// Replies served, in order, before the normal behaviour of GET schema.
    schema_script: Vec<Reply>,
    /// Reply to every Graph call with this instead.
    graph_override: Option<Reply>,
    /// Reply to the token request with this instead.
    token_override: Option<Reply>,
    /// Reply to a PUT with this instead.
    put_override: Option<Reply>,
}

impl Tenant {
    fn new(schema: String) -> Tenant {
        Tenant {
            schema,
            job_pages: vec![vec![JOB]],
            accept_put: true,
            schema_script: Vec::new(),
            graph_override: None,
            token_override: None,
            put_override: None,
        }
    }
}

fn job_json(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "templateId": "scim", "schedule": {{"expiration": null, "interval": "PT40M", "state": "Active"}},
           "status": {{"countSuccessiveCompleteFailures": 0, "escrowsPruned": false, "synchronizedEntryCountByType": [],
           "code": "Active", "lastExecution": null, "lastSuccessfulExecution": null, "lastSuccessfulExecutionWithExports": null,
           "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z", "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z", "quarantine": null}}}}"#
    )
}

fn graph_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        format!(
            r#"{{"error": {{"code": "{code}", "message": "{message}", "innerError": {{"date": "2026-11-30T01:02:03", "request-id": "0d1e2f30-0000-4000-8000-000000000001", "client-request-id": "0d1e2f30-0000-4000-8000-000000000002"}}}}}}"#
        ),
    )
}

fn start(tenant: Tenant) -> (MockServer, Arc<Mutex<Tenant>>) {
    let state = Arc::new(Mutex::new(tenant));
    let shared = Arc::clone(&state);
    let server = MockServer::start(move |request: &Recorded| {
        let mut t = shared.lock().unwrap();
        let path = request.target.split('?').next().unwrap_or_default().to_string();
        if path.ends_with("/oauth2/v2.0/token") {
            if let Some(reply) = &t.token_override {
                return reply.clone();
            }
            return Reply::json(
                200,
                format!(
                    r#"{{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": "{ACCESS_TOKEN}"}}"#
                ),
            );
        }
        if path == "/github/idtoken" {
            return Reply::json(200, format!(r#"{{"count": 1, "value": "{GITHUB_ID_TOKEN}"}}"#));
        }
        if let Some(reply) = &t.graph_override {
            return reply.clone();
        }
        if request.header("authorization") != Some(&format!("Bearer {ACCESS_TOKEN}")) {
            return graph_error(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            );
        }
        let jobs = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs");
        if path == jobs {
            let page: usize = request
                .target
                .split("$skiptoken=")
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            let ids = &t.job_pages[page];
            let mut body = format!(
                r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{SP}')/synchronization/jobs", "value": [{}]"#,
                ids.iter().map(|id| job_json(id)).collect::<Vec<_>>().join(",")
            );
            if page + 1 < t.job_pages.len() {
                let host = request.header("host").unwrap_or_default();
                body.push_str(&format!(
                    r#", "@odata.nextLink": "http://{host}{jobs}?$skiptoken={}""#,
                    page + 1
                ));
            }
            body.push('}');
            return Reply::json(200, body);
        }
        if path.starts_with(&format!("{jobs}/")) && path.ends_with("/schema") {
            let job = &path[jobs.len() + 1..path.len() - "/schema".len()];
            if !t.job_pages.iter().flatten().any(|j| *j == job) {
                return graph_error(
                    404,
                    "Request_ResourceNotFound",
                    &format!(
                        "Resource '{job}' does not exist or one of its queried reference-property objects are not present."
                    ),
                );
            }
            return match request.method.as_str() {
                "GET" if !t.schema_script.is_empty() => t.schema_script.remove(0),
                "GET" => Reply::json(200, t.schema.clone()),
                "PUT" if t.put_override.is_some() => t.put_override.clone().unwrap(),
                "PUT" => {
                    if t.accept_put {
                        t.schema = request.body_text();
                    }
                    Reply::no_content()
                }
                _ => Reply::json(405, "{}"),
            };
        }
        graph_error(
            404,
            "Request_ResourceNotFound",
            &format!("Resource '{path}' does not exist."),
        )
    });
    (server, state)
}

/// The binary with no ambient credential, proxy or endpoint, pointed at `server`.
fn live(server: &MockServer) -> Command {
    let mut cmd = common::bin();
    for var in [
        "MAPPING_LINT_TOKEN",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_CLIENT_CERTIFICATE_PATH",
        "AZURE_FEDERATED_TOKEN_FILE",
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("MAPPING_LINT_GRAPH_ENDPOINT", server.url())
        .env("MAPPING_LINT_AUTHORITY", server.url())
        .env("PATH", "/nonexistent");
    cmd
}

/// Runs and checks that no credential appears in the output.
fn run(cmd: &mut Command) -> Run {
    let run = Run::of(cmd);
    for secret in [
        ACCESS_TOKEN,
        CLIENT_SECRET,
        GITHUB_REQUEST_TOKEN,
        GITHUB_ID_TOKEN,
        FEDERATED_TOKEN,
    ] {
        for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(!text.contains(secret), "a credential leaked to {name}:\n{text}");
            // Not even a recognisable part of it.
            assert!(
                !text.contains(&secret[secret.len() - 16..]),
                "part of a credential leaked to {name}:\n{text}"
            );
        }
    }
    run
}

/// [`run`] with `args` and an access token in `MAPPING_LINT_TOKEN`.
fn run_with_token(server: &MockServer, args: &[&str]) -> Run {
    run(live(server).args(args).env("MAPPING_LINT_TOKEN", ACCESS_TOKEN))
}

/// `push FILE` with `args` and an access token.
fn push(server: &MockServer, file: &std::path::Path, args: &[&str]) -> Run {
    run_with_token(server, &[&["push", file.to_str().unwrap()], args].concat())
}

fn graph_requests(server: &MockServer) -> Vec<Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.target.starts_with("/v1.0/"))
        .collect()
}

/// Every Graph request carried the access token.
fn assert_graph_requests_carry_the_token(server: &MockServer) {
    for request in graph_requests(server) {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {ACCESS_TOKEN}").as_str())
        );
    }
}

#[test]
fn pull_with_a_token_writes_a_stable_schema_and_lints_it() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prod.json");
    let r = run_with_token(
        &server,
        &["pull", "--service-principal", SP, "-o", out.to_str().unwrap(), "-v"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // -v traces the requests, masked.
    assert!(
        r.stderr.contains(&format!(
            "→ GET {}/v1.0/servicePrincipals/{SP}/synchronization/jobs",
            server.url()
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("← 200"), "{}", r.stderr);
    // Then it was linted like `check` does.
    assert!(r.stdout.contains("All checks passed (1 file)."), "{}", r.stdout);
    assert!(r.stderr.contains("wrote the schema of job"), "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("@odata"), "annotations are volatile");
    assert!(!text.contains("ActivityId"), "the schema version is volatile");
    assert!(
        text.starts_with("{\n  \"directories\": ["),
        "sorted keys: {}",
        &text[..40]
    );
    // Graph's key order is not a contract: the same schema in another order
    // gives the same bytes.
    let reordered: serde_json::Value = serde_json::from_str(&sample("astrato.json")).unwrap();
    let (server2, _) = start(Tenant::new(serde_json::to_string(&reordered).unwrap()));
    let out2 = dir.path().join("again.json");
    let r = run_with_token(
        &server2,
        &[
            "pull",
            "--no-check",
            "--service-principal",
            SP,
            "--job",
            JOB,
            "-o",
            out2.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out2).unwrap(), text);
    // With --job, no listing.
    assert_eq!(graph_requests(&server2).len(), 1);
    assert_graph_requests_carry_the_token(&server);
}

#[test]
fn pull_without_output_prints_the_schema_and_masks_credentials_in_it() {
    let schema = sample("astrato.json").replacen(
        "\"synchronizationRules\": [",
        "\"metadata\": [{\"key\": \"SecretToken\", \"value\": \"plain-provisioning-secret-42\"}],\n  \"synchronizationRules\": [",
        1,
    );
    let (server, _) = start(Tenant::new(schema));
    let r = run_with_token(&server, &["pull", "--service-principal", SP]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"key\": \"SecretToken\""));
    assert!(
        !r.stdout.contains("plain-provisioning-secret-42"),
        "a credential was written"
    );
    assert!(r.stderr.contains("holds 1 credential value"), "{}", r.stderr);
}

#[test]
fn several_jobs_over_two_pages_are_listed_when_no_job_is_given() {
    let mut tenant = Tenant::new(sample("astrato.json"));
    tenant.job_pages = vec![vec![JOB], vec!["scim.second"]];
    let (server, _) = start(tenant);
    let r = run_with_token(&server, &["pull", "--service-principal", SP]);
    r.assert_stderr(
        2,
        &[
            "has 2 synchronization jobs",
            &format!("--job {JOB}"),
            "--job scim.second",
        ],
    );
    let listed: Vec<_> = graph_requests(&server).into_iter().map(|r| r.target).collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[1].ends_with("?$skiptoken=1"));
}

fn token_requests(server: &MockServer) -> Vec<Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.target.ends_with("/oauth2/v2.0/token"))
        .collect()
}

fn pull_ok(cmd: &mut Command, server: &MockServer) -> Run {
    let r = run(cmd.args(["pull", "--no-check", "--service-principal", SP, "--job", JOB, "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("synchronizationRules"));
    assert_graph_requests_carry_the_token(server);
    r
}

#[test]
fn client_secret_credentials_send_the_documented_form() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    pull_ok(
        live(&server)
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT)
            .env("AZURE_CLIENT_SECRET", CLIENT_SECRET),
        &server,
    );
    let tokens = token_requests(&server);
    assert_eq!(tokens.len(), 1);
    let t = &tokens[0];
    assert_eq!(t.method, "POST");
    assert_eq!(t.target, format!("/{TENANT}/oauth2/v2.0/token"));
    assert_eq!(t.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        t.form(),
        vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("client_id".to_string(), CLIENT.to_string()),
            ("scope".to_string(), format!("{}/.default", server.url())),
            ("client_secret".to_string(), CLIENT_SECRET.to_string()),
        ]
    );
}

fn assertion_of(server: &MockServer) -> String {
    let tokens = token_requests(server);
    assert_eq!(tokens.len(), 1);
    let t = &tokens[0];
    assert_eq!(t.form_field("grant_type").as_deref(), Some("client_credentials"));
    assert_eq!(t.form_field("client_id").as_deref(), Some(CLIENT));
    assert_eq!(t.form_field("client_secret"), None);
    assert_eq!(
        t.form_field("client_assertion_type").as_deref(),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    t.form_field("client_assertion").unwrap()
}

#[test]
fn certificate_credentials_send_a_signed_assertion_for_the_token_endpoint() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = pull_ok(
        live(&server)
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT)
            .env("AZURE_CLIENT_CERTIFICATE_PATH", "tests/fixtures/live/client-cert.pem"),
        &server,
    );
    let assertion = assertion_of(&server);
    assert!(
        !r.stderr.contains(&assertion[assertion.len() - 20..]),
        "the assertion leaked"
    );
    use base64::Engine;
    let part = |i: usize| -> serde_json::Value {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(assertion.split('.').nth(i).unwrap())
            .unwrap();
        serde_json::from_slice(&raw).unwrap()
    };
    assert_eq!(part(0)["alg"], "PS256");
    assert!(part(0)["x5t#S256"].is_string());
    assert_eq!(part(1)["aud"], format!("{}/{TENANT}/oauth2/v2.0/token", server.url()));
    assert_eq!(part(1)["iss"], CLIENT);
    assert_eq!(part(1)["sub"], CLIENT);
}

#[test]
fn a_federated_token_file_is_the_assertion() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let (_dir, file) = temp_file("token", format!("{FEDERATED_TOKEN}\n"));
    pull_ok(
        live(&server)
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT)
            .env("AZURE_FEDERATED_TOKEN_FILE", &file),
        &server,
    );
    assert_eq!(assertion_of(&server), FEDERATED_TOKEN);
}

#[test]
fn github_actions_oidc_exchanges_the_id_token() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    pull_ok(
        live(&server)
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT)
            .env(
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                format!("{}/github/idtoken?api-version=2.0", server.url()),
            )
            .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GITHUB_REQUEST_TOKEN),
        &server,
    );
    let id_requests: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target.starts_with("/github/"))
        .collect();
    assert_eq!(id_requests.len(), 1);
    assert_eq!(
        id_requests[0].target,
        "/github/idtoken?api-version=2.0&audience=api://AzureADTokenExchange"
    );
    assert_eq!(
        id_requests[0].header("authorization"),
        Some(format!("Bearer {GITHUB_REQUEST_TOKEN}").as_str())
    );
    assert_eq!(assertion_of(&server), GITHUB_ID_TOKEN);
}

#[cfg(unix)]
#[test]
fn the_azure_cli_is_asked_for_a_graph_token() {
    use std::os::unix::fs::PermissionsExt;
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let dir = tempfile::tempdir().unwrap();
    let az = dir.path().join("az");
    let args_file = dir.path().join("args");
    std::fs::write(
        &az,
        format!(
            "#!/bin/sh\necho \"$@\" > '{}'\necho '{{\"accessToken\": \"{ACCESS_TOKEN}\", \"expiresOn\": \"2026-11-30 03:00:00.000000\", \"tenant\": \"{TENANT}\", \"tokenType\": \"Bearer\"}}'\n",
            args_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    pull_ok(live(&server).env("PATH", dir.path()), &server);
    assert_eq!(
        std::fs::read_to_string(&args_file).unwrap().trim(),
        format!("account get-access-token --resource {} --output json", server.url())
    );
    assert!(token_requests(&server).is_empty());
}

#[test]
fn no_credential_says_how_to_provide_one() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = run(live(&server).args(["pull", "--service-principal", SP]));
    r.assert_stderr(
        2,
        &["no credential for Microsoft Graph", "MAPPING_LINT_TOKEN", "az login"],
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_rejected_client_secret_is_reported_without_the_secret() {
    let mut tenant = Tenant::new(sample("astrato.json"));
    tenant.token_override = Some(Reply::json(
        401,
        format!(
            r#"{{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{CLIENT}'. Secret: {CLIENT_SECRET}\r\nTrace ID: 1", "error_codes": [7000215]}}"#
        ),
    ));
    let (server, _) = start(tenant);
    let r = run(live(&server)
        .args(["pull", "--service-principal", SP, "-v"])
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_CLIENT_SECRET", CLIENT_SECRET));
    r.assert_stderr(2, &["cannot get a token (client secret)", "AADSTS7000215"]);
}

#[test]
fn throttling_is_retried_after_retry_after() {
    let mut tenant = Tenant::new(sample("astrato.json"));
    tenant.schema_script = vec![
        graph_error(429, "TooManyRequests", "Too many requests.").with_header("Retry-After", "1"),
        graph_error(503, "serviceNotAvailable", "Service unavailable."),
    ];
    let (server, _) = start(tenant);
    let started = std::time::Instant::now();
    let r = run_with_token(
        &server,
        &["pull", "--no-check", "--service-principal", SP, "--job", JOB, "-v"],
    );
    r.assert_stderr(0, &["← 429", "← 503", "retrying in 1000 ms"]);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1900),
        "waited Retry-After, then backed off"
    );
    assert_eq!(graph_requests(&server).len(), 3);
}

#[test]
fn the_total_timeout_stops_the_retries() {
    let mut tenant = Tenant::new(sample("astrato.json"));
    tenant.graph_override =
        Some(graph_error(429, "TooManyRequests", "Too many requests.").with_header("Retry-After", "30"));
    let (server, _) = start(tenant);
    let started = std::time::Instant::now();
    let r = run_with_token(
        &server,
        &["pull", "--service-principal", SP, "--job", JOB, "--timeout", "3"],
    );
    r.assert_stderr(2, &["HTTP 429", "throttling"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn errors_name_the_token_problem_the_permission_and_the_missing_id() {
    // 401: the token.
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = run(live(&server)
        .args(["pull", "--service-principal", SP, "--job", JOB])
        .env(
            "MAPPING_LINT_TOKEN",
            "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ3cm9uZyJ9.d3JvbmctYXVkaWVuY2U",
        ));
    r.assert_stderr(2, &["401 Unauthorized", "az account get-access-token"]);
    assert!(
        !r.stderr.contains("d3JvbmctYXVkaWVuY2U"),
        "the token leaked: {}",
        r.stderr
    );

    // 403 on read: Synchronization.Read.All.
    let mut tenant = Tenant::new(sample("astrato.json"));
    tenant.graph_override = Some(graph_error(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    ));
    let (server, _) = start(tenant);
    let r = run_with_token(&server, &["pull", "--service-principal", SP, "--job", JOB]);
    r.assert_stderr(2, &["403 Forbidden", "Synchronization.Read.All"]);

    // 404: which id.
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = run_with_token(&server, &["pull", "--service-principal", SP, "--job", "scim.nope"]);
    r.assert_stderr(
        2,
        &[&format!("job scim.nope of service principal {SP} not found (404)")],
    );
    let r = run_with_token(&server, &["pull", "--service-principal", "not-an-sp"]);
    r.assert_stderr(2, &["service principal not-an-sp not found (404)", "object id"]);
}

#[test]
fn requests_go_through_https_proxy() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = run(live(&server)
        .args(["pull", "--no-check", "--service-principal", SP, "--job", JOB])
        .env("MAPPING_LINT_GRAPH_ENDPOINT", "http://graph.example.invalid")
        .env("HTTPS_PROXY", server.url())
        .env("MAPPING_LINT_TOKEN", ACCESS_TOKEN));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = server.requests();
    assert_eq!(requests[0].method, "CONNECT");
    assert_eq!(requests[0].target, "graph.example.invalid:80");
    assert!(requests[1].tunneled && requests[1].target.ends_with("/schema"));
}

// ---- diff live: -------------------------------------------------------------

#[test]
fn diff_against_the_live_schema_reports_drift_with_high_impact_marks() {
    let (server, _) = start(Tenant::new(sample("entra-defaults.json")));
    let r = run_with_token(&server, &["diff", &format!("live:{SP}/{JOB}"), "samples/astrato.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("--- live:{SP}/{JOB}")), "{}", r.stdout);
    assert!(
        r.stdout.contains("! high impact: userName: matching attribute"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("high-impact"), "{}", r.stdout);

    // JSON: the same marks.
    let r = run_with_token(
        &server,
        &["diff", "-f", "json", "samples/astrato.json", &format!("live:{SP}")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["b"], format!("live:{SP}/{JOB}"));
    assert!(doc["summary"]["highImpact"].as_u64().unwrap() > 0);

    // No drift: exit 0.
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    let r = run_with_token(&server, &["diff", &format!("live:{SP}"), "samples/astrato.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

// ---- push -------------------------------------------------------------------

/// astrato.json with an unknown property in odd spacing, whose bytes the PUT
/// must carry unchanged, written alone in a new temporary directory: (the
/// directory, the file, its text).
fn push_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let text = sample("astrato.json").replacen(
        "\"synchronizationRules\": [",
        "\"x-future-field\":  { \"keep\" : [ 1,2 ] },\n  \"synchronizationRules\": [",
        1,
    );
    let (dir, path) = common::temp_file("astrato.json", &text);
    (dir, path, text)
}

#[test]
fn push_dry_run_prints_the_plan_and_exits_3_without_writing() {
    let (server, _) = start(Tenant::new(sample("entra-defaults.json")));
    let (dir, file, _) = push_file();
    let r = push(&server, &file, &["--service-principal", SP, "--dry-run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("Plan: replace the schema of job {JOB}")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("! high impact: userName: matching attribute"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Dry run: nothing was sent."));
    assert!(graph_requests(&server).iter().all(|r| r.method == "GET"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no backup for a dry run"
    );
}

#[test]
fn push_backs_up_puts_the_file_unchanged_and_verifies() {
    let (server, state) = start(Tenant::new(sample("entra-defaults.json")));
    let (dir, file, text) = push_file();
    let backup = dir.path().join("backup.json");
    let r = push(
        &server,
        &file,
        &["--service-principal", SP, "--yes", "--backup", backup.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Verified: the live schema now matches"),
        "{}",
        r.stdout
    );
    let puts: Vec<_> = graph_requests(&server)
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0].target,
        format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs/{JOB}/schema")
    );
    assert_eq!(puts[0].header("content-type"), Some("application/json"));
    assert_eq!(puts[0].body_text(), text, "the PUT body is the file, byte for byte");
    assert!(
        puts[0]
            .body_text()
            .contains("\"x-future-field\":  { \"keep\" : [ 1,2 ] }")
    );
    assert_eq!(state.lock().unwrap().schema, text);
    // The backup is the live schema as `pull` writes it.
    let saved = std::fs::read_to_string(&backup).unwrap();
    assert!(saved.starts_with("{\n  \"directories\""));
    let live_before: serde_json::Value = serde_json::from_str(&sample("entra-defaults.json")).unwrap();
    let saved_value: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved_value["synchronizationRules"], live_before["synchronizationRules"]);
    assert!(r.stdout.contains("Saved the live schema to"));
}

#[test]
fn a_push_that_does_not_stick_prints_the_restore_command() {
    let mut tenant = Tenant::new(sample("entra-defaults.json"));
    tenant.accept_put = false;
    let (server, _) = start(tenant);
    let (dir, file, _) = push_file();
    let r = push(&server, &file, &["--service-principal", SP, "--job", JOB, "--yes"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Verification failed"), "{}", r.stdout);
    let restore = r
        .stdout
        .lines()
        .find(|l| l.starts_with("To restore the previous schema: mapping-lint push "))
        .unwrap();
    assert!(
        restore.contains(&format!("--service-principal {SP} --job {JOB}")) && restore.contains(".live-backup-"),
        "{restore}"
    );
    assert!(
        restore.contains(&format!("--graph-endpoint {}", server.url())),
        "{restore}"
    );
    // The default backup is next to the file.
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("astrato.live-backup-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
}

#[test]
fn push_never_writes_its_backup_over_the_file() {
    let (server, _) = start(Tenant::new(sample("entra-defaults.json")));
    let (_dir, file, text) = push_file();
    let r = push(
        &server,
        &file,
        &["--service-principal", SP, "--yes", "--backup", file.to_str().unwrap()],
    );
    r.assert_stderr(2, &["refusing to overwrite the input"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert!(
        graph_requests(&server).iter().all(|r| r.method == "GET"),
        "nothing was sent"
    );
}

#[test]
fn push_refuses_a_file_with_errors_before_any_request() {
    let (server, _) = start(Tenant::new(sample("entra-defaults.json")));
    let r = run_with_token(
        &server,
        &[
            "push",
            "samples/entra-defaults.json",
            "--service-principal",
            SP,
            "--yes",
        ],
    );
    r.assert_stderr(1, &["push refused"]);
    assert!(server.requests().is_empty());
}

#[test]
fn push_needs_yes_when_not_interactive_and_names_the_write_permission() {
    let (server, _) = start(Tenant::new(sample("entra-defaults.json")));
    let (_dir, file, _) = push_file();
    let r = push(&server, &file, &["--service-principal", SP]);
    r.assert_stderr(2, &["--yes"]);
    assert!(graph_requests(&server).iter().all(|r| r.method == "GET"));

    // A 403 on the PUT names the write permissions, and what to do.
    let mut tenant = Tenant::new(sample("entra-defaults.json"));
    tenant.put_override = Some(graph_error(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    ));
    let (server, _) = start(tenant);
    let r = push(&server, &file, &["--service-principal", SP, "--job", JOB, "--yes"]);
    r.assert_stderr(
        2,
        &[
            "403 Forbidden",
            "Synchronization.ReadWrite.All or Application.ReadWrite.OwnedBy",
            "to restore the backup: mapping-lint push",
        ],
    );
}

/// An id is one path segment: `..` (or `.`) would be a step up the path,
/// sending the request, with its token, to another Graph resource. It is
/// refused before any request is made.
#[test]
fn dot_segment_ids_are_refused_before_any_request() {
    let (server, _) = start(Tenant::new(sample("astrato.json")));
    for args in [
        vec!["pull", "--service-principal", ".."],
        vec!["pull", "--service-principal", SP, "--job", ".."],
        vec!["pull", "--service-principal", SP, "--job", "."],
    ] {
        let r = run_with_token(&server, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("is not a"), "{args:?}: {}", r.stderr);
    }
    assert!(graph_requests(&server).is_empty(), "{:?}", graph_requests(&server));
}
