// A TypeScript consumer of the package: type-checked by test.sh (tsc --noEmit), never run.
import init, { Engine, Registry, parseEraDate, fiscalYearOf } from '../../pkg/tsunagu_wasm.js';
import type { Household, PatternFinding, Problem, TsunaguError, Receipt } from '../../pkg/tsunagu_wasm.js';
import { TsunaguIntake } from '../../pkg/widgets/index.js';

export async function tour(): Promise<string> {
  await init();
  const household: Household = {
    id: 'h-1',
    members: [{ id: 'p1', relation: 'head', approx_age: 45, single_parent: true, issues: ['income_living_costs'] }],
  };
  const engine = new Engine({ agencies: [] });
  const problems: Problem[] = engine.householdProblems(household, '2023-06-05');
  const found: PatternFinding[] = engine.detectPatterns(household, '2023-06-05', undefined);
  const receipt: Receipt = new Registry().execute({ command: 'register_household', household }, '2023-06-05');
  const fy = fiscalYearOf(parseEraDate('令和5年11月16日'));
  try {
    engine.validateHousehold({ ...household, members: [] }, '2023-06-05');
  } catch (e) {
    const err = e as TsunaguError;
    return `${err.code} ${err.path ?? ''}`;
  }
  const el: TsunaguIntake = document.createElement('tsunagu-intake');
  el.addEventListener('tsunagu-change', (ev) => console.log(ev.detail.valid));
  return `${problems.length} ${found.length} ${receipt.receipt} ${fy.label_ja}`;
}
