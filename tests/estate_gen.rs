//! The synthetic estate generator: the same corpus, size and seed give the same bytes, and the
//! estate reads back as the apps it was generated with.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use qready::ingest::{IngestOptions, read_estate};
use qready::model::Product;
use qready_estate_gen::{Corpus, Options, generate};

/// Reads every file under `dir`, keyed by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_seed_gives_same_bytes() {
    let corpus = Corpus::read(&common::corpus()).unwrap();
    let (first, second, other) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let options = Options { apps: 40, seed: 7 };
    let summary = generate(&corpus, &options, first.path()).unwrap();
    assert_eq!(generate(&corpus, &options, second.path()).unwrap(), summary);
    generate(&corpus, &Options { seed: 8, ..options }, other.path()).unwrap();

    let first = files(first.path());
    assert_eq!(first.len(), summary.files + 1, "the files and the marker");
    assert!(first == files(second.path()), "same seed, different bytes");
    assert!(
        first != files(other.path()),
        "another seed gave the same bytes"
    );
}

#[test]
fn regenerating_replaces_previous_estate() {
    let corpus = Corpus::read(&common::corpus()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("estate");
    generate(&corpus, &Options { apps: 30, seed: 1 }, &out).unwrap();
    let small = generate(&corpus, &Options { apps: 10, seed: 1 }, &out).unwrap();
    assert_eq!(files(&out).len(), small.files + 1);
}

#[test]
fn foreign_folder_is_not_emptied() {
    let corpus = Corpus::read(&common::corpus()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "keep me").unwrap();
    let error = generate(&corpus, &Options { apps: 5, seed: 1 }, dir.path()).unwrap_err();
    assert!(error.to_string().contains("not empty"), "{error}");
    assert!(dir.path().join("notes.txt").is_file());
}

#[test]
fn estate_reads_back_as_generated() {
    let corpus = Corpus::read(&common::corpus()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&corpus, &Options { apps: 60, seed: 3 }, dir.path()).unwrap();
    let estate = read_estate(&[dir.path().to_owned()], &IngestOptions::default());
    let sense = estate
        .apps
        .iter()
        .filter(|app| app.product == Product::QlikSense)
        .count();
    assert_eq!(estate.apps.len(), 60);
    assert_eq!(sense, summary.sense_apps);
    assert_eq!(
        estate.apps.iter().filter(|app| app.guid.is_some()).count(),
        summary.sense_apps,
        "every Qlik Sense script joined its QRS record"
    );
    assert!(estate.apps.iter().all(|app| app.script.is_some()));
    assert!(!estate.lineage.is_empty(), "QVD lineage between apps");
    assert_eq!(estate.reload_tasks.len(), summary.sense_apps);
}
