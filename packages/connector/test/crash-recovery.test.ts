import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DdsTransport } from '@fleetloop/ros';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorStatus } from '../src/index.js';
import { freePort, Mosquitto } from './support/Mosquitto.js';
import { Subscriber } from './support/harness.js';

const CLI = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const COUNT = 300;

/** `fleetloop connector --config FILE` from source, as a child process. */
function startConnector(config: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@fleetloop/source', '--import', 'tsx', CLI, 'connector', '--config', config],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** Polls the connector's `/status` until `condition` holds (the child process has no other signal). */
async function statusUntil(
  opsPort: number,
  child: ChildProcess,
  condition: (s: ConnectorStatus) => boolean,
): Promise<ConnectorStatus> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`connector exited with ${child.exitCode}`);
    const status = await fetch(`http://127.0.0.1:${opsPort}/status`)
      .then((r) => r.json() as Promise<ConnectorStatus>)
      .catch(() => undefined);
    if (status !== undefined && condition(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('connector killed with SIGKILL', () => {
  let broker: Mosquitto | undefined;
  afterAll(() => broker?.stop());

  it('delivers the messages it had queued, in order with their seq, after a restart', async () => {
    const [brokerPort, opsPort] = [await freePort(), await freePort()];
    const domainId = 100 + (process.pid % 100);
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-crash-'));
    const config = path.join(dir, 'connector.yaml');
    writeFileSync(
      config,
      [
        'robot: robot-1',
        `dataDir: ${dir}`,
        `ros: { domainId: ${domainId}, localhostOnly: true }`,
        'log: { level: error, format: json }',
        `ops: { port: ${opsPort} }`,
        `broker: { url: "mqtt://127.0.0.1:${brokerPort}", backoff: { initialMs: 50, maxMs: 300 } }`,
        'queue: { fsync: never }',
        'routes:',
        '  - { name: odom, topics: { include: ["/robot_1/odom"] }, qos: 1 }',
        '',
      ].join('\n'),
    );
    const robot = new DdsTransport({ domainId, discoveryRange: 'localhost' });
    const writer = robot.createWriter('/robot_1/odom', 'std_msgs/msg/UInt32', {
      reliability: 'reliable',
      durability: 'volatile',
      history: { kind: 'keep_last', depth: COUNT },
    });
    // The broker is not running yet, so everything the connector takes stays in its on-disk queue.
    const first = startConnector(config);
    await statusUntil(opsPort, first, (s) => s.routes.odom?.length === 1);
    while (writer.matchedReaders() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < COUNT; i++) {
      const payload = Buffer.alloc(32);
      payload.writeUInt32BE(0x00010000, 0);
      payload.writeUInt32LE(i, 4);
      writer.write(payload);
    }
    const before = await statusUntil(opsPort, first, (s) => s.counts.odom?.received === COUNT);
    expect(before.queued.odom).toBe(COUNT);
    const killed = exited(first);
    first.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');

    broker = new Mosquitto({ port: brokerPort });
    await broker.start();
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/ros/#');
    const second = startConnector(config);
    await subscriber.until((m) => m.length >= COUNT);
    expect(subscriber.messages.map((m) => m.payload.readUInt32LE(4))).toEqual([...Array(COUNT).keys()]);
    expect(subscriber.messages.map((m) => m.userProperties.seq)).toEqual(
      [...Array(COUNT).keys()].map(String),
    );
    const stopped = exited(second);
    second.kill('SIGTERM');
    expect(await stopped).toBe(0);
    await subscriber.close();
    await robot.close();
  }, 60_000);
});
