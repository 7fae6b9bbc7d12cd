import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig } from '@fleetloop/core';
import {
  DdsTransport,
  MessageDefinitionRegistry,
  QOS_DEFAULT,
  type RosReader,
  type Twist,
} from '@fleetloop/ros';
import { SimFleet } from '@fleetloop/sim';
import { signPolicyPackage } from '@fleetloop/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyRuntime, runtimeConfigSchema } from '@fleetloop/runtime';
import { corruptOnnx, replacePackageFile, writeTestPackage } from '@fleetloop/runtime/testing';
import { waitUntil } from '@fleetloop/ros/testing';

/** One received command. */
interface Command {
  readonly linear: number;
  readonly angular: number;
}

const root = await mkdtemp(path.join(tmpdir(), 'runtime-dds-'));
const trusted = generateKeyPairSync('ed25519');
const publicKeyFile = path.join(root, 'trusted.pub');
let transport: DdsTransport;
let fleet: SimFleet;
let runtime: PolicyRuntime;
let reader: RosReader;
const commands: Command[] = [];
const packages: Record<string, { dir: string; digest: string }> = {};

async function pkg(name: string, options: Parameters<typeof writeTestPackage>[1] = {}) {
  const written = await writeTestPackage(path.join(root, name), {
    signingKey: trusted.privateKey,
    ...options,
  });
  packages[name] = { dir: written.dir, digest: written.digestsSha256 };
  return packages[name];
}

function last(): Command {
  return commands.at(-1) as Command;
}

async function commandsAfter(
  count: number,
  predicate: (c: Command) => boolean,
  what: string,
): Promise<Command[]> {
  const from = commands.length;
  await waitUntil(() => commands.slice(from).filter(predicate).length >= count, what, { timeoutMs: 15_000 });
  return commands.slice(from);
}

beforeAll(async () => {
  await writeFile(publicKeyFile, trusted.publicKey.export({ type: 'spki', format: 'pem' }));
  const v1 = await pkg('v1', { bias: [0.3, 0.2] });
  // A domain of its own so parallel DDS tests on this machine do not see each other.
  transport = new DdsTransport({
    domainId: 100 + Math.floor(Math.random() * 100),
    discoveryRange: 'localhost',
  });
  fleet = await SimFleet.create({ transport, robots: 1, cameraHz: 0, idleS: 0.2 });
  const definitions = new MessageDefinitionRegistry();
  const codec = definitions.codec<Twist>('geometry_msgs/msg/Twist');
  reader = transport.createReader('/robot_1/cmd_vel', 'geometry_msgs/msg/Twist', QOS_DEFAULT, (sample) => {
    const twist = codec.decode(sample.data);
    commands.push({ linear: twist.linear.x, angular: twist.angular.z });
  });
  const config = validateConfig(runtimeConfigSchema, {
    dataDir: path.join(root, 'data'),
    log: { level: 'silent' },
    runtime: {
      robot: {
        name: 'robot_1',
        type: 'diffdrive',
        topics: {
          scan: 'sensor_msgs/msg/LaserScan',
          odom: 'nav_msgs/msg/Odometry',
          goal_pose: 'geometry_msgs/msg/PoseStamped',
          mission_state: 'std_msgs/msg/String',
          cmd_vel: 'geometry_msgs/msg/Twist',
        },
        latchedTopics: ['goal_pose', 'mission_state'],
      },
      policy: { publicKeyFile, warmupRuns: 1 },
      safety: { staleExemptTopics: ['goal_pose'], minClearanceM: 0 },
      swap: { when: 'any', probation: { windowMs: 60_000 } },
      desired: { initial: { policy: { source: v1.dir, version: 'v1' } } },
    },
  });
  runtime = new PolicyRuntime({ config, transport, definitions });
  fleet.start();
  await runtime.start();
});

afterAll(async () => {
  await runtime?.close();
  await reader?.close();
  await fleet?.close();
  await transport?.close();
  await rm(root, { recursive: true, force: true });
});

describe('runtime driving a simulated robot over DDS', () => {
  it('publishes the policy command on cmd_vel and the robot moves', async () => {
    const start = fleet.robots[0]?.pose;
    await commandsAfter(10, (c) => Math.abs(c.linear - 0.3) < 1e-3, 'ten 0.3 m/s commands');
    expect(last().angular).toBeCloseTo(0.2, 3);
    await waitUntil(() => {
      const pose = fleet.robots[0]?.pose;
      return (
        pose !== undefined && start !== undefined && Math.hypot(pose.x - start.x, pose.y - start.y) > 0.05
      );
    }, 'the robot to move 5 cm');
    expect(runtime.status()).toMatchObject({
      state: 'running',
      active: { version: 'v1', digest: packages['v1']?.digest },
    });
  });

  it('keeps the running model when a new one is corrupt, has a wrong digest, a bad signature or a contract mismatch', async () => {
    const corrupt = await pkg('corrupt');
    await replacePackageFile(
      corrupt.dir,
      'policy.onnx',
      corruptOnnx(await readFile(path.join(corrupt.dir, 'policy.onnx'))),
    );
    // Signed after the corruption, as a package built from a bad export would be.
    await signPolicyPackage(corrupt.dir, trusted.privateKey);
    const tampered = await pkg('tampered', { bias: [0.1, 0] });
    const onnxFile = path.join(tampered.dir, 'policy.onnx');
    const bytes = await readFile(onnxFile);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    await writeFile(onnxFile, bytes);
    const foreign = await pkg('foreign', { signingKey: generateKeyPairSync('ed25519').privateKey });
    const mismatch = await pkg('mismatch', {
      contract: {
        observation: {
          inputName: 'obs',
          size: 12,
          slices: [
            {
              name: 'scan',
              size: 8,
              source: { topic: 'scan', type: 'sensor_msgs/msg/PointCloud2', field: 'data' },
            },
            {
              name: 'rest',
              size: 4,
              source: { topic: 'odom', type: 'nav_msgs/msg/Odometry', field: 'twist.twist.linear' },
            },
          ],
        },
      },
    });
    const cases: [string, string, RegExp][] = [
      [corrupt.dir, 'ONNX_INVALID', /policy\.onnx/],
      [tampered.dir, 'PACKAGE_DIGEST_MISMATCH', /policy\.onnx has sha256/],
      [foreign.dir, 'SIGNATURE_INVALID', /signature/i],
      [
        mismatch.dir,
        'CONTRACT_MISMATCH',
        /observation\.slices\[0\]\.source\.type: contract has sensor_msgs\/msg\/PointCloud2/,
      ],
    ];
    for (const [source, code, message] of cases) {
      await runtime.applyDesired({ policy: { source } });
      expect(runtime.status().lastError).toMatchObject({
        role: 'policy',
        code,
        message: expect.stringMatching(message) as string,
      });
      expect(runtime.swap.active?.version).toBe('v1');
      expect(runtime.swap.pending).toBeUndefined();
      await commandsAfter(3, (c) => Math.abs(c.linear - 0.3) < 1e-3, `v1 commands after the ${code} refusal`);
    }
    const wrongPin = `sha256:${'1'.repeat(64)}`;
    await runtime.applyDesired({ policy: { source: packages['v1']?.dir as string, digest: wrongPin } });
    expect(runtime.status().lastError).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(runtime.swap.active?.version).toBe('v1');
  });

  it('swaps to a new version while driving: consecutive steps, the switch between two of them', async () => {
    const v2 = await pkg('v2', { bias: [0.2, -0.1] });
    const steps: { seq: number; version: string }[] = [];
    const off = runtime.loop.onStep((r) => steps.push({ seq: r.seq, version: r.policy.version }));
    await waitUntil(() => steps.length > 0, 'a step of v1');
    await runtime.applyDesired({ policy: { source: v2.dir, version: 'v2' } });
    await commandsAfter(10, (c) => Math.abs(c.linear - 0.2) < 1e-3, 'ten v2 commands');
    off();
    // Every step published a command and the loop never skipped a step number around the switch;
    // that the switch costs no time is checked without timer jitter in HotSwap.test.ts.
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => (steps[0]?.seq ?? 0) + i));
    const switchAt = steps.findIndex((s) => s.version === 'v2');
    expect(switchAt).toBeGreaterThan(0);
    expect(steps.slice(0, switchAt).every((s) => s.version === 'v1')).toBe(true);
    expect(steps.slice(switchAt).every((s) => s.version === 'v2')).toBe(true);
    expect(runtime.status()).toMatchObject({
      active: { version: 'v2' },
      previous: { version: 'v1' },
      probation: { version: 'v2' },
    });
  });

  it('stops a model that outputs NaN with the safety filter and rolls it back', async () => {
    const nan = await pkg('nan', { nan: true });
    const seen = await (async () => {
      const from = commands.length;
      await runtime.applyDesired({ policy: { source: nan.dir, version: 'nan' } });
      await waitUntil(() => runtime.swap.rejected.has(nan.digest), 'the NaN version to be rolled back', {
        timeoutMs: 10_000,
      });
      await commandsAfter(5, (c) => Math.abs(c.linear - 0.2) < 1e-3, 'v2 commands after the rollback');
      return commands.slice(from);
    })();
    expect(seen.every((c) => Number.isFinite(c.linear) && Number.isFinite(c.angular))).toBe(true);
    expect(seen.some((c) => c.linear === 0 && c.angular === 0)).toBe(true);
    expect(runtime.status()).toMatchObject({
      active: { version: 'v2' },
      rejected: [{ digest: nan.digest, reason: expect.stringContaining('non-finite') as string }],
      health: { interventions: { non_finite_action: 1 } },
    });
  });
});
