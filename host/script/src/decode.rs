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
    /// UTF-16LE without a byte order mark, recognised by its zero bytes.
    Utf16LeNoBom,
    /// UTF-16BE without a byte order mark, recognised by its zero bytes.
    Utf16BeNoBom,
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
            TextEncoding::Utf16LeNoBom => "UTF-16LE without BOM",
            TextEncoding::Utf16BeNoBom => "UTF-16BE without BOM",
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
/// a BOM whose zero bytes show UTF-16 is read as UTF-16LE or UTF-16BE. Other text that is valid
/// UTF-8 is UTF-8. Any other text is decoded with the `ansi` code page, the way the Windows
/// engine reads include files without a BOM.
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
    if let Some(encoding) = sniff_utf16(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        let encoding = if encoding == UTF_16LE {
            TextEncoding::Utf16LeNoBom
        } else {
            TextEncoding::Utf16BeNoBom
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

/// Recognises UTF-16 text without a byte order mark.
///
/// Load scripts are mostly ASCII, so in UTF-16 every other byte is zero, on the odd offsets for
/// little endian and on the even ones for big endian. A UTF-8 or ANSI script has no use for a zero
/// byte, so a single stray one does not make it UTF-16. The check looks at
/// the first 4 KiB and requires a quarter of the code units to have a zero byte on one side and
/// almost none on the other.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.is_empty() || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let units = sample.len() / 2;
    let (mut even_zeros, mut odd_zeros) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even_zeros += usize::from(pair[0] == 0);
        odd_zeros += usize::from(pair[1] == 0);
    }
    if odd_zeros * 4 >= units && even_zeros * 8 <= odd_zeros {
        Some(UTF_16LE)
    } else if even_zeros * 4 >= units && odd_zeros * 8 <= even_zeros {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| {
                if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16le_without_bom_is_recognised() {
        let bytes = utf16("LOAD * FROM [C:\\Données\\a.qvd] (qvd);\r\n", false);
        let decoded = decode(&bytes, encoding_rs::WINDOWS_1252);
        assert_eq!(decoded.encoding, TextEncoding::Utf16LeNoBom);
        assert_eq!(decoded.text, "LOAD * FROM [C:\\Données\\a.qvd] (qvd);\r\n");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn utf16be_without_bom_is_recognised() {
        let bytes = utf16("SET vPath = 'lib://Data/';\n", true);
        let decoded = decode(&bytes, encoding_rs::WINDOWS_1252);
        assert_eq!(decoded.encoding, TextEncoding::Utf16BeNoBom);
        assert_eq!(decoded.text, "SET vPath = 'lib://Data/';\n");
    }

    #[test]
    fn cyrillic_utf16le_without_bom_is_recognised() {
        // Outside Latin scripts neither byte of a code unit is zero; the ASCII keywords,
        // spaces and line ends still give enough zero bytes.
        let bytes = utf16(
            "LOAD Имя, Город FROM [lib://Данные/клиенты.qvd] (qvd);\n",
            false,
        );
        let decoded = decode(&bytes, encoding_rs::WINDOWS_1252);
        assert_eq!(decoded.encoding, TextEncoding::Utf16LeNoBom);
    }

    #[test]
    fn ansi_text_is_not_utf16() {
        let decoded = decode(
            b"LOAD * FROM [C:\\Donn\xe9es\\a.qvd];",
            encoding_rs::WINDOWS_1252,
        );
        assert_eq!(
            decoded.encoding,
            TextEncoding::Ansi(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(decoded.text, "LOAD * FROM [C:\\Données\\a.qvd];");
    }

    #[test]
    fn stray_zero_byte_stays_utf8() {
        let decoded = decode(b"LOAD 1 AS a AUTOGENERATE 1;\0", encoding_rs::WINDOWS_1252);
        assert_eq!(decoded.encoding, TextEncoding::Utf8);
    }
}
