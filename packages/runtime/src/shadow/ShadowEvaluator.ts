import type { RuntimeClock } from '../clock/RuntimeClock.js';
import type { ControlLoop } from '../loop/ControlLoop.js';
import type { StepReport } from '../loop/StepReport.js';
import type { LatestMessages } from '../observation/LatestMessages.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import { RollingWindow } from './RollingWindow.js';

/** One shadow comparison. */
export interface ShadowSample {
  readonly version: string;
  /** Euclidean distance between the challenger's and the active policy's command (physical units). */
  readonly divergence: number;
  /** The challenger's inference time, ms. */
  readonly latencyMs: number;
}

/** Divergence and latency of the challenger over the recent window. */
export interface ShadowStats {
  readonly version: string;
  readonly samples: number;
  /** Steps on which the challenger was still busy with the previous one and so was skipped. */
  readonly skipped: number;
  readonly divergenceMean: number;
  readonly divergenceP95: number;
  readonly latencyMeanMs: number;
  readonly latencyP95Ms: number;
}

/** Options for {@link ShadowEvaluator}. */
export interface ShadowEvaluatorOptions {
  readonly loop: ControlLoop;
  readonly latest: LatestMessages;
  readonly clock: RuntimeClock;
  /** Number of recent samples the statistics cover. Default 1000. */
  readonly window?: number;
  readonly onSample?: (sample: ShadowSample) => void;
  readonly onError?: (error: unknown) => void;
}

interface Challenger {
  readonly policy: LoadedPolicy;
  readonly observation: Float32Array;
  readonly command: Float64Array;
  readonly active: Float64Array;
  readonly divergence: RollingWindow;
  readonly latency: RollingWindow;
  busy: boolean;
  skipped: number;
}

/**
 * Runs a challenger policy beside the active one without actuating: after every step it builds
 * the challenger's observation from the same latest messages, runs it off the control path, and
 * compares its command with the active policy's (both scaled and clipped, before the safety
 * filter), component by component, matched by name.
 */
export class ShadowEvaluator {
  readonly #options: ShadowEvaluatorOptions;
  #challenger: Challenger | undefined;

  constructor(options: ShadowEvaluatorOptions) {
    this.#options = options;
    options.loop.onStep((report) => this.#afterStep(report));
  }

  /** The challenger now running, if any. */
  get policy(): LoadedPolicy | undefined {
    return this.#challenger?.policy;
  }

  /** Sets (or with undefined, removes) the challenger; the one it replaces is released. */
  set(policy: LoadedPolicy | undefined): void {
    const old = this.#challenger;
    this.#challenger =
      policy === undefined
        ? undefined
        : {
            policy,
            observation: new Float32Array(policy.assembler.size),
            command: new Float64Array(policy.mapper.size),
            active: new Float64Array(0),
            divergence: new RollingWindow(this.#options.window ?? 1000),
            latency: new RollingWindow(this.#options.window ?? 1000),
            busy: false,
            skipped: 0,
          };
    if (old !== undefined && old.policy !== policy) {
      old.policy.release().catch((error: unknown) => this.#options.onError?.(error));
    }
  }

  /** Statistics of the current challenger. */
  stats(): ShadowStats | undefined {
    const c = this.#challenger;
    if (c === undefined) return undefined;
    return {
      version: c.policy.version,
      samples: c.divergence.count,
      skipped: c.skipped,
      divergenceMean: c.divergence.mean(),
      divergenceP95: c.divergence.quantile(0.95),
      latencyMeanMs: c.latency.mean(),
      latencyP95Ms: c.latency.quantile(0.95),
    };
  }

  async close(): Promise<void> {
    const c = this.#challenger;
    this.#challenger = undefined;
    await c?.policy.release();
  }

  #afterStep(report: StepReport): void {
    const c = this.#challenger;
    if (c === undefined || report.raw === undefined) return;
    if (c.busy) {
      c.skipped++;
      return;
    }
    if (c.policy.assembler.assemble(this.#options.latest, c.observation, undefined) !== undefined) return;
    const activeMapper = report.policy.mapper;
    const active = new Float64Array(activeMapper.size);
    activeMapper.scale(report.raw, active);
    const pairs = matchComponents(activeMapper.components, c.policy.mapper.components);
    if (pairs.length === 0) return;
    c.busy = true;
    const startedAtMs = this.#options.clock.now();
    c.policy.model
      .run(c.observation)
      .then((raw) => {
        const latencyMs = this.#options.clock.now() - startedAtMs;
        c.policy.mapper.scale(raw, c.command);
        let sum = 0;
        for (const [a, b] of pairs) sum += ((active[a] as number) - (c.command[b] as number)) ** 2;
        const divergence = Math.sqrt(sum);
        c.divergence.push(divergence);
        c.latency.push(latencyMs);
        this.#options.onSample?.({ version: c.policy.version, divergence, latencyMs });
      })
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        c.busy = false;
      });
  }
}

function matchComponents(
  active: readonly { name: string }[],
  challenger: readonly { name: string }[],
): [number, number][] {
  const pairs: [number, number][] = [];
  active.forEach((component, i) => {
    const j = challenger.findIndex((c) => c.name === component.name);
    if (j >= 0) pairs.push([i, j]);
  });
  return pairs;
}
