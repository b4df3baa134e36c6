//! QVD files: only the XML header is read (table, fields, rows, creating app, lineage). Reading
//! stops at `</QvdTableHeader>`, so the data part is never loaded.

use std::io::Read;
use std::path::Path;

use qready_model::{
    InputFormat, InputProblem, Provenance, QvdField, QvdFile, QvdLineageEntry, derived_id,
};

use crate::collected::Collected;
use crate::redact;
use crate::{text, xml};

/// Largest header read, in bytes. Headers of QVDs with thousands of fields stay well below.
const MAX_HEADER_BYTES: usize = 16 * 1024 * 1024;

const HEADER_END: &[u8] = b"</QvdTableHeader>";

/// Reads the header of a QVD file, or of a `.qvd.header` file holding only the header.
pub fn read(path: &Path, out: &mut Collected) {
    match read_header(path) {
        Ok(header) => match parse(path, &header) {
            Ok(mut qvd) => {
                qvd.id = derived_id("qvd", &[&crate::script::normalize_path(path)]);
                out.qvds.push(qvd);
            }
            Err(problem) => out.problems.push(problem),
        },
        Err(problem) => out.problems.push(problem),
    }
}

/// Reads the bytes up to and including `</QvdTableHeader>`.
fn read_header(path: &Path) -> Result<String, InputProblem> {
    let mut file = std::fs::File::open(path)
        .map_err(|error| InputProblem::new(path, format!("failed to open file: {error}")))?;
    let mut header = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let read = file
            .read(&mut chunk)
            .map_err(|error| InputProblem::new(path, format!("failed to read file: {error}")))?;
        if read == 0 {
            break;
        }
        let search_from = header.len().saturating_sub(HEADER_END.len());
        header.extend_from_slice(&chunk[..read]);
        if let Some(end) = find(&header[search_from..], HEADER_END) {
            header.truncate(search_from + end + HEADER_END.len());
            break;
        }
        if header.len() > MAX_HEADER_BYTES {
            return Err(InputProblem::new(
                path,
                format!(
                    "no </QvdTableHeader> in the first {MAX_HEADER_BYTES} bytes; not a QVD file or the header is damaged"
                ),
            ));
        }
    }
    if !header.starts_with(b"<?xml")
        && find(&header[..header.len().min(512)], b"<QvdTableHeader").is_none()
    {
        let message = if text::looks_like_text(&header) {
            let (start, _) =
                text::decode(&header[..header.len().min(4096)], encoding_rs::WINDOWS_1252);
            if crate::script::looks_like_script(&start) {
                "not a QVD file: it holds load script text, not an XML header"
            } else {
                "not a QVD file: it holds text without a QVD XML header"
            }
        } else {
            "not a QVD file: it has no XML header (binary data from the first byte)"
        };
        return Err(InputProblem::new(path, message));
    }
    if find(&header, HEADER_END).is_none() {
        return Err(InputProblem::new(
            path,
            "the QVD header has no </QvdTableHeader>; the file is truncated",
        ));
    }
    Ok(String::from_utf8_lossy(&header).into_owned())
}

fn start_element(element_path: &[String], qvd: &mut QvdFile, field_count: &mut usize) {
    if element_path.len() == 3 && element_path[2] == "QvdFieldHeader" {
        *field_count += 1;
        qvd.fields.push(QvdField {
            name: String::new(),
            distinct_values: None,
        });
    }
    if element_path.len() == 3 && element_path[2] == "LineageInfo" {
        qvd.lineage.push(QvdLineageEntry {
            discriminator: String::new(),
            statement: None,
        });
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn parse(path: &Path, header: &str) -> Result<QvdFile, InputProblem> {
    let mut qvd = QvdFile {
        id: String::new(),
        path: path.to_path_buf(),
        table_name: String::new(),
        record_count: None,
        fields: Vec::new(),
        creator_doc: None,
        create_utc_time: None,
        build_number: None,
        lineage: Vec::new(),
        creator_app_id: None,
        provenance: Provenance::file(path, InputFormat::QvdHeader),
    };
    let mut field_count = 0usize;
    xml::walk(path, header, |element_path, value| {
        let Some(value) = value else {
            start_element(element_path, &mut qvd, &mut field_count);
            return;
        };
        let names: Vec<&str> = element_path.iter().map(String::as_str).collect();
        match names.as_slice() {
            ["QvdTableHeader", "TableName"] => qvd.table_name = value.to_owned(),
            ["QvdTableHeader", "NoOfRecords"] => qvd.record_count = value.parse().ok(),
            ["QvdTableHeader", "CreatorDoc"] => qvd.creator_doc = Some(value.to_owned()),
            ["QvdTableHeader", "CreateUtcTime"] => qvd.create_utc_time = Some(value.to_owned()),
            ["QvdTableHeader", "QvBuildNo"] => qvd.build_number = value.parse().ok(),
            ["QvdTableHeader", "Fields", "QvdFieldHeader", "FieldName"] => {
                if let Some(field) = qvd.fields.last_mut() {
                    field.name = value.to_owned();
                }
            }
            ["QvdTableHeader", "Fields", "QvdFieldHeader", "NoOfSymbols"] => {
                if let Some(field) = qvd.fields.last_mut() {
                    field.distinct_values = value.parse().ok();
                }
            }
            ["QvdTableHeader", "Lineage", "LineageInfo", "Discriminator"] => {
                if let Some(entry) = qvd.lineage.last_mut() {
                    entry.discriminator = redact::masked(value);
                }
            }
            ["QvdTableHeader", "Lineage", "LineageInfo", "Statement"] => {
                if let Some(entry) = qvd.lineage.last_mut() {
                    entry.statement = Some(redact::masked(value));
                }
            }
            _ => {}
        }
    })?;
    if qvd.table_name.is_empty() && field_count == 0 {
        return Err(InputProblem::new(
            path,
            "the QVD header has neither a table name nor fields",
        ));
    }
    Ok(qvd)
}

/// Checks whether a file starts like a QVD header, whatever its extension.
pub fn looks_like_header(bytes: &[u8]) -> bool {
    bytes.starts_with(b"<?xml")
        && find(&bytes[..bytes.len().min(1024)], b"<QvdTableHeader").is_some()
}
