import type { CommandMessage } from '../action/ActionMapper.js';
import type { RuntimeClock } from '../clock/RuntimeClock.js';
import type { LatestMessages } from '../observation/LatestMessages.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import type { InterventionReason } from '../safety/Intervention.js';
import {
  SafetyFilter,
  interventionReasons as interventionReasonsOf,
  type SafetyLimits,
} from '../safety/SafetyFilter.js';
import { DeadlineMonitor } from './DeadlineMonitor.js';
import type { StepListener, StepReport } from './StepReport.js';

/** Publishes the command messages of one step (the ROS adapter encodes and writes them). */
export interface CommandPublisher {
  publish(messages: readonly CommandMessage[]): void;
}

/** Safety settings of the runtime (the contract's limits are applied on top: the tighter wins). */
export interface LoopSafetySettings {
  readonly maxLinearVelocity?: number | undefined;
  readonly maxAngularVelocity?: number | undefined;
  readonly maxLinearAcceleration?: number | undefined;
  readonly maxAngularAcceleration?: number | undefined;
  /** Stop when a source topic's newest message is older than this many control periods. */
  readonly staleAfterPeriods: number;
  /** Topics that are not expected to repeat (a mission goal) and so are never stale. */
  readonly staleExemptTopics: readonly string[];
  readonly minClearanceM: number;
  readonly clearanceHalfAngleDeg: number;
  /** LaserScan topic for the clearance check (relative to the robot namespace). */
  readonly scanTopic: string;
  /** `std_msgs/msg/Bool` topic; true stops the robot until it turns false. */
  readonly estopTopic: string;
}

/** Options for {@link ControlLoop}. */
export interface ControlLoopOptions {
  readonly clock: RuntimeClock;
  readonly latest: LatestMessages;
  readonly publisher: CommandPublisher;
  readonly safety: LoopSafetySettings;
  /** Consecutive overruns that make the loop degraded (safe stop). */
  readonly maxConsecutiveOverruns: number;
  /** On-time steps that clear the degraded state. */
  readonly recoverAfterSteps: number;
  /** Called with an error a step listener or the schedule raised; the loop goes on. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The on-robot control loop: every control period it assembles the observation from the latest
 * messages, runs the active policy, scales and clips the action, passes it through the safety
 * filter and publishes it. Steps never overlap: a tick that finds the previous step still running
 * counts as an overrun. Policies are switched between steps ({@link setPolicy}), never during one.
 */
export class ControlLoop {
  readonly #options: ControlLoopOptions;
  readonly #listeners = new Set<StepListener>();
  readonly #beforeStep = new Set<() => void>();
  #policy: LoadedPolicy | undefined;
  #filter: SafetyFilter | undefined;
  #observation = new Float32Array(0);
  #command = new Float64Array(0);
  #previousRaw: Float32Array | undefined;
  #lastPublishMs: number | undefined;
  #seq = 0;
  #inFlight = false;
  #running = false;
  #nextTickMs = 0;
  #cancelTimer: (() => void) | undefined;
  #stepDone: Promise<void> = Promise.resolve();
  readonly #interventions = new Map<InterventionReason, number>();
  readonly #exempt: ReadonlySet<string>;
  readonly #deadline: DeadlineMonitor;

  constructor(options: ControlLoopOptions) {
    this.#options = options;
    this.#exempt = new Set(options.safety.staleExemptTopics);
    this.#deadline = new DeadlineMonitor({
      maxConsecutiveOverruns: options.maxConsecutiveOverruns,
      recoverAfterSteps: options.recoverAfterSteps,
    });
  }

  /** The policy that runs the next step. */
  get policy(): LoadedPolicy | undefined {
    return this.#policy;
  }

  /** Overruns (late steps and missed ticks) since start. */
  get overruns(): number {
    return this.#deadline.overruns;
  }

  /** True while overruns hold the robot stopped. */
  get degraded(): boolean {
    return this.#deadline.degraded;
  }

  /** The last command published (after the safety filter); zeros before the first step. */
  get lastCommand(): Readonly<Float64Array> {
    return this.#filter?.previous ?? this.#command;
  }

  /** The loop's clock reading now (ms). */
  clockNow(): number {
    return this.#options.clock.now();
  }

  /** Steps run since start. */
  get steps(): number {
    return this.#seq;
  }

  /**
   * Makes `policy` run from the next step on. The safety filter is rebuilt for its action layout
   * and keeps the last command as its acceleration reference, so a swap does not jerk the robot.
   */
  setPolicy(policy: LoadedPolicy): void {
    const previous = this.#filter?.previous;
    this.#policy = policy;
    this.#filter = new SafetyFilter(policy.mapper.components, this.#limitsFor(policy));
    if (previous !== undefined) this.#filter.seed(previous);
    if (this.#observation.length !== policy.assembler.size)
      this.#observation = new Float32Array(policy.assembler.size);
    if (this.#command.length !== policy.mapper.size) this.#command = new Float64Array(policy.mapper.size);
    if (this.#previousRaw?.length !== policy.mapper.size) this.#previousRaw = undefined;
  }

  /** Subscribes to step reports; returns the unsubscribe function. */
  onStep(listener: StepListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs `hook` before every step, where a pending policy switch may call {@link setPolicy}. */
  beforeStep(hook: () => void): () => void {
    this.#beforeStep.add(hook);
    return () => this.#beforeStep.delete(hook);
  }

  /** Interventions since start, per reason. */
  get interventions(): ReadonlyMap<InterventionReason, number> {
    return this.#interventions;
  }

  /** Starts ticking at the active policy's period (the first step runs at once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#nextTickMs = this.#options.clock.now();
    this.#tick();
  }

  /** Stops ticking and resolves when the step in flight (if any) finished. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    await this.#stepDone;
  }

  /**
   * Runs one step now; resolves to its report, or to undefined when no policy is set or the
   * previous step is still running (which counts as an overrun).
   */
  async step(): Promise<StepReport | undefined> {
    if (this.#inFlight) {
      this.#deadline.missed();
      return undefined;
    }
    this.#inFlight = true;
    let done!: () => void;
    this.#stepDone = new Promise((resolve) => (done = resolve));
    let report: StepReport | undefined;
    try {
      report = await this.#step();
    } finally {
      this.#inFlight = false;
      done();
    }
    // Listeners run once the step is over, so one that starts the next step is not refused.
    if (report !== undefined) this.#notify(report);
    return report;
  }

  #notify(report: StepReport): void {
    for (const listener of this.#listeners) {
      try {
        listener(report);
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }

  #tick = (): void => {
    if (!this.#running) return;
    this.step().catch((error: unknown) => this.#options.onError?.(error));
    const clock = this.#options.clock;
    const period = this.#policy?.periodMs ?? 50;
    this.#nextTickMs += period;
    const now = clock.now();
    // After a stall (a paused process), skip the ticks that are already past instead of bursting.
    if (this.#nextTickMs < now - period) this.#nextTickMs = now;
    this.#cancelTimer = clock.setTimer(this.#nextTickMs - now, this.#tick);
  };

  async #step(): Promise<StepReport | undefined> {
    for (const hook of this.#beforeStep) hook();
    const policy = this.#policy;
    const filter = this.#filter;
    const deadline = this.#deadline;
    if (policy === undefined || filter === undefined) return undefined;
    const { clock, latest, safety } = this.#options;
    const startedAtMs = clock.now();
    let stop = this.#stopReason(policy, startedAtMs, deadline);
    let observation: Float32Array | undefined;
    let raw: Float32Array | undefined;
    const command = this.#command;
    if (stop === undefined) {
      const problem = policy.assembler.assemble(latest, this.#observation, this.#previousRaw);
      if (problem === undefined) observation = this.#observation;
      else stop = 'invalid_observation';
    }
    if (observation !== undefined) {
      try {
        raw = await policy.model.run(observation);
        policy.mapper.scale(raw, command);
      } catch (error) {
        stop = 'model_error';
        this.#options.onError?.(error);
      }
    }
    const dtS = this.#lastPublishMs === undefined ? 0 : (startedAtMs - this.#lastPublishMs) / 1000;
    const interventions = filter.apply(command, { stop, scan: latest.get(safety.scanTopic)?.message, dtS });
    this.#options.publisher.publish(policy.mapper.messages(command));
    const latencyMs = clock.now() - startedAtMs;
    this.#lastPublishMs = startedAtMs;
    this.#previousRaw = raw;
    const overrun = deadline.record(latencyMs, policy.periodMs);
    if (interventions !== 0) this.#count(interventions);
    return {
      seq: this.#seq++,
      startedAtMs,
      latencyMs,
      overrun,
      policy,
      observation,
      raw,
      command,
      interventions,
    };
  }

  #stopReason(
    policy: LoadedPolicy,
    nowMs: number,
    deadline: DeadlineMonitor,
  ): InterventionReason | undefined {
    const { latest, safety } = this.#options;
    const estop = latest.get(safety.estopTopic)?.message as { data?: unknown } | undefined;
    if (estop?.data === true) return 'estop';
    if (deadline.degraded) return 'deadline';
    const limitMs = Math.min(
      safety.staleAfterPeriods * policy.periodMs,
      policy.contract.limits.maxObservationAgeMs ?? Number.POSITIVE_INFINITY,
    );
    const oldest = policy.assembler.oldest(latest, nowMs, this.#exempt);
    if (oldest !== undefined && oldest.ageMs > limitMs) return 'stale_observation';
    return undefined;
  }

  #count(mask: number): void {
    for (const reason of interventionReasonsOf(mask)) {
      this.#interventions.set(reason, (this.#interventions.get(reason) ?? 0) + 1);
    }
  }

  #limitsFor(policy: LoadedPolicy): SafetyLimits {
    const contract = policy.contract.limits;
    const safety = this.#options.safety;
    return {
      maxLinearVelocity: tighter(safety.maxLinearVelocity, contract.maxLinearVelocity),
      maxAngularVelocity: tighter(safety.maxAngularVelocity, contract.maxAngularVelocity),
      maxLinearAcceleration: tighter(safety.maxLinearAcceleration, contract.maxLinearAcceleration),
      maxAngularAcceleration: tighter(safety.maxAngularAcceleration, contract.maxAngularAcceleration),
      minClearanceM: safety.minClearanceM,
      clearanceHalfAngleRad: (safety.clearanceHalfAngleDeg * Math.PI) / 180,
    };
  }
}

function tighter(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
