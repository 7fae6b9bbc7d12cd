import { describe, expect, it } from 'vitest';
import { FakeMlflowServer } from '../testing/FakeMlflowServer.js';
import { TrainError } from '../TrainError.js';
import { MlflowTracker } from './MlflowTracker.js';
import { describeRunTrackerContract } from './runTracker.case.js';

describeRunTrackerContract('MLflow REST API', async () => {
  const server = new FakeMlflowServer({ token: 'secret' });
  const url = await server.start();
  let clock = 1_700_000_000_000;
  const tracker = new MlflowTracker({ url, token: 'secret', now: () => ++clock });
  return {
    tracker,
    read(id) {
      const run = server.runs.get(id);
      if (run === undefined) return Promise.reject(new Error(`server has no run ${id}`));
      const prefix = `${run.experimentId}/${id}/artifacts/`;
      const artifacts = new Map(
        [...server.artifacts]
          .filter(([p]) => p.startsWith(prefix))
          .map(([p, b]) => [p.slice(prefix.length), b]),
      );
      return Promise.resolve({
        experiment: server.experimentName(run.experimentId) ?? '',
        name: run.name,
        status: run.status === 'SCHEDULED' ? 'RUNNING' : run.status,
        endTime: run.endTime,
        params: Object.fromEntries(run.params),
        tags: Object.fromEntries(run.tags),
        metrics: run.metrics.map(({ key, value, step }) => ({ key, value, step })),
        artifacts,
      });
    },
    async close() {
      await tracker.close();
      await server.stop();
    },
  };
});

describe('MlflowTracker', () => {
  it('splits log-batch requests within the documented limits', async () => {
    const server = new FakeMlflowServer();
    const url = await server.start();
    try {
      const run = await new MlflowTracker({ url }).startRun({ experiment: 'e', name: 'r' });
      await run.logMetrics(Array.from({ length: 2001 }, (_, i) => ({ key: 'm', value: i, step: i })));
      const batches = server.requests.filter((r) => r.path.endsWith('/runs/log-batch'));
      expect(batches.map((b) => (b.body as { metrics: unknown[] }).metrics.length)).toEqual([1000, 1000, 1]);
      expect(server.requests.map((r) => `${r.method} ${r.path}`).slice(0, 3)).toEqual([
        'GET /api/2.0/mlflow/experiments/get-by-name',
        'POST /api/2.0/mlflow/experiments/create',
        'POST /api/2.0/mlflow/runs/create',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('names the server answer and the token when authentication fails', async () => {
    const server = new FakeMlflowServer({ token: 'right' });
    const url = await server.start();
    try {
      const error = await new MlflowTracker({ url, token: 'wrong' })
        .startRun({ experiment: 'e', name: 'r' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainError);
      expect((error as Error).message).toMatch(/401 UNAUTHENTICATED.*tracking\.token/);
    } finally {
      await server.stop();
    }
  });
});
