//! Byte ranges with line and column positions.

use serde::Serialize;

/// Byte range into the decoded text plus 1-based line and column.
///
/// Columns count Unicode scalar values, so a column is the same in the original file whatever its
/// encoding. A BOM at the start of the text is not counted. `end_line`/`end_column` point just past
/// the last character of the range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Start offsets of every line of a text, for turning byte offsets into line and column.
///
/// `\r\n`, `\n` and a lone `\r` each end one line.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    line_starts: Vec<u32>,
    /// Byte length of a leading U+FEFF, which columns on line 1 skip.
    bom_length: u32,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
        let bom_length = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        LineIndex {
            line_starts,
            bom_length,
        }
    }

    /// Returns the 1-based line and column of a byte offset that lies on a character boundary.
    pub(crate) fn position(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let mut line_start = self.line_starts[line - 1];
        if line == 1 && offset >= self.bom_length {
            line_start = self.bom_length;
        }
        let bytes = &text.as_bytes()[line_start as usize..offset as usize];
        let chars = bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        (line as u32, chars as u32 + 1)
    }

    pub(crate) fn span(&self, text: &str, start: u32, end: u32) -> Span {
        let (line, column) = self.position(text, start);
        let (end_line, end_column) = self.position(text, end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Returns the 1-based line number of a byte offset.
    pub(crate) fn line_of(&self, offset: u32) -> u32 {
        self.line_starts.partition_point(|&start| start <= offset) as u32
    }
}
