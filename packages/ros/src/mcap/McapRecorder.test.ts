import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeLaserScan, makeString } from '../msg/commonMessages.js';
import type { Image, LaserScan, StringMessage } from '../msg/commonTypes.js';
import { MessageDefinitionRegistry } from '../msg/MessageDefinitionRegistry.js';
import type { McapCompression } from './chunkCompression.js';
import { McapPlaybackReader } from './McapPlaybackReader.js';
import { McapRecorder } from './McapRecorder.js';

const registry = new MessageDefinitionRegistry();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetloop-mcap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scan(i: number): LaserScan {
  return makeLaserScan({
    stamp: BigInt(i),
    ranges: [i, i + 0.5],
    angleMin: -1,
    angleMax: 1,
    rangeMin: 0.5,
    rangeMax: 30,
  });
}

/** Camera noise: seeded, so runs repeat, and incompressible, so chunks have a real size. */
function noise(seed: number, length: number): Uint8Array {
  let state = seed + 1;
  return new Uint8Array(length).map(() => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state >>> 16;
  });
}

function image(i: number): Image {
  return makeImage({
    stamp: BigInt(i),
    width: 64,
    height: 48,
    encoding: 'mono8',
    data: noise(i, 64 * 48),
  });
}

async function record(
  path: string,
  compression: McapCompression,
  chunkSize?: number,
): Promise<Map<string, Uint8Array[]>> {
  const written = new Map<string, Uint8Array[]>([
    ['/robot_3/scan', []],
    ['/robot_3/camera', []],
    ['/robot_3/status', []],
  ]);
  const recorder = await McapRecorder.create(path, {
    compression,
    ...(chunkSize === undefined ? {} : { chunkSize }),
  });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < 30; i++) {
    const scanBytes = registry.codec<LaserScan>('sensor_msgs/msg/LaserScan').encode(scan(i));
    written.get('/robot_3/scan')?.push(scanBytes);
    // Not awaited one by one: a transport listener fires and forgets; order must still hold.
    pending.push(
      recorder.write(
        {
          topic: '/robot_3/scan',
          type: 'sensor_msgs/msg/LaserScan',
          data: scanBytes,
          sourceTimestampNs: BigInt(i) * 1000n,
          publisherGuid: '0'.repeat(32),
        },
        1_000_000n + BigInt(i) * 100n,
      ),
    );
    if (i % 3 === 0) {
      written.get('/robot_3/camera')?.push(registry.codec<Image>('sensor_msgs/msg/Image').encode(image(i)));
      pending.push(
        recorder.writeMessage('/robot_3/camera', 'sensor_msgs/msg/Image', image(i), {
          logTimeNs: 1_000_050n + BigInt(i) * 100n,
        }),
      );
    }
  }
  const status = registry.codec<StringMessage>('std_msgs/msg/String').encode(makeString('naïve ✓'));
  written.get('/robot_3/status')?.push(status);
  pending.push(recorder.writeRaw('/robot_3/status', 'std_msgs/msg/String', status, { logTimeNs: 999_999n }));
  pending.push(recorder.addMetadata('episode', { robot: 'robot_3', episode: '42' }));
  await Promise.all(pending);
  expect(recorder.messageCount).toBe(41);
  await recorder.close();
  return written;
}

describe('McapRecorder and McapPlaybackReader', () => {
  it.each(['lz4', 'zstd', 'none'] as const)(
    'round-trips messages byte-identical with %s chunks',
    async (compression) => {
      const path = join(dir, `round-trip-${compression}.mcap`);
      const written = await record(path, compression, 16 * 1024);
      const bag = await McapPlaybackReader.open(path);
      expect(bag.topics().sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
        { topic: '/robot_3/camera', type: 'sensor_msgs/msg/Image', messageCount: 10 },
        { topic: '/robot_3/scan', type: 'sensor_msgs/msg/LaserScan', messageCount: 30 },
        { topic: '/robot_3/status', type: 'std_msgs/msg/String', messageCount: 1 },
      ]);
      const all = [];
      for await (const message of bag.messages()) {
        all.push(message);
      }
      expect(all).toHaveLength(41);
      const times = all.map((m) => m.logTimeNs);
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(all[0]?.decode()).toEqual({ data: 'naïve ✓' });
      for (const [topic, payloads] of written) {
        const got = all.filter((m) => m.topic === topic);
        expect(got.map((m) => Buffer.from(m.data).toString('hex'))).toEqual(
          payloads.map((p) => Buffer.from(p).toString('hex')),
        );
        expect(got.map((m) => m.sequence)).toEqual(payloads.map((_, i) => i));
      }
      const scans = [];
      for await (const message of bag.messages({
        topics: ['/robot_3/scan'],
        startNs: 1_000_500n,
        endNs: 1_000_900n,
      })) {
        scans.push(message.decode<LaserScan>());
        expect(message.publishTimeNs).toBe(BigInt(scans.length + 4) * 1000n);
      }
      expect(scans).toEqual([5, 6, 7, 8, 9].map(scan));
      await bag.close();
    },
  );

  it('writes a ros2-profile file with cdr channels and full ros2msg schemas', async () => {
    const path = join(dir, 'schema.mcap');
    await record(path, 'lz4');
    const bytes = await readFile(path);
    const text = bytes.toString('latin1');
    expect(text).toContain('ros2');
    expect(text).toContain('MSG: std_msgs/Header');
    expect(text).toContain('MSG: builtin_interfaces/Time');
    const fresh = new MessageDefinitionRegistry({ common: false });
    const bag = await McapPlaybackReader.open(path, { registry: fresh });
    expect(fresh.types()).toEqual(
      expect.arrayContaining(['sensor_msgs/msg/Image', 'sensor_msgs/msg/LaserScan', 'std_msgs/msg/Header']),
    );
    for await (const message of bag.messages({ topics: ['/robot_3/camera'] })) {
      expect(message.decode<Image>().data.byteLength).toBe(64 * 48);
    }
    await bag.close();
  });

  it('refuses a truncated file with a clear error, and recovers its complete chunks on request', async () => {
    const path = join(dir, 'truncated.mcap');
    await record(path, 'zstd', 8 * 1024);
    const full = (await readFile(path)).byteLength;
    await truncate(path, Math.floor(full * 0.6));
    await expect(McapPlaybackReader.open(path)).rejects.toThrow(
      new RegExp(
        `Cannot open MCAP file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(${Math.floor(full * 0.6)} bytes\\).*recover: true`,
      ),
    );
    const bag = await McapPlaybackReader.open(path, { recover: true });
    const recovered = [];
    for await (const message of bag.messages({ topics: ['/robot_3/scan'] })) {
      recovered.push(message.decode<LaserScan>());
    }
    expect(recovered.length).toBeGreaterThan(0);
    expect(recovered.length).toBeLessThan(30);
    expect(recovered).toEqual(recovered.map((_, i) => scan(i)));
    expect(bag.truncatedBytes).toBeGreaterThan(0);
    await bag.close();
  });

  it('refuses a file that is not MCAP', async () => {
    const path = join(dir, 'not.mcap');
    await writeFile(path, 'definitely not an mcap file');
    await expect(McapPlaybackReader.open(path)).rejects.toThrow(
      expect.objectContaining({ code: 'ROS_MCAP_INVALID' }),
    );
    await expect(McapPlaybackReader.open(path, { recover: true })).rejects.toThrow(
      /Cannot recover MCAP file/,
    );
  });

  it('rejects a message of an unknown type without spoiling the recording', async () => {
    const path = join(dir, 'unknown.mcap');
    const recorder = await McapRecorder.create(path);
    await expect(
      recorder.writeRaw('/battery', 'robot_msgs/msg/Battery', new Uint8Array([0, 1, 0, 0])),
    ).rejects.toThrow(expect.objectContaining({ code: 'ROS_UNKNOWN_TYPE' }));
    await recorder.writeMessage('/chatter', 'std_msgs/msg/String', makeString('ok'), { logTimeNs: 1n });
    await recorder.close();
    await expect(
      recorder.writeMessage('/chatter', 'std_msgs/msg/String', makeString('late')),
    ).rejects.toThrow(/closed/);
    const bag = await McapPlaybackReader.open(path);
    const got = [];
    for await (const message of bag.messages()) {
      got.push(message.decode());
    }
    expect(got).toEqual([{ data: 'ok' }]);
    await bag.close();
  });
});
