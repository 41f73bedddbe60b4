// <tsunagu-form>: show and edit a form (様式) — the four national sheets of 包括的相談支援 or a
// municipality's own — report every problem beside its field, and print it cleanly on A4.
//
// Attributes: form (the form id: intake, assessment, plan, evaluation …), lang ("ja" | "en"),
// today (ISO date; default: the user's clock), record, case, household, plan (the ids the
// submission names; the host chooses them, the widget never asks a worker to type one).
// Properties: registry (a full-module `Registry`: definitions, choice labels, validation and the
// print layout all come from it), values (get/set the values by field id), submission (the
// submission as the form describes it), problems (the core's, each `{code, path, message}`).
// Methods: print() (the browser's print dialog; the print view is the core's `formLayout`).
// Events (bubbling, composed): "tsunagu-change", detail { submission, problems }.
//
// Decisions: a person field is chosen with <tsunagu-person-search> (the person master), an
// agency or worker field from the registry's lists, so no internal id is typed; a date field
// takes 和暦 or ISO text as the core reads both; the print view is only the core's layout
// (labels and values in the chosen language, ◎ for the main choice), on A4 with 15 mm margins.
import { load, localToday, esc } from './runtime.js';
import { ui, pick, label, personLine, RELATIONS, FORM_PROBLEMS } from './i18n.js';
import { TsunaguPersonSearch } from './person-search.js';

if (!customElements.get('tsunagu-person-search')) customElements.define('tsunagu-person-search', TsunaguPersonSearch);

const STYLE = `
:host { display: block; font: 14px/1.5 system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; color: #1d2733; }
fieldset { border: 1px solid #c5ced8; border-radius: 6px; padding: 6px 12px; margin: 0 0 10px; }
legend { font-weight: 600; }
.field { display: flex; flex-direction: column; margin: 4px 0; font-size: 12px; color: #44515f; }
.req::after { content: " *"; color: #b3261e; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=number], select, textarea { padding: 3px 6px; border: 1px solid #8a97a5; border-radius: 4px; max-width: 40em; }
textarea { min-height: 3em; }
[aria-invalid="true"] { outline: 2px solid #b3261e; outline-offset: 1px; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
.choices { display: flex; flex-wrap: wrap; gap: 2px 14px; color: #1d2733; }
.err { color: #b3261e; font-size: 12px; }
table.rows td { vertical-align: top; padding: 2px 4px; }
button { border: 1px solid #2f6f9f; background: #eef5fb; color: #15476b; border-radius: 4px; padding: 2px 8px; cursor: pointer; white-space: nowrap; }
.print { display: none; }
.print h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
.print h2 { font-size: 11pt; border-bottom: 1px solid #000; margin: 4mm 0 1mm; }
.print table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
.print th, .print td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; }
.print th { width: 30%; background: #f0f0f0; font-weight: normal; }
.print tr { break-inside: avoid; }
@media print {
  :host { color: #000; font-size: 10pt; }
  .editor { display: none; }
  .print { display: block; }
}
`;

/** The page-level print rule (an @page rule inside a shadow root is ignored): A4, 15 mm. */
function ensurePageRule() {
  if (document.getElementById('tsunagu-form-page')) return;
  const s = document.createElement('style');
  s.id = 'tsunagu-form-page';
  s.textContent = '@page { size: A4; margin: 15mm; } @media print { body > *:not(tsunagu-form):not(:has(tsunagu-form)) { display: none !important; } }';
  document.head.append(s);
}

export class TsunaguForm extends HTMLElement {
  static get observedAttributes() { return ['form', 'lang', 'today']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._registry = null;
    this._values = {};
    this._lib = null;
    this.problems = [];
    this.shadowRoot.addEventListener('input', (e) => this._onInput(e));
    this.shadowRoot.addEventListener('change', (e) => this._onInput(e));
    this.shadowRoot.addEventListener('click', (e) => this._onClick(e));
    this.shadowRoot.addEventListener('tsunagu-person', (e) => this._onPerson(e));
  }

  connectedCallback() {
    ensurePageRule();
    load().then((lib) => { this._lib = lib; this._render(); });
  }

  attributeChangedCallback() { if (this._lib) this._render(); }

  get lang() { return this.getAttribute('lang') === 'en' ? 'en' : 'ja'; }
  get today() { return this.getAttribute('today') || localToday(); }
  get registry() { return this._registry; }
  set registry(r) { this._registry = r; if (this._lib) this._render(); }
  get values() { return structuredClone(this._values); }
  set values(v) { this._values = structuredClone(v ?? {}); if (this._lib) this._render(); }

  /** Ready once the module is loaded and the form drawn. */
  get ready() { return load().then(() => undefined); }

  get submission() {
    const s = { form: this.getAttribute('form'), record: this.getAttribute('record') || `${this.getAttribute('form')}-record` };
    for (const k of ['case', 'household', 'plan']) if (this.getAttribute(k)) s[k] = this.getAttribute(k);
    s.values = this._cleanValues();
    return s;
  }

  print() { window.print(); }

  _cleanValues() {
    const out = {};
    for (const [k, v] of Object.entries(this._values)) {
      if (v === '' || v === null || v === undefined) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      out[k] = v;
    }
    return out;
  }

  _definition() {
    return this._registry?.form(this.getAttribute('form') ?? '') ?? null;
  }

  // ---- rendering ----------------------------------------------------------------------------

  _render() {
    const L = ui(this.lang);
    const def = this._definition();
    if (!def) {
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><p class="err" role="alert">${esc(L.form)}: —</p>`;
      return;
    }
    this._options = this._registry.formOptions(def.id);
    this._fieldLabels = {};
    const sections = def.sections.map((s) => `<fieldset><legend>${esc(label(s.label, this.lang))}</legend>
      ${s.fields.map((f) => this._field(f, [f.id], this._values[f.id])).join('')}</fieldset>`).join('');
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <form class="editor" novalidate aria-label="${esc(label(def.title, this.lang))}">
        <h2>${esc(label(def.title, this.lang))}</h2>${sections}
        <section aria-labelledby="problems-h"><h3 id="problems-h">${esc(L.formProblems)}</h3><div id="problems" aria-live="polite"></div></section>
        <button type="button" data-action="print">${esc(L.print)}</button>
      </form>
      <section class="print" aria-hidden="true"></section>`;
    this._evaluate();
  }

  /** One field at `keys` (a group's field: [group, row, field]). */
  _field(f, keys, value) {
    const lang = this.lang;
    const L = ui(lang);
    const path = `$.values${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
    const id = `f-${keys.join('-')}`;
    this._fieldLabels[path] = label(f.label, lang);
    const data = `data-keys='${esc(JSON.stringify(keys))}' data-path="${esc(path)}" id="${id}"`;
    const optKey = keys.filter((k) => typeof k === 'string').join('.');
    const options = this._options[optKey] ?? [];
    const t = f.type;
    let input;
    switch (t.kind) {
      case 'long_text': input = `<textarea ${data}>${esc(value ?? '')}</textarea>`; break;
      case 'number': input = `<input type="number" ${data} value="${esc(value ?? '')}"${t.min !== undefined ? ` min="${t.min}"` : ''}${t.max !== undefined ? ` max="${t.max}"` : ''}>`; break;
      case 'boolean': input = `<label class="choices"><input type="checkbox" ${data}${value ? ' checked' : ''}> ${esc(L.yes)}</label>`; break;
      case 'date': input = `<input type="text" ${data} value="${esc(value ?? '')}" placeholder="${lang === 'en' ? '2023-11-16' : '令和5年11月16日'}" size="18">`; break;
      case 'choice':
        input = `<select ${data}><option value=""></option>${options.map((o) => `<option value="${esc(o.code)}"${o.code === value ? ' selected' : ''}>${esc(label(o.label, lang))}</option>`).join('')}</select>`;
        break;
      case 'multi_choice': {
        const sel = Array.isArray(value) ? value : (value?.selected ?? []);
        const main = Array.isArray(value) ? null : value?.main;
        input = `<div class="choices" role="group" ${data}>${options.map((o, i) => `
          <label><input type="checkbox" data-multi="${esc(o.code)}" id="${id}-${i}"${sel.includes(o.code) ? ' checked' : ''}> ${esc(label(o.label, lang))}</label>
          ${t.main ? `<label title="${esc(L.main)}"><input type="radio" name="${id}-main" data-main="${esc(o.code)}"${main === o.code ? ' checked' : ''} aria-label="${esc(`${label(o.label, lang)} ${L.main}`)}">◎</label>` : ''}`).join('')}</div>`;
        break;
      }
      case 'agency':
        input = `<select ${data}><option value=""></option>${this._registry.agencies().map((a) => `<option value="${esc(a.id)}"${a.id === value ? ' selected' : ''}>${esc(a.name)}</option>`).join('')}</select>`;
        break;
      case 'worker':
        input = `<select ${data}><option value=""></option>${this._registry.workers().map((w) => `<option value="${esc(w.worker.id)}"${w.worker.id === value ? ' selected' : ''}>${esc(w.worker.name)}</option>`).join('')}</select>`;
        break;
      case 'person': {
        const v = value ?? {};
        input = `<div ${data} data-person>
          <tsunagu-person-search lang="${lang}" data-keys='${esc(JSON.stringify(keys))}'></tsunagu-person-search>
          <span class="chosen">${v.id ? esc(personLine(v, lang, this._lib) || v.name || '') : ''}</span>
          <label>${esc(L.relation)} <select data-keys='${esc(JSON.stringify([...keys, 'relation']))}'><option value=""></option>${Object.keys(RELATIONS).map((r) => `<option value="${r}"${v.relation === r ? ' selected' : ''}>${esc(pick(RELATIONS, r, lang))}</option>`).join('')}</select></label></div>`;
        break;
      }
      case 'group': {
        const rows = Array.isArray(value) ? value : [];
        input = `<table class="rows" ${data}><tbody>${rows.map((row, r) => `<tr>${t.fields.map((sf) => `<td>${this._field(sf, [...keys, r, sf.id], row?.[sf.id])}</td>`).join('')}
          <td><button type="button" data-action="remove-row" data-keys='${esc(JSON.stringify(keys))}' data-row="${r}">${esc(L.removeRow)}</button></td></tr>`).join('')}</tbody></table>
          <button type="button" data-action="add-row" data-keys='${esc(JSON.stringify(keys))}'>${esc(L.addRow)}</button>`;
        break;
      }
      default: input = `<input type="text" ${data} value="${esc(value ?? '')}">`;
    }
    const help = f.help ? `<span class="hint">${esc(label(f.help, lang))}</span>` : '';
    return `<div class="field" data-field="${esc(path)}"><span class="${f.required ? 'req' : ''}">${esc(label(f.label, lang))}</span>${input}${help}<span class="err" data-for="${esc(path)}"></span></div>`;
  }

  // ---- editing --------------------------------------------------------------------------------

  _get(keys) { return keys.reduce((o, k) => (o == null ? undefined : o[k]), this._values); }

  _set(keys, v) {
    let o = this._values;
    keys.slice(0, -1).forEach((k, i) => {
      if (o[k] == null) o[k] = typeof keys[i + 1] === 'number' ? [] : {};
      o = o[k];
    });
    o[keys[keys.length - 1]] = v;
  }

  _onInput(e) {
    const el = e.target;
    const holder = el.closest('[data-keys]');
    if (!holder || el.tagName === 'TSUNAGU-PERSON-SEARCH' || el.closest('tsunagu-person-search')) return;
    const keys = JSON.parse(holder.dataset.keys);
    if (el.dataset.multi !== undefined || el.dataset.main !== undefined) {
      const box = el.closest('[data-keys]');
      const selected = [...box.querySelectorAll('input[data-multi]:checked')].map((x) => x.dataset.multi);
      const main = box.querySelector('input[data-main]:checked')?.dataset.main;
      this._set(keys, main ? { selected: [...new Set([...selected, main])], main } : selected);
    } else if (el.type === 'checkbox') this._set(keys, el.checked);
    else if (el.type === 'number') this._set(keys, el.value === '' ? '' : Number(el.value));
    else this._set(keys, el.value);
    this._evaluate();
  }

  _onPerson(e) {
    const keys = JSON.parse(e.target.dataset.keys);
    const p = e.detail.person;
    const prev = this._get(keys) ?? {};
    const v = { id: p.id };
    if (p.name) v.name = p.name;
    if (p.birth_date) v.birth_date = p.birth_date;
    if (prev.relation) v.relation = prev.relation;
    this._set(keys, v);
    const holder = e.target.closest('[data-person]');
    holder.querySelector('.chosen').textContent = personLine({ ...p }, this.lang, this._lib);
    this._evaluate();
  }

  _onClick(e) {
    const btn = e.target.closest('button[data-action]');
    if (!btn) return;
    if (btn.dataset.action === 'print') { this.print(); return; }
    const keys = JSON.parse(btn.dataset.keys);
    const rows = this._get(keys) ?? [];
    if (btn.dataset.action === 'add-row') rows.push({});
    else rows.splice(Number(btn.dataset.row), 1);
    this._set(keys, rows);
    this._render();
  }

  /** Wire the person boxes to the registry (after each render). */
  _wirePersons() {
    this.shadowRoot.querySelectorAll('tsunagu-person-search').forEach((ps) => { ps.registry = this._registry; });
  }

  // ---- validation and print view --------------------------------------------------------------

  _evaluate() {
    this._wirePersons();
    const root = this.shadowRoot;
    const L = ui(this.lang);
    const sub = this.submission;
    let record = null;
    try {
      record = this._registry.validateForm(sub, this.today);
      this.problems = [];
    } catch (e) {
      if (e?.name !== 'TsunaguError') throw e;
      this.problems = e.problems ?? [{ code: e.code, path: e.path, message: e.message }];
    }
    root.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    root.querySelectorAll('.err[data-for]').forEach((el) => { el.textContent = ''; });
    const described = this.problems.map((p) => {
      const fieldPath = this._closestField(p.path);
      const text = `${fieldPath ? this._fieldLabels[fieldPath] : ''}${fieldPath ? ': ' : ''}${this._problemText(p)}`;
      if (fieldPath) {
        root.querySelector(`[data-path="${CSS.escape(fieldPath)}"]`)?.setAttribute('aria-invalid', 'true');
        const slot = root.querySelector(`.err[data-for="${CSS.escape(fieldPath)}"]`);
        if (slot) slot.textContent = this._problemText(p);
      }
      return `<li class="err" data-code="${esc(p.code)}" data-path="${esc(p.path ?? '')}">${esc(text)}</li>`;
    });
    root.getElementById('problems').innerHTML = described.length ? `<ul>${described.join('')}</ul>` : `<p class="hint">${esc(L.noProblems)}</p>`;
    const print = root.querySelector('.print');
    print.innerHTML = record ? this._printView(this._registry.formLayout(sub, this.today, this.lang)) : '';
    this.dispatchEvent(new CustomEvent('tsunagu-change', { bubbles: true, composed: true, detail: { submission: sub, problems: this.problems } }));
  }

  /** The problem in words: the form's own vocabulary first, then the core's message. */
  _problemText(p) {
    return FORM_PROBLEMS[p.code] ? pick(FORM_PROBLEMS, p.code, this.lang) : p.message;
  }

  _closestField(path) {
    let p = path ?? '';
    while (p && p !== '$') {
      if (this._fieldLabels[p] !== undefined) return p;
      const next = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (next === p) break;
      p = next;
    }
    return null;
  }

  _printView(rows) {
    let html = '';
    let open = false;
    const close = () => { if (open) { html += '</tbody></table>'; open = false; } };
    for (const r of rows) {
      if (r.row === 'title') html += `<h1>${esc(r.text)}</h1>`;
      else if (r.row === 'section') { close(); html += `<h2>${esc(r.text)}</h2>`; }
      else if (r.row === 'field') {
        if (!open) { html += '<table><tbody>'; open = true; }
        html += `<tr><th>${esc(r.label)}</th><td>${esc(r.value)}</td></tr>`;
      } else if (r.row === 'table') {
        close();
        html += `<table><caption style="text-align:left">${esc(r.label)}</caption><thead><tr>${r.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
          <tbody>${r.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
      }
    }
    close();
    return html;
  }
}
