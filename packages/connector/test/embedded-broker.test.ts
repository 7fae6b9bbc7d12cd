import { InProcessDomain, InProcessTransport, QOS_DEFAULT } from '@fleetloop/ros';
import mqtt from 'mqtt';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Connector, EmbeddedBroker } from '../src/index.js';
import { quietLogger, testConfig } from './support/harness.js';

describe('EmbeddedBroker', () => {
  it('runs several connectors in one process against an in-process broker on a free port', async () => {
    const broker = new EmbeddedBroker();
    const url = await broker.start();
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const consumer = await mqtt.connectAsync(url, { protocolVersion: 4 });
    const received: string[] = [];
    consumer.on('message', (topic) => received.push(topic));
    await consumer.subscribeAsync('fleetloop/v1/lab/+/ros/#', { qos: 1 });

    const domain = new InProcessDomain();
    // One registry for every connector in the process, as `fleetloop up` exposes a single /metrics.
    const registry = new Registry();
    const robots = ['robot-1', 'robot-2'];
    const connectors = robots.map(
      (robot) =>
        new Connector({
          config: testConfig({
            robot,
            broker: { url, protocolVersion: 4 },
            routes: [{ name: 'odom', topics: { include: [`/${robot.replace('-', '_')}/odom`] }, qos: 1 }],
          }),
          transport: new InProcessTransport({ domain }),
          logger: quietLogger,
          registry,
        }),
    );
    await Promise.all(connectors.map((c) => c.start()));
    const sim = new InProcessTransport({ domain });
    const writers = robots.map((robot) =>
      sim.createWriter(`/${robot.replace('-', '_')}/odom`, 'nav_msgs/msg/Odometry', QOS_DEFAULT),
    );
    while (writers.some((w) => w.matchedReaders() === 0) || connectors.some((c) => !c.connected)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const writer of writers) writer.write(Buffer.from([0, 1, 0, 0, 7]));
    while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received.sort()).toEqual([
      'fleetloop/v1/lab/robot-1/ros/robot_1/odom',
      'fleetloop/v1/lab/robot-2/ros/robot_2/odom',
    ]);
    while (connectors.some((c) => c.status().counts.odom?.delivered !== 1)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const delivered = await registry.getSingleMetricAsString('fleetloop_connector_messages_out_total');
    expect(delivered).toContain('robot="robot-1",route="odom",direction="ros-to-mqtt"} 1');
    expect(delivered).toContain('robot="robot-2",route="odom",direction="ros-to-mqtt"} 1');
    await Promise.all(connectors.map((c) => c.stop()));
    await consumer.endAsync();
    await sim.close();
    await broker.stop();
  });
});
