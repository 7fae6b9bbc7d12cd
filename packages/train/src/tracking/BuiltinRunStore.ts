import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TrainError } from '../TrainError.js';
import {
  checkArtifactPath,
  lineageTags,
  type MetricPoint,
  type ParamValue,
  type RunStatus,
  type RunTracker,
  type StartRunOptions,
  type TrackedRun,
} from './RunTracker.js';

/** Options for {@link BuiltinRunStore}. */
export interface BuiltinRunStoreOptions {
  /** Folder holding `runs.db` and `artifacts/<run id>/…`. */
  readonly root: string;
  /** Clock in milliseconds since the epoch. */
  readonly now?: () => number;
}

/** A run as the store holds it, for listing and for the tracking contract tests. */
export interface StoredRun {
  readonly id: string;
  readonly experiment: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | undefined;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly metrics: MetricPoint[];
  /** Artifact paths, sorted. */
  readonly artifacts: string[];
  readonly lineage: { datasetVersion?: string; parentRunId?: string; codeVersion?: string };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, experiment TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
  start_time INTEGER NOT NULL, end_time INTEGER,
  dataset_version TEXT, parent_run_id TEXT, code_version TEXT
);
CREATE TABLE IF NOT EXISTS params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, value REAL NOT NULL, timestamp INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics (run_id, key, step);
CREATE TABLE IF NOT EXISTS artifacts (run_id TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (run_id, path));
`;

/**
 * The embedded tracking backend: run metadata, parameters, metric curves, tags and lineage in a
 * SQLite file, artifacts as plain files beside it. Needs no server, so `fleetloop train` records
 * runs on any machine; the MLflow backend takes over where a tracking server exists.
 */
export class BuiltinRunStore implements RunTracker {
  readonly kind = 'builtin';
  readonly root: string;
  readonly #db: Database.Database;
  readonly #now: () => number;

  constructor(options: BuiltinRunStoreOptions) {
    this.root = options.root;
    this.#now = options.now ?? Date.now;
    mkdirSync(this.root, { recursive: true });
    this.#db = new Database(path.join(this.root, 'runs.db'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
  }

  startRun(options: StartRunOptions): Promise<TrackedRun> {
    const id = randomUUID().replaceAll('-', '');
    const lineage = options.lineage ?? {};
    this.#db
      .prepare(
        'INSERT INTO runs (id, experiment, name, status, start_time, dataset_version, parent_run_id, code_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        options.experiment,
        options.name,
        'RUNNING',
        this.#now(),
        lineage.datasetVersion ?? null,
        lineage.parentRunId ?? null,
        lineage.codeVersion ?? null,
      );
    this.#writeTags(id, { ...lineageTags(options.lineage), 'mlflow.runName': options.name, ...options.tags });
    return Promise.resolve(this.#handle(id));
  }

  resumeRun(id: string): Promise<TrackedRun> {
    const result = this.#db
      .prepare('UPDATE runs SET status = ?, end_time = NULL WHERE id = ?')
      .run('RUNNING', id);
    if (result.changes === 0) {
      return Promise.reject(
        new TrainError(
          'TRAIN_TRACKING_FAILED',
          `run ${id} is not in the run store ${this.root}; start a new run`,
        ),
      );
    }
    return Promise.resolve(this.#handle(id));
  }

  /** Reads a run back with everything logged to it. */
  getRun(id: string): StoredRun {
    const row = this.#db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (row === undefined)
      throw new TrainError('TRAIN_TRACKING_FAILED', `run ${id} is not in the run store ${this.root}`);
    const pairs = (table: 'params' | 'tags'): Record<string, string> =>
      Object.fromEntries(
        (
          this.#db.prepare(`SELECT key, value FROM ${table} WHERE run_id = ?`).all(id) as {
            key: string;
            value: string;
          }[]
        ).map((r) => [r.key, r.value]),
      );
    const metrics = this.#db
      .prepare('SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? ORDER BY rowid')
      .all(id) as MetricPoint[];
    const artifacts = (
      this.#db.prepare('SELECT path FROM artifacts WHERE run_id = ? ORDER BY path').all(id) as {
        path: string;
      }[]
    ).map((r) => r.path);
    const lineage: StoredRun['lineage'] = {
      ...(row.dataset_version === null ? {} : { datasetVersion: row.dataset_version }),
      ...(row.parent_run_id === null ? {} : { parentRunId: row.parent_run_id }),
      ...(row.code_version === null ? {} : { codeVersion: row.code_version }),
    };
    return {
      id,
      experiment: row.experiment,
      name: row.name,
      status: row.status,
      startTime: row.start_time,
      endTime: row.end_time ?? undefined,
      params: pairs('params'),
      tags: pairs('tags'),
      metrics,
      artifacts,
      lineage,
    };
  }

  /** Runs of an experiment, newest first. */
  listRuns(experiment: string): { id: string; name: string; status: RunStatus; startTime: number }[] {
    return (
      this.#db
        .prepare(
          'SELECT id, name, status, start_time FROM runs WHERE experiment = ? ORDER BY start_time DESC, rowid DESC',
        )
        .all(experiment) as { id: string; name: string; status: RunStatus; start_time: number }[]
    ).map((r) => ({ id: r.id, name: r.name, status: r.status, startTime: r.start_time }));
  }

  /** Contents of a stored artifact. */
  readArtifact(id: string, artifactPath: string): Promise<Buffer> {
    return readFile(path.join(this.root, 'artifacts', id, checkArtifactPath(artifactPath)));
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }

  #writeTags(id: string, tags: Readonly<Record<string, string>>): void {
    const upsert = this.#db.prepare(
      'INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
    );
    this.#db.transaction(() => {
      for (const [key, value] of Object.entries(tags)) upsert.run(id, key, value);
    })();
  }

  #handle(id: string): TrackedRun {
    const db = this.#db;
    const root = this.root;
    const now = this.#now;
    const writeTags = (tags: Readonly<Record<string, string>>): void => this.#writeTags(id, tags);
    return {
      id,
      logParams(params: Readonly<Record<string, ParamValue>>): Promise<void> {
        const existing = db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?');
        const insert = db.prepare('INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?, ?, ?)');
        // A throw inside the executor rejects the promise with the TrainError.
        return new Promise((resolve) => {
          db.transaction(() => {
            for (const [key, raw] of Object.entries(params)) {
              const value = String(raw);
              const old = existing.get(id, key) as { value: string } | undefined;
              if (old !== undefined && old.value !== value) {
                throw new TrainError(
                  'TRAIN_TRACKING_FAILED',
                  `parameter ${key} of run ${id} is already ${JSON.stringify(old.value)}; it cannot change to ${JSON.stringify(value)}`,
                );
              }
              insert.run(id, key, value);
            }
          })();
          resolve();
        });
      },
      logMetrics(points: readonly MetricPoint[]): Promise<void> {
        const insert = db.prepare(
          'INSERT INTO metrics (run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?)',
        );
        db.transaction(() => {
          for (const p of points) {
            if (Number.isFinite(p.value)) insert.run(id, p.key, p.step, p.value, p.timestamp ?? now());
          }
        })();
        return Promise.resolve();
      },
      setTags(tags: Readonly<Record<string, string>>): Promise<void> {
        writeTags(tags);
        return Promise.resolve();
      },
      async logArtifact(artifactPath: string, content: Uint8Array | string): Promise<void> {
        const file = path.join(root, 'artifacts', id, checkArtifactPath(artifactPath));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
        const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
        db.prepare(
          'INSERT INTO artifacts (run_id, path, size) VALUES (?, ?, ?) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size',
        ).run(id, artifactPath, size);
      },
      finish(status: Exclude<RunStatus, 'RUNNING'>): Promise<void> {
        db.prepare('UPDATE runs SET status = ?, end_time = ? WHERE id = ?').run(status, now(), id);
        return Promise.resolve();
      },
    };
  }
}

interface RunRow {
  experiment: string;
  name: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  dataset_version: string | null;
  parent_run_id: string | null;
  code_version: string | null;
}
