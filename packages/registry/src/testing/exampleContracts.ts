import type { PolicyContractInput } from '../contract/policyContractSchema.js';

/** A navigation contract (24-beam scan + goal polar → cmd_vel) matching a 26 → 2 linear graph. */
export function navContract(overrides: Partial<PolicyContractInput> = {}): PolicyContractInput {
  return {
    apiVersion: 'fleetloop.dev/v1',
    kind: 'PolicyContract',
    name: 'nav-bc',
    robotType: 'diffdrive-nav',
    controlPeriodMs: 50,
    observation: {
      inputName: 'obs',
      size: 26,
      slices: [
        {
          name: 'scan',
          size: 24,
          source: { topic: 'scan', type: 'sensor_msgs/msg/LaserScan', field: 'ranges' },
          transform: { kind: 'scan-downsample', beams: 24, rangeMax: 3.5 },
        },
        {
          name: 'goal',
          size: 2,
          source: { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped', field: 'pose.position' },
          transform: {
            kind: 'goal-polar',
            pose: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'pose.pose' },
          },
        },
      ],
    },
    normalizer: { inGraph: true },
    action: {
      outputName: 'actions',
      size: 2,
      components: [
        {
          name: 'linear_x',
          target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'linear.x' },
          scale: 0.5,
          min: -0.2,
          max: 0.5,
        },
        {
          name: 'angular_z',
          target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'angular.z' },
          scale: 1.5,
          min: -1.5,
          max: 1.5,
        },
      ],
    },
    limits: { maxLinearVelocity: 0.5, maxAngularVelocity: 1.5, maxLinearAcceleration: 1.0 },
    onnx: {
      file: 'policy.onnx',
      opset: 17,
      inputs: [{ name: 'obs', elementType: 'float32', shape: ['batch', 26] }],
      outputs: [{ name: 'actions', elementType: 'float32', shape: ['batch', 2] }],
    },
    training: { runId: 'run-1', datasetVersion: 'nav-demos@3', codeVersion: 'abc123', algorithm: 'bc' },
    metrics: { successRate: 0.9 },
    ...overrides,
  };
}
