import type { RuntimeClock } from '../clock/RuntimeClock.js';
import type { ControlLoop } from '../loop/ControlLoop.js';
import type { StepReport } from '../loop/StepReport.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import { MODEL_REASONS } from '../safety/Intervention.js';
import { interventionBit, interventionReasons } from '../safety/SafetyFilter.js';

/** When a staged policy may take over: only while the robot is idle, or at any step boundary. */
export type SwapWhen = 'idle' | 'any';

/** Health limits a new version must stay within during its probation window. */
export interface ProbationSettings {
  /** How long after a switch the new version is watched, ms. */
  readonly windowMs: number;
  /**
   * Interventions the model is responsible for (NaN outputs, model errors, driving at an obstacle)
   * allowed in the window; velocity and acceleration clamps are routine and do not count.
   */
  readonly maxInterventions: number;
  /** Overrun steps allowed in the window. */
  readonly maxOverruns: number;
  /** Non-finite outputs allowed in the window. */
  readonly maxNonFinite: number;
}

/** What the swap did, for logs, status and metrics. */
export type SwapEvent =
  | { readonly kind: 'staged'; readonly version: string }
  | { readonly kind: 'switched'; readonly from: string | undefined; readonly to: string }
  | { readonly kind: 'promoted'; readonly version: string }
  | {
      readonly kind: 'rolled-back';
      readonly from: string;
      readonly to: string;
      readonly reason: string;
      readonly automatic: boolean;
    };

/** Options for {@link HotSwap}. */
export interface HotSwapOptions {
  readonly loop: ControlLoop;
  readonly clock: RuntimeClock;
  readonly when: SwapWhen;
  /** Whether the robot is idle now (only asked with `when: idle`). */
  readonly isIdle: () => boolean;
  readonly probation: ProbationSettings;
  readonly onEvent?: (event: SwapEvent) => void;
  /** Receives errors of releasing a retired policy. */
  readonly onError?: (error: unknown) => void;
}

interface Probation {
  readonly policy: LoadedPolicy;
  readonly startedAtMs: number;
  interventions: number;
  overruns: number;
  nonFinite: number;
}

const NON_FINITE = interventionBit('non_finite_action');
let modelMask = 0;
for (const reason of MODEL_REASONS) modelMask |= interventionBit(reason);

/**
 * Switches the control loop between policy versions without a gap: a staged version (already
 * loaded and warmed) takes over between two steps — when the robot is idle, or at any step — and
 * the version it replaces stays loaded. During a probation window the new version's health is
 * watched; if it trips a threshold the previous version is put back before the next step.
 */
export class HotSwap {
  readonly #options: HotSwapOptions;
  /** When a staged version may take over; the desired state may change it. */
  when: SwapWhen;
  #active: LoadedPolicy | undefined;
  #previous: LoadedPolicy | undefined;
  #pending: LoadedPolicy | undefined;
  #probation: Probation | undefined;
  readonly #rejected = new Map<string, string>();

  constructor(options: HotSwapOptions) {
    this.#options = options;
    this.when = options.when;
    options.loop.beforeStep(() => this.#beforeStep());
    options.loop.onStep((report) => this.#afterStep(report));
  }

  get active(): LoadedPolicy | undefined {
    return this.#active;
  }

  /** The version kept loaded for an instant rollback. */
  get previous(): LoadedPolicy | undefined {
    return this.#previous;
  }

  /** The version waiting to take over. */
  get pending(): LoadedPolicy | undefined {
    return this.#pending;
  }

  /** The version on probation and since when, if any. */
  get probation(): { version: string; startedAtMs: number } | undefined {
    const p = this.#probation;
    return p === undefined ? undefined : { version: p.policy.version, startedAtMs: p.startedAtMs };
  }

  /** Digests rolled back because they failed probation, with the reason; they are not staged again. */
  get rejected(): ReadonlyMap<string, string> {
    return this.#rejected;
  }

  /** Runs `policy` from the next step on, without probation (the first version at start). */
  activate(policy: LoadedPolicy): void {
    const retired = this.#previous;
    this.#previous = this.#active;
    this.#active = policy;
    this.#retire(retired);
    this.#options.loop.setPolicy(policy);
    this.#options.onEvent?.({ kind: 'switched', from: this.#previous?.version, to: policy.version });
  }

  /**
   * Queues a loaded, warmed version to take over at the next allowed step boundary. A version
   * already pending is replaced (and released).
   */
  stage(policy: LoadedPolicy): void {
    if (this.#pending !== undefined && this.#pending !== policy) this.#retire(this.#pending);
    this.#pending = policy;
    this.#options.onEvent?.({ kind: 'staged', version: policy.version });
  }

  /** Puts the previous version back before the next step. Returns false when there is none. */
  rollback(reason = 'requested'): boolean {
    return this.#rollback(reason, false);
  }

  #rollback(reason: string, automatic: boolean): boolean {
    const from = this.#active;
    const to = this.#previous;
    if (from === undefined || to === undefined) return false;
    this.#probation = undefined;
    this.#active = to;
    this.#previous = undefined;
    this.#options.loop.setPolicy(to);
    this.#retire(from);
    this.#options.onEvent?.({ kind: 'rolled-back', from: from.version, to: to.version, reason, automatic });
    return true;
  }

  /** Releases every loaded version (after the loop stopped). */
  async close(): Promise<void> {
    const all = new Set([this.#active, this.#previous, this.#pending]);
    this.#active = this.#previous = this.#pending = undefined;
    await Promise.all([...all].flatMap((p) => (p === undefined ? [] : [p.release()])));
  }

  #beforeStep(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    if (this.when === 'idle' && !this.#options.isIdle()) return;
    this.#pending = undefined;
    const from = this.#active;
    const retired = this.#previous;
    this.#previous = from;
    this.#active = pending;
    this.#retire(retired);
    this.#options.loop.setPolicy(pending);
    this.#probation =
      from === undefined
        ? undefined
        : {
            policy: pending,
            startedAtMs: this.#options.clock.now(),
            interventions: 0,
            overruns: 0,
            nonFinite: 0,
          };
    this.#options.onEvent?.({ kind: 'switched', from: from?.version, to: pending.version });
  }

  #afterStep(report: StepReport): void {
    const probation = this.#probation;
    if (probation === undefined || report.policy !== probation.policy) return;
    if ((report.interventions & modelMask) !== 0) probation.interventions++;
    if ((report.interventions & NON_FINITE) !== 0) probation.nonFinite++;
    if (report.overrun) probation.overruns++;
    const limits = this.#options.probation;
    const tripped =
      probation.nonFinite > limits.maxNonFinite
        ? `${probation.nonFinite} non-finite outputs (limit ${limits.maxNonFinite})`
        : probation.overruns > limits.maxOverruns
          ? `${probation.overruns} overruns (limit ${limits.maxOverruns})`
          : probation.interventions > limits.maxInterventions
            ? `${probation.interventions} safety interventions (limit ${limits.maxInterventions}; last: ${interventionReasons(report.interventions).join(', ')})`
            : undefined;
    if (tripped !== undefined) {
      const from = probation.policy;
      this.#rejected.set(from.digest, tripped);
      if (this.#rollback(tripped, true)) return;
    }
    if (this.#options.clock.now() - probation.startedAtMs >= limits.windowMs) {
      this.#probation = undefined;
      this.#options.onEvent?.({ kind: 'promoted', version: probation.policy.version });
    }
  }

  #retire(policy: LoadedPolicy | undefined): void {
    if (
      policy === undefined ||
      policy === this.#active ||
      policy === this.#previous ||
      policy === this.#pending
    )
      return;
    policy.release().catch((error: unknown) => this.#options.onError?.(error));
  }
}
