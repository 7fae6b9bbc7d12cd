import { validatePolicyContract } from '@fleetloop/registry';
import { MessageDefinitionRegistry } from '@fleetloop/ros';
import { NAV_OBSERVATION_LAYOUT, NAV_OBSERVATION_SIZE, navObservation } from '@fleetloop/sim';
import { describe, expect, it } from 'vitest';
import { diffDriveContract } from '../testing/contracts.js';
import { goalMessage, odomMessage, scanMessage } from '../testing/robotMessages.js';
import { LatestMessages } from './LatestMessages.js';
import { checkContractAgainstRobot } from '../policy/checkContractAgainstRobot.js';
import { ObservationAssembler } from './ObservationAssembler.js';

/** A contract as the training export writes it for the nav layout: goal slices by source only. */
function navContract(layout: string | undefined) {
  const goal = { topic: 'goal_pose', type: 'geometry_msgs/msg/PoseStamped', field: 'pose.position' };
  const odom = (field: string) => ({ topic: 'odom', type: 'nav_msgs/msg/Odometry', field });
  return validatePolicyContract(
    diffDriveContract({
      observation: {
        ...(layout === undefined ? {} : { layout }),
        inputName: 'obs',
        size: NAV_OBSERVATION_SIZE,
        slices: NAV_OBSERVATION_LAYOUT.slices.map((s) => ({
          name: s.name,
          size: s.size,
          source:
            s.name === 'scan'
              ? { topic: 'scan', type: 'sensor_msgs/msg/LaserScan', field: 'ranges' }
              : s.name.startsWith('goal')
                ? goal
                : odom(s.name === 'linear_velocity' ? 'twist.twist.linear.x' : 'twist.twist.angular.z'),
        })),
      },
      onnx: {
        file: 'policy.onnx',
        opset: 17,
        inputs: [{ name: 'obs', elementType: 'float32', shape: ['batch', NAV_OBSERVATION_SIZE] }],
        outputs: [{ name: 'actions', elementType: 'float32', shape: ['batch', 2] }],
      },
    }),
  );
}

describe('named observation layouts', () => {
  it('builds a contract naming nav-obs-v1 exactly as the simulator does', () => {
    const assembler = new ObservationAssembler(navContract('nav-obs-v1'));
    const latest = new LatestMessages();
    const scan = scanMessage(256, 2.5);
    scan.ranges[10] = 0.7;
    const odom = odomMessage(1, 2, 0.3, 0.4, -0.2);
    const goal = goalMessage(-3, 5);
    latest.update('scan', scan, 0);
    latest.update('odom', odom, 0);
    latest.update('goal_pose', goal, 0);
    const out = new Float32Array(NAV_OBSERVATION_SIZE);
    expect(assembler.assemble(latest, out, undefined)).toBeUndefined();
    expect([...out]).toEqual([...navObservation({ scan, odom, goal: goal.pose.position })]);
    expect(assembler.topics.map((t) => t.topic)).toEqual(['scan', 'odom', 'goal_pose']);
  });

  it('builds slice by slice when the layout is not named, and reports the shape problem', () => {
    const assembler = new ObservationAssembler(navContract(undefined));
    const latest = new LatestMessages();
    latest.update('scan', scanMessage(64, 2), 0);
    latest.update('odom', odomMessage(0, 0, 0), 0);
    latest.update('goal_pose', goalMessage(1, 1), 0);
    expect(assembler.assemble(latest, new Float32Array(NAV_OBSERVATION_SIZE), undefined)).toMatchObject({
      kind: 'shape',
      slice: 'goal_distance',
    });
  });

  it('refuses a contract naming a layout this runtime does not implement, naming the field', () => {
    expect(() => new ObservationAssembler(navContract('nav-obs-v9'))).toThrow(
      /observation\.layout: contract has layout nav-obs-v9, robot has a runtime implementing nav-obs-v1/,
    );
    const contract = navContract('nav-obs-v9');
    const robot = { type: contract.robotType, topics: new Map<string, string>(), complete: false };
    expect(checkContractAgainstRobot(contract, robot, new MessageDefinitionRegistry())).toContainEqual({
      field: 'observation.layout',
      expected: 'layout nav-obs-v9',
      found: 'a runtime implementing nav-obs-v1',
    });
  });
});
