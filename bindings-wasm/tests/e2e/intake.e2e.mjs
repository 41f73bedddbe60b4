// End-to-end: the demo page in headless Chromium. Fill the intake with Y-san's household
// (DOMAIN.md §8), check the patterns, recommendations and the 支援会議 suggestion, render the
// eco-map, and save screenshots to bindings-wasm/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, pkgRoot } from './browser.mjs';

const artifacts = path.join(pkgRoot, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
let server;
let chromium;
let page;
const consoleErrors = [];

before(async () => {
  server = await serve();
  chromium = await launch();
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(`${server.url}/demo/index.html?today=2023-06-05`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('tsunagu-intake form');
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

const intake = () => page.locator('tsunagu-intake');
const member = (i) => intake().locator(`fieldset[data-member="${i}"]`);
const tie = (j) => intake().locator(`fieldset[data-tie="${j}"]`);

async function checkIssues(i, codes) {
  await member(i).locator('details > summary').first().click();
  for (const c of codes) await member(i).locator(`input[data-issue="${c}"]`).check();
}

test('every form control has a label', async () => {
  const unlabelled = await page.evaluate(() => {
    const root = document.querySelector('tsunagu-intake').shadowRoot;
    return [...root.querySelectorAll('input, select')]
      .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.id || el.outerHTML.slice(0, 60));
  });
  assert.deepEqual(unlabelled, []);
});

test("fill in Y-san's household", async () => {
  await intake().locator('#hh-id').fill('h-y');
  // mother, in her 40s (age only), single parent, part-time
  await member(0).locator('[data-f="id"]').fill('y-mother');
  await member(0).locator('[data-f="id"]').press('Tab');
  await member(0).locator('[data-f="approx_age"]').fill('45');
  await member(0).getByLabel('ひとり親').check();
  await member(0).locator('[data-f="employment"]').selectOption('part_time');
  await checkIssues(0, ['income_living_costs', 'job_search', 'dv']);

  // elder son: the birth date typed in the Japanese era, from the keyboard
  await intake().locator('button[data-action="add-member"]').focus();
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.querySelector('tsunagu-intake').shadowRoot.activeElement?.id);
  assert.equal(focused, 'm1-relation', 'focus moves to the new member');
  await member(1).locator('[data-f="id"]').fill('y-son1');
  await member(1).locator('[data-f="id"]').press('Tab');
  await member(1).locator('[data-f="birth"]').fill('平成21年6月10日');
  await assert.doesNotReject(member(1).getByText('2009-06-10').waitFor());

  // younger son: special-needs school, intellectual disability certificate A
  await intake().locator('button[data-action="add-member"]').click();
  await member(2).locator('[data-f="id"]').fill('y-son2');
  await member(2).locator('[data-f="id"]').press('Tab');
  await member(2).locator('[data-f="birth"]').fill('2013-09-02');
  await member(2).locator('[data-f="disability"]').selectOption('intellectual');
  await member(2).locator('[data-f="grade"]').fill('A');
  await checkIssues(2, ['developmental_concern', 'health_disability']);
  await member(0).locator('input[data-cares="y-son2"]').check();

  // ties for the eco-map
  const addTie = () => intake().locator('button[data-action="add-tie"]').click();
  await addTie();
  await tie(0).locator('[data-f="type"]').selectOption('agency');
  await tie(0).locator('[data-f="agency"]').selectOption('sendai-council');
  await tie(0).locator('[data-f="strength"]').selectOption('strong');
  await addTie();
  await tie(1).locator('[data-f="member"]').selectOption('y-son2');
  await tie(1).locator('[data-f="type"]').selectOption('agency');
  await tie(1).locator('[data-f="agency"]').selectOption('special-needs-school');
  await addTie();
  await tie(2).locator('[data-f="kind"]').fill('welfare_commissioner');
  await tie(2).locator('[data-f="label"]').fill('民生委員');
  await addTie();
  await tie(3).locator('[data-f="kind"]').fill('former_spouse');
  await tie(3).locator('[data-f="label"]').fill('元配偶者');
  await tie(3).locator('[data-f="strength"]').selectOption('stressful');

  const result = await page.evaluate(() => document.querySelector('tsunagu-intake').result);
  assert.equal(result.valid, true, JSON.stringify(result.problems));
  const expected = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'tests/fixtures/y-san.json'), 'utf8')).household;
  const { name, ...mother } = expected.members[0];
  assert.deepEqual(result.household.members[0], { ...mother, cares_for: ['y-son2'] });
  assert.deepEqual(result.household.members.slice(1).map((m) => m.birth_date), ['2009-06-10', '2013-09-02']);
  assert.equal(result.household.ties.length, 4);
});

test('validation: the core error appears beside the field while typing, and clears', async () => {
  const birth = member(2).locator('[data-f="birth"]');
  await birth.fill('2030-01-01');
  await intake().locator('#problems li[data-code="birth_date_in_future"]').waitFor();
  assert.equal(await birth.getAttribute('aria-invalid'), 'true');
  await birth.fill('2013-09-02');
  await intake().locator('#problems li').waitFor({ state: 'detached' });
  assert.equal(await birth.getAttribute('aria-invalid'), null);
  await birth.fill('平成31年5月1日');
  await intake().locator('#problems li[data-code="date_outside_era"]').waitFor();
  assert.equal(await birth.getAttribute('aria-invalid'), 'true');
  await birth.fill('2013-09-02');
  await intake().locator('#problems li').waitFor({ state: 'detached' });
});

test('patterns, recommendations and the 支援会議 suggestion appear', async () => {
  const patterns = intake().locator('#patterns');
  await patterns.locator('[data-pattern="multi_problem"]').waitFor();
  assert.match(await patterns.innerText(), /多問題世帯/);
  const hasRouting = await page.evaluate(() => document.querySelector('tsunagu-intake').result.routing !== null);
  if (!hasRouting) {
    // Routing is not on main yet: the widget says so instead of guessing.
    assert.match(await intake().locator('#recommendations').innerText(), /振り分けルールはこのビルドにありません/);
    return;
  }
  const recs = intake().locator('#recommendations li.rec');
  assert.ok(await recs.count() > 0);
  assert.match(await intake().locator('#recommendations').innerText(), /理由/);
  const meeting = intake().locator('#meeting [data-meeting="support_meeting"]');
  await meeting.waitFor();
  assert.match(await meeting.innerText(), /支援会議/);
  assert.equal(await meeting.getAttribute('data-personal-info'), 'statutory_confidentiality');
  assert.match(await meeting.innerText(), /同意なしに情報共有できます/);
});

test('the eco-map is drawn from the household document', async () => {
  const map = page.locator('tsunagu-ecomap svg');
  await map.waitFor();
  assert.equal(await map.locator('g.member').count(), 3);
  assert.equal(await map.locator('g.party').count(), 4);
  assert.equal(await map.locator('.tie[data-strength="strong"]').count(), 1);
  assert.equal(await map.locator('.tie[data-strength="weak"]').count(), 2);
  assert.equal(await map.locator('polyline.tie[data-strength="stressful"]').count(), 1);
  assert.match(await map.locator('g.party.agency').first().getAttribute('aria-label'), /仙台市社会福祉協議会/);
  await page.locator('tsunagu-ecomap g.member').first().focus();
  await page.screenshot({ path: path.join(artifacts, 'intake-ja.png'), fullPage: true });
  await page.locator('tsunagu-ecomap').screenshot({ path: path.join(artifacts, 'ecomap-ja.png') });
});

test('English labels with lang="en"', async () => {
  await page.locator('#lang').selectOption('en');
  await intake().getByText('Multi-problem household').waitFor();
  assert.ok(await intake().getByLabel('Single parent').first().isChecked());
  assert.match(await page.locator('tsunagu-ecomap svg').innerHTML(), /Stressful/);
  await page.screenshot({ path: path.join(artifacts, 'intake-en.png'), fullPage: true });
});

/** A raw code on screen: a snake_case word (`comprehensive_window`). */
const RAW_CODE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;

test('results show labels, never raw codes (the fallback names its window by label)', async () => {
  // A household no rule takes: the fallback recommendation, whose window the core names by code.
  await page.locator('tsunagu-intake').evaluate((el) => {
    el.setAttribute('lang', 'ja');
    el.household = { id: 'h-none', members: [{ id: 'p1', relation: 'head', approx_age: 40 }] };
  });
  const results = intake().locator('section.results');
  await intake().locator('#recommendations li.rec').first().waitFor();
  const text = await results.innerText();
  assert.match(text, /受付窓口: 総合相談窓口（丸ごと相談員）/);
  assert.doesNotMatch(text, RAW_CODE, `raw code on screen: ${text.match(RAW_CODE)?.[0]}`);
  // The check itself fails on a raw code.
  assert.match('受付窓口: comprehensive_window', RAW_CODE);
});

test('no errors in the page console', () => {
  assert.deepEqual(consoleErrors, []);
});
