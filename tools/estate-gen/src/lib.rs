//! Synthetic Qlik estates of any size, built from a corpus of real public Qlik files, so that
//! benchmarks run over real load scripts, connections and QVD headers.
//!
//! [`Corpus::read`] takes the corpus folder (its `MANIFEST.tsv` lists the files) and
//! [`generate`] writes an estate of N apps into a folder:
//!
//! | path | content |
//! |---|---|
//! | `qrs/app.json` | one QRS `App` record per Qlik Sense app |
//! | `qrs/stream.json`, `qrs/reloadtask.json` | streams, and one reload task per Qlik Sense app |
//! | `qrs/dataconnection.json` | corpus connections renamed per copy, plus folder connections for QVDs |
//! | `sense/NAME.qvs` | the script of a Qlik Sense app, joined to its QRS record by name |
//! | `qlikview/NAME-prj/LoadScript.txt` | the script of a QlikView document |
//! | `qvd/NAME.qvd` | the header of the QVD that app NAME stores, taken from a corpus QVD |
//!
//! Each script is a corpus script, sometimes followed by a second one as an extra tab. Its
//! `lib://` connection names are mapped onto the generated connections. A first tab sets a few
//! variables, and a last tab loads the QVDs of up to two earlier apps and stores its own, which
//! gives the estate QVD lineage. The output depends only on the corpus, the number of apps
//! and the seed: the same three give byte-identical files.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// File that marks a folder as written by [`generate`], which may then empty it.
pub const MARKER: &str = ".qready-estate-gen";

/// Errors that stop reading the corpus or writing an estate.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("failed to read '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("failed to write '{path}': {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("'{path}' line {line}: {message}")]
    Manifest {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("the corpus at '{0}' lists no {1}")]
    Empty(PathBuf, &'static str),
    #[error(
        "'{0}' is not empty and was not written by the generator (no {MARKER} file); choose \
         an empty or new folder"
    )]
    ForeignFolder(PathBuf),
}

/// A corpus load script, as bytes: decoding is left to the reader of the estate.
#[derive(Debug, Clone)]
struct CorpusScript {
    /// File stem reduced to ASCII letters, digits and `_`, for app names.
    stem: String,
    bytes: Vec<u8>,
}

/// The corpus files the generator samples from.
#[derive(Debug, Clone)]
pub struct Corpus {
    scripts: Vec<CorpusScript>,
    connections: Vec<Value>,
    qvd_headers: Vec<Vec<u8>>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const QVD_HEADER_END: &[u8] = b"</QvdTableHeader>";

impl Corpus {
    /// Reads the load scripts, QRS data connections and QVD headers that `MANIFEST.tsv` lists.
    pub fn read(dir: &Path) -> Result<Corpus, GenError> {
        let manifest_path = dir.join("MANIFEST.tsv");
        let manifest =
            std::fs::read_to_string(&manifest_path).map_err(|source| GenError::Read {
                path: manifest_path.clone(),
                source,
            })?;
        let mut corpus = Corpus {
            scripts: Vec::new(),
            connections: Vec::new(),
            qvd_headers: Vec::new(),
        };
        for (index, line) in manifest.lines().enumerate().skip(1) {
            let columns: Vec<&str> = line.split('\t').collect();
            let [kind, repo, path, ..] = columns[..] else {
                return Err(GenError::Manifest {
                    path: manifest_path,
                    line: index + 1,
                    message: "expected kind, repository and path columns".to_owned(),
                });
            };
            let file = dir.join(repo.replace('/', "__")).join(path);
            let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
            match kind {
                "script" => corpus.add_script(&file)?,
                "unbuild" | "qv-prj" if name.ends_with(".qvs") || name == "loadscript.txt" => {
                    corpus.add_script(&file)?
                }
                "qrs-json" if name == "dataconnections.json" || name == "dataconnection.json" => {
                    corpus.add_connections(&file)?
                }
                "qvd" => corpus.add_qvd(&file)?,
                _ => {}
            }
        }
        if corpus.scripts.is_empty() {
            return Err(GenError::Empty(dir.to_owned(), "load scripts"));
        }
        if corpus.connections.is_empty() {
            return Err(GenError::Empty(dir.to_owned(), "QRS data connections"));
        }
        if corpus.qvd_headers.is_empty() {
            return Err(GenError::Empty(dir.to_owned(), "QVD files with a header"));
        }
        Ok(corpus)
    }

    fn add_script(&mut self, file: &Path) -> Result<(), GenError> {
        let bytes = read(file)?;
        // UTF-16 scripts would need every added line re-encoded; the generator keeps to scripts
        // whose added ASCII lines read the same as the rest.
        if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            return Ok(());
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let mut clean: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(24)
            .collect();
        if clean.trim_matches('_').is_empty() {
            clean = "Script".to_owned();
        }
        self.scripts.push(CorpusScript { stem: clean, bytes });
        Ok(())
    }

    fn add_connections(&mut self, file: &Path) -> Result<(), GenError> {
        let bytes = read(file)?;
        // A file that is not a JSON list of records adds nothing; the corpus notes describe
        // every connection file as a QRS list.
        if let Ok(Value::Array(records)) = serde_json::from_slice::<Value>(&bytes) {
            self.connections.extend(
                records
                    .into_iter()
                    .filter(|r| r.get("name").is_some_and(Value::is_string)),
            );
        }
        Ok(())
    }

    fn add_qvd(&mut self, file: &Path) -> Result<(), GenError> {
        let bytes = read(file)?;
        let Some(end) = find(&bytes, QVD_HEADER_END) else {
            return Ok(());
        };
        let header = &bytes[..end + QVD_HEADER_END.len()];
        if find(header, b"<CreatorDoc>").is_some() && find(header, b"<TableName>").is_some() {
            self.qvd_headers.push(header.to_vec());
        }
        Ok(())
    }

    /// Number of scripts, connections and QVD headers read.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.scripts.len(),
            self.connections.len(),
            self.qvd_headers.len(),
        )
    }
}

/// Size and seed of an estate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub apps: usize,
    pub seed: u64,
}

/// Counts of what [`generate`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub sense_apps: usize,
    pub qlikview_apps: usize,
    pub connections: usize,
    pub qvds: usize,
    pub files: usize,
    pub bytes: u64,
}

/// SplitMix64: small, fast and the same on every platform, which is all determinism needs.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with a probability of `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A GUID in the shape of a version 4 UUID.
    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// Returns a timestamp in 2025 or 2026, in the format QRS writes.
    fn timestamp(&mut self) -> String {
        let day = self.below(700);
        let (year, day) = if day < 365 {
            (2025, day)
        } else {
            (2026, day - 365)
        };
        let month = day / 31 + 1;
        let day = day % 28 + 1;
        format!(
            "{year}-{month:02}-{day:02}T{:02}:{:02}:00.000Z",
            self.below(24),
            self.below(60)
        )
    }
}

/// One generated app, as later apps and the QRS files need it.
struct GeneratedApp {
    name: String,
    guid: Option<String>,
    stream: Option<usize>,
}

/// Writes an estate of `options.apps` apps into `out`, which must be new, empty or an estate
/// written before.
pub fn generate(corpus: &Corpus, options: &Options, out: &Path) -> Result<Summary, GenError> {
    prepare(out)?;
    let mut writer = Writer {
        root: out.to_owned(),
        summary: Summary::default(),
    };
    let mut rng = Rng::new(options.seed, u64::MAX);
    let streams = options.apps / 100 + 1;
    let folder_connections = options.apps / 200 + 2;
    let copied_connections = (options.apps / 10).clamp(10, corpus.connections.len() * 4);

    let mut connections = Vec::new();
    for index in 0..folder_connections {
        connections.push(json!({
            "id": rng.guid(),
            "name": format!("QVD Store {index:03}"),
            "connectionstring": format!("\\\\fileserver{:02}\\qvd\\store{index:03}\\", index % 7),
            "type": "folder",
            "schemaPath": "DataConnection",
        }));
    }
    let mut connection_names: Vec<String> = Vec::new();
    for index in 0..copied_connections {
        let mut record = corpus.connections[rng.below(corpus.connections.len())].clone();
        let name = format!(
            "{} {index:03}",
            record["name"].as_str().unwrap_or("Connection")
        );
        record["id"] = Value::String(rng.guid());
        record["name"] = Value::String(name.clone());
        record["schemaPath"] = Value::String("DataConnection".to_owned());
        connection_names.push(name);
        connections.push(record);
    }
    writer.summary.connections = connections.len();

    let mut apps: Vec<GeneratedApp> = Vec::with_capacity(options.apps);
    for index in 0..options.apps {
        let mut rng = Rng::new(options.seed, index as u64);
        let base = &corpus.scripts[rng.below(corpus.scripts.len())];
        let name = format!("{}_{index:05}", base.stem);
        let sense = rng.chance(60);
        let guid = sense.then(|| rng.guid());
        let stream = (sense && rng.chance(70)).then(|| rng.below(streams));
        let store = rng.below(folder_connections);

        let mut script = Vec::with_capacity(base.bytes.len() * 2);
        let body = base.bytes.strip_prefix(UTF8_BOM);
        if body.is_some() {
            script.extend_from_slice(UTF8_BOM);
        }
        write!(
            script,
            "///$tab Settings\r\nSET vAppName = '{name}';\r\nSET vStore = 'lib://QVD Store \
             {store:03}/';\r\nLET vReloadStart = Now();\r\n\r\n"
        )
        .expect("writing to a Vec cannot fail");
        let body = body.unwrap_or(&base.bytes);
        script.extend(map_connections(body, &connection_names, &mut rng));
        if rng.chance(30) {
            let extra = &corpus.scripts[rng.below(corpus.scripts.len())];
            let extra_body = extra.bytes.strip_prefix(UTF8_BOM).unwrap_or(&extra.bytes);
            // Joining a UTF-8 script to a Windows-1252 one would make the whole file undecodable
            // as either; only scripts of the same kind are joined.
            if std::str::from_utf8(body).is_ok() == std::str::from_utf8(extra_body).is_ok() {
                script.extend_from_slice(format!("\r\n///$tab {}\r\n", extra.stem).as_bytes());
                script.extend(map_connections(extra_body, &connection_names, &mut rng));
            }
        }
        script.extend_from_slice(lineage_tab(&name, store, &apps, &mut rng).as_bytes());

        if sense {
            writer.file(&format!("sense/{name}.qvs"), &script)?;
            writer.summary.sense_apps += 1;
        } else {
            writer.file(&format!("qlikview/{name}-prj/LoadScript.txt"), &script)?;
            writer.summary.qlikview_apps += 1;
        }
        let creator = match &guid {
            Some(guid) => guid.clone(),
            None => format!("C:\\QlikView\\Documents\\{name}.qvw"),
        };
        let header = qvd_header(
            &corpus.qvd_headers[rng.below(corpus.qvd_headers.len())],
            &name,
            &creator,
        );
        writer.file(&format!("qvd/{name}.qvd"), &header)?;
        writer.summary.qvds += 1;
        apps.push(GeneratedApp { name, guid, stream });
    }

    writer.json("qrs/dataconnection.json", &Value::Array(connections))?;
    write_sense_records(&mut writer, &apps, streams, options.seed)?;
    Ok(writer.summary)
}

/// Replaces the connection name of every `lib://NAME/` in a script with a generated connection,
/// the same one for the same name within one app.
fn map_connections(script: &[u8], names: &[String], rng: &mut Rng) -> Vec<u8> {
    let offset = rng.next();
    let mut out = Vec::with_capacity(script.len() + 64);
    let mut rest = script;
    while let Some(at) = find_ignore_case(rest, b"lib://") {
        let (before, after) = rest.split_at(at + b"lib://".len());
        out.extend_from_slice(before);
        let end = after
            .iter()
            .position(|b| matches!(b, b'/' | b'\\' | b']' | b'\'' | b'"' | b'\r' | b'\n' | b';'))
            .unwrap_or(after.len());
        let original = &after[..end];
        // `$(...)` names and names over 100 bytes are left alone: they are variables or noise.
        if original.is_empty() || original.contains(&b'$') || original.len() > 100 {
            rest = after;
            continue;
        }
        let hash = original.iter().fold(offset, |h, b| {
            (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x100_0000_01B3)
        });
        out.extend_from_slice(names[(hash % names.len() as u64) as usize].as_bytes());
        rest = &after[end..];
    }
    out.extend_from_slice(rest);
    out
}

/// Writes the last tab of an app's script, which loads the QVDs of up to two earlier apps and
/// stores its own.
fn lineage_tab(name: &str, store: usize, earlier: &[GeneratedApp], rng: &mut Rng) -> String {
    let mut tab = String::from("\r\n///$tab Lineage\r\n");
    let upstream = if earlier.is_empty() { 0 } else { rng.below(3) };
    for step in 0..upstream {
        // Apps read from recent producers, which gives chains rather than one hub.
        let back = 1 + rng.below(earlier.len().min(50));
        let producer = &earlier[earlier.len() - back].name;
        let _ = write!(
            tab,
            "[Upstream{step}]:\r\nLOAD * FROM [lib://QVD Store {store:03}/{producer}.qvd] \
             (qvd);\r\n\r\n"
        );
    }
    let _ = write!(
        tab,
        "[Export]:\r\nLOAD '{name}' AS AppName, Now() AS ExportedAt AUTOGENERATE 1;\r\nSTORE \
         [Export] INTO [lib://QVD Store {store:03}/{name}.qvd] (qvd);\r\nDROP TABLE [Export];\r\n"
    );
    tab
}

/// Returns a corpus QVD header with its table name and creator document replaced.
fn qvd_header(header: &[u8], table: &str, creator: &str) -> Vec<u8> {
    let header = replace_element(header, b"TableName", table.as_bytes());
    replace_element(&header, b"CreatorDoc", creator.as_bytes())
}

/// Replaces the text of the first `<NAME>...</NAME>` element.
fn replace_element(xml: &[u8], name: &[u8], value: &[u8]) -> Vec<u8> {
    let open = [b"<", name, b">"].concat();
    let close = [b"</", name, b">"].concat();
    let Some(start) = find(xml, &open).map(|at| at + open.len()) else {
        return xml.to_vec();
    };
    let Some(end) = find(&xml[start..], &close).map(|at| start + at) else {
        return xml.to_vec();
    };
    let mut out = Vec::with_capacity(xml.len() + value.len());
    out.extend_from_slice(&xml[..start]);
    for &byte in value {
        match byte {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            _ => out.push(byte),
        }
    }
    out.extend_from_slice(&xml[end..]);
    out
}

/// Writes the QRS apps, streams and reload tasks of the Qlik Sense apps.
fn write_sense_records(
    writer: &mut Writer,
    apps: &[GeneratedApp],
    streams: usize,
    seed: u64,
) -> Result<(), GenError> {
    let mut rng = Rng::new(seed, u64::MAX - 1);
    let stream_ids: Vec<String> = (0..streams).map(|_| rng.guid()).collect();
    let stream_records: Vec<Value> = stream_ids
        .iter()
        .enumerate()
        .map(|(index, id)| {
            json!({"id": id, "name": format!("Stream {index:03}"), "customProperties": [],
                   "schemaPath": "Stream"})
        })
        .collect();
    writer.json("qrs/stream.json", &Value::Array(stream_records))?;

    let mut app_records = Vec::new();
    let mut task_records = Vec::new();
    for app in apps {
        let Some(guid) = &app.guid else { continue };
        let stream = app
            .stream
            .map(|s| json!({"id": stream_ids[s], "name": format!("Stream {s:03}")}));
        let owner = rng.below(40);
        let mut custom = Vec::new();
        if rng.chance(20) {
            let unit = ["Finance", "Sales", "HR"][rng.below(3)];
            custom.push(json!({"id": rng.guid(), "value": unit,
                "definition": {"id": "7a000000-0000-4000-8000-000000000010",
                               "name": "BusinessUnit", "valueType": "Text"}}));
        }
        let file_size = (1u64 << 20) + rng.next() % (4u64 << 30);
        app_records.push(json!({
            "id": guid,
            "name": app.name,
            "createdDate": rng.timestamp(),
            "modifiedDate": rng.timestamp(),
            "owner": {"id": format!("8b000000-0000-4000-8000-{owner:012}"),
                      "userId": format!("user{owner:02}"), "userDirectory": "CORP"},
            "customProperties": custom,
            "published": stream.is_some(),
            "stream": stream,
            "fileSize": file_size,
            "staticByteSize": file_size / 2,
            "lastReloadTime": rng.timestamp(),
            "savedInProductVersion": "14.187.3",
            "tags": [],
            "schemaPath": "App",
        }));
        task_records.push(json!({
            "id": rng.guid(),
            "app": {"id": guid, "name": app.name},
            "name": format!("Reload {}", app.name),
            "taskType": 0,
            "enabled": rng.chance(90),
            "isPartialReload": false,
            "customProperties": [],
            "tags": [],
            "schemaPath": "ReloadTask",
        }));
    }
    writer.json("qrs/app.json", &Value::Array(app_records))?;
    writer.json("qrs/reloadtask.json", &Value::Array(task_records))
}

/// Empties `out` when a previous run wrote it, and refuses any other non-empty folder.
fn prepare(out: &Path) -> Result<(), GenError> {
    let write_error = |source| GenError::Write {
        path: out.to_owned(),
        source,
    };
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                if !out.join(MARKER).is_file() {
                    return Err(GenError::ForeignFolder(out.to_owned()));
                }
                std::fs::remove_dir_all(out).map_err(write_error)?;
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(GenError::Read {
                path: out.to_owned(),
                source,
            });
        }
    }
    std::fs::create_dir_all(out).map_err(write_error)?;
    std::fs::write(out.join(MARKER), b"").map_err(write_error)
}

struct Writer {
    root: PathBuf,
    summary: Summary,
}

impl Writer {
    fn file(&mut self, relative: &str, bytes: &[u8]) -> Result<(), GenError> {
        let path = self.root.join(relative);
        let error = |source| GenError::Write {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(error)?;
        }
        std::fs::write(&path, bytes).map_err(error)?;
        self.summary.files += 1;
        self.summary.bytes += bytes.len() as u64;
        Ok(())
    }

    fn json(&mut self, relative: &str, value: &Value) -> Result<(), GenError> {
        let mut bytes = Vec::new();
        let mut out = std::io::BufWriter::new(&mut bytes);
        serde_json::to_writer_pretty(&mut out, value).expect("JSON values always serialize");
        out.flush().expect("writing to a Vec cannot fail");
        drop(out);
        self.file(relative, &bytes)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, GenError> {
    std::fs::read(path).map_err(|source| GenError::Read {
        path: path.to_owned(),
        source,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}
