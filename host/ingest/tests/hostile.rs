//! Malformed, truncated, oversized and mis-encoded inputs. Each becomes an input problem with
//! its path and, where there is one, its position, and the rest of the estate is still read.

use std::path::Path;

use qready_ingest::{IngestOptions, read_estate};
use qready_model::Estate;

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

fn read(root: &Path) -> Estate {
    read_estate(&[root.to_path_buf()], &IngestOptions::default())
}

const VALID_SCRIPT: &str = "Orders:\nLOAD * FROM [lib://Data/orders.qvd] (qvd);\n";

#[test]
fn truncated_json_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("dataconnection.json"),
        "[\n  {\"id\": \"a\",\n   \"name\": \"x\",\n   \"connectionstring\": \"C:\\\\da",
    );
    write(&dir.path().join("ok.qvs"), VALID_SCRIPT);
    let estate = read(dir.path());
    assert_eq!(estate.problems.len(), 1, "{:?}", estate.problems);
    let problem = &estate.problems[0];
    assert!(problem.path.ends_with("dataconnection.json"));
    assert_eq!(problem.line, Some(4));
    assert!(problem.column.is_some());
    assert_eq!(estate.apps.len(), 1, "the valid script was not read");
}

#[test]
fn wrong_types_read_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("qrs.json"),
        r#"[
          {"id": "a1000000-0000-4000-8000-000000000001", "name": ["not", "a", "string"],
           "connectionstring": 42, "type": {"x": 1}, "schemaPath": "DataConnection"},
          {"name": "no id", "connectionstring": "x", "type": "folder", "schemaPath": "DataConnection"},
          "not an object",
          {"id": 7, "connectionstring": "x", "type": "folder", "schemaPath": "DataConnection"}
        ]"#,
    );
    let estate = read(dir.path());
    assert_eq!(estate.connections.len(), 1);
    assert_eq!(estate.connections[0].name, "");
    assert_eq!(estate.connections[0].connection_string, "");
    assert_eq!(estate.problems.len(), 3, "{:?}", estate.problems);
}

#[test]
fn wrong_types_in_task_and_app_records() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("tasks.json"),
        r#"[{"id": "t1", "name": 5, "taskType": "zero", "app": "not an object",
             "operational": {"lastExecutionResult": []}, "tags": {"a": 1},
             "customProperties": [{"value": 1}], "schemaPath": "ReloadTask"}]"#,
    );
    write(
        &dir.path().join("apps.json"),
        r#"[{"id": "a1", "name": null, "stream": 3, "owner": "x", "fileSize": "12",
             "staticByteSize": -4, "publishTime": 1, "schemaPath": "App"}]"#,
    );
    let estate = read(dir.path());
    assert_eq!(estate.reload_tasks.len(), 1);
    assert_eq!(estate.reload_tasks[0].app_id, None);
    assert!(estate.reload_tasks[0].last_execution.is_none());
    assert_eq!(estate.apps.len(), 1);
    assert_eq!(estate.apps[0].file_size, Some(12));
    assert_eq!(estate.apps[0].static_byte_size, None);
}

#[test]
fn huge_string_is_read_and_masked() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "S".repeat(8 * 1024 * 1024);
    let long_path = "d".repeat(8 * 1024 * 1024);
    write(
        &dir.path().join("dataconnection.json"),
        format!(
            r#"[{{"id": "a1000000-0000-4000-8000-000000000001", "name": "big", "type": "ODBC",
                  "connectionstring": "DSN={long_path};PWD={secret}", "schemaPath": "DataConnection"}}]"#
        ),
    );
    let started = std::time::Instant::now();
    let estate = read(dir.path());
    assert!(started.elapsed().as_secs() < 20);
    let connection = &estate.connections[0];
    assert!(connection.had_credentials);
    assert!(!connection.connection_string.contains("SSSS"));
}

#[test]
fn deeply_nested_json_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("deep.json"), "[".repeat(100_000));
    let estate = read(dir.path());
    assert_eq!(estate.problems.len(), 1);
    assert!(estate.problems[0].message.contains("invalid JSON"));
}

#[test]
fn entity_bomb_in_project_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("Bomb-prj");
    write(&project.join("LoadScript.txt"), VALID_SCRIPT);
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        bomb.push_str(&format!(
            " <!ENTITY lol{level} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    bomb.push_str(
        "]>\n<DocProperties><OnOpenActionItems>&lol9;</OnOpenActionItems></DocProperties>\n",
    );
    write(&project.join("DocProperties.xml"), bomb);
    write(
        &project.join("CH01.xml"),
        "<GraphProperties><Title>&undefined;</Title></GraphProperties>",
    );
    let estate = read(dir.path());
    assert_eq!(estate.apps.len(), 1);
    assert!(estate.apps[0].script.is_some());
    let doctype = estate
        .problems
        .iter()
        .find(|p| p.path.ends_with("DocProperties.xml"))
        .unwrap();
    assert!(doctype.message.contains("DOCTYPE"), "{}", doctype.message);
    assert_eq!(doctype.line, Some(2));
    let entity = estate
        .problems
        .iter()
        .find(|p| p.path.ends_with("CH01.xml"))
        .unwrap();
    assert!(
        entity.message.contains("undefined entity"),
        "{}",
        entity.message
    );
}

#[test]
fn binary_garbage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed pseudo-random byte pattern, with NULs and invalid UTF-8.
    let garbage: Vec<u8> = (0u32..65_536)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for name in [
        "x.json",
        "x.qvd",
        "x.qvs",
        "x.txt",
        "x.log",
        "Doc-prj/DocProperties.xml",
        "Doc-prj/LoadScript.txt",
        "u/connections.yml",
        "u/script.qvs",
    ] {
        write(&dir.path().join(name), &garbage);
    }
    write(&dir.path().join("ok.qvs"), VALID_SCRIPT);
    let estate = read(dir.path());
    assert!(estate.apps.iter().any(|a| a.name == "ok"));
    let json_problem = estate
        .problems
        .iter()
        .find(|p| p.path.ends_with("x.json"))
        .unwrap();
    assert_eq!(json_problem.line, Some(1));
    assert!(estate.problems.iter().any(|p| p.path.ends_with("x.qvd")));
    assert!(
        estate
            .problems
            .iter()
            .any(|p| p.path.ends_with("DocProperties.xml"))
    );
}

#[test]
fn utf16_project_files_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("Wide-prj");
    write(
        &project.join("LoadScript.txt"),
        utf16le("///$tab Main\r\nSET a='ü';\r\nLOAD * FROM data\\x.qvd (qvd);\r\n"),
    );
    write(
        &project.join("DocProperties.xml"),
        utf16le(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<DocProperties><Alerts><Alert><Action><Id>AL07</Id></Action></Alert></Alerts></DocProperties>",
        ),
    );
    write(
        &dir.path().join("conn.json"),
        utf16be(
            r#"[{"id": "a1000000-0000-4000-8000-000000000001", "name": "Ümlaut", "type": "folder", "connectionstring": "C:\\data", "schemaPath": "DataConnection"}]"#,
        ),
    );
    let estate = read(dir.path());
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
    let app = &estate.apps[0];
    let info = app.script_info.as_ref().unwrap();
    assert_eq!(info.files[0].encoding, "UTF-16LE");
    assert_eq!(info.statement_count, 2);
    assert_eq!(app.qlikview.as_ref().unwrap().alerts[0].id, "AL07");
    assert_eq!(estate.connections[0].name, "Ümlaut");
}

#[test]
fn qvd_without_header_end_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut unterminated =
        b"<?xml version=\"1.0\"?>\n<QvdTableHeader>\n<TableName>t</TableName>\n".to_vec();
    unterminated.extend(std::iter::repeat_n(b'x', 17 * 1024 * 1024));
    write(&dir.path().join("endless.qvd"), unterminated);
    write(
        &dir.path().join("truncated.qvd"),
        "<?xml version=\"1.0\"?>\n<QvdTableHeader>\n<TableName>t</TableName>\n<Fields>",
    );
    let estate = read(dir.path());
    assert!(estate.qvds.is_empty());
    assert_eq!(estate.problems.len(), 2, "{:?}", estate.problems);
    assert!(
        estate
            .problems
            .iter()
            .all(|p| p.message.contains("QvdTableHeader"))
    );
}

#[test]
fn yaml_alias_bomb_is_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let unbuild = dir.path().join("App-unbuild");
    let mut yaml =
        String::from("a: &a [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]\n");
    for level in 1..12 {
        let previous = if level == 1 {
            "a".to_owned()
        } else {
            format!("a{}", level - 1)
        };
        yaml.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![format!("*{previous}"); 9].join(", ")
        ));
    }
    yaml.push_str("connections:\n  Files:\n    type: folder\n    connectionstring: C:\\data\n");
    write(&unbuild.join("connections.yml"), yaml);
    write(&unbuild.join("script.qvs"), VALID_SCRIPT);
    let estate = read(dir.path());
    assert_eq!(estate.apps.len(), 1);
    assert_eq!(estate.apps[0].connections.len(), 1);
}

#[test]
fn missing_input_is_a_problem() {
    let estate = read(Path::new("/nonexistent/qready/input"));
    assert_eq!(estate.problems.len(), 1);
    assert!(estate.problems[0].message.contains("no such file"));
}

#[test]
fn binary_file_named_qvs_is_not_an_app() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes of no text encoding: zero bytes on both sides of 16-bit units, and high bytes.
    let bytes: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(bytes.contains(&0));
    std::fs::write(dir.path().join("garbage.qvs"), &bytes).unwrap();
    std::fs::write(dir.path().join("real.qvs"), "LOAD 1 AS x AUTOGENERATE 1;\n").unwrap();
    let estate = qready_ingest::read_estate(
        &[dir.path().to_path_buf()],
        &qready_ingest::IngestOptions::default(),
    );
    assert_eq!(estate.apps.len(), 1, "{:#?}", estate.apps);
    assert_eq!(estate.problems.len(), 1, "{:#?}", estate.problems);
    assert!(estate.problems[0].message.contains("not a text file"));
}

/// A script may include files of any input folder, but not a file above them. That file is not
/// read into the estate, and a problem says why.
#[test]
fn include_outside_inputs_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("private.txt"), "SET vToken = 'private';\n");
    write(&root.join("shared/common.qvs"), "SET vCommon = 1;\n");
    write(
        &root.join("apps/sales.qvs"),
        "$(Include=..\\shared\\common.qvs);\n$(Include=..\\private.txt);\nLOAD 1 AS x AUTOGENERATE 1;\n",
    );

    let estate = read_estate(
        &[root.join("apps"), root.join("shared")],
        &IngestOptions::default(),
    );
    let sales = estate.apps.iter().find(|a| a.name == "sales").unwrap();
    let files: Vec<String> = sales
        .script
        .as_ref()
        .unwrap()
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["sales.qvs", "common.qvs"]);

    let rejected: Vec<_> = estate
        .problems
        .iter()
        .filter(|p| p.message.contains("outside the estate's folders"))
        .collect();
    assert_eq!(rejected.len(), 1, "{:?}", estate.problems);
    assert!(
        rejected[0].path.ends_with("apps/sales.qvs"),
        "{:?}",
        rejected[0]
    );
}
