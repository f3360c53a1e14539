//! Markdown writer. Every piece of text goes through [`escape::md`]: record text rendered as
//! Markdown must stay text, never become HTML or markup.
use super::blocks::{blocks, missing_label, Block, Cell};
use super::escape;
use super::{Lang, Report};

pub(crate) fn render(r: &Report) -> String {
    write_blocks(&blocks(r), Lang::parse(r.lang).unwrap_or_default())
}

/// Blocks as Markdown, every string through [`escape::md`] (the drill debrief writes with this too).
pub(crate) fn write_blocks(blocks: &[Block], lang: Lang) -> String {
    let cell = |c: &Cell| match c {
        Cell::Text(s) if s.is_empty() => String::new(),
        Cell::Text(s) => escape::md(s),
        Cell::Missing => format!("**{}**", escape::md(missing_label(lang))),
    };
    let mut o = String::new();
    for b in blocks {
        match b {
            Block::Title(s) => o.push_str(&format!("# {}\n\n", escape::md(s))),
            Block::Heading(s) => o.push_str(&format!("## {}\n\n", escape::md(s))),
            Block::Para(s) => o.push_str(&format!("{}\n\n", escape::md(s))),
            Block::Strong(s) => o.push_str(&format!("**{}**\n\n", escape::md(s))),
            Block::List(items) => {
                for s in items {
                    o.push_str(&format!("- {}\n", escape::md(s)));
                }
                o.push('\n');
            }
            Block::Table(_, head, rows) => {
                let n = rows
                    .first()
                    .map(Vec::len)
                    .unwrap_or(head.len())
                    .max(head.len());
                // A key-value table has no header row in the document; Markdown needs one.
                let head: Vec<String> = if head.is_empty() {
                    vec![String::new(); n]
                } else {
                    head.iter().map(|h| escape::md(h)).collect()
                };
                o.push_str(&format!("| {} |\n", head.join(" | ")));
                o.push_str(&format!("|{}\n", "---|".repeat(n)));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(cell).collect();
                    o.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                o.push('\n');
            }
            Block::Timeline => {}
        }
    }
    o
}
