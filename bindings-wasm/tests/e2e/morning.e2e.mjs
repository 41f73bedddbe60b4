// End-to-end: Y-san's morning (DOMAIN.md §8, §9) through the widgets in headless Chromium — find
// her by kana, open her timeline, fill her intake form, record it, print it — and each of the four
// national forms printed to PDF (A4), read back with pdftotext: the Japanese labels and the
// entered values are on paper (相談者 = 本人, ◎ 収入・生活費). No widget shows a raw code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, pkgRoot } from './browser.mjs';

const artifacts = path.join(pkgRoot, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const vectors = path.join(pkgRoot, '../tests/vectors/forms');
let server;
let chromium;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  chromium = await launch();
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(`${server.url}/demo/morning.html`);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

/** The text of a PDF (pdftotext, layout kept). */
function pdfText(file) {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Visible text of a widget (its shadow root), without form controls' option lists. */
async function visibleText(selector) {
  return page.locator(selector).evaluate((el) => {
    const walk = (root) => [...root.childNodes].map((n) => {
      if (n.nodeType === Node.TEXT_NODE) return n.textContent;
      if (n.nodeType !== Node.ELEMENT_NODE || ['STYLE', 'SELECT', 'OPTION', 'SCRIPT'].includes(n.tagName)) return '';
      if (getComputedStyle(n).display === 'none') return '';
      return (n.shadowRoot ? walk(n.shadowRoot) : '') + walk(n);
    }).join(' ');
    return walk(el.shadowRoot);
  });
}

/** A raw code on screen: a snake_case word (`comprehensive_window`, `income_living_costs`). */
const RAW_CODE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;

test('the raw-code check fails on a raw code', () => {
  assert.match('受付窓口: comprehensive_window', RAW_CODE);
  assert.doesNotMatch('受付窓口: 総合相談窓口（丸ごと相談員）', RAW_CODE);
});

test("Y-san's morning: find her by kana, her timeline, her intake form recorded and printed", async () => {
  const setup = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'demo/morning.json'), 'utf8'));
  // 1. Find her by kana: typing たかはし lists her (and the neighbour), with 和暦 birth dates.
  const box = page.locator('#search').locator('input');
  await box.click();
  await box.pressSequentially('たかはし');
  const options = page.locator('#search').locator('li[role="option"]');
  await assert.doesNotReject(options.first().waitFor());
  const listed = await options.allTextContents();
  assert.ok(listed.some((t) => t.includes('髙橋 由美') && t.includes('昭和56年5月20日')), listed.join('|'));
  assert.ok(listed.every((t) => !t.includes('y-mother')), 'no internal id is shown');
  await options.filter({ hasText: '髙橋 由美' }).dispatchEvent('mousedown');
  assert.equal(await page.locator('#search').evaluate((el) => el.value), 'y-mother');
  // 2. Her timeline: no case yet.
  assert.equal(await page.locator('#timeline').getAttribute('person'), 'y-mother');
  // 3. Her intake form: the vector's values, the subject already chosen from the search.
  await page.locator('#form').evaluate((el, values) => {
    el.values = { ...values, subject: { ...el.values.subject, approx_age: 45 } };
  }, setup.intake_values);
  const problems = await page.locator('#form').evaluate((el) => el.problems);
  assert.deepEqual(problems, []);
  const formText = await visibleText('#form');
  assert.match(formText, /相談受付票|受付/);
  assert.doesNotMatch(formText, RAW_CODE, `raw code in the form: ${formText.match(RAW_CODE)?.[0]}`);
  // Recorded by her CSW: the journal event names the actor, and the timeline shows the case.
  await page.locator('#submit').click();
  await page.locator('#receipt').filter({ hasText: '✓' }).waitFor();
  const by = await page.evaluate(() => window.tsunagu.registry.events().at(-1).by);
  assert.deepEqual(by, { worker: 'csw-1', agency: 'sendai-council' });
  const items = await page.locator('#timeline').evaluate((el) => el.items.map((i) => i.kind));
  assert.ok(items.includes('case_transition'), items.join(','));
  const timelineText = await visibleText('#timeline');
  assert.match(timelineText, /令和5年11月16日/);
  assert.match(timelineText, /仙台市社会福祉協議会/);
  assert.doesNotMatch(timelineText, /sendai-council/, 'an agency shown by its id');
  assert.doesNotMatch(timelineText, RAW_CODE, `raw code in the timeline: ${timelineText.match(RAW_CODE)?.[0]}`);
  assert.doesNotMatch(await visibleText('#search'), RAW_CODE);
  await page.screenshot({ path: path.join(artifacts, 'morning.png'), fullPage: true });
  // 4. Print it (A4) and read the paper back.
  const pdf = path.join(artifacts, 'morning-intake.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const text = pdfText(pdf);
  for (const s of ['相談受付', '相談者', '本人', '◎収入・生活費', '髙橋 由美', '令和5年11月16日']) {
    assert.ok(text.includes(s), `${s} not on paper:\n${text.slice(0, 3000)}`);
  }
  assert.doesNotMatch(text, RAW_CODE, `raw code on paper: ${text.match(RAW_CODE)?.[0]}`);
  // 5. The same widgets in English: labels, not codes.
  await page.locator('#lang').selectOption('en');
  const en = `${await visibleText('#timeline')} ${await visibleText('#form')} ${await visibleText('#search')}`;
  assert.match(en, /Case step/);
  assert.match(en, /Receiving window/);
  assert.doesNotMatch(en, RAW_CODE, `raw code in English: ${en.match(RAW_CODE)?.[0]}`);
  await page.screenshot({ path: path.join(artifacts, 'morning-en.png'), fullPage: true });
  await page.locator('#lang').selectOption('ja');
  assert.deepEqual(pageErrors, []);
});

for (const name of ['intake', 'assessment', 'plan', 'evaluation']) {
  test(`the ${name} form prints on A4 with its Japanese labels and the entered values`, async () => {
    const vector = JSON.parse(fs.readFileSync(path.join(vectors, `${name}.json`), 'utf8'));
    // A fresh page state: the vector's agencies, its earlier forms executed, then this form filled
    // with the first submission the vector accepts.
    const chosen = await page.evaluate(async ({ vector, name }) => {
      const { Registry } = await import('/pkg/full/tsunagu_wasm.js');
      const reg = new Registry();
      reg.executeAll((vector.given.agencies ?? []).map((agency) => ({ command: 'register_agency', agency })), '2000-01-01');
      let sub = null;
      vector.when.forEach((step, i) => {
        const ok = !vector.then[i].error;
        if (!ok || sub) return;
        const s = step.args.submission;
        if (step.op === 'execute_form' && s.form !== name) reg.executeForm(s, step.args.today);
        else if (s?.form === name) sub = { submission: s, today: step.args.today };
      });
      const form = document.getElementById('form');
      for (const k of ['case', 'household', 'plan', 'record']) {
        if (sub.submission[k]) form.setAttribute(k, sub.submission[k]); else form.removeAttribute(k);
      }
      form.setAttribute('today', sub.today);
      form.setAttribute('form', name);
      form.registry = reg;
      form.values = sub.submission.values;
      return { problems: form.problems, values: sub.submission.values };
    }, { vector, name });
    assert.deepEqual(chosen.problems, []);
    const pdf = path.join(artifacts, `form-${name}.pdf`);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const text = pdfText(pdf);
    // The form's own labels (from core/data/forms) and every text value entered are on paper.
    const def = await page.evaluate(() => document.getElementById('form').registry.form(document.getElementById('form').getAttribute('form')));
    assert.ok(text.includes(def.title.ja), `title ${def.title.ja} missing:\n${text.slice(0, 2000)}`);
    for (const s of def.sections) assert.ok(text.includes(s.label.ja), `section ${s.label.ja} missing`);
    const strings = Object.values(chosen.values).filter((v) => typeof v === 'string' && /[^\x00-\x7f]/.test(v) && v.length < 40);
    const flat = text.replace(/\s+/g, '');
    for (const v of strings) assert.ok(flat.includes(v.replace(/\s+/g, '')), `value ${v} missing:\n${text.slice(0, 3000)}`);
    // No choice is printed as its code (a text field holds what the worker typed, codes included).
    const codes = await page.evaluate(() => {
      const form = document.getElementById('form');
      return Object.values(form.registry.formOptions(form.getAttribute('form'))).flat().map((o) => o.code);
    });
    const onPaper = codes.filter((c) => RAW_CODE.test(c) && new RegExp(`\\b${c}\\b`).test(text)
      && !strings.some((v) => v.includes(c)));
    assert.deepEqual(onPaper, [], `choice codes on paper:\n${text.slice(0, 3000)}`);
    assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /Page size:.*\(A4\)/);
  });
}
