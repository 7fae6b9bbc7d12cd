import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/runCli.js';

/**
 * A behaviour-cloning policy trained with the quick-start configuration (40 expert episodes, 64×64
 * MLP; 50% success in its evaluation), so the test does not spend minutes training.
 */
const POLICY = fileURLToPath(new URL('./fixtures/nav-quickstart-policy', import.meta.url));

const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetloop-up-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('fleetloop up', () => {
  it('runs 4 simulated robots, each driven by a runtime, until --duration and reports their missions', async () => {
    const run = await runCli(
      ['up', '--duration', '20', '--transport', 'inprocess', '--data-dir', dataDir, '--policy', POLICY],
      { timeoutMs: 85_000 },
    );
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    // Not a terminal: a line per robot every few seconds, each naming the policy that drives it.
    for (const robot of ['robot_1', 'robot_2', 'robot_3', 'robot_4']) {
      expect(run.stdout).toMatch(
        new RegExp(`robot=${robot} status=running/\\S+ policy=nav-quickstart-bc@[0-9a-f]{12} `),
      );
    }
    const missions = [...run.stdout.matchAll(/^robot_\d: (\d+) missions, (\d+) reached the goal/gm)];
    expect(missions).toHaveLength(4);
    const done = missions.reduce((sum, m) => sum + Number(m[1]), 0);
    expect(done).toBeGreaterThan(0);
    expect(run.stdout).toContain('fleetloop up: stopped');
  }, 90_000);
});
