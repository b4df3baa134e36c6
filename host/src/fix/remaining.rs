//! The findings that remain after a fix, from an assessment of the fixed scripts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::assess::{AssessOptions, assess};
use crate::finding::Finding;
use crate::runtime::Runtime;

use super::FixedFile;

/// Rule code prefixes of the script and section access rules, the ones a script rewrite can fix.
const SCRIPT_RULES: &[&str] = &["QC1", "QC2"];

/// Assesses the inputs as they are after the fix and returns their script and section access
/// findings, sorted by location.
///
/// When `files` is not empty, the inputs are first copied into a temporary folder with the
/// fixed files in place of the originals. Other files are hard-linked, or copied where a link
/// fails. Finding paths are then turned back into the input paths.
pub fn remaining_findings(
    runtime: &Runtime,
    mut options: AssessOptions,
    files: &[FixedFile],
) -> std::io::Result<Vec<Finding>> {
    let mut findings = if files.is_empty() {
        assess(runtime, &options).findings
    } else {
        let staging = tempfile::Builder::new().prefix("qready-fix-").tempdir()?;
        let staged = stage(&options.inputs, files, staging.path())?;
        options.inputs = staged.iter().map(|(staged, _)| staged.clone()).collect();
        let mut findings = assess(runtime, &options).findings;
        for location in findings.iter_mut().filter_map(|f| f.location.as_mut()) {
            for (staged, original) in &staged {
                let staged = staged.display().to_string();
                if let Some(rest) = location.file.strip_prefix(&staged) {
                    location.file = format!("{}{rest}", original.display());
                    break;
                }
            }
        }
        findings
    };
    findings.retain(|f| {
        SCRIPT_RULES
            .iter()
            .any(|prefix| f.rule.code.starts_with(prefix))
    });
    findings.sort_by(|a, b| (&a.location, &a.rule.code).cmp(&(&b.location, &b.rule.code)));
    Ok(findings)
}

/// Mirrors each input under `root`, with fixed files written in place of their originals.
/// Returns each staged input with the input it stands for.
fn stage(
    inputs: &[PathBuf],
    files: &[FixedFile],
    root: &Path,
) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let fixed: BTreeMap<PathBuf, &[u8]> = files
        .iter()
        .map(|file| (canonical(&file.path), file.fixed.as_slice()))
        .collect();
    let mut staged = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        let name = input
            .file_name()
            .map_or_else(|| "input".into(), |n| n.to_owned());
        let target = root.join(index.to_string()).join(name);
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input) {
                let entry = entry.map_err(std::io::Error::other)?;
                let relative = entry
                    .path()
                    .strip_prefix(input)
                    .map_err(std::io::Error::other)?;
                let destination = target.join(relative);
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&destination)?;
                } else if entry.file_type().is_file() {
                    place(entry.path(), &destination, &fixed)?;
                }
            }
        } else if input.is_file() {
            std::fs::create_dir_all(target.parent().unwrap_or(root))?;
            place(input, &target, &fixed)?;
        }
        staged.push((target, input.clone()));
    }
    Ok(staged)
}

fn place(
    source: &Path,
    destination: &Path,
    fixed: &BTreeMap<PathBuf, &[u8]>,
) -> std::io::Result<()> {
    if let Some(bytes) = fixed.get(&canonical(source)) {
        return std::fs::write(destination, bytes);
    }
    if std::fs::hard_link(source, destination).is_err() {
        std::fs::copy(source, destination)?;
    }
    Ok(())
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}
