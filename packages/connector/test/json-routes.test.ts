import { spawn } from 'node:child_process';
import {
  MessageDefinitionRegistry,
  InProcessDomain,
  InProcessTransport,
  makeOdometry,
  QOS_DEFAULT,
} from '@fleetloop/ros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector, rosMessageCodecs } from '../src/index.js';
import { Mosquitto } from './support/Mosquitto.js';
import { quietLogger, Subscriber, testConfig } from './support/harness.js';

/** Runs `mosquitto_sub -C 1 -F %p` and resolves to the payload it printed; `poke` runs until then. */
async function mosquittoSub(port: number, topic: string, poke: () => void): Promise<string> {
  const child = spawn(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-C', '1', '-t', topic, '-F', '%p'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  // The subscriber gives no sign that it subscribed, so keep publishing until it has one message.
  const timer = setInterval(poke, 50);
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  clearInterval(timer);
  return out.trim();
}

describe('JSON routes, definitions and JSON commands', () => {
  const broker = new Mosquitto();
  const registry = new MessageDefinitionRegistry();
  const codecs = rosMessageCodecs(registry);
  beforeAll(() => broker.start());
  afterAll(() => broker.stop());

  it('publishes JSON any MQTT client can read, and the retained .msg definition of the type', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        routes: [{ name: 'odom', topics: { include: ['/robot_1/odom'] }, encoding: 'json', qos: 1 }],
      }),
      transport: new InProcessTransport({ domain }),
      codecs,
      logger: quietLogger,
    });
    await connector.start();
    const writer = robot.createWriter('/robot_1/odom', 'nav_msgs/msg/Odometry', QOS_DEFAULT);
    const odometry = registry
      .codec('nav_msgs/msg/Odometry')
      .encode(makeOdometry({ x: 1.5, y: -2, frameId: 'map' }));
    const text = await mosquittoSub(broker.port, 'fleetloop/v1/lab/robot-1/ros/robot_1/odom', () =>
      writer.write(odometry),
    );
    const message = JSON.parse(text) as {
      header: { frame_id: string };
      pose: { pose: { position: unknown }; covariance: number[] };
    };
    expect(message.header.frame_id).toBe('map');
    expect(message.pose.pose.position).toEqual({ x: 1.5, y: -2, z: 0 });
    expect(message.pose.covariance).toHaveLength(36);

    const definition = await mosquittoSub(
      broker.port,
      'fleetloop/v1/lab/robot-1/types/nav_msgs/Odometry',
      () => undefined,
    );
    expect(definition).toContain('geometry_msgs/PoseWithCovariance pose');
    expect(definition).toContain('MSG: std_msgs/Header');
    await connector.stop();
    await robot.close();
  });

  it('encodes a JSON command to CDR and writes it to the ROS topic', async () => {
    const domain = new InProcessDomain();
    const robot = new InProcessTransport({ domain });
    const goals: unknown[] = [];
    robot.createReader('/robot_1/goal_pose', 'geometry_msgs/msg/PoseStamped', QOS_DEFAULT, (s) =>
      goals.push(registry.codec('geometry_msgs/msg/PoseStamped').decode(s.data)),
    );
    const connector = new Connector({
      config: testConfig({
        broker: { url: broker.url },
        reverse: [
          {
            name: 'goals',
            types: ['geometry_msgs/msg/PoseStamped'],
            topics: { include: ['/robot_1/goal_pose'] },
          },
        ],
      }),
      transport: new InProcessTransport({ domain }),
      codecs,
      logger: quietLogger,
    });
    await connector.start();
    const operator = await Subscriber.connect(broker.url, 'fleetloop/v1/lab/robot-1/status/#');
    await operator.until((m) => m.some((x) => x.payload.includes('online')));
    const goal = {
      header: { frame_id: 'map' },
      pose: { position: { x: 3, y: 4, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
    };
    await operator.client.publishAsync(
      'fleetloop/v1/lab/robot-1/cmd/robot_1/goal_pose',
      JSON.stringify(goal),
      { qos: 1 },
    );
    while (goals.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(goals[0]).toMatchObject({ header: { frame_id: 'map' }, pose: { position: { x: 3, y: 4, z: 0 } } });
    expect(connector.status().counts.goals).toMatchObject({ received: 1, delivered: 1 });
    await connector.stop();
    await operator.close();
    await robot.close();
  });
});
