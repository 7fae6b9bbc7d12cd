import { describe, expect, it } from 'vitest';
import { cycloneConfigString, cycloneConfigXml, rosNetworkFromEnv } from './cycloneConfig.js';

describe('rosNetworkFromEnv', () => {
  it('defaults to domain 0, subnet discovery and no user configuration', () => {
    expect(rosNetworkFromEnv({})).toEqual({
      domainId: 0,
      discoveryRange: 'subnet',
      staticPeers: [],
      userUri: undefined,
    });
  });

  it('reads ROS_DOMAIN_ID, ROS_LOCALHOST_ONLY, ROS_STATIC_PEERS and CYCLONEDDS_URI', () => {
    expect(
      rosNetworkFromEnv({
        ROS_DOMAIN_ID: '42',
        ROS_LOCALHOST_ONLY: '1',
        ROS_STATIC_PEERS: '10.0.0.5; robot-7.local',
        CYCLONEDDS_URI: 'file:///etc/cyclone.xml',
      }),
    ).toEqual({
      domainId: 42,
      discoveryRange: 'localhost',
      staticPeers: ['10.0.0.5', 'robot-7.local'],
      userUri: 'file:///etc/cyclone.xml',
    });
  });

  it('lets ROS_AUTOMATIC_DISCOVERY_RANGE take precedence over ROS_LOCALHOST_ONLY', () => {
    expect(
      rosNetworkFromEnv({ ROS_AUTOMATIC_DISCOVERY_RANGE: 'OFF', ROS_LOCALHOST_ONLY: '1' }).discoveryRange,
    ).toBe('off');
  });

  it('rejects a domain outside 0–232 and an unknown range, naming the variable', () => {
    expect(() => rosNetworkFromEnv({ ROS_DOMAIN_ID: '300' })).toThrow(/ROS_DOMAIN_ID="300".*0 to 232/);
    expect(() => rosNetworkFromEnv({ ROS_AUTOMATIC_DISCOVERY_RANGE: 'LAN' })).toThrow(
      /ROS_AUTOMATIC_DISCOVERY_RANGE="LAN".*SUBNET, LOCALHOST, OFF, SYSTEM_DEFAULT/,
    );
  });
});

describe('cycloneConfigXml', () => {
  it('keeps localhost traffic on loopback with multicast for participant discovery only', () => {
    const xml = cycloneConfigXml({ discoveryRange: 'localhost', staticPeers: [] });
    expect(xml).toContain('<NetworkInterface address="127.0.0.1" multicast="true"/>');
    expect(xml).toContain('<AllowMulticast>spdp</AllowMulticast>');
  });

  it('turns multicast off for range OFF and lists static peers for unicast discovery', () => {
    const xml = cycloneConfigXml({ discoveryRange: 'off', staticPeers: ['10.0.0.5'] });
    expect(xml).toContain('<AllowMulticast>false</AllowMulticast>');
    expect(xml).toContain('<Peers><Peer address="10.0.0.5"/></Peers>');
  });

  it('leaves Cyclone defaults for subnet discovery', () => {
    expect(cycloneConfigXml({ discoveryRange: 'subnet', staticPeers: [] })).toBe(
      '<CycloneDDS><Domain Id="any"></Domain></CycloneDDS>',
    );
  });
});

describe('cycloneConfigString', () => {
  it('appends the user CYCLONEDDS_URI after the generated XML so the user settings win', () => {
    const s = cycloneConfigString({
      discoveryRange: 'localhost',
      staticPeers: [],
      userUri: 'file:///etc/c.xml',
    });
    expect(s.endsWith(',file:///etc/c.xml')).toBe(true);
    expect(s.startsWith('<CycloneDDS>')).toBe(true);
  });
});
