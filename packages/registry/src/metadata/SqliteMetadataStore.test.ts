import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleVersion } from '../testing/sampleVersion.js';
import { describeMetadataStoreContract } from './metadataStore.case.js';
import { SqliteMetadataStore } from './SqliteMetadataStore.js';

describeMetadataStoreContract('SQLite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-sqlite-'));
  const file = path.join(dir, 'registry.sqlite');
  return {
    open: () => Promise.resolve(new SqliteMetadataStore({ file })),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('SQLite metadata store across processes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-sqlite-mp-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('never loses an alias move when several processes move the same alias at once', async () => {
    const file = path.join(dir, 'registry.sqlite');
    const store = new SqliteMetadataStore({ file });
    try {
      for (let i = 0; i < 3; i++) await store.createVersion(sampleVersion('nav'));
      const script = fileURLToPath(new URL('../testing/moveAliasProcess.ts', import.meta.url));
      const processes = 3;
      const moves = 100;
      const children = Array.from({ length: processes }, (_, k) =>
        spawn(
          process.execPath,
          ['--import', 'tsx', script, file, 'nav', 'champion', String(moves), '3', String(k)],
          {
            stdio: ['pipe', 'pipe', 'inherit'],
          },
        ),
      );
      const exits = children.map((child) => once(child, 'exit') as Promise<[number | null]>);
      await Promise.all(children.map((child) => once(child.stdout, 'data')));
      for (const child of children) child.stdin.end('go\n');
      expect((await Promise.all(exits)).map(([code]) => code)).toEqual([0, 0, 0]);
      const history = await store.aliasHistory('nav', 'champion');
      expect(history).toHaveLength(processes * moves);
      history.forEach((move, i) => {
        expect(move.revision).toBe(i + 1);
        expect(move.previousVersion).toBe(i === 0 ? null : history[i - 1]?.version);
      });
      expect(new Set(history.map((h) => h.actor))).toEqual(new Set(['process-0', 'process-1', 'process-2']));
      console.log(
        'actor switches',
        history.filter((h, i) => i > 0 && h.actor !== history[i - 1]?.actor).length,
      );
      expect(await store.getAlias('nav', 'champion')).toBe(history.at(-1)?.version);
    } finally {
      await store.close();
    }
  });

  it('records the applied migrations', () => {
    const store = new SqliteMetadataStore({ file: ':memory:' });
    expect(store.appliedMigrations()).toEqual([1]);
    return store.close();
  });
});
