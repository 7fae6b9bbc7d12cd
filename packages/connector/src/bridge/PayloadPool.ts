/** Pooled buffers are sized in steps of this many bytes; smaller payloads are not pooled. */
const STEP_BYTES = 64 * 1024;

/**
 * Reusable buffers for large payloads (camera images, point clouds) on their way to the broker.
 *
 * The connector's ROS readers loan their samples: the bytes are valid only while the listener
 * runs. A large payload sent at QoS 0 is copied into a buffer from this pool and the buffer comes
 * back once the socket has written it. Allocating a fresh buffer per image instead makes V8 run a
 * full mark-compact every few dozen megabytes of buffers, which on a small robot computer costs
 * more than the copy. Buffers are sized in 64 KiB steps, so a camera's images, all of one size,
 * share one free list; at most `maxFreeBytes` wait in the pool, beyond that a returned buffer is
 * left to the garbage collector.
 */
export class PayloadPool {
  /** Payloads smaller than this are copied into ordinary buffers. */
  static readonly MIN_BYTES = STEP_BYTES;
  readonly #maxFreeBytes: number;
  readonly #free = new Map<number, ArrayBuffer[]>();
  /** Buffers handed out and not yet returned: a second release of one is ignored. */
  readonly #lent = new WeakSet<ArrayBuffer>();
  #freeBytes = 0;
  #allocated = 0;

  constructor(options: { readonly maxFreeBytes?: number } = {}) {
    this.#maxFreeBytes = options.maxFreeBytes ?? 64 * 1024 * 1024;
  }

  /** Buffers allocated since start (a pool that works allocates few). */
  get allocated(): number {
    return this.#allocated;
  }

  /** Bytes of buffers waiting in the pool. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /**
   * A copy of `data`: from the pool when it is at least {@link PayloadPool.MIN_BYTES} long (give it
   * back with {@link release} once nothing reads it any more), else an ordinary buffer.
   */
  copy(data: Uint8Array): Buffer {
    if (data.byteLength < STEP_BYTES) return Buffer.from(data);
    const size = Math.ceil(data.byteLength / STEP_BYTES) * STEP_BYTES;
    let block = this.#free.get(size)?.pop();
    if (block === undefined) {
      block = new ArrayBuffer(size);
      this.#allocated += 1;
    } else {
      this.#freeBytes -= size;
    }
    this.#lent.add(block);
    const copy = Buffer.from(block, 0, data.byteLength);
    copy.set(data);
    return copy;
  }

  /** Whether `buffer` is one of this pool's, handed out and not yet given back. */
  lent(buffer: Uint8Array): boolean {
    return buffer.buffer instanceof ArrayBuffer && this.#lent.has(buffer.buffer);
  }

  /** Takes back a buffer from {@link copy}; anything else (a small payload's buffer) is ignored. */
  release(buffer: Uint8Array): void {
    const block = buffer.buffer;
    if (!(block instanceof ArrayBuffer) || !this.#lent.delete(block)) return;
    if (this.#freeBytes + block.byteLength > this.#maxFreeBytes) return;
    let list = this.#free.get(block.byteLength);
    if (list === undefined) {
      list = [];
      this.#free.set(block.byteLength, list);
    }
    list.push(block);
    this.#freeBytes += block.byteLength;
  }
}
