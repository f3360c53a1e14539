//! The one escaping layer for every document roei writes. Record text is hostile until escaped:
//! every value that reaches HTML, SVG, Markdown or iCalendar output goes through exactly one of
//! these functions at the point where it is written.

/// Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates cannot occur
/// in a Rust `str`, U+FFFE/U+FFFF). They would make the SVG unparsable, so they become U+FFFD.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// HTML and XML (SVG) text and attribute values: `& < > " '` as entities, forbidden controls replaced.
pub fn html(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if forbidden_in_xml(c) => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Markdown inline text (list items, table cells). Renderers pass HTML through, so `& < >` become
/// entities; inline markup characters and the table separator `|` are backslash-escaped; line
/// breaks are flattened so a value can neither end a table row nor start a block; and a character
/// that would open a block at the start of a line (`# > - + =` or `1.`) is escaped as well.
pub fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    let flat: String = s
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            c if forbidden_in_xml(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    let trimmed = flat.trim_start();
    // Leading whitespace could make an indented code block; it carries no meaning in a value.
    let mut chars = trimmed.chars().peekable();
    if let Some(&c) = chars.peek() {
        if matches!(c, '#' | '-' | '+' | '=' | '~') {
            o.push('\\');
        } else if c.is_ascii_digit() {
            // "1. " or "1) " starts an ordered list.
            let digits: String = trimmed.chars().take_while(|d| d.is_ascii_digit()).collect();
            if matches!(
                trimmed[digits.len()..].chars().next(),
                Some('.') | Some(')')
            ) {
                o.push_str(&digits);
                o.push('\\');
                for _ in 0..digits.chars().count() {
                    chars.next();
                }
            }
        }
    }
    for c in chars {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '!' | '~' => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o
}

/// iCalendar TEXT (RFC 5545 §3.3.11): backslash, `;`, `,` and newlines escaped; other controls dropped.
pub fn ics_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    o.push_str("\\n");
                }
            }
            '\n' => o.push_str("\\n"),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#""><img src=x onerror=a('1')>&"#),
            "&quot;&gt;&lt;img src=x onerror=a(&#39;1&#39;)&gt;&amp;"
        );
        assert_eq!(html("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn md_escapes_html_and_block_starts() {
        assert_eq!(md("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(md("# title"), "\\# title");
        assert_eq!(md("  - item"), "\\- item");
        assert_eq!(md("12. twelve"), "12\\. twelve");
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(md("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(md("住民の氏名・住所"), "住民の氏名・住所");
    }

    #[test]
    fn ics_escapes_text() {
        assert_eq!(ics_text("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(ics_text("x\u{7}y"), "xy");
    }
}
