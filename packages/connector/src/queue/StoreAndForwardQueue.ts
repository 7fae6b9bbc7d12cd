import { SegmentLog, type SegmentLogOptions, type SegmentLogRecovery } from './SegmentLog.js';
import { decodeQueuedMessage, encodeQueuedMessage, type QueuedMessage } from './QueuedMessage.js';

/** What a full queue does with a new message. */
export type OverflowPolicy = 'drop-oldest' | 'block';

/** Options for {@link StoreAndForwardQueue.open}. */
export interface StoreAndForwardQueueOptions extends SegmentLogOptions {
  /** Budget in bytes of the records not yet acknowledged. */
  readonly maxBytes: number;
  /**
   * `drop-oldest`: make room by dropping the oldest records (counted); `block`: keep the oldest
   * and refuse new messages until acknowledgements free space.
   */
  readonly overflow?: OverflowPolicy;
  /** Bytes of recent messages also kept in memory so sending them needs no disk read. */
  readonly memoryCacheBytes?: number;
}

/** Outcome of {@link StoreAndForwardQueue.enqueue}. */
export type EnqueueResult =
  | { readonly accepted: true; readonly index: number; readonly droppedOldest: number }
  | { readonly accepted: false; readonly reason: 'queue-full' | 'too-large' };

/** A message taken from the queue for sending, with the index to acknowledge. */
export interface QueueEntry {
  readonly index: number;
  readonly message: QueuedMessage;
}

const RECORD_OVERHEAD = 8;

/**
 * The bounded, crash-safe queue of one QoS 1 route: every message is appended to a
 * {@link SegmentLog} before it is sent, and leaves the queue only when the broker acknowledged it
 * (PUBACK) or the disk budget forced it out. After a reconnect (or a restart after `kill -9`)
 * sending starts again at the oldest unacknowledged message, in order; a message sent twice keeps
 * its `seq`.
 */
export class StoreAndForwardQueue {
  readonly #log: SegmentLog;
  readonly #maxBytes: number;
  readonly #overflow: OverflowPolicy;
  readonly #memoryCacheBytes: number;
  readonly #cache = new Map<number, QueuedMessage>();
  #cacheBytes = 0;
  readonly #acked = new Set<number>();
  #sendCursor: number;
  #droppedOldest = 0;

  private constructor(log: SegmentLog, options: StoreAndForwardQueueOptions) {
    this.#log = log;
    this.#maxBytes = options.maxBytes;
    this.#overflow = options.overflow ?? 'drop-oldest';
    this.#memoryCacheBytes = options.memoryCacheBytes ?? 8 * 1024 * 1024;
    this.#sendCursor = log.ackedIndex;
  }

  /** Opens the queue in `options.dir`, repairing a torn tail left by a crash. */
  static open(options: StoreAndForwardQueueOptions): StoreAndForwardQueue {
    return new StoreAndForwardQueue(SegmentLog.open(options), options);
  }

  /** What opening the queue found and repaired. */
  get recovery(): SegmentLogRecovery {
    return this.#log.recovery;
  }

  /** `seq` of the newest message on disk, so a restarted route continues after it. */
  lastSeq(): bigint | undefined {
    const last = this.#log.readLast();
    return last === undefined ? undefined : decodeQueuedMessage(last).seq;
  }

  /** Messages not yet acknowledged. */
  get pendingMessages(): number {
    return this.#log.pendingRecords;
  }

  /** Bytes on disk of the messages not yet acknowledged. */
  get pendingBytes(): number {
    return this.#log.pendingBytes;
  }

  /** Messages sent and awaiting acknowledgement. */
  get inflight(): number {
    return this.#sendCursor - this.#log.ackedIndex - this.#acked.size;
  }

  /** Messages dropped to make room since the queue was opened. */
  get droppedOldest(): number {
    return this.#droppedOldest;
  }

  /** Appends a message, making room per the overflow policy. */
  enqueue(message: QueuedMessage): EnqueueResult {
    const body = encodeQueuedMessage(message);
    const size = body.byteLength + RECORD_OVERHEAD;
    if (size > this.#maxBytes) return { accepted: false, reason: 'too-large' };
    let dropped = 0;
    if (this.#log.pendingBytes + size > this.#maxBytes) {
      if (this.#overflow === 'block') return { accepted: false, reason: 'queue-full' };
      let target = this.#log.ackedIndex;
      let freed = 0;
      while (this.#log.pendingBytes - freed + size > this.#maxBytes) {
        freed += this.#log.recordBytes(target);
        target += 1;
      }
      dropped = target - this.#log.ackedIndex;
      this.#advanceAcked(target);
      this.#droppedOldest += dropped;
    }
    const index = this.#log.append(body);
    if (this.#cacheBytes + size <= this.#memoryCacheBytes) {
      // The payload as copied into the record: the caller's bytes may be a loan that ends after
      // this call.
      this.#cache.set(index, {
        ...message,
        payload: body.subarray(body.byteLength - message.payload.byteLength),
      });
      this.#cacheBytes += size;
    }
    return { accepted: true, index, droppedOldest: dropped };
  }

  /** Takes the next message to send, or `undefined` when every pending one is in flight. */
  next(): QueueEntry | undefined {
    if (this.#sendCursor >= this.#log.nextIndex) return undefined;
    const index = this.#sendCursor++;
    const message = this.#cache.get(index) ?? decodeQueuedMessage(this.#log.read(index));
    return { index, message };
  }

  /** Records the broker's acknowledgement of a message; acknowledgements may come out of order. */
  acknowledge(index: number): void {
    if (index < this.#log.ackedIndex) return;
    this.#acked.add(index);
    let first = this.#log.ackedIndex;
    while (this.#acked.delete(first)) first += 1;
    if (first > this.#log.ackedIndex) this.#advanceAcked(first);
  }

  /** Makes every unacknowledged message sendable again, oldest first (after a disconnect). */
  rewind(): void {
    this.#acked.clear();
    this.#sendCursor = this.#log.ackedIndex;
  }

  /** Forces the queue to disk. */
  sync(): void {
    this.#log.sync();
  }

  close(): void {
    this.#log.close();
  }

  #advanceAcked(index: number): void {
    for (let i = this.#log.ackedIndex; i < index; i++) {
      const cached = this.#cache.get(i);
      if (cached !== undefined) {
        this.#cache.delete(i);
        this.#cacheBytes -= this.#log.recordBytes(i);
      }
      this.#acked.delete(i);
    }
    this.#log.acknowledgeUpTo(index);
    if (this.#sendCursor < index) this.#sendCursor = index;
  }
}
