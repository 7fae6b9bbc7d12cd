import { describe, expect, it } from 'vitest';
import { PayloadPool } from './PayloadPool.js';

const MiB = 1024 * 1024;
const filled = (bytes: number, value: number): Uint8Array => new Uint8Array(bytes).fill(value);

describe('PayloadPool', () => {
  it('copies large payloads into buffers it reuses once they come back', () => {
    const pool = new PayloadPool();
    const first = pool.copy(filled(MiB + 8, 1));
    expect(first.length).toBe(MiB + 8);
    expect(first.every((b) => b === 1)).toBe(true);
    expect(pool.lent(first)).toBe(true);
    pool.release(first);
    expect(pool.lent(first)).toBe(false);
    const second = pool.copy(filled(MiB + 8, 2));
    expect(second.buffer).toBe(first.buffer);
    expect(second.every((b) => b === 2)).toBe(true);
    expect(pool.allocated).toBe(1);
  });

  it('hands a buffer out once even when it is given back twice', () => {
    const pool = new PayloadPool();
    const lent = pool.copy(filled(MiB, 1));
    pool.release(lent);
    pool.release(lent);
    const a = pool.copy(filled(MiB, 2));
    const b = pool.copy(filled(MiB, 3));
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.every((x) => x === 2)).toBe(true);
  });

  it('keeps small payloads out of the pool and at most maxFreeBytes in it', () => {
    const pool = new PayloadPool({ maxFreeBytes: 2 * MiB });
    const small = pool.copy(filled(100, 7));
    expect(Array.from(small)).toEqual(Array.from(filled(100, 7)));
    expect(pool.lent(small)).toBe(false);
    pool.release(small);
    expect(pool.freeBytes).toBe(0);
    const lent = [1, 2, 3].map((v) => pool.copy(filled(MiB, v)));
    for (const buffer of lent) pool.release(buffer);
    expect(pool.freeBytes).toBe(2 * MiB);
    expect(pool.allocated).toBe(3);
  });
});
