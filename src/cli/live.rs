//! `pull`, `push` and the `live:` side of `diff`: the commands that talk to
//! Microsoft Graph. The network, authentication and schema handling live in
//! the library ([`mapping_lint::live`]); this is option handling, output and
//! the push workflow's safety steps.

use super::args::{CloudChoice, LiveArgs, LiveLintArgs, PullArgs, PushArgs};
use super::check::{Input, display, load};
use super::{UsageError, exit};
use mapping_lint::diff::{self, MappingTable};
use mapping_lint::live::{self, Cloud, Credential, Endpoints, Graph, LiveError, Masker, TokenSource};
use mapping_lint::source::SourceFile;
use mapping_lint::write::{Destinations, Mode};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// `live:SP` or `live:SP/JOB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSpec {
    pub service_principal: String,
    pub job: Option<String>,
}

impl LiveSpec {
    /// Parses a `diff` operand; `None` if it is not `live:…`.
    pub fn parse(operand: &Path) -> Option<Result<LiveSpec, UsageError>> {
        let rest = operand.to_str()?.strip_prefix("live:")?;
        let (sp, job) = match rest.split_once('/') {
            Some((sp, job)) => (sp, Some(job)),
            None => (rest, None),
        };
        if sp.is_empty() || job.is_some_and(|j| j.is_empty() || j.contains('/')) {
            return Some(Err(UsageError::new(format!(
                "`{}`: expected live:SERVICE_PRINCIPAL_ID[/JOB_ID]",
                live::mask::control_free(rest)
            ))));
        }
        Some(Ok(LiveSpec {
            service_principal: sp.to_string(),
            job: job.map(str::to_string),
        }))
    }
}

fn usage(error: LiveError) -> UsageError {
    let help = error.help_text().map(str::to_string);
    let err = UsageError::new(error.to_string());
    match help {
        Some(help) => err.with_help(help),
        None => err,
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A Graph connection from the options and the environment.
pub fn connect(args: &LiveArgs, verbose: bool) -> Result<Graph, UsageError> {
    let cloud = match args.cloud {
        CloudChoice::Public => Cloud::Public,
        CloudChoice::Usgov => Cloud::UsGov,
        CloudChoice::China => Cloud::China,
    };
    let endpoints = Endpoints::new(cloud, args.graph_endpoint.as_deref(), args.authority.as_deref()).map_err(usage)?;
    let masker = Masker::new();
    let credential = Credential::from_env(&env_var, &masker).map_err(usage)?;
    let trace: Option<live::http::Trace> = verbose.then(|| {
        Box::new(|line: &str| {
            let _ = writeln!(std::io::stderr(), "mapping-lint: {line}");
        }) as live::http::Trace
    });
    let client = live::http::Client::new(Duration::from_secs(args.timeout.max(1)), masker, trace);
    let tokens = TokenSource::new(credential, endpoints.clone(), Box::new(env_var));
    Ok(Graph::new(client, endpoints, tokens))
}

/// The live schema, normalised, as a source file named `live:SP/JOB`.
fn fetch(graph: &Graph, sp: &str, job: Option<&str>) -> Result<(String, SourceFile, usize), UsageError> {
    let job = graph.resolve_job(sp, job).map_err(usage)?;
    let body = graph.get_schema(sp, &job).map_err(usage)?;
    let normalized = live::schema::normalize(&body).map_err(|e| {
        UsageError::new(format!(
            "unexpected response for the schema of job {job}: {}",
            graph.client().masker().mask(&e)
        ))
    })?;
    let name = format!("live:{sp}/{job}");
    Ok((job, SourceFile::from_text(name, normalized.text), normalized.masked))
}

fn table(source: &SourceFile) -> Result<MappingTable, UsageError> {
    MappingTable::from_source(source).map_err(|e| UsageError::new(e.to_string()))
}

/// The mapping table of a `live:` operand of `diff`.
pub fn live_table(spec: &LiveSpec, args: &LiveArgs, verbose: bool) -> Result<MappingTable, UsageError> {
    let graph = connect(args, verbose)?;
    let (_, source, _) = fetch(&graph, &spec.service_principal, spec.job.as_deref())?;
    table(&source)
}

/// Every file a live command writes goes through the one write-safety
/// function (atomic; never one of `inputs`).
fn write_file(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), UsageError> {
    let mut destinations = Destinations::new();
    for input in inputs {
        destinations.protect(input);
    }
    Ok(destinations.write(path, bytes, Mode::Create)?)
}

/// Lints `path` like `check` would, with the live command's lint options.
fn lint(path: &Path, options: &LiveLintArgs) -> Result<ExitCode, UsageError> {
    let mut argv: Vec<std::ffi::OsString> = vec!["mapping-lint".into(), "check".into()];
    if let Some(profile) = &options.profile {
        argv.extend(["--profile".into(), profile.into()]);
    }
    if let Some(config) = &options.config {
        argv.extend(["--config".into(), config.into()]);
    }
    if options.allow_outside_paths {
        argv.push("--allow-outside-paths".into());
    }
    if let Some(level) = options.fail_on {
        argv.extend([
            "--fail-on".into(),
            clap::ValueEnum::to_possible_value(&level)
                .map_or_else(|| "error".to_string(), |v| v.get_name().to_string())
                .into(),
        ]);
    }
    argv.push("--".into());
    argv.push(path.into());
    let cli = <super::Cli as clap::Parser>::try_parse_from(argv).map_err(|e| UsageError::new(e.to_string()))?;
    super::run(cli)
}

pub fn pull(args: PullArgs) -> Result<ExitCode, UsageError> {
    let graph = connect(&args.live, args.verbose)?;
    let (job, source, masked) = fetch(&graph, &args.service_principal, args.job.as_deref())?;
    if masked > 0 {
        eprintln!(
            "mapping-lint: warning: the live schema holds {masked} credential {}; {} masked in the output \
             (run `check` on the file to see where)",
            if masked == 1 { "value" } else { "values" },
            if masked == 1 { "it is" } else { "they are" },
        );
    }
    let Some(output) = &args.output else {
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(source.text.as_bytes()).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(UsageError::new(format!("cannot write the schema: {e}")))
            }
            _ => Ok(ExitCode::SUCCESS),
        };
    };
    write_file(output, source.text.as_bytes(), &[])?;
    eprintln!(
        "mapping-lint: wrote the schema of job {} of service principal {} to {}",
        graph.client().masker().mask(&job),
        graph.client().masker().mask(&args.service_principal),
        display(output)
    );
    if args.no_check {
        return Ok(ExitCode::SUCCESS);
    }
    lint(output, &args.lint)
}

pub fn push(args: PushArgs) -> Result<ExitCode, UsageError> {
    // 1. The file must lint clean at --fail-on.
    let input = Input::File {
        path: args.file.clone(),
        display: display(&args.file),
        walked: false,
    };
    let file = load(&input, args.max_file_size).map_err(|e| UsageError::new(e.to_string()))?;
    if let Some(err) = &file.decode_error {
        return Err(UsageError::new(format!("{}: {}", display(&args.file), err.message)));
    }
    let lint_code = lint(&args.file, &args.lint)?;
    if lint_code != ExitCode::SUCCESS {
        eprintln!(
            "mapping-lint: push refused: {} has findings at or above --fail-on; nothing was sent",
            display(&args.file)
        );
        return Ok(lint_code);
    }
    let file_table = table(&file)?;

    // 2. The plan: live (old) → file (new).
    let graph = connect(&args.live, args.verbose)?;
    let sp = args.service_principal.as_str();
    let (job, live_source, _) = fetch(&graph, sp, args.job.as_deref())?;
    let live_table = table(&live_source)?;
    let plan = diff::compare(&live_table, &file_table);
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let mut out = std::io::stdout().lock();
    let masker = graph.client().masker().clone();
    let say = |out: &mut std::io::StdoutLock<'_>, text: &str| -> Result<(), UsageError> {
        writeln!(out, "{}", masker.mask(text)).map_err(|e| UsageError::new(format!("cannot write the plan: {e}")))
    };
    if plan.is_equal() {
        say(
            &mut out,
            &format!(
                "No changes: the live schema of job {job} already matches {}.",
                display(&args.file)
            ),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    say(
        &mut out,
        &format!(
            "Plan: replace the schema of job {job} of service principal {sp} with {}",
            display(&args.file)
        ),
    )?;
    let mut rendered = Vec::new();
    diff::human::render(&plan, diff::human::Options { color, verbose: false }, &mut rendered)
        .map_err(|e| UsageError::new(format!("cannot render the plan: {e}")))?;
    out.write_all(&rendered)
        .map_err(|e| UsageError::new(format!("cannot write the plan: {e}")))?;
    let _ = out.flush();
    if args.dry_run {
        say(&mut out, "Dry run: nothing was sent.")?;
        return Ok(ExitCode::from(exit::PLAN_HAS_CHANGES));
    }

    // 3. Confirmation.
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(UsageError::new("push needs confirmation, but stdin is not a terminal")
                .with_help("review the plan and pass --yes to apply it, or --dry-run to only print it"));
        }
        eprint!("Apply this plan to job {job}? Type `yes` to confirm: ");
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| UsageError::new(format!("cannot read the answer: {e}")))?;
        if answer.trim() != "yes" {
            say(&mut out, "Not applied.")?;
            return Ok(ExitCode::from(exit::PLAN_HAS_CHANGES));
        }
    }

    // 4. Backup, 5. PUT, 6. verify.
    let backup = args.backup.clone().unwrap_or_else(|| default_backup(&args.file));
    write_file(&backup, live_source.text.as_bytes(), &[&args.file])?;
    say(&mut out, &format!("Saved the live schema to {}", display(&backup)))?;
    let restore = format!(
        "mapping-lint push {} --service-principal {sp} --job {job}{} --yes",
        shell_quote(&display(&backup)),
        endpoint_flags(&args.live)
    );
    graph.put_schema(sp, &job, file.text.as_bytes().to_vec()).map_err(|e| {
        let help = format!(
            "{}nothing may have changed; to restore the backup: {restore}",
            e.help_text().map(|h| format!("{h}; ")).unwrap_or_default()
        );
        UsageError::new(e.to_string()).with_help(help)
    })?;
    say(&mut out, &format!("Replaced the schema of job {job}."))?;
    let (_, after, _) = fetch(&graph, sp, Some(&job))?;
    let check = diff::compare(&file_table, &table(&after)?);
    if check.is_equal() {
        say(
            &mut out,
            &format!("Verified: the live schema now matches {}.", display(&args.file)),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    say(
        &mut out,
        "Verification failed: the live schema read back differs from the file:",
    )?;
    let mut rendered = Vec::new();
    diff::human::render(&check, diff::human::Options { color, verbose: false }, &mut rendered)
        .map_err(|e| UsageError::new(format!("cannot render the diff: {e}")))?;
    out.write_all(&rendered)
        .map_err(|e| UsageError::new(format!("cannot write the diff: {e}")))?;
    say(&mut out, &format!("To restore the previous schema: {restore}"))?;
    Ok(ExitCode::from(exit::VERIFY_FAILED))
}

/// `DIR/STEM.live-backup-YYYYMMDDTHHMMSSZ.json` next to the file.
fn default_backup(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "schema".into(), |s| s.to_string_lossy().into_owned());
    let name = format!("{stem}.live-backup-{}.json", utc_stamp(std::time::SystemTime::now()));
    file.parent()
        .map_or_else(|| PathBuf::from(&name), |dir| dir.join(&name))
}

/// `YYYYMMDDTHHMMSSZ` (civil-from-days, proleptic Gregorian calendar).
fn utc_stamp(time: std::time::SystemTime) -> String {
    let secs = time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The endpoint options to repeat in a printed command.
fn endpoint_flags(args: &LiveArgs) -> String {
    let mut out = String::new();
    if args.cloud != CloudChoice::Public {
        out.push_str(match args.cloud {
            CloudChoice::Usgov => " --cloud usgov",
            CloudChoice::China => " --cloud china",
            CloudChoice::Public => "",
        });
    }
    if let Some(url) = &args.graph_endpoint {
        out.push_str(&format!(" --graph-endpoint {}", shell_quote(url)));
    }
    if let Some(url) = &args.authority {
        out.push_str(&format!(" --authority {}", shell_quote(url)));
    }
    out
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_operands() {
        assert!(LiveSpec::parse(Path::new("export.json")).is_none());
        assert_eq!(
            LiveSpec::parse(Path::new("live:sp-1/scim.abc")).unwrap().unwrap(),
            LiveSpec {
                service_principal: "sp-1".into(),
                job: Some("scim.abc".into())
            }
        );
        assert_eq!(LiveSpec::parse(Path::new("live:sp-1")).unwrap().unwrap().job, None);
        for bad in ["live:", "live:/x", "live:a/", "live:a/b/c"] {
            assert!(LiveSpec::parse(Path::new(bad)).unwrap().is_err(), "{bad}");
        }
    }

    #[test]
    fn backup_names_carry_a_utc_stamp() {
        let t = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(utc_stamp(t), "20231114T221320Z");
        assert_eq!(
            utc_stamp(std::time::UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
        let b = default_backup(Path::new("dir/prod.json"));
        assert!(
            b.starts_with("dir") && b.to_string_lossy().contains("prod.live-backup-2"),
            "{b:?}"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
    }
}
