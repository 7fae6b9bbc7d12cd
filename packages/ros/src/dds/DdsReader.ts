import type { RosReader, RosSample, SampleListener } from '../transport/RosTransport.js';
import type { DdsNative, NativeHandle } from './native.js';

/** Bit marking a location as an index into the batch's external buffers. */
const EXTERNAL_BIT = 0x80000000;
const UNKNOWN_GUID = '0'.repeat(32);

function rethrowLater(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

/** A Cyclone DDS reader on one ROS topic; created by `DdsTransport.createReader`. */
export class DdsReader implements RosReader {
  readonly topic: string;
  readonly type: string;
  readonly #native: DdsNative;
  readonly #handle: NativeHandle<'reader'>;
  readonly #entity: number;
  readonly #listener: SampleListener;
  readonly #onClose: (reader: DdsReader) => void;
  /** Writer instance handle → GUID; a reader sees few writers, so this stays small. */
  readonly #writerGuids = new Map<bigint, string>();
  #closed = false;

  /** @internal */
  constructor(
    native: DdsNative,
    participant: number,
    topicHandle: NativeHandle<'topic'>,
    qos: Parameters<DdsNative['createReader']>[2],
    topic: string,
    type: string,
    listener: SampleListener,
    loan: boolean,
    onClose: (reader: DdsReader) => void,
  ) {
    this.topic = topic;
    this.type = type;
    this.#native = native;
    this.#listener = listener;
    this.#onClose = onClose;
    this.#handle = native.createReader(
      participant,
      topicHandle,
      qos,
      (count, block, locations, stamps, externals) =>
        this.#deliver(count, block, locations, stamps, externals),
      loan,
    );
    this.#entity = native.readerHandle(this.#handle);
  }

  /** GUID of this reader on the network (32 hex digits). */
  get guid(): string {
    return this.#native.entityGuid(this.#entity);
  }

  matchedWriters(): number {
    return this.#closed ? 0 : this.#native.matchedCount(this.#entity, false);
  }

  close(): Promise<void> {
    this.closeNow();
    return Promise.resolve();
  }

  /** @internal Deletes the DDS reader; samples not yet delivered are dropped. Idempotent. */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#native.closeReader(this.#handle);
    this.#onClose(this);
  }

  #deliver(
    count: number,
    block: ArrayBuffer,
    locations: Uint32Array,
    stamps: BigInt64Array,
    externals: ArrayBuffer[] | undefined,
  ): void {
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < count && !this.#closed; i++) {
      const at = locations[2 * i] ?? 0;
      const length = locations[2 * i + 1] ?? 0;
      const data =
        at >= EXTERNAL_BIT
          ? new Uint8Array(externals?.[at - EXTERNAL_BIT] ?? new ArrayBuffer(0), 0, length)
          : new Uint8Array(block, at, length);
      const sample: RosSample = {
        topic: this.topic,
        type: this.type,
        data,
        sourceTimestampNs: stamps[2 * i] ?? 0n,
        publisherGuid: this.#guidOf(stamps[2 * i + 1] ?? 0n),
      };
      try {
        this.#listener(sample);
      } catch (error) {
        // One failing listener call must not lose the rest of the batch; the first error is
        // rethrown after it, on its own tick, so it surfaces as an uncaught exception (Node-API
        // would otherwise only warn about an exception left in a native callback).
        failure ??= { error };
      }
    }
    if (failure !== undefined) rethrowLater(failure.error);
  }

  #guidOf(instanceHandle: bigint): string {
    let guid = this.#writerGuids.get(instanceHandle);
    if (guid === undefined) {
      // A writer that is already gone can no longer be looked up: report it unknown, uncached.
      const found = this.#native.publicationGuid(this.#handle, instanceHandle);
      if (found === null) return UNKNOWN_GUID;
      guid = found;
      this.#writerGuids.set(instanceHandle, guid);
    }
    return guid;
  }
}
