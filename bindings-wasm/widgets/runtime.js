// Loads the WebAssembly module once for every widget on the page.
import init, * as tsunagu from '../tsunagu_wasm.js';

let ready = null;

/**
 * Load the binding (idempotent). `input` is passed to wasm-bindgen's `init` (a URL, Response or
 * bytes of `tsunagu_wasm_bg.wasm`); by default the file next to `tsunagu_wasm.js` is fetched.
 * @returns {Promise<typeof import('../tsunagu_wasm.js')>}
 */
export function load(input) {
  ready ??= init(input === undefined ? undefined : { module_or_path: input }).then(() => tsunagu);
  return ready;
}

/** Today's date on the user's clock, as an ISO date (widgets accept a `today` attribute instead). */
export function localToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Escape text for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
