import type { NavPolicy, NavState } from '../env/types.js';
import type { NavPolicyFn } from '../eval/evaluatePolicy.js';
import { NAV_CONTROL_PERIOD_S } from '../observation/navLayout.js';
import type { NavAction } from '../observation/navObservation.js';
import type { Pose2D } from '../observation/rosShapes.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { ScriptedExpert } from './ScriptedExpert.js';

/** Options of {@link OperatorModel}. */
export interface OperatorModelOptions {
  /** How far ahead the operator judges the policy's command, seconds (default 1.0). */
  readonly horizonS?: number;
  /** Predicted clearance below which the operator takes over, metres beyond the body (default 0.06). */
  readonly safetyMargin?: number;
  /** Control steps the operator keeps control once it took over (default 10). */
  readonly holdSteps?: number;
  /** Who drives during a takeover (default a {@link ScriptedExpert}). */
  readonly operator?: ScriptedExpert;
}

/** One step on which the operator drove instead of the policy: a labelled sample for retraining. */
export interface Intervention {
  readonly episodeId: string;
  readonly step: number;
  /** The policy observation at that step (copied). */
  readonly observation: Float32Array;
  /** What the policy wanted to do. */
  readonly policyAction: readonly [number, number];
  /** What the operator did instead (the label). */
  readonly operatorAction: readonly [number, number];
  readonly pose: Pose2D;
  /** `takeover`: the step the operator judged a collision coming; `hold`: the steps after it. */
  readonly reason: 'takeover' | 'hold';
}

/**
 * A fleet operator watching a policy: each step it rolls the policy's command forward over a
 * short horizon (with the robot's latency and acceleration limits) against the obstacles in the
 * current scan, and when the robot would come within `safetyMargin` of one it takes over for
 * `holdSteps` steps, driving with the scripted expert. Every step it drives is recorded as an
 * {@link Intervention}: the data that drives retraining (DAgger-style labels where the policy
 * failed).
 */
export class OperatorModel {
  readonly #horizonS: number;
  readonly #margin: number;
  readonly #holdSteps: number;
  readonly #operator: ScriptedExpert;
  readonly #interventions: Intervention[] = [];
  #holdLeft = 0;
  #takeovers = 0;

  constructor(options: OperatorModelOptions = {}) {
    this.#horizonS = options.horizonS ?? 1.0;
    this.#margin = options.safetyMargin ?? 0.06;
    this.#holdSteps = options.holdSteps ?? 10;
    this.#operator = options.operator ?? new ScriptedExpert();
  }

  /** Interventions recorded so far. */
  get interventions(): readonly Intervention[] {
    return this.#interventions;
  }

  /** Number of takeovers (each followed by up to `holdSteps - 1` held steps). */
  get takeovers(): number {
    return this.#takeovers;
  }

  /** Returns and forgets the recorded interventions. */
  drain(): Intervention[] {
    return this.#interventions.splice(0);
  }

  /** Wraps a policy so the operator can take over; the result is evaluated like any policy. */
  supervise(policy: NavPolicy | NavPolicyFn): NavPolicy {
    const act = typeof policy === 'function' ? policy : (o: Float32Array, s: NavState) => policy.act(o, s);
    return {
      reset: (episode: EpisodeSpec) => {
        if (typeof policy !== 'function') policy.reset?.(episode);
        this.#operator.reset(episode);
        this.#holdLeft = 0;
      },
      act: (observation, state) => this.#decide(observation, state, act(observation, state)),
    };
  }

  /**
   * Whether driving `action` would bring the body within the safety margin of an obstacle seen
   * in the scan within the horizon.
   */
  predictsCollision(action: NavAction, state: NavState): boolean {
    const { robot, sensors } = state.episode;
    const scan = state.scan;
    const n = scan.length;
    const limit = robot.radius + this.#margin;
    const limit2 = limit * limit;
    const dt = NAV_CONTROL_PERIOD_S / 2;
    let x = 0;
    let y = 0;
    let theta = 0;
    let v = state.linearVelocity;
    let w = state.angularVelocity;
    const latencyS = robot.latencySteps * NAV_CONTROL_PERIOD_S;
    const targetV =
      Math.min(robot.maxLinear, Math.max(robot.minLinear, action[0] ?? 0)) * robot.velocityScale;
    const targetW =
      Math.min(robot.maxAngular, Math.max(-robot.maxAngular, action[1] ?? 0)) * robot.velocityScale;
    for (let t = dt; t <= this.#horizonS + 1e-9; t += dt) {
      if (t > latencyS) {
        v += clamp(targetV - v, robot.linearAcceleration * dt);
        w += clamp(targetW - w, robot.angularAcceleration * dt);
      }
      theta += w * dt;
      x += v * Math.cos(theta) * dt;
      y += v * Math.sin(theta) * dt;
      for (let i = 0; i < n; i++) {
        const r = scan[i] as number;
        if (!(r <= sensors.scanRangeMax)) continue;
        const a = -Math.PI + (i * 2 * Math.PI) / n;
        const dx = r * Math.cos(a) - x;
        const dy = r * Math.sin(a) - y;
        if (dx * dx + dy * dy < limit2) return true;
      }
    }
    return false;
  }

  #decide(observation: Float32Array, state: NavState, proposed: NavAction): NavAction {
    const policyAction: [number, number] = [proposed[0] ?? 0, proposed[1] ?? 0];
    let reason: Intervention['reason'];
    if (this.#holdLeft > 0) {
      reason = 'hold';
      this.#holdLeft--;
    } else if (this.predictsCollision(policyAction, state)) {
      reason = 'takeover';
      this.#takeovers++;
      this.#holdLeft = this.#holdSteps - 1;
    } else {
      return proposed;
    }
    const operatorAction = this.#operator.act(observation, state);
    this.#interventions.push({
      episodeId: state.episode.id,
      step: state.step,
      observation: observation.slice(),
      policyAction,
      operatorAction,
      pose: state.pose,
      reason,
    });
    return operatorAction;
  }
}

function clamp(value: number, limit: number): number {
  return value > limit ? limit : value < -limit ? -limit : value;
}
