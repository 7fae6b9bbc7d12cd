import { describe, expect, it } from 'vitest';
import { makeLaserScan, makeString, makeTwist } from '../msg/commonMessages.js';
import type { LaserScan, StringMessage, Twist } from '../msg/commonTypes.js';
import { MessageDefinitionRegistry } from '../msg/MessageDefinitionRegistry.js';
import type { RosDecodeError } from '../msg/RosDecodeError.js';
import type { RosError } from '../msg/RosError.js';
import { QOS_DEFAULT, QOS_SENSOR_DATA } from '../qos/profiles.js';
import { Collector } from '../testing/Collector.js';
import { waitUntil } from '../testing/waitUntil.js';
import { InProcessTransport } from '../transport/InProcessTransport.js';
import { InProcessDomain } from '../transport/InProcessTransportDomain.js';
import type { RosSample } from '../transport/RosTransport.js';
import { RosNode } from './RosNode.js';

function setup() {
  const domain = new InProcessDomain();
  const robot = new RosNode({
    name: 'driver',
    namespace: '/robot_3',
    transport: new InProcessTransport({ domain }),
  });
  const bridge = new RosNode({ name: 'bridge', transport: new InProcessTransport({ domain }) });
  const raw = new InProcessTransport({ domain });
  return { robot, bridge, raw };
}

describe('RosNode', () => {
  it('publishes and receives typed messages on namespaced topics', async () => {
    const { robot, bridge } = setup();
    const got = new Collector<[LaserScan, RosSample]>();
    bridge.createSubscription('/robot_3/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA, (scan, sample) =>
      got.listener([scan, sample]),
    );
    const scans = robot.createPublisher('scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA);
    expect(scans.topic).toBe('/robot_3/scan');
    const scan = makeLaserScan({
      stamp: 5n,
      ranges: [1, 2, 3],
      angleMin: -1,
      angleMax: 1,
      rangeMin: 0.5,
      rangeMax: 8,
    });
    scans.publish(scan, 77n);
    const [[received, sample] = []] = await got.waitFor(1);
    expect(received).toEqual(scan);
    expect(sample?.sourceTimestampNs).toBe(77n);
    expect(sample?.type).toBe('sensor_msgs/msg/LaserScan');
    expect(robot.resolve('~/status')).toBe('/robot_3/driver/status');
    await robot.close();
    await bridge.close();
  });

  it('reports a bad payload as a decode-error and keeps the subscription flowing', async () => {
    const { bridge, raw } = setup();
    const errors = new Collector<RosDecodeError>();
    bridge.on('decode-error', (error) => errors.listener(error));
    const got = new Collector<Twist>();
    const sub = bridge.createSubscription('cmd_vel', 'geometry_msgs/msg/Twist', QOS_DEFAULT, got.listener);
    const good = bridge.registry
      .codec<Twist>('geometry_msgs/msg/Twist')
      .encode(makeTwist({ linear: { x: 1 } }));
    const writer = raw.createWriter('/cmd_vel', 'geometry_msgs/msg/Twist', QOS_DEFAULT);
    writer.write(good);
    writer.write(good.subarray(0, 20));
    writer.write(good);
    const twists = await got.waitFor(2);
    expect(twists.map((t) => t.linear.x)).toEqual([1, 1]);
    const [error] = await errors.waitFor(1);
    expect(error?.topic).toBe('/cmd_vel');
    expect(error?.type).toBe('geometry_msgs/msg/Twist');
    expect(error?.offset).toBe(20);
    expect(error?.field).toBe('linear.z');
    expect(sub.received).toBe(3);
    expect(sub.undecodable).toBe(1);
  });

  it('reports an unknown type once and decodes once the definition arrives', async () => {
    const { bridge, raw } = setup();
    const unknown = new Collector<RosError>();
    bridge.on('unknown-type', (error) => unknown.listener(error));
    const got = new Collector<unknown>();
    const sub = bridge.createSubscription('/battery', 'robot_msgs/msg/Battery', QOS_DEFAULT, got.listener);
    expect(unknown.items.map((e) => e.code)).toEqual(['ROS_UNKNOWN_TYPE']);
    expect(unknown.items[0]?.message).toMatch(/robot_msgs\/msg\/Battery/);
    const writer = raw.createWriter('/battery', 'robot_msgs/msg/Battery', QOS_DEFAULT);
    const sender = new MessageDefinitionRegistry({ common: false });
    sender.addMsgFile('robot_msgs/msg/Battery', 'float32 voltage\n');
    writer.write(sender.codec('robot_msgs/msg/Battery').encode({ voltage: 24.5 }));
    writer.write(sender.codec('robot_msgs/msg/Battery').encode({ voltage: 24.0 }));
    // without a definition the samples are counted, not delivered
    await waitUntil(() => sub.received === 2, 'both samples reach the subscription');
    expect(sub.undecodable).toBe(2);
    bridge.registry.addDefinitionText(
      'robot_msgs/msg/Battery',
      sender.definitionText('robot_msgs/msg/Battery'),
    );
    writer.write(sender.codec('robot_msgs/msg/Battery').encode({ voltage: 23.5 }));
    expect(await got.waitFor(1)).toEqual([{ voltage: 23.5 }]);
    expect(unknown.items).toHaveLength(1);
  });

  it('refuses unknown types where nothing can report them', () => {
    const { bridge } = setup();
    expect(() => bridge.createPublisher('/battery', 'robot_msgs/msg/Battery')).toThrow(
      expect.objectContaining({ code: 'ROS_UNKNOWN_TYPE' }),
    );
    expect(() =>
      bridge.createSubscription('/battery', 'robot_msgs/msg/Battery', QOS_DEFAULT, () => undefined),
    ).toThrow(/Unknown ROS message type robot_msgs\/msg\/Battery/);
  });

  it('infers message types from type names and rejects bad node names', async () => {
    const { robot } = setup();
    const chatter = robot.createPublisher('chatter', 'std_msgs/msg/String');
    const typed: (message: StringMessage) => void = (m) => chatter.publish(m);
    typed(makeString('hi'));
    expect(() => new RosNode({ name: '3d', transport: new InProcessTransport() })).toThrow(/node name "3d"/);
    await robot.close();
    expect(() => robot.createPublisher('chatter', 'std_msgs/msg/String')).toThrow(/closed/);
  });
});
