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

/** `<tsunagu-ecomap lang="ja|en" today="YYYY-MM-DD">` */
export class TsunaguEcomap extends HTMLElement {
  household: Household | null;
  agencies: EngineConfig['agencies'];
}

declare global {
  interface HTMLElementTagNameMap {
    'tsunagu-intake': TsunaguIntake;
    'tsunagu-ecomap': TsunaguEcomap;
  }
  interface HTMLElementEventMap {
    'tsunagu-change': CustomEvent<IntakeResult>;
    'tsunagu-household': CustomEvent<{ household: Household; situation: IntakeSituation & { today: string } }>;
  }
}
