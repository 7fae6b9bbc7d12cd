import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RegistryError } from '../RegistryError.js';
import { checkExpected } from './checkExpected.js';
import { MIGRATIONS } from './migrations.js';
import type {
  AliasMove,
  AliasMoveRequest,
  ModelMetadataStore,
  ModelSearch,
  ModelVersion,
  NewModelVersion,
} from './ModelMetadataStore.js';
import {
  searchClause,
  toAliasMove,
  toModelVersion,
  type AliasHistoryRow,
  type VersionRow,
} from './versionRows.js';

/** Options for {@link SqliteMetadataStore}. */
export interface SqliteMetadataStoreOptions {
  /** Database file (created with its directory); `:memory:` for a private in-memory store. */
  readonly file: string;
  /** How long a writer waits for another process's write lock, in ms (default 10 000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Registry metadata in one SQLite file (WAL mode). Writes run in `BEGIN IMMEDIATE` transactions,
 * so several processes sharing the file serialise their version numbering and alias moves.
 */
export class SqliteMetadataStore implements ModelMetadataStore {
  readonly #db: Database.Database;

  constructor(options: SqliteMetadataStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
    this.#db = new Database(options.file);
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('foreign_keys = ON');
    this.#migrate();
  }

  /** Schema versions applied to this database, in order. */
  appliedMigrations(): number[] {
    return this.#db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      .all()
      .map((r) => r.version);
  }

  #migrate(): void {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const apply = this.#db.transaction(() => {
      const done = new Set(this.appliedMigrations());
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        this.#db.exec(migration.sqlite);
        this.#db
          .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
          .run(migration.version, new Date().toISOString());
      }
    });
    apply.immediate();
  }

  createVersion(input: NewModelVersion): Promise<ModelVersion> {
    return this.#run(() => {
      const create = this.#db.transaction(() => {
        const at = input.createdAt.toISOString();
        this.#db
          .prepare(
            'INSERT INTO models (name, next_version, created_at) VALUES (?, 1, ?) ON CONFLICT (name) DO NOTHING',
          )
          .run(input.name, at);
        const { version } = this.#db
          .prepare<[string], { version: number }>(
            'UPDATE models SET next_version = next_version + 1 WHERE name = ? RETURNING next_version - 1 AS version',
          )
          .get(input.name) as { version: number };
        this.#db
          .prepare(
            `INSERT INTO model_versions (model, version, digests_sha256, contract_sha256, contract_json, files_json,
               run_id, dataset_version, code_version, parent_run_id, signature_key_id, source, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.name,
            version,
            input.digestsSha256,
            input.contractSha256,
            JSON.stringify(input.contract),
            JSON.stringify(input.files),
            input.lineage.runId ?? null,
            input.lineage.datasetVersion ?? null,
            input.lineage.codeVersion ?? null,
            input.lineage.parentRunId ?? null,
            input.signatureKeyId ?? null,
            input.source ?? null,
            at,
          );
        this.#insertTags(input.name, version, input.tags);
        const metric = this.#db.prepare(
          'INSERT INTO version_metrics (model, version, name, value) VALUES (?, ?, ?, ?)',
        );
        for (const [name, value] of Object.entries(input.metrics))
          metric.run(input.name, version, name, value);
        return version;
      });
      return this.#load(input.name, create.immediate()) as ModelVersion;
    });
  }

  getVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    return this.#run(() => this.#load(name, version));
  }

  listVersions(name: string): Promise<ModelVersion[]> {
    return this.search({ name });
  }

  listModels(): Promise<{ name: string; latestVersion: number; versions: number }[]> {
    return this.#run(() =>
      this.#db
        .prepare<[], { name: string; latestVersion: number; versions: number }>(
          `SELECT model AS name, MAX(version) AS latestVersion, COUNT(*) AS versions
           FROM model_versions GROUP BY model ORDER BY model`,
        )
        .all(),
    );
  }

  search(query: ModelSearch): Promise<ModelVersion[]> {
    return this.#run(() => {
      const { where, params } = searchClause(query, () => '?');
      const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
      const rows = this.#db
        .prepare<(string | number)[], VersionRow>(
          `SELECT v.* FROM model_versions v ${where} ORDER BY v.model, v.version DESC${limit}`,
        )
        .all(...params);
      return rows.map((row) => this.#withExtras(row));
    });
  }

  addTags(name: string, version: number, tags: readonly string[]): Promise<void> {
    return this.#run(() => {
      const add = this.#db.transaction(() => {
        this.#requireVersion(name, version);
        this.#insertTags(name, version, tags);
      });
      add.immediate();
    });
  }

  moveAlias(request: AliasMoveRequest): Promise<AliasMove> {
    return this.#run(() => {
      const move = this.#db.transaction((): AliasHistoryRow => {
        this.#requireVersion(request.model, request.version);
        const current = this.#db
          .prepare<[string, string], { version: number; revision: number }>(
            'SELECT version, revision FROM aliases WHERE model = ? AND alias = ?',
          )
          .get(request.model, request.alias);
        checkExpected(request, current?.version ?? null);
        const revision = (current?.revision ?? 0) + 1;
        const at = request.at.toISOString();
        this.#db
          .prepare(
            `INSERT INTO aliases (model, alias, version, revision, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, revision = excluded.revision,
               updated_at = excluded.updated_at`,
          )
          .run(request.model, request.alias, request.version, revision, at);
        const row: AliasHistoryRow = {
          model: request.model,
          alias: request.alias,
          version: request.version,
          previous_version: current?.version ?? null,
          revision,
          moved_at: at,
          actor: request.actor ?? null,
          reason: request.reason ?? null,
        };
        this.#db
          .prepare(
            `INSERT INTO alias_history (model, alias, version, previous_version, revision, moved_at, actor, reason)
             VALUES (@model, @alias, @version, @previous_version, @revision, @moved_at, @actor, @reason)`,
          )
          .run(row);
        return row;
      });
      return toAliasMove(move.immediate());
    });
  }

  getAlias(model: string, alias: string): Promise<number | undefined> {
    return this.#run(
      () =>
        this.#db
          .prepare<[string, string], { version: number }>(
            'SELECT version FROM aliases WHERE model = ? AND alias = ?',
          )
          .get(model, alias)?.version,
    );
  }

  aliasHistory(model: string, alias: string): Promise<AliasMove[]> {
    return this.#run(() =>
      this.#db
        .prepare<[string, string], AliasHistoryRow>(
          'SELECT * FROM alias_history WHERE model = ? AND alias = ? ORDER BY revision',
        )
        .all(model, alias)
        .map(toAliasMove),
    );
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }

  #insertTags(name: string, version: number, tags: readonly string[]): void {
    const tag = this.#db.prepare(
      'INSERT INTO version_tags (model, version, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    for (const t of tags) tag.run(name, version, t);
  }

  #requireVersion(name: string, version: number): void {
    const row = this.#db
      .prepare('SELECT 1 FROM model_versions WHERE model = ? AND version = ?')
      .get(name, version);
    if (row === undefined) {
      throw new RegistryError('VERSION_NOT_FOUND', `model ${name} has no version ${version}`);
    }
  }

  #load(name: string, version: number): ModelVersion | undefined {
    const row = this.#db
      .prepare<[string, number], VersionRow>('SELECT * FROM model_versions WHERE model = ? AND version = ?')
      .get(name, version);
    return row === undefined ? undefined : this.#withExtras(row);
  }

  #withExtras(row: VersionRow): ModelVersion {
    const key = [row.model, Number(row.version)] as const;
    const tags = this.#db
      .prepare<[string, number], { tag: string }>(
        'SELECT tag FROM version_tags WHERE model = ? AND version = ?',
      )
      .all(...key)
      .map((r) => r.tag);
    const metrics = Object.fromEntries(
      this.#db
        .prepare<[string, number], { name: string; value: number }>(
          'SELECT name, value FROM version_metrics WHERE model = ? AND version = ? ORDER BY name',
        )
        .all(...key)
        .map((r) => [r.name, r.value]),
    );
    const aliases = this.#db
      .prepare<[string, number], { alias: string }>(
        'SELECT alias FROM aliases WHERE model = ? AND version = ?',
      )
      .all(...key)
      .map((r) => r.alias);
    return toModelVersion(row, { tags, metrics, aliases });
  }

  /** Runs a synchronous database call, turning driver errors into rejected promises. */
  #run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      if (error instanceof RegistryError) return Promise.reject(error);
      return Promise.reject(
        new RegistryError('METADATA_STORE_FAILED', `SQLite metadata store: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
  }
}
