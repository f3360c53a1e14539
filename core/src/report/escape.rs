//! The one escaping layer for every document roei writes. Record text is hostile until escaped:
//! every value that reaches HTML, SVG, Markdown, iCalendar or a terminal goes through exactly one of
//! these functions at the point where it is written.
//!
//! Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) reorder what a
//! reader sees (`e1\u{202E}kO` shows as `e1Ok`): every document writes them as a visible flag
//! `[U+202E]` instead, so an official report shows that the record holds one. A terminal gets the
//! same flag for every control character too ([`terminal`]): an id holding `ESC[2J` cannot clear
//! the screen and print a fake "ok".

/// Bidirectional formatting characters (Unicode UAX #9, explicit formatting and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The visible flag that stands for a control character: `[U+202E]`.
fn flag(o: &mut String, c: char) {
    o.push_str(&format!("[U+{:04X}]", c as u32));
}

/// Text for a terminal (one field: an id, a title, an error message): every control character
/// (C0 with newlines and tabs, DEL, C1, so every escape sequence) and every bidirectional control
/// is written as its visible flag `[U+001B]`.
pub fn terminal(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_bidi_control(c) {
            flag(&mut o, c);
        } else {
            o.push(c);
        }
    }
    o
}

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
            c if is_bidi_control(c) => flag(&mut o, c),
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
            c if is_bidi_control(c) => {
                o.push('\\');
                flag(&mut o, c);
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
            c if is_bidi_control(c) => flag(&mut o, c),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_control_characters_are_flagged_visibly() {
        let id = "e1\u{202E}kO\u{1b}[2J\nok";
        assert_eq!(terminal(id), "e1[U+202E]kO[U+001B][2J[U+000A]ok");
        assert_eq!(html("a\u{2066}b"), "a[U+2066]b");
        assert_eq!(ics_text("a\u{202E}b"), "a[U+202E]b");
        assert!(md("a\u{202E}b").contains("[U+202E]"));
        assert!(!md("a\u{202E}b").contains('\u{202E}'));
    }

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
