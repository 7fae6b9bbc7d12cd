import type { McapTypes } from '@mcap/core';
import * as wasmZstd from '@foxglove/wasm-zstd';
import { decompress as zstdDecompress } from 'fzstd';
import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4js';
import { RosError } from '../msg/RosError.js';

/** How MCAP chunks are compressed: `zstd` is smaller, `lz4` is cheaper on a robot's CPU. */
export type McapCompression = 'lz4' | 'zstd' | 'none';

/** Chunk compressor for `McapWriter`; zstd needs {@link loadZstd} first. */
export function chunkCompressor(
  compression: McapCompression,
): ((data: Uint8Array) => { compression: string; compressedData: Uint8Array }) | undefined {
  switch (compression) {
    case 'none':
      return undefined;
    case 'lz4':
      return (data) => ({ compression: 'lz4', compressedData: lz4Compress(data) });
    case 'zstd':
      return (data) => ({ compression: 'zstd', compressedData: wasmZstd.compress(data, 3) });
  }
}

/** The zstd compressor is WebAssembly: it must finish loading before the first chunk. */
export async function loadZstd(): Promise<void> {
  await wasmZstd.isLoaded;
}

function checkedSize(kind: string, out: Uint8Array, expected: bigint): Uint8Array {
  if (BigInt(out.byteLength) !== expected) {
    throw new RosError(
      'ROS_MCAP_INVALID',
      `MCAP ${kind} chunk decompressed to ${out.byteLength} bytes, its header says ${expected}: the file is corrupt.`,
    );
  }
  return out;
}

/** Decompressors for every chunk compression fleetloop reads (lz4 via lz4js, zstd via fzstd). */
export const MCAP_DECOMPRESS_HANDLERS: McapTypes.DecompressHandlers = {
  lz4: (buffer, size) => checkedSize('lz4', lz4Decompress(buffer, Number(size)), size),
  zstd: (buffer, size) => checkedSize('zstd', zstdDecompress(buffer, new Uint8Array(Number(size))), size),
};
