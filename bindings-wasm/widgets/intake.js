// <tsunagu-intake>: enter a household (members, attributes, issues, ties) and see, as you type,
// the core's validation problems, the composite patterns found, the routing recommendations with
// their explanations, and which meeting fits next and whether consent is needed.
//
// Attributes: lang ("ja" | "en"), today (ISO date; default: the user's clock).
// Properties: config (EngineConfig: taxonomy extension, agencies, meeting types), registry
// (optional, a full-module `Registry`: each member is then chosen from the person master with
// <tsunagu-person-search>, which fills the member's id, name and birth date — no id is typed),
// household
// (get: the current document; set: load a document into the form), situation, result.
// Events (bubbling, composed): "tsunagu-change" on every edit, detail { household, situation,
// valid, problems, patterns, routing }; "tsunagu-household" when the document is valid, detail
// { household, situation }.
import { load, localToday, esc } from './runtime.js';
import { TsunaguPersonSearch } from './person-search.js';
import {
  ui, pick, label, RELATIONS, EMPLOYMENT, ENGAGEMENT, STRENGTH, URGENCY, CONSENT, PATTERNS,
} from './i18n.js';

function blankMember(n) {
  return {
    id: `m${n}`, relation: n === 1 ? 'head' : 'child', birth: '', approx_age: '', care_level: '',
    disability: '', grade: '', public_assistance: false, single_parent: false, foreign_national: false,
    hospitalised: false, employment: '', engagement: 'engaged', cares_for: [], issues: [],
  };
}

const STYLE = `
:host { display: block; font: 14px/1.5 system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; color: #1d2733; }
form { display: grid; gap: 12px; }
fieldset { border: 1px solid #c5ced8; border-radius: 6px; padding: 8px 12px; margin: 0; }
fieldset[aria-invalid="true"] { border-color: #b3261e; }
legend { font-weight: 600; padding: 0 4px; }
.row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; }
label.field { display: flex; flex-direction: column; font-size: 12px; color: #44515f; }
label.check { display: inline-flex; gap: 4px; align-items: center; }
input, select, button { font: inherit; }
input[type=text], input[type=number], select { padding: 3px 6px; border: 1px solid #8a97a5; border-radius: 4px; min-width: 6em; }
[aria-invalid="true"] { outline: 2px solid #b3261e; outline-offset: 1px; }
button { border: 1px solid #2f6f9f; background: #eef5fb; color: #15476b; border-radius: 4px; padding: 3px 10px; cursor: pointer; }
button:focus-visible, summary:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
details summary { cursor: pointer; }
.issues { columns: 3 14em; margin-top: 4px; }
.issues label { display: flex; gap: 4px; break-inside: avoid; }
.err { color: #b3261e; font-size: 12px; }
.hint { color: #44515f; font-size: 12px; }
section.results { border-top: 2px solid #2f6f9f; padding-top: 8px; display: grid; gap: 8px; }
section.results h3 { margin: 4px 0; font-size: 15px; }
ul { margin: 2px 0; padding-left: 1.2em; }
.pattern, .rec, .meeting { border-left: 4px solid #2f6f9f; background: #f5f8fb; padding: 4px 8px; margin: 4px 0; }
.meeting { border-color: #6b4fa0; }
.tag { display: inline-block; background: #e2e8f0; border-radius: 3px; padding: 0 4px; font-size: 12px; }
`;

if (!customElements.get('tsunagu-person-search')) customElements.define('tsunagu-person-search', TsunaguPersonSearch);

export class TsunaguIntake extends HTMLElement {
  static get observedAttributes() { return ['lang', 'today']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._household = { id: 'h-1', members: [blankMember(1)], issues: [], ties: [] };
    this._situation = { urgency: 'normal', consent: 'none' };
    this._config = undefined;
    this._engine = null;
    this._lib = null;
    this.result = null;
    this.shadowRoot.addEventListener('input', (e) => this._onInput(e));
    this.shadowRoot.addEventListener('change', (e) => this._onInput(e));
    this.shadowRoot.addEventListener('click', (e) => this._onClick(e));
    this.shadowRoot.addEventListener('tsunagu-person', (e) => this._onPerson(e));
  }

  /** A member chosen from the person master: its id, name and birth date fill the member. */
  _onPerson(e) {
    const i = Number(e.target.dataset.m);
    const m = this._household.members[i];
    const p = e.detail.person;
    const old = m.id;
    m.id = p.id;
    if (p.name) m.name = p.name;
    if (p.birth_date) m.birth = p.birth_date;
    for (const o of this._household.members) o.cares_for = o.cares_for.map((c) => (c === old ? m.id : c));
    for (const t of this._household.ties) if (t.member === old) t.member = m.id;
    this._render();
  }

  connectedCallback() {
    load().then((lib) => {
      this._lib = lib;
      this._render();
    });
  }

  attributeChangedCallback() { if (this._lib) this._render(); }

  get lang() { return this.getAttribute('lang') === 'en' ? 'en' : 'ja'; }
  get today() { return this.getAttribute('today') || localToday(); }

  /** EngineConfig (taxonomy extension, agencies, meeting types). */
  get config() { return this._config; }
  set config(c) { this._config = c; this._engine = null; if (this._lib) this._render(); }

  /** The registry whose person master members are chosen from (optional). */
  get registry() { return this._registry ?? null; }
  set registry(r) { this._registry = r; if (this._lib) this._render(); }

  get situation() { return structuredClone(this._situation); }
  set situation(s) { this._situation = { urgency: 'normal', consent: 'none', ...s }; if (this._lib) this._render(); }

  /** The household document as the form currently describes it. */
  get household() { return this._document(); }
  set household(doc) {
    this._household = {
      id: doc.id,
      issues: [...(doc.issues ?? [])],
      ties: (doc.ties ?? []).map((t) => structuredClone(t)),
      members: doc.members.map((p, i) => ({
        ...blankMember(i + 1), ...p,
        birth: p.birth_date ?? '', approx_age: p.approx_age ?? '', care_level: p.care_level ?? '',
        disability: p.disabilities?.[0]?.kind ?? '', grade: p.disabilities?.[0]?.grade ?? '',
        employment: p.employment ?? '', engagement: p.engagement ?? 'engaged',
        cares_for: [...(p.cares_for ?? [])], issues: [...(p.issues ?? [])],
      })),
    };
    if (this._lib) this._render();
  }

  /** Ready once the module is loaded and the form drawn. */
  get ready() { return load().then(() => undefined); }

  _engineOrNew() {
    this._engine ??= new this._lib.Engine(this._config);
    return this._engine;
  }

  /** The document, and the core's errors for dates typed in a form it cannot read. */
  _documentAndDateProblems() {
    const h = this._household;
    const lib = this._lib;
    const dateProblems = [];
    const members = h.members.map((m, i) => {
      const p = { id: m.id, relation: m.relation };
      const birth = m.birth.trim();
      if (birth && lib) {
        // 和暦 or ISO, read by the core; its error is shown at the field.
        try {
          p.birth_date = lib.parseEraDate(birth);
        } catch (e) {
          if (e?.name !== 'TsunaguError') throw e;
          dateProblems.push({ code: e.code, path: `$.members[${i}].birth_date`, message: e.message });
        }
      }
      if (m.approx_age !== '' && m.approx_age !== null) p.approx_age = Number(m.approx_age);
      if (m.care_level) p.care_level = m.care_level;
      if (m.disability) p.disabilities = [m.grade ? { kind: m.disability, grade: m.grade } : { kind: m.disability }];
      for (const f of ['public_assistance', 'single_parent', 'foreign_national', 'hospitalised']) if (m[f]) p[f] = true;
      if (m.employment) p.employment = m.employment;
      if (m.engagement !== 'engaged') p.engagement = m.engagement;
      if (m.cares_for.length) p.cares_for = [...m.cares_for];
      if (m.issues.length) p.issues = [...m.issues];
      if (m.name) p.name = m.name;
      return p;
    });
    const doc = { id: h.id, members };
    if (h.area) doc.area = h.area;
    if (h.issues.length) doc.issues = [...h.issues];
    if (h.ties.length) doc.ties = h.ties.map((t) => structuredClone(t));
    return { doc, dateProblems };
  }

  _document() {
    return this._documentAndDateProblems().doc;
  }

  // ---- rendering ----------------------------------------------------------------------------

  _render() {
    const L = ui(this.lang);
    const lang = this.lang;
    let engine;
    try {
      engine = this._engineOrNew();
    } catch (e) {
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><p class="err" role="alert">${esc(e.code)}: ${esc(e.message)}</p>`;
      return;
    }
    const tax = engine.taxonomy();
    this._tax = tax;
    this._agencies = engine.agencies();
    const h = this._household;
    const opts = (table, value, blank) => (blank !== undefined ? `<option value="">${esc(blank)}</option>` : '')
      + Object.keys(table).map((k) => `<option value="${esc(k)}"${k === value ? ' selected' : ''}>${esc(pick(table, k, lang))}</option>`).join('');
    const termOpts = (terms, value) => `<option value="">${esc(L.none)}</option>`
      + terms.map((t) => `<option value="${esc(t.code)}"${t.code === value ? ' selected' : ''}>${esc(label(t, lang))}</option>`).join('');
    const issueBoxes = (selected, base, path) => `<div class="issues" data-path="${path}">${tax.issues.map((i) => {
      const id = `${base}-${i.code}`;
      return `<label for="${id}"><input type="checkbox" id="${id}" data-issue="${esc(i.code)}"${selected.includes(i.code) ? ' checked' : ''}>${esc(label(i, lang))}</label>`;
    }).join('')}</div>`;

    const members = h.members.map((m, i) => {
      const base = `m${i}`;
      const path = `$.members[${i}]`;
      const others = h.members.filter((o) => o !== m);
      const field = (f, text, input) => `<label class="field" for="${base}-${f}">${esc(text)}${input}</label>`;
      const check = (f, text) => `<label class="check" for="${base}-${f}"><input type="checkbox" id="${base}-${f}" data-m="${i}" data-f="${f}" data-path="${path}.${f}"${m[f] ? ' checked' : ''}>${esc(text)}</label>`;
      return `<fieldset data-path="${path}" data-member="${i}">
        <legend>${esc(L.member)} ${i + 1}</legend>
        <div class="row">
          ${this._registry
    ? `<div class="field" data-path="${path}.id">${esc(L.person)}<tsunagu-person-search lang="${lang}" data-m="${i}"></tsunagu-person-search><span class="hint" data-chosen="${i}">${esc(m.name ?? '')}</span></div>`
    : field('id', L.memberId, `<input type="text" id="${base}-id" data-m="${i}" data-f="id" data-path="${path}.id" value="${esc(m.id)}" size="8">`)}
          ${field('relation', L.relation, `<select id="${base}-relation" data-m="${i}" data-f="relation" data-path="${path}.relation">${opts(RELATIONS, m.relation)}</select>`)}
          ${field('birth', L.birthDate, `<input type="text" id="${base}-birth" data-m="${i}" data-f="birth" data-path="${path}.birth_date" value="${esc(m.birth)}" placeholder="2013-09-02 / 平成25年9月2日" size="16" aria-describedby="${base}-birth-hint">`)}
          <span class="hint" id="${base}-birth-hint" aria-live="polite"></span>
          ${field('approx_age', L.approxAge, `<input type="number" min="0" max="130" id="${base}-approx_age" data-m="${i}" data-f="approx_age" data-path="${path}.approx_age" value="${esc(m.approx_age)}" style="width:5em">`)}
        </div>
        <div class="row">
          ${field('care_level', L.careLevel, `<select id="${base}-care_level" data-m="${i}" data-f="care_level" data-path="${path}.care_level">${termOpts(tax.care_levels ?? [], m.care_level)}</select>`)}
          ${field('disability', L.disability, `<select id="${base}-disability" data-m="${i}" data-f="disability" data-path="${path}.disabilities">${termOpts(tax.certificate_kinds ?? [], m.disability)}</select>`)}
          ${field('grade', L.grade, `<input type="text" id="${base}-grade" data-m="${i}" data-f="grade" value="${esc(m.grade)}" size="4">`)}
          ${field('employment', L.employment, `<select id="${base}-employment" data-m="${i}" data-f="employment" data-path="${path}.employment">${opts(EMPLOYMENT, m.employment, L.none)}</select>`)}
          ${field('engagement', L.engagement, `<select id="${base}-engagement" data-m="${i}" data-f="engagement" data-path="${path}.engagement">${opts(ENGAGEMENT, m.engagement)}</select>`)}
        </div>
        <div class="row">
          ${check('public_assistance', L.publicAssistance)} ${check('single_parent', L.singleParent)}
          ${check('foreign_national', L.foreignNational)} ${check('hospitalised', L.hospitalised)}
        </div>
        <fieldset data-path="${path}.cares_for"><legend>${esc(L.caresFor)}</legend>
          ${others.length ? others.map((o) => {
            const id = `${base}-cares-${esc(o.id)}`;
            return `<label class="check" for="${id}"><input type="checkbox" id="${id}" data-m="${i}" data-cares="${esc(o.id)}"${m.cares_for.includes(o.id) ? ' checked' : ''}>${esc(o.id)} (${esc(pick(RELATIONS, o.relation, lang))})</label>`;
          }).join(' ') : `<span class="hint">—</span>`}
        </fieldset>
        <details data-m="${i}"${m.issues.length ? ' open' : ''}><summary>${esc(L.issues)} (${m.issues.length})</summary>
          ${issueBoxes(m.issues, `${base}-issue`, `${path}.issues`).replace(/data-issue=/g, `data-m="${i}" data-issue=`)}
        </details>
        <button type="button" data-action="remove-member" data-m="${i}" aria-label="${esc(L.removeMember)} ${i + 1}">${esc(L.removeMember)}</button>
      </fieldset>`;
    }).join('');

    const ties = h.ties.map((t, j) => {
      const base = `t${j}`;
      const path = `$.ties[${j}]`;
      const isAgency = t.with.type === 'agency';
      const memberOpts = `<option value="">${esc(L.wholeHousehold)}</option>` + h.members.map((m) => `<option value="${esc(m.id)}"${m.id === t.member ? ' selected' : ''}>${esc(m.id)}</option>`).join('');
      const agencyOpts = this._agencies.map((a) => `<option value="${esc(a.id)}"${a.id === t.with.agency ? ' selected' : ''}>${esc(a.name)}</option>`).join('');
      return `<fieldset data-path="${path}" data-tie="${j}"><legend>${esc(L.ties)} ${j + 1}</legend><div class="row">
        <label class="field" for="${base}-member">${esc(L.tieMember)}<select id="${base}-member" data-t="${j}" data-f="member" data-path="${path}.member">${memberOpts}</select></label>
        <label class="field" for="${base}-type">${esc(L.tieWith)}<select id="${base}-type" data-t="${j}" data-f="type">
          <option value="agency"${isAgency ? ' selected' : ''}>${esc(L.agency)}</option><option value="informal"${isAgency ? '' : ' selected'}>${esc(L.informal)}</option></select></label>
        ${isAgency
          ? `<label class="field" for="${base}-agency">${esc(L.agency)}<select id="${base}-agency" data-t="${j}" data-f="agency" data-path="${path}.with.agency"><option value=""></option>${agencyOpts}</select></label>`
          : `<label class="field" for="${base}-kind">${esc(L.tieKind)}<input type="text" list="informal-kinds" id="${base}-kind" data-t="${j}" data-f="kind" data-path="${path}.with.kind" value="${esc(t.with.kind)}" size="14"></label>
             <label class="field" for="${base}-label">${esc(L.tieLabel)}<input type="text" id="${base}-label" data-t="${j}" data-f="label" value="${esc(t.with.label ?? '')}" size="10"></label>`}
        <label class="field" for="${base}-strength">${esc(L.strength)}<select id="${base}-strength" data-t="${j}" data-f="strength" data-path="${path}.strength">${opts(STRENGTH, t.strength)}</select></label>
        <button type="button" data-action="remove-tie" data-t="${j}" aria-label="${esc(L.removeTie)} ${j + 1}">${esc(L.removeTie)}</button>
      </div></fieldset>`;
    }).join('');

    const informalKinds = tax.agency_kinds.map((k) => `<option value="${esc(k.code)}">${esc(label(k, lang))}</option>`).join('');

    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <form aria-label="${esc(L.intake)}" novalidate>
        <fieldset><legend>${esc(L.household)}</legend><div class="row">
          <label class="field" for="hh-id">${esc(L.householdId)}<input type="text" id="hh-id" data-f="household-id" data-path="$.id" value="${esc(h.id)}" size="10"></label>
          <label class="field" for="urgency">${esc(L.urgency)}<select id="urgency" data-s="urgency">${opts(URGENCY, this._situation.urgency)}</select></label>
          <label class="field" for="consent">${esc(L.consent)}<select id="consent" data-s="consent">${opts(CONSENT, this._situation.consent)}</select></label>
        </div>
        <details${h.issues.length ? ' open' : ''}><summary>${esc(L.householdIssues)} (${h.issues.length})</summary>${issueBoxes(h.issues, 'hh-issue', '$.issues')}</details>
        </fieldset>
        ${members}
        <div><button type="button" data-action="add-member">${esc(L.addMember)}</button></div>
        ${ties}
        <div><button type="button" data-action="add-tie">${esc(L.addTie)}</button></div>
        <datalist id="informal-kinds">${informalKinds}</datalist>
      </form>
      <section class="results" aria-label="${esc(L.results)}">
        <div aria-live="polite" id="problems-box"><h3>${esc(L.problems)}</h3><div id="problems"></div></div>
        <div aria-live="polite"><h3>${esc(L.patterns)}</h3><div id="patterns"></div></div>
        <div aria-live="polite"><h3>${esc(L.recommendations)}</h3><div id="recommendations"></div></div>
        <div aria-live="polite"><h3>${esc(L.nextMeeting)}</h3><div id="meeting"></div></div>
      </section>`;
    this.shadowRoot.querySelectorAll('tsunagu-person-search').forEach((ps) => { ps.registry = this._registry; });
    this._evaluate();
  }

  // ---- editing ------------------------------------------------------------------------------

  _onInput(e) {
    const el = e.target;
    const h = this._household;
    const d = el.dataset;
    let structural = false;
    if (d.s) this._situation[d.s] = el.value;
    else if (d.f === 'household-id') h.id = el.value;
    else if (d.t !== undefined) {
      const t = h.ties[Number(d.t)];
      if (d.f === 'member') { if (el.value) t.member = el.value; else delete t.member; }
      else if (d.f === 'strength') t.strength = el.value;
      else if (d.f === 'type') {
        t.with = el.value === 'agency' ? { type: 'agency', agency: this._agencies[0]?.id ?? '' } : { type: 'informal', kind: 'welfare_commissioner' };
        structural = true;
      } else if (d.f === 'agency') t.with.agency = el.value;
      else if (d.f === 'kind') t.with.kind = el.value;
      else if (d.f === 'label') { if (el.value) t.with.label = el.value; else delete t.with.label; }
    } else if (d.m !== undefined) {
      const i = Number(d.m);
      const m = h.members[i];
      if (d.issue) toggle(m.issues, d.issue, el.checked);
      else if (d.cares) toggle(m.cares_for, d.cares, el.checked);
      else if (el.type === 'checkbox') m[d.f] = el.checked;
      else if (d.f === 'id') {
        const old = m.id;
        m.id = el.value;
        for (const o of h.members) o.cares_for = o.cares_for.map((c) => (c === old ? m.id : c));
        for (const t of h.ties) if (t.member === old) t.member = m.id;
        if (e.type === 'change') structural = true;
      } else {
        m[d.f] = el.value;
        if (d.f === 'relation' && e.type === 'change') structural = true;
      }
    } else if (d.issue) toggle(h.issues, d.issue, el.checked);
    if (structural) this._rerenderKeepingFocus(el.id);
    else { this._updateSummaries(); this._evaluate(); }
  }

  _onClick(e) {
    const btn = e.target.closest('button[data-action]');
    if (!btn) return;
    const h = this._household;
    const action = btn.dataset.action;
    if (action === 'add-member') {
      let n = h.members.length + 1;
      while (h.members.some((m) => m.id === `m${n}`)) n += 1;
      h.members.push(blankMember(n));
      this._rerenderKeepingFocus(`m${h.members.length - 1}-relation`);
    } else if (action === 'remove-member') {
      const [gone] = h.members.splice(Number(btn.dataset.m), 1);
      for (const o of h.members) o.cares_for = o.cares_for.filter((c) => c !== gone.id);
      h.ties = h.ties.filter((t) => t.member !== gone.id);
      this._rerenderKeepingFocus('add-member');
    } else if (action === 'add-tie') {
      h.ties.push({ member: h.members[0]?.id, with: { type: 'informal', kind: 'welfare_commissioner', label: '' }, strength: 'weak' });
      delete h.ties[h.ties.length - 1].with.label;
      this._rerenderKeepingFocus(`t${h.ties.length - 1}-type`);
    } else if (action === 'remove-tie') {
      h.ties.splice(Number(btn.dataset.t), 1);
      this._rerenderKeepingFocus('add-tie');
    }
  }

  _rerenderKeepingFocus(id) {
    this._render();
    const el = id === 'add-member' || id === 'add-tie'
      ? this.shadowRoot.querySelector(`button[data-action="${id}"]`)
      : this.shadowRoot.getElementById(id);
    el?.focus();
  }

  _updateSummaries() {
    const L = ui(this.lang);
    this.shadowRoot.querySelectorAll('details[data-m]').forEach((det) => {
      det.querySelector('summary').textContent = `${L.issues} (${this._household.members[Number(det.dataset.m)].issues.length})`;
    });
  }

  // ---- evaluation ---------------------------------------------------------------------------

  _evaluate() {
    const L = ui(this.lang);
    const lang = this.lang;
    const root = this.shadowRoot;
    const today = this.today;
    const { doc: household, dateProblems } = this._documentAndDateProblems();
    const situation = { ...this._situation, today };
    let problems = [];
    let patterns = [];
    let routing = null;
    const engine = this._engineOrNew();
    try {
      problems = [...dateProblems, ...engine.householdProblems(household, today)];
      if (problems.length === 0) {
        patterns = engine.detectPatterns(household, today);
        if (typeof engine.route === 'function') routing = engine.route(household, situation);
      }
    } catch (e) {
      if (e?.name !== 'TsunaguError') throw e;
      if (e.code === 'internal_panic') this._engine = null;
      problems = [...dateProblems, { code: e.code, path: e.path, message: e.message }];
    }

    // birth-date hints: how a Japanese date was read
    household.members.forEach((p, i) => {
      const hint = root.getElementById(`m${i}-birth-hint`);
      const raw = this._household.members[i]?.birth.trim();
      if (hint) hint.textContent = raw && p.birth_date && raw !== p.birth_date ? `${L.parsedAs}: ${p.birth_date}` : '';
    });

    // problems beside the fields
    root.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    root.querySelectorAll('.err[data-for]').forEach((el) => el.remove());
    for (const p of problems) {
      const el = p.path && this._fieldFor(p.path);
      if (el) {
        el.setAttribute('aria-invalid', 'true');
      }
    }
    root.getElementById('problems').innerHTML = problems.length
      ? `<ul role="list">${problems.map((p) => `<li class="err" data-code="${esc(p.code)}"><span class="tag">${esc(p.code)}</span> ${p.path ? `<code>${esc(p.path)}</code> ` : ''}${esc(p.message)}</li>`).join('')}</ul>`
      : `<p class="hint">${esc(L.noProblems)}</p>`;

    root.getElementById('patterns').innerHTML = patterns.length
      ? patterns.map((f) => `<div class="pattern" data-pattern="${esc(f.pattern)}"><strong>${esc(pick(PATTERNS, f.pattern, lang))}</strong>
          <ul>${f.evidence.facts.map((x) => `<li>${esc(label(x, lang))}</li>`).join('')}</ul></div>`).join('')
      : `<p class="hint">${esc(problems.length ? '—' : L.noPatterns)}</p>`;

    const recs = routing?.recommendations ?? [];
    const kindLabel = (code) => label(this._tax.agency_kinds.find((k) => k.code === code), lang) || code;
    const projectLabel = (code) => label((this._tax.projects ?? []).find((k) => k.code === code), lang) || code;
    root.getElementById('recommendations').innerHTML = typeof engine.route !== 'function'
      ? `<p class="hint">${esc(L.noRouting)}</p>`
      : recs.length ? `<ol>${recs.map((r) => `<li class="rec" data-rule="${esc(r.rule)}">
          <strong>${esc([r.agency_kind && kindLabel(r.agency_kind), r.project && projectLabel(r.project)].filter(Boolean).join(' / '))}</strong>
          <span class="tag">${esc(pick(URGENCY, r.urgency, lang))}</span>
          <div>${esc(L.why)}: ${esc(label(r.explanation.description, lang))}</div>
          <ul>${r.explanation.facts.map((x) => `<li>${esc(this._factText(x, situation, lang))}</li>`).join('')}</ul></li>`).join('')}</ol>`
        : `<p class="hint">—</p>`;

    // Meetings the recommendations suggest, in rank order, each with its personal-information rule.
    const codes = [...new Set(recs.map((r) => r.meeting).filter(Boolean))];
    const meetings = codes.map((c) => engine.meetingType(c) ?? { code: c, label: { ja: c, en: c }, base: { legal_basis: '', personal_info: '' } });
    root.getElementById('meeting').innerHTML = meetings.length
      ? meetings.map((mt) => `<div class="meeting" data-meeting="${esc(mt.code)}" data-personal-info="${esc(mt.base.personal_info)}">
          <strong>${esc(label(mt.label, lang))}</strong> <span class="tag">${esc(mt.base.legal_basis)}</span>
          <div>${esc(mt.base.personal_info === 'consent_required' ? L.consentNeeded : mt.base.personal_info === 'aggregate_only' ? L.aggregateOnly : L.consentNotNeeded)}</div></div>`).join('')
      : '<p class="hint">—</p>';

    const valid = problems.length === 0;
    this.result = { household, situation, valid, problems, patterns, routing };
    const opts = { bubbles: true, composed: true };
    this.dispatchEvent(new CustomEvent('tsunagu-change', { ...opts, detail: this.result }));
    if (valid) this.dispatchEvent(new CustomEvent('tsunagu-household', { ...opts, detail: { household, situation } }));
  }

  /** A routing fact in words. The fallback's fact names the receiving window by its agency-kind
   *  code (core/src/routing/explain.rs writes `受付窓口: <code>`): shown with the kind's label. */
  _factText(fact, situation, lang) {
    if (fact.kind === 'fallback') {
      const code = situation.receiving_window ?? 'comprehensive_window';
      const kind = this._tax.agency_kinds.find((k) => k.code === code);
      return `${ui(lang).receivingWindow}: ${kind ? label(kind, lang) : code}`;
    }
    return label(fact.text, lang);
  }

  /** The form control (or group) showing the field at a JSON path, the closest ancestor path. */
  _fieldFor(path) {
    let p = path;
    while (p && p !== '$') {
      const el = this.shadowRoot.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) return el;
      p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (p === path) break;
    }
    return null;
  }
}

function toggle(list, value, on) {
  const i = list.indexOf(value);
  if (on && i < 0) list.push(value);
  if (!on && i >= 0) list.splice(i, 1);
}
