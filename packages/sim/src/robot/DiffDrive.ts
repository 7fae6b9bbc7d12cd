import type { RobotParams } from '../world/WorldSpec.js';

/**
 * The drive of a differential-drive robot between command and motion: commands are clamped to
 * the velocity limits, delayed by the actuation latency, and reached under the acceleration
 * limits. Pure arithmetic, so the same model serves every world.
 */
export class DiffDrive {
  readonly #params: RobotParams;
  /** Ring buffer of pending commands, `latencySteps` long: [v0, w0, v1, w1, ...]. */
  readonly #pending: Float64Array;
  #head = 0;
  #targetLinear = 0;
  #targetAngular = 0;
  /** Velocities the drive has reached (before slip and noise). */
  linear = 0;
  angular = 0;

  constructor(params: RobotParams) {
    this.#params = params;
    this.#pending = new Float64Array(Math.max(0, params.latencySteps) * 2);
  }

  /** Stops the robot and forgets pending commands. */
  reset(): void {
    this.#pending.fill(0);
    this.#head = 0;
    this.#targetLinear = 0;
    this.#targetAngular = 0;
    this.linear = 0;
    this.angular = 0;
  }

  /** Issues a command at the start of a control period; it takes effect `latencySteps` periods later. */
  command(linear: number, angular: number): void {
    const p = this.#params;
    let v = Number.isNaN(linear) ? 0 : Math.min(p.maxLinear, Math.max(p.minLinear, linear));
    let w = Number.isNaN(angular) ? 0 : Math.min(p.maxAngular, Math.max(-p.maxAngular, angular));
    if (this.#pending.length > 0) {
      const slot = this.#head * 2;
      const delayedV = this.#pending[slot] as number;
      const delayedW = this.#pending[slot + 1] as number;
      this.#pending[slot] = v;
      this.#pending[slot + 1] = w;
      this.#head = (this.#head + 1) % (this.#pending.length / 2);
      v = delayedV;
      w = delayedW;
    }
    this.#targetLinear = v;
    this.#targetAngular = w;
  }

  /** Advances the reached velocities by `dt` seconds toward the active command. */
  advance(dt: number): void {
    const maxDv = this.#params.linearAcceleration * dt;
    const maxDw = this.#params.angularAcceleration * dt;
    const dv = this.#targetLinear - this.linear;
    const dw = this.#targetAngular - this.angular;
    this.linear += dv > maxDv ? maxDv : dv < -maxDv ? -maxDv : dv;
    this.angular += dw > maxDw ? maxDw : dw < -maxDw ? -maxDw : dw;
  }
}
