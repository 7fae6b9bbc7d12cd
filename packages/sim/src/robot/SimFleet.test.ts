import {
  InProcessDomain,
  InProcessTransport,
  makeTwist,
  QOS_DEFAULT,
  QOS_LATCHED,
  QOS_SENSOR_DATA,
  RosNode,
  timeFromNs,
  type Image,
  type LaserScan,
  type Odometry,
  type PoseStamped,
  type StringMessage,
} from '@fleetloop/ros';
import { Collector, waitUntil } from '@fleetloop/ros/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { navObservation } from '../observation/navObservation.js';
import { parseMissionState, type MissionState } from './missionState.js';
import { SimFleet } from './SimFleet.js';

/** A clock that advances 50 ms per fleet tick, so command ages follow simulated time. */
function steppedClock(): { nowNs: () => bigint; advance: () => void } {
  let now = 1_700_000_000_000_000_000n;
  return { nowNs: () => now, advance: () => (now += 50_000_000n) };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp(options: {
  robots: number;
  driver?: 'external' | 'expert';
  idleS?: number;
  operator?: boolean;
}) {
  const domain = new InProcessDomain();
  const clock = steppedClock();
  const robotsSide = new InProcessTransport({ domain });
  const fleet = await SimFleet.create({
    transport: robotsSide,
    robots: options.robots,
    seed: 100,
    idleS: options.idleS ?? 0,
    driver: options.driver ?? 'external',
    nowNs: clock.nowNs,
    operator: options.operator ?? false,
  });
  const peerSide = new InProcessTransport({ domain });
  const peer = new RosNode({ name: 'peer', transport: peerSide });
  cleanup.push(
    () => robotsSide.close(),
    () => peerSide.close(),
    () => fleet.close(),
    () => peer.close(),
  );
  const tick = (): void => {
    clock.advance();
    fleet.tick();
  };
  return { fleet, peer, tick, peerSide, clock };
}

describe('SimFleet', () => {
  it('publishes each robot sensors under its namespace with ROS types a runtime can build the observation from', async () => {
    const { fleet, peer, tick, peerSide, clock } = await setUp({ robots: 2 });
    const scans = new Collector<LaserScan>();
    const odoms = new Collector<Odometry>();
    const images = new Collector<Image>();
    const goals = new Collector<PoseStamped>();
    peer.createSubscription('/robot_2/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA, scans.listener);
    peer.createSubscription('/robot_2/odom', 'nav_msgs/msg/Odometry', QOS_DEFAULT, odoms.listener);
    peer.createSubscription(
      '/robot_2/camera/image_raw',
      'sensor_msgs/msg/Image',
      QOS_SENSOR_DATA,
      images.listener,
    );
    peer.createSubscription(
      '/robot_2/goal_pose',
      'geometry_msgs/msg/PoseStamped',
      QOS_LATCHED,
      goals.listener,
    );
    for (let i = 0; i < 4; i++) tick();
    const [scan] = await scans.waitFor(1);
    const [odom] = await odoms.waitFor(1);
    const [image] = await images.waitFor(1);
    const [goal] = await goals.waitFor(1);
    expect(scan?.ranges.length).toBe(64);
    expect(scan?.angle_min).toBeCloseTo(-Math.PI);
    expect(scan?.angle_increment).toBeCloseTo((2 * Math.PI) / 64);
    expect(scan?.header.frame_id).toBe('robot_2/base_scan');
    expect(odom?.child_frame_id).toBe('robot_2/base_link');
    expect([image?.width, image?.height, image?.encoding, image?.data.length]).toEqual([
      160,
      120,
      'rgb8',
      160 * 120 * 3,
    ]);
    // The observation a runtime builds from the messages of one tick is the simulator's own.
    tick();
    const stamp = timeFromNs(clock.nowNs());
    const ofThisTick = (m: { header: { stamp: { sec: number; nanosec: number } } }): boolean =>
      m.header.stamp.sec === stamp.sec && m.header.stamp.nanosec === stamp.nanosec;
    const lastScan = await scans.waitForItem(ofThisTick, 'the scan of the last tick');
    const lastOdom = await odoms.waitForItem(ofThisTick, 'the odometry of the last tick');
    const obs = navObservation({
      scan: lastScan,
      odom: lastOdom,
      goal: { x: goal!.pose.position.x, y: goal!.pose.position.y },
    });
    const simulated = fleet.robots[1]!.observation;
    expect(Array.from(obs.subarray(0, 64))).toEqual(Array.from(simulated.subarray(0, 64)));
    for (let i = 64; i < obs.length; i++) expect(obs[i]).toBeCloseTo(simulated[i]!, 5);
    const names = peerSide.topics().map((t) => `${t.name} ${t.type}`);
    expect(names).toEqual(
      expect.arrayContaining([
        '/robot_1/scan sensor_msgs/msg/LaserScan',
        '/robot_1/mission_state std_msgs/msg/String',
        '/robot_2/cmd_vel geometry_msgs/msg/Twist',
      ]),
    );
  });

  it('moves a robot by cmd_vel and leaves the others standing', async () => {
    const { fleet, peer, tick } = await setUp({ robots: 2 });
    tick();
    const [robot1, robot2] = fleet.robots;
    const start1 = robot1!.pose;
    const start2 = robot2!.pose;
    const cmd = peer.createPublisher('/robot_2/cmd_vel', 'geometry_msgs/msg/Twist');
    await waitUntil(() => cmd.matchedSubscriptions() > 0, 'cmd_vel matched');
    let turned = 0;
    await waitUntil(
      () => {
        cmd.publish(makeTwist({ angular: { z: 1.0 } }));
        tick();
        turned = Math.abs(robot2!.pose.theta - start2.theta);
        return turned > 0.3;
      },
      'robot_2 turned by cmd_vel',
      { timeoutMs: 20_000 },
    );
    expect(Math.hypot(robot2!.pose.x - start2.x, robot2!.pose.y - start2.y)).toBeLessThan(0.05);
    expect(robot1!.pose.theta).toBe(start1.theta);
    // Without fresh commands the robot stops after the command timeout.
    for (let i = 0; i < 30; i++) tick();
    const settled = robot2!.pose.theta;
    tick();
    expect(robot2!.pose.theta).toBeCloseTo(settled, 6);
  });

  it('runs missions back to back with the expert and reports idle / on_mission on mission_state', async () => {
    const { fleet, peer, tick } = await setUp({ robots: 1, driver: 'expert', idleS: 0.5 });
    const states = new Collector<MissionState>();
    peer.createSubscription(
      '/robot_1/mission_state',
      'std_msgs/msg/String',
      QOS_LATCHED,
      (m: StringMessage) => {
        const parsed = parseMissionState(m.data);
        if (parsed !== undefined) states.listener(parsed);
      },
    );
    const robot = fleet.robots[0]!;
    expect(robot.missionState.state).toBe('idle');
    for (let i = 0; i < 3000 && robot.missionState.missionsDone < 2; i++) tick();
    expect(robot.missionState.missionsDone).toBe(2);
    expect(robot.missionState.successes).toBe(2);
    await states.waitForItem((s) => s.missionsDone === 2 && s.state === 'idle', 'second mission ended');
    const sequence = states.items.map((s) => s.state).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    expect(sequence.slice(0, 5)).toEqual(['idle', 'on_mission', 'idle', 'on_mission', 'idle']);
    expect(states.items.find((s) => s.state === 'on_mission')?.mission).toMatch(/^nav-v1\/test#\d+$/);
  });

  it('lets an operator take over a cmd_vel driver heading into an obstacle and publishes the interventions', async () => {
    const { fleet, peer, tick } = await setUp({ robots: 1, operator: true });
    const interventions = new Collector<{
      reason: string;
      observation: number[];
      operatorAction: number[];
    }>();
    peer.createSubscription('/robot_1/intervention', 'std_msgs/msg/String', QOS_DEFAULT, (m: StringMessage) =>
      interventions.listener(
        JSON.parse(m.data) as { reason: string; observation: number[]; operatorAction: number[] },
      ),
    );
    const cmd = peer.createPublisher('/robot_1/cmd_vel', 'geometry_msgs/msg/Twist');
    await waitUntil(() => cmd.matchedSubscriptions() > 0, 'cmd_vel matched');
    const robot = fleet.robots[0]!;
    // A driver that only ever goes straight ahead at full speed would hit a wall within 20 s.
    await waitUntil(
      () => {
        cmd.publish(makeTwist({ linear: { x: 0.5 } }));
        tick();
        return robot.interventions > 0;
      },
      'the operator took over',
      { timeoutMs: 20_000 },
    );
    for (let i = 0; i < 200; i++) {
      cmd.publish(makeTwist({ linear: { x: 0.5 } }));
      tick();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(robot.missionState.collisions).toBe(0);
    const first = await interventions.waitForItem((i) => i.reason === 'takeover', 'a takeover message');
    expect(first.observation).toHaveLength(69);
    expect(first.operatorAction).not.toEqual([0.5, 0]);
  });
});
