// Builds the two elements as one file each, beside the engine in the package:
// - wasm/pkg/roei-incident.js: web-demo/roei-incident.js with what it imports put in place (its own
//   modules web-demo/roei-*.js, the catalog data of wasm/pkg/roei_catalog.js) and the text of
//   web-demo/roei-incident.css;
// - wasm/pkg/roei-drill.js (package export "roei/drill-widget"): web-demo/roei-drill.js with its own
//   modules put in place; its stylesheets (roei-incident.css, roei-drill.css, roei-drill-debrief.css)
//   are copied beside it, where it links them from.
// So a portal copies one folder and adds one script tag; one request instead of four before
// the widget can draw (each a round trip on a slow network). Not minified: municipal IT reviewing
// what runs in their portal reads the source's code, line for line, only without its comment lines.
// Run by scripts/build-wasm.sh after gen-catalog.mjs. Every substitution must match exactly once, so
// a change to the source that this build does not know about stops it.
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (p) => readFileSync(join(ROOT, p), "utf8");

let source = "web-demo/roei-incident.js";
let src = read(source);
function replace(what, by) {
  const n = src.split(what).length - 1;
  if (n !== 1) throw new Error(`build-widget: expected "${what}" once in ${source}, found it ${n} times`);
  src = src.replace(what, () => by);
}

// Each of the widget's own modules (DOM helpers, store, …) in place of its import, its exports made
// plain declarations. A module is put in once, where it is first imported; a module the inlined one
// imports is put in before it.
let inlined = new Set();
function inline(text) {
  return text.replace(/^import \{([^}]*)\} from "\.\/(roei-[a-z-]+\.js)";\n/gm, (_, names, file) => {
    // `import { A as B }`: B is declared after the module as A.
    const aliases = names.split(",").map((n) => n.trim().split(/\s+as\s+/)).filter((n) => n.length === 2)
      .map(([from, to]) => `const ${to} = ${from};\n`).join("");
    if (inlined.has(file)) return aliases;
    inlined.add(file);
    const body = inline(read(`web-demo/${file}`)).replace(/^export /gm, "");
    return `// ---- web-demo/${file} ----\n${body}// ---- end of ${file} ----\n${aliases}`;
  });
}
src = inline(src);
for (const need of ["roei-dom.js", "roei-store.js", "roei-wasm.js", "roei-incident-strings.js"]) if (!inlined.has(need)) throw new Error(`build-widget: ${need} was not inlined`);

// Of the profiles, those the registration form lists (the contracts; the national ones apply by law,
// not by choice) with the fields it reads.
const catalog = await import(join(ROOT, "wasm", "pkg", "roei_catalog.js"));
const profiles = catalog.profiles.filter((p) => p.kind === "contract").map(({ id, kind, issuer, title }) => ({ id, kind, issuer, title }));
// Of the labels, those the registration form uses (drawn before the engine loads); the element takes
// every label from the engine once it has loaded. Each vocabulary's labels are 0.2–0.6 KB gzip.
const { actor, incident_kind } = catalog.labels;
replace('import { labels as LABELS, profiles as PROFILES } from "./pkg/roei_catalog.js";\n',
  `const LABELS = ${JSON.stringify({ actor, incident_kind })};\nconst PROFILES = ${JSON.stringify(profiles)};\n`);
// The engine's files sit beside the built widget.
replace('const PKG = new URL("./pkg/", import.meta.url);', 'const PKG = new URL("./", import.meta.url);'); // in roei-wasm.js
// The stylesheet without its comments (they are in the source).
const css = read("web-demo/roei-incident.css").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\n\s*\n/g, "\n");
replace("const CSS_TEXT = null;", `const CSS_TEXT = ${JSON.stringify(css)};`);
finish("roei-incident.js", "<roei-incident>", "roei-incident.css and the catalog data");

// <roei-drill>: its modules in place, the engine's files beside it; it links its stylesheets.
source = "web-demo/roei-drill.js";
src = read(source);
inlined = new Set();
src = inline(src);
for (const need of ["roei-dom.js", "roei-store.js", "roei-wasm.js", "roei-drill-strings.js"]) if (!inlined.has(need)) throw new Error(`build-widget: ${need} was not inlined in roei-drill.js`);
replace('const PKG = new URL("./pkg/", import.meta.url);', 'const PKG = new URL("./", import.meta.url);'); // in roei-wasm.js
for (const css of ["roei-incident.css", "roei-drill.css", "roei-drill-debrief.css"]) copyFileSync(join(ROOT, "web-demo", css), join(ROOT, "wasm", "pkg", css));
finish("roei-drill.js", "<roei-drill>", "its stylesheets copied beside it");

/** Checks the built `src` has no import left, drops whole-line comments, writes wasm/pkg/NAME and parses it. */
function finish(name, element, more) {
  if (/^\s*(import|export)\s.*\sfrom\s/m.test(src)) throw new Error(`build-widget: an import is left in the built ${name}`);
  // Comments that fill whole lines go (they are in the source, and they are a tenth of the gzip size);
  // the code stays as written, line for line. No multi-line template or string literal in the source
  // has a line that starts like a comment; `node --check` below would catch one cut in half.
  src = src.replace(/^[ \t]*\/\*[\s\S]*?\*\/[ \t]*\n/gm, "").replace(/^[ \t]*\/\/.*\n/gm, "");
  const head = `// ${element}, built by scripts/build-widget.mjs from ${source}, the modules it\n// imports (web-demo/roei-*.js), ${more}; edit those, not this file.\n`;
  const out = join(ROOT, "wasm", "pkg", name);
  writeFileSync(out, head + src);
  const check = spawnSync(process.execPath, ["--check", out], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`build-widget: the built ${name} does not parse:\n${check.stderr}`);
  console.log(`== build-widget: wasm/pkg/${name}, ${Buffer.byteLength(head + src)} bytes`);
}

// The modules <roei-incident> fetches only when it needs them, each with the modules it imports put in
// (the DOM helpers; for the shared record's store, the browser store's module, for StoreConflict):
// its document tools and incident list on first use, the shared record's store with an `endpoint`. And its
// boot script, which a page may load first (the saved record's read, roei-store-read.js, put in): a
// plain script, so its names are kept inside one function (strict, as a module's would be).
for (const [file, what, more, script] of [
  ["roei-incident-print.js", "document tools (preview, print view, ICS, timeline)", "fetched by the widget on first use", false],
  ["roei-incident-list.js", "incident list", "fetched by the widget on first use", false],
  ["roei-remote-store.js", "shared-record store", "fetched by the widget when it has an endpoint", false],
  ["roei-incident-boot.js", "boot script", "an optional plain script tag first in the page's head", true],
]) {
  source = `web-demo/${file}`;
  inlined = new Set();
  src = inline(read(source));
  if (script) src = `(() => {\n"use strict";\n${src}})();\n`;
  finish(file, `<roei-incident>'s ${what}`, more);
}

// The English strings of <roei-incident>, fetched by it (beside it) only when it shows English.
writeFileSync(join(ROOT, "wasm", "pkg", "roei-incident-strings-en.js"), read("web-demo/roei-incident-strings-en.js").replace(/^[ \t]*\/\/.*\n/gm, ""));

// The custom-elements manifest of what the package holds: both elements, at their built paths.
const manifest = JSON.parse(read("web-demo/custom-elements.json"));
manifest.modules = manifest.modules.filter((m) => m.path === "roei-incident.js" || m.path === "roei-drill.js");
writeFileSync(join(ROOT, "wasm", "pkg", "custom-elements.json"), `${JSON.stringify(manifest, null, 2)}\n`);
