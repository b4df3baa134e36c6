//! Removes credentials from connection strings and script text before any later stage reads
//! them.
//!
//! Credentials are masked byte for byte with `*`, so every byte offset and line of a script
//! stays where the parser put it, and no pack, log line or report can show the secret.

use std::ops::Range;

/// Keys whose values are credentials in `key=value;` connection strings (ODBC, OLE DB, ADO.NET,
/// REST and cloud storage connectors), compared without case.
const SECRET_KEYS: &[&str] = &[
    "pwd",
    "uid",
    "user",
    "user id",
    "userid",
    "username",
    "user name",
    "user_name",
    "login",
    "authorization",
    "passphrase",
    "sas",
    "sig",
    "code",
];

/// Parts of a key that make its value a credential wherever they appear in the key, compared
/// without case: `NA - OAuth2`, `client_secret`, `refreshToken`, `AccountKey` and so on.
const SECRET_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "oauth",
    "apikey",
    "api_key",
    "api key",
    "api-key",
    "accesskey",
    "access key",
    "access_key",
    "accountkey",
    "sharedaccess",
    "privatekey",
    "private key",
    "private_key",
    "credential",
    "signature",
    "xrfkey",
];

/// Parts of a script variable name that mark its value as a credential, compared without case,
/// as in `vPwd`, `vDbPassword` or `vApiToken`.
const SECRET_VARIABLE_PARTS: &[&str] = &[
    "pwd",
    "passw",
    "secret",
    "token",
    "apikey",
    "api_key",
    "credential",
    "privatekey",
];

/// Checks whether a script variable's name marks its value as a credential.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_VARIABLE_PARTS
        .iter()
        .any(|part| lower.contains(part))
}

/// Keys of the QlikView `(XUserId is ..., XPassword is ...)` clause, compared without case.
const IS_KEYS: &[&str] = &["xuserid", "xpassword", "userid", "password"];

/// Characters that end a key as read backwards from its `=`.
const KEY_STARTS: &[char] = &[';', '[', '(', '"', '\'', '\n', '{', ',', '&', '?', '%'];

/// Returns the byte ranges of credential values in `text`, sorted and without overlaps.
pub fn credential_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    collect_key_value(text, &mut ranges);
    collect_rest_pairs(text, &mut ranges);
    collect_is_clauses(text, &mut ranges);
    collect_url_user_info(text, &mut ranges);
    merge(ranges)
}

/// Masks every credential value in `text` with `*`, one per byte. Returns whether anything was
/// masked.
pub fn mask_in_place(text: &mut String) -> bool {
    let ranges = credential_ranges(text);
    mask_ranges(text, &ranges)
}

/// Masks the given byte ranges of `text` with `*`. Ranges must lie on character boundaries.
pub fn mask_ranges(text: &mut String, ranges: &[Range<usize>]) -> bool {
    if ranges.is_empty() {
        return false;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for range in ranges {
        bytes[range.clone()].fill(b'*');
    }
    // Whole UTF-8 characters were replaced by ASCII, so the text is still valid UTF-8.
    *text = String::from_utf8(bytes).expect("masking whole characters keeps UTF-8 valid");
    true
}

/// Returns a copy of `text` with credentials masked.
pub fn masked(text: &str) -> String {
    let mut copy = text.to_owned();
    mask_in_place(&mut copy);
    copy
}

fn is_secret_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    SECRET_KEYS.contains(&key.as_str()) || SECRET_KEY_PARTS.iter().any(|part| key.contains(part))
}

fn collect_key_value(text: &str, ranges: &mut Vec<Range<usize>>) {
    for (eq, _) in text.match_indices('=') {
        let key_start = text[..eq].rfind(KEY_STARTS).map_or(0, |i| i + 1);
        if !is_secret_key(&text[key_start..eq]) {
            continue;
        }
        if let Some(range) = value_range(text, eq + 1) {
            ranges.push(range);
        }
    }
}

/// Finds the value that starts at `start`: a quoted or braced value up to its closing
/// character, or an unquoted one up to the next separator.
fn value_range(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = &text[start..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let start = start + (rest.len() - trimmed.len());
    let close = match trimmed.chars().next() {
        Some('"') => Some('"'),
        Some('\'') => Some('\''),
        Some('{') => Some('}'),
        _ => None,
    };
    let range = match close {
        Some(close) => {
            let inner = start + 1;
            inner..quoted_value_end(text, inner, close as u8)
        }
        None => start..unquoted_value_end(text, start),
    };
    (range.end > range.start).then_some(range)
}

/// Finds the closing quote or brace of a value that starts at `inner`.
///
/// A doubled closing character (`""`, `}}`) is an escaped one inside the value, as ODBC and
/// OLE DB write them. A closing character that a separator does not follow is taken as part of
/// the value too, so that a malformed value such as `{ab;c}d}` is masked whole. Without a
/// closing character the value runs to the end of the line. Masking too much hides part of
/// the connection string, and masking too little shows part of a password, so the scan errs on
/// the long side.
fn quoted_value_end(text: &str, inner: usize, close: u8) -> usize {
    let bytes = text.as_bytes();
    let line_end = text[inner..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| inner + i);
    let mut i = inner;
    while i < line_end {
        if bytes[i] == close {
            if bytes.get(i + 1) == Some(&close) {
                i += 2;
                continue;
            }
            let ends = i + 1 >= line_end
                || matches!(
                    bytes[i + 1],
                    b';' | b']' | b')' | b',' | b' ' | b'\t' | b'"' | b'\''
                );
            if ends {
                return i;
            }
        }
        i += 1;
    }
    line_end
}

/// Finds the end of an unquoted value.
///
/// A value ends at `;` or the end of the line. `&` ends it only in a URL query (`?a=1&b=2`).
/// A closing `]`, `)` or quote ends it only when what follows can end the value too, because
/// passwords contain those characters: in `[DSN;PWD=Ab)c&d];` the whole of `Ab)c&d` is the
/// value, and the `]` that closes the connect string stays. `]]` is Qlik's escaped `]`.
fn unquoted_value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let in_query = text[..start.saturating_sub(1)]
        .rfind(KEY_STARTS)
        .is_some_and(|i| matches!(bytes[i], b'&' | b'?'));
    let can_follow_end = |next: usize| {
        bytes.get(next).is_none_or(|b| {
            matches!(
                b,
                b';' | b'\n' | b'\r' | b' ' | b'\t' | b'(' | b')' | b']' | b','
            )
        })
    };
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b';' | b'\n' | b'\r' => return i,
            b'&' | b' ' | b'"' | b'\'' if in_query => return i,
            b']' if bytes.get(i + 1) == Some(&b']') => {
                i += 2;
                continue;
            }
            b']' | b')' | b'"' | b'\'' if can_follow_end(i + 1) => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Masks header and query values of the Qlik REST connector, which stores them as
/// `queryHeaders=Name%2value%1Name%2value` (`%2` between name and value, `%1` between pairs).
fn collect_rest_pairs(text: &str, ranges: &mut Vec<Range<usize>>) {
    for (separator, _) in text.match_indices("%2") {
        let name_start = text[..separator]
            .rfind(['=', ';', '"', '\n'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let name_start = text[name_start..separator]
            .rfind("%1")
            .map_or(name_start, |i| name_start + i + 2);
        let name = &text[name_start..separator];
        if !is_secret_key(name) {
            continue;
        }
        let value_start = separator + 2;
        let end = text[value_start..]
            .find([';', '"', '\n'])
            .map_or(text.len(), |i| value_start + i);
        let end = text[value_start..end]
            .find("%1")
            .map_or(end, |i| value_start + i);
        if end > value_start {
            ranges.push(value_start..end);
        }
    }
}

fn collect_is_clauses(text: &str, ranges: &mut Vec<Range<usize>>) {
    let lower = text.to_ascii_lowercase();
    for key in IS_KEYS {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let key_start = from + found;
            from = key_start + key.len();
            let before_ok =
                key_start == 0 || !lower.as_bytes()[key_start - 1].is_ascii_alphanumeric();
            let rest = &lower[from..];
            let trimmed = rest.trim_start();
            if !before_ok || !trimmed.starts_with("is ") {
                continue;
            }
            let value_start = from + (rest.len() - trimmed.len()) + 3;
            let after = &lower[value_start..];
            let value_start = value_start + (after.len() - after.trim_start().len());
            let end = match text.as_bytes().get(value_start) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let inner = value_start + 1;
                    let end = quoted_value_end(text, inner, quote);
                    // Mask the quotes too, so that the masked value keeps no shape.
                    (end + 1).min(text.len())
                }
                _ => text[value_start..]
                    .find([',', ')', ';', ']', '\n', '\r', ' '])
                    .map_or(text.len(), |i| value_start + i),
            };
            if end > value_start {
                ranges.push(value_start..end);
            }
        }
    }
}

/// Masks `user:password` in `scheme://user:password@host` URLs.
fn collect_url_user_info(text: &str, ranges: &mut Vec<Range<usize>>) {
    for (scheme_end, _) in text.match_indices("://") {
        let start = scheme_end + 3;
        let authority_end = text[start..]
            .find(['/', '"', '\'', ';', ' ', '\n', ']'])
            .map_or(text.len(), |i| start + i);
        if let Some(at) = text[start..authority_end].rfind('@')
            && at > 0
        {
            ranges.push(start..start + at);
        }
    }
}

pub(crate) fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_and_malformed_quoting_is_masked() {
        let cases = [
            "ODBC CONNECT TO [DSN;UID=u;Pwd={ab}}cdSECRET18};DATABASE=x];",
            "OLEDB CONNECT TO [Provider=SQLOLEDB;Password=\"\"a;bSECRET20\"\";Data Source=db];",
            "ODBC CONNECT TO [DW] (XUserId is u, XPassword is \"quoted with space SECRET24\");",
            "ODBC CONNECT TO [DSN;Pwd={Brace;d}SECRET16};DATABASE=x];",
            "ODBC CONNECT TO [DSN;Pwd='it''s SECRET30';DATABASE=x];",
        ];
        for text in cases {
            let out = masked(text);
            assert!(!out.contains("SECRET"), "{text} -> {out}");
            assert_eq!(out.len(), text.len(), "{text}");
        }
    }

    #[test]
    fn braced_value_ends_at_its_brace() {
        let out = masked("ODBC CONNECT TO [DSN;Pwd={a;b};DATABASE=Sales];");
        assert_eq!(out, "ODBC CONNECT TO [DSN;Pwd={***};DATABASE=Sales];");
    }

    #[test]
    fn password_with_separator_characters_is_masked() {
        let text = "ODBC CONNECT TO [DSN;UID=me;PWD=Ab&S3cr)e'tT\"ail]]1];";
        let out = masked(text);
        assert!(!out.contains("S3cr"), "{out}");
        assert!(!out.contains("ail"), "{out}");
        assert!(out.ends_with("];"), "{out}");
        assert_eq!(out.len(), text.len());
    }

    #[test]
    fn url_query_value_ends_at_ampersand() {
        let out = masked("https://api.example/v1?token=abc123&page=2");
        assert_eq!(out, "https://api.example/v1?token=******&page=2");
    }

    #[test]
    fn odbc_password_is_masked() {
        let out = masked("ODBC CONNECT TO [DW;UID=sa;PWD=Secr3t!;DATABASE=x]");
        assert_eq!(out, "ODBC CONNECT TO [DW;UID=**;PWD=*******;DATABASE=x]");
    }

    #[test]
    fn qlikview_scrambled_clause_is_masked() {
        let out = masked("ODBC CONNECT TO [DW] (XUserId is AbCd, XPassword is EfGh);");
        assert_eq!(
            out,
            "ODBC CONNECT TO [DW] (XUserId is ****, XPassword is ****);"
        );
    }

    #[test]
    fn length_is_preserved_for_multibyte_values() {
        let text = "Password=pässwörd;Data Source=x";
        let out = masked(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("wörd"), "{out}");
    }

    #[test]
    fn integrated_security_is_not_a_secret() {
        let text = "Provider=SQLOLEDB.1;Integrated Security=SSPI;Data Source=SQLFIN02";
        assert_eq!(masked(text), text);
    }

    #[test]
    fn quoted_and_braced_values_are_masked() {
        let out = masked("Driver={SQL Server};PWD={se;cret};Password=\"p w\";");
        assert_eq!(out, "Driver={SQL Server};PWD={*******};Password=\"***\";");
    }

    #[test]
    fn oauth_blob_is_masked() {
        let text = "provider=x.exe;prompt=consent;NA - OAuth2={%3screenName%3:%3User: a@b.c%3};";
        let out = masked(text);
        assert!(!out.contains("a@b.c"), "{out}");
        assert!(out.contains("prompt=consent"), "{out}");
    }

    #[test]
    fn rest_connector_headers_are_masked() {
        let text = "queryHeaders=Authorization%2Bearer abc123%1User-Agent%2Windows;";
        let out = masked(text);
        assert!(!out.contains("abc123"), "{out}");
        assert!(out.contains("User-Agent%2Windows"), "{out}");
    }

    #[test]
    fn url_user_info_is_masked() {
        let out = masked("url=https://bob:hunter2@example.invalid/api;");
        assert!(!out.contains("hunter2"), "{out}");
        assert!(!out.contains("bob"), "{out}");
        assert!(out.contains("example.invalid/api"), "{out}");
    }
}
