import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));

function fleetloop(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@fleetloop/source', '--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('fleetloop connector', () => {
  it('refuses an invalid configuration naming the file, the route and the field, with exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-connector-cli-'));
    const file = path.join(dir, 'connector.yaml');
    writeFileSync(
      file,
      [
        'robot: robot-1',
        'routes:',
        '  - { name: odom, topics: { include: ["/odom"] } }',
        '  - { name: scan, qos: 2, topics: { include: [{ regex: "([" }] } }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await fleetloop(['connector', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).toContain('routes[1].qos');
    expect(stderr).toContain('routes[1].topics.include[0].regex');
  });
});
