import {
  makeImage,
  makeLaserScan,
  makeOdometry,
  makePoseStamped,
  makeString,
  QOS_DEFAULT,
  QOS_LATCHED,
  QOS_SENSOR_DATA,
  RosNode,
  type Image,
  type LaserScan,
  type MessageDefinitionRegistry,
  type Odometry,
  type PoseStamped,
  type StringMessage,
  type RosPublisher,
  type RosTransport,
} from '@fleetloop/ros';
import { NavSimulation } from '../env/NavSimulation.js';
import { OperatorModel, type OperatorModelOptions } from '../expert/OperatorModel.js';
import { ScriptedExpert } from '../expert/ScriptedExpert.js';
import type { NavPolicy } from '../env/types.js';
import { NAV_CONTROL_PERIOD_S, NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import type { Pose2D } from '../observation/rosShapes.js';
import { hashSeed, SeededRandom } from '../random/SeededRandom.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { SimError } from '../SimError.js';
import { initPhysics } from '../world/physics.js';
import { CameraRenderer } from './CameraRenderer.js';
import type { MissionState } from './missionState.js';

/** Who drives a simulated robot. */
export type SimRobotDriver =
  /** Commands arriving on `cmd_vel` (a runtime, a teleop); without them the robot stands still. */
  | 'external'
  /** The scripted expert (demos); `cmd_vel` is ignored. */
  | 'expert';

/** Options of {@link SimRobot}. */
export interface SimRobotOptions {
  /** Robot name, also its ROS namespace (`robot_3` → `/robot_3/scan`). */
  readonly name: string;
  readonly transport: RosTransport;
  /** Suite the missions are drawn from (default `nav-v1/test`). */
  readonly suite?: string;
  /** Seed of the mission sequence (default derived from the name). */
  readonly seed?: number;
  readonly driver?: SimRobotDriver;
  /** Camera frames per second, 0 for none (default 10; at most the 20 Hz control rate). */
  readonly cameraHz?: number;
  /** Seconds idle between missions (default 3). */
  readonly idleS?: number;
  /** A `cmd_vel` older than this is ignored and the robot stops, seconds (default 0.5). */
  readonly commandTimeoutS?: number;
  /**
   * An operator watching the external driver: when a `cmd_vel` would bring the robot within the
   * safety margin of an obstacle, the operator (the scripted expert) drives instead, and each
   * step it drives is published on `intervention`. `true` for the default {@link OperatorModel}.
   */
  readonly operator?: boolean | OperatorModelOptions;
  /** Message definitions (default the ROS 2 common interfaces). */
  readonly registry?: MessageDefinitionRegistry;
  /** Clock for message stamps and command age, nanoseconds since the epoch (default wall clock). */
  readonly nowNs?: () => bigint;
}

/** Topics a simulated robot publishes and subscribes, relative to its namespace. */
export const SIM_ROBOT_TOPICS = {
  scan: { topic: 'scan', type: 'sensor_msgs/msg/LaserScan' },
  odom: { topic: 'odom', type: 'nav_msgs/msg/Odometry' },
  camera: { topic: 'camera/image_raw', type: 'sensor_msgs/msg/Image' },
  goal: { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped' },
  missionState: { topic: 'mission_state', type: 'std_msgs/msg/String' },
  collision: { topic: 'collision', type: 'std_msgs/msg/String' },
  intervention: { topic: 'intervention', type: 'std_msgs/msg/String' },
  cmdVel: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist' },
} as const;

const TICKS_PER_SECOND = Math.round(1 / NAV_CONTROL_PERIOD_S);

/**
 * A simulated robot on the ROS transport: one {@link NavSimulation} world at a time, publishing
 * `scan`, `odom`, `camera/image_raw`, `goal_pose`, `mission_state` and `collision` under
 * `/<name>/` and obeying `cmd_vel`. It runs missions back to back (a mission is an episode of the
 * suite; it ends at the goal, on a collision or on time out), idling `idleS` seconds between them.
 * `tick()` advances one 50 ms control period; {@link SimFleet} calls it on a timer.
 */
export class SimRobot {
  readonly name: string;
  readonly #node: RosNode;
  readonly #sim = new NavSimulation();
  readonly #suite: ScenarioSuite;
  readonly #rng: SeededRandom;
  readonly #driver: SimRobotDriver;
  readonly #expert = new ScriptedExpert();
  readonly #camera = new CameraRenderer();
  readonly #cameraEvery: number;
  readonly #idleTicks: number;
  readonly #commandTimeoutNs: bigint;
  readonly #nowNs: () => bigint;
  readonly #obs = new Float32Array(NAV_OBSERVATION_SIZE);
  readonly #pub: {
    scan: RosPublisher<LaserScan>;
    odom: RosPublisher<Odometry>;
    camera: RosPublisher<Image> | undefined;
    goal: RosPublisher<PoseStamped>;
    missionState: RosPublisher<StringMessage>;
    collision: RosPublisher<StringMessage>;
    intervention: RosPublisher<StringMessage> | undefined;
  };
  readonly #operator: OperatorModel | undefined;
  readonly #supervised: NavPolicy | undefined;
  #command: { linear: number; angular: number; atNs: bigint } | undefined;
  #state: MissionState = {
    state: 'idle',
    mission: null,
    missionsDone: 0,
    successes: 0,
    collisions: 0,
    lastResult: null,
  };
  #idleLeft: number;
  #interventions = 0;
  #tick = 0;
  #closed = false;

  private constructor(options: SimRobotOptions) {
    this.name = options.name;
    this.#suite = ScenarioSuite.get(options.suite ?? 'nav-v1/test');
    this.#rng = new SeededRandom(options.seed ?? hashSeed(hashString(options.name)));
    this.#driver = options.driver ?? 'external';
    const cameraHz = options.cameraHz ?? 10;
    this.#cameraEvery = cameraHz > 0 ? Math.max(1, Math.round(TICKS_PER_SECOND / cameraHz)) : 0;
    this.#idleTicks = Math.max(0, Math.round((options.idleS ?? 3) * TICKS_PER_SECOND));
    this.#idleLeft = this.#idleTicks;
    this.#commandTimeoutNs = BigInt(Math.round((options.commandTimeoutS ?? 0.5) * 1e9));
    this.#nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.#node = new RosNode({
      name: 'sim_robot',
      namespace: `/${options.name}`,
      transport: options.transport,
      ...(options.registry === undefined ? {} : { registry: options.registry }),
    });
    const t = SIM_ROBOT_TOPICS;
    this.#pub = {
      scan: this.#node.createPublisher(t.scan.topic, t.scan.type, QOS_SENSOR_DATA),
      odom: this.#node.createPublisher(t.odom.topic, t.odom.type, QOS_DEFAULT),
      camera:
        this.#cameraEvery > 0
          ? this.#node.createPublisher(t.camera.topic, t.camera.type, QOS_SENSOR_DATA)
          : undefined,
      goal: this.#node.createPublisher(t.goal.topic, t.goal.type, QOS_LATCHED),
      missionState: this.#node.createPublisher(t.missionState.topic, t.missionState.type, QOS_LATCHED),
      collision: this.#node.createPublisher(t.collision.topic, t.collision.type, QOS_DEFAULT),
      intervention:
        options.operator === undefined || options.operator === false
          ? undefined
          : this.#node.createPublisher(t.intervention.topic, t.intervention.type, QOS_DEFAULT),
    };
    if (options.operator !== undefined && options.operator !== false) {
      this.#operator = new OperatorModel(options.operator === true ? {} : options.operator);
      this.#supervised = this.#operator.supervise(() => this.#externalCommand());
    }
    // Best effort so that both reliable and best-effort `cmd_vel` publishers match.
    this.#node.createSubscription(
      t.cmdVel.topic,
      t.cmdVel.type,
      { ...QOS_SENSOR_DATA, history: { kind: 'keep_last', depth: 1 } },
      (twist) => {
        this.#command = { linear: twist.linear.x, angular: twist.angular.z, atNs: this.#nowNs() };
      },
    );
    this.#loadNextWorld();
    this.#publishMissionState();
  }

  /** Loads the physics engine (once per process) and creates the robot on its transport. */
  static async create(options: SimRobotOptions): Promise<SimRobot> {
    await initPhysics();
    return new SimRobot(options);
  }

  /** Current mission state (what `mission_state` carries). */
  get missionState(): MissionState {
    return this.#state;
  }

  /** Steps the operator has driven instead of the external driver, over the robot's life. */
  get interventions(): number {
    return this.#interventions;
  }

  /** Ground-truth pose in the current world. */
  get pose(): Pose2D {
    return this.#sim.state().pose;
  }

  /**
   * The policy observation of the last tick, as the simulator computed it (a copy). A runtime
   * that builds it from this robot's `scan`, `odom` and `goal_pose` with `navObservation` gets the
   * same numbers.
   */
  get observation(): Float32Array {
    return this.#obs.slice();
  }

  /** The ROS namespace, `/<name>`. */
  get namespace(): string {
    return this.#node.namespace;
  }

  /** Advances one control period: mission bookkeeping, physics, and this period's messages. */
  tick(): void {
    if (this.#closed) throw new SimError('SIM_CLOSED', `robot ${this.name} was closed`);
    this.#tick++;
    if (this.#state.state === 'idle') {
      if (this.#idleLeft <= 0) this.#startMission();
      else this.#idleLeft--;
    }
    const [linear, angular] = this.#nextCommand();
    this.#sim.step(linear, angular, this.#obs, 0);
    const stampNs = this.#nowNs();
    if (this.#sim.collision) {
      const { x, y } = this.pose;
      this.#pub.collision.publish(makeString(JSON.stringify({ stampNs: String(stampNs), x, y })));
    }
    if (this.#state.state === 'on_mission' && this.#sim.ended) this.#endMission();
    this.#publishSensors(stampNs);
    if (this.#tick % TICKS_PER_SECOND === 0) this.#publishMissionState();
  }

  /** Closes the robot's publishers and subscription and frees its world. The transport stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#node.close();
    this.#sim.close();
  }

  #nextCommand(): [number, number] {
    if (this.#driver === 'expert') {
      if (this.#state.state !== 'on_mission') return [0, 0];
      const state = this.#sim.state();
      return this.#expert.actAt(state.pose, state.scan, state.time);
    }
    const supervised = this.#supervised;
    if (supervised === undefined || this.#state.state !== 'on_mission') return this.#externalCommand();
    const action = supervised.act(this.#obs, this.#sim.state());
    this.#publishInterventions();
    return [action[0] ?? 0, action[1] ?? 0];
  }

  #externalCommand(): [number, number] {
    const command = this.#command;
    if (command === undefined || this.#nowNs() - command.atNs > this.#commandTimeoutNs) return [0, 0];
    return [command.linear, command.angular];
  }

  #publishInterventions(): void {
    const publisher = this.#pub.intervention;
    if (publisher === undefined || this.#operator === undefined) return;
    for (const i of this.#operator.drain()) {
      this.#interventions++;
      publisher.publish(
        makeString(
          JSON.stringify({
            stampNs: String(this.#nowNs()),
            mission: i.episodeId,
            step: i.step,
            reason: i.reason,
            policyAction: i.policyAction,
            operatorAction: i.operatorAction,
            observation: Array.from(i.observation),
          }),
        ),
      );
    }
  }

  #loadNextWorld(): EpisodeSpec {
    const episode = this.#suite.episode(this.#rng.int(0, this.#suite.size - 1));
    this.#loadWorld(episode);
    return episode;
  }

  #loadWorld(episode: EpisodeSpec): void {
    this.#sim.reset(episode, this.#obs, 0);
    this.#expert.reset(episode);
    this.#supervised?.reset?.(episode);
  }

  #startMission(): void {
    // The first mission runs in the world the robot idled in; later ones in a new world. Either
    // way the episode restarts, so idle time never counts against the mission's time limit.
    const current = this.#sim.episode;
    let episode: EpisodeSpec;
    if (this.#state.mission === null && current !== undefined) {
      episode = current;
      this.#loadWorld(episode);
    } else {
      episode = this.#loadNextWorld();
    }
    this.#state = { ...this.#state, state: 'on_mission', mission: episode.id };
    const { goal } = episode.world;
    this.#pub.goal.publish(
      makePoseStamped({
        stamp: this.#nowNs(),
        frameId: this.#frame('odom'),
        position: { x: goal.x, y: goal.y },
      }),
    );
    this.#publishMissionState();
  }

  #endMission(): void {
    const sim = this.#sim;
    const result = sim.success ? 'success' : sim.collision ? 'collision' : 'timeout';
    this.#state = {
      state: 'idle',
      mission: this.#state.mission,
      missionsDone: this.#state.missionsDone + 1,
      successes: this.#state.successes + (result === 'success' ? 1 : 0),
      collisions: this.#state.collisions + (result === 'collision' ? 1 : 0),
      lastResult: result,
    };
    this.#idleLeft = this.#idleTicks;
    this.#publishMissionState();
  }

  #publishMissionState(): void {
    this.#pub.missionState.publish(makeString(JSON.stringify(this.#state)));
  }

  #publishSensors(stampNs: bigint): void {
    const state = this.#sim.state();
    const { sensors } = state.episode;
    const n = sensors.scanRays;
    this.#pub.scan.publish(
      makeLaserScan({
        stamp: stampNs,
        frameId: this.#frame('base_scan'),
        ranges: state.scan,
        angleMin: -Math.PI,
        angleMax: -Math.PI + ((n - 1) * 2 * Math.PI) / n,
        rangeMin: sensors.scanRangeMin,
        rangeMax: sensors.scanRangeMax,
        scanTime: NAV_CONTROL_PERIOD_S,
      }),
    );
    const odom = makeOdometry({
      stamp: stampNs,
      frameId: this.#frame('odom'),
      childFrameId: this.#frame('base_link'),
      x: state.pose.x,
      y: state.pose.y,
      yaw: state.pose.theta,
      linear: { x: state.linearVelocity },
      angular: { z: state.angularVelocity },
    });
    this.#pub.odom.publish(odom);
    const world = this.#sim.world;
    if (this.#pub.camera !== undefined && world !== undefined && this.#tick % this.#cameraEvery === 0) {
      this.#pub.camera.publish(
        makeImage({
          stamp: stampNs,
          frameId: this.#frame('camera'),
          width: this.#camera.width,
          height: this.#camera.height,
          encoding: 'rgb8',
          data: this.#camera.render(world),
        }),
      );
    }
  }

  #frame(name: string): string {
    return `${this.name}/${name}`;
  }
}

function hashString(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}
