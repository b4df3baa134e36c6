//! Streaming XML reading with the defenses input files need.
//!
//! A document with a DOCTYPE is rejected, and entity references other than the five predefined
//! ones and character references are errors, so no entity is ever expanded (no "billion
//! laughs"). Files are size-limited before reading and decoded from UTF-16 or UTF-8 by their
//! byte-order mark.

use std::path::Path;

use qready_model::InputProblem;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use crate::text;

/// Largest XML file read, in bytes.
pub const MAX_XML_BYTES: u64 = 128 * 1024 * 1024;

/// Reads and decodes an XML file.
pub fn read(path: &Path, ansi: &'static encoding_rs::Encoding) -> Result<String, InputProblem> {
    let bytes = text::read_limited(path, MAX_XML_BYTES)?;
    Ok(text::decode(&bytes, ansi).0)
}

/// Calls `on_node` with the path of open elements when an element starts (text None) and for
/// the text of each element that has text. Stops at the first error.
pub fn walk(
    path: &Path,
    xml: &str,
    mut on_node: impl FnMut(&[String], Option<&str>),
) -> Result<(), InputProblem> {
    walk_with_lines(path, xml, |stack, text, _| on_node(stack, text))
}

/// Like [`walk`], and also passes the 1-based line where the element or its text starts.
pub fn walk_with_lines(
    path: &Path,
    xml: &str,
    mut on_node: impl FnMut(&[String], Option<&str>, u32),
) -> Result<(), InputProblem> {
    let mut reader = Reader::from_str(xml);
    // Lines are counted forward from the previous event, so the whole walk reads the text once.
    let mut counted_to = 0usize;
    let mut line = 1u32;
    let mut line_at = |offset: usize| {
        let offset = offset.min(xml.len());
        if offset > counted_to {
            let newlines = xml.as_bytes()[counted_to..offset]
                .iter()
                .filter(|&&b| b == b'\n');
            line += newlines.count() as u32;
            counted_to = offset;
        }
        line
    };
    let mut text_line = 1u32;
    let mut stack: Vec<String> = Vec::new();
    let mut pending = String::new();
    let problem = |reader: &Reader<&[u8]>, offset: Option<u64>, message: String| {
        let offset = offset.unwrap_or_else(|| reader.buffer_position()) as usize;
        let (line, column) = text::position(xml, offset);
        InputProblem::at(path, line, column, message)
    };
    loop {
        let event_start = reader.buffer_position();
        let event = reader.read_event().map_err(|error| {
            problem(
                &reader,
                Some(reader.error_position()),
                format!("invalid XML: {error}"),
            )
        })?;
        match event {
            Event::Start(start) => {
                flush(&stack, &mut pending, text_line, &mut on_node);
                stack.push(String::from_utf8_lossy(start.name().as_ref()).into_owned());
                on_node(&stack, None, line_at(event_start as usize));
            }
            Event::Empty(start) => {
                flush(&stack, &mut pending, text_line, &mut on_node);
                stack.push(String::from_utf8_lossy(start.name().as_ref()).into_owned());
                on_node(&stack, None, line_at(event_start as usize));
                stack.pop();
            }
            Event::End(_) => {
                flush(&stack, &mut pending, text_line, &mut on_node);
                stack.pop();
            }
            Event::Text(content) => {
                if pending.is_empty() {
                    text_line = line_at(event_start as usize);
                }
                let decoded = content.decode().map_err(|error| {
                    problem(&reader, None, format!("invalid XML text: {error}"))
                })?;
                pending.push_str(&decoded);
            }
            Event::CData(content) => {
                pending.push_str(&String::from_utf8_lossy(&content));
            }
            Event::GeneralRef(reference) => {
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    pending.push(character);
                    continue;
                }
                let name = String::from_utf8_lossy(&reference).into_owned();
                match resolve_predefined_entity(&name) {
                    Some(value) => pending.push_str(value),
                    None => {
                        return Err(problem(
                            &reader,
                            Some(event_start),
                            format!(
                                "undefined entity reference '&{name};'; entities are not expanded"
                            ),
                        ));
                    }
                }
            }
            Event::DocType(_) => {
                return Err(problem(
                    &reader,
                    Some(event_start),
                    "XML with a DOCTYPE declaration is not read, because its entities could expand without limit".to_owned(),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        let (line, column) = text::position(xml, xml.len());
        return Err(InputProblem::at(
            path,
            line,
            column,
            format!(
                "XML ends inside element <{}>; the file is truncated",
                stack.join("/")
            ),
        ));
    }
    Ok(())
}

fn flush(
    stack: &[String],
    pending: &mut String,
    line: u32,
    on_node: &mut impl FnMut(&[String], Option<&str>, u32),
) {
    if !pending.trim().is_empty() {
        on_node(stack, Some(pending.trim()), line);
    }
    pending.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Result<Vec<(String, String)>, InputProblem> {
        let mut out = Vec::new();
        walk(Path::new("t.xml"), xml, |path, text| {
            if let Some(text) = text {
                out.push((path.join("/"), text.to_owned()));
            }
        })?;
        Ok(out)
    }

    #[test]
    fn predefined_entities_are_resolved() {
        let out = texts("<a><b>x &amp; y &#65;</b></a>").unwrap();
        assert_eq!(out, vec![("a/b".to_owned(), "x & y A".to_owned())]);
    }

    #[test]
    fn entity_bomb_is_rejected() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<a>&lol2;</a>";
        let problem = texts(bomb).unwrap_err();
        assert!(problem.message.contains("DOCTYPE"), "{}", problem.message);
        assert_eq!(problem.line, Some(2));
    }

    #[test]
    fn truncated_xml_is_reported_with_position() {
        let problem = texts("<a>\n<b>text</b>\n<c>").unwrap_err();
        assert!(problem.message.contains("truncated"), "{}", problem.message);
        assert_eq!(problem.line, Some(3));
    }

    #[test]
    fn mismatched_tags_are_reported() {
        let problem = texts("<a>\n<b></c></a>").unwrap_err();
        assert_eq!(problem.line, Some(2));
    }
}
