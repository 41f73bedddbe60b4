// tsunagu widgets: <tsunagu-intake> and <tsunagu-ecomap>. Importing this module defines both
// custom elements (once) and starts loading the WebAssembly module.
import { load } from './runtime.js';
import { TsunaguIntake } from './intake.js';
import { TsunaguEcomap } from './ecomap.js';

export { load, TsunaguIntake, TsunaguEcomap };

if (!customElements.get('tsunagu-intake')) customElements.define('tsunagu-intake', TsunaguIntake);
if (!customElements.get('tsunagu-ecomap')) customElements.define('tsunagu-ecomap', TsunaguEcomap);
