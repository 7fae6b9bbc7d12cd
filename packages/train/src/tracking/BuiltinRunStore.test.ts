import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuiltinRunStore } from './BuiltinRunStore.js';
import { describeRunTrackerContract } from './runTracker.case.js';

describeRunTrackerContract('builtin store', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'fleetloop-runs-'));
  let clock = 1_700_000_000_000;
  const store = new BuiltinRunStore({ root, now: () => ++clock });
  return {
    tracker: store,
    async read(id) {
      const run = store.getRun(id);
      const artifacts = new Map<string, Buffer>();
      for (const p of run.artifacts) artifacts.set(p, await store.readArtifact(id, p));
      return {
        ...run,
        metrics: run.metrics.map(({ key, value, step }) => ({ key, value, step })),
        artifacts,
      };
    },
    async close() {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describe('BuiltinRunStore', () => {
  it('keeps lineage as columns and survives reopening the database', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'fleetloop-runs-'));
    try {
      const first = new BuiltinRunStore({ root });
      const run = await first.startRun({
        experiment: 'nav',
        name: 'ppo',
        lineage: { parentRunId: 'p1', datasetVersion: 'demos@1' },
      });
      await first.close();
      const second = new BuiltinRunStore({ root });
      const stored = second.getRun(run.id);
      expect(stored.lineage).toEqual({ parentRunId: 'p1', datasetVersion: 'demos@1' });
      expect(second.listRuns('nav').map((r) => r.id)).toEqual([run.id]);
      await second.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
