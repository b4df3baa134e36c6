//! The cost of the WebAssembly sandbox: one first-party pack built as a component and as a
//! native library, checking the same apps through the same host pipeline in one process.
//!
//! Usage: `pack-overhead ESTATE NATIVE_LIBRARY [ROUNDS]`, where NATIVE_LIBRARY is the core pack
//! built with `cargo build --release -p qready-pack-core --features qready-plugin-sdk/native`.
//! `scripts/bench-estate.sh` builds both and runs it. Rounds alternate between the two builds, so
//! a change in the machine's load affects both alike. It reports the ratio of the fastest rounds
//! and the ratio of the medians.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use qready::config::RulesConfig;
use qready::ingest::{IngestOptions, read_estate};
use qready::runtime::{
    EstateView, Limits, LoadedPack, PackRequest, PackSource, Runtime, builtin_packs,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: pack-overhead ESTATE NATIVE_LIBRARY [ROUNDS]";
    let estate_dir = PathBuf::from(args.next().expect(usage));
    let library = PathBuf::from(args.next().expect(usage));
    let rounds: usize = args.next().map_or(5, |r| r.parse().expect(usage));

    let options = IngestOptions {
        syntax_trees: false,
        ..IngestOptions::default()
    };
    let estate = read_estate(std::slice::from_ref(&estate_dir), &options);
    let cache = std::env::temp_dir().join("qready-pack-overhead-cache");
    let runtime = Runtime::new(Limits::default(), Some(&cache)).expect("runtime starts");
    let rules = RulesConfig::default();
    let wasm_source = builtin_packs()
        .into_iter()
        .find(|source| source.display_name() == "builtin:core")
        .expect("the core pack is built in");
    let load = |source: PackSource| {
        runtime
            .load_pack(&PackRequest::plain(source), &rules)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let wasm = load(wasm_source);
    let native = load(PackSource::Native(library));
    let view = EstateView::new(&estate);
    let apps = &estate.apps;

    let run = |pack: &LoadedPack| -> (Duration, usize) {
        let start = Instant::now();
        let (findings, diagnostics) =
            runtime.check_apps_in(std::slice::from_ref(pack), &view, apps);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        (start.elapsed(), findings.len())
    };
    // One untimed round each fills caches and page tables.
    let (_, wasm_findings) = run(&wasm);
    let (_, native_findings) = run(&native);
    assert_eq!(
        wasm_findings, native_findings,
        "both builds of the pack must find the same"
    );

    let mut wasm_times = Vec::new();
    let mut native_times = Vec::new();
    for _ in 0..rounds {
        wasm_times.push(run(&wasm).0);
        native_times.push(run(&native).0);
    }
    wasm_times.sort();
    native_times.sort();
    let seconds = |d: Duration| d.as_secs_f64();
    let median = |times: &[Duration]| times[times.len() / 2];
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Pack `{}` on {} apps ({} findings), {rounds} alternating rounds of `check` over every \
         app, load average {}:",
        wasm.id(),
        apps.len(),
        wasm_findings,
        load.split_whitespace().next().unwrap_or("unknown")
    );
    println!();
    println!("| build | fastest round (s) | median round (s) | apps/s (fastest) |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, times) in [("WebAssembly", &wasm_times), ("native", &native_times)] {
        println!(
            "| {name} | {:.3} | {:.3} | {:.0} |",
            seconds(times[0]),
            seconds(median(times)),
            apps.len() as f64 / seconds(times[0])
        );
    }
    println!();
    println!(
        "wasm/native: {:.2} (fastest rounds), {:.2} (medians)",
        seconds(wasm_times[0]) / seconds(native_times[0]),
        seconds(median(&wasm_times)) / seconds(median(&native_times))
    );
}
