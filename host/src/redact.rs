//! Removes credentials from connection strings before anything downstream sees them.
//!
//! Credentials are masked byte for byte with `*`, so every byte offset and line of a script
//! stays where the parser put it, and no pack, log line or report can show the secret.

/// Keys whose values are credentials in `key=value;` connection strings (ODBC, OLE DB, ADO.NET,
/// REST and cloud storage connectors), compared without case.
const SECRET_KEYS: &[&str] = &[
    "password",
    "pwd",
    "user id",
    "userid",
    "uid",
    "user",
    "username",
    "user name",
    "accesskey",
    "access key",
    "accesskeyid",
    "secretkey",
    "secret key",
    "secret",
    "secretaccesskey",
    "accountkey",
    "sharedaccesskey",
    "sharedaccesssignature",
    "client_secret",
    "clientsecret",
    "client secret",
    "token",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "apikey",
    "api_key",
    "api key",
    "authorization",
    "privatekey",
    "private key",
    "passphrase",
];

/// Keys of the QlikView `(XUserId is ..., XPassword is ...)` clause, compared without case.
const IS_KEYS: &[&str] = &["xuserid", "xpassword", "userid", "password"];

/// Returns the byte ranges of credential values in `text`.
pub fn credential_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    collect_key_value(text, &mut ranges);
    collect_is_clauses(text, &mut ranges);
    ranges.sort_by_key(|r| r.start);
    ranges
}

/// Masks every credential value in `text` with `*`, one per byte.
pub fn mask_in_place(text: &mut String) -> bool {
    let ranges = credential_ranges(text);
    if ranges.is_empty() {
        return false;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for range in ranges {
        bytes[range].fill(b'*');
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

fn collect_key_value(text: &str, ranges: &mut Vec<std::ops::Range<usize>>) {
    for (eq, _) in text.match_indices('=') {
        let key_start = text[..eq]
            .rfind([';', '[', '(', '"', '\'', '\n', '{', ','])
            .map_or(0, |i| i + 1);
        let key = text[key_start..eq].trim().to_ascii_lowercase();
        if !SECRET_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value_start = eq + 1;
        let value_end = value_end(text, value_start, &[';', ']', '"', '\'', '\n', ')', '}']);
        if value_end > value_start {
            ranges.push(value_start..value_end);
        }
    }
}

fn collect_is_clauses(text: &str, ranges: &mut Vec<std::ops::Range<usize>>) {
    let lower = text.to_ascii_lowercase();
    for key in IS_KEYS {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let key_start = from + found;
            from = key_start + key.len();
            let before_ok = key_start == 0
                || !lower.as_bytes()[key_start - 1].is_ascii_alphanumeric();
            let rest = &lower[from..];
            let trimmed = rest.trim_start();
            if !before_ok || !trimmed.starts_with("is ") {
                continue;
            }
            let value_start = from + (rest.len() - trimmed.len()) + 3;
            let value_start = value_start + (lower[value_start..].len() - lower[value_start..].trim_start().len());
            let end = value_end(text, value_start, &[',', ')', ';', ']', '\n', ' ']);
            if end > value_start {
                ranges.push(value_start..end);
            }
        }
    }
}

fn value_end(text: &str, start: usize, stops: &[char]) -> usize {
    text[start..]
        .find(|c: char| stops.contains(&c))
        .map_or(text.len(), |i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odbc_password_is_masked() {
        let out = masked("ODBC CONNECT TO [DW;UID=sa;PWD=Secr3t!;DATABASE=x]");
        assert_eq!(out, "ODBC CONNECT TO [DW;UID=**;PWD=*******;DATABASE=x]");
    }

    #[test]
    fn qlikview_scrambled_clause_is_masked() {
        let out = masked("ODBC CONNECT TO [DW] (XUserId is AbCd, XPassword is EfGh);");
        assert_eq!(out, "ODBC CONNECT TO [DW] (XUserId is ****, XPassword is ****);");
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
}
