import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from './BlobStore.js';

/** Behaviour every {@link BlobStore} must show; `corrupt` overwrites a stored blob's bytes in place. */
export function describeBlobStoreContract(
  label: string,
  setup: () => Promise<{ store: BlobStore; corrupt: (digest: string, bytes: Uint8Array) => Promise<void> }>,
): void {
  describe(`${label} blob store contract`, () => {
    const bytes = new TextEncoder().encode('policy weights');

    it('stores by content digest, idempotently, and lists what it holds', async () => {
      const { store } = await setup();
      const a = await store.put(bytes);
      const b = await store.put(bytes);
      expect(a).toEqual(b);
      expect(a.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      expect(a.size).toBe(bytes.length);
      expect(Buffer.from(await store.get(a.digest)).toString()).toBe('policy weights');
      expect(await store.stat(a.digest)).toEqual(a);
      const listed: string[] = [];
      for await (const digest of store.list()) listed.push(digest);
      expect(listed).toEqual([a.digest]);
    });

    it('reports a missing blob and deletes', async () => {
      const { store } = await setup();
      const missing = `sha256:${'0'.repeat(64)}`;
      await expect(store.get(missing)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
      expect(await store.stat(missing)).toBeUndefined();
      const { digest } = await store.put(bytes);
      expect(await store.delete(digest)).toBe(true);
      expect(await store.delete(digest)).toBe(false);
    });

    it('names the digest of a blob whose stored bytes were changed', async () => {
      const { store, corrupt } = await setup();
      const { digest } = await store.put(bytes);
      await corrupt(digest, new TextEncoder().encode('policy weightz'));
      await expect(store.get(digest)).rejects.toThrow(new RegExp(`blob ${digest} .* has content sha256:`));
    });
  });
}
