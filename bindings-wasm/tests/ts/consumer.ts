// A TypeScript consumer of the package: type-checked by test.sh (tsc --noEmit), never run.
import init, { Engine, parseEraDate, fiscalYearOf } from '../../pkg/tsunagu_wasm.js';
import type { Household, PatternFinding, Problem, TsunaguError, Receipt, Routing } from '../../pkg/tsunagu_wasm.js';
// The records API lives in the full module (pkg/full/).
import initFull, { Registry, annualReport } from '../../pkg/full/tsunagu_wasm.js';
import type { AnnualReport, Event, ReportSettings } from '../../pkg/full/tsunagu_wasm.js';
import { TsunaguIntake } from '../../pkg/widgets/index.js';

export async function tour(): Promise<string> {
  await init();
  await initFull();
  const household: Household = {
    id: 'h-1',
    members: [{ id: 'p1', relation: 'head', approx_age: 45, single_parent: true, issues: ['income_living_costs'] }],
  };
  const engine = new Engine({ agencies: [] });
  const problems: Problem[] = engine.householdProblems(household, '2023-06-05');
  const found: PatternFinding[] = engine.detectPatterns(household, '2023-06-05', undefined);
  const registry = new Registry();
  const receipt: Receipt = registry.execute({ command: 'register_household', household }, '2023-06-05');
  const events: Event[] = registry.events();
  const settings: ReportSettings = { network_meeting_types: ['promotion_meeting'] };
  const report: AnnualReport = annualReport(events, '令和5年度', settings);
  const again: AnnualReport = registry.annualReport(2023, undefined);
  const routing: Routing = engine.route(household, { today: '2023-06-05' });
  engine.extendRules({ rules: [] });
  const fy = fiscalYearOf(parseEraDate('令和5年11月16日'));
  try {
    engine.validateHousehold({ ...household, members: [] }, '2023-06-05');
  } catch (e) {
    const err = e as TsunaguError;
    return `${err.code} ${err.path ?? ''}`;
  }
  const el: TsunaguIntake = document.createElement('tsunagu-intake');
  el.addEventListener('tsunagu-change', (ev) => console.log(ev.detail.valid));
  const meetings: number = report.case_meetings.total + again.contacts.total + engine.ruleCount();
  return `${problems.length} ${found.length} ${receipt.receipt} ${fy.label_ja} ${meetings} ${routing.household}`;
}

// The person master, forms, worklist, timeline, access and actors (issues 16–18).
import { Access, nameKey, checkFormDefinition, renderTask } from '../../pkg/full/tsunagu_wasm.js';
import type {
  PersonSearchResult, Worklist, TimelineItem, FormDefinition, PrintRow, AccessDecision, ViewRecord, Actor,
} from '../../pkg/full/tsunagu_wasm.js';
import { TsunaguForm, TsunaguPersonSearch, TsunaguTimeline } from '../../pkg/widgets/index.js';

export function morning(registry: Registry): string {
  const csw: Registry = registry.asActor('csw-1', 'sendai-council');
  const actor: Actor | null = csw.actor();
  const found: PersonSearchResult = registry.searchPersons({ reading: 'タカハシ', limit: 10 });
  const list: Worklist = registry.worklist({ on: '2023-11-16', worker: 'csw-1' });
  const lines: string[] = list.overdue.map((e) => renderTask(e.task, 'ja'));
  const items: TimelineItem[] = registry.timeline({ type: 'case', case: 'case-y' }, { kinds: ['entry'] });
  const forms: FormDefinition[] = registry.forms();
  checkFormDefinition(forms[0]);
  const rows: PrintRow[] = registry.formLayout({ form: 'intake', record: 'r', values: {} }, '2023-11-16', 'ja');
  const access = new Access(undefined);
  const decision: AccessDecision = access.decide({ worker: 'csw-1', agency: 'sendai-council', roles: [] }, [], [], 'household', 'read');
  const log: ViewRecord[] = access.viewLog(undefined);
  const form: TsunaguForm = document.createElement('tsunagu-form');
  form.registry = csw;
  const search: TsunaguPersonSearch = document.createElement('tsunagu-person-search');
  search.addEventListener('tsunagu-person', (ev) => console.log(ev.detail.id));
  const timeline: TsunaguTimeline = document.createElement('tsunagu-timeline');
  timeline.kinds = ['entry'];
  return `${actor?.worker} ${found.persons.length} ${lines.length} ${items.length} ${rows.length} ${nameKey('髙橋')} ${decision} ${log.length}`;
}
