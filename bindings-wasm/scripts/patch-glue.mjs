// Post-process wasm-bindgen's JS glue: run the reinit guard first in every export.
//
// After a panic the binding calls `wasm_bindgen::handler::schedule_reinit()`; the next export call
// then creates a fresh instance in `__wbg_call_guard()`. wasm-bindgen 0.2.130 emits that guard
// *after* copying string and object arguments into the old instance's memory, so the first call
// after a panic would run on the new instance with pointers into the old one. Inserting the guard
// as the first statement of each export that has one fixes the order (calling it twice is a no-op).
import fs from 'node:fs';

const HEADER = /^\s*(?:export\s+)?(?:function\s+[\w$]+\s*\(.*\)|(?:static\s+)?(?!if\b|for\b|while\b|switch\b|catch\b)[\w$]+\s*\(.*\))\s*\{\s*$/;

for (const file of process.argv.slice(2)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = [];
  let header = -1;
  let patched = 0;
  const done = new Set();
  for (const line of lines) {
    if (HEADER.test(line) && !/function __wbg_call_guard/.test(line)) header = out.length;
    if (line.trim() === '__wbg_call_guard();' && header >= 0 && !done.has(header)) {
      const indent = (out[header + 1]?.match(/^\s*/) ?? [''])[0] || '    ';
      out.splice(header + 1, 0, `${indent}__wbg_call_guard();`);
      done.add(header);
      patched += 1;
    }
    out.push(line);
  }
  fs.writeFileSync(file, out.join('\n'));
  console.error(`[patch-glue] ${file}: guard first in ${patched} exports`);
}
