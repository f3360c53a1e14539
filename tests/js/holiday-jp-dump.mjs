// Writes the national holidays of the @holiday-jp/holiday_jp npm package as JSON, for the Rust test
// that checks roei's computed holidays against an independent data set (core/tests/holidays.rs,
// run by scripts/test-holidays.sh). Usage: node holiday-jp-dump.mjs OUT.json
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const holidayJp = require("@holiday-jp/holiday_jp");
const out = process.argv[2];
if (!out) {
  console.error("usage: node holiday-jp-dump.mjs OUT.json");
  process.exit(2);
}
const holidays = {};
for (const [date, h] of Object.entries(holidayJp.holidays)) holidays[date] = h.name;
writeFileSync(out, JSON.stringify({ source: `@holiday-jp/holiday_jp ${holidayJp.VERSION}`, holidays }, null, 1));
console.log(`${Object.keys(holidays).length} days from @holiday-jp/holiday_jp ${holidayJp.VERSION} -> ${out}`);
