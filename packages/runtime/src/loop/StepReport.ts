import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import type { InterventionMask } from '../safety/SafetyFilter.js';

/** What one control step did; given to every step listener (metrics, shadow, probation). */
export interface StepReport {
  /** Step number since start. */
  readonly seq: number;
  /** Runtime clock at the start of observation assembly, ms. */
  readonly startedAtMs: number;
  /** Observation assembly → command published, ms. */
  readonly latencyMs: number;
  /** The step took longer than its budget. */
  readonly overrun: boolean;
  /** The policy that was active for this step. */
  readonly policy: LoadedPolicy;
  /**
   * The observation the model saw (normalised); undefined when the step stopped before assembling
   * one. Valid only during the listener call — copy it to keep it.
   */
  readonly observation: Float32Array | undefined;
  /** The raw model output; undefined when the model did not run. */
  readonly raw: Float32Array | undefined;
  /** The published command, after the safety filter. Valid only during the listener call. */
  readonly command: Float64Array;
  /** Interventions of the safety filter this step. */
  readonly interventions: InterventionMask;
}

/** Receives every step report. Must not throw and must return quickly. */
export type StepListener = (report: StepReport) => void;
