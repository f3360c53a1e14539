// A tiny static server for the demo page and the tests: web-demo/ at /, the built package at /pkg/
// (wasm/pkg, so a rebuild needs no copy). Sends the strict CSP a portal would, so the demo proves
// the widget runs under it. Usage: node web-demo/serve.mjs [--port N] (0 or absent: a free port).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = join(HERE, "..", "wasm", "pkg");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".ts": "text/plain; charset=utf-8" };
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function resolve(urlPath) {
  const p = decodeURIComponent(urlPath.split("?")[0]);
  const [base, rest] = p.startsWith("/pkg/") ? [PKG, p.slice(5)] : [HERE, p.slice(1) || "index.html"];
  const full = normalize(join(base, rest));
  return full === base || full.startsWith(base + sep) ? full : null; // no ../ escapes
}

/**
 * `cache`: "revalidate" (default; ETag + 304, as a portal would serve static files, which also lets
 * Chromium reuse its compiled WASM code) or "none" (no-store: every load is a cold load).
 */
export function serve(port = 0, host = "127.0.0.1", { cache = "revalidate" } = {}) {
  const server = createServer(async (req, res) => {
    const file = resolve(req.url ?? "/");
    try {
      const st = file ? await stat(file) : null;
      if (!st?.isFile()) throw new Error("not found");
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-security-policy": CSP,
        "x-content-type-options": "nosniff", "cache-control": cache === "none" ? "no-store" : "no-cache", etag };
      if (cache !== "none" && req.headers["if-none-match"] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok({ url: `http://${host}:${server.address().port}/`, close: () => new Promise((r) => server.close(r)), server }));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--port");
  const { url } = await serve(i > 0 ? Number(process.argv[i + 1]) : 0);
  // Both pages with the port the OS chose (scripts/demo.sh cannot know it before this runs).
  console.log(`roei demo: ${url}  (Ctrl-C to stop)`);
  console.log(`           incident widget ${url}`);
  console.log(`           tabletop drill  ${url}drill.html`);
}
