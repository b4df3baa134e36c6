//! Decodes arbitrary bytes and parses the text, checking that spans stay inside the text and on
//! character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qready_script::Span;

fuzz_target!(|data: &[u8]| {
    let decoded = qready_script::decode::decode(data, encoding_rs::WINDOWS_1252);
    let text = decoded.text.as_str();
    let script = qready_script::parse(text);
    for statement in &script.statements {
        check_span(text, statement.span);
        check_span(text, statement.keyword_span);
        for source in &statement.sources {
            check_span(text, source.span);
        }
        for function in &statement.functions {
            check_span(text, function.span);
        }
    }
    for diagnostic in &script.diagnostics {
        check_span(text, diagnostic.span);
    }
});

fn check_span(text: &str, span: Span) {
    assert!(
        span.start <= span.end,
        "span starts after its end: {span:?}"
    );
    assert!(
        span.end as usize <= text.len(),
        "span ends past the text: {span:?}"
    );
    assert!(
        text.is_char_boundary(span.start as usize),
        "span start inside a character: {span:?}"
    );
    assert!(
        text.is_char_boundary(span.end as usize),
        "span end inside a character: {span:?}"
    );
    assert!(span.line >= 1, "lines are 1-based: {span:?}");
    assert!(span.column >= 1, "columns are 1-based: {span:?}");
    assert!(
        (span.line, span.column) <= (span.end_line, span.end_column),
        "span end position before its start: {span:?}"
    );
}
