//! The offline commands never touch the network: `check`, file `diff`,
//! `eval`, `rule`, `profile` and `preview` run with every proxy variable pointing at a
//! closed port, the Graph and login endpoints pointing at a local listener
//! that records any connection, and credentials in the environment — and
//! the listener must see nothing.

mod common;

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn offline_commands_open_no_connection() {
    let tripwire = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://127.0.0.1:{}", tripwire.local_addr().unwrap().port());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in tripwire.incoming() {
            if stream.is_ok() {
                seen.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let proxy = format!("http://127.0.0.1:{}", closed_port());
    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("fixed.json");
    std::fs::copy("samples/entra-defaults.json", &fixed).unwrap();
    let fixed = fixed.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["samples/entra-defaults.json"],
        vec!["check", "-f", "json", "samples/"],
        vec!["check", "--fix", fixed],
        vec!["diff", "samples/entra-defaults.json", "samples/astrato.json"],
        vec!["diff", "-f", "json", "samples/entra-defaults.json"],
        vec![
            "eval",
            "Join(\" \", [givenName], [surname])",
            "--input",
            "{\"givenName\":\"A\",\"surname\":\"B\"}",
        ],
        vec!["rule"],
        vec!["rule", "secret-in-export"],
        vec!["profile", "list"],
        vec!["profile", "show", "astrato"],
        vec!["profile", "from-export", "samples/astrato.json"],
        vec!["preview", "samples/astrato.json", "--objects", "samples/users.json"],
        vec![
            "preview",
            "-f",
            "json",
            "samples/entra-defaults.json",
            "--objects",
            "samples/users.json",
        ],
    ];
    for args in commands {
        let output = common::bin()
            .args(&args)
            .env("HTTPS_PROXY", &proxy)
            .env("HTTP_PROXY", &proxy)
            .env("ALL_PROXY", &proxy)
            .env("https_proxy", &proxy)
            .env("http_proxy", &proxy)
            .env("all_proxy", &proxy)
            .env("MAPPING_LINT_GRAPH_ENDPOINT", &endpoint)
            .env("MAPPING_LINT_AUTHORITY", &endpoint)
            .env("MAPPING_LINT_TOKEN", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJvZmZsaW5lIn0.c2ln")
            .env("AZURE_TENANT_ID", "t")
            .env("AZURE_CLIENT_ID", "c")
            .env("AZURE_CLIENT_SECRET", "offline-test-secret")
            .output()
            .unwrap();
        let code = output.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            connections.load(Ordering::SeqCst),
            0,
            "{args:?} connected to the network"
        );
    }
    // The tripwire works: a live command does connect to it.
    let output = common::bin()
        .args(["pull", "--service-principal", "sp", "--job", "j", "--timeout", "2"])
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("all_proxy")
        .env("MAPPING_LINT_GRAPH_ENDPOINT", &endpoint)
        .env("MAPPING_LINT_TOKEN", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJvZmZsaW5lIn0.c2ln")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        connections.load(Ordering::SeqCst) > 0,
        "the tripwire saw the live command"
    );
}
