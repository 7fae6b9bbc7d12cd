import { describe, expect, it } from 'vitest';
import {
  ddsTopicToRos,
  ddsTypeToRos,
  normalizeTypeName,
  resolveTopicName,
  rosTopicToDds,
  rosTypeToDds,
  validateTopicName,
} from './rosNames.js';

describe('ROS names', () => {
  it('resolves relative, absolute and private names against a namespace', () => {
    expect(resolveTopicName('/robot_3', 'scan')).toBe('/robot_3/scan');
    expect(resolveTopicName('/', 'scan')).toBe('/scan');
    expect(resolveTopicName('/robot_3', '/tf')).toBe('/tf');
    expect(resolveTopicName('/robot_3', '~/status', 'driver')).toBe('/robot_3/driver/status');
    expect(() => resolveTopicName('robot_3', 'scan')).toThrow(/namespace "robot_3".*not absolute/);
  });

  it('rejects bad topic names naming the segment', () => {
    expect(() => validateTopicName('/robot-3/scan')).toThrow(/segment "robot-3"/);
    expect(() => validateTopicName('/3d/points')).toThrow(/segment "3d"/);
    expect(() => validateTopicName('/scan/')).toThrow(/empty segment/);
    expect(() => validateTopicName('/')).toThrow(expect.objectContaining({ code: 'ROS_INVALID_NAME' }));
  });

  it('maps topics and types to and from rmw_cyclonedds DDS names', () => {
    expect(rosTopicToDds('/robot_3/scan')).toBe('rt/robot_3/scan');
    expect(ddsTopicToRos('rt/robot_3/scan')).toBe('/robot_3/scan');
    expect(ddsTopicToRos('rq/add_two_intsRequest')).toBeUndefined();
    expect(rosTypeToDds('sensor_msgs/msg/LaserScan')).toBe('sensor_msgs::msg::dds_::LaserScan_');
    expect(rosTypeToDds('std_msgs/String')).toBe('std_msgs::msg::dds_::String_');
    expect(ddsTypeToRos('sensor_msgs::msg::dds_::LaserScan_')).toBe('sensor_msgs/msg/LaserScan');
    expect(ddsTypeToRos('DDSPerf::Throughput')).toBeUndefined();
    expect(normalizeTypeName('geometry_msgs/Twist')).toBe('geometry_msgs/msg/Twist');
    expect(() => normalizeTypeName('Geometry/Twist')).toThrow(/package "Geometry"/);
    expect(() => normalizeTypeName('geometry_msgs/srv/Twist')).toThrow(/pkg\/msg\/Type/);
  });
});
