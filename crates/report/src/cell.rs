//! Names in table cells: at most [`MAX_NAME_CHARS`] characters, longer ones cut with an ellipsis, so a
//! table costs time linear in its input (the table layout measures and wraps every cell) and stays
//! readable; CSV and JSON keep names whole.

/// The longest name a table cell shows whole.
pub const MAX_NAME_CHARS: usize = 48;

/// `name` as a table shows it: whole, or its first `MAX_NAME_CHARS − 1` characters and `…`. Control
/// characters (a quoted name may hold line breaks) are shown as spaces so a name stays on one line.
pub fn name_cell(name: &str) -> String {
    let mut shown: String = name
        .chars()
        .take(MAX_NAME_CHARS + 1)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if shown.chars().count() > MAX_NAME_CHARS {
        shown = shown.chars().take(MAX_NAME_CHARS - 1).collect();
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(name_cell("conv1"), "conv1");
        let long = "x".repeat(10_000_000);
        let shown = name_cell(&long);
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with('…'));
        assert_eq!(
            name_cell(&"é".repeat(MAX_NAME_CHARS)),
            "é".repeat(MAX_NAME_CHARS)
        );
        assert_eq!(name_cell("a\nb"), "a b");
    }
}
