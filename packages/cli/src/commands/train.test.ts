import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/index.js';

describe('fleetloop train', () => {
  it('trains, evaluates and exports from a train.yaml', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-train-cli-'));
    try {
      const file = path.join(dir, 'train.yaml');
      await writeFile(
        file,
        [
          'algorithm: bc',
          `outputDir: ${path.join(dir, 'run')}`,
          'network: { hidden: [16] }',
          'dataset: { source: sim-expert, episodes: 2 }',
          'bc: { epochs: 2 }',
          'evaluation: { suite: nav-v1/test, episodes: 1 }',
          'progress: json',
          '',
        ].join('\n'),
      );
      const run = await runCli(['train', '--config', file], { timeoutMs: 120_000 });
      expect(run.stderr).toContain('"stage":"bc"');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/evaluation: success \d\.\d{3}/);
      await access(path.join(dir, 'run', 'policy', 'policy.onnx'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown algorithm with exit code 2, naming the field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-train-cli-'));
    try {
      const file = path.join(dir, 'train.yaml');
      await writeFile(file, `algorithm: sgd\noutputDir: ${dir}\n`);
      const run = await runCli(['train', '--config', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('algorithm');
      expect(run.stderr).toContain(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
