import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { describeBlobStoreContract } from './blobStore.case.js';
import { DirectoryBlobStore } from './DirectoryBlobStore.js';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

describeBlobStoreContract('directory', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'fleetloop-blobs-'));
  roots.push(root);
  return {
    store: new DirectoryBlobStore({ root }),
    corrupt: async (digest, bytes) => {
      const hex = digest.slice('sha256:'.length);
      await writeFile(path.join(root, 'sha256', hex.slice(0, 2), hex), bytes);
    },
  };
});
