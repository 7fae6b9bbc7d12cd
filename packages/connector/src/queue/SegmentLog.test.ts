import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentLog } from './SegmentLog.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'fleetloop-segment-log-'));
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const body = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Drains `settle` so the acknowledged offset (written once per event-loop turn) reaches the file. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SegmentLog', () => {
  it('gives back unacknowledged records in order after reopening, without the acknowledged ones', async () => {
    const dir = tempDir();
    const log = SegmentLog.open({ dir, fsync: 'never' });
    for (const s of ['a', 'bb', 'ccc', 'dddd']) log.append(body(s));
    log.acknowledgeUpTo(2);
    await settle();
    log.close();

    const reopened = SegmentLog.open({ dir });
    expect(reopened.ackedIndex).toBe(2);
    expect(reopened.pendingRecords).toBe(2);
    expect([text(reopened.read(2)), text(reopened.read(3))]).toEqual(['ccc', 'dddd']);
    expect(reopened.append(body('e'))).toBe(4);
    reopened.close();
  });

  it('keeps records written by a process that never closed the log (crash without close)', () => {
    const dir = tempDir();
    const log = SegmentLog.open({ dir, fsync: 'never' });
    log.append(body('first'));
    log.append(body('second'));
    // No close(): the descriptors are simply abandoned, as after kill -9.
    const reopened = SegmentLog.open({ dir });
    expect(reopened.pendingRecords).toBe(2);
    expect(text(reopened.read(1))).toBe('second');
    reopened.close();
    log.close();
  });

  it('truncates a torn tail record and a record whose CRC fails, and appends after them', () => {
    const dir = tempDir();
    const log = SegmentLog.open({ dir, fsync: 'never' });
    log.append(body('intact'));
    log.append(body('also intact'));
    log.close();
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'));
    const file = path.join(dir, segment as string);
    const goodSize = statSync(file).size;
    // A record header promising 100 bytes followed by only 3: a write cut short.
    const torn = Buffer.alloc(11);
    torn.writeUInt32LE(100, 0);
    appendFileSync(file, torn);

    const afterTorn = SegmentLog.open({ dir });
    expect(afterTorn.recovery.truncatedBytes).toBe(11);
    expect(afterTorn.pendingRecords).toBe(2);
    afterTorn.close();
    expect(statSync(file).size).toBe(goodSize);

    // Flip one payload byte of the last record: its CRC no longer matches.
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const afterFlip = SegmentLog.open({ dir });
    expect(afterFlip.pendingRecords).toBe(1);
    expect(afterFlip.recovery.truncatedBytes).toBe(8 + 'also intact'.length);
    expect(afterFlip.append(body('next'))).toBe(1);
    expect(text(afterFlip.read(1))).toBe('next');
    afterFlip.close();
  });

  it('starts new segments at the size limit and deletes the fully acknowledged ones', async () => {
    const dir = tempDir();
    const log = SegmentLog.open({ dir, segmentBytes: 4096, fsync: 'never' });
    for (let i = 0; i < 40; i++) log.append(Buffer.alloc(1000, i));
    const segments = () => readdirSync(dir).filter((n) => n.endsWith('.seg'));
    expect(segments().length).toBe(10);
    log.acknowledgeUpTo(30);
    await settle();
    expect(segments().length).toBe(3);
    expect(log.pendingRecords).toBe(10);
    expect(log.pendingBytes).toBe(10 * 1008);
    log.close();
    const reopened = SegmentLog.open({ dir, segmentBytes: 4096 });
    expect(reopened.ackedIndex).toBe(30);
    expect(reopened.read(30)[0]).toBe(30);
    reopened.close();
  });

  it('restarts from the oldest record when the acked-offset file is damaged', async () => {
    const dir = tempDir();
    const log = SegmentLog.open({ dir, fsync: 'never' });
    for (const s of ['a', 'b', 'c']) log.append(body(s));
    log.acknowledgeUpTo(2);
    await settle();
    log.close();
    writeFileSync(path.join(dir, 'acked'), Buffer.from('garbage-here'));
    const reopened = SegmentLog.open({ dir });
    expect(reopened.recovery.ackedOffsetReset).toBe(true);
    expect(reopened.pendingRecords).toBe(3);
    reopened.close();
  });
});
