import { describe, expect, it } from 'vitest';
import { QOS_DEFAULT, QOS_SENSOR_DATA } from '../qos/profiles.js';
import { Collector } from '../testing/Collector.js';
import { InProcessTransport } from './InProcessTransport.js';
import { InProcessDomain } from './InProcessTransportDomain.js';
import { describeTransportContract } from './transport.case.js';
import type { RosSample } from './RosTransport.js';

describeTransportContract('in-process', () => {
  const domain = new InProcessDomain();
  const a = new InProcessTransport({ domain });
  const b = new InProcessTransport({ domain });
  return Promise.resolve({
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  });
});

describe('InProcessTransport', () => {
  it('never calls a listener from inside write()', () => {
    const t = new InProcessTransport({ domain: new InProcessDomain() });
    const seen: number[] = [];
    t.createReader('/x', 'std_msgs/msg/String', QOS_DEFAULT, () => seen.push(1));
    t.createWriter('/x', 'std_msgs/msg/String', QOS_DEFAULT).write(new Uint8Array([0, 1, 0, 0]));
    expect(seen).toEqual([]);
  });

  it('drops the oldest samples of a burst for a best-effort reader, keeping `depth`', async () => {
    const t = new InProcessTransport({ domain: new InProcessDomain() });
    const got = new Collector<RosSample>();
    t.createReader('/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA, got.listener);
    const writer = t.createWriter('/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA);
    for (let i = 0; i < 20; i++) {
      writer.write(new Uint8Array([0, 1, 0, 0, i]));
    }
    const samples = await got.waitFor(5);
    expect(samples.map((s) => s.data[4])).toEqual([15, 16, 17, 18, 19]);
    await t.close();
  });

  it('matches `pkg/Type` and `pkg/msg/Type` as the same type, and stamps with the injected clock', async () => {
    const t = new InProcessTransport({ domain: new InProcessDomain(), now: () => 42n });
    const got = new Collector<RosSample>();
    t.createReader('/chatter', 'std_msgs/String', QOS_DEFAULT, got.listener);
    t.createWriter('/chatter', 'std_msgs/msg/String', QOS_DEFAULT).write(new Uint8Array([0, 1, 0, 0]));
    const [sample] = await got.waitFor(1);
    expect(sample?.type).toBe('std_msgs/msg/String');
    expect(sample?.sourceTimestampNs).toBe(42n);
    await t.close();
  });

  it('copies a Buffer on write, so the caller may reuse it at once', async () => {
    const t = new InProcessTransport({ domain: new InProcessDomain() });
    const got = new Collector<RosSample>();
    t.createReader('/x', 'std_msgs/msg/String', QOS_DEFAULT, got.listener);
    const buffer = Buffer.from([0, 1, 0, 0, 7]);
    t.createWriter('/x', 'std_msgs/msg/String', QOS_DEFAULT).write(buffer);
    buffer.fill(9);
    const [sample] = await got.waitFor(1);
    expect([...(sample?.data ?? [])]).toEqual([0, 1, 0, 0, 7]);
    await t.close();
  });

  it('rejects invalid names and depths with ROS errors', () => {
    const t = new InProcessTransport({ domain: new InProcessDomain() });
    expect(() => t.createWriter('scan', 'sensor_msgs/msg/LaserScan', QOS_DEFAULT)).toThrow(/not absolute/);
    expect(() => t.createWriter('/a//b', 'sensor_msgs/msg/LaserScan', QOS_DEFAULT)).toThrow(/empty segment/);
    expect(() => t.createWriter('/scan', 'LaserScan', QOS_DEFAULT)).toThrow(/pkg\/msg\/Type/);
    expect(() =>
      t.createWriter('/scan', 'sensor_msgs/msg/LaserScan', {
        ...QOS_DEFAULT,
        history: { kind: 'keep_last', depth: 0 },
      }),
    ).toThrow(expect.objectContaining({ code: 'ROS_QOS_INVALID' }));
  });

  it('hands listener errors to onListenerError and keeps delivering', async () => {
    const errors: unknown[] = [];
    const t = new InProcessTransport({
      domain: new InProcessDomain(),
      onListenerError: (error, topic) => errors.push([error, topic]),
    });
    const got = new Collector<RosSample>();
    t.createReader('/x', 'std_msgs/msg/String', QOS_DEFAULT, (s) => {
      got.listener(s);
      if (got.items.length === 1) {
        throw new Error('boom');
      }
    });
    const writer = t.createWriter('/x', 'std_msgs/msg/String', QOS_DEFAULT);
    writer.write(new Uint8Array([0, 1, 0, 0]));
    writer.write(new Uint8Array([0, 1, 0, 0]));
    await got.waitFor(2);
    expect(errors).toEqual([[new Error('boom'), '/x']]);
    await t.close();
  });
});
