import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig } from '@fleetloop/core';
import { InProcessDomain, InProcessTransport } from '@fleetloop/ros';
import { waitUntil } from '@fleetloop/ros/testing';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  desiredTopic,
  PolicyRuntime,
  runtimeConfigSchema,
  statusTopic,
  type RuntimeStatus,
} from '@fleetloop/runtime';
import { writeTestPackage } from '@fleetloop/runtime/testing';

const root = await mkdtemp(path.join(tmpdir(), 'runtime-desired-'));
const dirs: Record<string, string> = {};
const closers: (() => Promise<void>)[] = [];

function runtimeConfig(runtime: Record<string, unknown>) {
  return validateConfig(runtimeConfigSchema, {
    site: 'depot',
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
          cmd_vel: 'geometry_msgs/msg/Twist',
        },
      },
      policy: { warmupRuns: 1 },
      swap: { when: 'any' },
      ...runtime,
    },
  });
}

async function startRuntime(runtime: Record<string, unknown>): Promise<PolicyRuntime> {
  const transport = new InProcessTransport({ domain: new InProcessDomain() });
  const policyRuntime = new PolicyRuntime({ config: runtimeConfig(runtime), transport });
  closers.push(async () => {
    await policyRuntime.close();
    await transport.close();
  });
  await policyRuntime.start();
  return policyRuntime;
}

beforeAll(async () => {
  for (const [name, bias] of [
    ['v1', [0.3, 0]],
    ['v2', [0.1, 0]],
  ] as const) {
    dirs[name] = (await writeTestPackage(path.join(root, name), { bias })).dir;
  }
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rm(root, { recursive: true, force: true });
});

describe('desired state', () => {
  it('follows a file mounted like a Kubernetes ConfigMap (symlink swap) and loads the new version', async () => {
    // kubelet layout: <dir>/..<timestamp>/runtime.yaml, <dir>/..data → ..<timestamp>, runtime.yaml → ..data/runtime.yaml
    const mount = path.join(root, 'configmap');
    const publish = async (stamp: string, text: string): Promise<void> => {
      await mkdir(path.join(mount, stamp), { recursive: true });
      await writeFile(path.join(mount, stamp, 'runtime.yaml'), text);
      await symlink(stamp, path.join(mount, '..data_tmp'));
      await rename(path.join(mount, '..data_tmp'), path.join(mount, '..data'));
    };
    await publish('..2026_12_04_1', `policy:\n  source: ${dirs['v1']}\n  version: v1\n`);
    await symlink('..data/runtime.yaml', path.join(mount, 'runtime.yaml'));
    const runtime = await startRuntime({ desired: { file: path.join(mount, 'runtime.yaml') } });
    await runtime.agent.settled();
    expect(runtime.swap.active?.version).toBe('v1');
    await publish('..2026_12_04_2', `policy:\n  source: ${dirs['v2']}\n  version: v2\n`);
    await waitUntil(() => runtime.swap.active?.version === 'v2', 'v2 to become active');
    expect(runtime.status().previous?.version).toBe('v1');
  });

  it('follows the retained MQTT desired state and reports status retained, naming a refused version', async () => {
    const aedes = await Aedes.createBroker();
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
    closers.push(() => client.endAsync());
    await client.publishAsync(
      desiredTopic('depot', 'robot_1'),
      JSON.stringify({ policy: { source: dirs['v1'], version: 'v1' } }),
      { retain: true, qos: 1 },
    );
    const statuses: RuntimeStatus[] = [];
    client.on('message', (_topic, payload) => {
      if (payload.toString() !== 'offline') statuses.push(JSON.parse(payload.toString()) as RuntimeStatus);
    });
    await client.subscribeAsync(statusTopic('depot', 'robot_1'), { qos: 1 });
    const runtime = await startRuntime({ mqtt: { url, protocolVersion: 4, statusIntervalMs: 200 } });
    await waitUntil(() => statuses.some((s) => s.active?.version === 'v1'), 'a status with v1 active');
    await client.publishAsync(
      desiredTopic('depot', 'robot_1'),
      JSON.stringify({ policy: { source: path.join(root, 'missing'), version: 'v9' } }),
      { retain: true, qos: 1 },
    );
    await waitUntil(
      () => statuses.some((s) => s.lastError?.code === 'PACKAGE_FILE_MISSING'),
      'a status naming the refusal',
    );
    expect(statuses.at(-1)).toMatchObject({ site: 'depot', robot: 'robot_1', active: { version: 'v1' } });
    expect(runtime.swap.active?.version).toBe('v1');
  });

  it('fetches a package over HTTP and serves /status, /metrics and /readyz', async () => {
    const http: Server = createHttpServer((request, response) => {
      const file = path.join(dirs['v2'] as string, path.basename(request.url ?? ''));
      readFile(file).then(
        (bytes) => response.end(bytes),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/packages/v2/`;
    const runtime = await startRuntime({
      ops: { port: 0 },
      desired: { initial: { policy: { source: base } } },
    });
    expect(runtime.swap.active?.version).toMatch(/^nav-test@/);
    const ops = runtime.opsUrl as string;
    const status = (await (await fetch(`${ops}/status`)).json()) as RuntimeStatus;
    expect(status).toMatchObject({ robot: 'robot_1', active: { source: base } });
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    await waitUntil(() => runtime.loop.steps > 2, 'a few steps');
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toContain('fleetloop_runtime_step_latency_seconds_bucket');
    // No robot publishes here: every step stops on stale observations, and that is counted.
    expect(metrics).toMatch(
      /fleetloop_runtime_interventions_total\{robot="robot_1",reason="stale_observation"\} [1-9]/,
    );
  });
});
