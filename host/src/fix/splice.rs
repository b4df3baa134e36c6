//! Replacing ranges of decoded script text in the file's original bytes.
//!
//! Spans of the parser are byte offsets into the decoded UTF-8 text, which differ from offsets
//! into the file for UTF-16 and for ANSI code pages, and by the BOM for UTF-8 with BOM. Each
//! replacement is encoded in the file's own encoding and spliced between original bytes, so
//! bytes outside the replaced ranges stay as they were.

use encoding_rs::Encoding;
use qready_script::decode::{Decoded, TextEncoding};

/// A replacement of the decoded text's byte range `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpliceError {
    #[error("the file does not decode as {0} without replacement characters")]
    Undecodable(&'static str),
    #[error("'{text}' cannot be written in {encoding}")]
    Unencodable {
        text: String,
        encoding: &'static str,
    },
    #[error("{0} is a stateful encoding, whose text cannot be changed piece by piece")]
    Stateful(&'static str),
    #[error("two replacements overlap at byte {0} of the decoded text")]
    Overlap(usize),
}

/// Applies `edits` to the decoded text itself, as a check of what the spliced bytes decode to.
pub fn apply_to_text(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        out.push_str(&text[copied..edit.start]);
        out.push_str(&edit.replacement);
        copied = edit.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Returns the file's bytes with each edit's range replaced. `edits` must be sorted by start.
///
/// The file must decode to `decoded` and encode back to the same bytes, so that offsets of the
/// decoded text map onto the file. A file read with replacement characters is rejected.
pub fn splice(bytes: &[u8], decoded: &Decoded, edits: &[Edit]) -> Result<Vec<u8>, SpliceError> {
    let encoding = decoded.encoding;
    if decoded.had_errors {
        return Err(SpliceError::Undecodable(encoding.name()));
    }
    if let TextEncoding::Ansi(ansi) = encoding
        && ansi == encoding_rs::ISO_2022_JP
    {
        return Err(SpliceError::Stateful(ansi.name()));
    }
    let bom = bom_length(encoding);
    let text = &decoded.text;
    if encode(encoding, text)?.as_slice() != &bytes[bom.min(bytes.len())..] {
        return Err(SpliceError::Undecodable(encoding.name()));
    }

    let mut out = Vec::with_capacity(bytes.len() + 64);
    out.extend_from_slice(&bytes[..bom]);
    let mut text_at = 0;
    let mut byte_at = bom;
    for edit in edits {
        if edit.start < text_at {
            return Err(SpliceError::Overlap(edit.start));
        }
        let start = byte_at + encoded_length(encoding, &text[text_at..edit.start])?;
        let end = start + encoded_length(encoding, &text[edit.start..edit.end])?;
        out.extend_from_slice(&bytes[byte_at..start]);
        out.extend_from_slice(&encode(encoding, &edit.replacement)?);
        text_at = edit.end;
        byte_at = end;
    }
    out.extend_from_slice(&bytes[byte_at..]);
    Ok(out)
}

/// Returns whether `encoding` can represent every character of `text`.
pub fn can_encode(encoding: TextEncoding, text: &str) -> bool {
    encode(encoding, text).is_ok()
}

fn bom_length(encoding: TextEncoding) -> usize {
    match encoding {
        TextEncoding::Utf8Bom => 3,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
        TextEncoding::Utf8
        | TextEncoding::Utf16LeNoBom
        | TextEncoding::Utf16BeNoBom
        | TextEncoding::Ansi(_) => 0,
    }
}

fn encoded_length(encoding: TextEncoding, text: &str) -> Result<usize, SpliceError> {
    Ok(match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => text.len(),
        TextEncoding::Utf16Le
        | TextEncoding::Utf16Be
        | TextEncoding::Utf16LeNoBom
        | TextEncoding::Utf16BeNoBom => text.encode_utf16().count() * 2,
        TextEncoding::Ansi(ansi) if text.is_ascii() && ansi.is_ascii_compatible() => text.len(),
        TextEncoding::Ansi(_) => encode(encoding, text)?.len(),
    })
}

/// Encodes text without a BOM; a character the encoding cannot hold is an error, where
/// encoding_rs would write an HTML character reference.
fn encode(encoding: TextEncoding, text: &str) -> Result<Vec<u8>, SpliceError> {
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Ok(text.as_bytes().to_vec()),
        TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => {
            Ok(text.encode_utf16().flat_map(u16::to_le_bytes).collect())
        }
        TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom => {
            Ok(text.encode_utf16().flat_map(u16::to_be_bytes).collect())
        }
        TextEncoding::Ansi(ansi) => encode_ansi(ansi, text),
    }
}

fn encode_ansi(ansi: &'static Encoding, text: &str) -> Result<Vec<u8>, SpliceError> {
    let (bytes, used, unmappable) = ansi.encode(text);
    if unmappable || used != ansi {
        return Err(SpliceError::Unencodable {
            text: text.to_owned(),
            encoding: ansi.name(),
        });
    }
    Ok(bytes.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qready_script::decode::decode;

    fn edit(text: &str, from: &str, to: &str) -> Edit {
        let start = text.find(from).unwrap();
        Edit {
            start,
            end: start + from.len(),
            replacement: to.to_owned(),
        }
    }

    fn roundtrip(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        let decoded = decode(bytes, encoding_rs::WINDOWS_1252);
        let edits = [edit(&decoded.text, from, to)];
        let out = splice(bytes, &decoded, &edits).unwrap();
        let again = decode(&out, encoding_rs::WINDOWS_1252);
        assert_eq!(again.text, apply_to_text(&decoded.text, &edits));
        assert_eq!(again.encoding, decoded.encoding);
        out
    }

    #[test]
    fn utf16_le_keeps_bom_and_crlf() {
        let text = "// Zürich\r\nLOAD * FROM [C:\\x.qvd];\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let out = roundtrip(&bytes, "C:\\x.qvd", "lib://Data/x.qvd");
        assert_eq!(&out[..2], &[0xFF, 0xFE]);
        assert!(out.ends_with(&[b'\r', 0, b'\n', 0]));
    }

    #[test]
    fn windows_1252_offsets_count_bytes_not_utf8() {
        let bytes = b"// Entrep\xF4t\r\nSET v = '..\\Donn\xE9es';\r\n";
        let out = roundtrip(bytes, "..\\Données", "lib://Stock:Données");
        assert_eq!(&out[..13], b"// Entrep\xF4t\r\n");
        assert!(out.windows(15).any(|w| w == b"lib://Stock:Don"));
        assert!(out.windows(4).any(|w| w == b"n\xE9es"));
    }

    #[test]
    fn utf8_bom_is_kept() {
        let bytes = b"\xEF\xBB\xBFLOAD * FROM x.qvd;\n";
        let out = roundtrip(bytes, "x.qvd", "[lib://D/x.qvd]");
        assert_eq!(out, b"\xEF\xBB\xBFLOAD * FROM [lib://D/x.qvd];\n");
    }

    #[test]
    fn unencodable_replacement_is_rejected() {
        let bytes = b"SET v = 'C:\\D\xE9p\xF4t';";
        let decoded = decode(bytes, encoding_rs::WINDOWS_1252);
        let edits = [edit(&decoded.text, "C:", "lib://Ωmega")];
        let error = splice(bytes, &decoded, &edits).unwrap_err();
        assert!(matches!(error, SpliceError::Unencodable { .. }), "{error}");
    }

    #[test]
    fn undecodable_file_is_rejected() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend([b'a', 0, 0x00, 0xD8]);
        let decoded = decode(&bytes, encoding_rs::WINDOWS_1252);
        let error = splice(&bytes, &decoded, &[]).unwrap_err();
        assert_eq!(error, SpliceError::Undecodable("UTF-16LE"));
    }
}
