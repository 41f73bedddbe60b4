// <tsunagu-person-search>: find a person in the person master (個人台帳) by kana or kanji as you
// type, see name, reading, birth date in 和暦 and area, and choose one: the widget then holds the
// person's id, so no worker types an internal id.
//
// Attributes: lang ("ja" | "en"), placeholder, limit (default 10).
// Properties: registry (a full-module `Registry`: the widget only calls `searchPersons`),
// value (the chosen person id, or ""), person (the chosen record, or null).
// Events (bubbling, composed): "tsunagu-person", detail { id, person } when a person is chosen.
import { load, esc } from './runtime.js';
import { ui, personLine } from './i18n.js';

const STYLE = `
:host { display: inline-block; position: relative; font: inherit; min-width: 18em; }
input { font: inherit; padding: 3px 6px; border: 1px solid #8a97a5; border-radius: 4px; width: 100%; box-sizing: border-box; }
input:focus-visible, li:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
ul { list-style: none; margin: 2px 0 0; padding: 0; border: 1px solid #c5ced8; border-radius: 4px; background: #fff; max-height: 16em; overflow: auto; }
li { padding: 4px 8px; cursor: pointer; border-bottom: 1px solid #eef1f4; }
li[aria-selected="true"], li:hover { background: #eef5fb; }
.name { font-weight: 600; }
.meta { color: #44515f; font-size: 12px; }
.chosen { font-size: 12px; color: #15476b; }
.hint { color: #44515f; font-size: 12px; }
`;

/** A query from what was typed: kana (hiragana, katakana, half-width, spaces) as a reading
 *  prefix, anything else as a name. */
export function queryOf(text, limit) {
  const t = text.trim();
  if (!t) return null;
  const kana = /^[\p{Script=Hiragana}\p{Script=Katakana}ー・\s\uFF66-\uFF9F]+$/u.test(t);
  return kana ? { reading: t, limit } : { name: t, limit };
}

export class TsunaguPersonSearch extends HTMLElement {
  static get observedAttributes() { return ['lang']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._registry = null;
    this._results = [];
    this._active = -1;
    this._chosen = null;
    this._lib = null;
    this._error = null;
  }

  connectedCallback() {
    load().then((lib) => { this._lib = lib; this._render(); });
  }

  attributeChangedCallback() { if (this._lib) this._render(); }

  get lang() { return this.getAttribute('lang') === 'en' ? 'en' : 'ja'; }
  get registry() { return this._registry; }
  set registry(r) { this._registry = r; this._search(); }
  get value() { return this._chosen?.id ?? ''; }
  get person() { return this._chosen; }

  /** Ready once the module is loaded and the box drawn. */
  get ready() { return load().then(() => undefined); }

  _render() {
    const L = ui(this.lang);
    const typed = this.shadowRoot.querySelector('input')?.value ?? '';
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <input type="search" role="combobox" aria-expanded="${this._results.length > 0}" aria-controls="results"
        aria-autocomplete="list" aria-label="${esc(L.personSearch)}" placeholder="${esc(this.getAttribute('placeholder') ?? L.personSearchHint)}" value="${esc(typed)}">
      <div class="chosen" aria-live="polite">${this._chosen ? esc(`${L.chosen}: ${personLine(this._chosen, this.lang, this._lib)}`) : ''}</div>
      <ul id="results" role="listbox" ${this._results.length ? '' : 'hidden'}>${this._results.map((p, i) => `
        <li role="option" id="opt-${i}" data-i="${i}" aria-selected="${i === this._active}" tabindex="-1">
          <span class="name">${esc(p.name ?? '—')}</span> <span class="meta">${esc(personLine(p, this.lang, this._lib, { name: false }))}</span></li>`).join('')}</ul>
      ${this._error ? `<div class="hint" role="status">${esc(this._error)}</div>` : ''}`;
    const input = this.shadowRoot.querySelector('input');
    input.addEventListener('input', () => this._search());
    input.addEventListener('keydown', (e) => this._key(e));
    this.shadowRoot.querySelectorAll('li[data-i]').forEach((li) => {
      li.addEventListener('mousedown', (e) => { e.preventDefault(); this._choose(Number(li.dataset.i)); });
    });
  }

  _search() {
    const input = this.shadowRoot.querySelector('input');
    if (!input || !this._registry) return;
    const q = queryOf(input.value, Number(this.getAttribute('limit') ?? 10));
    this._error = null;
    if (!q) this._results = [];
    else {
      try {
        this._results = this._registry.searchPersons(q).persons;
        if (!this._results.length) this._error = ui(this.lang).noPerson;
      } catch (e) {
        if (e?.name !== 'TsunaguError') throw e;
        this._results = [];
        this._error = ui(this.lang).noPerson;
      }
    }
    this._active = this._results.length ? 0 : -1;
    const pos = input.selectionStart;
    this._render();
    const again = this.shadowRoot.querySelector('input');
    again.focus();
    again.setSelectionRange(pos, pos);
  }

  _key(e) {
    if (!this._results.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this._results.length;
      this._active = (this._active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.shadowRoot.querySelectorAll('li[data-i]').forEach((li, i) => li.setAttribute('aria-selected', String(i === this._active)));
      this.shadowRoot.querySelector('input').setAttribute('aria-activedescendant', `opt-${this._active}`);
    } else if (e.key === 'Enter' && this._active >= 0) {
      e.preventDefault();
      this._choose(this._active);
    } else if (e.key === 'Escape') {
      this._results = [];
      this._render();
    }
  }

  _choose(i) {
    this._chosen = this._results[i];
    this._results = [];
    this._render();
    this.shadowRoot.querySelector('input').value = '';
    this.dispatchEvent(new CustomEvent('tsunagu-person', {
      bubbles: true, composed: true, detail: { id: this._chosen.id, person: this._chosen },
    }));
  }
}
