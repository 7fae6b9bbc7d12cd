import { describe, expect, it } from 'vitest';
import { Fifo } from './Fifo.js';

describe('Fifo', () => {
  it('returns items oldest first across compactions, and empties with takeAll', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5000; i++) fifo.push(i);
    const out: number[] = [];
    for (let i = 0; i < 3000; i++) out.push(fifo.shift() ?? -1);
    for (let i = 5000; i < 6000; i++) fifo.push(i);
    expect(fifo.size).toBe(3000);
    while (fifo.size > 10) out.push(fifo.shift() ?? -1);
    out.push(...fifo.takeAll());
    expect(out).toEqual([...Array(6000).keys()]);
    expect(fifo.size).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });
});
