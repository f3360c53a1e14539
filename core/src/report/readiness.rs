//! The readiness check: the standing duties (stage `prepare`) of one or more profiles as a checklist
//! with clause citations — the emergency plan and its elements, reporting procedures and lines,
//! drills. Owed before any incident, so it needs no record.
use serde::Serialize;

use super::escape;
use super::from_record::source_of;
use super::{Format, Lang};
use crate::catalog::Catalog;
use crate::error::Error;

/// The `format` of a readiness checklist as data.
pub const READINESS_FORMAT: &str = "roei/readiness@1";

#[derive(Debug, Clone, Serialize)]
/// `roei/readiness@1`: the standing duties of some profiles, as a checklist.
pub struct Readiness {
    /// Always `roei/readiness@1`.
    pub format: &'static str,
    /// The language of the texts (`ja` or `en`).
    pub lang: &'static str,
    /// One entry per profile asked for.
    pub profiles: Vec<ProfileDuties>,
}

#[derive(Debug, Clone, Serialize)]
/// The standing duties of one profile.
pub struct ProfileDuties {
    /// The profile id.
    pub profile: String,
    /// Who issued it (the municipality, or the law's authority).
    pub issuer: String,
    /// The title of the document.
    pub title: String,
    /// Where it comes from (seed document or law).
    pub source: String,
    /// Its duties of stage `prepare`.
    pub duties: Vec<Duty>,
}

#[derive(Debug, Clone, Serialize)]
/// One standing duty.
pub struct Duty {
    /// The clause id.
    pub clause: String,
    /// The article (第N条第M項).
    pub article: String,
    /// Who owes it.
    pub owed_by: String,
    /// The clause's time word.
    pub legal_term: String,
    /// What it asks.
    pub summary: String,
    /// The parts the duty must cover (the emergency plan's five elements, …): one checkbox each.
    pub elements: Vec<String>,
    /// The seed's wording.
    pub text: String,
}

/// The checklist data for `profiles` (ids); an unknown id is an error naming its position.
pub fn readiness_data(profiles: &[String], lang: Lang) -> Result<Readiness, Error> {
    let cat = Catalog::builtin();
    let mut errs = Vec::new();
    let mut out = Vec::new();
    if profiles.is_empty() {
        errs.push(Error::Missing {
            path: "PROFILE".into(),
            field: "PROFILE".into(),
            clause: None,
        });
    }
    for (i, id) in profiles.iter().enumerate() {
        let Some(p) = cat.profile(id) else {
            errs.push(cat.unknown_profile(format!("PROFILE[{i}]"), id, None));
            continue;
        };
        out.push(ProfileDuties {
            profile: p.id.to_string(),
            issuer: p.issuer.in_lang(lang).to_string(),
            title: p.title.to_string(),
            source: source_of(p, lang),
            duties: p
                .standing_clauses()
                .map(|c| Duty {
                    clause: c.id.to_string(),
                    article: c.article.to_string(),
                    owed_by: c.owed_by.label(lang).to_string(),
                    legal_term: c.legal_term.to_string(),
                    summary: c.summary.in_lang(lang).to_string(),
                    elements: c.elements.iter().map(|e| e.to_string()).collect(),
                    text: c.text.to_string(),
                })
                .collect(),
        });
    }
    Error::from_list(errs)?;
    Ok(Readiness {
        format: READINESS_FORMAT,
        lang: lang.key(),
        profiles: out,
    })
}

/// The checklist as text in `format`.
pub fn readiness(profiles: &[String], lang: Lang, format: Format) -> Result<String, Error> {
    let r = readiness_data(profiles, lang)?;
    let title = lang.pick("平時の備え 点検表", "Readiness checklist");
    let none = lang.pick(
        "この定めには平時の義務（stage prepare）がありません。",
        "These provisions define no standing duties (stage prepare).",
    );
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&r).map_err(|e| Error::Invalid {
            path: String::new(),
            message: e.to_string(),
            clause: None,
        })?,
        Format::Md => {
            let m = escape::md;
            let mut o = format!("# {}\n\n", m(title));
            for p in &r.profiles {
                o.push_str(&format!(
                    "## {} — {}\n\n{}\n\n",
                    m(&p.profile),
                    m(&p.issuer),
                    m(&p.source)
                ));
                if p.duties.is_empty() {
                    o.push_str(&format!("{}\n\n", m(none)));
                }
                for d in &p.duties {
                    o.push_str(&format!(
                        "- [ ] **{}** {} — {}（{}：{}）\n",
                        m(&d.clause),
                        m(&d.article),
                        m(&d.summary),
                        m(&d.owed_by),
                        m(&d.legal_term)
                    ));
                    for e in &d.elements {
                        o.push_str(&format!("    - [ ] {}\n", m(e)));
                    }
                    o.push_str(&format!("\n    {}\n\n", m(&format!("「{}」", d.text))));
                }
            }
            o
        }
        Format::Html => {
            let h = escape::html;
            let mut o = String::from("<!DOCTYPE html>\n<html lang=\"");
            o.push_str(r.lang);
            o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
            o.push_str(&h(title));
            o.push_str("</title>\n<style>@page { size: A4; margin: 18mm 16mm; } html { font-family: \"IPAMincho\", \"Noto Serif CJK JP\", serif; font-size: 10.5pt; } body { max-width: 178mm; margin: 0 auto; line-height: 1.55; } h1 { text-align: center; font-size: 16pt; } h2 { font-size: 12pt; border-bottom: 1pt solid #000; } ul { list-style: none; padding-left: 0; } li li { margin-left: 7mm; } .box { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.7pt solid #000; margin-right: 2mm; vertical-align: -0.4mm; } blockquote { margin: 1mm 0 3mm 7mm; font-size: 9pt; color: #333; } li { page-break-inside: avoid; }</style>\n</head>\n<body>\n");
            o.push_str(&format!("<h1>{}</h1>\n", h(title)));
            for p in &r.profiles {
                o.push_str(&format!(
                    "<h2>{} — {}</h2>\n<p>{}</p>\n",
                    h(&p.profile),
                    h(&p.issuer),
                    h(&p.source)
                ));
                if p.duties.is_empty() {
                    o.push_str(&format!("<p>{}</p>\n", h(none)));
                    continue;
                }
                o.push_str("<ul>\n");
                for d in &p.duties {
                    o.push_str(&format!(
                        "<li><span class=\"box\"></span><strong>{}</strong> {} — {}（{}：{}）",
                        h(&d.clause),
                        h(&d.article),
                        h(&d.summary),
                        h(&d.owed_by),
                        h(&d.legal_term)
                    ));
                    if !d.elements.is_empty() {
                        o.push_str("<ul>");
                        for e in &d.elements {
                            o.push_str(&format!("<li><span class=\"box\"></span>{}</li>", h(e)));
                        }
                        o.push_str("</ul>");
                    }
                    o.push_str(&format!(
                        "<blockquote>「{}」</blockquote></li>\n",
                        h(&d.text)
                    ));
                }
                o.push_str("</ul>\n");
            }
            o.push_str("</body>\n</html>\n");
            o
        }
    })
}
