import type { ObservationTransform } from '@fleetloop/registry';

/**
 * Writes one observation slice from the numbers read at its source. `message` is the decoded
 * source message (for fields a transform needs besides the path, such as `range_max`), `aux` the
 * numbers of a second source (`goal-polar`'s robot pose). Returns false when the input does not
 * have the shape the transform needs.
 */
export type SliceWriter = (
  values: ArrayLike<number>,
  message: unknown,
  aux: ArrayLike<number> | undefined,
  out: Float32Array,
  offset: number,
  size: number,
) => boolean;

/** The writer for a contract transform (identity when absent). */
export function sliceWriter(transform: ObservationTransform | undefined): SliceWriter {
  if (transform === undefined) return identity;
  switch (transform.kind) {
    case 'identity':
      return identity;
    case 'clip': {
      const { min, max } = transform;
      return (values, _m, _a, out, offset, size) => {
        if (values.length !== size) return false;
        for (let i = 0; i < size; i++) out[offset + i] = Math.min(max, Math.max(min, values[i] as number));
        return true;
      };
    }
    case 'affine': {
      const { scale, offset: shift } = transform;
      return (values, _m, _a, out, offset, size) => {
        if (values.length !== size) return false;
        for (let i = 0; i < size; i++) out[offset + i] = (values[i] as number) * scale + shift;
        return true;
      };
    }
    case 'scan-downsample':
      return scanDownsample(transform.rangeMax);
    case 'goal-polar':
      return goalPolar;
    case 'quaternion-yaw':
      return (values, _m, _a, out, offset) => {
        if (values.length !== 4) return false;
        out[offset] = yawOf(values, 0);
        return true;
      };
    case 'projected-gravity':
      return (values, _m, _a, out, offset) => {
        if (values.length !== 4) return false;
        projectedGravity(values, out, offset);
        return true;
      };
  }
}

const identity: SliceWriter = (values, _m, _a, out, offset, size) => {
  if (values.length !== size) return false;
  for (let i = 0; i < size; i++) out[offset + i] = values[i] as number;
  return true;
};

function scanDownsample(rangeMaxOption: number | undefined): SliceWriter {
  return (ranges, message, _a, out, offset, beams) => {
    const n = ranges.length;
    if (n === 0) return false;
    const messageMax = (message as { range_max?: unknown } | null)?.range_max;
    const rangeMax =
      rangeMaxOption ?? (typeof messageMax === 'number' ? messageMax : Number.POSITIVE_INFINITY);
    for (let k = 0; k < beams; k++) {
      const start = Math.floor((k * n) / beams);
      const end = Math.max(Math.floor(((k + 1) * n) / beams), start + 1);
      let min = rangeMax;
      for (let i = start; i < end && i < n; i++) {
        const r = ranges[i] as number;
        if (Number.isFinite(r) && r < min) min = r;
      }
      out[offset + k] = min;
    }
    return true;
  };
}

/** Goal (x, y) and robot pose (position x, y, z, orientation x, y, z, w) → distance, bearing. */
const goalPolar: SliceWriter = (goal, _m, pose, out, offset) => {
  if (goal.length < 2 || pose === undefined || pose.length !== 7) return false;
  const dx = (goal[0] as number) - (pose[0] as number);
  const dy = (goal[1] as number) - (pose[1] as number);
  out[offset] = Math.hypot(dx, dy);
  out[offset + 1] = wrapAngle(Math.atan2(dy, dx) - yawOf(pose, 3));
  return true;
};

/** Yaw of the quaternion (x, y, z, w) stored at `at`. */
export function yawOf(q: ArrayLike<number>, at: number): number {
  const x = q[at] as number;
  const y = q[at + 1] as number;
  const z = q[at + 2] as number;
  const w = q[at + 3] as number;
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

/** Wraps an angle into (-π, π]. */
export function wrapAngle(angle: number): number {
  let a = angle % (2 * Math.PI);
  if (a <= -Math.PI) a += 2 * Math.PI;
  else if (a > Math.PI) a -= 2 * Math.PI;
  return a;
}

/** The world gravity direction (0, 0, -1) expressed in the body frame of quaternion q. */
function projectedGravity(q: ArrayLike<number>, out: Float32Array, offset: number): void {
  const x = q[0] as number;
  const y = q[1] as number;
  const z = q[2] as number;
  const w = q[3] as number;
  // Third column of R(q)ᵀ, negated: R(q)ᵀ · (0, 0, -1).
  out[offset] = -2 * (x * z - w * y);
  out[offset + 1] = -2 * (y * z + w * x);
  out[offset + 2] = -(1 - 2 * (x * x + y * y));
}
