import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageDefinitionRegistry } from '@fleetloop/ros';
import { afterAll, describe, expect, it } from 'vitest';
import { corruptOnnx } from '../testing/policyOnnx.js';
import { replacePackageFile, writeTestPackage } from '../testing/writeTestPackage.js';
import type { RobotDescription } from './checkContractAgainstRobot.js';
import { loadPolicyPackage } from './loadPolicyPackage.js';

const definitions = new MessageDefinitionRegistry();
const robot: RobotDescription = {
  type: 'diffdrive',
  topics: new Map([
    ['scan', 'sensor_msgs/msg/LaserScan'],
    ['odom', 'nav_msgs/msg/Odometry'],
    ['goal_pose', 'geometry_msgs/msg/PoseStamped'],
    ['cmd_vel', 'geometry_msgs/msg/Twist'],
  ]),
  complete: true,
};

const root = await mkdtemp(path.join(tmpdir(), 'runtime-load-'));
afterAll(() => rm(root, { recursive: true, force: true }));
let n = 0;
const dir = () => path.join(root, `pkg-${n++}`);

describe('loadPolicyPackage', () => {
  it('loads, warms and runs a verified, signed package that fits the robot', async () => {
    const keys = generateKeyPairSync('ed25519');
    const written = await writeTestPackage(dir(), { signingKey: keys.privateKey, bias: [0.25, -0.5] });
    const policy = await loadPolicyPackage(written.dir, { robot, definitions, publicKey: keys.publicKey });
    expect(policy.digest).toBe(written.digestsSha256);
    expect(policy.version).toMatch(/^nav-test@[0-9a-f]{12}$/);
    const raw = await policy.model.run(new Float32Array(policy.assembler.size));
    expect([...raw]).toEqual([0.25, -0.5]);
    await policy.release();
  });

  it('refuses a package whose file no longer matches its digest', async () => {
    const written = await writeTestPackage(dir());
    const onnx = path.join(written.dir, 'policy.onnx');
    const bytes = await readFile(onnx);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(onnx, bytes);
    await expect(loadPolicyPackage(written.dir, { robot, definitions })).rejects.toMatchObject({
      code: 'PACKAGE_DIGEST_MISMATCH',
      message: expect.stringContaining('policy.onnx') as string,
    });
  });

  it('refuses a package pinned to another digest by the desired state', async () => {
    const written = await writeTestPackage(dir());
    await expect(
      loadPolicyPackage(written.dir, { robot, definitions, expectedDigest: `sha256:${'0'.repeat(64)}` }),
    ).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringContaining('pins sha256:000') as string,
    });
  });

  it('refuses a package built from a corrupt model file', async () => {
    const written = await writeTestPackage(dir());
    const bytes = await readFile(path.join(written.dir, 'policy.onnx'));
    await replacePackageFile(written.dir, 'policy.onnx', corruptOnnx(bytes));
    await expect(loadPolicyPackage(written.dir, { robot, definitions })).rejects.toMatchObject({
      code: 'ONNX_INVALID',
    });
  });

  it('refuses a package signed by another key, or unsigned, when a public key is configured', async () => {
    const trusted = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const signed = await writeTestPackage(dir(), { signingKey: other.privateKey });
    await expect(
      loadPolicyPackage(signed.dir, { robot, definitions, publicKey: trusted.publicKey }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    const unsigned = await writeTestPackage(dir());
    await expect(
      loadPolicyPackage(unsigned.dir, { robot, definitions, publicKey: trusted.publicKey }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_MISSING' });
  });

  it('refuses a contract that does not fit the robot and names each field', async () => {
    const written = await writeTestPackage(dir(), { contract: { robotType: 'quadruped' } });
    const error = await loadPolicyPackage(written.dir, {
      robot: { ...robot, topics: new Map([...robot.topics, ['scan', 'sensor_msgs/msg/PointCloud2']]) },
      definitions,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONTRACT_MISMATCH' });
    const message = (error as Error).message;
    expect(message).toContain('robotType: contract has quadruped, robot has robot type diffdrive');
    expect(message).toContain(
      'observation.slices[0].source.type: contract has sensor_msgs/msg/LaserScan, robot has scan is sensor_msgs/msg/PointCloud2',
    );
  });

  it('refuses a field path that the message type does not have', async () => {
    const written = await writeTestPackage(dir(), {
      contract: {
        action: {
          outputName: 'actions',
          size: 2,
          components: [
            {
              name: 'linear_x',
              target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'linear.x' },
              min: -1,
              max: 1,
            },
            {
              name: 'angular_z',
              target: { topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist', field: 'angular.yaw' },
              min: -1,
              max: 1,
            },
          ],
        },
      },
    });
    await expect(loadPolicyPackage(written.dir, { robot, definitions })).rejects.toThrow(
      /action\.components\[1\]\.target\.field: contract has angular\.yaw, robot has geometry_msgs\/Vector3 has no field "yaw"/,
    );
  });
});
