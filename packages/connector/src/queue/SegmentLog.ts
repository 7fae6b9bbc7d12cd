import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { ConnectorError } from '../ConnectorError.js';

/** When appended records are forced to disk. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Options for {@link SegmentLog.open}. */
export interface SegmentLogOptions {
  /** Directory holding the segment files and the acked-offset file; created if missing. */
  readonly dir: string;
  /** Size at which the active segment is closed and a new one started. */
  readonly segmentBytes?: number;
  readonly fsync?: FsyncPolicy;
  /** Period of the `interval` fsync policy. */
  readonly fsyncIntervalMs?: number;
}

/** What {@link SegmentLog.open} found and repaired. */
export interface SegmentLogRecovery {
  /** Records not yet acknowledged, ready to be read again. */
  readonly pendingRecords: number;
  /** Bytes cut from segment ends because a record there was torn or failed its CRC. */
  readonly truncatedBytes: number;
  /** Whether the acked-offset file was unreadable, so the log restarts from its oldest record. */
  readonly ackedOffsetReset: boolean;
}

interface Segment {
  readonly firstIndex: number;
  readonly file: string;
  fd: number;
  size: number;
  records: number;
}

interface RecordLocation {
  readonly segment: Segment;
  readonly position: number;
  readonly length: number;
}

const HEADER_BYTES = 8;
const ACKED_BYTES = 12;
const SEGMENT_SUFFIX = '.seg';
const ACKED_FILE = 'acked';

/**
 * An append-only log of opaque records in segment files, with a separate acknowledged-offset file.
 *
 * Each record is `u32 length | u32 crc32(body) | body` (little-endian). On open, every segment is
 * scanned; a record that is cut short or fails its CRC (a write torn by `kill -9` or power loss)
 * and everything after it in that segment is truncated away. The acked-offset file holds the index
 * of the first record not yet acknowledged (`u64 | u32 crc32`); it is written as acknowledgements
 * arrive, so after a crash at most the records acknowledged since the last write are read again.
 * Segments whose records are all acknowledged are deleted.
 */
export class SegmentLog {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #fsync: FsyncPolicy;
  readonly #segments: Segment[];
  /** Locations of unacknowledged records; `#pending[i]` is record `#ackedIndex + i`. */
  #pending: RecordLocation[];
  #pendingHead = 0;
  #pendingBytes = 0;
  #ackedIndex: number;
  #ackedFd: number;
  #ackedWritten: number;
  #ackFlushScheduled = false;
  #dirty = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout | undefined;
  /** What was found and repaired when the log was opened. */
  readonly recovery: SegmentLogRecovery;

  private constructor(options: Required<SegmentLogOptions>) {
    this.#dir = options.dir;
    this.#segmentBytes = options.segmentBytes;
    this.#fsync = options.fsync;
    try {
      mkdirSync(this.#dir, { recursive: true });
      const { segments, truncatedBytes } = scanSegments(this.#dir);
      this.#segments = segments;
      // 'a+' creates the file without truncating it; positional writes need 'r+'.
      closeSync(openSync(path.join(this.#dir, ACKED_FILE), 'a+'));
      this.#ackedFd = openSync(path.join(this.#dir, ACKED_FILE), 'r+');
      const stored = readAckedIndex(this.#ackedFd);
      const first = segments[0]?.firstIndex ?? stored ?? 0;
      const last = segments.at(-1);
      const end = last === undefined ? first : last.firstIndex + last.records;
      this.#ackedIndex = Math.min(Math.max(stored ?? first, first), end);
      this.#ackedWritten = stored ?? -1;
      this.#pending = [];
      this.#indexPending();
      this.#deleteAckedSegments();
      this.recovery = {
        pendingRecords: this.pendingRecords,
        truncatedBytes,
        ackedOffsetReset: stored === undefined && segments.length > 0,
      };
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw new ConnectorError(
        'CONNECTOR_QUEUE_IO',
        `Cannot open the queue in ${options.dir}: ${String(error)}. Check that the directory is writable.`,
        { cause: error },
      );
    }
    this.#timer =
      this.#fsync === 'interval'
        ? setInterval(() => this.sync(), options.fsyncIntervalMs).unref()
        : undefined;
  }

  /** Opens (and repairs) the log in `options.dir`. */
  static open(options: SegmentLogOptions): SegmentLog {
    return new SegmentLog({
      dir: options.dir,
      segmentBytes: options.segmentBytes ?? 16 * 1024 * 1024,
      fsync: options.fsync ?? 'interval',
      fsyncIntervalMs: options.fsyncIntervalMs ?? 200,
    });
  }

  /** Index the next appended record gets. */
  get nextIndex(): number {
    const last = this.#segments.at(-1);
    return last === undefined ? this.#ackedIndex : last.firstIndex + last.records;
  }

  /** Index of the oldest record not yet acknowledged (equals {@link nextIndex} when none). */
  get ackedIndex(): number {
    return this.#ackedIndex;
  }

  /** Records appended and not yet acknowledged. */
  get pendingRecords(): number {
    return this.#pending.length - this.#pendingHead;
  }

  /** Bytes (headers included) of the records not yet acknowledged. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Appends one record; returns its index. */
  append(body: Uint8Array): number {
    this.#assertOpen();
    let segment = this.#segments.at(-1);
    const length = HEADER_BYTES + body.byteLength;
    if (segment === undefined || (segment.size > 0 && segment.size + length > this.#segmentBytes)) {
      segment = this.#createSegment(this.nextIndex);
    }
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32LE(body.byteLength, 0);
    header.writeUInt32LE(crc32(body), 4);
    const position = segment.size;
    try {
      writeSync(segment.fd, Buffer.concat([header, body]), 0, length, position);
      if (this.#fsync === 'always') fdatasyncSync(segment.fd);
    } catch (error) {
      throw new ConnectorError(
        'CONNECTOR_QUEUE_IO',
        `Cannot append to queue segment ${segment.file}: ${String(error)}. Check free disk space.`,
        { cause: error },
      );
    }
    segment.size += length;
    segment.records += 1;
    this.#dirty = true;
    this.#pending.push({ segment, position, length });
    this.#pendingBytes += length;
    return segment.firstIndex + segment.records - 1;
  }

  /** Reads the body of a record not yet acknowledged. */
  read(index: number): Uint8Array {
    this.#assertOpen();
    const location = this.#pending[this.#pendingHead + index - this.#ackedIndex];
    if (location === undefined || index < this.#ackedIndex) {
      throw new ConnectorError(
        'CONNECTOR_QUEUE_CORRUPT',
        `Queue record ${index} in ${this.#dir} is not pending (pending: ${this.#ackedIndex}..${this.nextIndex - 1})`,
      );
    }
    const body = Buffer.allocUnsafe(location.length - HEADER_BYTES);
    readSync(location.segment.fd, body, 0, body.byteLength, location.position + HEADER_BYTES);
    return body;
  }

  /**
   * Body of the newest record still on disk, acknowledged or not (`undefined` when the log is
   * empty), so a writer can continue its sequence numbers after a restart.
   */
  readLast(): Uint8Array | undefined {
    this.#assertOpen();
    for (let i = this.#segments.length - 1; i >= 0; i--) {
      const segment = this.#segments[i] as Segment;
      if (segment.records === 0) continue;
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      let position = 0;
      for (let r = 0; r < segment.records - 1; r++) {
        readSync(segment.fd, header, 0, HEADER_BYTES, position);
        position += HEADER_BYTES + header.readUInt32LE(0);
      }
      readSync(segment.fd, header, 0, HEADER_BYTES, position);
      const body = Buffer.allocUnsafe(header.readUInt32LE(0));
      readSync(segment.fd, body, 0, body.byteLength, position + HEADER_BYTES);
      return body;
    }
    return undefined;
  }

  /** Size in bytes (header included) of a pending record. */
  recordBytes(index: number): number {
    return this.#pending[this.#pendingHead + index - this.#ackedIndex]?.length ?? 0;
  }

  /**
   * Marks every record before `index` as acknowledged. The offset file is written once per
   * event-loop turn, however many acknowledgements arrived in it.
   */
  acknowledgeUpTo(index: number): void {
    this.#assertOpen();
    const target = Math.min(index, this.nextIndex);
    while (this.#ackedIndex < target) {
      const location = this.#pending[this.#pendingHead];
      if (location !== undefined) this.#pendingBytes -= location.length;
      this.#pendingHead += 1;
      this.#ackedIndex += 1;
    }
    if (this.#pendingHead > 1024 && this.#pendingHead * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#pendingHead);
      this.#pendingHead = 0;
    }
    if (!this.#ackFlushScheduled) {
      this.#ackFlushScheduled = true;
      setImmediate(() => {
        this.#ackFlushScheduled = false;
        if (!this.#closed) this.#flushAcked();
      });
    }
  }

  /** Forces appended records and the acked offset to disk. */
  sync(): void {
    if (this.#closed) return;
    this.#flushAcked();
    const active = this.#segments.at(-1);
    if (this.#dirty && active !== undefined) {
      fdatasyncSync(active.fd);
      this.#dirty = false;
    }
  }

  /** Syncs and closes the files. */
  close(): void {
    if (this.#closed) return;
    this.sync();
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const segment of this.#segments) closeSync(segment.fd);
    closeSync(this.#ackedFd);
  }

  #flushAcked(): void {
    if (this.#ackedWritten === this.#ackedIndex) return;
    const buffer = Buffer.alloc(ACKED_BYTES);
    buffer.writeBigUInt64LE(BigInt(this.#ackedIndex), 0);
    buffer.writeUInt32LE(crc32(buffer.subarray(0, 8)), 8);
    writeSync(this.#ackedFd, buffer, 0, ACKED_BYTES, 0);
    if (this.#fsync === 'always') fdatasyncSync(this.#ackedFd);
    this.#ackedWritten = this.#ackedIndex;
    this.#deleteAckedSegments();
  }

  #createSegment(firstIndex: number): Segment {
    const previous = this.#segments.at(-1);
    if (previous !== undefined && this.#fsync !== 'never') fdatasyncSync(previous.fd);
    const file = path.join(this.#dir, `${String(firstIndex).padStart(20, '0')}${SEGMENT_SUFFIX}`);
    const segment: Segment = { firstIndex, file, fd: openSync(file, 'w+'), size: 0, records: 0 };
    this.#segments.push(segment);
    return segment;
  }

  /** Deletes segments (other than the active one) whose records are all acknowledged. */
  #deleteAckedSegments(): void {
    while (this.#segments.length > 1) {
      const oldest = this.#segments[0] as Segment;
      if (oldest.firstIndex + oldest.records > this.#ackedWritten) return;
      closeSync(oldest.fd);
      unlinkSync(oldest.file);
      this.#segments.shift();
    }
  }

  /** Builds the locations of pending records by walking the segments' headers. */
  #indexPending(): void {
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    for (const segment of this.#segments) {
      let position = 0;
      for (let i = 0; i < segment.records; i++) {
        readSync(segment.fd, header, 0, HEADER_BYTES, position);
        const length = HEADER_BYTES + header.readUInt32LE(0);
        if (segment.firstIndex + i >= this.#ackedIndex) {
          this.#pending.push({ segment, position, length });
          this.#pendingBytes += length;
        }
        position += length;
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new ConnectorError('CONNECTOR_QUEUE_CLOSED', `The queue in ${this.#dir} is closed`);
    }
  }
}

/** Opens every segment, truncating each at its first torn or corrupt record. */
function scanSegments(dir: string): { segments: Segment[]; truncatedBytes: number } {
  const names = readdirSync(dir)
    .filter((name) => /^\d{20}\.seg$/.test(name))
    .sort();
  const segments: Segment[] = [];
  let truncatedBytes = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const fd = openSync(file, 'r+');
    const size = fstatSync(fd).size;
    const { validBytes, records } = scanRecords(fd, size);
    if (validBytes < size) {
      ftruncateSync(fd, validBytes);
      truncatedBytes += size - validBytes;
    }
    const firstIndex = Number(name.slice(0, 20));
    const previous = segments.at(-1);
    if (previous !== undefined && previous.firstIndex + previous.records !== firstIndex) {
      closeSync(fd);
      throw new ConnectorError(
        'CONNECTOR_QUEUE_CORRUPT',
        `Queue segment ${file} starts at record ${firstIndex} but the one before ends at ${previous.firstIndex + previous.records}. ` +
          `Move the queue directory ${dir} aside to start with an empty queue.`,
      );
    }
    segments.push({ firstIndex, file, fd, size: validBytes, records });
  }
  return { segments, truncatedBytes };
}

function scanRecords(fd: number, size: number): { validBytes: number; records: number } {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  let position = 0;
  let records = 0;
  while (position + HEADER_BYTES <= size) {
    readSync(fd, header, 0, HEADER_BYTES, position);
    const length = header.readUInt32LE(0);
    if (position + HEADER_BYTES + length > size) break;
    const body = Buffer.allocUnsafe(length);
    readSync(fd, body, 0, length, position + HEADER_BYTES);
    if (crc32(body) !== header.readUInt32LE(4)) break;
    position += HEADER_BYTES + length;
    records += 1;
  }
  return { validBytes: position, records };
}

function readAckedIndex(fd: number): number | undefined {
  const buffer = Buffer.alloc(ACKED_BYTES);
  const read = readSync(fd, buffer, 0, ACKED_BYTES, 0);
  if (read < ACKED_BYTES) return undefined;
  if (crc32(buffer.subarray(0, 8)) !== buffer.readUInt32LE(8)) return undefined;
  return Number(buffer.readBigUInt64LE(0));
}
