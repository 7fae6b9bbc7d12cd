import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.js';
import { startServerProcess } from './serverProcess.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** A throw-away PostgreSQL server on 127.0.0.1. */
export interface TestPostgres {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * Initialises a cluster in a temporary directory and starts PostgreSQL 15 on a free loopback port.
 * As root the server runs as the `postgres` user (it refuses to run as root), spawned directly with
 * that uid so that stopping it signals the server itself.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-pg-'));
  let ids: { uid: number; gid: number } | Record<string, never> = {};
  if (userInfo().uid === 0) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
    ids = { uid, gid };
  }
  const data = path.join(dir, 'data');
  await run(`${BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
    ...ids,
    cwd: dir,
  });
  const port = await freePort();
  const server = await startServerProcess(
    `${BIN}/postgres`,
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
    ],
    { ready: /database system is ready to accept connections/, cwd: dir, ...ids },
  );
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      // Smart shutdown: waits for clients that are still closing instead of killing their sessions.
      await server.stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
