import { validatePolicyContract } from '@fleetloop/registry';
import { describe, expect, it } from 'vitest';
import { diffDriveContract, TEST_OBSERVATION_SIZE } from '../testing/contracts.js';
import { FieldPath } from './FieldPath.js';
import { LatestMessages } from './LatestMessages.js';
import { ObservationAssembler } from './ObservationAssembler.js';

function quaternionFromYaw(yaw: number) {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

function odom(x: number, y: number, yaw: number, v = 0, w = 0) {
  return {
    pose: { pose: { position: { x, y, z: 0 }, orientation: quaternionFromYaw(yaw) } },
    twist: { twist: { linear: { x: v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: w } } },
  };
}

describe('FieldPath', () => {
  it('reads numbers, typed arrays, messages in field order, indices and slices', () => {
    const message = { a: { b: 2, c: [1, 2, 3, 4] }, r: Float32Array.from([5, 6, 7]), s: 'text', n: 3n };
    expect(new FieldPath('a.b').read(message)).toEqual([2]);
    expect(new FieldPath('a').read(message)).toEqual([2, 1, 2, 3, 4]);
    expect(new FieldPath('a.c[2]').read(message)).toEqual([3]);
    expect(new FieldPath('a.c[1:3]').read(message)).toEqual([2, 3]);
    expect(new FieldPath('r').read(message)).toBe(message.r);
    expect(new FieldPath('n').read(message)).toEqual([3]);
    expect(new FieldPath('a.missing').read(message)).toBeUndefined();
    expect(new FieldPath('a.c[9]').read(message)).toBeUndefined();
    expect(() => new FieldPath('a..b')).toThrow(/field path "a..b"/);
  });
});

describe('ObservationAssembler', () => {
  const contract = validatePolicyContract(diffDriveContract());

  it('builds the observation from the latest message of each contract topic', () => {
    const assembler = new ObservationAssembler(contract);
    expect(assembler.topics.map((t) => t.topic)).toEqual(['scan', 'goal_pose', 'odom']);
    const latest = new LatestMessages();
    const ranges = Float32Array.from({ length: 16 }, (_, i) => 1 + i * 0.5);
    ranges[3] = Number.NaN;
    ranges[15] = Number.POSITIVE_INFINITY;
    latest.update('scan', { ranges, range_max: 10 }, 0);
    latest.update('goal_pose', { pose: { position: { x: 1, y: 4, z: 0 } } }, 0);
    latest.update('odom', odom(1, 1, Math.PI / 2, 0.3, -0.4), 0);
    const out = new Float32Array(TEST_OBSERVATION_SIZE);
    expect(assembler.assemble(latest, out, undefined)).toBeUndefined();
    // 16 rays into 8 beams: the minimum of each pair; NaN is ignored and 4 m (rangeMax) caps far returns.
    expect([...out.slice(0, 8)]).toEqual([1, 2, 3, 4, 4, 4, 4, 4]);
    expect(out[8]).toBeCloseTo(3); // goal 3 m away
    expect(out[9]).toBeCloseTo(0); // straight ahead of a robot facing +y
    expect(out[10]).toBeCloseTo(0.3);
    expect(out[11]).toBeCloseTo(-0.4);
    latest.update('odom', odom(1, 1, 0), 1);
    assembler.assemble(latest, out, undefined);
    expect(out[9]).toBeCloseTo(Math.PI / 2); // goal to the left of a robot facing +x
  });

  it('names the missing topic and the slice whose field has the wrong shape', () => {
    const assembler = new ObservationAssembler(contract);
    const latest = new LatestMessages();
    const out = new Float32Array(TEST_OBSERVATION_SIZE);
    expect(assembler.assemble(latest, out, undefined)).toEqual({
      kind: 'missing',
      slice: 'scan',
      topic: 'scan',
    });
    latest.update('scan', { ranges: [1, 2] }, 0);
    latest.update('goal_pose', { pose: { position: { x: 1, y: 4, z: 0 } } }, 0);
    latest.update(
      'odom',
      { pose: { pose: {} }, twist: { twist: { linear: { x: 0 }, angular: { z: 0 } } } },
      0,
    );
    expect(assembler.assemble(latest, out, undefined)).toMatchObject({
      kind: 'shape',
      slice: 'goal',
      topic: 'goal_pose',
    });
  });

  it('normalises with the contract mean and std, clips, and feeds the previous action', () => {
    const withPrevious = validatePolicyContract(
      diffDriveContract({
        observation: {
          inputName: 'obs',
          size: 3,
          slices: [
            {
              name: 'v',
              size: 1,
              source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.linear.x' },
            },
            { name: 'last', size: 2, source: { previousAction: true } },
          ],
        },
        normalizer: { mean: [1, 0, 0], std: [2, 1, 1], epsilon: 0, clip: 5 },
        onnx: {
          file: 'policy.onnx',
          opset: 17,
          inputs: [{ name: 'obs', elementType: 'float32', shape: ['batch', 3] }],
          outputs: [{ name: 'actions', elementType: 'float32', shape: ['batch', 2] }],
        },
      }),
    );
    const assembler = new ObservationAssembler(withPrevious);
    const latest = new LatestMessages();
    latest.update('odom', odom(0, 0, 0, 3), 0);
    const out = new Float32Array(3);
    assembler.assemble(latest, out, undefined);
    expect([...out]).toEqual([1, 0, 0]);
    assembler.assemble(latest, out, [0.5, 9]);
    expect([...out]).toEqual([1, 0.5, 5]);
  });

  it('reports the stalest topic, skipping exempt ones', () => {
    const assembler = new ObservationAssembler(contract);
    const latest = new LatestMessages();
    latest.update('scan', {}, 100);
    latest.update('odom', {}, 40);
    expect(assembler.oldest(latest, 150, new Set(['goal_pose']))).toEqual({ topic: 'odom', ageMs: 110 });
    expect(assembler.oldest(latest, 150, new Set())).toEqual({
      topic: 'goal_pose',
      ageMs: Number.POSITIVE_INFINITY,
    });
  });
});
