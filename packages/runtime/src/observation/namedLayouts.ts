import type { PolicyContract } from '@fleetloop/registry';
import {
  NAV_OBSERVATION_LAYOUT,
  writeNavObservation,
  type LaserScanLike,
  type OdometryLike,
} from '@fleetloop/sim';
import { RuntimeError } from '../RuntimeError.js';
import { formatMismatches, type ContractMismatch } from '../policy/ContractMismatch.js';
import type { LatestMessages } from './LatestMessages.js';
import type { AssemblyProblem, SourceTopic } from './ObservationAssembler.js';

/**
 * An observation layout built by a shared function instead of slice by slice: for layouts whose
 * rules the contract's closed transform set cannot express (the nav layout's goal is a clipped
 * distance and the sine and cosine of the bearing). A contract selects one with
 * `observation.layout`, as the training export writes it.
 */
export interface NamedLayout {
  readonly version: string;
  readonly size: number;
  /** Slice names in order, as the contract must list them. */
  readonly sliceNames: readonly string[];
  readonly topics: readonly SourceTopic[];
  write(latest: LatestMessages, out: Float32Array): AssemblyProblem | undefined;
}

const NAV_TOPICS: readonly SourceTopic[] = [
  { topic: 'scan', type: 'sensor_msgs/msg/LaserScan' },
  { topic: 'odom', type: 'nav_msgs/msg/Odometry' },
  { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped' },
];

/** `nav-obs-v1`: the simulator's navigation observation, computed by the simulator's own functions. */
const navObsV1: NamedLayout = {
  version: NAV_OBSERVATION_LAYOUT.version,
  size: NAV_OBSERVATION_LAYOUT.size,
  sliceNames: NAV_OBSERVATION_LAYOUT.slices.map((s) => s.name),
  topics: NAV_TOPICS,
  write(latest, out) {
    const scan = latest.get('scan')?.message as LaserScanLike | undefined;
    const odom = latest.get('odom')?.message as OdometryLike | undefined;
    const goal = latest.get('goal_pose')?.message as
      { pose?: { position?: { x: number; y: number } } } | undefined;
    if (scan === undefined) return { kind: 'missing', slice: 'scan', topic: 'scan' };
    if (odom === undefined) return { kind: 'missing', slice: 'linear_velocity', topic: 'odom' };
    const target = goal?.pose?.position;
    if (target === undefined) return { kind: 'missing', slice: 'goal_distance', topic: 'goal_pose' };
    if (scan.ranges.length === 0) {
      return { kind: 'shape', slice: 'scan', topic: 'scan', detail: 'the LaserScan has no ranges' };
    }
    writeNavObservation(out, { scan, odom, goal: target });
    return undefined;
  },
};

const LAYOUTS = new Map<string, NamedLayout>([[navObsV1.version, navObsV1]]);

/**
 * Why the runtime cannot build the named layout a contract asks for (unknown layout, or a size or
 * slice list that differs from the layout's), as a contract mismatch; undefined when it can or the
 * contract names none.
 */
export function namedLayoutMismatch(contract: PolicyContract): ContractMismatch | undefined {
  const id = contract.observation.layout;
  if (id === undefined) return undefined;
  const layout = LAYOUTS.get(id);
  if (layout === undefined) {
    return {
      field: 'observation.layout',
      expected: `layout ${id}`,
      found: `a runtime implementing ${[...LAYOUTS.keys()].join(', ')}`,
    };
  }
  const names = contract.observation.slices.map((s) => s.name).join(',');
  const expected = layout.sliceNames.join(',');
  if (contract.observation.size !== layout.size || names !== expected) {
    return {
      field: 'observation.slices',
      expected: `${contract.observation.size} values in slices ${names}`,
      found: `layout ${id} with ${layout.size} values in slices ${expected}`,
    };
  }
  return undefined;
}

/** The named layout a contract asks for, or undefined when its slices are built one by one. */
export function namedLayoutFor(contract: PolicyContract): NamedLayout | undefined {
  const mismatch = namedLayoutMismatch(contract);
  if (mismatch !== undefined) {
    throw new RuntimeError(
      'CONTRACT_UNSUPPORTED',
      `policy contract ${contract.name}: ${formatMismatches([mismatch])}`,
    );
  }
  const id = contract.observation.layout;
  return id === undefined ? undefined : LAYOUTS.get(id);
}
