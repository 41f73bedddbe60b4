// Runs every conformance vector in tests/vectors/ through the wasm binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './load.mjs';
import { runVector } from './runner.mjs';

const dir = path.join(root, 'tests', 'vectors');
const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.json')).sort();

// Ops the core answers that no binding exposes yet: such a vector is skipped, with the ops named.
const pendingOps = new Set(
  JSON.parse(fs.readFileSync(path.join(dir, 'bindings_pending.json'), 'utf8')).pending_ops.javascript,
);

test('there are vectors to run', () => assert.ok(files.length > 0));

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const pending = [...new Set(doc.when.map((s) => s.op).filter((op) => pendingOps.has(op)))].sort();
  const skip = pending.length ? `ops not yet exposed by the bindings: ${pending.join(', ')}` : false;
  test(`vector ${file}`, { skip }, () => {
    const failures = runVector(doc);
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}
