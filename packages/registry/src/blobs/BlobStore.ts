/** A stored blob: its content digest and size. */
export interface BlobDescriptor {
  /** `sha256:<hex>`. */
  readonly digest: string;
  readonly size: number;
}

/**
 * Content-addressed blob storage for package files. The key of every blob is the sha256 of its
 * content, so writes are idempotent and a reader can verify what it got. Implementations: a local
 * directory ({@link DirectoryBlobStore}); object stores (Azure Blob, S3) fit the same five calls
 * (put object, get object, head, delete, list by prefix).
 */
export interface BlobStore {
  /** Stores the bytes under their digest (no-op when present). */
  put(bytes: Uint8Array): Promise<BlobDescriptor>;
  /**
   * Reads a blob and verifies its digest.
   *
   * @throws {RegistryError} `BLOB_NOT_FOUND`, or `BLOB_DIGEST_MISMATCH` naming the digest when the
   *   stored bytes were changed.
   */
  get(digest: string): Promise<Uint8Array>;
  /** Size of a stored blob, or undefined when absent. */
  stat(digest: string): Promise<BlobDescriptor | undefined>;
  /** Removes a blob; resolves false when it was absent. */
  delete(digest: string): Promise<boolean>;
  /** Every stored digest. */
  list(): AsyncIterable<string>;
}
