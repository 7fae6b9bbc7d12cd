import { DdsTransport, InProcessTransport, type RosTransport } from '@fleetloop/ros';
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
  /**
   * A transport to share (left open by `close()`), or which one to open and own: `dds` (Cyclone
   * DDS; ROS_DOMAIN_ID and the other ROS 2 variables honoured) or `inprocess`.
   */
  readonly transport: RosTransport | 'dds' | 'inprocess';
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
  /** The transport the robots publish on. */
  readonly transport: RosTransport;
  readonly #ownsTransport: boolean;
  readonly #onError: ((error: unknown) => void) | undefined;
  #timers: FleetTimers | undefined;
  #handle: unknown;
  #closed = false;

  private constructor(
    robots: SimRobot[],
    transport: RosTransport,
    ownsTransport: boolean,
    onError: ((error: unknown) => void) | undefined,
  ) {
    this.robots = robots;
    this.transport = transport;
    this.#ownsTransport = ownsTransport;
    this.#onError = onError;
  }

  /** Creates the robots (their publishers and subscriptions exist once this resolves). */
  static async create(options: SimFleetOptions): Promise<SimFleet> {
    if (!Number.isInteger(options.robots) || options.robots < 1) {
      throw new SimError('SIM_INVALID_ARGUMENT', `robots must be a positive integer, got ${options.robots}`);
    }
    const {
      robots: count,
      namePrefix = 'robot_',
      seed,
      onError,
      transport: given,
      ...robotOptions
    } = options;
    const transport =
      given === 'dds' ? new DdsTransport() : given === 'inprocess' ? new InProcessTransport() : given;
    const robots: SimRobot[] = [];
    try {
      for (let i = 1; i <= count; i++) {
        robots.push(
          await SimRobot.create({
            ...robotOptions,
            transport,
            name: `${namePrefix}${i}`,
            ...(seed === undefined ? {} : { seed: seed + i }),
          }),
        );
      }
    } catch (error) {
      await Promise.all(robots.map((r) => r.close()));
      if (transport !== given) await transport.close();
      throw error;
    }
    return new SimFleet(robots, transport, transport !== given, onError);
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

  /** Stops and closes every robot, and the transport if the fleet opened it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    await Promise.all(this.robots.map((r) => r.close()));
    if (this.#ownsTransport) await this.transport.close();
  }
}
