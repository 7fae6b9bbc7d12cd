import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../contract/digests.js';
import { RegistryError } from '../RegistryError.js';
import type { BlobDescriptor, BlobStore } from './BlobStore.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/**
 * Blobs as files `<root>/sha256/<first two hex>/<hex>`, written to a temporary file and renamed into
 * place so that a reader never sees a partial blob.
 */
export class DirectoryBlobStore implements BlobStore {
  readonly #root: string;

  constructor(options: { root: string }) {
    this.#root = options.root;
  }

  /** The directory holding the blobs. */
  get root(): string {
    return this.#root;
  }

  async put(bytes: Uint8Array): Promise<BlobDescriptor> {
    const hex = sha256Hex(bytes);
    const target = this.#path(hex);
    const descriptor = { digest: `sha256:${hex}`, size: bytes.length };
    if ((await this.stat(descriptor.digest)) !== undefined) return descriptor;
    const tmpDir = path.join(this.#root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    return descriptor;
  }

  async get(digest: string): Promise<Uint8Array> {
    const hex = parseDigest(digest);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(hex));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RegistryError('BLOB_NOT_FOUND', `blob ${digest} is not in ${this.#root}`, { cause: error });
      }
      throw error;
    }
    const actual = sha256Hex(bytes);
    if (actual !== hex) {
      throw new RegistryError(
        'BLOB_DIGEST_MISMATCH',
        `blob ${digest} in ${this.#root} has content sha256:${actual}: the stored file was changed; register the package again`,
      );
    }
    return bytes;
  }

  async stat(digest: string): Promise<BlobDescriptor | undefined> {
    try {
      const info = await stat(this.#path(parseDigest(digest)));
      return { digest, size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(digest: string): Promise<boolean> {
    const present = (await this.stat(digest)) !== undefined;
    await rm(this.#path(parseDigest(digest)), { force: true });
    return present;
  }

  async *list(): AsyncIterable<string> {
    const base = path.join(this.#root, 'sha256');
    let prefixes: string[];
    try {
      prefixes = (await readdir(base)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const prefix of prefixes) {
      for (const name of (await readdir(path.join(base, prefix))).sort()) {
        if (/^[0-9a-f]{64}$/.test(name)) yield `sha256:${name}`;
      }
    }
  }

  #path(hex: string): string {
    return path.join(this.#root, 'sha256', hex.slice(0, 2), hex);
  }
}

function parseDigest(digest: string): string {
  const hex = DIGEST.exec(digest)?.[1];
  if (hex === undefined) {
    throw new RegistryError('BLOB_NOT_FOUND', `"${digest}" is not a sha256 digest (sha256:<64 hex>)`);
  }
  return hex;
}
