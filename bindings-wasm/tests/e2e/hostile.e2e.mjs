// Hostile input in headless Chromium: the same suite as in Node (tests/robust/hostile.mjs), on
// the web build of the full module (pkg/full/), inside a page. The tab must survive: zero
// crashes, only TsunaguErrors of known codes, the module still answers, and the page reports no
// uncaught error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, pkgRoot } from './browser.mjs';

const classes = JSON.parse(fs.readFileSync(path.join(pkgRoot, '../tests/vectors/errors/classes.json'), 'utf8'));
const codes = classes.codes.map((c) => c.code);
let server;
let chromium;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  chromium = await launch();
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('crash', () => pageErrors.push('the page crashed'));
  await page.goto(`${server.url}/demo/index.html`);
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

test('Chromium: every export refuses hostile input with a TsunaguError, and the tab keeps answering', async () => {
  const r = await page.evaluate(async (allowed) => {
    const wasm = await import('/pkg/full/tsunagu_wasm.js');
    await wasm.default();
    const { runHostile, namedCauses } = await import('/tests/robust/hostile.mjs');
    const out = runHostile(wasm, allowed);
    const named = namedCauses(wasm);
    return { ...out, codesSeen: [...out.codesSeen], named, alive: wasm.parseEraDate('R5.11.16') };
  }, codes);
  assert.deepEqual(r.failures, [], r.failures.slice(0, 40).join('\n'));
  assert.ok(r.targets > 60, `only ${r.targets} exports reached`);
  assert.ok(r.refused > 1000);
  assert.ok(!r.codesSeen.includes('internal_panic'));
  assert.equal(r.alive, '2023-11-16');
  assert.match(r.named.cycle.message, /cycle: \$\.a\.b\.c refers back to \$/);
  assert.match(r.named.deep.message, /nesting deeper than 64 levels/);
  assert.deepEqual(pageErrors, []);
});
