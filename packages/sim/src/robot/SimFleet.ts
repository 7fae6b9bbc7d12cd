import type { RosTransport } from '@fleetloop/ros';
import { NAV_CONTROL_PERIOD_S } from '../observation/navLayout.js';
import { SimError } from '../SimError.js';
import { SimRobot, type SimRobotOptions } from './SimRobot.js';

/** Timers the fleet runs on (injectable so tests drive ticks themselves). */
export interface FleetTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Options of {@link SimFleet}. */
export interface SimFleetOptions extends Omit<SimRobotOptions, 'name' | 'transport' | 'seed'> {
  readonly transport: RosTransport;
  /** Number of robots, named `<prefix>1` … `<prefix>N` (default prefix `robot_`). */
  readonly robots: number;
  readonly namePrefix?: string;
  /** Base seed; robot i draws its missions from `seed + i` (default: derived from each name). */
  readonly seed?: number;
  /** Called when a tick throws (default: rethrown from the timer callback). */
  readonly onError?: (error: unknown) => void;
}

const NODE_TIMERS: FleetTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * Several {@link SimRobot}s on one transport, ticked together in real time (20 Hz) once
 * `start()` is called. What `fleetloop sim fleet` and `fleetloop up` run.
 */
export class SimFleet {
  readonly robots: readonly SimRobot[];
  readonly #onError: ((error: unknown) => void) | undefined;
  #timers: FleetTimers | undefined;
  #handle: unknown;
  #closed = false;

  private constructor(robots: SimRobot[], onError: ((error: unknown) => void) | undefined) {
    this.robots = robots;
    this.#onError = onError;
  }

  /** Creates the robots (their publishers and subscriptions exist once this resolves). */
  static async create(options: SimFleetOptions): Promise<SimFleet> {
    if (!Number.isInteger(options.robots) || options.robots < 1) {
      throw new SimError('SIM_INVALID_ARGUMENT', `robots must be a positive integer, got ${options.robots}`);
    }
    const { robots: count, namePrefix = 'robot_', seed, onError, ...robotOptions } = options;
    const robots: SimRobot[] = [];
    for (let i = 1; i <= count; i++) {
      robots.push(
        await SimRobot.create({
          ...robotOptions,
          name: `${namePrefix}${i}`,
          ...(seed === undefined ? {} : { seed: seed + i }),
        }),
      );
    }
    return new SimFleet(robots, onError);
  }

  /** Advances every robot by one control period. */
  tick(): void {
    for (const robot of this.robots) robot.tick();
  }

  /** Ticks every 50 ms until `stop()` or `close()`. */
  start(timers: FleetTimers = NODE_TIMERS): void {
    if (this.#closed) throw new SimError('SIM_CLOSED', 'the fleet was closed');
    if (this.#handle !== undefined) return;
    this.#timers = timers;
    this.#handle = timers.setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        if (this.#onError === undefined) throw error;
        this.#onError(error);
      }
    }, NAV_CONTROL_PERIOD_S * 1000);
  }

  /** Stops ticking; the robots keep their state. */
  stop(): void {
    if (this.#handle !== undefined) this.#timers?.clearInterval(this.#handle);
    this.#handle = undefined;
  }

  /** Stops and closes every robot. The transport stays open. */
  async close(): Promise<void> {
    this.stop();
    this.#closed = true;
    await Promise.all(this.robots.map((r) => r.close()));
  }
}
