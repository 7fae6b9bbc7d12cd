import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StepReport } from '../loop/StepReport.js';
import { interventionReasons } from '../safety/SafetyFilter.js';
import type { ShadowSample, ShadowStats } from '../shadow/ShadowEvaluator.js';
import type { SwapEvent } from '../swap/HotSwap.js';

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];

/** The runtime's Prometheus metrics, labelled by robot. */
export class RuntimeMetrics {
  readonly #robot: string;
  readonly #stepLatency: Histogram<'robot' | 'version'>;
  readonly #steps: Counter<'robot'>;
  readonly #overruns: Counter<'robot'>;
  readonly #interventions: Counter<'robot' | 'reason'>;
  readonly #shadowDivergence: Gauge<'robot' | 'version' | 'stat'>;
  readonly #shadowLatency: Histogram<'robot' | 'version'>;
  readonly #swaps: Counter<'robot' | 'kind'>;
  readonly #active: Gauge<'robot' | 'version' | 'digest'>;
  readonly #degraded: Gauge<'robot'>;
  #overrunsSeen = 0;
  #activeLabels: { robot: string; version: string; digest: string } | undefined;

  constructor(registry: Registry, robot: string) {
    this.#robot = robot;
    const registers = [registry];
    this.#stepLatency = metric(
      registry,
      'fleetloop_runtime_step_latency_seconds',
      () =>
        new Histogram({
          name: 'fleetloop_runtime_step_latency_seconds',
          help: 'Control step latency: observation assembly to published command',
          labelNames: ['robot', 'version'],
          buckets: LATENCY_BUCKETS,
          registers,
        }),
    );
    this.#steps = metric(
      registry,
      'fleetloop_runtime_steps_total',
      () =>
        new Counter({
          name: 'fleetloop_runtime_steps_total',
          help: 'Control steps run',
          labelNames: ['robot'],
          registers,
        }),
    );
    this.#overruns = metric(
      registry,
      'fleetloop_runtime_overruns_total',
      () =>
        new Counter({
          name: 'fleetloop_runtime_overruns_total',
          help: 'Control steps that overran their period or missed their tick',
          labelNames: ['robot'],
          registers,
        }),
    );
    this.#interventions = metric(
      registry,
      'fleetloop_runtime_interventions_total',
      () =>
        new Counter({
          name: 'fleetloop_runtime_interventions_total',
          help: 'Safety filter interventions by reason',
          labelNames: ['robot', 'reason'],
          registers,
        }),
    );
    this.#shadowDivergence = metric(
      registry,
      'fleetloop_runtime_shadow_divergence',
      () =>
        new Gauge({
          name: 'fleetloop_runtime_shadow_divergence',
          help: 'Distance between challenger and active commands over the recent window (stat: mean, p95)',
          labelNames: ['robot', 'version', 'stat'],
          registers,
        }),
    );
    this.#shadowLatency = metric(
      registry,
      'fleetloop_runtime_shadow_latency_seconds',
      () =>
        new Histogram({
          name: 'fleetloop_runtime_shadow_latency_seconds',
          help: 'Challenger inference latency',
          labelNames: ['robot', 'version'],
          buckets: LATENCY_BUCKETS,
          registers,
        }),
    );
    this.#swaps = metric(
      registry,
      'fleetloop_runtime_swap_events_total',
      () =>
        new Counter({
          name: 'fleetloop_runtime_swap_events_total',
          help: 'Hot swap events (staged, switched, promoted, rolled-back)',
          labelNames: ['robot', 'kind'],
          registers,
        }),
    );
    this.#active = metric(
      registry,
      'fleetloop_runtime_active_policy',
      () =>
        new Gauge({
          name: 'fleetloop_runtime_active_policy',
          help: '1 for the policy version driving the robot',
          labelNames: ['robot', 'version', 'digest'],
          registers,
        }),
    );
    this.#degraded = metric(
      registry,
      'fleetloop_runtime_degraded',
      () =>
        new Gauge({
          name: 'fleetloop_runtime_degraded',
          help: '1 while overruns hold the robot stopped',
          labelNames: ['robot'],
          registers,
        }),
    );
  }

  /**
   * Records one control step; `overrunsTotal` is the loop's overrun count so far (late steps and
   * missed ticks, which have no report of their own).
   */
  step(report: StepReport, degraded: boolean, overrunsTotal: number): void {
    const robot = this.#robot;
    this.#stepLatency.observe({ robot, version: report.policy.version }, report.latencyMs / 1000);
    this.#steps.inc({ robot });
    if (overrunsTotal > this.#overrunsSeen) {
      this.#overruns.inc({ robot }, overrunsTotal - this.#overrunsSeen);
      this.#overrunsSeen = overrunsTotal;
    }
    if (report.interventions !== 0) {
      for (const reason of interventionReasons(report.interventions))
        this.#interventions.inc({ robot, reason });
    }
    this.#degraded.set({ robot }, degraded ? 1 : 0);
  }

  shadowSample(sample: ShadowSample): void {
    this.#shadowLatency.observe({ robot: this.#robot, version: sample.version }, sample.latencyMs / 1000);
  }

  shadowStats(stats: ShadowStats): void {
    const robot = this.#robot;
    this.#shadowDivergence.set({ robot, version: stats.version, stat: 'mean' }, stats.divergenceMean);
    this.#shadowDivergence.set({ robot, version: stats.version, stat: 'p95' }, stats.divergenceP95);
  }

  swapEvent(event: SwapEvent, active: { version: string; digest: string } | undefined): void {
    this.#swaps.inc({ robot: this.#robot, kind: event.kind });
    if (this.#activeLabels !== undefined) this.#active.remove(this.#activeLabels);
    this.#activeLabels = active === undefined ? undefined : { robot: this.#robot, ...active };
    if (this.#activeLabels !== undefined) this.#active.set(this.#activeLabels, 1);
  }
}

/** One registry may hold several runtimes (`fleetloop up`): reuse a metric registered already. */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
