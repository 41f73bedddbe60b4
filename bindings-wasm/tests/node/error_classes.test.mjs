// Every error code throws the class tests/vectors/errors/classes.json gives it: a TsunaguError
// whose `kind` comes from the binding's one kind table (the same code has the same class family
// in every language).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { wasm, root } from './load.mjs';

const vector = JSON.parse(
  fs.readFileSync(path.join(root, 'tests', 'vectors', 'errors', 'classes.json'), 'utf8'),
);

test('every core code is listed in the class vector', () => {
  const codes = vector.codes.map((c) => c.code);
  const core = wasm.errorCodes().filter((c) => c !== 'internal_panic');
  assert.deepEqual(codes, core);
});

for (const entry of vector.codes) {
  test(`${entry.code} throws ${entry.javascript.name} of kind ${entry.javascript.kind}`, () => {
    let err;
    try {
      wasm.errorForCode(entry.code);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, 'expected a throw');
    assert.equal(err.name, entry.javascript.name);
    assert.equal(err.kind, entry.javascript.kind);
    assert.equal(err.code, entry.code);
  });
}
