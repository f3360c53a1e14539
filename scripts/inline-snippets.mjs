// Puts the JS that a module's Rust imports (wasm-bindgen's `module = "/src/….js"`, written by
// wasm-bindgen to PKG/snippets/…) into the module's glue PKG/NAME.js in place of its import, so the
// package stays one glue file per module: a page fetches the glue and the .wasm in parallel
// (web-demo/roei-wasm.js), and an import from the glue would be one more round trip before the
// engine can start. Whole-line comments go (they are in the source); the code stays as written.
// Usage: node scripts/inline-snippets.mjs PKG NAME…; run by scripts/build-wasm.sh after
// wasm-bindgen. PKG/snippets is removed once every glue is done; an import left is an error.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [pkg, ...names] = process.argv.slice(2);
const IMPORT = /^import \{ ([^}]*) \} from '\.\/(snippets\/[^']+)';\n/gm;
for (const name of names) {
  const file = join(pkg, `${name}.js`);
  let glue = readFileSync(file, "utf8");
  glue = glue.replace(IMPORT, (_, imported, path) => {
    const code = readFileSync(join(pkg, path), "utf8").replace(/^[ \t]*\/\/.*\n/gm, "");
    for (const what of imported.split(",").map((s) => s.trim())) {
      if (!new RegExp(`^export function ${what}\\(`, "m").test(code)) throw new Error(`inline-snippets: ${path} does not export function ${what}`);
    }
    return code.replace(/^export function /gm, "function ");
  });
  if (glue.includes("./snippets/")) throw new Error(`inline-snippets: ${file} still imports from ./snippets/`);
  writeFileSync(file, glue);
}
if (existsSync(join(pkg, "snippets"))) rmSync(join(pkg, "snippets"), { recursive: true });
