// Issue 13's budget: the community page loads at most 120 KB of gzipped JavaScript and CSS.
// What every page loads first: the files index.html names. Lazy chunks (the managers' tools, the account
// pages) come only when their page opens, and are not counted.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 120 * 1024;
const built = new URL("../static/app/", import.meta.url);
const index = readFileSync(new URL("index.html", built), "utf8");
const files = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((found) => found[1]);
let total = 0;
for (const file of files) {
  const gzipped = gzipSync(readFileSync(new URL(file, built)), { level: 9 }).length;
  total += gzipped;
  console.log(`${file}: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`community page: ${(total / 1024).toFixed(1)} KB gzipped of ${BUDGET_BYTES / 1024} KB`);
if (files.length === 0 || total > BUDGET_BYTES) process.exit(1);
