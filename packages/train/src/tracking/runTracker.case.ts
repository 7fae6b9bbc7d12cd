import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrainError } from '../TrainError.js';
import { LINEAGE_TAGS, type RunStatus, type RunTracker } from './RunTracker.js';

/** What a backend holds for one run, read back through the backend's own store. */
export interface RecordedRun {
  readonly experiment: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly endTime: number | undefined;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly metrics: readonly { key: string; value: number; step: number }[];
  /** Artifact path → bytes. */
  readonly artifacts: ReadonlyMap<string, Buffer>;
}

/** A tracker under test and a way to read what it stored. */
export interface TrackerFixture {
  readonly tracker: RunTracker;
  read(runId: string): Promise<RecordedRun>;
  close(): Promise<void>;
}

/** The behaviour every {@link RunTracker} implementation must show. */
export function describeRunTrackerContract(name: string, setup: () => Promise<TrackerFixture>): void {
  describe(`RunTracker contract: ${name}`, () => {
    let fixture: TrackerFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('starts a run in an experiment with its name, tags and lineage', async () => {
      const run = await fixture.tracker.startRun({
        experiment: 'nav-bc',
        name: 'bc-1',
        lineage: { datasetVersion: 'nav-demos@3', parentRunId: 'abc123', codeVersion: 'f'.repeat(40) },
        tags: { algorithm: 'bc' },
      });
      expect(run.id).toMatch(/^[0-9a-f]{32}$/);
      const stored = await fixture.read(run.id);
      expect(stored).toMatchObject({ experiment: 'nav-bc', name: 'bc-1', status: 'RUNNING' });
      expect(stored.tags).toMatchObject({
        algorithm: 'bc',
        [LINEAGE_TAGS.datasetVersion]: 'nav-demos@3',
        [LINEAGE_TAGS.parentRunId]: 'abc123',
        [LINEAGE_TAGS.codeVersion]: 'f'.repeat(40),
      });
    });

    it('puts runs of the same experiment together', async () => {
      const a = await fixture.tracker.startRun({ experiment: 'shared', name: 'a' });
      const b = await fixture.tracker.startRun({ experiment: 'shared', name: 'b' });
      expect(a.id).not.toBe(b.id);
      expect((await fixture.read(b.id)).experiment).toBe('shared');
    });

    it('stores large batches of parameters and metrics in order', async () => {
      const run = await fixture.tracker.startRun({ experiment: 'big', name: 'many' });
      const params = Object.fromEntries(
        Array.from({ length: 250 }, (_, i) => [`p${i}`, i % 2 === 0 ? i : `v${i}`]),
      );
      await run.logParams(params);
      const points = Array.from({ length: 2500 }, (_, i) => ({
        key: i % 2 === 0 ? 'loss' : 'lr',
        value: i / 10,
        step: i,
      }));
      await run.logMetrics(points);
      await run.setTags(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`t${i}`, `x${i}`])));
      const stored = await fixture.read(run.id);
      expect(Object.keys(stored.params)).toHaveLength(250);
      expect(stored.params.p4).toBe('4');
      expect(stored.params.p5).toBe('v5');
      expect(stored.metrics.filter((m) => m.key === 'loss').map((m) => m.step)).toEqual(
        Array.from({ length: 1250 }, (_, i) => 2 * i),
      );
      expect(stored.metrics.at(-1)).toMatchObject({ key: 'lr', value: 249.9, step: 2499 });
      expect(stored.tags.t149).toBe('x149');
    });

    it('keeps a parameter immutable but accepts the same value again', async () => {
      const run = await fixture.tracker.startRun({ experiment: 'params', name: 'p' });
      await run.logParams({ lr: 0.001 });
      await run.logParams({ lr: 0.001 });
      const error = await run.logParams({ lr: 0.01 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainError);
      expect((error as TrainError).message).toMatch(/lr/);
      expect((await fixture.read(run.id)).params.lr).toBe('0.001');
    });

    it('drops non-finite metric values', async () => {
      const run = await fixture.tracker.startRun({ experiment: 'nan', name: 'n' });
      await run.logMetrics([
        { key: 'loss', value: 1, step: 0 },
        { key: 'loss', value: Number.NaN, step: 1 },
        { key: 'loss', value: Number.POSITIVE_INFINITY, step: 2 },
      ]);
      expect((await fixture.read(run.id)).metrics).toEqual([{ key: 'loss', value: 1, step: 0 }]);
    });

    it('stores artifacts under relative paths and rejects escaping ones', async () => {
      const run = await fixture.tracker.startRun({ experiment: 'art', name: 'a' });
      await run.logArtifact('policy/policy.onnx', new Uint8Array([1, 2, 3]));
      await run.logArtifact('curve.svg', '<svg/>');
      const stored = await fixture.read(run.id);
      expect(stored.artifacts.get('policy/policy.onnx')).toEqual(Buffer.from([1, 2, 3]));
      expect(stored.artifacts.get('curve.svg')?.toString()).toBe('<svg/>');
      await expect(run.logArtifact('../escape', 'x')).rejects.toBeInstanceOf(TrainError);
    });

    it('finishes a run with a status and end time, and resumes it', async () => {
      const run = await fixture.tracker.startRun({ experiment: 'life', name: 'l' });
      await run.logMetrics([{ key: 'loss', value: 2, step: 0 }]);
      await run.finish('FAILED');
      const failed = await fixture.read(run.id);
      expect(failed.status).toBe('FAILED');
      expect(failed.endTime).toBeGreaterThan(0);
      const resumed = await fixture.tracker.resumeRun(run.id);
      expect(resumed.id).toBe(run.id);
      expect((await fixture.read(run.id)).status).toBe('RUNNING');
      await resumed.logMetrics([{ key: 'loss', value: 1, step: 1 }]);
      await resumed.finish('FINISHED');
      const done = await fixture.read(run.id);
      expect(done.status).toBe('FINISHED');
      expect(done.metrics.map((m) => m.value)).toEqual([2, 1]);
    });

    it('refuses to resume a run it does not know', async () => {
      await expect(fixture.tracker.resumeRun('0'.repeat(32))).rejects.toBeInstanceOf(TrainError);
    });
  });
}
