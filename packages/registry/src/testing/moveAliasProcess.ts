/**
 * Child process for the SQLite concurrency test: `moveAliasProcess.ts FILE MODEL ALIAS MOVES VERSIONS OFFSET`
 * opens its own connection, prints `ready`, waits for a line on stdin (so that all processes start
 * together), then moves the alias MOVES times.
 */
import { once } from 'node:events';
import { SqliteMetadataStore } from '../metadata/SqliteMetadataStore.js';

const [file, model, alias, moves, versions, offset] = process.argv.slice(2);
const store = new SqliteMetadataStore({ file: file ?? '' });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();
for (let i = 0; i < Number(moves); i++) {
  const version = ((Number(offset) + i) % Number(versions)) + 1;
  await store.moveAlias({
    model: model ?? '',
    alias: alias ?? '',
    version,
    at: new Date(),
    actor: `process-${offset}`,
  });
}
await store.close();
