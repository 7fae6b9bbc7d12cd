import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueuedMessage } from './QueuedMessage.js';
import { StoreAndForwardQueue } from './StoreAndForwardQueue.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'fleetloop-saf-'));
}

function message(seq: number, payloadBytes = 100): QueuedMessage {
  return {
    seq: BigInt(seq),
    stampNs: 1_700_000_000_000_000_000n + BigInt(seq),
    rosTopic: '/robot_1/odom',
    rosType: 'nav_msgs/msg/Odometry',
    mqttTopic: 'fleetloop/v1/lab/robot-1/ros/robot_1/odom',
    encoding: 'cdr',
    retain: false,
    payload: Buffer.alloc(payloadBytes, seq % 256),
  };
}

function drain(queue: StoreAndForwardQueue): number[] {
  const seqs: number[] = [];
  for (let entry = queue.next(); entry !== undefined; entry = queue.next()) {
    seqs.push(Number(entry.message.seq));
  }
  return seqs;
}

describe('StoreAndForwardQueue', () => {
  it('round-trips every field of a message through the disk', () => {
    const dir = tempDir();
    const queue = StoreAndForwardQueue.open({ dir, maxBytes: 1 << 20, memoryCacheBytes: 0 });
    const sent = { ...message(7), encoding: 'json' as const, retain: true };
    queue.enqueue(sent);
    const entry = queue.next();
    expect(entry?.message).toEqual({ ...sent, payload: Buffer.from(sent.payload) });
    queue.close();
  });

  it('resends unacknowledged messages in order after a rewind, with the same seq', () => {
    const queue = StoreAndForwardQueue.open({ dir: tempDir(), maxBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) queue.enqueue(message(i));
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4]);
    expect(queue.inflight).toBe(5);
    queue.acknowledge(1);
    queue.acknowledge(0);
    queue.acknowledge(3);
    expect(queue.pendingMessages).toBe(3);
    queue.rewind();
    expect(drain(queue)).toEqual([2, 3, 4]);
    queue.close();
  });

  it('continues the sequence and delivers the backlog after a restart', async () => {
    const dir = tempDir();
    const first = StoreAndForwardQueue.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 4; i++) first.enqueue(message(i));
    first.next();
    first.acknowledge(0);
    await new Promise((resolve) => setImmediate(resolve));
    // Abandoned without close(), like a process killed with SIGKILL.
    const second = StoreAndForwardQueue.open({ dir, maxBytes: 1 << 20 });
    expect(second.lastSeq()).toBe(3n);
    expect(drain(second)).toEqual([1, 2, 3]);
    second.close();
    first.close();
  });

  it('after a crash resends only what was acknowledged since the last offset write, with the same seq', async () => {
    const dir = tempDir();
    const first = StoreAndForwardQueue.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) first.enqueue(message(100 + i));
    drain(first);
    for (let i = 0; i < 5; i++) first.acknowledge(i);
    await new Promise((resolve) => setImmediate(resolve));
    // These three PUBACKs arrive in the same event-loop turn as the crash: not yet on disk.
    for (let i = 5; i < 8; i++) first.acknowledge(i);
    const second = StoreAndForwardQueue.open({ dir, maxBytes: 1 << 20 });
    expect(drain(second)).toEqual([105, 106, 107, 108, 109]);
    second.close();
    first.close();
  });

  it('drops the oldest messages when the disk budget is exceeded and counts them', () => {
    const probe = StoreAndForwardQueue.open({ dir: tempDir(), maxBytes: 1 << 20 });
    probe.enqueue(message(0));
    const record = probe.pendingBytes;
    probe.close();
    const queue = StoreAndForwardQueue.open({ dir: tempDir(), maxBytes: record * 10 });
    for (let i = 0; i < 25; i++) expect(queue.enqueue(message(i)).accepted).toBe(true);
    expect(queue.droppedOldest).toBe(15);
    expect(queue.pendingBytes).toBeLessThanOrEqual(record * 10);
    expect(drain(queue)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    queue.close();
  });

  it('with overflow "block" keeps the oldest and refuses new messages until acknowledgements free space', () => {
    const queue = StoreAndForwardQueue.open({ dir: tempDir(), maxBytes: 3 * 400, overflow: 'block' });
    const results = [0, 1, 2, 3].map((i) => queue.enqueue(message(i, 200)));
    expect(results.map((r) => r.accepted)).toEqual([true, true, true, false]);
    expect(results[3]).toEqual({ accepted: false, reason: 'queue-full' });
    queue.next();
    queue.acknowledge(0);
    expect(queue.enqueue(message(4, 200)).accepted).toBe(true);
    expect(drain(queue)).toEqual([1, 2, 4]);
    expect(queue.enqueue(message(5, 5000))).toEqual({ accepted: false, reason: 'too-large' });
    queue.close();
  });
});
