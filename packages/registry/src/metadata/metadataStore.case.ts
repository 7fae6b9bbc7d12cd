import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleVersion } from '../testing/sampleVersion.js';
import type { ModelMetadataStore } from './ModelMetadataStore.js';

/** A database that tests may open several connections to. */
export interface MetadataStoreFixture {
  /** Opens a new connection (its own pool / handle) to the same database. */
  open(): Promise<ModelMetadataStore>;
  cleanup(): Promise<void>;
}

/** The behaviour every {@link ModelMetadataStore} implementation must show. */
export function describeMetadataStoreContract(
  label: string,
  setup: () => Promise<MetadataStoreFixture>,
): void {
  describe(`${label} metadata store contract`, () => {
    let fixture: MetadataStoreFixture;
    let store: ModelMetadataStore;
    let n = 0;
    const model = (): string => `model-${++n}`;

    beforeAll(async () => {
      fixture = await setup();
      store = await fixture.open();
    });
    afterAll(async () => {
      await store?.close();
      await fixture?.cleanup();
    });

    it('numbers versions 1, 2, 3 per model name and keeps contract, metrics, tags and lineage', async () => {
      const a = model();
      const b = model();
      const v1 = await store.createVersion(
        sampleVersion(a, { tags: ['nav', 'sim'], metrics: { successRate: 0.8 } }),
      );
      const v2 = await store.createVersion(sampleVersion(a));
      const other = await store.createVersion(sampleVersion(b));
      expect([v1.version, v2.version, other.version]).toEqual([1, 2, 1]);
      const read = await store.getVersion(a, 1);
      expect(read).toMatchObject({
        name: a,
        version: 1,
        tags: ['nav', 'sim'],
        metrics: { successRate: 0.8 },
        lineage: { runId: 'run-1', datasetVersion: 'nav@1', codeVersion: 'abc' },
        files: [{ path: 'policy.onnx', size: 123 }],
      });
      expect(read?.contract.observation.size).toBe(26);
      expect(read?.createdAt.toISOString()).toBe('2026-12-01T10:00:00.000Z');
      expect((await store.listVersions(a)).map((v) => v.version)).toEqual([2, 1]);
      expect(await store.getVersion(a, 3)).toBeUndefined();
    });

    it('gives concurrent registrations from several connections distinct consecutive numbers', async () => {
      const name = model();
      const connections = await Promise.all([fixture.open(), fixture.open(), fixture.open()]);
      try {
        const created = await Promise.all(
          connections.flatMap((c) => Array.from({ length: 5 }, () => c.createVersion(sampleVersion(name)))),
        );
        expect(created.map((v) => v.version).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 15 }, (_, i) => i + 1),
        );
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
    });

    it('moves aliases, keeps their history and refuses a stale compare-and-set', async () => {
      const name = model();
      for (let i = 0; i < 3; i++) await store.createVersion(sampleVersion(name));
      const at = new Date('2026-12-02T00:00:00Z');
      await store.moveAlias({ model: name, alias: 'champion', version: 1, at, actor: 'ci' });
      await store.moveAlias({
        model: name,
        alias: 'champion',
        version: 3,
        at,
        expectedVersion: 1,
        reason: 'better',
      });
      await expect(
        store.moveAlias({ model: name, alias: 'champion', version: 2, at, expectedVersion: 1 }),
      ).rejects.toMatchObject({ code: 'ALIAS_CONFLICT' });
      await expect(store.moveAlias({ model: name, alias: 'champion', version: 9, at })).rejects.toMatchObject(
        {
          code: 'VERSION_NOT_FOUND',
        },
      );
      expect(await store.getAlias(name, 'champion')).toBe(3);
      expect(await store.getAlias(name, 'challenger')).toBeUndefined();
      const history = await store.aliasHistory(name, 'champion');
      expect(history.map((h) => [h.previousVersion, h.version, h.revision])).toEqual([
        [null, 1, 1],
        [1, 3, 2],
      ]);
      expect(history[0]?.actor).toBe('ci');
      expect(history[1]?.reason).toBe('better');
      expect((await store.getVersion(name, 3))?.aliases).toEqual(['champion']);
    });

    it('never loses an alias move when several connections move the same alias at once', async () => {
      const name = model();
      for (let i = 0; i < 4; i++) await store.createVersion(sampleVersion(name));
      const connections = await Promise.all([fixture.open(), fixture.open(), fixture.open(), fixture.open()]);
      const movesEach = 15;
      try {
        await Promise.all(
          connections.map(async (c, k) => {
            for (let i = 0; i < movesEach; i++) {
              await c.moveAlias({
                model: name,
                alias: 'champion',
                version: ((k + i) % 4) + 1,
                at: new Date(),
              });
            }
          }),
        );
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
      const history = await store.aliasHistory(name, 'champion');
      expect(history).toHaveLength(connections.length * movesEach);
      history.forEach((move, i) => {
        expect(move.revision).toBe(i + 1);
        expect(move.previousVersion).toBe(i === 0 ? null : history[i - 1]?.version);
      });
      expect(await store.getAlias(name, 'champion')).toBe(history.at(-1)?.version);
    });

    it('searches by name pattern, tag, alias and metric', async () => {
      const nav = `search-nav-${n}`;
      const arm = `search-arm-${n}`;
      await store.createVersion(sampleVersion(nav, { metrics: { successRate: 0.7 }, tags: ['sim'] }));
      await store.createVersion(
        sampleVersion(nav, { metrics: { successRate: 0.95, collisions: 1 }, tags: ['field'] }),
      );
      await store.createVersion(sampleVersion(arm, { metrics: { successRate: 0.91 }, tags: ['sim'] }));
      await store.moveAlias({ model: arm, alias: 'champion', version: 1, at: new Date() });
      const key = (vs: { name: string; version: number }[]): string[] =>
        vs.map((v) => `${v.name}:${v.version}`);
      expect(key(await store.search({ name: `search-*-${n}` }))).toEqual([
        `${arm}:1`,
        `${nav}:2`,
        `${nav}:1`,
      ]);
      expect(key(await store.search({ name: `search-*-${n}`, tag: 'sim' }))).toEqual([
        `${arm}:1`,
        `${nav}:1`,
      ]);
      expect(key(await store.search({ name: `search-*-${n}`, alias: 'champion' }))).toEqual([`${arm}:1`]);
      expect(
        key(
          await store.search({
            name: `search-*-${n}`,
            metrics: [{ name: 'successRate', op: '>=', value: 0.9 }],
          }),
        ),
      ).toEqual([`${arm}:1`, `${nav}:2`]);
      expect(
        key(
          await store.search({
            name: `search-*-${n}`,
            metrics: [
              { name: 'successRate', op: '>', value: 0.9 },
              { name: 'collisions', op: '<', value: 2 },
            ],
          }),
        ),
      ).toEqual([`${nav}:2`]);
      await store.addTags(nav, 1, ['reviewed']);
      expect(key(await store.search({ tag: 'reviewed' }))).toEqual([`${nav}:1`]);
      const models = await store.listModels();
      expect(models.find((m) => m.name === nav)).toEqual({ name: nav, latestVersion: 2, versions: 2 });
    });

    it('applies migrations once: reopening the database keeps the data', async () => {
      const name = model();
      await store.createVersion(sampleVersion(name));
      const again = await fixture.open();
      try {
        expect((await again.getVersion(name, 1))?.name).toBe(name);
      } finally {
        await again.close();
      }
    });
  });
}
