// The custom elements are made of small modules (issue 16, point 10): one WASM loader and one store
// shared by <roei-incident> and <roei-drill>, UI strings in their own files, and a custom-elements
// manifest that names every attribute the elements observe or reflect.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

const src = (f) => readFileSync(join(ROOT, "web-demo", f), "utf8");
const ELEMENTS = { "roei-incident.js": "roei-incident-strings.js", "roei-drill.js": "roei-drill-strings.js" };

test("both elements load WebAssembly through roei-wasm.js and keep data through roei-store.js", () => {
  assert.match(src("roei-wasm.js"), /export function loadModule\(/);
  for (const f of Object.keys(ELEMENTS)) {
    const s = src(f).replace(/^\s*(\/\/|\/?\*).*$/gm, "");
    assert.match(s, /^import \{ loadModule \} from "\.\/roei-wasm\.js";$/m, `${f} imports the shared loader`);
    assert.match(s, /^import \{[^}]*\} from "\.\/roei-store\.js";$/m, `${f} imports the shared store`);
    assert.doesNotMatch(s, /glue\.default\(|\.wasm["`]/, `${f} has no loader of its own`);
    assert.doesNotMatch(s, /localStorage\.|indexedDB\./, `${f} touches no storage itself`);
  }
});

test("UI strings live in their own files", () => {
  for (const [f, strings] of Object.entries(ELEMENTS)) {
    assert.match(src(strings), /^export const STRINGS = \{$/m);
    assert.match(src(f), new RegExp(`from "\\./${strings.replace(".", "\\.")}";`));
    // No Japanese UI sentence left in the element (labels come from STRINGS or the core).
    const code = src(f).replace(/^\s*\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    const ja = code.match(/"[^"\n${}()`]*[\u3040-\u30ff\u4e00-\u9fff][^"\n${}()`]*"/g) ?? [];
    assert.deepEqual(ja.filter((s) => s.length > 6), [], `${f}: strings outside ${strings}`);
  }
});

test("the manifest describes every element: tag, class, observed and reflected attributes, events", () => {
  const manifest = JSON.parse(src("custom-elements.json"));
  assert.equal(manifest.schemaVersion, "1.0.0");
  for (const [file, tag, cls, events] of [["roei-incident.js", "roei-incident", "RoeiIncidentElement", ["roei-ready", "roei-change"]],
    ["roei-drill.js", "roei-drill", "RoeiDrillElement", ["roei-ready", "roei-drill-end"]]]) {
    const m = manifest.modules.find((x) => x.path === file);
    const d = m.declarations.find((x) => x.customElement);
    assert.equal(d.tagName, tag);
    assert.equal(d.name, cls);
    const s = src(file);
    assert.match(s, new RegExp(`^export class ${cls} extends HTMLElement \\{$`, "m"));
    assert.match(s, new RegExp(`^${cls}\\.define\\(\\);$`, "m"));
    assert.deepEqual(d.events.map((e) => e.name), events);
    for (const e of d.events) assert.ok(s.includes(`new ${e.type.text}(`) || src("roei-dom.js").includes(`class ${e.type.text} `), `${e.type.text} is a class`);
    for (const a of d.attributes) {
      if (!a.fieldName) continue;
      assert.match(s, new RegExp(`get ${a.fieldName}\\(\\) \\{ return this\\.getAttribute\\("${a.name}"\\)`), `${tag} reflects ${a.name}`);
      assert.match(s, new RegExp(`set ${a.fieldName}\\(v\\)`), `${tag} sets ${a.name}`);
    }
    const observed = s.match(/static observedAttributes = (\[[^\]]*\])/)[1];
    for (const a of JSON.parse(observed)) assert.ok(d.attributes.some((x) => x.name === a), `${a} in the manifest`);
  }
});

test("13.18 the demo server prints both pages' URLs with the port it got; demo.sh prints no placeholder", async () => {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [join(ROOT, "web-demo", "serve.mjs"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URLs printed: ${out}`)), 10000);
    child.stdout.on("data", (d) => { out += d; if (/drill\.html/.test(out)) { clearTimeout(timer); resolve(); } });
  });
  child.kill();
  const base = /roei demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
  assert.ok(base, out);
  assert.ok(out.includes(`${base}drill.html`), out);
  assert.doesNotMatch(readFileSync(join(ROOT, "scripts", "demo.sh"), "utf8"), /<URL>/);
});
