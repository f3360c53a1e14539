// The npm package as a user gets it (issue 18): what `npm pack` would ship is exactly the reviewed
// list; the packed tarball installs into an empty folder, where every export imports in Node (ESM),
// the WASM modules initialise from their own files and answer, and a bundler (esbuild) keeps the
// imports that register the custom elements (`sideEffects` names them). The two built elements then
// define themselves in Chromium, loaded from the installed folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { build } from "esbuild";
import { PKG, ROOT } from "./helpers.mjs";
import { launch, watchedPage } from "./browser.mjs";

/** The reviewed file list of the package (scripts/build-wasm.sh writes "files"). */
const FILES = [
  "LICENSE-APACHE", "LICENSE-MIT", "README.md", "package.json", "custom-elements.json",
  "roei_wasm.js", "roei_wasm.d.ts", "roei_wasm_bg.wasm", "roei_wasm_bg.wasm.d.ts",
  "roei_reports.js", "roei_reports.d.ts", "roei_reports_bg.wasm", "roei_reports_bg.wasm.d.ts",
  "roei_drill.js", "roei_drill.d.ts", "roei_drill_bg.wasm", "roei_drill_bg.wasm.d.ts",
  "roei_fast.js", "roei_fast.d.ts", "roei_fast_bg.wasm", "roei_fast_bg.wasm.d.ts",
  "roei_catalog.js", "roei_catalog.d.ts",
  "roei-incident.js", "roei-drill.js", "roei-incident.css", "roei-drill.css", "roei-drill-debrief.css",
  // Fetched by <roei-incident> when needed: its English words, its document tools, its incident list, the shared record's store;
  // and its optional boot script (a page's first script tag: the saved record's read started early).
  "roei-incident-boot.js", "roei-incident-strings-en.js", "roei-incident-print.js", "roei-incident-list.js", "roei-remote-store.js",
  // Copied from the source tree when it has them.
  ...["CHANGELOG.md", "docs/FORMATS.md"].filter((f) => existsSync(join(ROOT, f))).map((f) => f.replace("docs/", "")),
].sort();

const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });
let dir, app;

before(() => {
  assert.ok(existsSync(join(PKG, "package.json")), "wasm/pkg is missing: run bash scripts/build-wasm.sh");
  dir = mkdtempSync(join(tmpdir(), "roei-pack-"));
  const [{ filename }] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], PKG));
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "roei-pack-test", private: true, type: "module" }));
  // A local tarball without dependencies: nothing is fetched.
  npm(["install", "--offline", join(dir, filename)], app);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("npm pack ships exactly the reviewed files", () => {
  const [pack] = JSON.parse(npm(["pack", "--dry-run", "--json"], PKG));
  assert.deepEqual(pack.files.map((f) => f.path).sort(), FILES);
  const p = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
  assert.deepEqual(p.sideEffects, ["./roei-incident.js", "./roei-drill.js"], "the files that register elements");
  assert.ok(p.engines?.node && p.keywords?.length && !("repository" in p));
  for (const target of Object.values(p.exports).map((e) => (typeof e === "string" ? e : e.default))) {
    assert.ok(FILES.includes(target.slice(2)), `export target ${target} is shipped`);
  }
});

test("in an empty folder, every export of the installed tarball imports in Node and the modules answer", () => {
  const script = `
import { readFileSync } from "node:fs";
const bytes = (f) => readFileSync(new URL(import.meta.resolve("roei/" + f)));
const out = {};
const engine = await import("roei");
engine.initSync({ module: bytes("roei_wasm_bg.wasm") });
const record = ${JSON.stringify(readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8"))};
out.engine = engine.check(record, "2026-11-02T18:00:00+09:00").format;
const fast = await import("roei/fast");
fast.initSync({ module: bytes("roei_fast_bg.wasm") });
out.fast = fast.checkJSON(record, "2026-11-02T18:00:00+09:00") === engine.checkJSON(record, "2026-11-02T18:00:00+09:00");
const reports = await import("roei/reports");
reports.initSync({ module: bytes("roei_reports_bg.wasm") });
out.reports = reports.graph("nagaoka", "mermaid").length > 0;
const drill = await import("roei/drill");
drill.initSync({ module: bytes("roei_drill_bg.wasm") });
out.drill = drill.version() === engine.version();
const catalog = await import("roei/catalog");
out.catalog = catalog.profiles.some((p) => p.id === "nagaoka");
try { engine.check("{", "2026-11-02T18:00:00+09:00"); } catch (e) { out.error = [e.name, e.code]; }
// The elements need a DOM: in Node they must resolve to shipped files (Chromium imports them below).
out.widgets = ["roei/widget", "roei/drill-widget"].map((s) => new URL(import.meta.resolve(s)).pathname.split("/").pop());
out.manifest = (await import("roei/custom-elements.json", { with: { type: "json" } })).default.modules.map((m) => m.path);
console.log(JSON.stringify(out));
`;
  writeFileSync(join(app, "check.mjs"), script);
  const out = JSON.parse(execFileSync(process.execPath, ["check.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(out, {
    engine: "roei/status@1", fast: true, reports: true, drill: true, catalog: true,
    error: ["RoeiError", "json"], widgets: ["roei-incident.js", "roei-drill.js"], manifest: ["roei-incident.js", "roei-drill.js"],
  });
});

/** esbuild's bundle of `source` resolved from the app folder. */
async function bundle(source) {
  const r = await build({ stdin: { contents: source, resolveDir: app, loader: "js" }, bundle: true, format: "esm", write: false, logLevel: "silent", platform: "browser" });
  return r.outputFiles[0].text;
}

test("through esbuild, the imports that register the elements are kept, and the engine bundles", async () => {
  const js = await bundle('import "roei/widget";\nimport "roei/drill-widget";\nimport init, { check } from "roei";\nexport { init, check };\n');
  for (const s of ["RoeiIncidentElement.define()", "RoeiDrillElement.define()", "function check("]) {
    assert.ok(js.includes(s), `the bundle keeps ${s}`);
  }
  // The counterfactual: with "sideEffects": false (the package before issue 18) the bundler drops them.
  const manifest = join(app, "node_modules", "roei", "package.json");
  const original = readFileSync(manifest, "utf8");
  try {
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(original), sideEffects: false }));
    const dropped = await bundle('import "roei/widget";\nimport "roei/drill-widget";\n');
    assert.ok(!dropped.includes("RoeiIncidentElement") && !dropped.includes("RoeiDrillElement"), "sideEffects: false drops the registration");
  } finally {
    writeFileSync(manifest, original);
  }
});

test("in Chromium, both built elements define themselves from the installed folder", async () => {
  const root = join(app, "node_modules", "roei");
  const types = { ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/roei-incident.js"></script><script type="module" src="/roei-drill.js"></script><roei-incident></roei-incident>`;
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const browser = await launch();
  try {
    const problems = [];
    const p = await watchedPage(browser, problems);
    await p.goto(`http://127.0.0.1:${server.address().port}/`);
    const defined = await p.evaluate(() => Promise.all(["roei-incident", "roei-drill"].map((t) => customElements.whenDefined(t).then(() => t))));
    assert.deepEqual(defined, ["roei-incident", "roei-drill"]);
    // <roei-incident> loads the engine from its own folder and becomes interactive.
    await p.waitForFunction(() => document.querySelector("roei-incident")?.shadowRoot?.querySelector("form, button"), null, { timeout: 30000 });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
