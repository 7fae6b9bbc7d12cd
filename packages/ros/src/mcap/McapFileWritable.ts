import { open, type FileHandle } from 'node:fs/promises';
import type { IWritable } from '@mcap/core';

/** `IWritable` over a file: appends, counting the bytes written for the MCAP index offsets. */
export class McapFileWritable implements IWritable {
  readonly path: string;
  readonly #handle: FileHandle;
  #position = 0n;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Creates (or truncates) the file. */
  static async create(path: string): Promise<McapFileWritable> {
    return new McapFileWritable(path, await open(path, 'w'));
  }

  async write(buffer: Uint8Array): Promise<void> {
    let written = 0;
    while (written < buffer.byteLength) {
      const { bytesWritten } = await this.#handle.write(buffer, written, buffer.byteLength - written);
      written += bytesWritten;
    }
    this.#position += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.#position;
  }

  /** Flushes to disk and closes the file. */
  async close(): Promise<void> {
    await this.#handle.sync();
    await this.#handle.close();
  }
}
