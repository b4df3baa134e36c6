//! Turning the bytes of a script file into text.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::Serialize;

/// Encoding a script file was read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// A single-byte or legacy code page used for files without a BOM that are not valid UTF-8.
    Ansi(&'static Encoding),
}

impl TextEncoding {
    /// Returns the display name, for example "UTF-8 with BOM" or "windows-1252".
    pub fn name(&self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Ansi(encoding) => encoding.name(),
        }
    }
}

impl Serialize for TextEncoding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Text of a script file with the encoding it was read with.
#[derive(Clone, Debug, Serialize)]
pub struct Decoded {
    /// Decoded text without the byte order mark.
    pub text: String,
    pub encoding: TextEncoding,
    /// true when bytes had to be replaced
    pub had_errors: bool,
}

/// Decodes script bytes.
///
/// A byte order mark selects UTF-8, UTF-16LE or UTF-16BE and is dropped from the text. Text without
/// a BOM that is valid UTF-8 is UTF-8; any other text is decoded with the `ansi` code page, the
/// way the Windows engine reads include files without a BOM.
pub fn decode(bytes: &[u8], ansi: &'static Encoding) -> Decoded {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_length..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        let encoding = if encoding == UTF_8 {
            TextEncoding::Utf8Bom
        } else if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else if encoding == UTF_16BE {
            TextEncoding::Utf16Be
        } else {
            TextEncoding::Ansi(encoding)
        };
        return Decoded {
            text: text.into_owned(),
            encoding,
            had_errors,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_owned(),
            encoding: TextEncoding::Utf8,
            had_errors: false,
        };
    }
    let (text, had_errors) = ansi.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: TextEncoding::Ansi(ansi),
        had_errors,
    }
}
