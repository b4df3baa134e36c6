//! Parses every file named in a list file a number of times; a target for profilers.

// The same allocator as the `qready` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let list = std::env::args()
        .nth(1)
        .expect("usage: parse_all LIST_FILE [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let texts: Vec<String> = std::fs::read_to_string(list)
        .expect("list file is readable")
        .lines()
        .map(|path| {
            let bytes = std::fs::read(path).expect("script file is readable");
            qready_script::decode::decode(&bytes, encoding_rs::WINDOWS_1252).text
        })
        .collect();
    let start = std::time::Instant::now();
    let mut statements = 0;
    for _ in 0..rounds {
        for text in &texts {
            statements += qready_script::parse(text).statements.len();
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum::<usize>() * rounds;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{statements} statements, {:.1} MB/s",
        bytes as f64 / seconds / 1e6
    );
}
