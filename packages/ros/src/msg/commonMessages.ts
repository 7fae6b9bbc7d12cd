import type {
  CompressedImage,
  DiagnosticArray,
  DiagnosticStatus,
  Header,
  Image,
  Imu,
  JointState,
  LaserScan,
  Odometry,
  Point,
  PoseStamped,
  Quaternion,
  StringMessage,
  Twist,
  Vector3,
} from './commonTypes.js';
import { RosError } from './RosError.js';
import { timeFromNs, timeNow, type Time } from './time.js';

/** Header fields every builder accepts: stamp (ns since epoch or a ROS time; default now) and frame. */
export interface StampedOptions {
  readonly stamp?: bigint | Time;
  readonly frameId?: string;
}

/** A `std_msgs/msg/Header`. */
export function makeHeader(options: StampedOptions = {}): Header {
  const { stamp, frameId = '' } = options;
  return {
    stamp: stamp === undefined ? timeNow() : typeof stamp === 'bigint' ? timeFromNs(stamp) : stamp,
    frame_id: frameId,
  };
}

/** A `std_msgs/msg/String`. */
export function makeString(data: string): StringMessage {
  return { data };
}

const ZERO: Vector3 = { x: 0, y: 0, z: 0 };
const IDENTITY: Quaternion = { x: 0, y: 0, z: 0, w: 1 };

/** The rotation about +z by `yaw` radians. */
export function quaternionFromYaw(yaw: number): Quaternion {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

/** The rotation about +z of a quaternion, in radians (−π, π]. */
export function yawFromQuaternion(q: Quaternion): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

/** A `geometry_msgs/msg/Twist`; unset components are zero. */
export function makeTwist(options: { linear?: Partial<Vector3>; angular?: Partial<Vector3> } = {}): Twist {
  return { linear: { ...ZERO, ...options.linear }, angular: { ...ZERO, ...options.angular } };
}

/** A `geometry_msgs/msg/PoseStamped`; orientation defaults to identity. */
export function makePoseStamped(
  options: StampedOptions & { position?: Partial<Point>; orientation?: Quaternion } = {},
): PoseStamped {
  return {
    header: makeHeader(options),
    pose: { position: { ...ZERO, ...options.position }, orientation: options.orientation ?? IDENTITY },
  };
}

const BYTES_PER_PIXEL: Readonly<Record<string, number>> = {
  mono8: 1,
  '8UC1': 1,
  mono16: 2,
  '16UC1': 2,
  rgb8: 3,
  bgr8: 3,
  '8UC3': 3,
  rgba8: 4,
  bgra8: 4,
  '8UC4': 4,
  '32FC1': 4,
  rgb16: 6,
  bgr16: 6,
  rgba16: 8,
  bgra16: 8,
  yuv422: 2,
  yuv422_yuy2: 2,
};

/** Bytes per pixel of a `sensor_msgs/image_encodings` name, or `undefined` if unknown. */
export function imageBytesPerPixel(encoding: string): number | undefined {
  return BYTES_PER_PIXEL[encoding];
}

/**
 * A `sensor_msgs/msg/Image`. `step` defaults to `width × bytes per pixel` of the encoding; the
 * data length must be `step × height`.
 */
export function makeImage(
  options: StampedOptions & {
    width: number;
    height: number;
    encoding: string;
    data: Uint8Array;
    step?: number;
  },
): Image {
  const { width, height, encoding, data } = options;
  const bytesPerPixel = imageBytesPerPixel(encoding);
  const step = options.step ?? (bytesPerPixel === undefined ? undefined : width * bytesPerPixel);
  if (step === undefined) {
    throw new RosError(
      'ROS_ENCODE_FAILED',
      `Image encoding ${JSON.stringify(encoding)} has no known pixel size; pass step (bytes per row) explicitly.`,
    );
  }
  if (data.byteLength !== step * height) {
    throw new RosError(
      'ROS_ENCODE_FAILED',
      `Image ${width}×${height} ${encoding}: data has ${data.byteLength} bytes, expected step ${step} × height ${height} = ${step * height}.`,
    );
  }
  return { header: makeHeader(options), height, width, encoding, is_bigendian: 0, step, data };
}

/** A `sensor_msgs/msg/CompressedImage` (`format` e.g. `jpeg` or `png`). */
export function makeCompressedImage(
  options: StampedOptions & { format: string; data: Uint8Array },
): CompressedImage {
  return { header: makeHeader(options), format: options.format, data: options.data };
}

/**
 * A `sensor_msgs/msg/LaserScan` whose beams are spread evenly from `angleMin` to `angleMax`
 * (inclusive), so `angle_increment = (angleMax − angleMin) / (n − 1)`.
 */
export function makeLaserScan(
  options: StampedOptions & {
    ranges: Float32Array | readonly number[];
    angleMin: number;
    angleMax: number;
    rangeMin: number;
    rangeMax: number;
    intensities?: Float32Array | readonly number[];
    scanTime?: number;
    timeIncrement?: number;
  },
): LaserScan {
  const ranges = Float32Array.from(options.ranges);
  const intensities = Float32Array.from(options.intensities ?? []);
  if (intensities.length !== 0 && intensities.length !== ranges.length) {
    throw new RosError(
      'ROS_ENCODE_FAILED',
      `LaserScan has ${ranges.length} ranges but ${intensities.length} intensities; give one per range or none.`,
    );
  }
  return {
    header: makeHeader(options),
    angle_min: options.angleMin,
    angle_max: options.angleMax,
    angle_increment: ranges.length > 1 ? (options.angleMax - options.angleMin) / (ranges.length - 1) : 0,
    time_increment: options.timeIncrement ?? 0,
    scan_time: options.scanTime ?? 0,
    range_min: options.rangeMin,
    range_max: options.rangeMax,
    ranges,
    intensities,
  };
}

/** A `sensor_msgs/msg/JointState`; each given array must have one value per joint name. */
export function makeJointState(
  options: StampedOptions & {
    names: readonly string[];
    position?: readonly number[] | Float64Array;
    velocity?: readonly number[] | Float64Array;
    effort?: readonly number[] | Float64Array;
  },
): JointState {
  const column = (label: string, values: readonly number[] | Float64Array | undefined): Float64Array => {
    const array = Float64Array.from(values ?? []);
    if (array.length !== 0 && array.length !== options.names.length) {
      throw new RosError(
        'ROS_ENCODE_FAILED',
        `JointState has ${options.names.length} names but ${array.length} ${label} values; give one per joint or none.`,
      );
    }
    return array;
  };
  return {
    header: makeHeader(options),
    name: [...options.names],
    position: column('position', options.position),
    velocity: column('velocity', options.velocity),
    effort: column('effort', options.effort),
  };
}

/** A `sensor_msgs/msg/Imu`; covariances default to zero ("unknown"), orientation to identity. */
export function makeImu(
  options: StampedOptions & {
    orientation?: Quaternion;
    angularVelocity?: Partial<Vector3>;
    linearAcceleration?: Partial<Vector3>;
  } = {},
): Imu {
  return {
    header: makeHeader(options),
    orientation: options.orientation ?? IDENTITY,
    orientation_covariance: new Float64Array(9),
    angular_velocity: { ...ZERO, ...options.angularVelocity },
    angular_velocity_covariance: new Float64Array(9),
    linear_acceleration: { ...ZERO, ...options.linearAcceleration },
    linear_acceleration_covariance: new Float64Array(9),
  };
}

/** A planar `nav_msgs/msg/Odometry`: position x, y, heading yaw, and body-frame velocities. */
export function makeOdometry(
  options: StampedOptions & {
    childFrameId?: string;
    x?: number;
    y?: number;
    yaw?: number;
    linear?: Partial<Vector3>;
    angular?: Partial<Vector3>;
  } = {},
): Odometry {
  return {
    header: makeHeader({ frameId: 'odom', ...options }),
    child_frame_id: options.childFrameId ?? 'base_link',
    pose: {
      pose: {
        position: { x: options.x ?? 0, y: options.y ?? 0, z: 0 },
        orientation: quaternionFromYaw(options.yaw ?? 0),
      },
      covariance: new Float64Array(36),
    },
    twist: { twist: makeTwist(options), covariance: new Float64Array(36) },
  };
}

/** One entry of {@link makeDiagnosticArray}. */
export interface DiagnosticInput {
  readonly name: string;
  /** One of `DIAGNOSTIC_LEVEL`. */
  readonly level: number;
  readonly message: string;
  readonly hardwareId?: string;
  readonly values?: Readonly<Record<string, string>>;
}

/** A `diagnostic_msgs/msg/DiagnosticArray`. */
export function makeDiagnosticArray(
  statuses: readonly DiagnosticInput[],
  options: StampedOptions = {},
): DiagnosticArray {
  return {
    header: makeHeader(options),
    status: statuses.map((s): DiagnosticStatus => ({
      level: s.level,
      name: s.name,
      message: s.message,
      hardware_id: s.hardwareId ?? '',
      values: Object.entries(s.values ?? {}).map(([key, value]) => ({ key, value })),
    })),
  };
}
