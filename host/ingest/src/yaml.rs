//! A YAML reader that keeps duplicate keys and line numbers.
//!
//! `qlik app unbuild` writes `connections.yml` with one key per connection name, and the same
//! name can appear more than once (one per space). Loaders that build hash maps reject or drop
//! such keys, so this module builds its own tree from the parser's events. Aliases are not
//! expanded, which also rules out alias-expansion bombs.

use yaml_rust2::parser::{Event, Parser};

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Scalar(String),
    /// Entries in document order, duplicates kept, each with the 1-based line of its key.
    Map(Vec<(String, u32, Yaml)>),
    Seq(Vec<Yaml>),
    /// An alias or an empty document.
    Null,
}

impl Yaml {
    /// Returns the first value of a key in a map.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(text) => Some(text),
            _ => None,
        }
    }
}

/// A YAML syntax error with its 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

enum Frame {
    Map(Vec<(String, u32, Yaml)>, Option<(String, u32)>),
    Seq(Vec<Yaml>),
}

/// Parses the first document of a YAML text.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|error| YamlError {
            line: error.marker().line() as u32,
            column: error.marker().col() as u32 + 1,
            message: error.info().to_owned(),
        })?;
        let line = mark.line() as u32;
        let node = match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, _)) => Yaml::Map(entries),
                _ => continue,
            },
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items)) => Yaml::Seq(items),
                _ => continue,
            },
            Event::Scalar(value, ..) => Yaml::Scalar(value),
            Event::Alias(_) => Yaml::Null,
            _ => continue,
        };
        match stack.last_mut() {
            None => {
                root = Some(node);
                break;
            }
            Some(Frame::Seq(items)) => items.push(node),
            Some(Frame::Map(entries, pending)) => match pending.take() {
                Some((key, key_line)) => entries.push((key, key_line, node)),
                None => {
                    let key = match node {
                        Yaml::Scalar(key) => key,
                        _ => String::new(),
                    };
                    *pending = Some((key, line));
                }
            },
        }
    }
    Ok(root.unwrap_or(Yaml::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_kept() {
        let yaml = parse("connections:\n  a:\n    type: x\n  a:\n    type: y\n").unwrap();
        let Some(Yaml::Map(entries)) = yaml.get("connections") else {
            panic!("no connections map: {yaml:?}");
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].1, 4);
        assert_eq!(entries[1].2.get("type").and_then(Yaml::as_str), Some("y"));
    }

    #[test]
    fn syntax_error_has_position() {
        let error = parse("a: [1, 2\nb: c").unwrap_err();
        assert!(error.line >= 1, "{error:?}");
    }
}
