// Tests of the binding itself: error objects, conversion paths, the panic guard, types.
// (Domain behaviour is covered by the Rust tests and by the conformance vectors.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { wasm, root } from './load.mjs';

const ysan = JSON.parse(fs.readFileSync(path.join(root, 'bindings-wasm/tests/fixtures/y-san.json'), 'utf8'));

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

test('errors are real Error objects named TsunaguError with code and path', () => {
  const e = thrown(() => wasm.parseEraDate('令和X年'));
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'TsunaguError');
  assert.equal(e.code, 'unparseable_era_date');
  assert.equal(e.path, null);
  assert.match(e.message, /unparseable/);
  assert.ok(typeof e.stack === 'string');
});

test('core error paths come through unchanged', () => {
  const engine = new wasm.Engine();
  const h = structuredClone(ysan.household);
  h.members[1].relation = 'head';
  const e = thrown(() => engine.validateHousehold(h, ysan.today));
  assert.equal(e.code, 'multiple_heads');
  assert.match(e.path, /^\$\.members\[1\]/);
});

test('a value of the wrong shape is malformed_document, naming the field or variant', () => {
  const engine = new wasm.Engine();
  const h = structuredClone(ysan.household);
  h.members[2].relation = 'cousin';
  const e = thrown(() => engine.validateHousehold(h, ysan.today));
  assert.equal(e.code, 'malformed_document');
  assert.equal(e.path, '$');
  assert.match(e.message, /unknown variant `cousin`/);
  const s = thrown(() => engine.detectPatterns(ysan.household, ysan.today, { elderly_min_age: 'old' }));
  assert.equal(s.path, '$.settings');
  const d = thrown(() => engine.validateHousehold(ysan.household, '2023-13-01'));
  assert.equal(d.code, 'malformed_document');
  assert.equal(d.path, '$.today');
  const u = thrown(() => engine.validateHousehold({ ...ysan.household, pets: 2 }, ysan.today));
  assert.equal(u.code, 'malformed_document');
  assert.match(u.message, /unknown field `pets`/);
});

test('householdProblems lists every problem as plain records', () => {
  const engine = new wasm.Engine();
  assert.deepEqual(engine.householdProblems(ysan.household, ysan.today), []);
  const h = structuredClone(ysan.household);
  h.members[1].relation = 'head';
  h.members[2].birth_date = '2030-01-01';
  const problems = engine.householdProblems(h, ysan.today);
  assert.ok(problems.length >= 2);
  assert.deepEqual(Object.keys(problems[0]).sort(), ['code', 'message', 'path']);
  assert.ok(problems.some((p) => p.code === 'birth_date_in_future' && p.path === '$.members[2].birth_date'));
});

test('Y-san: patterns come back as plain JS objects in the core shape', () => {
  const engine = new wasm.Engine({ agencies: ysan.agencies });
  const found = engine.detectPatterns(ysan.household, ysan.today);
  assert.ok(Array.isArray(found));
  const multi = found.find((f) => f.pattern === 'multi_problem');
  assert.ok(multi, JSON.stringify(found));
  assert.deepEqual(multi.evidence.domains, ['welfare', 'health_medical', 'work', 'education']);
  assert.equal(Object.getPrototypeOf(multi), Object.prototype);
  assert.ok(multi.evidence.facts.every((f) => typeof f.ja === 'string' && typeof f.en === 'string'));
});

test('engine configuration errors leave nothing half-built', () => {
  const e = thrown(() => new wasm.Engine({ agencies: [{ id: 'a', name: 'x', kind: 'nowhere' }] }));
  assert.equal(e.code, 'unknown_code');
  assert.equal(e.path, '$[0].kind');
  const engine = new wasm.Engine({ agencies: ysan.agencies });
  const before = engine.agencies().length;
  assert.throws(() => engine.setAgencies([ysan.agencies[0], ysan.agencies[0]]), { code: 'duplicate_agency' });
  assert.equal(engine.agencies().length, before);
  assert.throws(() => new wasm.Engine({ colour: 'red' }), { code: 'malformed_document' });
});

test('calendar helpers take and give ISO strings', () => {
  assert.equal(wasm.parseEraDate('令和5年11月16日'), '2023-11-16');
  assert.equal(wasm.formatEraDate('2019-05-01'), '令和元年5月1日');
  assert.equal(wasm.formatEraDate('2023-11-16', 'short'), 'R5.11.16');
  assert.deepEqual(wasm.toEraDate('2023-11-16'), { era: 'reiwa', year: 5, month: 11, day: 16 });
  assert.deepEqual(wasm.fiscalYearOf('2021-03-31'), {
    year: 2020, start: '2020-04-01', end: '2021-03-31', label_ja: '令和2年度', label_gregorian: '2020年度',
  });
  assert.equal(wasm.ageOn('2013-09-02', '2023-06-05'), 9);
  assert.equal(wasm.ageOn('2013-09-02', '2000-01-01'), undefined);
  assert.deepEqual(wasm.schoolStage('2013-09-02', '2023-06-05'), { stage: 'elementary', grade: 4 });
  assert.throws(() => wasm.formatEraDate('2023-11-16', 'fancy'), { code: 'malformed_document', path: '$.style' });
});

test('meeting types: 支援会議 shares without consent, 重層的支援会議 needs it', () => {
  const engine = new wasm.Engine();
  const support = engine.meetingType('support_meeting');
  assert.equal(support.base.personal_info, 'statutory_confidentiality');
  assert.equal(support.base.legal_basis, '社会福祉法第106条の6');
  const types = engine.meetingTypes().types;
  assert.ok(types.some((t) => t.personal_info === 'consent_required'));
  assert.equal(engine.meetingType('no_such_meeting'), null);
});

test('registry: a rejected command throws and changes nothing', () => {
  const reg = new wasm.Registry();
  assert.deepEqual(reg.execute({ command: 'register_household', household: ysan.household }, ysan.today), { receipt: 'recorded' });
  const e = thrown(() => reg.execute({ command: 'register_household', household: ysan.household }, ysan.today));
  assert.equal(e.code, 'already_exists');
  assert.equal(reg.households().length, 1);
  assert.equal(reg.household('h-y').id, 'h-y');
  assert.equal(reg.household('nobody'), null);
});

test('errorCodes lists the core codes and internal_panic', () => {
  const codes = wasm.errorCodes();
  for (const c of ['malformed_document', 'multiple_heads', 'consent_required', 'internal_panic']) {
    assert.ok(codes.includes(c), c);
  }
});

test('a panic becomes a TsunaguError and the next call runs on a fresh instance', () => {
  const e = thrown(() => wasm.__panicForTest());
  assert.ok(e instanceof Error, String(e));
  assert.equal(e.name, 'TsunaguError');
  assert.equal(e.code, 'internal_panic');
  // The internal class: its own kind, never one of the core's (a caller can tell a bug from a
  // refusal), and no path.
  assert.equal(e.kind, 'internal');
  assert.equal(e.path, null);
  assert.match(e.message, /index out of bounds/);
  // The module still works afterwards.
  assert.equal(wasm.parseEraDate('R5.11.16'), '2023-11-16');
  const engine = new wasm.Engine();
  assert.deepEqual(engine.householdProblems(ysan.household, ysan.today), []);
});

test('routing: Y-san goes to multi-agency work with a 支援会議, every recommendation explained', () => {
  const engine = new wasm.Engine({ agencies: ysan.agencies });
  const routing = engine.route(ysan.household, { today: ysan.today });
  assert.equal(routing.household, 'h-y');
  assert.ok(routing.recommendations.length > 0);
  const top = routing.recommendations[0];
  assert.equal(top.rank, 1);
  assert.ok(routing.recommendations.some((r) => r.meeting === 'support_meeting'), JSON.stringify(routing.recommendations.map((r) => r.rule)));
  for (const r of routing.recommendations) assert.ok(r.explanation.facts.length > 0 || r.rule === 'fallback');
  assert.throws(() => engine.route(ysan.household, { today: 'soon' }), { code: 'malformed_document', path: '$.situation' });
  assert.throws(() => engine.setRules({ rules: [{ id: 'x' }] }), (e) => e.name === 'TsunaguError');
  assert.deepEqual(engine.route(ysan.household, { today: ysan.today }), routing, 'a failed setRules changes nothing');
});
