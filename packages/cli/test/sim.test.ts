import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/index.js';

describe('fleetloop sim expert', () => {
  it('prints the scripted expert success rate on nav-v1/test, at or above 0.95', async () => {
    const run = await runCli([
      'sim',
      'expert',
      '--suite',
      'nav-v1/test',
      '--episodes',
      '40',
      '--min-success',
      '0.95',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rate = Number(/success rate: ([\d.]+)/.exec(run.stdout)?.[1]);
    expect(rate).toBeGreaterThanOrEqual(0.95);
    expect(run.stdout).toContain('suite: nav-v1/test (40 episodes)');
  });

  it('exits 2 for an unknown suite, naming the known ones', async () => {
    const run = await runCli(['sim', 'expert', '--suite', 'nav-v9/test']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nav-v1/test');
  });
});
