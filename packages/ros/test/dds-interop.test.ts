import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DdsQosProfile, DdsTransport } from '../src/dds/index.js';
import type { QosProfile, RosSample } from '../src/transport/RosTransport.js';
import { Collector } from '../src/testing/Collector.js';
import { waitUntil } from '../src/testing/waitUntil.js';
import { DdsPeerProcess as CPeerProcess } from '../src/testing/DdsPeerProcess.js';
import { buildCPeer, readDump } from './support/cPeer.js';
import { ddsTestNetwork } from './support/ddsTestNetwork.js';
import { encodeRos } from './support/rosCdr.js';
import { fleetloopWriterMessages } from './fixtures/dds/fleetloopWriterMessages.js';

// fleetloop and a plain C Cyclone DDS program (idlc-generated ROS 2 types) in separate
// processes on loopback: each direction, reliable and best effort, byte-identical payloads.

const network = ddsTestNetwork();
// 6 MB samples take longer than Cyclone's default 100 ms to be acknowledged on a busy machine
const RELIABLE: DdsQosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_all' },
  maxBlockingMs: 10_000,
};
const BEST_EFFORT: QosProfile = {
  reliability: 'best_effort',
  durability: 'volatile',
  history: { kind: 'keep_last', depth: 100 },
};
const IMAGE_6MB = 2048 * 1024 * 3;
const FLEETLOOP_WRITER = fileURLToPath(new URL('./fixtures/dds/fleetloopWriter.ts', import.meta.url));

let peerExe: string;
let dir: string;
let ros: DdsTransport;
let topicSeq = 0;

beforeAll(() => {
  peerExe = buildCPeer();
  dir = mkdtempSync(join(tmpdir(), 'fleetloop-dds-interop-'));
  ros = network.transport();
}, 120_000);

const peers: CPeerProcess[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) {
    p.kill();
    await p.exited;
  }
});

afterAll(async () => {
  await ros.close();
  rmSync(dir, { recursive: true, force: true });
});

function topic(name: string): { ros: string; dds: string; dump: string } {
  const ros = `/interop_${process.pid}_${topicSeq++}/${name}`;
  return { ros, dds: `rt${ros}`, dump: join(dir, `${topicSeq}.bin`) };
}

function peer(args: (string | number)[]): CPeerProcess {
  const p = new CPeerProcess(peerExe, args.map(String), network.env);
  peers.push(p);
  return p;
}

/**
 * What goes on the wire for a CDR buffer: DDSI carries payloads in whole 4-byte units, so a plain
 * CDR buffer gets zeros up to the next multiple of 4 and their count in the header's option bits
 * (as Cyclone's own writers do).
 */
function onWire(cdr: Uint8Array): Buffer {
  const pad = (4 - (cdr.length % 4)) % 4;
  const wire = Buffer.concat([cdr, Buffer.alloc(pad)]);
  wire[3] = (wire[3] ?? 0) | pad;
  return wire;
}

/** What a fleetloop reader hands over for wire bytes: the padding announced in the header removed. */
function asWritten(wire: Uint8Array): Buffer {
  const pad = (wire[3] ?? 0) & 0x03;
  const cdr = Buffer.from(wire.subarray(0, wire.length - pad));
  cdr[3] = (cdr[3] ?? 0) & ~0x03;
  return cdr;
}

function image(i: number, bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let j = 0; j < bytes; j++) data[j] = (i * 7 + j * 3) & 0xff;
  return encodeRos('sensor_msgs/Image', {
    header: { stamp: { sec: i, nanosec: 9 }, frame_id: 'camera' },
    height: bytes / 3072,
    width: 1024,
    encoding: 'rgb8',
    is_bigendian: 0,
    step: 3072,
    data,
  });
}

function odometry(i: number): Uint8Array {
  return encodeRos('nav_msgs/Odometry', {
    header: { stamp: { sec: i, nanosec: 0 }, frame_id: 'odom' },
    child_frame_id: 'base_link',
    pose: {
      pose: { position: { x: i * 0.25, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
      covariance: Array.from({ length: 36 }, (_, k) => k),
    },
    twist: {
      twist: { linear: { x: 2, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } },
      covariance: new Array(36).fill(0),
    },
  });
}

/** Starts a C subscriber and a fleetloop writer, waits for the match, returns both. */
async function cSubscriber(
  type: 'String' | 'Image' | 'Odometry',
  rosType: string,
  count: number,
  qos: QosProfile,
): Promise<{ c: CPeerProcess; writer: ReturnType<DdsTransport['createWriter']>; dump: string; dds: string }> {
  const t = topic(type.toLowerCase());
  const c = peer(['sub', type, t.dds, count, qos.reliability, 40, t.dump]);
  await c.waitForLine(/^READY$/);
  const writer = ros.createWriter(t.ros, rosType, qos);
  await waitUntil(() => writer.matchedReaders() === 1, 'the C reader matches', { timeoutMs: 20_000 });
  return { c, writer, dump: t.dump, dds: t.dds };
}

describe('fleetloop → C peer', () => {
  it('delivers std_msgs/String reliably, byte-identical and decodable by the idlc type', async () => {
    const { c, writer, dump } = await cSubscriber('String', 'std_msgs/msg/String', 20, RELIABLE);
    const sent = Array.from({ length: 20 }, (_, i) =>
      encodeRos('std_msgs/String', { data: `hello from fleetloop ${i}` }),
    );
    for (const m of sent) writer.write(m);
    await c.success();
    expect(c.lines).toContain('RECEIVED 20');
    expect(c.lines).toContain('FIRST String data=hello from fleetloop 0');
    expect(c.lines).toContain('LAST String data=hello from fleetloop 19');
    expect(readDump(dump).map((d) => Buffer.from(d))).toEqual(sent.map(onWire));
    await writer.close();
  });

  it('delivers 6 MB sensor_msgs/Image samples (fragmented) intact', async () => {
    const { c, writer, dump } = await cSubscriber('Image', 'sensor_msgs/msg/Image', 3, RELIABLE);
    const sent = [0, 1, 2].map((i) => image(i, IMAGE_6MB));
    for (const m of sent) writer.write(m);
    await c.success();
    expect(c.lines).toContain('RECEIVED 3');
    expect(c.lines.find((l) => l.startsWith('LAST'))).toMatch(
      /^LAST Image frame=camera stamp=2\.9 1024x2048 encoding=rgb8 step=3072 bytes=6291456 /,
    );
    const got = readDump(dump);
    expect(got.length).toBe(3);
    got.forEach((g, i) => expect(Buffer.from(g).equals(onWire(sent[i] ?? new Uint8Array()))).toBe(true));
    await writer.close();
  });

  it('delivers nav_msgs/Odometry best-effort at 1 kHz, each received sample byte-identical', async () => {
    const count = 500;
    const { c, writer, dump } = await cSubscriber('Odometry', 'nav_msgs/msg/Odometry', count, BEST_EFFORT);
    const sent = Array.from({ length: count }, (_, i) => odometry(i));
    // 1 kHz as 10 samples every 10 ms: timers are not finer than a millisecond
    for (let i = 0; i < count; i += 10) {
      writer.writeBatch(sent.slice(i, i + 10));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const received = await Promise.race([
      c.waitForLine(/^RECEIVED /),
      new Promise<string>((resolve) => setTimeout(() => resolve('late'), 3_000)),
    ]);
    c.kill();
    if (received === 'late') await c.exited;
    const got = readDump(dump);
    // best effort may drop on a loaded machine, but what arrives is intact and in order
    expect(got.length).toBeGreaterThan(count / 2);
    const sentHex = sent.map((m) => onWire(m).toString('hex'));
    let last = -1;
    for (const g of got) {
      const at = sentHex.indexOf(Buffer.from(g).toString('hex'), last + 1);
      expect(at).toBeGreaterThan(last);
      last = at;
    }
    await writer.close();
  });

  it('is seen by the C peer with the ROS 2 topic and type names', async () => {
    const t = topic('seen');
    const writer = ros.createWriter(t.ros, 'sensor_msgs/msg/Image', RELIABLE);
    const reader = ros.createReader(t.ros, 'sensor_msgs/msg/Image', RELIABLE, () => undefined);
    const c = peer(['topics', t.dds, 20]);
    await c.success();
    expect(c.lines).toContain(`ENDPOINT writer ${t.dds} sensor_msgs::msg::dds_::Image_`);
    expect(c.lines).toContain(`ENDPOINT reader ${t.dds} sensor_msgs::msg::dds_::Image_`);
    await writer.close();
    await reader.close();
  });
});

describe('C peer → fleetloop', () => {
  async function fromC(
    type: 'String' | 'Image' | 'Odometry',
    rosType: string,
    args: { count: number; qos: QosProfile; rateHz: number; size: number },
  ): Promise<{ got: RosSample[]; published: Uint8Array[]; rosTopic: string }> {
    const t = topic(`from_c_${type.toLowerCase()}`);
    const got = new Collector<RosSample>();
    const reader = ros.createReader(t.ros, rosType, args.qos, got.listener);
    const c = peer(['pub', type, t.dds, args.count, args.qos.reliability, args.rateHz, args.size, t.dump]);
    await c.success();
    if (args.qos.reliability === 'reliable') await got.waitFor(args.count, 10_000);
    else await new Promise((resolve) => setTimeout(resolve, 300));
    await reader.close();
    return { got: got.items, published: readDump(t.dump), rosTopic: t.ros };
  }

  it('receives 6 MB sensor_msgs/Image reliably, byte-identical, with source timestamp and writer GUID', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const { got, published, rosTopic } = await fromC('Image', 'sensor_msgs/msg/Image', {
      count: 3,
      qos: RELIABLE,
      rateHz: 0,
      size: IMAGE_6MB,
    });
    expect(published.length).toBe(3);
    expect(got.length).toBe(3);
    got.forEach((s, i) => {
      expect(s.topic).toBe(rosTopic);
      expect(s.type).toBe('sensor_msgs/msg/Image');
      expect(s.data.byteLength).toBeGreaterThan(IMAGE_6MB);
      expect(Buffer.from(s.data).equals(asWritten(published[i] ?? new Uint8Array()))).toBe(true);
      expect(s.sourceTimestampNs).toBeGreaterThan(before - 1_000_000_000n);
      expect(s.publisherGuid).toMatch(/^[0-9a-f]{32}$/);
      expect(s.publisherGuid).not.toBe('0'.repeat(32));
    });
  });

  it('receives std_msgs/String at 1 kHz reliably, all of them in order', async () => {
    const { got, published } = await fromC('String', 'std_msgs/msg/String', {
      count: 1000,
      qos: RELIABLE,
      rateHz: 1000,
      size: 0,
    });
    expect(published.length).toBe(1000);
    expect(got.map((s) => Buffer.from(s.data).toString('hex'))).toEqual(
      published.map((p) => asWritten(p).toString('hex')),
    );
  });

  it('receives nav_msgs/Odometry best-effort, what arrives byte-identical', async () => {
    const { got, published } = await fromC('Odometry', 'nav_msgs/msg/Odometry', {
      count: 300,
      qos: BEST_EFFORT,
      rateHz: 1000,
      size: 0,
    });
    expect(got.length).toBeGreaterThan(150);
    const publishedHex = new Set(published.map((p) => asWritten(p).toString('hex')));
    for (const s of got) expect(publishedHex.has(Buffer.from(s.data).toString('hex'))).toBe(true);
  });

  it('lists the C writer in discovery with ROS names and its QoS', async () => {
    const t = topic('discovered');
    const c = peer(['pub', 'Odometry', t.dds, 1, 'best_effort', 0, 0, t.dump]);
    await waitUntil(
      () => ros.topics().some((x) => x.name === t.ros && x.writers.length === 1),
      `the C writer on ${t.ros} is in discovery`,
      { timeoutMs: 20_000 },
    );
    const info = ros.topics().find((x) => x.name === t.ros);
    expect(info?.type).toBe('nav_msgs/msg/Odometry');
    expect(info?.writers[0]?.qos.reliability).toBe('best_effort');
    c.kill();
    await c.exited;
  });
});

describe('fleetloop in another process → fleetloop', () => {
  it('receives what was written byte for byte, whatever its length modulo 4', async () => {
    const t = topic('from_fleetloop');
    const got = new Collector<RosSample>();
    const reader = ros.createReader(t.ros, 'std_msgs/msg/String', RELIABLE, got.listener);
    const writerProcess = new CPeerProcess(
      process.execPath,
      ['--import', 'tsx', '--conditions=@fleetloop/source', FLEETLOOP_WRITER, t.ros, '9'],
      network.env,
    );
    peers.push(writerProcess);
    const expected = fleetloopWriterMessages(9);
    await got.waitFor(expected.length, 30_000);
    await writerProcess.success();
    expect(got.items.map((s) => Buffer.from(s.data))).toEqual(expected.map((m) => Buffer.from(m)));
    await reader.close();
  }, 60_000);
});
