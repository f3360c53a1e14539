//! HTML writer: one self-contained file (inline CSS, inline SVG, no scripts, no external resources)
//! with print CSS for A4, usable as the 書面 itself. Every piece of text goes through
//! [`escape::html`]; the only markup not built here is the timeline SVG, which escapes its own text.
use super::blocks::{blocks, missing_label, Block, Cell};
use super::escape::html as esc;
use super::{Lang, Report};

const CSS: &str = r#"
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
* { box-sizing: border-box; }
html { font-family: "IPAMincho", "IPA明朝", "Noto Serif CJK JP", "Hiragino Mincho ProN", "Yu Mincho", serif; font-size: 10.5pt; color: #000; }
body { margin: 0 auto; max-width: 178mm; padding: 8mm 0; line-height: 1.55; }
h1 { font-size: 17pt; text-align: center; letter-spacing: 0.2em; margin: 0 0 6mm; }
h2 { font-size: 12pt; border-bottom: 1.2pt solid #000; margin: 6mm 0 2mm; padding-bottom: 1mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 0.6pt solid #444; padding: 1.2mm 2mm; vertical-align: top; text-align: left; overflow-wrap: break-word; }
th { background: #eee; font-weight: bold; }
table.kv th { width: 24%; }
td.missing { color: #b00000; font-weight: bold; }
table.items td:nth-child(1) { width: 21%; }
table.items td:nth-child(3), table.items th:nth-child(3) { width: 3.6em; white-space: nowrap; }
table.items td:nth-child(n+3), table.items th:nth-child(n+3) { font-size: 8.5pt; }
table.items td:nth-child(4) { width: 15%; } table.items td:nth-child(5) { width: 11%; }
table.chrono td:nth-child(1) { width: 24%; font-size: 8.5pt; } table.chrono td:nth-child(2) { width: 20%; }
table.cites td { font-size: 9pt; } table.cites td:nth-child(1) { width: 19%; }
table.cites td:nth-child(3) { width: 17%; } table.cites td:nth-child(n+4) { width: 10%; }
td { word-break: normal; }
ul { margin: 0; padding-left: 5mm; }
figure { margin: 2mm 0 3mm; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #444; }
@media screen { body { padding: 12mm; } }
@media print { a { color: #000; text-decoration: none; } }
"#;

pub(crate) fn render(r: &Report, svg: Option<&str>) -> String {
    let lang = Lang::parse(r.lang).unwrap_or_default();
    let mut o = String::with_capacity(8192);
    o.push_str("<!DOCTYPE html>\n<html lang=\"");
    o.push_str(r.lang);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    // No scripts, no outside resources: the CSP says so to any browser that opens the file.
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    o.push_str("<meta name=\"generator\" content=\"roei\">\n<title>");
    o.push_str(&esc(&format!("{} {}", r.title, r.incident.id)));
    o.push_str("</title>\n<style>");
    o.push_str(CSS);
    o.push_str("</style>\n</head>\n<body>\n");
    write_blocks(&mut o, &blocks(r), lang, svg);
    o.push_str("<footer>");
    o.push_str(&esc(&format!(
        "{} {} · {} · sha256:{} · roei",
        r.incident.id, r.title, r.date.at, r.incident.head
    )));
    o.push_str("</footer>\n</body>\n</html>\n");
    o
}

/// Blocks as HTML, every string through [`esc`]; `svg` (trusted markup from
/// [`super::timeline_svg`]) goes where the [`Block::Timeline`] is (the drill debrief writes with this too).
pub(crate) fn write_blocks(o: &mut String, blocks: &[Block], lang: Lang, svg: Option<&str>) {
    for b in blocks {
        match b {
            Block::Title(s) => o.push_str(&format!("<h1>{}</h1>\n", esc(s))),
            Block::Heading(s) => o.push_str(&format!("<h2>{}</h2>\n", esc(s))),
            Block::Para(s) => o.push_str(&format!("<p>{}</p>\n", esc(s))),
            Block::Strong(s) => o.push_str(&format!("<p><strong>{}</strong></p>\n", esc(s))),
            Block::List(items) => {
                o.push_str("<ul>\n");
                for s in items {
                    o.push_str(&format!("<li>{}</li>\n", esc(s)));
                }
                o.push_str("</ul>\n");
            }
            Block::Table(class, head, rows) => {
                if head.is_empty() {
                    // Key-value table: the first cell of each row is its header.
                    o.push_str("<table class=\"kv\">\n");
                    for row in rows {
                        o.push_str("<tr>");
                        for (i, c) in row.iter().enumerate() {
                            let tag = if i == 0 { "th" } else { "td" };
                            o.push_str(&cell(tag, c, lang));
                        }
                        o.push_str("</tr>\n");
                    }
                } else {
                    o.push_str(&format!("<table class=\"{class}\">\n<thead><tr>"));
                    for h in head {
                        o.push_str(&format!("<th>{}</th>", esc(h)));
                    }
                    o.push_str("</tr></thead>\n<tbody>\n");
                    for row in rows {
                        o.push_str("<tr>");
                        for c in row {
                            o.push_str(&cell("td", c, lang));
                        }
                        o.push_str("</tr>\n");
                    }
                    o.push_str("</tbody>\n");
                }
                o.push_str("</table>\n");
            }
            Block::Timeline => {
                if let Some(svg) = svg {
                    o.push_str(&format!(
                        "<h2>{}</h2>\n<figure>\n",
                        esc(lang.pick("経過図", "Timeline",))
                    ));
                    o.push_str(svg);
                    o.push_str("\n</figure>\n");
                }
            }
        }
    }
}

fn cell(tag: &str, c: &Cell, lang: Lang) -> String {
    match c {
        Cell::Text(s) => format!("<{tag}>{}</{tag}>", esc(s)),
        Cell::Missing => format!(
            "<{tag} class=\"missing\">{}</{tag}>",
            esc(missing_label(lang))
        ),
    }
}
