import { InProcessDomain, InProcessTransport, QOS_DEFAULT } from '@fleetloop/ros';
import { afterAll, describe, expect, it } from 'vitest';
import { Connector } from '../src/index.js';
import { freePort, Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, testConfig } from './support/harness.js';

describe('store-and-forward disk budget', () => {
  let broker: Mosquitto | undefined;
  afterAll(() => broker?.stop());

  it('drops the oldest messages beyond the budget, counts them, stays up and delivers the newest', async () => {
    const port = await freePort();
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const config = testConfig({
      broker: { url: `mqtt://127.0.0.1:${port}` },
      queue: { maxBytes: 100 * 1024, segmentBytes: 16 * 1024 },
      routes: [{ name: 'camera', topics: { include: ['/camera/compressed'] }, qos: 1 }],
    });
    const connector = new Connector({
      config,
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    await connector.start();
    const writer = robot.createWriter('/camera/compressed', 'sensor_msgs/msg/CompressedImage', QOS_DEFAULT);
    await until(() => writer.matchedReaders() === 1);
    for (let i = 0; i < 1000; i++) {
      const payload = Buffer.alloc(1024);
      payload.writeUInt32BE(0x00010000, 0);
      payload.writeUInt32LE(i, 4);
      writer.write(payload);
    }
    await until(() => connector.status().counts.camera?.received === 1000);
    const dropped = connector.status().counts.camera?.dropped['queue-overflow'] ?? 0;
    expect(await overflowMetric(connector)).toBe(dropped);
    const kept = connector.status().queued.camera ?? 0;
    expect(dropped + kept).toBe(1000);
    expect(kept).toBeGreaterThan(80);
    expect(kept).toBeLessThan(100);

    // The queue is on disk: a connector started on it once the subscriber listens delivers it (the
    // first one could reach the broker before the subscriber has subscribed).
    await connector.stop();
    broker = new Mosquitto({ port });
    const subscriber = await broker
      .start()
      .then(() => Subscriber.connect(broker!.url, 'fleetloop/v1/lab/robot-1/ros/#'));
    const restarted = new Connector({
      config,
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    await restarted.start();
    await subscriber.until((m) => m.length >= kept);
    expect(subscriber.messages.map((m) => m.payload.readUInt32LE(4))).toEqual(
      Array.from({ length: kept }, (_, i) => dropped + i),
    );
    await restarted.stop();
    await subscriber.close();
    await robot.close();
  });
});

async function overflowMetric(connector: Connector): Promise<number> {
  const metric = await connector.registry
    .getSingleMetric('fleetloop_connector_messages_dropped_total')
    ?.get();
  return metric?.values.find((v) => v.labels.reason === 'queue-overflow')?.value ?? 0;
}

/** Polls connector state seen from outside (no event to await for it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
