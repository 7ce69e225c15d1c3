use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Loc;

declare_rule! {
    /// A rule or object mapping names a directory or object that is not defined.
    ///
    /// ## What it does
    /// Reports a synchronization rule whose `sourceDirectoryName` or
    /// `targetDirectoryName` is not one of the file's `directories`, and an
    /// object mapping whose `sourceObjectName` or `targetObjectName` is not an
    /// object of that directory.
    ///
    /// ## Why it matters
    /// Entra resolves every mapping through these names. A mapping to an
    /// object that does not exist is rejected when the schema is saved — and
    /// every attribute check of that mapping is impossible.
    ///
    /// Names are compared exactly. The Entra directory was renamed from
    /// `Azure Active Directory` to `Microsoft Entra ID` in 2024; a file spliced
    /// from two exports can name one in the rule and the other in
    /// `directories`.
    ///
    /// A directory name is reported once, at its first use, however many
    /// rules name it (the other uses are labelled); so is an object name
    /// within a directory. A file without any `directories` is a fragment:
    /// this rule does not run, and `input-fragment` says so once.
    ///
    /// ## Example
    /// ```json
    /// { "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "customappsso" }
    /// ```
    /// while `directories` only defines `Microsoft Entra ID` and `customappsso`.
    ///
    /// ## Fix
    /// Use the name exactly as the directory or object definition spells it.
    pub struct UnknownDirectory {
        name: "unknown-directory",
        category: Consistency,
        severity: Error,
        fix: None,
    }
}

pub struct Finding {
    what: &'static str,
    name: String,
    loc: Loc,
    available: Vec<String>,
    /// Other places that name the same missing directory or object.
    also: Vec<Loc>,
}

impl Rule for UnknownDirectory {
    type State<'a> = Finding;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding> {
        let schema = cx.schema;
        let directory_names = || {
            schema
                .directories
                .iter()
                .map(|d| d.name_str().to_string())
                .collect::<Vec<_>>()
        };
        let mut out = Vec::new();
        for rule in &schema.rules {
            let source_dir = check_dir(
                schema,
                &rule.source_directory,
                "source directory",
                &directory_names,
                &mut out,
            );
            let target_dir = check_dir(
                schema,
                &rule.target_directory,
                "target directory",
                &directory_names,
                &mut out,
            );
            for om in &rule.object_mappings {
                for (dir, object, what) in [
                    (source_dir, &om.source_object, "source object"),
                    (target_dir, &om.target_object, "target object"),
                ] {
                    if let (Some(dir), Some(object)) = (dir, object)
                        && dir.object(object.as_str()).is_none()
                    {
                        out.push(Finding {
                            what,
                            name: format!("{}\u{0}{}", dir.name_str(), object.value),
                            loc: object.loc.clone(),
                            available: dir.objects.iter().map(|o| o.name_str().to_string()).collect(),
                            also: Vec::new(),
                        });
                    }
                }
            }
        }
        // Once per missing name: the first use is reported, the others
        // are labelled on it.
        let mut merged: Vec<Finding> = Vec::new();
        for f in out {
            let same_kind = |a: &str, b: &str| a.split(' ').nth(1) == b.split(' ').nth(1);
            match merged
                .iter_mut()
                .find(|m| same_kind(m.what, f.what) && m.name == f.name)
            {
                Some(first) => first.also.push(f.loc),
                None => merged.push(f),
            }
        }
        for f in &mut merged {
            if let Some((_, object)) = f.name.split_once('\u{0}') {
                f.name = object.to_string();
            }
        }
        merged
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding) -> Diagnostic {
        let mut d = Diagnostic::new(&Self::META, format!("unknown {} `{}`", f.what, f.name), &f.loc)
            .with_label(format!("no {} of this name is defined", f.what));
        for other in &f.also {
            d = d.with_secondary(other.span, "named here too");
        }
        if !f.also.is_empty() {
            d = d.with_note(format!(
                "named {} more time{}; reported once",
                f.also.len(),
                if f.also.len() == 1 { "" } else { "s" }
            ));
        }
        // The Entra directory's two names (renamed in 2024) count as close.
        const ENTRA: [&str; 2] = ["Azure Active Directory", "Microsoft Entra ID"];
        let renamed = |a: &str| ENTRA.contains(&a) && ENTRA.contains(&f.name.as_str());
        let close = f
            .available
            .iter()
            .find(|a| a.eq_ignore_ascii_case(&f.name) || crate::suggest::distance(a, &f.name) <= 3 || renamed(a));
        match (close, f.available.is_empty()) {
            (Some(c), _) => d.with_help(format!("did you mean `{c}`?")),
            (None, true) => d.with_help("the file defines none; export the schema with its `directories`"),
            (None, false) => d.with_help(format!(
                "defined: {}",
                f.available
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn check_dir<'s>(
    schema: &'s crate::model::Schema,
    name: &Option<crate::model::Spanned<String>>,
    what: &'static str,
    directory_names: &dyn Fn() -> Vec<String>,
    out: &mut Vec<Finding>,
) -> Option<&'s crate::model::Directory> {
    let name = name.as_ref()?;
    let dir = schema.directory(name.as_str());
    if dir.is_none() {
        out.push(Finding {
            what,
            name: name.value.clone(),
            loc: name.loc.clone(),
            available: directory_names(),
            also: Vec::new(),
        });
    }
    dir
}
