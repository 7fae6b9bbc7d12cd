import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, Mosquitto } from './support/Mosquitto.js';
import { Subscriber } from './support/harness.js';

const RUNNER = fileURLToPath(new URL('./fixtures/runConnector.ts', import.meta.url));

/** Starts the connector fixture process and resolves once it printed `queued N`. */
function startRunner(config: string, count: number): Promise<{ child: ChildProcess; queued: number }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@fleetloop/source', '--import', 'tsx', RUNNER, config, String(count)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /queued (\d+)/.exec(stdout);
      if (match) resolve({ child, queued: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`connector exited with ${code}: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

describe('connector killed with SIGKILL', () => {
  let broker: Mosquitto | undefined;
  afterAll(() => broker?.stop());

  it('delivers the messages that were queued when it was killed, after a restart', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-crash-'));
    const config = path.join(dir, 'connector.yaml');
    writeFileSync(
      config,
      [
        'robot: robot-1',
        `dataDir: ${dir}`,
        'ops: { enabled: false }',
        `broker: { url: "mqtt://127.0.0.1:${port}", backoff: { initialMs: 50, maxMs: 300 } }`,
        'queue: { fsync: never }',
        'routes:',
        '  - { name: odom, topics: { include: ["/robot_1/odom"] }, qos: 1 }',
        '',
      ].join('\n'),
    );
    // The broker is not running yet, so everything stays in the on-disk queue.
    const first = await startRunner(config, 300);
    expect(first.queued).toBe(300);
    const killed = exited(first.child);
    first.child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');

    broker = new Mosquitto({ port });
    await broker.start();
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/ros/#');
    const second = await startRunner(config, 0);
    await subscriber.until((m) => m.length >= 300);
    expect(subscriber.messages.map((m) => m.payload.readUInt32LE(4))).toEqual([...Array(300).keys()]);
    expect(subscriber.messages.map((m) => m.userProperties.seq)).toEqual([...Array(300).keys()].map(String));
    const stopped = exited(second.child);
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    await subscriber.close();
  }, 60_000);
});
