import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Collector } from '../testing/Collector.js';
import { waitUntil } from '../testing/waitUntil.js';
import type { DiscoveryEvent, QosProfile, RosSample, RosTransport } from './RosTransport.js';

/** Two participants on one domain, and how to tear them down. */
export interface TransportPair {
  readonly a: RosTransport;
  readonly b: RosTransport;
  cleanup(): Promise<void>;
}

const RELIABLE: QosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_last', depth: 10 },
};
const RELIABLE_ALL: QosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_all' },
};
const BEST_EFFORT: QosProfile = {
  reliability: 'best_effort',
  durability: 'volatile',
  history: { kind: 'keep_last', depth: 5 },
};
const LATCHED_3: QosProfile = {
  reliability: 'reliable',
  durability: 'transient_local',
  history: { kind: 'keep_last', depth: 3 },
};
const TYPE = 'std_msgs/msg/String';
/** Discovery over a real network may take seconds; in-process it is immediate. */
const DISCOVERY_MS = 10_000;

/** A unique topic per test, so suites sharing a DDS domain do not see each other. */
function topicName(suffix: string): string {
  return `/contract_${randomBytes(4).toString('hex')}/${suffix}`;
}

/** A CDR buffer (little-endian header) whose body encodes `n`, then `extra` pattern bytes. */
function payload(n: number, extra = 0): Uint8Array {
  const bytes = new Uint8Array(8 + extra);
  bytes.set([0x00, 0x01, 0x00, 0x00]);
  new DataView(bytes.buffer).setUint32(4, n, true);
  for (let i = 0; i < extra; i++) {
    bytes[8 + i] = (i * 31 + n) & 0xff;
  }
  return bytes;
}

function counter(sample: RosSample): number {
  return new DataView(sample.data.buffer, sample.data.byteOffset, sample.data.byteLength).getUint32(4, true);
}

async function withPair(
  makePair: () => Promise<TransportPair>,
  body: (pair: TransportPair) => Promise<void>,
) {
  const pair = await makePair();
  try {
    await body(pair);
  } finally {
    await pair.cleanup();
  }
}

/**
 * The behaviour every {@link RosTransport} must show, as a vitest suite. Call it from a test file
 * with a factory that makes two participants on one (private) domain.
 *
 * @example
 * describeTransportContract('in-process', async () => {
 *   const domain = new InProcessDomain();
 *   const a = new InProcessTransport({ domain });
 *   const b = new InProcessTransport({ domain });
 *   return { a, b, cleanup: async () => { await a.close(); await b.close(); } };
 * });
 */
export function describeTransportContract(name: string, makePair: () => Promise<TransportPair>): void {
  describe(`RosTransport contract: ${name}`, () => {
    it('delivers payloads byte-identical with topic, type, timestamp and publisher GUID', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('chatter');
        const received = new Collector<RosSample>();
        const discovered = new Collector<DiscoveryEvent>();
        const unwatch = b.watchDiscovery(discovered.listener);
        const reader = b.createReader(topic, TYPE, RELIABLE, received.listener);
        const writer = a.createWriter(topic, TYPE, RELIABLE);
        await waitUntil(
          () => writer.matchedReaders() === 1 && reader.matchedWriters() === 1,
          'writer and reader match',
          {
            timeoutMs: DISCOVERY_MS,
          },
        );
        const stamp = 1_700_000_000_123_456_789n;
        const first = payload(1, 1000);
        const second = payload(2, 3);
        const before = BigInt(Date.now()) * 1_000_000n;
        writer.write(first, stamp);
        writer.write(second);
        first.fill(0); // the writer must not keep a reference to the caller's buffer
        const [one, two] = await received.waitFor(2);
        expect(one?.data).toEqual(payload(1, 1000));
        expect(two?.data).toEqual(second);
        expect(one?.topic).toBe(topic);
        expect(one?.type).toBe(TYPE);
        expect(one?.sourceTimestampNs).toBe(stamp);
        const after = BigInt(Date.now()) * 1_000_000n;
        expect(two?.sourceTimestampNs).toBeGreaterThanOrEqual(before - 1_000_000_000n);
        expect(two?.sourceTimestampNs).toBeLessThanOrEqual(after + 1_000_000_000n);
        expect(one?.publisherGuid).toMatch(/^[0-9a-f]{32}$/);
        const writerInfo = await discovered.waitForItem(
          (e) => e.kind === 'endpoint-added' && e.endpoint.kind === 'writer' && e.endpoint.topic === topic,
          `discovery of the writer on ${topic}`,
          DISCOVERY_MS,
        );
        expect(one?.publisherGuid).toBe(writerInfo.endpoint.guid);
        unwatch();
      });
    });

    it('keeps each writer’s samples in order', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('ordered');
        const received = new Collector<RosSample>();
        b.createReader(topic, TYPE, RELIABLE_ALL, received.listener);
        const w1 = a.createWriter(topic, TYPE, RELIABLE_ALL);
        const w2 = b.createWriter(topic, TYPE, RELIABLE_ALL);
        await waitUntil(() => w1.matchedReaders() === 1 && w2.matchedReaders() === 1, 'both writers match', {
          timeoutMs: DISCOVERY_MS,
        });
        const count = 200;
        for (let i = 0; i < count; i++) {
          w1.write(payload(i));
          w2.write(payload(10_000 + i));
        }
        const samples = await received.waitFor(2 * count);
        const fromW1 = samples.filter((s) => counter(s) < 10_000).map(counter);
        const fromW2 = samples.filter((s) => counter(s) >= 10_000).map(counter);
        expect(fromW1).toEqual(Array.from({ length: count }, (_, i) => i));
        expect(fromW2).toEqual(Array.from({ length: count }, (_, i) => 10_000 + i));
        expect(new Set(samples.map((s) => s.publisherGuid)).size).toBe(2);
      });
    });

    it('gives a transient-local late joiner the last `depth` samples, and a volatile one none', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('latched');
        const writer = a.createWriter(topic, TYPE, LATCHED_3);
        for (let i = 1; i <= 5; i++) {
          writer.write(payload(i));
        }
        const late = new Collector<RosSample>();
        const lateReader = b.createReader(topic, TYPE, LATCHED_3, late.listener);
        const history = await late.waitFor(3, DISCOVERY_MS);
        expect(history.map(counter)).toEqual([3, 4, 5]);

        const volatile = new Collector<RosSample>();
        const volatileReader = b.createReader(topic, TYPE, RELIABLE, volatile.listener);
        await waitUntil(
          () => volatileReader.matchedWriters() === 1 && writer.matchedReaders() === 2,
          'both readers match',
          {
            timeoutMs: DISCOVERY_MS,
          },
        );
        writer.write(payload(6));
        const [firstVolatile] = await volatile.waitFor(1);
        expect(firstVolatile && counter(firstVolatile)).toBe(6);
        expect((await late.waitFor(4)).map(counter)).toEqual([3, 4, 5, 6]);
        expect(lateReader.matchedWriters()).toBe(1);
      });
    });

    it('delivers best-effort samples to a best-effort reader', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('sensor');
        const received = new Collector<RosSample>();
        const reader = b.createReader(topic, TYPE, BEST_EFFORT, received.listener);
        const writer = a.createWriter(topic, TYPE, BEST_EFFORT);
        await waitUntil(
          () => writer.matchedReaders() === 1 && reader.matchedWriters() === 1,
          'best-effort match',
          {
            timeoutMs: DISCOVERY_MS,
          },
        );
        // Best effort may lose a sample; keep publishing until one arrives, as a sensor does.
        let sent = 0;
        const ticker = setInterval(() => writer.write(payload(sent++)), 20);
        try {
          const [sample] = await received.waitFor(1);
          expect(sample?.topic).toBe(topic);
        } finally {
          clearInterval(ticker);
        }
      });
    });

    it('matches only compatible QoS and counts matches both ways', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('matching');
        const writer = a.createWriter(topic, TYPE, BEST_EFFORT);
        const strict = new Collector<RosSample>();
        const loose = new Collector<RosSample>();
        const strictReader = b.createReader(topic, TYPE, RELIABLE, strict.listener);
        const looseReader = b.createReader(topic, TYPE, BEST_EFFORT, loose.listener);
        await waitUntil(() => looseReader.matchedWriters() === 1, 'the best-effort reader matches', {
          timeoutMs: DISCOVERY_MS,
        });
        let sent = 0;
        const ticker = setInterval(() => writer.write(payload(sent++)), 20);
        try {
          await loose.waitFor(3);
        } finally {
          clearInterval(ticker);
        }
        expect(strict.items).toHaveLength(0);
        expect(strictReader.matchedWriters()).toBe(0);
        expect(writer.matchedReaders()).toBe(1);
        await looseReader.close();
        await waitUntil(() => writer.matchedReaders() === 0, 'the writer sees the reader go', {
          timeoutMs: DISCOVERY_MS,
        });
      });
    });

    it('reports endpoints through discovery with topic, type and QoS, and their removal', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('discovered');
        const early = a.createReader(topic, TYPE, LATCHED_3, () => undefined);
        const events = new Collector<DiscoveryEvent>();
        const unwatch = b.watchDiscovery(events.listener);
        const existing = await events.waitForItem(
          (e) => e.kind === 'endpoint-added' && e.endpoint.topic === topic && e.endpoint.kind === 'reader',
          'the reader created before watching',
          DISCOVERY_MS,
        );
        expect(existing.endpoint.type).toBe(TYPE);
        expect(existing.endpoint.qos.reliability).toBe('reliable');
        expect(existing.endpoint.qos.durability).toBe('transient_local');

        const writer = a.createWriter(topic, TYPE, BEST_EFFORT);
        const added = await events.waitForItem(
          (e) => e.kind === 'endpoint-added' && e.endpoint.topic === topic && e.endpoint.kind === 'writer',
          'the new writer',
          DISCOVERY_MS,
        );
        expect(added.endpoint.guid).toMatch(/^[0-9a-f]{32}$/);
        expect(added.endpoint.qos.reliability).toBe('best_effort');
        expect(added.endpoint.qos.durability).toBe('volatile');
        await waitUntil(
          () =>
            b
              .topics()
              .some(
                (t) =>
                  t.name === topic && t.type === TYPE && t.writers.length === 1 && t.readers.length === 1,
              ),
          `b lists ${topic} with one writer and one reader`,
          { timeoutMs: DISCOVERY_MS },
        );

        await writer.close();
        const removed = await events.waitForItem(
          (e) => e.kind === 'endpoint-removed' && e.endpoint.guid === added.endpoint.guid,
          'removal of the writer',
          DISCOVERY_MS,
        );
        expect(removed.endpoint.topic).toBe(topic);
        await early.close();
        unwatch();
      });
    });

    it('stops delivery to a closed reader and to a closed participant', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('closing');
        const kept = new Collector<RosSample>();
        const closed = new Collector<RosSample>();
        const writer = a.createWriter(topic, TYPE, RELIABLE);
        a.createReader(topic, TYPE, RELIABLE, kept.listener);
        const closing = b.createReader(topic, TYPE, RELIABLE, closed.listener);
        await waitUntil(() => writer.matchedReaders() === 2, 'two readers match', {
          timeoutMs: DISCOVERY_MS,
        });
        writer.write(payload(1));
        await closed.waitFor(1);
        await closing.close();
        writer.write(payload(2));
        writer.write(payload(3));
        await kept.waitFor(3);
        expect(closed.items.map(counter)).toEqual([1]);

        const other = new Collector<RosSample>();
        b.createReader(topic, TYPE, RELIABLE, other.listener);
        await waitUntil(() => writer.matchedReaders() === 2, 'the new reader matches', {
          timeoutMs: DISCOVERY_MS,
        });
        await b.close();
        await waitUntil(() => writer.matchedReaders() === 1, 'the writer sees the closed participant go', {
          timeoutMs: DISCOVERY_MS,
        });
        writer.write(payload(4));
        await kept.waitFor(4);
        expect(other.items).toHaveLength(0);
        expect(() => b.createWriter(topic, TYPE, RELIABLE)).toThrow();
      });
    });

    it('carries a 6 MB payload intact', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const topic = topicName('image');
        const received = new Collector<RosSample>();
        const reader = b.createReader(topic, 'sensor_msgs/msg/Image', RELIABLE, received.listener);
        const writer = a.createWriter(topic, 'sensor_msgs/msg/Image', RELIABLE);
        await waitUntil(() => writer.matchedReaders() === 1 && reader.matchedWriters() === 1, 'match', {
          timeoutMs: DISCOVERY_MS,
        });
        const big = payload(7, 6 * 1024 * 1024);
        writer.write(big);
        const [sample] = await received.waitFor(1, 20_000);
        expect(sample?.data.byteLength).toBe(big.byteLength);
        expect(Buffer.compare(Buffer.from(sample?.data ?? []), Buffer.from(big))).toBe(0);
      });
    });

    it('keeps many topics apart', async () => {
      await withPair(makePair, async ({ a, b }) => {
        const base = topicName('many');
        const count = 40;
        const collectors = Array.from({ length: count }, () => new Collector<RosSample>());
        const readers = collectors.map((c, i) => b.createReader(`${base}/t${i}`, TYPE, RELIABLE, c.listener));
        const writers = collectors.map((_, i) => a.createWriter(`${base}/t${i}`, TYPE, RELIABLE));
        await waitUntil(
          () =>
            writers.every((w) => w.matchedReaders() === 1) && readers.every((r) => r.matchedWriters() === 1),
          `all ${count} topics match`,
          { timeoutMs: 2 * DISCOVERY_MS },
        );
        writers.forEach((w, i) => w.write(payload(i)));
        for (const [i, collector] of collectors.entries()) {
          const [sample] = await collector.waitFor(1);
          expect(sample?.topic).toBe(`${base}/t${i}`);
          expect(sample && counter(sample)).toBe(i);
        }
        expect(collectors.every((c) => c.items.length === 1)).toBe(true);
      });
    });
  });
}
