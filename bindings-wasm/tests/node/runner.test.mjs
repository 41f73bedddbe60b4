// The vector runner's own comparison rules, which must be those of tests/src/lib.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subset, jsonEqual, runVector } from './runner.mjs';

test('subset: objects by key, an expected null matches an absent key, arrays by length', () => {
  assert.ok(subset({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(subset({ a: null }, { b: 2 }));
  assert.ok(!subset({ a: 1 }, { b: 2 }));
  assert.ok(!subset([{ a: 1 }], [{ a: 1 }, { a: 2 }]));
  assert.ok(subset([{ a: 1 }, {}], [{ a: 1, c: 3 }, { a: 2 }]));
  assert.ok(!subset({ a: [] }, { a: {} }));
  assert.ok(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
  assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: null }));
});

test('a failing expectation is reported, and an unknown op is a failure, never a skip', () => {
  const doc = {
    when: [{ op: 'parse_era_date', args: { text: 'R5.11.16' } }, { op: 'no_such_op', args: {} }],
    then: [{ ok: '2023-11-17' }, { ok: null }],
  };
  const failures = runVector(doc);
  assert.equal(failures.length, 2, failures.join('\n'));
  assert.match(failures[1], /unknown op no_such_op/);
});

test('given.rules.extend and load_rules accumulate on the base rules; problems are compared', () => {
  const rule = (id, then = { project: 'multi_agency' }) => ({
    id, priority: 1, description: { ja: id, en: id }, when: { pattern: '8050' }, then,
  });
  const base = runVector({ when: [{ op: 'load_rules', args: { document: { rules: [] } } }], then: [{ ok: { loaded: 0 } }] });
  const builtin = Number(/got {"loaded":(\d+)}/.exec(base[0])[1]);
  assert.ok(builtin > 0);
  assert.deepEqual(runVector({
    given: { rules: { extend: { rules: [rule('x.a')] } } },
    when: [{ op: 'load_rules', args: { document: { rules: [rule('x.b', { agency_kind: 'community_general_support_center' })] } } }],
    then: [{ ok: { loaded: builtin + 2 } }],
  }), []);
  assert.deepEqual(runVector({
    given: { rules: { builtin: false } },
    when: [{ op: 'load_rules', args: { document: { rules: [rule('x.a')] } } }],
    then: [{ ok: { loaded: 1 } }],
  }), []);
  const bad = { rules: [{ ...rule('x.a'), when: { has_issue: { codes: ['no_such_issue'] } } }] };
  assert.deepEqual(runVector({
    when: [{ op: 'load_rules', args: { document: bad } }],
    then: [{ error: { code: 'invalid_rule_document', problems: [{ rule: 'x.a' }] } }],
  }), []);
  assert.equal(runVector({
    when: [{ op: 'load_rules', args: { document: bad } }],
    then: [{ error: { code: 'invalid_rule_document', problems: [{ rule: 'x.z' }] } }],
  }).length, 1);
});
