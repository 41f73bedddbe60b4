// Benchmark in headless Chromium: calls per second from JavaScript (demo/bench.html), plus the
// gzipped size of the package's wasm + JS glue (the widgets' module, which the budget is about, and
// the full module). Prints one JSON object. Figures are reported, not asserted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, pkgRoot } from './browser.mjs';

const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(pkgRoot, 'pkg', f)), { level: 9 }).length;
const raw = (f) => fs.statSync(path.join(pkgRoot, 'pkg', f)).size;
const size = {
  wasm_bytes: raw('tsunagu_wasm_bg.wasm'),
  js_bytes: raw('tsunagu_wasm.js'),
  wasm_gzip: gz('tsunagu_wasm_bg.wasm'),
  js_gzip: gz('tsunagu_wasm.js'),
};
size.total_gzip = size.wasm_gzip + size.js_gzip;
// The full module (pkg/full/: the widgets' module plus Registry, disclosure preview, report).
size.full = {
  wasm_bytes: raw('full/tsunagu_wasm_bg.wasm'),
  wasm_gzip: gz('full/tsunagu_wasm_bg.wasm'),
  js_gzip: gz('full/tsunagu_wasm.js'),
};
size.full.total_gzip = size.full.wasm_gzip + size.full.js_gzip;

const server = await serve();
const chromium = await launch();
try {
  const page = await chromium.context.newPage();
  await page.goto(`${server.url}/demo/bench.html`);
  await page.waitForSelector('body[data-done="true"]', { timeout: 120000 });
  const calls = JSON.parse(await page.locator('#result').innerText());
  console.log(JSON.stringify({ size, calls, chromium: chromium.context.browser()?.version() ?? null }));
} finally {
  await chromium.close();
  await server.close();
}
