// <tsunagu-ecomap>: a household's eco-map (エコマップ) as SVG — members inside the household
// circle, agencies and informal supports around it, and each tie drawn by strength: strong (太線),
// weak (点線), stressful (波線, red).
//
// Attributes: lang ("ja" | "en"), today (ISO date for ages; default: the user's clock).
// Properties: household (a household document), agencies (the agency directory, for names).
// Every node is focusable (Tab) and described; a list of ties follows the drawing for screen
// readers and for keyboard users.
import { load, localToday, esc } from './runtime.js';
import { ui, pick, label, RELATIONS, STRENGTH } from './i18n.js';

const W = 720;
const H = 520;
const CX = W / 2;
const CY = H / 2 - 10;
const HOUSE_R = 105;
const OUTER_R = 215;

const STYLE = `
:host { display: block; font: 13px/1.4 system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; color: #1d2733; }
svg { max-width: 100%; height: auto; background: #fff; border: 1px solid #c5ced8; border-radius: 6px; }
.node:focus { outline: none; }
.node:focus > circle, .node:focus > rect { stroke: #f0a500; stroke-width: 4; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
details { margin-top: 4px; }
`;

const COLORS = { strong: '#1d4f7a', weak: '#5b6b7b', stressful: '#b3261e' };

/** Points of a zigzag from (x1, y1) to (x2, y2) (a stressful tie). */
function zigzag(x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const n = Math.max(4, Math.round(len / 12));
  const nx = -dy / len;
  const ny = dx / len;
  const pts = [`${x1.toFixed(1)},${y1.toFixed(1)}`];
  for (let i = 1; i < n; i += 1) {
    const t = i / n;
    const s = i % 2 ? 5 : -5;
    pts.push(`${(x1 + dx * t + nx * s).toFixed(1)},${(y1 + dy * t + ny * s).toFixed(1)}`);
  }
  pts.push(`${x2.toFixed(1)},${y2.toFixed(1)}`);
  return pts.join(' ');
}

/** Point at distance `r` from (cx, cy) towards (x, y). */
function toward(cx, cy, x, y, r) {
  const d = Math.hypot(x - cx, y - cy) || 1;
  return [cx + ((x - cx) / d) * r, cy + ((y - cy) / d) * r];
}

export class TsunaguEcomap extends HTMLElement {
  static get observedAttributes() { return ['lang', 'today']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._household = null;
    this._agencies = [];
    this._lib = null;
  }

  connectedCallback() {
    load().then((lib) => { this._lib = lib; this._render(); });
  }

  attributeChangedCallback() { if (this._lib) this._render(); }

  get lang() { return this.getAttribute('lang') === 'en' ? 'en' : 'ja'; }
  get today() { return this.getAttribute('today') || localToday(); }
  get household() { return this._household; }
  set household(h) { this._household = h; if (this._lib) this._render(); }
  get agencies() { return this._agencies; }
  set agencies(a) { this._agencies = a ?? []; if (this._lib) this._render(); }

  _age(p) {
    if (p.birth_date) {
      try { return this._lib.ageOn(p.birth_date, this.today) ?? null; } catch { return null; }
    }
    return p.approx_age ?? null;
  }

  _render() {
    const L = ui(this.lang);
    const lang = this.lang;
    const h = this._household;
    if (!h) {
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><p>${esc(L.ecomap)}: —</p>`;
      return;
    }
    const members = h.members ?? [];
    const ties = h.ties ?? [];
    // member positions inside the household circle
    const mpos = new Map();
    members.forEach((m, i) => {
      if (members.length === 1) { mpos.set(m.id, [CX, CY]); return; }
      const a = (2 * Math.PI * i) / members.length - Math.PI / 2;
      const r = HOUSE_R * 0.52;
      mpos.set(m.id, [CX + r * Math.cos(a), CY + r * Math.sin(a)]);
    });
    // one outer node per distinct party
    const parties = [];
    const key = (w) => (w.type === 'agency' ? `a:${w.agency}` : `i:${w.kind}:${w.label ?? ''}`);
    for (const t of ties) if (!parties.some((p) => p.key === key(t.with))) parties.push({ key: key(t.with), with: t.with });
    parties.forEach((p, i) => {
      const a = (2 * Math.PI * i) / Math.max(parties.length, 1) - Math.PI / 2 + Math.PI / Math.max(parties.length, 2);
      p.x = CX + OUTER_R * Math.cos(a) * 1.3;
      p.y = CY + OUTER_R * Math.sin(a);
      if (p.with.type === 'agency') {
        const ag = this._agencies.find((x) => x.id === p.with.agency);
        p.name = ag?.name ?? p.with.agency;
        p.kind = 'agency';
      } else {
        p.name = p.with.label || p.with.kind;
        p.kind = 'informal';
      }
    });
    const ageText = (m) => {
      const age = this._age(m);
      return age !== null ? `${age}${L.ageSuffix || ' y'}` : m.id;
    };
    const memberName = (m) => {
      const age = this._age(m);
      return `${pick(RELATIONS, m.relation, lang)}${age !== null ? ` ${age}${L.ageSuffix}` : ''}`;
    };
    const lines = ties.map((t) => {
      const p = parties.find((q) => q.key === key(t.with));
      const from = t.member && mpos.get(t.member) ? mpos.get(t.member) : toward(CX, CY, p.x, p.y, HOUSE_R);
      const start = t.member && mpos.get(t.member) ? toward(from[0], from[1], p.x, p.y, 31) : from;
      const end = toward(p.x, p.y, start[0], start[1], 34);
      const color = COLORS[t.strength] ?? '#5b6b7b';
      const attrs = `data-strength="${esc(t.strength)}" stroke="${color}" fill="none"`;
      if (t.strength === 'stressful') return `<polyline class="tie" ${attrs} stroke-width="2.5" points="${zigzag(start[0], start[1], end[0], end[1])}"/>`;
      return `<line class="tie" ${attrs} stroke-width="${t.strength === 'strong' ? 5 : 2}"${t.strength === 'weak' ? ' stroke-dasharray="7 6"' : ''} x1="${start[0].toFixed(1)}" y1="${start[1].toFixed(1)}" x2="${end[0].toFixed(1)}" y2="${end[1].toFixed(1)}"/>`;
    }).join('');
    const memberNodes = members.map((m) => {
      const [x, y] = mpos.get(m.id);
      const head = m.relation === 'head';
      const desc = `${memberName(m)} (${m.id})`;
      return `<g class="node member" data-id="${esc(m.id)}" tabindex="0" role="img" aria-label="${esc(desc)}">
        <title>${esc(desc)}</title>
        <circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="30" fill="${head ? '#dbe9f5' : '#eef3f8'}" stroke="#1d4f7a" stroke-width="${head ? 3 : 1.5}"/>
        <text x="${x.toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="11">${esc(pick(RELATIONS, m.relation, lang))}</text>
        <text x="${x.toFixed(1)}" y="${(y + 11).toFixed(1)}" text-anchor="middle" font-size="11">${esc(ageText(m))}</text></g>`;
    }).join('');
    const partyNodes = parties.map((p) => {
      const w = 156;
      const desc = `${p.kind === 'agency' ? L.agency : L.informal}: ${p.name}`;
      const shape = p.kind === 'agency'
        ? `<rect x="${(p.x - w / 2).toFixed(1)}" y="${(p.y - 20).toFixed(1)}" width="${w}" height="40" rx="6" fill="#f5f8fb" stroke="#44515f"/>`
        : `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="32" fill="#fdf6e3" stroke="#8a6d1f"/>`;
      const text = p.name.length > 15 ? `${p.name.slice(0, 14)}…` : p.name;
      return `<g class="node party ${p.kind}" data-key="${esc(p.key)}" tabindex="0" role="img" aria-label="${esc(desc)}">
        <title>${esc(desc)}</title>${shape}
        <text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle" font-size="11">${esc(text)}</text></g>`;
    }).join('');
    const legend = ['strong', 'weak', 'stressful'].map((s, i) => {
      const x = 20 + i * 150;
      const y = H - 22;
      const line = s === 'stressful'
        ? `<polyline points="${zigzag(x, y, x + 46, y)}" stroke="${COLORS[s]}" stroke-width="2.5" fill="none"/>`
        : `<line x1="${x}" y1="${y}" x2="${x + 46}" y2="${y}" stroke="${COLORS[s]}" stroke-width="${s === 'strong' ? 5 : 2}"${s === 'weak' ? ' stroke-dasharray="7 6"' : ''}/>`;
      return `${line}<text x="${x + 54}" y="${y + 4}" font-size="12">${esc(pick(STRENGTH, s, lang))}</text>`;
    }).join('');
    const list = ties.map((t) => {
      const p = parties.find((q) => q.key === key(t.with));
      const m = members.find((x) => x.id === t.member);
      return `<li>${esc(m ? memberName(m) : L.wholeHousehold)} — ${esc(p.name)}: ${esc(pick(STRENGTH, t.strength, lang))}</li>`;
    }).join('');
    const title = `${L.ecomap} ${h.id}`;
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="group" aria-labelledby="ecomap-title" xmlns="http://www.w3.org/2000/svg">
        <title id="ecomap-title">${esc(title)}</title>
        <desc>${esc(`${members.length} / ${parties.length} / ${ties.length}`)}</desc>
        <circle cx="${CX}" cy="${CY}" r="${HOUSE_R}" fill="none" stroke="#1d2733" stroke-width="2"/>
        <text x="${CX}" y="${CY - HOUSE_R - 8}" text-anchor="middle" font-size="12" font-weight="600">${esc(L.household)} ${esc(h.id)}</text>
        ${lines}${memberNodes}${partyNodes}
        <g aria-label="${esc(L.legend)}">${legend}</g>
      </svg>
      <details><summary>${esc(L.tieList)} (${ties.length})</summary><ul>${list}</ul></details>`;
  }
}
