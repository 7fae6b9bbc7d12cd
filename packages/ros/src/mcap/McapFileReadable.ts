import { open, type FileHandle } from 'node:fs/promises';
import type { McapTypes } from '@mcap/core';

/** Random-access `IReadable` over a file for `McapIndexedReader`. */
export class McapFileReadable implements McapTypes.IReadable {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #size: bigint;

  private constructor(path: string, handle: FileHandle, size: bigint) {
    this.path = path;
    this.#handle = handle;
    this.#size = size;
  }

  static async open(path: string): Promise<McapFileReadable> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new McapFileReadable(path, handle, BigInt(size));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  size(): Promise<bigint> {
    return Promise.resolve(this.#size);
  }

  async read(offset: bigint, size: bigint): Promise<Uint8Array> {
    if (offset + size > this.#size) {
      throw new RangeError(
        `read of ${size} bytes at ${offset} is past the end of ${this.path} (${this.#size} bytes)`,
      );
    }
    const buffer = new Uint8Array(Number(size));
    let done = 0;
    while (done < buffer.byteLength) {
      const { bytesRead } = await this.#handle.read(
        buffer,
        done,
        buffer.byteLength - done,
        Number(offset) + done,
      );
      if (bytesRead === 0) {
        throw new RangeError(`${this.path} ended at ${Number(offset) + done} bytes while reading`);
      }
      done += bytesRead;
    }
    return buffer;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}
