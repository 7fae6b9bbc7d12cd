import mqttPacket, { type IPublishPacket } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PublishTemplate, type PublishTemplateOptions } from './PublishTemplate.js';

/** Packets in `bytes` as MQTT.js's own parser reads them. */
function parse(bytes: Buffer, protocolVersion: 4 | 5): IPublishPacket[] {
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: IPublishPacket[] = [];
  const errors: Error[] = [];
  parser.on('packet', (packet) => packets.push(packet as IPublishPacket));
  parser.on('error', (error: Error) => errors.push(error));
  parser.parse(bytes);
  expect(errors).toEqual([]);
  return packets;
}

function encode(options: PublishTemplateOptions, values: string[], payload: Buffer): Buffer {
  const template = new PublishTemplate(options);
  const out = Buffer.alloc(template.packetBytes(values, payload.byteLength));
  expect(template.encodeInto(out, 0, values, payload)).toBe(out.byteLength);
  return out;
}

describe('PublishTemplate', () => {
  const v5: PublishTemplateOptions = {
    topic: 'fleetloop/v1/lab/robot-1/ros/odom',
    retain: false,
    protocolVersion: 5,
    fixedProperties: { 'ros-type': 'nav_msgs/msg/Odometry', encoding: 'cdr' },
    variableKeys: ['seq', 'stamp-ns'],
  };

  it('encodes QoS 0 packets that MQTT.js parses back, byte for byte as mqtt-packet generates them', () => {
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const bytes = encode(v5, ['41', '1733362800123456789'], payload);
    const expected = mqttPacket.generate(
      {
        cmd: 'publish',
        topic: v5.topic,
        payload,
        qos: 0,
        dup: false,
        retain: false,
        properties: {
          userProperties: {
            'ros-type': 'nav_msgs/msg/Odometry',
            encoding: 'cdr',
            seq: '41',
            'stamp-ns': '1733362800123456789',
          },
        },
      },
      { protocolVersion: 5 },
    );
    expect(bytes.equals(expected)).toBe(true);
    const [packet] = parse(bytes, 5);
    expect(packet?.payload).toEqual(payload);
  });

  it('carries the retain flag, non-ASCII topics and values, and multi-byte lengths', () => {
    const payload = Buffer.alloc(20_000, 7);
    const options = { ...v5, topic: 'fleetloop/v1/lab/robot-ü/ros/カメラ', retain: true };
    const bytes = encode(options, ['é', '1'], payload);
    const [packet] = parse(bytes, 5);
    expect(packet).toMatchObject({ topic: options.topic, retain: true, qos: 0 });
    expect(packet?.properties?.userProperties).toEqual({
      'ros-type': 'nav_msgs/msg/Odometry',
      encoding: 'cdr',
      seq: 'é',
      'stamp-ns': '1',
    });
    expect(packet?.payload).toEqual(payload);
  });

  it('leaves user properties out on MQTT 3.1.1', () => {
    const payload = Buffer.from('hello');
    const bytes = encode({ ...v5, protocolVersion: 4 }, ['1', '2'], payload);
    const expected = mqttPacket.generate(
      { cmd: 'publish', topic: v5.topic, payload, qos: 0, dup: false, retain: false },
      { protocolVersion: 4 },
    );
    expect(bytes.equals(expected)).toBe(true);
  });

  it('packs packets back to back, each read in turn', () => {
    const template = new PublishTemplate(v5);
    const out = Buffer.alloc(3 * template.packetBytes(['100', '200'], 3));
    let at = 0;
    for (const seq of ['100', '101', '102'])
      at = template.encodeInto(out, at, [seq, '200'], Buffer.from('abc'));
    expect(at).toBe(out.byteLength);
    expect(parse(out, 5).map((p) => p.properties?.userProperties?.['seq'])).toEqual(['100', '101', '102']);
  });

  it('refuses values that do not match its keys and strings MQTT cannot carry', () => {
    const template = new PublishTemplate(v5);
    expect(() => template.packetBytes(['1'], 0)).toThrow(/1 user property values for 2 keys/);
    expect(() => new PublishTemplate({ ...v5, topic: 'x'.repeat(70_000) })).toThrow(/at most 65535/);
  });
});
