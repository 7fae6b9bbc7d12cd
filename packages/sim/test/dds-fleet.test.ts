import { randomInt } from 'node:crypto';
import { cycloneConfigString, DdsTransport } from '@fleetloop/ros';
import { DdsPeerProcess as SimPeerProcess, waitUntil } from '@fleetloop/ros/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimFleet } from '../src/index.js';
import { buildSimPeer } from './support/simPeer.js';

// Four simulated robots on Cyclone DDS and a plain C Cyclone DDS program in another process, on
// a random ROS domain over loopback: the C side must see the robots' ROS 2 topics with
// rmw_cyclonedds type names, and a Twist it publishes must move the robot it is addressed to.

const domainId = randomInt(1, 233);
const env = {
  ...process.env,
  ROS_DOMAIN_ID: String(domainId),
  CYCLONEDDS_URI: cycloneConfigString({ discoveryRange: 'localhost', staticPeers: [], userUri: undefined }),
};
let exe: string;
let transport: DdsTransport;
let fleet: SimFleet;

beforeAll(async () => {
  exe = buildSimPeer();
  transport = new DdsTransport({ domainId, discoveryRange: 'localhost', env: {} });
  fleet = await SimFleet.create({ transport, robots: 4, idleS: 0, cameraHz: 5 });
  fleet.start();
}, 120_000);

afterAll(async () => {
  await fleet?.close();
  await transport?.close();
});

describe('simulated fleet on DDS', () => {
  it('shows a C DDS peer every robot topic with its ROS 2 type name', async () => {
    const perRobot: [string, string, string][] = [
      ['writer', 'scan', 'sensor_msgs::msg::dds_::LaserScan_'],
      ['writer', 'odom', 'nav_msgs::msg::dds_::Odometry_'],
      ['writer', 'camera/image_raw', 'sensor_msgs::msg::dds_::Image_'],
      ['writer', 'goal_pose', 'geometry_msgs::msg::dds_::PoseStamped_'],
      ['writer', 'mission_state', 'std_msgs::msg::dds_::String_'],
      ['writer', 'collision', 'std_msgs::msg::dds_::String_'],
      ['reader', 'cmd_vel', 'geometry_msgs::msg::dds_::Twist_'],
    ];
    const expected = [1, 2, 3, 4].flatMap((i) =>
      perRobot.map(([kind, topic, type]) => `ENDPOINT ${kind} rt/robot_${i}/${topic} ${type}`),
    );
    // The peer prints every endpoint under rt/robot_ as discovery reports it; it is stopped once
    // all expected ones were seen (other programs on the same domain cannot end it early).
    const peer = new SimPeerProcess(exe, ['topics', 'rt/robot_', 10_000, 40], env);
    try {
      await waitUntil(
        () => expected.every((line) => peer.lines.includes(line)),
        'the C peer saw every robot topic',
        {
          timeoutMs: 40_000,
          intervalMs: 50,
        },
      );
    } finally {
      peer.kill();
    }
    expect(peer.lines).toEqual(expect.arrayContaining(expected));
  }, 60_000);

  it('moves robot_3 by a Twist the C peer publishes on /robot_3/cmd_vel, and no other robot', async () => {
    const [r1, , r3] = fleet.robots;
    const before3 = r3!.pose;
    const before1 = r1!.pose;
    // 2 s of 0.6 rad/s in place: about a radian once latency and acceleration are through.
    const peer = new SimPeerProcess(exe, ['twist', 'rt/robot_3/cmd_vel', 40, 20, 0, 0.6], env);
    await peer.success();
    const turned = Math.abs(
      Math.atan2(Math.sin(r3!.pose.theta - before3.theta), Math.cos(r3!.pose.theta - before3.theta)),
    );
    expect(turned).toBeGreaterThan(0.4);
    expect(r1!.pose.theta).toBe(before1.theta);
  }, 60_000);
});
