import { InProcessDomain, InProcessTransport, QOS_DEFAULT } from '@fleetloop/ros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../src/index.js';
import { Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, testConfig } from './support/harness.js';

/** A CDR buffer: encapsulation header (CDR_LE) plus a counter, enough for passthrough routes. */
function cdr(n: number, bytes = 16): Uint8Array {
  const data = Buffer.alloc(bytes);
  data.writeUInt32BE(0x00010000, 0);
  data.writeUInt32LE(n, 4);
  return data;
}

describe('Connector against Mosquitto', () => {
  const broker = new Mosquitto({ lines: ['max_packet_size 4096'] });
  beforeAll(() => broker.start());
  afterAll(() => broker.stop());

  it('carries matching ROS topics with the topic tree and user properties, in order, and announces itself', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/#');
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        ops: { port: 0 },
        routes: [
          { name: 'odom', topics: { include: ['/robot_1/*'], exclude: ['/robot_1/camera'] }, qos: 1 },
          { name: 'diag', topics: { include: [{ regex: '^/diagnostics$' }] }, qos: 0 },
        ],
      }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    const odom = robot.createWriter('/robot_1/odom', 'nav_msgs/msg/Odometry', QOS_DEFAULT);
    const camera = robot.createWriter('/robot_1/camera', 'sensor_msgs/msg/Image', QOS_DEFAULT);
    const diagnostics = robot.createWriter(
      '/diagnostics',
      'diagnostic_msgs/msg/DiagnosticArray',
      QOS_DEFAULT,
    );
    await connector.start();
    await subscriber.until((m) => m.some((x) => x.topic.endsWith('/status/connector')));
    for (let i = 0; i < 20; i++) {
      odom.write(cdr(i), 1_000_000_000n + BigInt(i));
      camera.write(cdr(i));
    }
    diagnostics.write(cdr(99));
    await subscriber.until((m) => m.filter((x) => x.topic.includes('/ros/')).length >= 21);

    const carried = subscriber.on('/ros/robot_1/odom');
    expect(carried.map((m) => m.payload.readUInt32LE(4))).toEqual([...Array(20).keys()]);
    expect(carried[3]?.topic).toBe('fleetloop/v1/lab/robot-1/ros/robot_1/odom');
    expect(carried[3]?.userProperties).toEqual({
      'ros-type': 'nav_msgs/msg/Odometry',
      encoding: 'cdr',
      seq: '3',
      'stamp-ns': '1000000003',
    });
    const diagnostic = subscriber.on('/ros/diagnostics');
    expect(diagnostic).toHaveLength(1);
    expect(diagnostic[0]?.payload.readUInt32LE(4)).toBe(99);
    expect(diagnostic[0]?.userProperties).toEqual({
      'ros-type': 'diagnostic_msgs/msg/DiagnosticArray',
      encoding: 'cdr',
      seq: '0',
      'stamp-ns': expect.stringMatching(/^\d{19}$/) as unknown,
    });
    expect(subscriber.on('/camera')).toHaveLength(0);
    expect(connector.status().routes).toEqual({ odom: ['/robot_1/odom'], diag: ['/diagnostics'] });
    const status = subscriber.on('/status/connector')[0];
    expect(JSON.parse(status?.payload.toString() ?? '')).toMatchObject({ state: 'online', version: '0.1.0' });

    await waitFor(() => connector.status().counts.odom?.delivered === 20);
    const ops = connector.opsUrl ?? '';
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toContain(
      'fleetloop_connector_messages_in_total{robot="robot-1",route="odom",direction="ros-to-mqtt"} 20',
    );
    expect(metrics).toContain('fleetloop_connector_latency_seconds_count{robot="robot-1",route="odom"} 20');

    await connector.stop();
    await subscriber.until((m) =>
      m.some((x) => x.topic.endsWith('/status/connector') && x.payload.includes('offline')),
    );
    await subscriber.close();
    await robot.close();
  });

  it('drops messages over the route limit or the broker maximum packet size, counts them, and carries on', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const subscriber = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/ros/#');
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        routes: [
          { name: 'scan', topics: { include: ['/scan'] }, qos: 1 },
          { name: 'small', topics: { include: ['/small'] }, maxMessageBytes: 100 },
        ],
      }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    const scan = robot.createWriter('/scan', 'sensor_msgs/msg/LaserScan', QOS_DEFAULT);
    const small = robot.createWriter('/small', 'std_msgs/msg/String', QOS_DEFAULT);
    await connector.start();
    await waitFor(() => connector.connected && Object.keys(connector.status().routes).length === 2);
    scan.write(cdr(1, 100));
    scan.write(cdr(2, 8000));
    scan.write(cdr(3, 100));
    small.write(cdr(4, 200));
    small.write(cdr(5, 50));
    await subscriber.until((m) => m.length >= 3);
    expect(subscriber.messages.map((m) => m.payload.readUInt32LE(4)).sort()).toEqual([1, 3, 5]);
    const metrics = await connector.registry.getSingleMetricAsString(
      'fleetloop_connector_messages_dropped_total',
    );
    expect(metrics).toContain('robot="robot-1",route="scan",reason="too-large"} 1');
    expect(metrics).toContain('robot="robot-1",route="small",reason="too-large"} 1');
    expect(connector.connected).toBe(true);
    await connector.stop();
    await subscriber.close();
    await robot.close();
  });

  it('writes allowed commands from MQTT to ROS and refuses types not on the allow-list', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const received: { topic: string; type: string; data: Uint8Array }[] = [];
    robot.createReader('/robot_1/estop', 'std_msgs/msg/Bool', QOS_DEFAULT, (s) => received.push(s));
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        reverse: [{ name: 'commands', types: ['std_msgs/msg/Bool'] }],
      }),
      transport: new InProcessTransport({ domain }),
      logger: quietLogger,
    });
    await connector.start();
    const operator = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/status/#');
    await operator.until((m) => m.some((x) => x.payload.includes('online')));
    const command = Buffer.from([0, 1, 0, 0, 1]);
    await operator.client.publishAsync('fleetloop/v1/lab/robot-1/cmd/robot_1/estop', command, {
      qos: 1,
      properties: { userProperties: { 'ros-type': 'std_msgs/msg/String', encoding: 'cdr' } },
    });
    await operator.client.publishAsync('fleetloop/v1/lab/robot-1/cmd/robot_1/estop', command, {
      qos: 1,
      properties: { userProperties: { 'ros-type': 'std_msgs/msg/Bool', encoding: 'cdr' } },
    });
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatchObject({ topic: '/robot_1/estop', type: 'std_msgs/msg/Bool' });
    expect(Buffer.from(received[0]?.data ?? [])).toEqual(command);
    const dropped = await connector.registry.getSingleMetricAsString(
      'fleetloop_connector_messages_dropped_total',
    );
    expect(dropped).toContain('route="commands",reason="not-allowed"} 1');
    await connector.stop();
    await operator.close();
    await robot.close();
  });
});

/** Polls a condition that has no event to await (connector state seen from outside). */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
