import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.js';
import { startServerProcess } from './serverProcess.js';

/** A throw-away CNCF distribution registry on 127.0.0.1 (plain HTTP). */
export interface TestOciRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** Filesystem storage root; blobs live under `docker/registry/v2/blobs/sha256/<ab>/<hex>/data`. */
  readonly storageDir: string;
  /** Path of the stored blob with this `sha256:<hex>` digest. */
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

/** Options for {@link startOciRegistry}. */
export interface StartOciRegistryOptions {
  /** Extra top-level YAML for the registry config (e.g. an `auth:` section). */
  readonly extraConfig?: string;
}

/** Starts Debian's `docker-registry` (distribution 2.8) with filesystem storage in a temp dir. */
export async function startOciRegistry(options: StartOciRegistryOptions = {}): Promise<TestOciRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-oci-'));
  const storageDir = path.join(dir, 'storage');
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storageDir}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      options.extraConfig ?? '',
    ].join('\n'),
  );
  const server = await startServerProcess('/usr/bin/docker-registry', ['serve', config], {
    ready: /listening on/,
  });
  return {
    host: `127.0.0.1:${port}`,
    storageDir,
    blobPath: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return path.join(storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop: async () => {
      await server.stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
