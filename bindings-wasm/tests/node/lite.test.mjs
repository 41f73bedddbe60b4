// The widgets' module (pkg-node/lite/, crate tsunagu-wasm-lite): the Engine and calendar API of
// the full module, without the records API; the same answers as the full module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { wasm, root } from './load.mjs';

const require = createRequire(import.meta.url);
const lite = require(path.join(root, 'bindings-wasm/pkg-node/lite/tsunagu_wasm.js'));
const ysan = JSON.parse(fs.readFileSync(path.join(root, 'bindings-wasm/tests/fixtures/y-san.json'), 'utf8'));

test('the widgets module has no records API', () => {
  assert.equal(lite.Registry, undefined);
  assert.equal(lite.annualReport, undefined);
  assert.equal(typeof wasm.Registry, 'function');
  assert.equal(typeof wasm.annualReport, 'function');
});

test('the widgets module answers as the full one', () => {
  const a = new lite.Engine({ agencies: ysan.agencies });
  const b = new wasm.Engine({ agencies: ysan.agencies });
  assert.deepEqual(a.detectPatterns(ysan.household, ysan.today), b.detectPatterns(ysan.household, ysan.today));
  const routing = a.route(ysan.household, { today: ysan.today });
  assert.ok(routing.recommendations.some((r) => r.meeting === 'support_meeting'));
  assert.deepEqual(routing, b.route(ysan.household, { today: ysan.today }));
  assert.equal(lite.parseEraDate('令和5年11月16日'), '2023-11-16');
  assert.throws(() => lite.parseEraDate('令和X年'), { name: 'TsunaguError', code: 'unparseable_era_date' });
});
