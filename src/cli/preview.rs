//! `mapping-lint preview`: read the export, stream the objects through
//! [`mapping_lint::preview::Previewer`], render each as it is done, exit by the worst finding.
//!
//! Errors before the first object (unreadable export or objects file, no object mapping) exit 2.
//! Objects are never held together: each is read, previewed, written and dropped.

use super::args::{PatchStyleArg, PreviewArgs, PreviewFormat, PreviewOperation};
use super::check::{Input, display, load};
use super::{UsageError, exit};
use mapping_lint::preview::objects::{ObjectReader, ReadError};
use mapping_lint::preview::{self, DeriveOptions, Operation, Options, PatchStyle, Previewer, SourceObject, render};
use mapping_lint::write::{Destinations, Mode};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

pub fn run(args: PreviewArgs) -> Result<ExitCode, UsageError> {
    if args.export.as_os_str() == "-" && args.objects.as_os_str() == "-" {
        return Err(UsageError::new("only one of EXPORT and --objects can be `-` (stdin)"));
    }
    // Every file read is protected from -o; the destination is checked before the run.
    let mut destinations = Destinations::new();
    for input in [&args.export, &args.objects] {
        if input.as_os_str() == "-" {
            destinations.protect_stdin();
        } else {
            destinations.protect(input);
        }
    }
    if let Some(out) = &args.output {
        destinations.check(out, Mode::Create)?;
    }
    let export = if args.export.as_os_str() == "-" {
        Input::Stdin {
            display: "<stdin>".to_string(),
        }
    } else {
        Input::File {
            path: args.export.clone(),
            display: display(&args.export),
            walked: false,
        }
    };
    let source = load(&export, args.max_file_size).map_err(|e| UsageError::new(e.to_string()))?;
    if let Some(err) = &source.decode_error {
        let at = source.line_col(err.offset);
        return Err(
            UsageError::new(format!("{}:{}:{}: {}", source.name, at.line, at.column, err.message))
                .with_help(err.help.clone()),
        );
    }
    let root = mapping_lint::json::parse(&source.text).map_err(|e| {
        let at = source.line_col(e.span.start);
        let err = UsageError::new(format!("{}:{}:{}: {}", source.name, at.line, at.column, e.message))
            .with_help("the export must be valid JSON; `mapping-lint check` shows the problem in context");
        match e.help {
            Some(help) => err.with_help(help),
            None => err,
        }
    })?;
    let schema = mapping_lint::model::build(&root);
    // Values come from the export's expressions: credentials in it pass the same mask as every
    // other output, record by record.
    let masker = mapping_lint::secrets::Masker::new(&mapping_lint::secrets::scan(&root), &source.text);
    let expressions = mapping_lint::model::parse_expressions(&schema, &source.text);
    let profile = match args.profile.as_deref() {
        Some(name) => super::profile::load(name)?,
        None => None,
    };
    if let Some(profile) = &profile {
        let job = mapping_lint::model::kind::recognise(&schema);
        if let Some(mismatch) = profile.mismatch(&job, &schema) {
            let written_for = match mismatch {
                mapping_lint::profile::Mismatch::Kind(kind) => format!("{} jobs", kind.as_str()),
                mapping_lint::profile::Mismatch::Target => format!("other targets ({})", profile.targets.join(", ")),
            };
            return Err(UsageError::new(format!(
                "profile `{}` is written for {written_for}; {} is a {} job",
                profile.name,
                source.name,
                job.kind.as_str()
            ))
            .with_help(
                "choose the profile of this application (`mapping-lint profile list`), or leave out --profile",
            ));
        }
    }
    let options = Options {
        profile: profile.map(std::sync::Arc::new),
        operation: match args.operation {
            PreviewOperation::Create => Operation::Create,
            PreviewOperation::Update => Operation::Update,
            PreviewOperation::Disable => Operation::Disable,
        },
        object_mapping: args.object_mapping.clone(),
        derive: DeriveOptions {
            disabled_means_soft_deleted: args.disabled_means_soft_deleted,
        },
        patch_style: match args.patch_style {
            PatchStyleArg::Default => PatchStyle::Default,
            PatchStyleArg::Compliant => PatchStyle::Compliant,
        },
    };
    let mut previewer = Previewer::new(&schema, &expressions, &source, options.clone()).map_err(|e| {
        UsageError::new(format!("{}: {e}", source.name)).with_help(match e {
            preview::PreviewError::NoObjectMapping => "enable an object mapping in the export",
            preview::PreviewError::UnknownObjectMapping { .. } => {
                "give one of the names listed, or a source object name"
            }
        })
    })?;

    let objects_name = if args.objects.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        display(&args.objects)
    };
    let reader: Box<dyn BufRead> = if args.objects.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        if args.objects.is_dir() {
            return Err(UsageError::new(format!("{objects_name}: is a directory"))
                .with_help("--objects takes a file of users and groups (JSON or JSON Lines)"));
        }
        let file = std::fs::File::open(&args.objects).map_err(|e| {
            UsageError::new(format!("cannot read --objects {objects_name}: {e}"))
                .with_help("--objects takes a file of users and groups as Graph returns them, or `-` for stdin")
        })?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    };

    let format = args.format;
    let operation = options.operation;
    let mut reader_slot = Some(reader);
    let mut run_into = |out: &mut dyn Write| {
        let mut masked = Masked {
            masker: &masker,
            sink: out,
            record: Vec::new(),
        };
        stream(
            &mut previewer,
            reader_slot.take().expect("the objects are read once"),
            &objects_name,
            &source.name,
            format,
            operation,
            &mut masked,
        )
    };
    let result = match &args.output {
        None => {
            let mut stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            run_into(&mut stdout)
        }
        Some(path) => {
            let mut stopped = None;
            let written = destinations.write_streamed(path, Mode::Create, &mut |w| {
                run_into(w).map_err(|failure| match failure {
                    Failure::Io(e) => e,
                    Failure::Usage(e) => {
                        stopped = Some(e);
                        std::io::Error::other("stopped")
                    }
                })
            });
            match (written, stopped) {
                (_, Some(usage)) => Err(Failure::Usage(usage)),
                (Err(e), None) => return Err(e.into()),
                (Ok(()), None) => Ok(()),
            }
        }
    };
    match result {
        Ok(()) => {}
        Err(Failure::Usage(e)) => return Err(e),
        // A closed pipe (`| head`) ends the output early; that is not an error.
        Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(Failure::Io(e)) => return Err(UsageError::new(format!("cannot write the preview: {e}"))),
    }
    Ok(ExitCode::from(exit_code(&previewer, args.fail_on)))
}

fn exit_code(previewer: &Previewer<'_>, fail_on: mapping_lint::Severity) -> u8 {
    match previewer.summary().worst() {
        Some(worst) if worst >= fail_on => exit::FINDINGS,
        _ => exit::CLEAN,
    }
}

enum Failure {
    Usage(UsageError),
    Io(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

fn stream(
    previewer: &mut Previewer<'_>,
    reader: Box<dyn BufRead>,
    objects_name: &str,
    export_name: &str,
    format: PreviewFormat,
    operation: Operation,
    out: &mut Masked<'_>,
) -> Result<(), Failure> {
    for f in previewer.setup_findings() {
        match format {
            PreviewFormat::Json => render::json_finding(f, out)?,
            PreviewFormat::Human => render::human_finding(f, export_name, out)?,
        }
        out.end_record()?;
    }
    if format == PreviewFormat::Human && !previewer.setup_findings().is_empty() {
        writeln!(out)?;
    }
    let derive = previewer_derive(previewer);
    for item in ObjectReader::new(reader) {
        let item = item.map_err(|e| {
            Failure::Usage(
                UsageError::new(format!("{objects_name}: {e}")).with_help(match e {
                    ReadError::Io(_) => "check that the file can be read",
                    _ => "give users and groups as Graph returns them: one object, an array, a list response, or one object per line (JSON Lines)",
                }),
            )
        })?;
        let preview = match item {
            Ok(raw) => {
                let object = SourceObject::from_json(raw.ordinal, raw.line, &raw.json, derive);
                previewer.preview(&object)
            }
            Err(issue) => previewer.unreadable(&issue),
        };
        match format {
            PreviewFormat::Json => render::json_object(&preview, out)?,
            PreviewFormat::Human => render::human_object(&preview, objects_name, out)?,
        }
        out.end_record()?;
    }
    match format {
        PreviewFormat::Json => {
            render::json_summary(export_name, previewer.kind(), operation, previewer.summary(), out)?
        }
        PreviewFormat::Human => render::human_summary(previewer.summary(), out)?,
    }
    out.flush()?;
    Ok(())
}

/// Buffers one record (a finding, an object, the summary) and writes it masked on `flush`: a
/// credential is never split across two writes.
struct Masked<'a> {
    masker: &'a mapping_lint::secrets::Masker,
    sink: &'a mut dyn Write,
    record: Vec<u8>,
}

impl Write for Masked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.record.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.end_record()?;
        self.sink.flush()
    }
}

impl Masked<'_> {
    fn end_record(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.record);
        self.sink.write_all(self.masker.mask(&text).as_bytes())?;
        self.record.clear();
        Ok(())
    }
}

fn previewer_derive(previewer: &Previewer<'_>) -> DeriveOptions {
    previewer.options().derive
}
