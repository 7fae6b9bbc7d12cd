import type { Duration, Time } from './time.js';

/**
 * TypeScript shapes of the ROS 2 messages fleetloop uses most, as {@link MessageCodec} decodes
 * them: numeric arrays are typed arrays, `int64`/`uint64` are `bigint`, `time` is `{ sec, nanosec }`.
 */

/** `std_msgs/msg/Header` */
export interface Header {
  stamp: Time;
  frame_id: string;
}

/** `std_msgs/msg/String` */
export interface StringMessage {
  data: string;
}

/** `geometry_msgs/msg/Vector3` */
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

/** `geometry_msgs/msg/Point` */
export type Point = Vector3;

/** `geometry_msgs/msg/Quaternion` */
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}

/** `geometry_msgs/msg/Pose` */
export interface Pose {
  position: Point;
  orientation: Quaternion;
}

/** `geometry_msgs/msg/PoseStamped` */
export interface PoseStamped {
  header: Header;
  pose: Pose;
}

/** `geometry_msgs/msg/Twist` */
export interface Twist {
  linear: Vector3;
  angular: Vector3;
}

/** `geometry_msgs/msg/PoseWithCovariance` (row-major 6×6 covariance) */
export interface PoseWithCovariance {
  pose: Pose;
  covariance: Float64Array;
}

/** `geometry_msgs/msg/TwistWithCovariance` (row-major 6×6 covariance) */
export interface TwistWithCovariance {
  twist: Twist;
  covariance: Float64Array;
}

/** `nav_msgs/msg/Odometry` */
export interface Odometry {
  header: Header;
  child_frame_id: string;
  pose: PoseWithCovariance;
  twist: TwistWithCovariance;
}

/** `sensor_msgs/msg/Image` */
export interface Image {
  header: Header;
  height: number;
  width: number;
  /** e.g. `rgb8`, `bgr8`, `mono8`, `mono16`, `rgba8`, `32FC1`. */
  encoding: string;
  is_bigendian: number;
  /** Bytes per row. */
  step: number;
  data: Uint8Array;
}

/** `sensor_msgs/msg/CompressedImage` */
export interface CompressedImage {
  header: Header;
  /** `jpeg`, `png`, or `<encoding>; jpeg compressed bgr8` as image_transport writes it. */
  format: string;
  data: Uint8Array;
}

/** `sensor_msgs/msg/LaserScan` */
export interface LaserScan {
  header: Header;
  angle_min: number;
  angle_max: number;
  angle_increment: number;
  time_increment: number;
  scan_time: number;
  range_min: number;
  range_max: number;
  ranges: Float32Array;
  intensities: Float32Array;
}

/** `sensor_msgs/msg/JointState` */
export interface JointState {
  header: Header;
  name: string[];
  position: Float64Array;
  velocity: Float64Array;
  effort: Float64Array;
}

/** `sensor_msgs/msg/Imu` (row-major 3×3 covariances; element 0 = -1 means "not provided") */
export interface Imu {
  header: Header;
  orientation: Quaternion;
  orientation_covariance: Float64Array;
  angular_velocity: Vector3;
  angular_velocity_covariance: Float64Array;
  linear_acceleration: Vector3;
  linear_acceleration_covariance: Float64Array;
}

/** `diagnostic_msgs/msg/KeyValue` */
export interface KeyValue {
  key: string;
  value: string;
}

/** `diagnostic_msgs/msg/DiagnosticStatus` */
export interface DiagnosticStatus {
  /** One of {@link DIAGNOSTIC_LEVEL}. */
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: KeyValue[];
}

/** `diagnostic_msgs/msg/DiagnosticArray` */
export interface DiagnosticArray {
  header: Header;
  status: DiagnosticStatus[];
}

/** The levels of `diagnostic_msgs/msg/DiagnosticStatus`. */
export const DIAGNOSTIC_LEVEL = Object.freeze({ OK: 0, WARN: 1, ERROR: 2, STALE: 3 });

/**
 * ROS type name → TypeScript shape, so typed APIs can infer the message type from the name:
 * `node.createPublisher('/scan', 'sensor_msgs/msg/LaserScan')` publishes {@link LaserScan}.
 */
export interface RosMessageTypes {
  'builtin_interfaces/msg/Time': Time;
  'builtin_interfaces/msg/Duration': Duration;
  'std_msgs/msg/Header': Header;
  'std_msgs/msg/String': StringMessage;
  'geometry_msgs/msg/Vector3': Vector3;
  'geometry_msgs/msg/Point': Point;
  'geometry_msgs/msg/Quaternion': Quaternion;
  'geometry_msgs/msg/Pose': Pose;
  'geometry_msgs/msg/PoseStamped': PoseStamped;
  'geometry_msgs/msg/Twist': Twist;
  'nav_msgs/msg/Odometry': Odometry;
  'sensor_msgs/msg/Image': Image;
  'sensor_msgs/msg/CompressedImage': CompressedImage;
  'sensor_msgs/msg/LaserScan': LaserScan;
  'sensor_msgs/msg/JointState': JointState;
  'sensor_msgs/msg/Imu': Imu;
  'diagnostic_msgs/msg/DiagnosticArray': DiagnosticArray;
}

/** A ROS type name with a known TypeScript shape. */
export type KnownRosType = keyof RosMessageTypes;

/** The TypeScript shape of a ROS type name: known ones are typed, others are `unknown`. */
export type MessageOf<Name extends string> = Name extends KnownRosType ? RosMessageTypes[Name] : unknown;
