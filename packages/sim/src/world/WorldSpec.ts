import type { GoalLike, Pose2D } from '../observation/rosShapes.js';

/** A rectangle centred at (x, y), rotated by `angle` radians, with half extents in metres. */
export interface BoxShape {
  readonly kind: 'box';
  readonly x: number;
  readonly y: number;
  readonly halfWidth: number;
  readonly halfHeight: number;
  readonly angle: number;
}

/** A disc centred at (x, y). */
export interface CircleShape {
  readonly kind: 'circle';
  readonly x: number;
  readonly y: number;
  readonly radius: number;
}

/** A static shape of the world. */
export type ObstacleShape = BoxShape | CircleShape;

/** An obstacle that moves back and forth between its shape's position and `to` at `speed`. */
export interface MovingObstacle {
  readonly shape: ObstacleShape;
  readonly to: GoalLike;
  /** Metres per second along the segment. */
  readonly speed: number;
}

/** A 2-D world: the room's walls, obstacles, where the robot starts and where it must go. */
export interface WorldSpec {
  /** Room extent in metres; the room spans [0, width] x [0, height]. */
  readonly width: number;
  readonly height: number;
  readonly walls: readonly BoxShape[];
  readonly obstacles: readonly ObstacleShape[];
  readonly movingObstacles: readonly MovingObstacle[];
  readonly start: Pose2D;
  readonly goal: GoalLike;
}

/** The robot body and drive, as the simulator models them. */
export interface RobotParams {
  /** Body radius in metres (the robot is a disc). */
  readonly radius: number;
  /** Commanded velocities are clamped to these (defaults from `NAV_ACTION_LAYOUT`). */
  readonly maxLinear: number;
  readonly minLinear: number;
  readonly maxAngular: number;
  /** Acceleration limits in m/s^2 and rad/s^2. */
  readonly linearAcceleration: number;
  readonly angularAcceleration: number;
  /** Commands take effect this many control periods after they are given. */
  readonly latencySteps: number;
  /** Achieved / commanded velocity (wheel slip, calibration error); 1 = ideal. */
  readonly velocityScale: number;
  /** Standard deviation of zero-mean noise added to the achieved velocities, as a fraction. */
  readonly velocityNoise: number;
}

/** Sensor characteristics. */
export interface SensorParams {
  /** LaserScan rays over 360 degrees. */
  readonly scanRays: number;
  readonly scanRangeMin: number;
  readonly scanRangeMax: number;
  /** Standard deviation of Gaussian range noise, metres. */
  readonly scanNoise: number;
  /** Probability that a ray returns nothing (reported as +inf). */
  readonly scanDropout: number;
}
