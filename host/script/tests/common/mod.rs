//! Access to the shared corpus of real scripts, which lives beside the workspace.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

use std::path::{Path, PathBuf};

/// Returns the corpus folder: `$QREADY_CORPUS`, else `<workspace root>/../shared/corpus`.
pub fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("QREADY_CORPUS") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../../../shared/corpus")
}

/// A corpus file from the manifest.
pub struct CorpusFile {
    pub kind: String,
    pub repo: String,
    pub path: String,
    pub notes: String,
}

impl CorpusFile {
    /// Returns the file's location on disk: `<owner>__<repo>/<path>`.
    pub fn disk_path(&self) -> PathBuf {
        corpus_dir()
            .join(self.repo.replace('/', "__"))
            .join(&self.path)
    }

    /// Returns the path used in test output: `<owner>__<repo>/<path>`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.repo.replace('/', "__"), self.path)
    }
}

/// Returns the manifest rows that are load scripts: kind `script`, and `.qvs` or
/// `LoadScript.txt` files of app exports (`unbuild`) and QlikView project folders (`qv-prj`).
pub fn script_files() -> Vec<CorpusFile> {
    let manifest = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv"))
        .expect("corpus manifest MANIFEST.tsv should be readable");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let file = CorpusFile {
                kind: columns.first()?.to_string(),
                repo: columns.get(1)?.to_string(),
                path: columns.get(2)?.to_string(),
                notes: columns.get(6).unwrap_or(&"").to_string(),
            };
            is_script(&file).then_some(file)
        })
        .collect()
}

fn is_script(file: &CorpusFile) -> bool {
    let name = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match file.kind.as_str() {
        "script" => true,
        "unbuild" | "qv-prj" => name.ends_with(".qvs") || name == "loadscript.txt",
        _ => false,
    }
}
