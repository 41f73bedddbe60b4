// Conformance-vector runner for the wasm binding: the same op names as tests/src/ops.rs, mapped
// onto binding calls. Each step's outcome is compared with `then` exactly as the Rust runner does.
import { wasm } from './load.mjs';

const { Engine, Registry, Access } = wasm;

/** Date the `given` agencies are registered on: the Rust runner uses NaiveDate::MIN. */
const DAWN = '-262143-01-01';

/**
 * State built from `given`, as tests/src/ops.rs `Context::new`: an engine with the given taxonomy
 * and directory (patterns, validation, taxonomy, directory ops), a registry (agencies registered
 * first, then `given.commands`), and a routing engine on the core's reference environment
 * (`RoutingEnv::builtin()`: no directory of its own) holding the rule set that `load_rules`
 * extends and `route` uses.
 */
class Context {
  constructor(given) {
    this.engine = new Engine({ taxonomy: given.taxonomy, agencies: given.agencies });
    this.registry = new Registry();
    for (const agency of given.agencies ?? []) {
      this.registry.execute({ command: 'register_agency', agency }, DAWN);
    }
    for (const c of given.commands ?? []) this.registry.execute(c.command, c.today);
    const rules = given.rules ?? {};
    this.router = new Engine({
      builtin_rules: rules.builtin !== false,
      rules: rules.extend ?? undefined,
    });
    // As tests/src/access.rs: the built-in policy (the registry holds the national forms).
    this.access = new Access({ taxonomy: given.taxonomy });
  }
}

/** One op: returns a JSON value or throws a TsunaguError. */
export function runOp(ctx, op, args) {
  const { engine, registry, router } = ctx;
  switch (op) {
    case 'parse_era_date': return wasm.parseEraDate(args.text);
    case 'format_era_date': return wasm.formatEraDate(args.date, args.style);
    case 'fiscal_year': return wasm.fiscalYearOf(args.date);
    case 'parse_fiscal_year': return wasm.parseFiscalYear(args.text).year;
    case 'age_on': return wasm.ageOn(args.birth_date, args.today) ?? null;
    case 'school_stage': return wasm.schoolStage(args.birth_date, args.today);
    case 'validate_household':
      engine.validateHousehold(args.household, args.today);
      return null;
    case 'detect_patterns':
      engine.validateHousehold(args.household, args.today);
      return engine.detectPatterns(args.household, args.today, args.settings);
    case 'execute': return registry.execute(args.command, args.today);
    case 'extend_taxonomy': {
      engine.extendTaxonomy(args.document);
      const t = engine.taxonomy();
      return { issues: t.issues.length, agency_kinds: t.agency_kinds.length };
    }
    case 'load_directory': return engine.setAgencies(args.agencies);
    case 'load_rules':
      router.extendRules(args.document);
      return { loaded: router.ruleCount() };
    case 'route': return router.route(args.household, args.situation);
    // Person master (tests/src/person.rs).
    case 'name_key': return wasm.nameKey(args.text);
    case 'reading_key': return wasm.readingKey(args.text);
    case 'same_name': return wasm.nameKey(args.a) === wasm.nameKey(args.b);
    case 'same_reading': return wasm.readingKey(args.a) === wasm.readingKey(args.b);
    case 'looks_like_my_number': return wasm.looksLikeMyNumber(args.text);
    case 'search_persons': {
      const found = registry.searchPersons(args.query);
      return { persons: found.persons.map((p) => p.id), truncated: found.truncated };
    }
    case 'duplicate_candidates': return registry.duplicateCandidates(args.weights);
    case 'person': return registry.person(args.id);
    case 'merge_history': return registry.mergeHistory(args.id);
    // Forms (tests/src/forms.rs).
    case 'extend_forms': return { forms: registry.extendForms(args.document) };
    case 'check_form_definition':
      wasm.checkFormDefinition(args.form);
      return null;
    case 'submit_form': return registry.submitForm(args.submission, args.today);
    case 'execute_form': return registry.executeForm(args.submission, args.today);
    // Worklist (tests/src/worklist.rs).
    case 'worklist': return registry.worklist(args.query);
    // Access (tests/src/access.rs).
    case 'load_access_policy': {
      const options = { builtin: args.builtin, roles: args.roles };
      return { rules: ctx.access.loadPolicy(args.document, options) };
    }
    case 'set_protections': return { protections: ctx.access.setProtections(args.protections) };
    case 'decide_access':
      return ctx.access.decide(args.requester, args.relations ?? undefined, args.disclosed ?? undefined, args.kind, args.action);
    case 'read_household':
      return ctx.access.readHousehold(readArgs(args), args.household, args.contacts ?? undefined);
    case 'read_contact': {
      const contact = (args.contacts ?? []).find((c) => c.person === args.person) ?? { person: args.person };
      return ctx.access.readContact(readArgs(args), args.household, contact);
    }
    case 'view_log': {
      const { person, worker } = args;
      if (person !== undefined) return ctx.access.viewLog({ person });
      if (worker !== undefined) return ctx.access.viewLog({ worker });
      if (args.case !== undefined) return ctx.access.viewLog({ case: args.case });
      return ctx.access.viewLog();
    }
    default: throw unsupported(op);
  }
}

/** The read of an access op: `{requester, relations?, disclosed?, case?, at}`. */
function readArgs(args) {
  const read = { requester: args.requester, at: args.at };
  for (const k of ['relations', 'disclosed', 'case']) if (args[k] != null) read[k] = args[k];
  return read;
}

function unsupported(op) {
  const e = new Error(`unknown op ${op}`);
  e.name = 'TsunaguError';
  e.code = 'malformed_document';
  e.path = '$.when[].op';
  return e;
}

/** Exact JSON equality (key order ignored). */
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
}

/** `expected` ⊆ `actual`, as tests/src/lib.rs `subset`. */
export function subset(expected, actual) {
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object') {
    if (Array.isArray(expected)) {
      return Array.isArray(actual) && expected.length === actual.length
        && expected.every((x, i) => subset(x, actual[i]));
    }
    if (Array.isArray(actual)) return false;
    // An expected null also matches an absent key (as tests/src/lib.rs).
    return Object.entries(expected).every(([k, v]) => (k in actual ? subset(v, actual[k]) : v === null));
  }
  return jsonEqual(expected, actual);
}

function check(got, expect) {
  const show = (v) => JSON.stringify(v);
  if (expect.error) {
    if (!got.error) return `expected error ${show(expect.error)}, got ${show(got.ok)}`;
    const e = got.error;
    if (!(e instanceof Error) || e.name !== 'TsunaguError') return `not a TsunaguError: ${e}`;
    if (e.code !== expect.error.code) return `expected error ${expect.error.code}, got ${e.code} (${e.message})`;
    if ('path' in expect.error && e.path !== expect.error.path) {
      return `expected path ${expect.error.path}, got ${e.path}`;
    }
    if ('problems' in expect.error && !subset(expect.error.problems, e.problems ?? [])) {
      return `expected problems ${show(expect.error.problems)}, got ${show(e.problems)}`;
    }
    return null;
  }
  if (got.error) return `unexpected error ${got.error.code}: ${got.error.message}`;
  if ('ok' in expect) return jsonEqual(expect.ok, got.ok) ? null : `expected ${show(expect.ok)}, got ${show(got.ok)}`;
  if ('match' in expect) return subset(expect.match, got.ok) ? null : `expected to match ${show(expect.match)}, got ${show(got.ok)}`;
  return 'expectation has none of ok / match / error';
}

/** Run a vector document; returns failure messages (empty when it passes). */
export function runVector(doc) {
  // As tests/src/lib.rs: a `when` or `then` that is not a list counts as empty.
  const when = Array.isArray(doc.when) ? doc.when : [];
  const then = Array.isArray(doc.then) ? doc.then : [];
  if (when.length !== then.length) return ['when/then length differ'];
  let ctx;
  let ctxError = null;
  try {
    ctx = new Context(doc.given ?? {});
  } catch (e) {
    ctxError = e;
  }
  const failures = [];
  when.forEach((step, i) => {
    let got;
    if (ctxError) got = { error: ctxError };
    else {
      try {
        got = { ok: runOp(ctx, step.op, step.args ?? {}) };
      } catch (e) {
        got = { error: e };
      }
    }
    const msg = check(got, then[i]);
    if (msg) failures.push(`step ${i} (${step.op}): ${msg}`);
  });
  return failures;
}
