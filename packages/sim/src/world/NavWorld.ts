import { NAV_CONTROL_PERIOD_S } from '../observation/navLayout.js';
import type { SeededRandom } from '../random/SeededRandom.js';
import { DiffDrive } from '../robot/DiffDrive.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { ObstacleField } from './ObstacleField.js';
import { RAPIER } from './physics.js';
import { movingObstaclePosition } from './movingObstacle.js';
import type { MovingObstacle, ObstacleShape } from './WorldSpec.js';

/** Options of {@link NavWorld}. */
export interface NavWorldOptions {
  /** Physics steps per control period (default 2, i.e. 40 Hz physics under 20 Hz control). */
  readonly substeps?: number;
}

interface MovingBody {
  readonly body: RAPIER.RigidBody;
  readonly shapeIndex: number;
  readonly spec: MovingObstacle;
}

/**
 * One Rapier2D world with one differential-drive robot: fixed walls and obstacles, kinematic
 * moving obstacles, a dynamic disc robot driven through {@link DiffDrive}, and a 360-degree
 * LaserScan. Call `initPhysics()` before constructing one; call `free()` when done (Rapier
 * memory lives in WebAssembly and is not garbage collected).
 */
export class NavWorld {
  readonly episode: EpisodeSpec;
  readonly field: ObstacleField;
  readonly #world: RAPIER.World;
  readonly #events: RAPIER.EventQueue;
  readonly #body: RAPIER.RigidBody;
  readonly #robotHandle: number;
  readonly #drive: DiffDrive;
  readonly #rng: SeededRandom;
  readonly #moving: MovingBody[] = [];
  readonly #substeps: number;
  readonly #rayCos: Float64Array;
  readonly #raySin: Float64Array;
  /** Noise-free ranges of the current scan, before rounding to float32. */
  readonly #ranges: Float64Array;
  #collided = false;
  readonly #movingPosition = { x: 0, y: 0 };
  /** Simulated seconds since the episode started. */
  time = 0;
  x: number;
  y: number;
  theta: number;
  /** Achieved forward and yaw velocities after the last step. */
  linearVelocity = 0;
  angularVelocity = 0;

  constructor(episode: EpisodeSpec, rng: SeededRandom, options: NavWorldOptions = {}) {
    this.episode = episode;
    this.#rng = rng;
    this.#substeps = Math.max(1, Math.floor(options.substeps ?? 2));
    const { world: spec, robot } = episode;
    const shapes: ObstacleShape[] = [
      ...spec.walls,
      ...spec.obstacles,
      ...spec.movingObstacles.map((m) => m.shape),
    ];
    this.field = new ObstacleField(shapes);

    this.#world = new RAPIER.World({ x: 0, y: 0 });
    this.#world.timestep = NAV_CONTROL_PERIOD_S / this.#substeps;
    this.#events = new RAPIER.EventQueue(true);
    for (const shape of [...spec.walls, ...spec.obstacles]) {
      this.#world.createCollider(colliderDesc(shape).setTranslation(shape.x, shape.y));
    }
    spec.movingObstacles.forEach((m, i) => {
      const body = this.#world.createRigidBody(
        RAPIER.RigidBodyDesc.kinematicPositionBased().setTranslation(m.shape.x, m.shape.y),
      );
      this.#world.createCollider(colliderDesc(m.shape), body);
      this.#moving.push({ body, shapeIndex: spec.walls.length + spec.obstacles.length + i, spec: m });
    });
    this.#body = this.#world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic()
        .setTranslation(spec.start.x, spec.start.y)
        .setRotation(spec.start.theta)
        .setCanSleep(false),
    );
    const robotCollider = this.#world.createCollider(
      RAPIER.ColliderDesc.ball(robot.radius)
        .setDensity(20)
        .setActiveEvents(RAPIER.ActiveEvents.COLLISION_EVENTS),
      this.#body,
    );
    this.#robotHandle = robotCollider.handle;
    this.#drive = new DiffDrive(robot);
    this.x = spec.start.x;
    this.y = spec.start.y;
    this.theta = spec.start.theta;

    const n = episode.sensors.scanRays;
    this.#rayCos = new Float64Array(n);
    this.#raySin = new Float64Array(n);
    this.#ranges = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = -Math.PI + (i * 2 * Math.PI) / n;
      this.#rayCos[i] = Math.cos(a);
      this.#raySin[i] = Math.sin(a);
    }
  }

  /**
   * Runs one control period with the command `(linear, angular)`. Returns whether the robot
   * started touching anything during it (Rapier collision event).
   */
  step(linear: number, angular: number): boolean {
    const robot = this.episode.robot;
    this.#drive.command(linear, angular);
    const noiseV = robot.velocityNoise > 0 ? 1 + robot.velocityNoise * this.#rng.gaussian() : 1;
    const noiseW = robot.velocityNoise > 0 ? 1 + robot.velocityNoise * this.#rng.gaussian() : 1;
    const h = this.#world.timestep;
    this.#collided = false;
    for (let s = 0; s < this.#substeps; s++) {
      this.#drive.advance(h);
      const v = this.#drive.linear * robot.velocityScale * noiseV;
      const w = this.#drive.angular * robot.velocityScale * noiseW;
      const theta = this.#body.rotation();
      this.#body.setLinvel({ x: v * Math.cos(theta), y: v * Math.sin(theta) }, true);
      this.#body.setAngvel(w, true);
      this.time += h;
      this.#moveObstacles(this.time);
      this.#world.step(this.#events);
      this.#events.drainCollisionEvents(this.#onCollisionEvent);
    }
    const p = this.#body.translation();
    this.x = p.x;
    this.y = p.y;
    this.theta = this.#body.rotation();
    const vel = this.#body.linvel();
    this.linearVelocity = vel.x * Math.cos(this.theta) + vel.y * Math.sin(this.theta);
    this.angularVelocity = this.#body.angvel();
    return this.#collided;
  }

  /** Writes the LaserScan ranges (metres, +inf for no return) into `out` from index `offset`. */
  scan(out: Float32Array, offset = 0): void {
    const s = this.episode.sensors;
    const rng = this.#rng;
    const n = this.#rayCos.length;
    this.field.castFan(
      this.x,
      this.y,
      Math.cos(this.theta),
      Math.sin(this.theta),
      this.#rayCos,
      this.#raySin,
      s.scanRangeMax,
      this.#ranges,
      0,
    );
    for (let i = 0; i < n; i++) {
      let r = this.#ranges[i] as number;
      if (s.scanNoise > 0 && r !== Infinity) r += s.scanNoise * rng.gaussian();
      if (s.scanDropout > 0 && rng.next() < s.scanDropout) r = Infinity;
      out[offset + i] = r > s.scanRangeMax ? Infinity : r;
    }
  }

  /** Distance from the robot's body to the nearest obstacle surface, metres (0 when touching). */
  clearance(): number {
    const d = this.field.distance(this.x, this.y) - this.episode.robot.radius;
    return d > 0 ? d : 0;
  }

  /** Collision-event callback, created once so stepping allocates no closure. */
  readonly #onCollisionEvent = (a: number, b: number, started: boolean): void => {
    if (started && (a === this.#robotHandle || b === this.#robotHandle)) this.#collided = true;
  };

  /** Releases the Rapier world. */
  free(): void {
    this.#events.free();
    this.#world.free();
  }

  #moveObstacles(t: number): void {
    const p = this.#movingPosition;
    for (const m of this.#moving) {
      movingObstaclePosition(m.spec, t, p);
      m.body.setNextKinematicTranslation(p);
      this.field.setPosition(m.shapeIndex, p.x, p.y);
    }
  }
}

function colliderDesc(shape: ObstacleShape): RAPIER.ColliderDesc {
  switch (shape.kind) {
    case 'box':
      return RAPIER.ColliderDesc.cuboid(shape.halfWidth, shape.halfHeight).setRotation(shape.angle);
    case 'circle':
      return RAPIER.ColliderDesc.ball(shape.radius);
  }
}
