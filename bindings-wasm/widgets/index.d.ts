// Types of the tsunagu widgets.
import type { EngineConfig, Household, PatternFinding, Problem } from '../tsunagu_wasm.js';

/** Load the WebAssembly module (idempotent); `input` is a URL, Response or bytes of the .wasm. */
export function load(input?: unknown): Promise<typeof import('../tsunagu_wasm.js')>;

/** Situation fields the intake collects (routing's `Situation` without `today`). */
export interface IntakeSituation { urgency: string; consent: string }

/** Detail of the `tsunagu-change` event. */
export interface IntakeResult {
  household: Household;
  situation: IntakeSituation & { today: string };
  valid: boolean;
  problems: Problem[];
  patterns: PatternFinding[];
  /** Routing result, when the build has routing. */
  routing: unknown | null;
}

/** `<tsunagu-intake lang="ja|en" today="YYYY-MM-DD">` */
export class TsunaguIntake extends HTMLElement {
  config: EngineConfig | undefined;
  household: Household;
  situation: IntakeSituation;
  readonly result: IntakeResult | null;
  readonly ready: Promise<void>;
}

/** The full module's registry, as the registry-reading widgets use it. */
type Registry = import('../full/tsunagu_wasm.js').Registry;
type PersonRecord = import('../full/tsunagu_wasm.js').PersonRecord;

/** `<tsunagu-person-search lang="ja|en" limit="10">`: choose a person from the person master. */
export class TsunaguPersonSearch extends HTMLElement {
  registry: Registry | null;
  /** The chosen person's id, or "". */
  readonly value: string;
  readonly person: PersonRecord | null;
  readonly ready: Promise<void>;
}

/** `<tsunagu-timeline lang="ja|en" case="…" | person="…" from="YYYY-MM-DD" to="YYYY-MM-DD">` */
export class TsunaguTimeline extends HTMLElement {
  registry: Registry | null;
  /** Kinds shown (empty: all). */
  kinds: string[];
  readonly items: import('../full/tsunagu_wasm.js').TimelineItem[];
  refresh(): void;
  readonly ready: Promise<void>;
}

/** `<tsunagu-form form="intake" lang="ja|en" today="YYYY-MM-DD" record case household plan>` */
export class TsunaguForm extends HTMLElement {
  registry: Registry | null;
  values: Record<string, unknown>;
  readonly submission: import('../full/tsunagu_wasm.js').Submission;
  readonly problems: { code: string; path: string; message: string }[];
  print(): void;
  readonly ready: Promise<void>;
}

/** `<tsunagu-ecomap lang="ja|en" today="YYYY-MM-DD">` */
export class TsunaguEcomap extends HTMLElement {
  household: Household | null;
  agencies: EngineConfig['agencies'];
}

declare global {
  interface HTMLElementTagNameMap {
    'tsunagu-intake': TsunaguIntake;
    'tsunagu-ecomap': TsunaguEcomap;
    'tsunagu-person-search': TsunaguPersonSearch;
    'tsunagu-timeline': TsunaguTimeline;
    'tsunagu-form': TsunaguForm;
  }
  interface HTMLElementEventMap {
    'tsunagu-change': CustomEvent<IntakeResult>;
    'tsunagu-person': CustomEvent<{ id: string; person: PersonRecord }>;
    'tsunagu-household': CustomEvent<{ household: Household; situation: IntakeSituation & { today: string } }>;
  }
}
