import type { RosWriter } from '../transport/RosTransport.js';
import { DdsError } from './DdsError.js';
import type { DdsNative, NativeHandle } from './native.js';
import { ddsCallError } from './ddsCallError.js';

const CDR_HEADER_BYTES = 4;

/** A Cyclone DDS writer on one ROS topic; created by `DdsTransport.createWriter`. */
export class DdsWriter implements RosWriter {
  readonly topic: string;
  readonly type: string;
  readonly #native: DdsNative;
  readonly #handle: NativeHandle<'writer'>;
  readonly #entity: number;
  readonly #onClose: (writer: DdsWriter) => void;
  #closed = false;

  /** @internal */
  constructor(
    native: DdsNative,
    handle: NativeHandle<'writer'>,
    topic: string,
    type: string,
    onClose: (writer: DdsWriter) => void,
  ) {
    this.#native = native;
    this.#handle = handle;
    this.#entity = native.writerHandle(handle);
    this.topic = topic;
    this.type = type;
    this.#onClose = onClose;
  }

  /** GUID of this writer on the network (32 hex digits), as readers see it in `publisherGuid`. */
  get guid(): string {
    return this.#native.entityGuid(this.#entity);
  }

  write(data: Uint8Array, sourceTimestampNs?: bigint): void {
    this.#assertOpen();
    this.#assertCdr(data);
    try {
      this.#native.write(this.#handle, data, sourceTimestampNs);
    } catch (cause) {
      throw ddsCallError(cause, `writing to ${this.topic}`);
    }
  }

  /**
   * Publishes several CDR buffers in one native call (one crossing into C instead of one per
   * message), all with the same source timestamp (default now).
   */
  writeBatch(messages: readonly Uint8Array[], sourceTimestampNs?: bigint): void {
    this.#assertOpen();
    for (const m of messages) this.#assertCdr(m);
    try {
      this.#native.writeBatch(this.#handle, messages, sourceTimestampNs);
    } catch (cause) {
      throw ddsCallError(cause, `writing to ${this.topic}`);
    }
  }

  matchedReaders(): number {
    return this.#closed ? 0 : this.#native.matchedCount(this.#entity, true);
  }

  close(): Promise<void> {
    this.closeNow();
    return Promise.resolve();
  }

  /** @internal Deletes the DDS writer; idempotent. */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#native.closeWriter(this.#handle);
    this.#onClose(this);
  }

  #assertCdr(data: Uint8Array): void {
    if (data.byteLength < CDR_HEADER_BYTES) {
      throw new DdsError(
        'DDS_PAYLOAD_INVALID',
        `writing to ${this.topic}: a CDR payload starts with the ${CDR_HEADER_BYTES}-byte encapsulation header, ` +
          `but this one has ${data.byteLength} bytes; encode the message with its codec first`,
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new DdsError('DDS_CLOSED', `writer on ${this.topic} is closed`);
  }
}
