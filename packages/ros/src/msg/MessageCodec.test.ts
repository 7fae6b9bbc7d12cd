import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDiagnosticArray,
  makeImage,
  makeImu,
  makeJointState,
  makeLaserScan,
  makeOdometry,
  makePoseStamped,
  makeString,
  makeTwist,
  makeCompressedImage,
} from './commonMessages.js';
import { DIAGNOSTIC_LEVEL, type Image, type StringMessage } from './commonTypes.js';
import { MessageDefinitionRegistry } from './MessageDefinitionRegistry.js';
import { RosDecodeError } from './RosDecodeError.js';

const registry = new MessageDefinitionRegistry();
const stamp = 1_733_000_000_500_000_000n;

describe('MessageCodec', () => {
  it.each([
    ['std_msgs/msg/String', makeString('hello')],
    ['geometry_msgs/msg/Twist', makeTwist({ linear: { x: 0.5 }, angular: { z: -0.25 } })],
    ['geometry_msgs/msg/PoseStamped', makePoseStamped({ stamp, frameId: 'map', position: { x: 1, y: 2 } })],
    [
      'sensor_msgs/msg/Image',
      makeImage({ stamp, width: 4, height: 2, encoding: 'rgb8', data: new Uint8Array(24).fill(7) }),
    ],
    [
      'sensor_msgs/msg/CompressedImage',
      makeCompressedImage({ stamp, format: 'jpeg', data: new Uint8Array([0xff, 0xd8]) }),
    ],
    [
      'sensor_msgs/msg/LaserScan',
      makeLaserScan({
        stamp,
        ranges: [1, 2.5, Infinity],
        angleMin: -1,
        angleMax: 1,
        rangeMin: 0.5,
        rangeMax: 10,
      }),
    ],
    ['sensor_msgs/msg/JointState', makeJointState({ stamp, names: ['a', 'b'], position: [0.1, -0.2] })],
    ['sensor_msgs/msg/Imu', makeImu({ stamp, linearAcceleration: { z: 9.81 } })],
    ['nav_msgs/msg/Odometry', makeOdometry({ stamp, x: 1, y: -1, yaw: 0.5, linear: { x: 0.2 } })],
    [
      'diagnostic_msgs/msg/DiagnosticArray',
      makeDiagnosticArray(
        [{ name: 'motor', level: DIAGNOSTIC_LEVEL.WARN, message: 'hot', values: { temp: '81' } }],
        { stamp },
      ),
    ],
  ])('round-trips %s through CDR with a little-endian XCDR1 header', (type, message) => {
    const codec = registry.codec(type);
    const bytes = codec.encode(message);
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x01, 0x00, 0x00]);
    expect(codec.decode(bytes)).toEqual(message);
  });

  it('writes the exact bytes ROS 2 writes, and reads big-endian and header option bytes', () => {
    const codec = registry.codec<StringMessage>('std_msgs/msg/String');
    expect([...codec.encode({ data: 'ab' })]).toEqual([0, 1, 0, 0, 3, 0, 0, 0, 0x61, 0x62, 0]);
    expect(codec.decode(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62, 0]))).toEqual({ data: 'ab' });
    expect(codec.decode(new Uint8Array([0, 1, 0xab, 0xcd, 3, 0, 0, 0, 0x61, 0x62, 0]))).toEqual({
      data: 'ab',
    });
  });

  it('keeps non-ASCII strings whole', () => {
    const codec = registry.codec<StringMessage>('std_msgs/msg/String');
    const text = 'motor 81 °C ✓ naïve';
    const bytes = codec.encode({ data: text });
    expect(bytes.byteLength).toBe(4 + 4 + Buffer.byteLength(text) + 1);
    expect(codec.decode(bytes).data).toBe(text);
  });

  it('reports a truncated payload with topic, type, byte offset and field', () => {
    const codec = registry.codec<Image>('sensor_msgs/msg/Image');
    const bytes = codec.encode(
      makeImage({ stamp, width: 8, height: 8, encoding: 'mono8', data: new Uint8Array(64) }),
    );
    const truncated = bytes.subarray(0, bytes.byteLength - 10);
    let error: unknown;
    try {
      codec.decode(truncated, '/robot_3/camera/image_raw');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RosDecodeError);
    const decodeError = error as RosDecodeError;
    expect(decodeError.code).toBe('ROS_DECODE_FAILED');
    expect(decodeError.topic).toBe('/robot_3/camera/image_raw');
    expect(decodeError.type).toBe('sensor_msgs/msg/Image');
    expect(decodeError.field).toBe('data');
    // the field starts at its 4-byte length prefix, followed by the 64 pixels
    expect(decodeError.offset).toBe(bytes.byteLength - 64 - 4);
    expect(decodeError.message).toMatch(
      /sensor_msgs\/msg\/Image on topic \/robot_3\/camera\/image_raw.*byte offset \d+ of \d+/,
    );
  });

  it('locates the failure in a truncated Buffer cut from Node’s shared pool', () => {
    const codec = registry.codec<StringMessage>('std_msgs/msg/String');
    const whole = codec.encode({ data: 'a fairly long status line' });
    // Small Buffers share one 8 KiB pool, so the bytes after the cut are someone else's.
    const truncated = Buffer.from(whole.subarray(0, 12));
    expect(truncated.buffer.byteLength).toBeGreaterThan(truncated.byteLength);
    expect(() => codec.decode(truncated, '/status')).toThrow(
      /on topic \/status: .* at byte offset 4 of 12 \(field data\)/,
    );
  });

  it('reports garbage and too-short payloads at offset 0', () => {
    const codec = registry.codec('sensor_msgs/msg/LaserScan');
    expect(() => codec.decode(new Uint8Array([0x47, 0x49, 0x46, 0x38, 1, 2, 3]))).toThrow(
      /encapsulation kind 0x4749.*offset 0/,
    );
    expect(() => codec.decode(new Uint8Array([0, 1]))).toThrow(RosDecodeError);
    expect(() =>
      codec.decode(new Uint8Array([0, 1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])),
    ).toThrow(/offset 12 of 16 \(field header\.frame_id\)/);
  });
});

describe('MessageDefinitionRegistry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetloop-msgs-'));
    await mkdir(join(dir, 'robot_msgs', 'msg'), { recursive: true });
    await writeFile(
      join(dir, 'robot_msgs', 'msg', 'WheelSpeeds.msg'),
      '# Speeds of every wheel\nstd_msgs/Header header\nWheel[] wheels\nuint8 MODE_AUTO=1\nuint8 mode\n',
    );
    await writeFile(
      join(dir, 'robot_msgs', 'msg', 'Wheel.msg'),
      'string<=16 name\nfloat64 rad_per_s\nbuiltin_interfaces/Time stamp\n',
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a robot’s own .msg packages and encodes with them', async () => {
    const own = new MessageDefinitionRegistry();
    expect(await own.loadMsgDirectory(dir)).toEqual(['robot_msgs/msg/Wheel', 'robot_msgs/msg/WheelSpeeds']);
    const codec = own.codec('robot_msgs/msg/WheelSpeeds');
    const message = {
      header: { stamp: { sec: 5, nanosec: 6 }, frame_id: 'base_link' },
      wheels: [
        { name: 'left', rad_per_s: 1.5, stamp: { sec: 1, nanosec: 2 } },
        { name: 'right', rad_per_s: -1.5, stamp: { sec: 3, nanosec: 4 } },
      ],
      mode: 1,
    };
    expect(codec.decode(codec.encode(message))).toEqual(message);
  });

  it('writes the ros2msg text with dependencies, which another registry can decode with', async () => {
    const own = new MessageDefinitionRegistry();
    await own.loadMsgDirectory(dir);
    const text = own.definitionText('robot_msgs/msg/WheelSpeeds');
    expect(text).toBe(
      [
        'std_msgs/Header header',
        'robot_msgs/Wheel[] wheels',
        'uint8 MODE_AUTO=1',
        'uint8 mode',
        '='.repeat(80),
        'MSG: std_msgs/Header',
        'builtin_interfaces/Time stamp',
        'string frame_id',
        '='.repeat(80),
        'MSG: robot_msgs/Wheel',
        'string<=16 name',
        'float64 rad_per_s',
        'builtin_interfaces/Time stamp',
        '='.repeat(80),
        'MSG: builtin_interfaces/Time',
        'int32 sec',
        'uint32 nanosec',
        '',
      ].join('\n'),
    );
    const remote = new MessageDefinitionRegistry({ common: false });
    remote.addDefinitionText('robot_msgs/msg/WheelSpeeds', text);
    const message = {
      header: { stamp: { sec: 5, nanosec: 6 }, frame_id: 'odom' },
      wheels: [{ name: 'left', rad_per_s: 2, stamp: { sec: 1, nanosec: 2 } }],
      mode: 0,
    };
    const bytes = own.codec('robot_msgs/msg/WheelSpeeds').encode(message);
    expect(remote.codec('robot_msgs/msg/WheelSpeeds').decode(bytes)).toEqual(message);
  });

  it('round-trips the text form of every common type, and decodes its bytes from the text alone', () => {
    for (const type of registry.types()) {
      const remote = new MessageDefinitionRegistry({ common: false });
      remote.addDefinitionText(type, registry.definitionText(type));
      expect(remote.definitionText(type), type).toBe(registry.definitionText(type));
      const bytes = registry.codec(type).encode({});
      expect(remote.codec(type).decode(bytes), type).toEqual(registry.codec(type).decode(bytes));
    }
    expect(registry.types().length).toBeGreaterThan(140);
    // a constants-only message is an empty struct: one placeholder byte after the header
    expect([...registry.codec('rcl_interfaces/msg/ParameterType').encode({})]).toEqual([0, 1, 0, 0, 0]);
  });

  it('names the type and the places searched for an unknown type', () => {
    expect(() => registry.codec('robot_msgs/msg/Battery')).toThrow(
      /robot_msgs\/msg\/Battery\. Searched: the ROS 2 Jazzy common interfaces \(\d+ types/,
    );
    expect(() => registry.codec('robot_msgs/msg/Battery')).toThrow(
      expect.objectContaining({ code: 'ROS_UNKNOWN_TYPE' }),
    );
    const partial = new MessageDefinitionRegistry({ common: false });
    partial.addMsgFile('robot_msgs/msg/Pack', 'Cell[] cells\n');
    expect(() => partial.codec('robot_msgs/msg/Pack')).toThrow(
      /robot_msgs\/msg\/Cell \(needed by field "cells" of robot_msgs\/msg\/Pack\)/,
    );
  });

  it('names the file of a definition that does not parse', async () => {
    const bad = join(dir, 'bad_msgs', 'msg');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'Broken.msg'), 'float64[ x\n');
    const own = new MessageDefinitionRegistry();
    const failure = own.loadMsgDirectory(join(dir, 'bad_msgs'));
    await expect(failure).rejects.toThrow(/Broken\.msg/);
    await expect(failure).rejects.toThrow(expect.objectContaining({ code: 'ROS_DEFINITION_INVALID' }));
    await rm(join(dir, 'bad_msgs'), { recursive: true });
  });
});
