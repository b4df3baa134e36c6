//! Inline SVG charts: a donut, horizontal bars and wave lanes. Each chart scales to its
//! container through its `viewBox`, and every mark has a `<title>` for a tooltip.

use std::f64::consts::PI;
use std::fmt::Write as _;

use super::escape;
use crate::report::units;

/// One part of a donut or one bar.
pub struct Slice<'a> {
    pub label: &'a str,
    pub value: usize,
    pub color: &'a str,
}

/// Draws a donut chart with the total in the middle. Slices of zero draw nothing, so an empty
/// total draws only the grey ring.
pub fn donut(slices: &[Slice], caption: &str) -> String {
    const RADIUS: f64 = 70.0;
    const STROKE: f64 = 34.0;
    let circumference = 2.0 * PI * RADIUS;
    let total: usize = slices.iter().map(|s| s.value).sum();
    let mut svg = format!(
        "<svg class=\"chart donut\" viewBox=\"0 0 200 200\" role=\"img\" \
         aria-label=\"{}\"><g transform=\"rotate(-90 100 100)\">",
        escape(caption)
    );
    let _ = write!(
        svg,
        "<circle cx=\"100\" cy=\"100\" r=\"{RADIUS}\" fill=\"none\" stroke=\"#e6e8eb\" \
         stroke-width=\"{STROKE}\"/>"
    );
    let mut offset = 0.0;
    for slice in slices.iter().filter(|s| s.value > 0) {
        let length = circumference * slice.value as f64 / total as f64;
        let _ = write!(
            svg,
            "<circle cx=\"100\" cy=\"100\" r=\"{RADIUS}\" fill=\"none\" stroke=\"{}\" \
             stroke-width=\"{STROKE}\" stroke-dasharray=\"{length:.3} {:.3}\" \
             stroke-dashoffset=\"{:.3}\"><title>{}: {}</title></circle>",
            slice.color,
            circumference - length,
            -offset,
            escape(slice.label),
            slice.value
        );
        offset += length;
    }
    let _ = write!(
        svg,
        "</g><text x=\"100\" y=\"98\" text-anchor=\"middle\" class=\"donut-total\">{total}</text>\
         <text x=\"100\" y=\"120\" text-anchor=\"middle\" class=\"donut-caption\">{}</text></svg>",
        escape(caption)
    );
    svg
}

/// Horizontal bars, one per slice, with the label on the left and the value on the right,
/// followed by the singular or plural `unit`, such as `("app", "apps")`.
pub fn bars(slices: &[Slice], unit: (&str, &str)) -> String {
    // About the width of a chart panel, so that the 12 px text keeps its size on screen.
    const WIDTH: usize = 440;
    const ROW: usize = 30;
    const BAR: usize = 20;
    const MAX_LABEL_CHARS: usize = 26;
    if slices.is_empty() {
        return String::new();
    }
    let label_chars = slices
        .iter()
        .map(|s| s.label.chars().count().min(MAX_LABEL_CHARS))
        .max()
        .unwrap_or(0);
    // About 7 px per character at the 12 px font the stylesheet sets.
    let label_width = (label_chars * 7 + 12).clamp(60, 200);
    let value_width = 70;
    let bar_space = WIDTH - label_width - value_width;
    let max = slices.iter().map(|s| s.value).max().unwrap_or(0).max(1);

    let height = slices.len() * ROW + 6;
    let mut svg = format!(
        "<svg class=\"chart bars\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         preserveAspectRatio=\"xMinYMin meet\">"
    );
    for (index, slice) in slices.iter().enumerate() {
        let y = index * ROW + 4;
        let length = (bar_space as f64 * slice.value as f64 / max as f64).max(2.0);
        let label = truncate(slice.label, MAX_LABEL_CHARS);
        let value = units::count(slice.value, unit.0, unit.1);
        let _ = write!(
            svg,
            "<g><title>{}: {}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"bar-label\">{}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{length:.1}\" height=\"{BAR}\" rx=\"3\" \
             fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\" class=\"bar-value\">{}</text></g>",
            escape(slice.label),
            value,
            label_width - 8,
            y + 15,
            escape(&label),
            slice.color,
            label_width as f64 + length + 6.0,
            y + 15,
            value
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One wave: its title, a line under it, and its apps as coloured boxes.
pub struct Lane<'a> {
    pub title: String,
    pub subtitle: String,
    pub apps: Vec<LaneApp<'a>>,
}

/// An app box in a wave lane.
pub struct LaneApp<'a> {
    pub name: &'a str,
    pub color: &'a str,
    /// Tooltip text.
    pub detail: String,
}

/// Waves as lanes from top to bottom; each lane's apps wrap in rows of boxes, in move order.
pub fn lanes(lanes: &[Lane]) -> String {
    const WIDTH: usize = 960;
    const TITLE_WIDTH: usize = 150;
    const BOX_WIDTH: usize = 154;
    const BOX_HEIGHT: usize = 34;
    const GAP: usize = 8;
    const MAX_NAME_CHARS: usize = 20;
    let per_row = (WIDTH - TITLE_WIDTH) / (BOX_WIDTH + GAP);
    let mut body = String::new();
    let mut y = 6;
    for (index, lane) in lanes.iter().enumerate() {
        let rows = lane.apps.len().div_ceil(per_row).max(1);
        let lane_height = rows * (BOX_HEIGHT + GAP) + GAP;
        let shade = if index % 2 == 0 { "#f4f6f8" } else { "#ffffff" };
        let _ = write!(
            body,
            "<rect x=\"0\" y=\"{y}\" width=\"{WIDTH}\" height=\"{lane_height}\" fill=\"{shade}\"/>\
             <text x=\"10\" y=\"{}\" class=\"lane-title\">{}</text>\
             <text x=\"10\" y=\"{}\" class=\"lane-subtitle\">{}</text>",
            y + GAP + 14,
            escape(&lane.title),
            y + GAP + 30,
            escape(&lane.subtitle)
        );
        for (position, app) in lane.apps.iter().enumerate() {
            let x = TITLE_WIDTH + (position % per_row) * (BOX_WIDTH + GAP);
            let box_y = y + GAP + (position / per_row) * (BOX_HEIGHT + GAP);
            let _ = write!(
                body,
                "<g><title>{}</title><rect x=\"{x}\" y=\"{box_y}\" width=\"{BOX_WIDTH}\" \
                 height=\"{BOX_HEIGHT}\" rx=\"5\" fill=\"{}\"/>\
                 <text x=\"{}\" y=\"{}\" class=\"lane-app\">{}</text></g>",
                escape(&app.detail),
                app.color,
                x + 9,
                box_y + 22,
                escape(&truncate(app.name, MAX_NAME_CHARS))
            );
        }
        y += lane_height;
    }
    format!(
        "<svg class=\"chart lanes\" viewBox=\"0 0 {WIDTH} {}\" role=\"img\" \
         preserveAspectRatio=\"xMinYMin meet\">{body}</svg>",
        y + 6
    )
}

/// Cuts text to `max` characters, ending with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text.chars().count() > max => format!("{}…", &text[..end]),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_short_text() {
        assert_eq!(truncate("Sales", 20), "Sales");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }

    #[test]
    fn donut_draws_one_arc_per_nonzero_slice() {
        let slices = [
            Slice {
                label: "a",
                value: 2,
                color: "#000",
            },
            Slice {
                label: "b",
                value: 0,
                color: "#111",
            },
            Slice {
                label: "c",
                value: 1,
                color: "#222",
            },
        ];
        let svg = donut(&slices, "apps");
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
        assert!(svg.contains(">3</text>"));
    }

    #[test]
    fn bars_escape_labels() {
        let svg = bars(
            &[Slice {
                label: "<b>",
                value: 1,
                color: "#000",
            }],
            ("app", "apps"),
        );
        assert!(svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
    }
}
