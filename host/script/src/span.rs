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
    /// Index of the line found by the previous lookup; lookups mostly move forward.
    last_line: std::cell::Cell<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            if i + 8 <= bytes.len() && !has_control_byte(&bytes[i..i + 8]) {
                i += 8;
                continue;
            }
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
            last_line: std::cell::Cell::new(0),
        }
    }

    /// Returns the 1-based line and column of a byte offset that lies on a character boundary.
    pub(crate) fn position(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = self.line_number(offset);
        let mut line_start = self.line_starts[line - 1];
        if line == 1 && offset >= self.bom_length {
            line_start = self.bom_length;
        }
        let bytes = &text.as_bytes()[line_start as usize..offset as usize];
        let chars = if bytes.is_ascii() {
            bytes.len()
        } else {
            bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        };
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
        self.line_number(offset) as u32
    }

    /// Returns the 1-based line number of a byte offset, trying the line of the previous lookup
    /// and the one after it before searching.
    fn line_number(&self, offset: u32) -> usize {
        let hint = self.last_line.get();
        for candidate in [hint, hint + 1] {
            let starts_before = self
                .line_starts
                .get(candidate)
                .is_some_and(|&s| s <= offset);
            let next_after = self
                .line_starts
                .get(candidate + 1)
                .is_none_or(|&s| s > offset);
            if starts_before && next_after {
                self.last_line.set(candidate);
                return candidate + 1;
            }
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        self.last_line.set(line - 1);
        line
    }
}

/// true when one of the 8 bytes is below 0x0E, which covers `\n` and `\r`; the bit trick is exact
/// for thresholds up to 0x80.
pub(crate) fn has_control_byte(chunk: &[u8]) -> bool {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    let word = u64::from_le_bytes(word);
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    word.wrapping_sub(ONES * 0x0E) & !word & HIGH != 0
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn line_index_counts_every_line_end() {
        let text = "a\r\nbb\rccc\n\u{FEFF}é\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_starts, [0, 3, 6, 10, 16]);
        assert_eq!(index.position(text, 6), (3, 1));
        assert_eq!(index.position(text, 13), (4, 2));
    }

    #[test]
    fn line_index_long_lines_use_word_scan() {
        let text = format!(
            "{}\n{}\r\n{}",
            "x".repeat(37),
            "é".repeat(20),
            "y".repeat(9)
        );
        let index = LineIndex::new(&text);
        assert_eq!(index.line_starts, [0, 38, 80]);
        assert_eq!(index.position(&text, 78), (2, 21));
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{FEFF}LET a = 1;";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), (1, 1));
        assert_eq!(index.position(text, 7), (1, 5));
    }
}
