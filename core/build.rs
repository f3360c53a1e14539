//! Embeds the clause catalog. Every `data/profiles/*.toml` becomes:
//! - `catalog.rs`: the profiles as a Rust `static` (`BUILTIN`), so the library neither parses nor
//!   carries a catalog reader at run time (see `src/static_or_owned.rs` for why);
//! - `catalog.json`: the same profiles as JSON, which the tests validate with `Catalog::from_json`
//!   (unknown fields, dangling references, duplicate ids) and compare with the static.
//!
//! Adding a municipality is adding a file here; no Rust changes. The schema below mirrors the types
//! in `src/catalog.rs`: a field missing from it or of the wrong kind is a compile error in the
//! generated code, and a key in a TOML file that it does not know fails the build, naming the file.
use std::fmt::Write as _;
use std::{env, fs, path::Path};

use serde_json::Value;

/// How a field is written in Rust.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    U32,
    U64,
    /// A closed vocabulary: `"ppc_final"` becomes `crate::vocab::Stage::PpcFinal`.
    Enum(&'static str),
    Struct(&'static str),
    Opt(&'static Kind),
    List(&'static Kind),
    /// String keys to values, in key order.
    Map(&'static Kind),
}

use Kind::*;

/// Whether a field may be absent (serde's `default`, or an `Option`).
const REQ: bool = true;
const OPT: bool = false;

type Fields = &'static [(&'static str, Kind, bool)];

fn schema(name: &str) -> Fields {
    const STR: Kind = Str;
    const TEXT: Kind = Struct("Text");
    match name {
        "Profile" => &[
            ("id", Str, REQ),
            ("kind", Enum("crate::catalog::ProfileKind"), REQ),
            ("issuer", TEXT, REQ),
            ("title", Str, REQ),
            ("seed", Opt(&STR), OPT),
            ("source", Opt(&STR), OPT),
            ("parties", Opt(&Struct("Parties")), OPT),
            ("national", List(&STR), OPT),
            ("scope", Struct("Scope"), REQ),
            ("conditions", Map(&Struct("Condition")), OPT),
            ("variants", List(&Struct("Variant")), OPT),
            ("clauses", List(&Struct("Clause")), REQ),
        ],
        "Text" => &[("ja", Str, REQ), ("en", Str, REQ)],
        "Parties" => &[("contractor", Str, REQ), ("principal", Str, REQ)],
        "Scope" => &[
            ("clause", Str, REQ),
            ("kinds", List(&Enum("crate::vocab::IncidentKind")), REQ),
            ("signs", Bool, REQ),
            ("regardless_of_fault", Bool, OPT),
        ],
        "Predicate" => &[
            ("fact", Enum("crate::vocab::Fact"), REQ),
            ("gt", Opt(&U64), OPT),
            ("absent_is_false", Bool, OPT),
        ],
        "Condition" => &[
            ("clause", Str, REQ),
            ("all", List(&Struct("Predicate")), OPT),
            ("any", List(&Struct("Predicate")), OPT),
            ("none", List(&Struct("Predicate")), OPT),
            ("any_of", List(&STR), OPT),
        ],
        "DaysIf" => &[
            ("fact", Enum("crate::vocab::Fact"), REQ),
            ("days", U32, REQ),
        ],
        "DoneBy" => &[
            ("event", Enum("crate::vocab::EventType"), REQ),
            ("by", Opt(&Enum("crate::vocab::Party")), OPT),
            ("also", List(&Enum("crate::vocab::EventType")), OPT),
        ],
        "Variant" => &[("id", Str, REQ), ("ja", Str, REQ), ("en", Str, REQ)],
        "Clause" => &[
            ("id", Str, REQ),
            ("obligation", Opt(&STR), OPT),
            ("article", Str, REQ),
            ("stage", Enum("crate::vocab::Stage"), REQ),
            ("owed_by", Enum("crate::vocab::Party"), REQ),
            ("jointly_with", Opt(&Enum("crate::vocab::Party")), OPT),
            ("owed_to", Enum("crate::vocab::Party"), REQ),
            ("trigger", Enum("crate::vocab::Trigger"), REQ),
            ("applies_if", Opt(&STR), OPT),
            ("term", Enum("crate::vocab::Term"), REQ),
            ("legal_term", Str, REQ),
            ("days", Opt(&U32), OPT),
            ("days_if", List(&Struct("DaysIf")), OPT),
            ("written", Bool, OPT),
            ("fields", List(&Enum("crate::vocab::FieldKey")), OPT),
            ("contents", List(&Enum("crate::vocab::FieldKey")), OPT),
            ("elements", List(&STR), OPT),
            ("done_by", Opt(&Struct("DoneBy")), OPT),
            ("after", List(&STR), OPT),
            ("omittable", Bool, OPT),
            ("basis", Opt(&Enum("crate::vocab::Basis")), OPT),
            ("summary", TEXT, REQ),
            ("text", Str, REQ),
        ],
        other => panic!("no schema for {other}"),
    }
}

/// `ppc_final` → `PpcFinal` (the vocabularies' variants are their keys in camel case).
fn variant(key: &str) -> String {
    key.split(['_', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust type of a value of `kind`.
fn rust_type(kind: Kind) -> String {
    match kind {
        Str => "Str".into(),
        Bool => "bool".into(),
        U32 => "u32".into(),
        U64 => "u64".into(),
        Enum(path) => path.into(),
        Struct(name) => name.into(),
        Opt(k) => format!("Option<{}>", rust_type(*k)),
        List(k) => format!("List<{}>", rust_type(*k)),
        Map(k) => format!("Map<{}>", rust_type(*k)),
    }
}

/// Arrays go into statics of their own: a `&[…]` of values with a destructor (`Cow`) is not
/// promoted to `'static` inside an initializer, a named static is.
struct Out {
    statics: String,
    n: usize,
}

impl Out {
    fn hoist(&mut self, elem: String, len: usize, items: String) -> String {
        self.n += 1;
        let name = format!("A{}", self.n);
        writeln!(self.statics, "static {name}: [{elem}; {len}] = [{items}];").unwrap();
        name
    }
}

fn emit(out: &mut String, v: &Value, kind: Kind, at: &str, hoisted: &mut Out) {
    let bad = |what: &str| -> ! { panic!("{at}: expected {what}, found {v}") };
    match kind {
        Str => {
            let s = v.as_str().unwrap_or_else(|| bad("a string"));
            write!(out, "Str::new({s:?})").unwrap();
        }
        Bool => write!(
            out,
            "{}",
            v.as_bool().unwrap_or_else(|| bad("true or false"))
        )
        .unwrap(),
        U32 => {
            let n = v.as_u64().filter(|n| *n <= u32::MAX as u64);
            write!(out, "{}", n.unwrap_or_else(|| bad("a whole number"))).unwrap()
        }
        U64 => write!(
            out,
            "{}",
            v.as_u64().unwrap_or_else(|| bad("a whole number"))
        )
        .unwrap(),
        Enum(path) => {
            let key = v.as_str().unwrap_or_else(|| bad("a key"));
            write!(out, "{path}::{}", variant(key)).unwrap();
        }
        Opt(inner) => {
            if v.is_null() {
                out.push_str("None");
            } else {
                out.push_str("Some(");
                emit(out, v, *inner, at, hoisted);
                out.push(')');
            }
        }
        List(inner) => {
            let items = v.as_array().unwrap_or_else(|| bad("a list"));
            if items.is_empty() {
                out.push_str("List::new(&[])");
                return;
            }
            let mut body = String::new();
            for (i, x) in items.iter().enumerate() {
                emit(&mut body, x, *inner, &format!("{at}[{i}]"), hoisted);
                body.push(',');
            }
            let name = hoisted.hoist(rust_type(*inner), items.len(), body);
            write!(out, "List::new(&{name})").unwrap();
        }
        Map(inner) => {
            let m = v.as_object().unwrap_or_else(|| bad("a table"));
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            if keys.is_empty() {
                out.push_str("Map::new(&[])");
                return;
            }
            let mut body = String::new();
            for k in &keys {
                write!(body, "(Str::new({k:?}),").unwrap();
                emit(&mut body, &m[*k], *inner, &format!("{at}.{k}"), hoisted);
                body.push_str("),");
            }
            let elem = format!("(Str, {})", rust_type(*inner));
            let name = hoisted.hoist(elem, keys.len(), body);
            write!(out, "Map::new(&{name})").unwrap();
        }
        Struct(name) => {
            let m = v.as_object().unwrap_or_else(|| bad("a table"));
            let fields = schema(name);
            for k in m.keys() {
                if !fields.iter().any(|(f, _, _)| f == k) {
                    panic!("{at}: unknown field '{k}' in {name}");
                }
            }
            write!(out, "{name} {{").unwrap();
            for (f, kind, required) in fields {
                write!(out, "{f}:").unwrap();
                match m.get(*f) {
                    Some(x) => emit(out, x, *kind, &format!("{at}.{f}"), hoisted),
                    None if *required => panic!("{at}: missing field '{f}' in {name}"),
                    None => match kind {
                        Opt(_) => out.push_str("None"),
                        List(_) => out.push_str("List::new(&[])"),
                        Map(_) => out.push_str("Map::new(&[])"),
                        Bool => out.push_str("false"),
                        _ => panic!("{at}: '{f}' has no default"),
                    },
                }
                out.push(',');
            }
            out.push('}');
        }
    }
}

fn main() {
    let dir = Path::new("data/profiles");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("core/data/profiles exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    let mut hoisted = Out {
        statics: String::new(),
        n: 0,
    };
    let mut items = String::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: invalid TOML: {e}", f.display()));
        let json = serde_json::to_value(value).expect("TOML maps to JSON");
        emit(
            &mut items,
            &json,
            Struct("Profile"),
            &f.display().to_string(),
            &mut hoisted,
        );
        items.push_str(",\n");
        profiles.push(json);
    }
    let profiles_static = hoisted.hoist("Profile".into(), files.len(), items);
    let code = format!(
        "// Generated by core/build.rs from core/data/profiles/*.toml.\n{}\n\
         static BUILTIN: Catalog = Catalog {{ profiles: List::new(&{profiles_static}) }};\n",
        hoisted.statics
    );
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out.join("catalog.rs"), code).unwrap();
    fs::write(
        out.join("catalog.json"),
        serde_json::to_string(&profiles).unwrap(),
    )
    .unwrap();
}
