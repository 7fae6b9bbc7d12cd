import { describe, expect, it } from 'vitest';
import { QOS_SENSOR_DATA, QOS_SYSTEM_DEFAULT } from './profiles.js';
import { describeQos, qosFromConfig } from './qosFromConfig.js';

describe('qosFromConfig', () => {
  it('resolves profile names to the ROS 2 profiles', () => {
    expect(qosFromConfig('sensor_data')).toEqual({
      reliability: 'best_effort',
      durability: 'volatile',
      history: { kind: 'keep_last', depth: 5 },
    });
    expect(qosFromConfig('system_default')).toBe(QOS_SYSTEM_DEFAULT);
    expect(describeQos(qosFromConfig('default'))).toBe('reliable/volatile/keep_last(10)');
    expect(describeQos(qosFromConfig('services_default'))).toBe('reliable/volatile/keep_last(10)');
    expect(describeQos(qosFromConfig('parameters'))).toBe('reliable/volatile/keep_last(1000)');
  });

  it('applies overrides on top of a profile', () => {
    expect(qosFromConfig({ profile: 'sensor_data', depth: 1 })).toEqual({
      ...QOS_SENSOR_DATA,
      history: { kind: 'keep_last', depth: 1 },
    });
    expect(describeQos(qosFromConfig({ durability: 'transient_local', depth: 1 }))).toBe(
      'reliable/transient_local/keep_last(1)',
    );
    expect(describeQos(qosFromConfig({ history: 'keep_all', deadlineMs: 100 }))).toBe(
      'reliable/volatile/keep_all, deadline 100 ms',
    );
  });

  it('names the field, the value and the accepted forms when invalid', () => {
    expect(() => qosFromConfig('sensor', 'routes[2].qos')).toThrow(
      /Invalid QoS at routes\[2\]\.qos: "sensor".*sensor_data/,
    );
    expect(() => qosFromConfig({ depth: 0 }, 'routes[0].qos')).toThrow(/routes\[0\]\.qos\.depth/);
    expect(() => qosFromConfig({ reliablity: 'reliable' })).toThrow(
      expect.objectContaining({ code: 'ROS_QOS_INVALID' }),
    );
    expect(() => qosFromConfig({ history: 'keep_all', depth: 3 })).toThrow(/keep_all/);
  });
});
