import path from 'node:path';
import { DirectoryBlobStore } from '../blobs/DirectoryBlobStore.js';
import type { ModelMetadataStore } from '../metadata/ModelMetadataStore.js';
import { PostgresMetadataStore } from '../metadata/PostgresMetadataStore.js';
import { SqliteMetadataStore } from '../metadata/SqliteMetadataStore.js';
import { ModelRegistry } from './ModelRegistry.js';

/** Options for {@link openLocalRegistry}. */
export interface OpenLocalRegistryOptions {
  /** Registry directory: `blobs/` and, without `databaseUrl`, `registry.sqlite`. */
  readonly dir: string;
  /** PostgreSQL connection string; when set, metadata lives there instead of SQLite. */
  readonly databaseUrl?: string | undefined;
  readonly now?: () => Date;
}

/** Opens a registry whose blobs are in `<dir>/blobs` and whose metadata is SQLite or PostgreSQL. */
export async function openLocalRegistry(options: OpenLocalRegistryOptions): Promise<ModelRegistry> {
  const metadata: ModelMetadataStore =
    options.databaseUrl === undefined
      ? new SqliteMetadataStore({ file: path.join(options.dir, 'registry.sqlite') })
      : await PostgresMetadataStore.open({ connectionString: options.databaseUrl });
  return new ModelRegistry({
    metadata,
    blobs: new DirectoryBlobStore({ root: path.join(options.dir, 'blobs') }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/**
 * The registry directory: the `--store` option, else `FLEETLOOP_REGISTRY_DIR`, else
 * `<dataDir>/registry`, with dataDir from the caller's configuration, else `FLEETLOOP_DATA_DIR`,
 * else `.fleetloop`; relative paths are taken from `cwd`.
 */
export function resolveRegistryDir(options: {
  store?: string | undefined;
  dataDir?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const chosen = nonEmpty(options.store) ?? nonEmpty(env.FLEETLOOP_REGISTRY_DIR);
  if (chosen !== undefined) return path.resolve(cwd, chosen);
  const dataDir = nonEmpty(options.dataDir) ?? nonEmpty(env.FLEETLOOP_DATA_DIR) ?? '.fleetloop';
  return path.resolve(cwd, dataDir, 'registry');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
