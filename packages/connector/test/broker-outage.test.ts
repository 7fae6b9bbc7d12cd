import { InProcessDomain, InProcessTransport, QOS_DEFAULT } from '@fleetloop/ros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../src/index.js';
import { Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, type Received, testConfig } from './support/harness.js';

const RATE_PER_S = 500;
const OUTAGE_MS = 30_000;

/** Sequence numbers per topic, with resent duplicates (same `seq`) removed as a consumer would. */
function deduplicated(messages: Received[], suffix: string): number[] {
  const seqs: number[] = [];
  let last = -1;
  for (const m of messages) {
    if (!m.topic.endsWith(suffix)) continue;
    const seq = m.payload.readUInt32LE(4);
    if (seq > last) {
      seqs.push(seq);
      last = seq;
    }
  }
  return seqs;
}

describe('broker outage on a QoS 1 route', () => {
  const broker = new Mosquitto({ persistence: true });
  beforeAll(() => broker.start());
  afterAll(() => broker.stop());

  it('delivers every message sent during a 30 s outage at 500 msg/s, in order per topic', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    // A persistent session, so the broker keeps what arrives for the subscriber while it reconnects.
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/ros/#', {
      clientId: 'outage-consumer',
      clean: false,
      properties: { sessionExpiryInterval: 600 },
    });
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        routes: [{ name: 'telemetry', topics: { include: ['/robot_1/*'] }, qos: 1 }],
      }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    await connector.start();
    const writers = ['/robot_1/odom', '/robot_1/imu'].map((t) =>
      robot.createWriter(t, 'std_msgs/msg/UInt32', QOS_DEFAULT),
    );
    const counters = [0, 0];
    const started = Date.now();
    const total = () => counters[0]! + counters[1]!;
    // 10 messages every 20 ms = 500 msg/s over two topics.
    const producer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) * RATE_PER_S) / 1000) - total();
      for (let i = 0; i < due; i++) {
        const w = i % 2;
        const payload = Buffer.alloc(64);
        payload.writeUInt32BE(0x00010000, 0);
        payload.writeUInt32LE(counters[w]!++, 4);
        writers[w]!.write(payload);
      }
    }, 20);

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await broker.stop();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(connector.connected).toBe(false);
    expect(connector.status().queued.telemetry).toBeGreaterThan(RATE_PER_S * 25);
    await broker.start();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    clearInterval(producer);

    const [odom, imu] = counters as [number, number];
    await subscriber.until(
      (m) =>
        deduplicated(m, '/robot_1/odom').length === odom && deduplicated(m, '/robot_1/imu').length === imu,
    );
    expect(deduplicated(subscriber.messages, '/robot_1/odom')).toEqual([...Array(odom).keys()]);
    expect(deduplicated(subscriber.messages, '/robot_1/imu')).toEqual([...Array(imu).keys()]);
    expect(odom + imu).toBeGreaterThan(RATE_PER_S * 35);
    await connector.stop();
    await subscriber.close();
    await robot.close();
  }, 90_000);
});
