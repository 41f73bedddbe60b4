// Hostile input (issue 19 item 1): every export of the full module is called with null,
// undefined, wrong types, huge strings, deep and cyclic objects, negative ages, out-of-range
// dates and binary garbage, in every argument position. Each call must either return or throw a
// TsunaguError whose code is one of `codes` (tests/vectors/errors/classes.json) — never a
// RangeError, a TypeError from the glue, a trap or `internal_panic` — and the module must still
// answer afterwards. Runs unchanged in Node (tests/node/hostile.test.mjs) and in Chromium
// (tests/e2e/hostile.e2e.mjs): no Node API here.

/** A deterministic byte source (xorshift32), so a failure reproduces. */
function bytes(n, seed = 0x9e3779b9) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i += 1) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function deepObject(levels) {
  const root = {};
  let o = root;
  for (let i = 0; i < levels; i += 1) { o.a = {}; o = o.a; }
  return root;
}

function deepArray(levels) {
  const root = [];
  let a = root;
  for (let i = 0; i < levels; i += 1) { const b = []; a.push(b); a = b; }
  return root;
}

/** `[name, make]`: each hostile value is made fresh for each call. */
export function hostileValues() {
  const garbage = bytes(4096);
  const member = (extra) => ({ id: 'm1', relation: 'head', ...extra });
  const household = (extra) => ({ id: 'h-x', members: [member(extra)], issues: [], ties: [] });
  return [
    ['undefined', () => undefined],
    ['null', () => null],
    ['true', () => true],
    ['zero', () => 0],
    ['negative', () => -1],
    ['NaN', () => NaN],
    ['Infinity', () => Infinity],
    ['huge number', () => 1e308],
    ['BigInt', () => 12345678901234567890n],
    ['symbol', () => Symbol('x')],
    ['function', () => () => 1],
    ['empty string', () => ''],
    ['huge string', () => 'あ'.repeat(1_000_000)],
    ['lone surrogates', () => '\uD800\uDFFF\uDC00\u0000\uFFFF'],
    ['binary string', () => String.fromCharCode(...new Uint16Array(garbage.buffer).slice(0, 2048))],
    ['Uint8Array garbage', () => garbage.slice()],
    ['ArrayBuffer', () => garbage.buffer.slice(0)],
    ['DataView', () => new DataView(garbage.buffer.slice(0))],
    ['Map', () => new Map([['a', 1]])],
    ['Date', () => new Date(0)],
    ['invalid Date', () => new Date(NaN)],
    ['Promise', () => Promise.resolve(1)],
    ['empty object', () => ({})],
    ['empty array', () => []],
    ['sparse long array', () => new Array(200_000)],
    ['deep object (20000 levels)', () => deepObject(20_000)],
    ['deep array (20000 levels)', () => deepArray(20_000)],
    ['deep object (65 levels)', () => deepObject(65)],
    ['cyclic object', () => { const o = { a: { b: {} } }; o.a.b.c = o; return o; }],
    ['cyclic array', () => { const a = [1, []]; a[1].push(a); return a; }],
    ['throwing getter', () => ({ get id() { throw new Error('boom'); } })],
    ['throwing toJSON', () => ({ toJSON() { throw new Error('boom'); } })],
    ['proxy with throwing traps', () => new Proxy({}, {
      ownKeys() { throw new Error('boom'); },
      get() { throw new Error('boom'); },
      getOwnPropertyDescriptor() { throw new Error('boom'); },
    })],
    ['BigInt inside', () => ({ id: 'x', n: 1n })],
    ['out-of-range date', () => '+275760-09-13'],
    ['last date', () => '+262143-12-31'],
    ['first date', () => '-262143-01-01'],
    ['year zero', () => '0000-01-01'],
    ['not a day', () => '2023-02-29'],
    ['era garbage', () => '令和99999999999999999999年1月1日'],
    ['fiscal year garbage', () => '令和-1年度'],
    ['negative age household', () => household({ approx_age: -5 })],
    ['far-future birth household', () => household({ birth: '+262143-12-31' })],
    ['ancient birth household', () => household({ birth: '-262143-01-01' })],
    ['negative age command', () => ({ command: 'register_household', household: household({ approx_age: -5 }) })],
    ['last-date event', () => [{ on: '+262143-12-31', command: { command: 'register_household', household: household({}) } }]],
    ['huge query', () => ({ reading: 'ア'.repeat(1_000_000), limit: 4294967296 })],
  ];
}

/** Values that let the other arguments of a call pass, so each position is reached. */
const FILLER = '2024-04-01';

const SKIP = new Set(['default', 'initSync', '__panicForTest', 'constructor', 'free', '__destroy_into_raw']);

function methodsOf(proto) {
  return Object.getOwnPropertyNames(proto).filter(
    (k) => !SKIP.has(k) && !k.startsWith('__') && typeof Object.getOwnPropertyDescriptor(proto, k).value === 'function',
  );
}

/**
 * Run the suite on a loaded module `wasm` (the full one). `codes`: the codes a TsunaguError may
 * carry (classes.json). Returns `{calls, returned, refused, failures: [text], codesSeen}`.
 */
export function runHostile(wasm, codes) {
  const allowed = new Set(codes);
  const classes = ['Engine', 'Registry', 'Access'].filter((c) => typeof wasm[c] === 'function');
  // Targets: [label, arity, call(args)]. Objects are made fresh for each call (a hostile call
  // must not need an object to be thrown away, but a fresh one keeps calls independent).
  const targets = [];
  for (const name of Object.keys(wasm)) {
    const f = wasm[name];
    if (SKIP.has(name) || classes.includes(name) || typeof f !== 'function' || /^[A-Z]/.test(name)) continue;
    targets.push([name, f.length, (args) => f(...args)]);
  }
  for (const c of classes) {
    const K = wasm[c];
    targets.push([`new ${c}`, Math.max(K.length, 1), (args) => new K(...args)]);
    for (const m of methodsOf(K)) targets.push([`${c}.${m}`, K[m].length, (args) => K[m](...args)]);
    for (const m of methodsOf(K.prototype)) {
      targets.push([`${c}#${m}`, K.prototype[m].length, (args) => {
        const obj = new K();
        try { return obj[m](...args); } finally { obj.free(); }
      }]);
    }
  }
  const out = { calls: 0, returned: 0, refused: 0, failures: [], codesSeen: new Set(), targets: targets.length };
  const values = hostileValues();
  const alive = () => wasm.parseEraDate('R5.11.16') === '2023-11-16';
  for (const [label, arity, call] of targets) {
    const n = Math.max(arity, 1);
    for (const [vname, make] of values) {
      // Every position hostile, then each position alone with fillers elsewhere.
      const shapes = [Array.from({ length: n }, make)];
      if (n > 1) {
        for (let i = 0; i < n; i += 1) shapes.push(Array.from({ length: n }, (_, j) => (j === i ? make() : FILLER)));
      }
      for (const args of shapes) {
        out.calls += 1;
        try {
          call(args);
          out.returned += 1;
        } catch (e) {
          if (e instanceof Error && e.name === 'TsunaguError' && allowed.has(e.code)) {
            out.refused += 1;
            out.codesSeen.add(e.code);
          } else {
            const what = e instanceof Error ? `${e.name}${e.code ? ` ${e.code}` : ''}: ${String(e.message).slice(0, 200)}` : String(e);
            out.failures.push(`${label}(${vname}): ${what}`);
          }
        }
        let ok = false;
        try { ok = alive(); } catch { ok = false; }
        if (!ok) {
          out.failures.push(`${label}(${vname}): the module stopped answering`);
          return out;
        }
      }
    }
  }
  return out;
}

/** The refusals the suite must see with their causes named (the message and the path). */
export function namedCauses(wasm) {
  const refuse = (f) => { try { f(); } catch (e) { return { name: e.name, code: e.code, path: e.path, message: e.message }; } return null; };
  const cyc = { a: { b: {} } };
  cyc.a.b.c = cyc;
  return {
    cycle: refuse(() => new wasm.Engine(cyc)),
    deep: refuse(() => new wasm.Engine(deepObject(100_000))),
    deepShallow: refuse(() => new wasm.Engine({ taxonomy: deepArray(70) })),
    bigint: refuse(() => new wasm.Engine({ taxonomy: { issues: [1n] } })),
    notString: refuse(() => wasm.parseEraDate(Symbol('x'))),
  };
}
