//! Byte ranges with line and column positions.

use std::cell::Cell;

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
    /// true when the text after any BOM is ASCII, where a column is a byte distance.
    ascii: bool,
    /// The previous position lookup. Lookups mostly move forward a little, often on the same
    /// line, as from the start of a token to its end.
    last: Cell<Lookup>,
}

/// A position lookup: the offset, its 1-based line and column, and the line's bounds.
#[derive(Clone, Copy, Debug)]
struct Lookup {
    offset: u32,
    line: u32,
    column: u32,
    /// Offset where the line's columns start: the line start, or the end of the BOM on line 1.
    line_start: u32,
    next_line_start: u32,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // The `\n` of a `\r\n` pair ends the line, so the `\r` before it adds nothing.
            if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                continue;
            }
            line_starts.push(end as u32 + 1);
        }
        LineIndex::from_line_starts(text, line_starts)
    }

    /// Builds the index of `text` from the start offsets of its lines, the first included, as
    /// the lexer records them.
    pub(crate) fn from_line_starts(text: &str, line_starts: Vec<u32>) -> LineIndex {
        let bom_length = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let ascii = text.as_bytes()[bom_length as usize..].is_ascii();
        // An empty cache entry, which matches no offset because its line ends at 0.
        let last = Lookup {
            offset: 0,
            line: 1,
            column: 1,
            line_start: 0,
            next_line_start: 0,
        };
        LineIndex {
            line_starts,
            bom_length,
            ascii,
            last: Cell::new(last),
        }
    }

    /// Returns the 1-based line and column of a byte offset that lies on a character boundary.
    pub(crate) fn position(&self, text: &str, offset: u32) -> (u32, u32) {
        let last = self.last.get();
        let on_last_line = offset >= last.offset && offset < last.next_line_start;
        let lookup = if on_last_line {
            last
        } else {
            let line = self.line_number(offset, last.line as usize - 1);
            let mut line_start = self.line_starts[line - 1];
            if line == 1 && offset >= self.bom_length {
                line_start = self.bom_length;
            }
            Lookup {
                offset: line_start,
                line: line as u32,
                column: 1,
                line_start,
                next_line_start: self.line_starts.get(line).copied().unwrap_or(u32::MAX),
            }
        };
        let column = if self.ascii {
            offset - lookup.line_start + 1
        } else {
            // Counting characters is additive over byte ranges, so the count may resume from
            // the previous lookup on the same line.
            let counted = &text.as_bytes()[lookup.offset as usize..offset as usize];
            lookup.column + count_chars(counted)
        };
        // Offset 0 of a text with a BOM counts from before the BOM, which later lookups on line 1
        // must not resume from.
        if offset >= self.bom_length {
            self.last.set(Lookup {
                offset,
                column,
                ..lookup
            });
        }
        (lookup.line, column)
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
        self.line_number(offset, 0) as u32
    }

    /// Returns the 1-based line number of a byte offset. The search gallops from line index
    /// `hint`, because lookups mostly move forward by a few lines.
    fn line_number(&self, offset: u32, hint: usize) -> usize {
        let starts = &self.line_starts;
        let hint = hint.min(starts.len() - 1);
        // Find `low < high` with `starts[low] <= offset` and `starts[high] > offset` (or `high`
        // past the end); `starts[0]` is 0, so such a `low` exists.
        let (low, high) = if starts[hint] <= offset {
            let mut low = hint;
            let mut step = 1;
            loop {
                let probe = low + step;
                if probe >= starts.len() {
                    break (low, starts.len());
                }
                if starts[probe] > offset {
                    break (low, probe);
                }
                low = probe;
                step *= 2;
            }
        } else {
            let mut high = hint;
            let mut step = 1;
            loop {
                if step > high {
                    break (0, high);
                }
                let probe = high - step;
                if starts[probe] <= offset {
                    break (probe, high);
                }
                high = probe;
                step *= 2;
            }
        };
        low + starts[low..high].partition_point(|&start| start <= offset)
    }
}

/// Returns the number of characters in UTF-8 bytes: the bytes that do not continue a character.
fn count_chars(bytes: &[u8]) -> u32 {
    // Most spans lie in ASCII text, where the cheaper test settles the count.
    if bytes.is_ascii() {
        return bytes.len() as u32;
    }
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

impl PartialEq for LineIndex {
    /// Compares the line starts, the index's content; the lookup caches are left out.
    fn eq(&self, other: &LineIndex) -> bool {
        self.line_starts == other.line_starts && self.bom_length == other.bom_length
    }
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
    fn line_index_long_lines() {
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
