// tsunagu widgets: <tsunagu-intake>, <tsunagu-ecomap>, <tsunagu-person-search>,
// <tsunagu-timeline> and <tsunagu-form>. Importing this module defines the custom elements
// (once) and starts loading the WebAssembly module. The last three read a full-module
// `Registry` the page gives them (`element.registry = registry`).
import { load } from './runtime.js';
import { TsunaguIntake } from './intake.js';
import { TsunaguEcomap } from './ecomap.js';
import { TsunaguPersonSearch } from './person-search.js';
import { TsunaguTimeline } from './timeline.js';
import { TsunaguForm } from './form.js';

export { load, TsunaguIntake, TsunaguEcomap, TsunaguPersonSearch, TsunaguTimeline, TsunaguForm };

if (!customElements.get('tsunagu-intake')) customElements.define('tsunagu-intake', TsunaguIntake);
if (!customElements.get('tsunagu-ecomap')) customElements.define('tsunagu-ecomap', TsunaguEcomap);
if (!customElements.get('tsunagu-person-search')) customElements.define('tsunagu-person-search', TsunaguPersonSearch);
if (!customElements.get('tsunagu-timeline')) customElements.define('tsunagu-timeline', TsunaguTimeline);
if (!customElements.get('tsunagu-form')) customElements.define('tsunagu-form', TsunaguForm);
