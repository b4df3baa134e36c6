//! Parse throughput over every load script of the corpus, next to the cost of only reading and
//! decoding the same files. Run with `cargo bench -p qready-script --bench parse`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

// The `qready` binary allocates with mimalloc, so the parser is measured with it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns the corpus script files listed in the manifest (kind `script`, and `.qvs` /
/// `LoadScript.txt` files of app exports and QlikView projects).
fn corpus_files() -> Vec<PathBuf> {
    // The corpus is not part of the repository: `$QREADY_CORPUS`, else `shared/corpus` beside
    // the checkout, as the tests look for it.
    let corpus = std::env::var_os("QREADY_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv"))
        .expect("corpus manifest MANIFEST.tsv should be readable");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let (kind, repo, path) = (*columns.first()?, *columns.get(1)?, *columns.get(2)?);
            let name = path.rsplit('/').next()?.to_ascii_lowercase();
            let is_script = kind == "script"
                || (matches!(kind, "unbuild" | "qv-prj")
                    && (name.ends_with(".qvs") || name == "loadscript.txt"));
            is_script.then(|| corpus.join(repo.replace('/', "__")).join(path))
        })
        .collect()
}

fn benchmarks(c: &mut Criterion) {
    let files = corpus_files();
    let bytes: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("corpus file is readable"))
        .collect();
    let total: u64 = bytes.iter().map(|b| b.len() as u64).sum();
    let texts: Vec<String> = bytes
        .iter()
        .map(|b| qready_script::decode::decode(b, encoding_rs::WINDOWS_1252).text)
        .collect();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("read_decode", |b| {
        b.iter(|| {
            for file in &files {
                let data = std::fs::read(file).expect("corpus file is readable");
                black_box(qready_script::decode::decode(
                    &data,
                    encoding_rs::WINDOWS_1252,
                ));
            }
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(qready_script::parse(text));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
