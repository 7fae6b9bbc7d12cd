import type { PolicyContractInput } from '@fleetloop/registry';
import { NAV_ACTION_LAYOUT, NAV_OBSERVATION_LAYOUT, NAV_SCAN_BEAMS, NAV_SCAN_CLIP_M } from '@fleetloop/sim';
import type { PolicyArchitecture } from '../model/GaussianPolicy.js';
import { ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT } from './onnxGraph.js';

/** What the contract records beside the layouts. */
export interface NavContractOptions {
  readonly name: string;
  readonly robotType: string;
  readonly description?: string | undefined;
  readonly architecture: PolicyArchitecture;
  readonly training: {
    readonly runId: string;
    readonly algorithm: string;
    readonly datasetVersion?: string | undefined;
    readonly parentRunId?: string | undefined;
    readonly codeVersion?: string | undefined;
  };
  /** Evaluation figures (non-finite ones are left out). */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * The `policy.yaml` contract of a nav policy, built from the simulator's observation and action
 * layouts. The normaliser and action scaling live in the graph, so components pass through
 * (`scale 1`, `offset 0`) and only the bounds are repeated for the runtime's clamp.
 *
 * The goal slices (distance, then sin/cos of the bearing) have no matching transform in the
 * contract's closed set (`goal-polar` yields distance and bearing in radians); they are described
 * by source only, and `observation.layout` names the layout version the runtime builds them with.
 */
export function navPolicyContract(options: NavContractOptions): PolicyContractInput {
  const obs = NAV_OBSERVATION_LAYOUT;
  const act = NAV_ACTION_LAYOUT;
  const linear = act.slices[0];
  const angular = act.slices[1];
  const slice = (name: string): (typeof obs.slices)[number] => {
    const found = obs.slices.find((s) => s.name === name);
    if (found === undefined) throw new Error(`observation layout ${obs.version} has no slice ${name}`);
    return found;
  };
  const clip = (name: string): { kind: 'clip'; min: number; max: number } => {
    const [min, max] = slice(name).clip;
    return { kind: 'clip', min, max };
  };
  const t = options.training;
  return {
    apiVersion: 'fleetloop.dev/v1',
    kind: 'PolicyContract',
    name: options.name,
    description: `${options.description ?? 'Navigation policy'} (action layout ${act.version})`,
    robotType: options.robotType,
    controlPeriodMs: act.controlPeriodS * 1000,
    observation: {
      layout: obs.version,
      inputName: ONNX_INPUT,
      size: obs.size,
      slices: [
        {
          name: 'scan',
          size: NAV_SCAN_BEAMS,
          source: { topic: 'scan', type: 'sensor_msgs/msg/LaserScan', field: 'ranges' },
          transform: { kind: 'scan-downsample', beams: NAV_SCAN_BEAMS, rangeMax: NAV_SCAN_CLIP_M },
        },
        {
          name: 'goal_distance',
          size: 1,
          source: { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped', field: 'pose.position' },
        },
        {
          name: 'goal_bearing',
          size: 2,
          source: { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped', field: 'pose.position' },
        },
        {
          name: 'linear_velocity',
          size: 1,
          source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.linear.x' },
          transform: clip('linear_velocity'),
        },
        {
          name: 'angular_velocity',
          size: 1,
          source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.angular.z' },
          transform: clip('angular_velocity'),
        },
      ],
    },
    normalizer: { inGraph: true },
    action: {
      outputName: ONNX_OUTPUT,
      size: act.size,
      components: act.slices.map((s) => ({
        name: s.name,
        target: { topic: s.target.topic, type: s.target.type, field: s.target.field },
        scale: 1,
        offset: 0,
        min: s.min,
        max: s.max,
      })),
    },
    limits: {
      maxLinearVelocity: Math.max(Math.abs(linear?.min ?? 0), Math.abs(linear?.max ?? 0)),
      maxAngularVelocity: Math.max(Math.abs(angular?.min ?? 0), Math.abs(angular?.max ?? 0)),
      maxLinearAcceleration: act.accelerationLimits.linear,
      maxAngularAcceleration: act.accelerationLimits.angular,
    },
    onnx: {
      file: 'policy.onnx',
      opset: ONNX_OPSET,
      inputs: [
        { name: ONNX_INPUT, elementType: 'float32', shape: ['batch', options.architecture.observationSize] },
      ],
      outputs: [
        { name: ONNX_OUTPUT, elementType: 'float32', shape: ['batch', options.architecture.actionSize] },
      ],
    },
    training: {
      runId: t.runId,
      algorithm: t.algorithm,
      framework: 'fleetloop',
      ...(t.datasetVersion === undefined ? {} : { datasetVersion: t.datasetVersion }),
      ...(t.parentRunId === undefined ? {} : { parentRunId: t.parentRunId }),
      ...(t.codeVersion === undefined ? {} : { codeVersion: t.codeVersion }),
    },
    metrics: Object.fromEntries(Object.entries(options.metrics).filter(([, v]) => Number.isFinite(v))),
  };
}
