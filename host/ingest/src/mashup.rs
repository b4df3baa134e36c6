//! Mashups: a `.qext` file of type `mashup` and the pages and scripts beside it.
//!
//! The pages are read for the apps they open (`qlik.openApp('…')` of the Capability API,
//! `openDoc`/`openApp` through enigma.js, and `app-id` of `<qlik-embed>`), for the Qlik APIs they
//! load, and for the virtual proxy prefix of their connection (`prefix: '/ticket/'`). The prefix
//! names the authentication the page relies on.

use std::path::Path;

use qready_model::{InputFormat, Mashup, MashupOpen, Provenance, derived_id};

use crate::collected::Collected;
use crate::{IngestContext, json, text};

/// Largest page or script of a mashup that is read, in bytes.
const MAX_PAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Folder levels below the `.qext` file that are searched for pages and scripts.
const MAX_DEPTH: usize = 3;

/// Reads a `.qext` file; a mashup becomes a [`Mashup`], other extension types are skipped.
pub(crate) fn read_qext(path: &Path, context: &IngestContext, out: &mut Collected) {
    let Some(qext) = context.read_json(path, out) else {
        return;
    };
    let is_mashup =
        json::str_field(&qext, "type").is_some_and(|t| t.eq_ignore_ascii_case("mashup"));
    if !is_mashup {
        return;
    }
    let name = json::non_empty(&qext, "name").unwrap_or_else(|| file_stem(path));
    let mut mashup = Mashup {
        id: derived_id("mashup", &[&context.relative(path)]),
        name,
        apis: Vec::new(),
        virtual_proxy_prefixes: Vec::new(),
        opens: Vec::new(),
        provenance: Provenance::file(path, InputFormat::Mashup),
    };
    let Some(folder) = path.parent() else {
        out.mashups.push(mashup);
        return;
    };
    let pages = walkdir::WalkDir::new(folder)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_page(entry.path()));
    for entry in pages {
        let page = entry.path();
        match text::read_limited(page, MAX_PAGE_BYTES) {
            Ok(bytes) => {
                let (source, _) = text::decode(&bytes, context.options.ansi);
                scan_page(page, &source, &mut mashup);
            }
            Err(problem) => out.problems.push(problem),
        }
    }
    mashup.apis.sort();
    mashup.apis.dedup();
    mashup.virtual_proxy_prefixes.sort();
    mashup.virtual_proxy_prefixes.dedup();
    out.mashups.push(mashup);
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_page(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "js" | "mjs" | "html" | "htm")
}

/// Markers of the Qlik APIs a page may load, matched in lower case.
const API_MARKERS: &[(&str, &str)] = &[
    ("resources/js/qlik", "capability-api"),
    ("\"js/qlik\"", "capability-api"),
    ("'js/qlik'", "capability-api"),
    ("qlik.openapp", "capability-api"),
    ("<qlik-embed", "qlik-embed"),
    ("qlik-embed-web-components", "qlik-embed"),
    ("enigma", "enigma.js"),
    ("@nebula.js", "nebula.js"),
    ("nucleus", "nebula.js"),
];

/// Adds what one page or script shows to `mashup`.
fn scan_page(path: &Path, source: &str, mashup: &mut Mashup) {
    let lower = source.to_ascii_lowercase();
    for (marker, api) in API_MARKERS {
        if lower.contains(marker) && !mashup.apis.iter().any(|a| a == api) {
            mashup.apis.push((*api).to_owned());
        }
    }
    for (number, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") || trimmed.starts_with('*') {
            continue;
        }
        let line_number = number as u32 + 1;
        for target in app_targets(line) {
            let column = line
                .find(&target)
                .map_or(1, |i| line[..i].chars().count() + 1);
            mashup.opens.push(MashupOpen {
                target,
                app_id: None,
                provenance: Provenance {
                    path: path.to_owned(),
                    format: InputFormat::Mashup,
                    line: Some(line_number),
                    column: Some(column as u32),
                },
            });
        }
        if let Some(prefix) = quoted_after(line, "prefix") {
            let prefix = prefix.trim_matches('/');
            if !prefix.is_empty() {
                mashup.virtual_proxy_prefixes.push(prefix.to_owned());
            }
        }
    }
}

/// Returns the app ids or names a line opens.
fn app_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for call in ["openApp", "openDoc"] {
        let mut rest = line;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            let Some(arguments) = rest.trim_start().strip_prefix('(') else {
                continue;
            };
            if let Some(target) = leading_string(arguments) {
                targets.push(target);
            }
        }
    }
    if let Some(target) = quoted_after(line, "app-id") {
        targets.push(target);
    }
    targets.retain(|t| !t.is_empty());
    targets
}

/// Returns the string literal that follows `key` and a `:` or `=`, as in `prefix: '/ticket/'`
/// or `app-id="…"`.
fn quoted_after(line: &str, key: &str) -> Option<String> {
    let at = line.find(key)?;
    let rest = line[at + key.len()..].trim_start();
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
    leading_string(rest)
}

/// Returns the value of a string literal at the start of `text`, after blanks.
fn leading_string(text: &str) -> Option<String> {
    let text = text.trim_start();
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = &text[1..];
    let end = body.find(quote)?;
    Some(body[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(source: &str) -> Mashup {
        let mut mashup = Mashup {
            id: "mashup:x".into(),
            name: "x".into(),
            apis: Vec::new(),
            virtual_proxy_prefixes: Vec::new(),
            opens: Vec::new(),
            provenance: Provenance::file("x.qext", InputFormat::Mashup),
        };
        scan_page(Path::new("x.js"), source, &mut mashup);
        mashup
    }

    #[test]
    fn capability_api_open_and_prefix_are_read() {
        let mashup = scan(
            "var config = {\n  host: window.location.hostname,\n  prefix: \"/ticket/\",\n};\n\
             require([\"js/qlik\"], function (qlik) {\n  var app = qlik.openApp('5f3a0c2e-1b7d-4e8a-9c61-0d2f4b8e7a13', config);\n});\n",
        );
        assert_eq!(mashup.apis, vec!["capability-api"]);
        assert_eq!(mashup.virtual_proxy_prefixes, vec!["ticket"]);
        assert_eq!(mashup.opens.len(), 1);
        assert_eq!(
            mashup.opens[0].target,
            "5f3a0c2e-1b7d-4e8a-9c61-0d2f4b8e7a13"
        );
        assert_eq!(mashup.opens[0].provenance.line, Some(6));
    }

    #[test]
    fn qlik_embed_app_id_is_read() {
        let mashup = scan(
            "<qlik-embed ui=\"analytics/sheet\" app-id=\"Sales.qvf\" object-id=\"abc\"></qlik-embed>\n",
        );
        assert_eq!(mashup.apis, vec!["qlik-embed"]);
        assert_eq!(mashup.opens[0].target, "Sales.qvf");
    }

    #[test]
    fn commented_open_is_skipped() {
        let mashup = scan("// qlik.openApp('Old.qvf', config);\n");
        assert!(mashup.opens.is_empty());
    }

    #[test]
    fn root_prefix_is_not_a_virtual_proxy() {
        let mashup = scan("var config = { prefix: '/' };\n");
        assert!(mashup.virtual_proxy_prefixes.is_empty());
    }
}
