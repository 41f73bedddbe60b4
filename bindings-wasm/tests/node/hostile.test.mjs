// Hostile input in Node (tests/robust/hostile.mjs): every export, every argument position,
// zero crashes, only TsunaguErrors of known codes, and the module still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { wasm, root } from './load.mjs';
import { runHostile, namedCauses } from '../robust/hostile.mjs';

const classes = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/errors/classes.json'), 'utf8'));
const codes = classes.codes.map((c) => c.code);

test('every export refuses hostile input with a TsunaguError of a known code, and keeps answering', () => {
  const r = runHostile(wasm, codes);
  assert.deepEqual(r.failures, [], r.failures.slice(0, 40).join('\n'));
  assert.ok(r.targets > 60, `only ${r.targets} exports reached`);
  assert.ok(r.refused > 1000, `${r.refused} refusals`);
  assert.ok(!r.codesSeen.has('internal_panic'));
  assert.ok(r.codesSeen.has('malformed_document'));
  // And a real call still works on real state.
  const reg = new wasm.Registry();
  reg.execute({ command: 'register_agency', agency: { id: 'a', name: 'A', kind: 'social_welfare_council' } }, '2024-04-01');
  assert.equal(reg.events().length, 1);
});

test('the cause is named: cycle, depth, BigInt, wrong type, each with its path', () => {
  const c = namedCauses(wasm);
  for (const e of Object.values(c)) {
    assert.equal(e?.name, 'TsunaguError');
    assert.equal(e.code, 'malformed_document');
  }
  assert.match(c.cycle.message, /cycle: \$\.a\.b\.c refers back to \$/);
  assert.equal(c.cycle.path, '$.a.b.c');
  assert.match(c.deep.message, /nesting deeper than 64 levels/);
  assert.ok(c.deep.path.startsWith('$.a.a.a'), c.deep.path);
  assert.match(c.deepShallow.message, /nesting deeper than 64 levels/);
  assert.ok(c.deepShallow.path.startsWith('$.taxonomy[0][0]'), c.deepShallow.path);
  assert.match(c.bigint.message, /BigInt/);
  assert.equal(c.bigint.path, '$.taxonomy.issues[0]');
  assert.equal(c.notString.path, '$.text');
  assert.match(c.notString.message, /expected a string, got a symbol/);
});
