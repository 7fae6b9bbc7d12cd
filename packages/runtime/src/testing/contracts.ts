import type { PolicyContractInput } from '@fleetloop/registry';

/** Beams of the test contract's scan slice. */
export const TEST_SCAN_BEAMS = 8;
/** Observation size of {@link diffDriveContract}: 8 beams, goal distance and bearing, 2 velocities. */
export const TEST_OBSERVATION_SIZE = TEST_SCAN_BEAMS + 4;

/**
 * A small navigation contract for a diff-drive robot: a downsampled scan, the goal in polar form
 * and the odometry velocities in; `cmd_vel` linear.x and angular.z out.
 */
export function diffDriveContract(overrides: Partial<PolicyContractInput> = {}): PolicyContractInput {
  return {
    apiVersion: 'fleetloop.dev/v1',
    kind: 'PolicyContract',
    name: 'nav-test',
    robotType: 'diffdrive',
    controlPeriodMs: 20,
    observation: {
      inputName: 'obs',
      size: TEST_OBSERVATION_SIZE,
      slices: [
        {
          name: 'scan',
          size: TEST_SCAN_BEAMS,
          source: { topic: 'scan', type: 'sensor_msgs/msg/LaserScan', field: 'ranges' },
          transform: { kind: 'scan-downsample', beams: TEST_SCAN_BEAMS, rangeMax: 4 },
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
        {
          name: 'linear_velocity',
          size: 1,
          source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.linear.x' },
        },
        {
          name: 'angular_velocity',
          size: 1,
          source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.angular.z' },
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
          min: -0.2,
          max: 0.5,
        },
        {
          name: 'angular_z',
          target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'angular.z' },
          min: -1.5,
          max: 1.5,
        },
      ],
    },
    limits: { maxLinearVelocity: 0.5, maxAngularVelocity: 1.5 },
    onnx: {
      file: 'policy.onnx',
      opset: 17,
      inputs: [{ name: 'obs', elementType: 'float32', shape: ['batch', TEST_OBSERVATION_SIZE] }],
      outputs: [{ name: 'actions', elementType: 'float32', shape: ['batch', 2] }],
    },
    ...overrides,
  };
}
