/**
 * The policy contract of the `nav` task as data: what each float of the observation is, which
 * ROS topic and field it comes from and by which rule, and what each action component drives.
 * The training package writes this into `policy.yaml`; the on-robot runtime rebuilds the same
 * observation from live messages with {@link navObservation}.
 */

/** Number of scan beams in the observation (the simulator's LaserScan has this many rays). */
export const NAV_SCAN_BEAMS = 64;
/** Scan beams are clipped to [0, this] metres. */
export const NAV_SCAN_CLIP_M = 4;
/** The goal distance is clipped to [0, this] metres. */
export const NAV_GOAL_CLIP_M = 20;
/** Total observation length in floats. */
export const NAV_OBSERVATION_SIZE = NAV_SCAN_BEAMS + 5;
/** Total action length in floats. */
export const NAV_ACTION_SIZE = 2;
/** Control period the policy runs at, in seconds (20 Hz). */
export const NAV_CONTROL_PERIOD_S = 0.05;

/** Where a slice of the observation comes from on the robot. */
export interface ObservationSource {
  /** Topic relative to the robot namespace (`scan` → `/robot_3/scan`). */
  readonly topic: string;
  /** ROS 2 type name of that topic. */
  readonly type: string;
  /** Message field(s) read, dotted. */
  readonly fields: readonly string[];
}

/** One named slice of the observation vector. */
export interface ObservationSlice {
  readonly name: string;
  /** Index of the first float. */
  readonly offset: number;
  /** Number of floats. */
  readonly size: number;
  readonly units: string;
  /** Values are clipped to this range (inclusive). */
  readonly clip: readonly [number, number];
  /** Where the value comes from; `goal_pose` is the mission goal in the odometry frame. */
  readonly sources: readonly ObservationSource[];
  /** How the float(s) are computed from the source fields, in words a re-implementation can follow. */
  readonly rule: string;
}

/** The full observation layout. */
export interface ObservationLayout {
  /** Changes whenever any slice, rule or clip changes; a policy trained on one version runs only on it. */
  readonly version: string;
  readonly size: number;
  readonly frame: string;
  readonly slices: readonly ObservationSlice[];
}

/** One action component: a physical command, with the range the simulator and robot enforce. */
export interface ActionSlice {
  readonly name: string;
  readonly offset: number;
  readonly units: string;
  /** Lowest and highest commanded value; commands outside are clamped. */
  readonly min: number;
  readonly max: number;
  /** Topic (relative to the robot namespace), type and field the component is written to. */
  readonly target: { readonly topic: string; readonly type: string; readonly field: string };
}

/** The full action layout. */
export interface ActionLayout {
  readonly version: string;
  readonly size: number;
  /**
   * Actions are in physical units. A network with a bounded output `u` in [-1, 1] maps it as
   * `value = (max + min) / 2 + u * (max - min) / 2` per component ({@link scaleNormalizedAction}).
   */
  readonly scaling: 'physical';
  readonly slices: readonly ActionSlice[];
  /** Acceleration limits the robot applies on top of the velocity limits. */
  readonly accelerationLimits: { readonly linear: number; readonly angular: number };
  readonly controlPeriodS: number;
}

const SCAN_SOURCE: ObservationSource = {
  topic: 'scan',
  type: 'sensor_msgs/msg/LaserScan',
  fields: ['ranges', 'angle_min', 'angle_increment', 'range_min', 'range_max'],
};
const ODOM_POSE: ObservationSource = {
  topic: 'odom',
  type: 'nav_msgs/msg/Odometry',
  fields: ['pose.pose.position.x', 'pose.pose.position.y', 'pose.pose.orientation'],
};
const GOAL_SOURCE: ObservationSource = {
  topic: 'goal_pose',
  type: 'geometry_msgs/msg/PoseStamped',
  fields: ['pose.position.x', 'pose.position.y'],
};

/** Observation layout `nav-obs-v1` (69 floats). */
export const NAV_OBSERVATION_LAYOUT: ObservationLayout = {
  version: 'nav-obs-v1',
  size: NAV_OBSERVATION_SIZE,
  frame: 'base_link: x forward, y left, angles counter-clockwise (REP 103)',
  slices: [
    {
      name: 'scan',
      offset: 0,
      size: NAV_SCAN_BEAMS,
      units: 'm',
      clip: [0, NAV_SCAN_CLIP_M],
      sources: [SCAN_SOURCE],
      rule:
        'The scan covers 360 degrees from angle_min (-pi, pointing backwards) counter-clockwise; beam k ' +
        '(0..63) faces angle_min + k * 2pi/64, so beam 32 faces forward. With N rays, beam k is the ' +
        'minimum of rays floor(k*N/64) .. max(floor((k+1)*N/64), floor(k*N/64)+1) - 1. A ray that is ' +
        'NaN, +inf or above range_max counts as range_max; one below range_min counts as range_max ' +
        '(no return). The result is clipped to [0, 4] m.',
    },
    {
      name: 'goal_distance',
      offset: NAV_SCAN_BEAMS,
      size: 1,
      units: 'm',
      clip: [0, NAV_GOAL_CLIP_M],
      sources: [ODOM_POSE, GOAL_SOURCE],
      rule: 'Euclidean distance from the odometry position to the goal position, clipped to [0, 20] m.',
    },
    {
      name: 'goal_bearing',
      offset: NAV_SCAN_BEAMS + 1,
      size: 2,
      units: '1',
      clip: [-1, 1],
      sources: [ODOM_POSE, GOAL_SOURCE],
      rule:
        'sin then cos of the goal bearing in base_link: atan2(goal - position) minus the odometry yaw ' +
        '(yaw = atan2(2(wz + xy), 1 - 2(y^2 + z^2))). At the goal (distance < 1e-9) the bearing is 0.',
    },
    {
      name: 'linear_velocity',
      offset: NAV_SCAN_BEAMS + 3,
      size: 1,
      units: 'm/s',
      clip: [-1, 1],
      sources: [{ topic: 'odom', type: 'nav_msgs/msg/Odometry', fields: ['twist.twist.linear.x'] }],
      rule: 'Odometry forward velocity, clipped to [-1, 1] m/s.',
    },
    {
      name: 'angular_velocity',
      offset: NAV_SCAN_BEAMS + 4,
      size: 1,
      units: 'rad/s',
      clip: [-3, 3],
      sources: [{ topic: 'odom', type: 'nav_msgs/msg/Odometry', fields: ['twist.twist.angular.z'] }],
      rule: 'Odometry yaw rate, clipped to [-3, 3] rad/s.',
    },
  ],
};

/** Action layout `nav-act-v1`: `[linear m/s, angular rad/s]` for `cmd_vel`. */
export const NAV_ACTION_LAYOUT: ActionLayout = {
  version: 'nav-act-v1',
  size: NAV_ACTION_SIZE,
  scaling: 'physical',
  slices: [
    {
      name: 'linear_x',
      offset: 0,
      units: 'm/s',
      min: -0.2,
      max: 0.5,
      target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'linear.x' },
    },
    {
      name: 'angular_z',
      offset: 1,
      units: 'rad/s',
      min: -1.5,
      max: 1.5,
      target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'angular.z' },
    },
  ],
  accelerationLimits: { linear: 1.0, angular: 4.0 },
  controlPeriodS: NAV_CONTROL_PERIOD_S,
};
