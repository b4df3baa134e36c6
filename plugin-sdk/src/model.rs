//! Convenience methods on the model types the host sends.

use crate::{FunctionCall, Location, Script, SourceRef, Span, Statement, StatementKind};

impl Script {
    /// Returns the statements of one kind.
    pub fn statements_of(&self, kind: StatementKind) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(move |s| s.kind == kind)
    }

    /// Returns the statement a source reference or function call belongs to.
    pub fn statement(&self, index: u32) -> Option<&Statement> {
        self.statements.get(index as usize)
    }

    /// Returns the lower-case name of a function call.
    pub fn function_name(&self, call: &FunctionCall) -> &str {
        self.function_names
            .get(call.name as usize)
            .map_or("", String::as_str)
    }

    /// Returns the calls of one function, given its name in any case.
    pub fn calls_of<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a FunctionCall> {
        let wanted = self
            .function_names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|i| i as u32);
        self.functions
            .iter()
            .filter(move |call| Some(call.name) == wanted)
    }

    /// Returns the path of the file a span is in.
    pub fn file_path(&self, span: Span) -> &str {
        self.files
            .get(span.file as usize)
            .map_or("", |f| f.path.as_str())
    }

    /// Returns the text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.files
            .get(span.file as usize)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// Converts a span into a finding location.
    pub fn location(&self, span: Span) -> Location {
        Location {
            file: self.file_path(span).to_owned(),
            line: span.line,
            column: span.column,
        }
    }
}

impl SourceRef {
    /// Returns the path after static variable expansion, or as written when nothing expanded.
    pub fn effective_path(&self) -> &str {
        self.resolved.as_deref().unwrap_or(&self.path)
    }
}

/// One value of an inline table, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineCell {
    /// The value, trimmed, with surrounding quotes removed.
    pub text: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One data row of an inline table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineRow {
    /// Line the row starts on.
    pub line: u32,
    /// The row's values, in header order.
    pub cells: Vec<InlineCell>,
}

/// The table of a `LOAD ... INLINE [...]` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineTable {
    /// Field names from the header row.
    pub header: Vec<InlineCell>,
    /// Data rows; empty lines are skipped.
    pub rows: Vec<InlineRow>,
}

impl Script {
    /// Returns the whole text of a statement.
    pub fn statement_text(&self, statement: &Statement) -> &str {
        self.text(statement.span)
    }

    /// Converts a byte offset into a statement's text into a finding location.
    pub fn location_in(&self, statement: &Statement, offset: usize) -> Location {
        let text = self.statement_text(statement);
        let before = &text[..offset.min(text.len())];
        let newlines = before.matches('\n').count() as u32;
        let column = match before.rfind('\n') {
            Some(at) => before[at + 1..].chars().count() as u32 + 1,
            None => statement.span.column + before.chars().count() as u32,
        };
        Location {
            file: self.file_path(statement.span).to_owned(),
            line: statement.span.line + newlines,
            column,
        }
    }

    /// Parses the inline table of a `LOAD` statement, or returns `None` when it has none.
    ///
    /// The table sits between `[` and `]` (or `"` or a backquote) after the `INLINE` keyword; a
    /// `(delimiter is 'X')` after it sets the separator, a comma otherwise.
    pub fn inline_table(&self, statement: &Statement) -> Option<InlineTable> {
        let text = self.statement_text(statement);
        let keyword = find_word(text, "inline")?;
        let after = &text[keyword + "inline".len()..];
        let open_at = after.find(|c: char| !c.is_whitespace())?;
        let open = after[open_at..].chars().next()?;
        let close = match open {
            '[' => ']',
            '"' => '"',
            '`' => '`',
            _ => return None,
        };
        let body_start = keyword + "inline".len() + open_at + open.len_utf8();
        let body_len = text[body_start..].find(close)?;
        let body = &text[body_start..body_start + body_len];
        let delimiter = inline_delimiter(&text[body_start + body_len..]);

        let position = |offset: usize| -> (u32, u32) {
            let location = self.location_in(statement, offset);
            (location.line, location.column)
        };
        let mut header: Option<Vec<InlineCell>> = None;
        let mut rows = Vec::new();
        let mut line_start = body_start;
        for line in body.split('\n') {
            let offset = line_start;
            line_start += line.len() + 1;
            if line.trim().is_empty() {
                continue;
            }
            let mut cells = Vec::new();
            let mut cell_start = offset;
            for raw in line.trim_end_matches('\r').split(delimiter) {
                let leading = raw.len() - raw.trim_start().len();
                let (line_no, column) = position(cell_start + leading);
                cells.push(InlineCell {
                    text: unquote(raw.trim()).to_owned(),
                    line: line_no,
                    column,
                });
                cell_start += raw.len() + delimiter.len_utf8();
            }
            match header {
                None => header = Some(cells),
                Some(_) => rows.push(InlineRow {
                    line: position(offset).0,
                    cells,
                }),
            }
        }
        Some(InlineTable {
            header: header.unwrap_or_default(),
            rows,
        })
    }
}

/// Finds `word` in `text` ignoring ASCII case, as a whole word outside quotes and brackets, and
/// returns its byte offset. An empty word is never found.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let word = word.as_bytes();
    let first = word.first()?.to_ascii_lowercase();
    let boundary = |b: Option<&u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    let mut index = 0;
    while index < bytes.len() {
        let close = match bytes[index] {
            quote @ (b'\'' | b'"' | b'`') => Some(quote),
            b'[' => Some(b']'),
            byte => {
                // Most positions differ in the first byte, so it is compared before the word.
                if byte.to_ascii_lowercase() == first
                    && bytes
                        .get(index..index + word.len())
                        .is_some_and(|candidate| candidate.eq_ignore_ascii_case(word))
                    && boundary(index.checked_sub(1).and_then(|i| bytes.get(i)))
                    && boundary(bytes.get(index + word.len()))
                {
                    return Some(index);
                }
                None
            }
        };
        index += 1;
        if let Some(close) = close {
            // An unclosed quote or bracket runs to the end of the text.
            let length = bytes[index..].iter().position(|&b| b == close)?;
            index += length + 1;
        }
    }
    None
}

/// Reads `delimiter is 'X'` from the format specification after an inline table.
fn inline_delimiter(rest: &str) -> char {
    let lower = rest.to_ascii_lowercase();
    let Some(at) = lower.find("delimiter is") else {
        return ',';
    };
    let value = rest[at + "delimiter is".len()..].trim_start();
    let unquoted = value.trim_start_matches(['\'', '"']);
    if unquoted.to_ascii_lowercase().starts_with("\\t")
        || unquoted.to_ascii_lowercase().starts_with("tab")
    {
        return '\t';
    }
    unquoted.chars().next().unwrap_or(',')
}

fn unquote(text: &str) -> &str {
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::find_word;

    #[test]
    fn find_word_skips_quotes_and_partial_words() {
        assert_eq!(find_word("LOAD x INLINE [a]", "inline"), Some(7));
        assert_eq!(find_word("LOAD 'inline' AS inlined", "INLINE"), None);
        assert_eq!(
            find_word("LOAD [Extension] EXTENSION R.Fn(x)", "extension"),
            Some(17)
        );
    }

    #[test]
    fn find_word_survives_multibyte_text() {
        assert_eq!(
            find_word("LOAD entrepôt, quantité FROM x", "from"),
            Some(26)
        );
        assert_eq!(find_word("entrepôt", "extension"), None);
    }

    #[test]
    fn find_word_at_text_edges() {
        assert_eq!(find_word("[x", "x"), None);
        assert_eq!(find_word("'a' Inline", "INLINE"), Some(4));
        assert_eq!(find_word("inlines inline", "inline"), Some(8));
        assert_eq!(find_word("x_inline inline", "inline"), Some(9));
        assert_eq!(find_word("inlin", "inline"), None);
        assert_eq!(find_word("text", ""), None);
    }
}
