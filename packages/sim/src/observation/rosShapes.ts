/**
 * The parts of ROS 2 messages the policy observation is built from, shaped exactly like the
 * decoded messages (`sensor_msgs/msg/LaserScan`, `nav_msgs/msg/Odometry`), so a runtime can pass
 * what `@fleetloop/ros` decodes straight in, and the simulator fills the same shapes.
 */

/** The fields of `sensor_msgs/msg/LaserScan` the observation reads. */
export interface LaserScanLike {
  readonly angle_min: number;
  readonly angle_increment: number;
  readonly range_min: number;
  readonly range_max: number;
  readonly ranges: ArrayLike<number>;
}

/** A planar pose: position in metres, heading (yaw) in radians, in the odometry frame. */
export interface Pose2D {
  readonly x: number;
  readonly y: number;
  readonly theta: number;
}

/** The fields of `nav_msgs/msg/Odometry` the observation reads. */
export interface OdometryLike {
  readonly pose: {
    readonly pose: {
      readonly position: { readonly x: number; readonly y: number };
      readonly orientation: {
        readonly x: number;
        readonly y: number;
        readonly z: number;
        readonly w: number;
      };
    };
  };
  readonly twist: {
    readonly twist: {
      readonly linear: { readonly x: number };
      readonly angular: { readonly z: number };
    };
  };
}

/** A navigation goal in the odometry frame (from `geometry_msgs/msg/PoseStamped` `pose.position`). */
export interface GoalLike {
  readonly x: number;
  readonly y: number;
}

/** Heading of a quaternion about z (ROS REP 103: x forward, y left, counter-clockwise positive). */
export function yawFromQuaternion(q: {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly w: number;
}): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

/** The quaternion of a heading about z. */
export function quaternionFromYaw(theta: number): { x: number; y: number; z: number; w: number } {
  return { x: 0, y: 0, z: Math.sin(theta / 2), w: Math.cos(theta / 2) };
}
