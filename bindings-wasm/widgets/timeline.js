// <tsunagu-timeline>: the timeline (経過) of a case or of a person from the registry: every
// record in date order, filtered by kind and by date, each with its date (和暦 in Japanese), the
// kind's label and the core's summary (an agency it names by id shown by its name) — labels,
// never codes.
//
// Attributes: lang ("ja" | "en"), case (a case id) or person (a person id), from, to (ISO dates).
// Properties: registry (a full-module `Registry`: the widget only calls `timeline`), kinds (the
// kinds shown; empty: all), items (what is shown).
import { load, esc } from './runtime.js';
import { ui, pick, dateText, TIMELINE_KINDS } from './i18n.js';

const STYLE = `
:host { display: block; font: 14px/1.5 system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; color: #1d2733; }
fieldset { border: 1px solid #c5ced8; border-radius: 6px; padding: 4px 10px; margin: 0 0 8px; }
.kinds { display: flex; flex-wrap: wrap; gap: 2px 12px; }
label { font-size: 12px; }
input { font: inherit; }
input:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
ol { list-style: none; margin: 0; padding: 0; border-left: 3px solid #2f6f9f; }
li { margin: 0 0 6px; padding: 2px 10px; }
li[data-superseded] { opacity: .6; }
time { font-weight: 600; margin-right: 8px; }
.tag { display: inline-block; background: #e2e8f0; border-radius: 3px; padding: 0 4px; font-size: 12px; margin-right: 6px; }
.hint, .err { color: #44515f; font-size: 12px; }
.err { color: #b3261e; }
`;

export class TsunaguTimeline extends HTMLElement {
  static get observedAttributes() { return ['lang', 'case', 'person', 'from', 'to']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._registry = null;
    this._kinds = [];
    this._lib = null;
    this.items = [];
    this.shadowRoot.addEventListener('change', (e) => this._onChange(e));
  }

  connectedCallback() { load().then((lib) => { this._lib = lib; this.refresh(); }); }
  attributeChangedCallback() { if (this._lib) this.refresh(); }

  get lang() { return this.getAttribute('lang') === 'en' ? 'en' : 'ja'; }
  get registry() { return this._registry; }
  set registry(r) { this._registry = r; if (this._lib) this.refresh(); }
  get kinds() { return [...this._kinds]; }
  set kinds(k) { this._kinds = [...k]; if (this._lib) this.refresh(); }

  /** Ready once the module is loaded. */
  get ready() { return load().then(() => undefined); }

  _subject() {
    if (this.getAttribute('case')) return { type: 'case', case: this.getAttribute('case') };
    if (this.getAttribute('person')) return { type: 'person', person: this.getAttribute('person') };
    return null;
  }

  /** Read the timeline again (after the registry changed). */
  refresh() {
    const L = ui(this.lang);
    const subject = this._subject();
    let error = null;
    this.items = [];
    if (this._registry && subject) {
      const filter = {};
      if (this._kinds.length) filter.kinds = this._kinds;
      if (this.getAttribute('from')) filter.from = this.getAttribute('from');
      if (this.getAttribute('to')) filter.to = this.getAttribute('to');
      try {
        this.items = this._registry.timeline(subject, filter);
      } catch (e) {
        if (e?.name !== 'TsunaguError') throw e;
        error = e.message;
      }
    }
    const lang = this.lang;
    // The core's summaries name agencies by id (`ケース開始（受付）: sendai-council`): shown by name.
    const names = new Map((this._registry?.agencies?.() ?? []).map((a) => [a.id, a.name]));
    const summary = (text) => text.replace(/[A-Za-z0-9][A-Za-z0-9_.-]*/g, (w) => names.get(w) ?? w);
    const kindBoxes = Object.keys(TIMELINE_KINDS).map((k) => `<label><input type="checkbox" data-kind="${k}"${this._kinds.includes(k) ? ' checked' : ''}> ${esc(pick(TIMELINE_KINDS, k, lang))}</label>`).join('');
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <fieldset><legend>${esc(L.kinds)}</legend><div class="kinds">${kindBoxes}</div>
        <label>${esc(L.from)} <input type="date" data-f="from" value="${esc(this.getAttribute('from') ?? '')}"></label>
        <label>${esc(L.to)} <input type="date" data-f="to" value="${esc(this.getAttribute('to') ?? '')}"></label>
      </fieldset>
      ${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
      ${this.items.length ? `<ol aria-label="${esc(L.timeline)}">${this.items.map((it) => `
        <li data-kind="${esc(it.kind)}"${it.superseded_by ? ' data-superseded' : ''}>
          <time datetime="${esc(it.on)}">${esc(dateText(it.on, lang, this._lib))}${it.at ? ` ${esc(it.at.slice(0, 5))}` : ''}</time>
          <span class="tag">${esc(pick(TIMELINE_KINDS, it.kind, lang))}</span>${esc(summary(it.summary))}${it.superseded_by ? ` <span class="hint">（${esc(L.corrected)}）</span>` : ''}
        </li>`).join('')}</ol>` : `<p class="hint">${esc(L.noItems)}</p>`}`;
  }

  _onChange(e) {
    const el = e.target;
    if (el.dataset.kind) {
      const k = el.dataset.kind;
      this._kinds = el.checked ? [...new Set([...this._kinds, k])] : this._kinds.filter((x) => x !== k);
      this.refresh();
    } else if (el.dataset.f) {
      if (el.value) this.setAttribute(el.dataset.f, el.value);
      else this.removeAttribute(el.dataset.f);
    }
  }
}
