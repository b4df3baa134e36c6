//! Reading input files as text: size limits, byte-order marks, UTF-16 and positions.

use std::io::Read;
use std::path::Path;

use encoding_rs::Encoding;
use qready_model::InputProblem;

/// Reads at most `limit` bytes of a file; a larger file is a problem, not a partial read.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputProblem> {
    let file = std::fs::File::open(path)
        .map_err(|error| InputProblem::new(path, format!("failed to open file: {error}")))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| InputProblem::new(path, format!("failed to read file: {error}")))?;
    if bytes.len() as u64 > limit {
        return Err(InputProblem::new(
            path,
            format!(
                "file is larger than the limit of {limit} bytes for this kind of input; it was not read"
            ),
        ));
    }
    Ok(bytes)
}

/// Decodes file bytes and returns the text and whether bytes had to be replaced.
///
/// A byte-order mark selects UTF-8 or UTF-16. UTF-16 without a BOM is recognized by the zero
/// bytes of ASCII characters. Other text is UTF-8 when valid, else the `ansi` code page.
pub fn decode(bytes: &[u8], ansi: &'static Encoding) -> (String, bool) {
    let decoded = qready_script::decode::decode(bytes, ansi);
    (decoded.text, decoded.had_errors)
}

/// Turns a byte offset into `text` into a 1-based line and a 1-based column counted in
/// characters.
pub fn position(text: &str, offset: usize) -> (u32, u32) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Checks whether the bytes look like text rather than binary data: no NUL bytes in the first
/// kilobytes once UTF-16 is accounted for.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    if Encoding::for_bom(head).is_some() {
        return true;
    }
    let (text, _) = decode(head, encoding_rs::WINDOWS_1252);
    !text.contains('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_characters() {
        let text = "ab\nцд=x";
        assert_eq!(position(text, 0), (1, 1));
        let eq = text.find('=').unwrap();
        assert_eq!(position(text, eq), (2, 3));
    }

    #[test]
    fn utf16_without_bom_is_recognized() {
        let bytes: Vec<u8> = "<a>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bytes, encoding_rs::WINDOWS_1252).0, "<a>");
    }

    #[test]
    fn binary_is_not_text() {
        assert!(!looks_like_text(&[
            0xff, 0xff, 0x01, 0x00, 0xc1, 0x06, 0, 0, 0, 0
        ]));
        assert!(looks_like_text(b"LOAD * FROM x.qvd (qvd);"));
    }
}
