//! The per-file pipeline: decode → parse → structural check → model → rules.
//!
//! Each step runs once and its result is shared by every rule through
//! [`Context`]. A file that is not JSON stops after the parse (only
//! `invalid-json` can say anything useful about it); a file that is JSON but
//! has a broken structure still gets every rule, on the lenient model.

use crate::diagnostic::{Diagnostic, Severity};
use crate::expr::equiv::Prover;
use crate::json::{self, SyntaxError};
use crate::model::shape::{self, Facts};
use crate::model::{self, Recognised, Schema};
use crate::profile::Profile;
use crate::rules::{self, Check, Context, RuleMeta};
use crate::secrets::{self, Secret};
use crate::source::SourceFile;
use crate::span::FileSpan;
use crate::validate;
use std::collections::HashMap;
use std::sync::Arc;

/// Which rules run and how severe their findings are.
#[derive(Debug, Clone, Default)]
pub struct LintSettings {
    /// `--select`: if set, only these rules run.
    pub select: Option<Vec<String>>,
    /// `--ignore`: these rules never run.
    pub ignore: Vec<String>,
    /// Severity per rule from the config file; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// The reference profile; `None` runs only profile-independent rules.
    pub profile: Option<Arc<Profile>>,
}

impl LintSettings {
    /// The severity a rule runs at, or `None` if it does not run.
    pub fn effective_severity(&self, rule: &RuleMeta) -> Option<Severity> {
        let name = rule.name;
        if self.ignore.iter().any(|n| n == name) {
            return None;
        }
        if let Some(select) = &self.select
            && !select.iter().any(|n| n == name)
        {
            return None;
        }
        match self.severities.get(name) {
            Some(configured) => *configured,
            None => Some(rule.severity),
        }
    }

    /// The rules that run with these settings: enabled, and given what
    /// they need (a reference profile for the profile rules).
    pub fn rules_that_run(&self) -> Vec<&'static str> {
        rules::REGISTRY
            .iter()
            .filter(|r| self.runs(r.meta()))
            .map(|r| r.meta().name)
            .collect()
    }

    /// Whether a rule runs: enabled, and given what it needs (a reference
    /// profile for the profile rules).
    pub fn runs(&self, rule: &RuleMeta) -> bool {
        self.effective_severity(rule).is_some() && (self.profile.is_some() || rule.category != rules::Category::Profile)
    }

    /// Rule names given in settings that do not exist.
    pub fn unknown_rule_names(&self) -> Vec<String> {
        let named = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severities.keys());
        named.filter(|n| rules::find(n).is_none()).cloned().collect()
    }
}

/// What a file in a report is to the run. Reports hold the exports that
/// were linted and, next to them, the settings files that findings point
/// into (an unused `ignore:` entry, a profile that does not parse), so every
/// format can show a finding at its own place in its own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRole {
    /// An export (or fragment) that was linted.
    Export,
    /// The `.mapping-lint.yaml` of the run.
    Config,
    /// The `--baseline` file.
    Baseline,
    /// A reference profile file (or a file it `extends`).
    Profile,
}

impl FileRole {
    /// The rule that reports a file of this role that cannot be read. A
    /// settings file that cannot be used stops the run; an export that
    /// cannot be read is `invalid-json`, and the run goes on.
    pub fn invalid_rule(self) -> &'static RuleMeta {
        match self {
            FileRole::Export => rules::invalid_json::META,
            FileRole::Config => rules::invalid_config::META,
            FileRole::Baseline => rules::invalid_baseline::META,
            FileRole::Profile => rules::invalid_profile::META,
        }
    }
}

/// The findings for one file.
#[derive(Debug)]
pub struct FileReport {
    /// What the file is to the run.
    pub role: FileRole,
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
    /// Credentials found in the file; every output masks these spans.
    pub secrets: Vec<Secret>,
    /// How many fixes `--fix` applied to get this text (0 otherwise);
    /// `diagnostics` are then the findings that remain.
    pub fixed: usize,
    /// The kind of provisioning job recognised in the file; `None` when the
    /// report is not of an export (not JSON, or a config file's findings).
    pub job: Option<Recognised>,
    /// The rules that ran on the file, in registry order, for formats that
    /// also list the checks that passed (junit).
    pub rules_run: Vec<&'static str>,
}

impl FileReport {
    /// The file text with every credential replaced by the fixed-width
    /// mask (offsets change) and control characters (possible only in a
    /// file that is not valid JSON) shown as `?`, so a broken file cannot
    /// send escape sequences to the terminal: for whole-file views such as
    /// `--diff`. Snippets come from `output::excerpt`, which masks the same
    /// way.
    pub fn display_text(&self) -> String {
        let text = secrets::mask_text(&self.source.text, &self.secrets);
        if text.bytes().any(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) {
            text.chars()
                .map(|c| {
                    if c.is_control() && !matches!(c, '\n' | '\r' | '\t') && c.len_utf8() == 1 {
                        '?'
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            text
        }
    }

    /// The masker for this file's credentials (see [`crate::secrets`]).
    pub fn masker(&self) -> secrets::Masker {
        secrets::Masker::new(&self.secrets, &self.source.text)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Findings in a settings file (`role` is not [`FileRole::Export`]):
    /// masked like an export's, with the credential shapes found in `text`.
    /// The rules that "ran" are those of the findings.
    pub fn of_settings_file(role: FileRole, name: &str, text: &str, diagnostics: Vec<Diagnostic>) -> FileReport {
        let source = SourceFile::from_text(name, text);
        let mut rules_run: Vec<&'static str> = Vec::new();
        for d in &diagnostics {
            if !rules_run.contains(&d.rule) {
                rules_run.push(d.rule);
            }
        }
        let (diagnostics, secrets) = mask(&source, diagnostics, secrets::scan_text(text));
        FileReport {
            role,
            source,
            diagnostics,
            secrets,
            fixed: 0,
            job: None,
            rules_run,
        }
    }
}

/// Builds what every file needs once — the compiled JSON Schema (about
/// 1 ms) and the credential patterns (0.5 ms) — so a caller can do it on
/// another thread while it reads and parses its inputs. `lint` does it
/// anyway when nobody did.
pub fn prepare() {
    secrets::prepare();
    validate::prepare();
}

/// [`prepare`] on another thread, while the caller reads its inputs.
pub fn prepare_in_background() {
    rayon::spawn(prepare);
}

/// Lints a source (one that failed to decode gets `invalid-json`).
pub fn lint(source: SourceFile, settings: &LintSettings) -> FileReport {
    let parsed = match &source.decode_error {
        Some(err) => Err(SyntaxError {
            message: err.message.clone(),
            span: FileSpan::new(err.offset, err.offset),
            help: Some(err.help.clone()),
        }),
        None => json::parse(&source.text),
    };
    let prover = Prover::default();
    let (diagnostics, secrets, job) = match parsed {
        Err(syntax) => {
            let empty = Schema::default();
            let unknown = Recognised::default();
            let facts = Facts::default();
            let cx = Context {
                file: &source,
                syntax_error: Some(&syntax),
                root: None,
                schema: &empty,
                structure: &[],
                secrets: &[],
                expressions: &[],
                profile: settings.profile.as_deref(),
                job: &unknown,
                prover: &prover,
                facts: &facts,
            };
            // No tree to scan: look for credential shapes in the text, so
            // that its snippet cannot show one either.
            (run_rules(&cx, settings), secrets::scan_text(&source.text), None)
        }
        Ok(original) => {
            // PowerShell's PascalCase keys are read as their camelCase
            // spelling: the rewritten text has the same byte offsets, so
            // every span still points into the file as it is.
            let mut facts = Facts::of(&original, &source.text);
            let camel_text = (!facts.pascal_keys.is_empty())
                .then(|| shape::camel_case_text(&original, &source.text))
                .flatten();
            let camel_root = camel_text.as_deref().and_then(|t| json::parse(t).ok());
            let root = camel_root.as_ref().unwrap_or(&original);
            let input = shape::recognise(root);
            facts.wrapper = input.wrapper;
            facts.parts = input.parts.len();
            let mut diagnostics = Vec::new();
            let mut all_secrets = Vec::new();
            let mut job = None;
            for (index, part) in input.parts.iter().enumerate() {
                facts.part_index = index;
                let first = index == 0;
                // Independent reads of the same tree: on a big export each
                // takes a good part of the parse time, so use a second core.
                // The structural check is the stealable half: it may wait
                // for the schema compiled in the background (`prepare`).
                let (schema, (secrets, structure)) = rayon::join(
                    || model::build_part(part),
                    || {
                        let mut structure = validate::check_part(root, part);
                        let secrets = if first {
                            // Duplicate keys anywhere in the file, once.
                            structure.extend(validate::duplicate_keys(root));
                            structure.sort_by_key(|p| (p.span.start, p.span.end));
                            secrets::scan(root)
                        } else {
                            Vec::new()
                        };
                        // Repeated problems of one kind in one place: a few and a count.
                        (secrets, validate::cap(root, structure))
                    },
                );
                let expressions = model::parse_expressions(&schema, &source.text);
                let recognised = model::kind::recognise(&schema);
                let cx = Context {
                    file: &source,
                    syntax_error: None,
                    root: Some(root),
                    schema: &schema,
                    structure: &structure,
                    secrets: &secrets,
                    expressions: &expressions,
                    profile: settings.profile.as_deref(),
                    job: &recognised,
                    prover: &prover,
                    facts: &facts,
                };
                diagnostics.extend(run_rules(&cx, settings));
                // Freeing a 50 MB export's tree and model takes as long as
                // validating it; they are independent too.
                drop(expressions);
                drop(schema);
                all_secrets.extend(secrets);
                job.get_or_insert(recognised);
            }
            if camel_root.is_some() {
                for d in &mut diagnostics {
                    d.pointer = shape::original_pointer(&original, &d.pointer);
                }
                for s in &mut all_secrets {
                    s.pointer = shape::original_pointer(&original, &s.pointer);
                }
            }
            if facts.parts > 1 {
                diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
            }
            rayon::join(move || drop(camel_root), move || drop(original));
            (diagnostics, all_secrets, job)
        }
    };
    let (diagnostics, secrets) = mask(&source, diagnostics, secrets);
    let kind = job.as_ref().map_or(model::JobKind::Unknown, |j| j.kind);
    let rules_run = rules::REGISTRY
        .iter()
        .filter(|r| matches!(r, Check::File(_)) && settings.runs(r.meta()) && r.meta().applies_to(kind))
        .map(|r| r.meta().name)
        .collect();
    FileReport {
        role: FileRole::Export,
        source,
        diagnostics,
        secrets,
        fixed: 0,
        job,
        rules_run,
    }
}

/// The one place findings are masked: every format and the baseline read
/// them from a [`FileReport`], and both ways of building one end here.
/// Returns the masked findings and every span of the text that holds one of
/// `secrets` (where it was found, and wherever else the same value occurs),
/// for snippets to mask.
fn mask(
    source: &SourceFile,
    mut diagnostics: Vec<Diagnostic>,
    mut secrets: Vec<Secret>,
) -> (Vec<Diagnostic>, Vec<Secret>) {
    let masker = secrets::Masker::new(&secrets, &source.text);
    let repeated = if secrets.is_empty() {
        Vec::new()
    } else {
        masker.find_in(&source.text)
    };
    for span in repeated {
        if !secrets
            .iter()
            .any(|s| s.span.start <= span.start && span.end <= s.span.end)
        {
            secrets.push(Secret {
                value: source.text[span].to_string(),
                span,
                pointer: String::new(),
                kind: "a repeated credential".into(),
            });
        }
    }
    secrets.sort_by_key(|s| (s.span.start, s.span.end));
    for d in &mut diagnostics {
        masker.mask_diagnostic(d);
    }
    (diagnostics, secrets)
}

fn run_rules(cx: &Context<'_>, settings: &LintSettings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in rules::REGISTRY {
        let Check::File(rule) = check else { continue };
        let Some(severity) = settings.effective_severity(rule.meta()) else {
            continue;
        };
        let start = out.len();
        rule.run(cx, &mut out);
        // A rule may choose a finding's severity (a profile's policy); a
        // severity configured for the rule overrides it.
        if settings.severities.contains_key(rule.meta().name) {
            for d in &mut out[start..] {
                d.severity = severity;
            }
        }
    }
    for d in &mut out {
        d.semantic_key = crate::model::semantic_key(cx.schema, &d.semantic_key);
    }
    rules::apply_deferrals(&mut out);
    out.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
    out
}

/// Decodes and lints bytes in memory (tests, tools embedding the linter).
pub fn lint_bytes(name: &str, bytes: Vec<u8>, settings: &LintSettings) -> FileReport {
    lint(
        SourceFile::from_bytes(name, crate::source::Origin::Stdin, bytes),
        settings,
    )
}

/// Lints text in memory, e.g. in tests.
pub fn lint_text(name: &str, text: &str, settings: &LintSettings) -> FileReport {
    lint(SourceFile::from_text(name, text), settings)
}
