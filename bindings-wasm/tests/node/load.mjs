// Loads the Node build of the binding (pkg-node/, built by build.sh).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../../..');
const require = createRequire(import.meta.url);
export const wasm = require(path.resolve(here, '../../pkg-node/tsunagu_wasm.js'));
