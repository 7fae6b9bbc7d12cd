import { createHash, randomInt } from 'node:crypto';
import { DdsTransport, QOS_DEFAULT } from '@fleetloop/ros';
import { waitUntil } from '@fleetloop/ros/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../src/index.js';
import { Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, testConfig } from './support/harness.js';

/** Payloads compared by digest: a deep comparison of megabyte buffers takes the test's time. */
const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A 1 MiB CDR payload (encapsulation header, then `fill` in every byte): a camera image's size. */
function image(fill: number): Buffer {
  const data = Buffer.alloc(8 + (1 << 20), fill);
  data.writeUInt32BE(0x00010000, 0);
  data.writeUInt32LE(1 << 20, 4);
  return data;
}

// The connector's DDS readers loan their samples (the bytes vanish when the listener returns), so
// every way a route keeps a payload past that call must keep a copy: the QoS 0 send and its
// socket backlog, the store-and-forward queue, and the sample a rate limit holds for its slot.
describe('Connector over Cyclone DDS with loaned samples', () => {
  const broker = new Mosquitto();
  const domainId = randomInt(1, 230);
  const transports: DdsTransport[] = [];
  beforeAll(() => broker.start());
  afterAll(async () => {
    for (const t of transports) await t.close();
    await broker.stop();
  });

  it('carries 1 MB images byte for byte on QoS 0, QoS 1 and rate-limited routes', async () => {
    const transport = (): DdsTransport => {
      const t = new DdsTransport({ domainId, discoveryRange: 'localhost' });
      transports.push(t);
      return t;
    };
    const robot = transport();
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/ros/#');
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        routes: [
          { name: 'fast', topics: { include: ['/cam/fast'] }, qos: 0 },
          { name: 'kept', topics: { include: ['/cam/kept'] }, qos: 1 },
          { name: 'slow', topics: { include: ['/cam/slow'] }, qos: 0, maxRateHz: 0.5 },
        ],
      }),
      transport: transport(),
      logger: quietLogger,
    });
    const qos = { ...QOS_DEFAULT, history: { kind: 'keep_last' as const, depth: 10 } };
    const writers = ['fast', 'kept', 'slow'].map((name) =>
      robot.createWriter(`/cam/${name}`, 'sensor_msgs/msg/Image', qos),
    );
    await connector.start();
    try {
      await waitUntil(() => connector.connected, 'the connector is connected to the broker');
      await waitUntil(
        () => Object.keys(connector.status().routes).length === 3,
        'the routes follow the topics',
      );
      await waitUntil(
        () => writers.every((w) => w.matchedReaders() === 1),
        'the connector reads every topic',
      );
      const images = [1, 2, 3, 4, 5].map(image);
      const sent = images.map(digest);
      for (const data of images) for (const writer of writers) writer.write(data);

      // the rate limit passes the first image at once and holds the newest for the next slot
      const on = (topic: string): string[] => subscriber.on(topic).map((m) => digest(m.payload));
      await subscriber.until(
        () => on('/ros/cam/fast').length + on('/ros/cam/kept').length + on('/ros/cam/slow').length >= 12,
      );
      expect(on('/ros/cam/fast')).toEqual(sent);
      expect(on('/ros/cam/kept')).toEqual(sent);
      expect(on('/ros/cam/slow')).toEqual([sent[0], sent[4]]);
    } finally {
      await connector.stop();
      await subscriber.close();
    }
  }, 40_000);
});
