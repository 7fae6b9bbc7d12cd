// lz4js ships no types; these are the two functions fleetloop uses (LZ4 frame format).
declare module 'lz4js' {
  /** Compresses to one LZ4 frame. */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one LZ4 frame; `maxSize` is the exact size when known. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}
