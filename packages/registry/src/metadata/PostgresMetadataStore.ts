import pg from 'pg';
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

/** Options for {@link PostgresMetadataStore}. */
export interface PostgresMetadataStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Connections in the pool (default 4). */
  readonly maxConnections?: number;
  /**
   * Called when an idle pooled connection breaks (server restart, network); the pool drops it and
   * opens a new one on the next query. Default: ignored, since the next query reports any outage.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** Arbitrary fixed key of the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 7_420_001;

/**
 * Registry metadata in PostgreSQL, for control planes with several replicas. Version numbering and
 * alias moves lock the model's row (`SELECT … FOR UPDATE`), so concurrent writers from any number
 * of processes serialise per model; migrations run under an advisory lock.
 */
export class PostgresMetadataStore implements ModelMetadataStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects and applies pending migrations. */
  static async open(options: PostgresMetadataStoreOptions): Promise<PostgresMetadataStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
    });
    const store = new PostgresMetadataStore(pool);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end();
      throw wrap(error);
    }
    return store;
  }

  /** Schema versions applied to this database, in order. */
  async appliedMigrations(): Promise<number[]> {
    const result = await this.#pool.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return result.rows.map((r) => Number(r.version));
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (r) => r.version,
        ),
      );
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          migration.version,
          new Date().toISOString(),
        ]);
      }
    });
  }

  async createVersion(input: NewModelVersion): Promise<ModelVersion> {
    const version = await this.#transaction(async (client) => {
      const at = input.createdAt.toISOString();
      await client.query(
        'INSERT INTO models (name, next_version, created_at) VALUES ($1, 1, $2) ON CONFLICT (name) DO NOTHING',
        [input.name, at],
      );
      const numbered = await client.query<{ version: number }>(
        'UPDATE models SET next_version = next_version + 1 WHERE name = $1 RETURNING next_version - 1 AS version',
        [input.name],
      );
      const version = Number(numbered.rows[0]?.version);
      await client.query(
        `INSERT INTO model_versions (model, version, digests_sha256, contract_sha256, contract_json, files_json,
           run_id, dataset_version, code_version, parent_run_id, signature_key_id, source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
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
        ],
      );
      await insertTags(client, input.name, version, input.tags);
      for (const [name, value] of Object.entries(input.metrics)) {
        await client.query(
          'INSERT INTO version_metrics (model, version, name, value) VALUES ($1, $2, $3, $4)',
          [input.name, version, name, value],
        );
      }
      return version;
    });
    return (await this.getVersion(input.name, version)) as ModelVersion;
  }

  async getVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    const result = await this.#query<VersionRow>(
      'SELECT * FROM model_versions WHERE model = $1 AND version = $2',
      [name, version],
    );
    const row = result[0];
    return row === undefined ? undefined : this.#withExtras(row);
  }

  listVersions(name: string): Promise<ModelVersion[]> {
    return this.search({ name });
  }

  async listModels(): Promise<{ name: string; latestVersion: number; versions: number }[]> {
    const rows = await this.#query<{ name: string; latest: number; versions: string }>(
      `SELECT model AS name, MAX(version) AS latest, COUNT(*) AS versions
       FROM model_versions GROUP BY model ORDER BY model`,
    );
    return rows.map((r) => ({ name: r.name, latestVersion: Number(r.latest), versions: Number(r.versions) }));
  }

  async search(query: ModelSearch): Promise<ModelVersion[]> {
    const { where, params } = searchClause(query, (i) => `$${i}`);
    const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.limit))}`;
    const rows = await this.#query<VersionRow>(
      `SELECT v.* FROM model_versions v ${where} ORDER BY v.model, v.version DESC${limit}`,
      params,
    );
    return Promise.all(rows.map((row) => this.#withExtras(row)));
  }

  async addTags(name: string, version: number, tags: readonly string[]): Promise<void> {
    await this.#transaction(async (client) => {
      await requireVersion(client, name, version);
      await insertTags(client, name, version, tags);
    });
  }

  async moveAlias(request: AliasMoveRequest): Promise<AliasMove> {
    const row = await this.#transaction(async (client): Promise<AliasHistoryRow> => {
      // Locking the model row serialises every alias move of this model across connections.
      await client.query('SELECT 1 FROM models WHERE name = $1 FOR UPDATE', [request.model]);
      await requireVersion(client, request.model, request.version);
      const current = (
        await client.query<{ version: number; revision: number }>(
          'SELECT version, revision FROM aliases WHERE model = $1 AND alias = $2',
          [request.model, request.alias],
        )
      ).rows[0];
      checkExpected(request, current === undefined ? null : Number(current.version));
      const revision = Number(current?.revision ?? 0) + 1;
      const at = request.at.toISOString();
      await client.query(
        `INSERT INTO aliases (model, alias, version, revision, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, revision = excluded.revision,
           updated_at = excluded.updated_at`,
        [request.model, request.alias, request.version, revision, at],
      );
      const history: AliasHistoryRow = {
        model: request.model,
        alias: request.alias,
        version: request.version,
        previous_version: current === undefined ? null : Number(current.version),
        revision,
        moved_at: at,
        actor: request.actor ?? null,
        reason: request.reason ?? null,
      };
      await client.query(
        `INSERT INTO alias_history (model, alias, version, previous_version, revision, moved_at, actor, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          history.model,
          history.alias,
          history.version,
          history.previous_version,
          history.revision,
          history.moved_at,
          history.actor,
          history.reason,
        ],
      );
      return history;
    });
    return toAliasMove(row);
  }

  async getAlias(model: string, alias: string): Promise<number | undefined> {
    const rows = await this.#query<{ version: number }>(
      'SELECT version FROM aliases WHERE model = $1 AND alias = $2',
      [model, alias],
    );
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  }

  async aliasHistory(model: string, alias: string): Promise<AliasMove[]> {
    const rows = await this.#query<AliasHistoryRow>(
      'SELECT * FROM alias_history WHERE model = $1 AND alias = $2 ORDER BY revision',
      [model, alias],
    );
    return rows.map(toAliasMove);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #withExtras(row: VersionRow): Promise<ModelVersion> {
    const key = [row.model, Number(row.version)];
    const [tags, metrics, aliases] = await Promise.all([
      this.#query<{ tag: string }>('SELECT tag FROM version_tags WHERE model = $1 AND version = $2', key),
      this.#query<{ name: string; value: number }>(
        'SELECT name, value FROM version_metrics WHERE model = $1 AND version = $2 ORDER BY name',
        key,
      ),
      this.#query<{ alias: string }>('SELECT alias FROM aliases WHERE model = $1 AND version = $2', key),
    ]);
    return toModelVersion(row, {
      tags: tags.map((r) => r.tag),
      metrics: Object.fromEntries(metrics.map((r) => [r.name, Number(r.value)])),
      aliases: aliases.map((r) => r.alias),
    });
  }

  async #query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw wrap(error);
    }
  }

  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect().catch((error: unknown) => Promise.reject(wrap(error)));
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(error);
    } finally {
      client.release();
    }
  }
}

async function insertTags(
  client: pg.PoolClient,
  name: string,
  version: number,
  tags: readonly string[],
): Promise<void> {
  for (const tag of tags) {
    await client.query(
      'INSERT INTO version_tags (model, version, tag) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [name, version, tag],
    );
  }
}

async function requireVersion(client: pg.PoolClient, name: string, version: number): Promise<void> {
  const found = await client.query('SELECT 1 FROM model_versions WHERE model = $1 AND version = $2', [
    name,
    version,
  ]);
  if (found.rowCount === 0)
    throw new RegistryError('VERSION_NOT_FOUND', `model ${name} has no version ${version}`);
}

function wrap(error: unknown): Error {
  if (error instanceof RegistryError) return error;
  return new RegistryError(
    'METADATA_STORE_FAILED',
    `PostgreSQL metadata store: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}
