//! Numbers as people read them: durations, byte sizes.

/// Formats minutes as `45 min`, `2 h` or `3 h 15 min`.
pub fn minutes(total: u32) -> String {
    let (hours, rest) = (total / 60, total % 60);
    match (hours, rest) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// Formats a count with the singular or plural noun, such as `1 app` or `3 apps`.
pub fn count(value: usize, singular: &str, plural: &str) -> String {
    if value == 1 {
        format!("1 {singular}")
    } else {
        format!("{value} {plural}")
    }
}

/// Formats a byte count with a decimal unit (kB = 1000 bytes), such as `104.9 MB`.
pub fn bytes(count: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if count < 1000 {
        return format!("{count} B");
    }
    let mut value = count as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Formats an optional byte count, `-` when unknown.
pub fn optional_bytes(count: Option<u64>) -> String {
    count.map_or_else(|| "-".to_owned(), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_split_into_hours() {
        assert_eq!(minutes(45), "45 min");
        assert_eq!(minutes(120), "2 h");
        assert_eq!(minutes(195), "3 h 15 min");
    }

    #[test]
    fn count_picks_singular_for_one() {
        assert_eq!(count(1, "app", "apps"), "1 app");
        assert_eq!(count(0, "app", "apps"), "0 apps");
    }

    #[test]
    fn bytes_use_decimal_units() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(104_857_600), "104.9 MB");
        assert_eq!(bytes(2_000_000_000), "2.0 GB");
    }
}
