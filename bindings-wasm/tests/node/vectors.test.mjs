// Runs every conformance vector in tests/vectors/ through the wasm binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './load.mjs';
import { runVector } from './runner.mjs';

const dir = path.join(root, 'tests', 'vectors');
const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.json')).sort();

test('there are vectors to run', () => assert.ok(files.length > 0));

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  test(`vector ${file}`, () => {
    const failures = runVector(doc);
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}
