// The annual report (実績報告) from journal events, computed by the core's stats module. The
// Ishinomaki 2020 journal (seeds 003) is written by `cargo test -p tsunagu-wasm --test fixtures`;
// the figures are those the Rust and Python tests check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { wasm, root } from './load.mjs';

const file = path.join(root, 'bindings-wasm/artifacts/ishinomaki_2020.events.json');
const events = JSON.parse(fs.readFileSync(file, 'utf8'));
const ysan = JSON.parse(fs.readFileSync(path.join(root, 'bindings-wasm/tests/fixtures/y-san.json'), 'utf8'));

const SECTORS = { government: 154, community_welfare_medical: 200, childcare_education: 21, police_justice: 11, private: 95 };

test('Ishinomaki 2020: the report states the figures of the 実績報告', () => {
  const r = wasm.annualReport(events, 2020);
  assert.equal(r.label, '令和2年度');
  assert.equal(r.fiscal_year, 2020);
  const fc = r.first_consultations;
  assert.deepEqual([fc.total, fc.single, fc.continuing, fc.handed_over], [24, 13, 11, 0]);
  assert.equal(fc.monthly_average, 2.0);
  assert.equal(r.contacts.total, 481);
  const kind = (k) => r.contacts.rows.find((row) => row.kind === k)?.count;
  assert.equal(kind('medical_institution_pharmacy'), 127);
  assert.equal(kind('city_public_assistance_division'), 54);
  assert.equal(kind('branch_office'), 33);
  assert.deepEqual(Object.fromEntries(r.contacts.sectors.map((s) => [s.sector, s.count])), SECTORS);
  assert.deepEqual(r.network_meetings.map((m) => [m.number, m.date]),
    [[1, '2020-06-23'], [2, '2020-08-20'], [3, '2020-10-06'], [4, '2021-03-17']]);
  assert.equal(r.case_meetings.total, 17);
  const by = Object.fromEntries(r.case_meetings.by_convener);
  assert.equal(by.multi_agency_operator, 12);
  assert.equal(Object.values(by).reduce((a, b) => a + b, 0) - 12, 5);
  assert.equal(r.plans.made, 11);
});

test('the fiscal year may be a label; another year of the same journal counts differently', () => {
  const byNumber = wasm.annualReport(events, 2020);
  assert.deepEqual(wasm.annualReport(events, '令和2年度'), byNumber);
  const next = wasm.annualReport(events, 2021);
  assert.equal(next.label, '令和3年度');
  assert.equal(next.first_consultations.total, 0);
});

test('a registry records its events; replay and annualReport take them back', () => {
  const reg = wasm.Registry.replay(events);
  assert.equal(reg.events().length, events.length);
  assert.deepEqual(reg.annualReport(2020), wasm.annualReport(events, 2020));
  const fresh = new wasm.Registry();
  fresh.execute({ command: 'register_household', household: ysan.household }, ysan.today);
  assert.throws(() => fresh.execute({ command: 'register_household', household: ysan.household }, ysan.today), { code: 'already_exists' });
  const journal = fresh.events();
  assert.equal(journal.length, 1, 'a rejected command leaves no event');
  assert.equal(journal[0].on, ysan.today);
  assert.equal(journal[0].command.command, 'register_household');
  assert.equal(journal[0].command.household.id, ysan.household.id);
});

test('report arguments are checked with the core codes', () => {
  assert.throws(() => wasm.annualReport(events, 'sometime'), (e) => e.name === 'TsunaguError' && e.code !== 'malformed_document');
  assert.throws(() => wasm.annualReport(events, 2020.5), { code: 'malformed_document', path: '$.fiscal_year' });
  assert.throws(() => wasm.annualReport([{ on: '2020-04-01' }], 2020), { code: 'malformed_document', path: '$' });
  assert.throws(() => wasm.annualReport(events, 2020, { age_bands: [] }), (e) => e.name === 'TsunaguError');
  const bands = [{ code: 'young', ja: '65歳未満', min: 0, max: 64 }, { code: 'old', ja: '65歳以上', min: 65, max: null }];
  const r = wasm.annualReport(events, 2020, { age_bands: bands });
  const codes = r.age_bands.map((b) => b.code);
  assert.deepEqual(codes.filter((c) => c !== 'unknown'), ['young', 'old']);
  const sum = (report) => report.age_bands.reduce((a, b) => a + b.count, 0);
  assert.ok(sum(r) > 0);
  assert.equal(sum(r), sum(wasm.annualReport(events, 2020)), 'the same subjects, banded differently');
});

test('registry: the disclosure preview checks the case, then decides and redacts; replay errors name the event', () => {
  const open = { command: 'open_case', case: 'c-y', household: 'h-y', subject: 'y-mother', responsible_window: 'sendai-council',
    intake: { channel: 'walk_in', receiving_window: 'sendai-council', chief_complaint: '生活福祉資金を借りたい', on: ysan.today } };
  const given = [
    ...ysan.agencies.map((agency) => ({ on: ysan.today, command: { command: 'register_agency', agency } })),
    { on: ysan.today, command: { command: 'register_household', household: ysan.household } },
    { on: ysan.today, command: open },
  ];
  const reg = wasm.Registry.replay(given);
  const request = (c, meeting_type) => ({ case: c, person: 'y-mother', purpose: 'support_planning', on: '2023-06-20',
    audience: { type: 'meeting', meeting_type, participants_acknowledged: true } });
  assert.throws(() => reg.previewDisclosure(request('c-x', 'support_meeting')), { code: 'not_found', path: '$.case' });
  const preview = reg.previewDisclosure(request('c-y', 'support_meeting'));
  assert.deepEqual(Object.keys(preview).sort(), ['decision', 'view']);
  assert.ok(preview.decision.level);
  assert.throws(() => reg.previewDisclosure(request('c-y', 'multi_layered_support_meeting')), { code: 'consent_required' });
  assert.equal(reg.events().length, given.length, 'a preview records nothing');
  // A replay is all or nothing, and its error's path is under the rejected event.
  const bad = [...given, { on: ysan.today, command: { command: 'case', case: 'c-x', action: { action: 'begin_assessment' } } }];
  assert.throws(() => wasm.Registry.replay(bad), { code: 'not_found', path: `$[${given.length}].command.case` });
});
