import { ConfigError, validateConfig } from '@fleetloop/core';
import { describe, expect, it } from 'vitest';
import { connectorConfigSchema } from './connectorConfig.js';

function problems(value: unknown): { path: string; expected: string }[] {
  try {
    validateConfig(connectorConfigSchema, value, { file: 'connector.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(({ path, expected }) => ({ path, expected }));
    throw error;
  }
  return [];
}

describe('connectorConfigSchema', () => {
  it('fills the documented defaults for a minimal file', () => {
    const config = validateConfig(connectorConfigSchema, {
      robot: 'amr-1',
      routes: [{ name: 'odom', topics: { include: ['/odom'] } }],
    });
    expect(config.broker).toMatchObject({ url: 'mqtt://127.0.0.1:1883', protocolVersion: 5 });
    expect(config.routes[0]).toMatchObject({
      encoding: 'cdr',
      qos: 0,
      retain: false,
      topic: 'fleetloop/v1/{site}/{robot}/ros/{topic}',
      overflow: 'drop-oldest',
    });
    expect(config.queue).toMatchObject({ maxBytes: 256 * 1024 * 1024, fsync: 'interval' });
  });

  it('names the route index and field of each mistake', () => {
    expect(
      problems({
        robot: 'amr-1',
        broker: { url: 'http://broker' },
        routes: [
          { name: 'odom' },
          { name: 'scan', qos: 2, topics: { include: [{ regex: '([' }] } },
          { name: 'odom', encoding: 'yaml' },
        ],
        reverse: [{ name: 'cmd', types: [], mqttTopic: 'fleetloop/cmd' }],
      }),
    ).toEqual([
      { path: 'broker.url', expected: 'an mqtt:// or mqtts:// URL with host and port' },
      { path: 'routes[1].topics.include[0].regex', expected: 'a valid JavaScript regular expression' },
      { path: 'routes[1].qos', expected: 'one of 0, 1' },
      { path: 'routes[2].encoding', expected: 'one of "cdr", "json"' },
      {
        path: 'reverse[0].mqttTopic',
        expected: 'an MQTT topic filter ending in "/#" (the rest names the ROS topic)',
      },
      { path: 'reverse[0].types', expected: '>= 1 items' },
    ]);
  });

  it('refuses two routes with the same name', () => {
    expect(problems({ robot: 'amr-1', routes: [{ name: 'odom' }, { name: 'odom' }] })).toEqual([
      { path: 'routes[1].name', expected: 'a route name not used before (route "odom" appears twice)' },
    ]);
  });
});
