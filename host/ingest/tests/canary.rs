//! Plants a unique secret in every place a credential can appear in the inputs, reads the
//! estate, and checks that no secret reaches the model: not its JSON, not the parsed scripts.

use std::path::Path;

use qready_ingest::{IngestOptions, read_estate};

/// Returns `count` secrets that appear nowhere else: a per-run prefix and a number.
fn canaries(count: usize) -> Vec<String> {
    let run = std::process::id();
    (0..count).map(|n| format!("Cnry{run}z{n:02}q")).collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn write_utf16(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn no_canary_reaches_the_model() {
    let c = canaries(27);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    write(
        &root.join("qrs/dataconnection.json"),
        &format!(
            r#"[{{"id": "a1000000-0000-4000-8000-0000000000c1", "name": "DW", "type": "ODBC",
                 "connectionstring": "DSN=DW;UID={};PWD={};", "username": "{}",
                 "schemaPath": "DataConnection"}}]"#,
            c[0], c[1], c[2]
        ),
    );
    write(
        &root.join("cloud/connections.json"),
        &format!(
            r#"[{{"id": "a1000000-0000-4000-8000-0000000000c2", "qName": "Api",
                 "qConnectStatement": "CUSTOM CONNECT TO \"provider=QvRestConnector.exe;token={};\""}}]"#,
            c[3]
        ),
    );
    write(
        &root.join("Sales-unbuild/connections.yml"),
        &format!(
            "connections:\n  Warehouse:\n    type: OLEDB\n    connectionstring: Provider=SQLOLEDB;Password={};User ID={};\n    username: {}\n    password: \n",
            c[4], c[5], c[6]
        ),
    );
    write(
        &root.join("Sales-unbuild/app-properties.json"),
        r#"{"qTitle": "Sales"}"#,
    );
    write(
        &root.join("Sales-unbuild/script.qvs"),
        &format!(
            "ODBC CONNECT TO [DSN;UID={};PWD={}];\n\
             OLEDB CONNECT32 TO [Provider=SQLOLEDB;Password={};User ID=x] (XPassword is {});\n\
             CUSTOM CONNECT TO \"provider=QvRestConnector.exe;url=https://{}:{}@api.example.invalid/;queryHeaders=Authorization%2Bearer {}%1Accept%2json;\";\n\
             $(Must_Include=inc.qvs);\n\
             LOAD * FROM [lib://DataFiles/a.qvd] (qvd);\n",
            c[7], c[8], c[9], c[10], c[11], c[12], c[13]
        ),
    );
    write(
        &root.join("Sales-unbuild/inc.qvs"),
        &format!("ODBC CONNECT TO [X;PWD={}];\n", c[14]),
    );
    write_utf16(
        &root.join("Doc-prj/LoadScript.txt"),
        &format!(
            "ODBC CONNECT TO [DW] (XUserId is {}, XPassword is {});\r\nLOAD * FROM a.qvd (qvd);\r\n",
            c[15], c[16]
        ),
    );
    write(
        &root.join("qvd/a.qvd"),
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<QvdTableHeader><TableName>a</TableName>\
             <Fields><QvdFieldHeader><FieldName>f</FieldName></QvdFieldHeader></Fields>\
             <NoOfRecords>1</NoOfRecords><Lineage><LineageInfo>\
             <Discriminator>ODBC CONNECT TO [DW;PWD={}]</Discriminator>\
             <Statement>SQL SELECT * FROM t WHERE key='x' /* Password={} */</Statement>\
             </LineageInfo></Lineage></QvdTableHeader>\n",
            c[17], c[18]
        ),
    );
    write(
        &root.join("lineage/b1000000-0000-4000-8000-0000000000c3.json"),
        &format!(
            r#"[{{"discriminator": "Provider=SQLOLEDB;Password={};", "statement": "x"}}]"#,
            c[19]
        ),
    );
    write(
        &root.join("export/b78efad3-e5d1-4b57-9b46-9f07916365f7.json"),
        &format!(
            r#"{{"properties": {{"qTitle": "Ops"}},
                "loadScript": "CUSTOM CONNECT TO \"provider=x.exe;ApiKey={};\";\nLOAD 1 AS a AUTOGENERATE 1;",
                "dataconnections": [{{"qConnection": {{"qId": "c1", "qName": "S3",
                   "qConnectionString": "CUSTOM CONNECT TO \"provider=y.exe;client_secret={};AccountKey={};\"",
                   "qType": "y.exe"}}}}]}}"#,
            c[20], c[21], c[22]
        ),
    );
    write(
        &root.join("loose.qvs"),
        &format!(
            "LET vConn = 'x';\nODBC CONNECT TO [DSN=Sales;Pwd=\"{}\"];\nSQL SELECT * FROM t;\n\
             LET vDbPassword = '{}';\nSET vApiToken={};\nLET vPwd = Chr(65) & '{}';\n\
             ODBC CONNECT TO [DSN=Sales] (XUserId is u, XPassword is $(vDbPassword));\n",
            c[23], c[24], c[25], c[26]
        ),
    );

    let estate = read_estate(&[root.to_path_buf()], &IngestOptions::default());
    assert!(estate.apps.len() >= 4, "{:#?}", estate.apps);
    let json = estate.to_json_pretty();
    let mut scripts = String::new();
    for app in &estate.apps {
        if let Some(script) = &app.script {
            scripts.push_str(&serde_json::to_string(script).unwrap());
            scripts.push_str(&format!("{script:?}"));
        }
    }
    assert!(scripts.contains("ODBC CONNECT TO"), "no script was read");
    for canary in &c {
        assert!(
            !json.contains(canary.as_str()),
            "{canary} leaked into the model JSON"
        );
        assert!(
            !scripts.contains(canary.as_str()),
            "{canary} leaked into a parsed script"
        );
    }
}
