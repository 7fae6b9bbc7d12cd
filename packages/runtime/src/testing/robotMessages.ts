/** ROS-message-shaped values of the simulated robot's topics, for tests. */

export function quaternionFromYaw(yaw: number): { x: number; y: number; z: number; w: number } {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

export function odomMessage(x: number, y: number, yaw: number, v = 0, w = 0) {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'odom' },
    child_frame_id: 'base_link',
    pose: {
      pose: { position: { x, y, z: 0 }, orientation: quaternionFromYaw(yaw) },
      covariance: new Float64Array(36),
    },
    twist: {
      twist: { linear: { x: v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: w } },
      covariance: new Float64Array(36),
    },
  };
}

/** A 360° scan of `rays` rays, every return at `range` metres. */
export function scanMessage(rays: number, range: number) {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
    angle_min: -Math.PI,
    angle_max: Math.PI,
    angle_increment: (2 * Math.PI) / rays,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.05,
    range_max: 8,
    ranges: new Float32Array(rays).fill(range),
    intensities: new Float32Array(0),
  };
}

export function goalMessage(x: number, y: number) {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'odom' },
    pose: { position: { x, y, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
  };
}
