import { afterEach, describe, expect, it } from 'vitest';
import { DdsError, DdsTransport, type DdsQosProfile } from '../src/dds/index.js';
import type { RosSample } from '../src/transport/RosTransport.js';
import { Collector } from '../src/testing/Collector.js';
import { waitUntil } from '../src/testing/waitUntil.js';
import { ddsTestNetwork } from './support/ddsTestNetwork.js';
import { encodeRos } from './support/rosCdr.js';

const network = ddsTestNetwork();
/** Topic names of this file, unique per run in case another test file drew the same domain. */
const prefix = `/dds_transport_${process.pid}`;
const QOS: DdsQosProfile = { reliability: 'reliable', durability: 'volatile', history: { kind: 'keep_all' } };
const open: DdsTransport[] = [];

function transport(): DdsTransport {
  const t = network.transport();
  open.push(t);
  return t;
}

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

describe('DdsTransport', () => {
  it('delivers a writeBatch in order with the given source timestamp', async () => {
    const [a, b] = [transport(), transport()];
    const got = new Collector<RosSample>();
    b.createReader(`${prefix}/batch`, 'std_msgs/msg/String', QOS, got.listener);
    const writer = a.createWriter(`${prefix}/batch`, 'std_msgs/msg/String', QOS);
    await waitUntil(() => writer.matchedReaders() === 1, 'the reader matches');
    const sent = Array.from({ length: 50 }, (_, i) => encodeRos('std_msgs/String', { data: `m${i}` }));
    writer.writeBatch(sent, 1_700_000_000_123_456_789n);
    const samples = await got.waitFor(50);
    expect(samples.map((s) => Buffer.from(s.data))).toEqual(sent.map((m) => Buffer.from(m)));
    expect(new Set(samples.map((s) => s.sourceTimestampNs))).toEqual(new Set([1_700_000_000_123_456_789n]));
    expect(samples[0]?.publisherGuid).toBe(writer.guid);
  });

  it('lends samples to a loaning reader for the listener call only, and leaves owned ones alone', async () => {
    const [a, b] = [transport(), transport()];
    const topic = `${prefix}/loan`;
    // one sample handed over without a copy (1 MB), one copied into the batch block (small)
    const big = new Uint8Array(8 + (1 << 20));
    big.set([0, 1, 0, 0]);
    new DataView(big.buffer).setUint32(4, 1 << 20, true);
    big.fill(7, 8);
    const small = encodeRos('std_msgs/String', { data: 'small' });
    type Seen = { kept: Uint8Array; lengthInCall: number; sumInCall: number };
    const seen = (into: Seen[]) => (s: RosSample) => {
      into.push({ kept: s.data, lengthInCall: s.data.length, sumInCall: s.data.reduce((x, y) => x + y, 0) });
    };
    const loaned: Seen[] = [];
    const owned: Seen[] = [];
    b.createReader(topic, 'std_msgs/msg/String', QOS, seen(loaned), { loan: true });
    b.createReader(topic, 'std_msgs/msg/String', QOS, seen(owned));
    const writer = a.createWriter(topic, 'std_msgs/msg/String', QOS);
    await waitUntil(() => writer.matchedReaders() === 2, 'both readers match');
    writer.write(big);
    writer.write(small);
    await waitUntil(() => loaned.length === 2 && owned.length === 2, 'both readers get both samples');
    const sums = [big, small].map((m) => m.reduce((x, y) => x + y, 0));
    for (const got of [loaned, owned]) {
      expect(got.map((g) => g.lengthInCall)).toEqual([big.length, small.length]);
      expect(got.map((g) => g.sumInCall)).toEqual(sums);
    }
    // after the call the loan is returned: the bytes read as empty, never as freed memory
    expect(loaned.map((g) => g.kept.length)).toEqual([0, 0]);
    expect(owned.map((g) => Buffer.from(g.kept))).toEqual([Buffer.from(big), Buffer.from(small)]);
  });

  it('refuses writes after close with DDS_CLOSED', async () => {
    const writer = transport().createWriter(`${prefix}/closed`, 'std_msgs/msg/String', QOS);
    await writer.close();
    expect(() => writer.write(new Uint8Array([0, 1, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'DDS_CLOSED' }) as Error,
    );
  });

  it('refuses a payload without the CDR encapsulation header', () => {
    const writer = transport().createWriter(`${prefix}/short`, 'std_msgs/msg/String', QOS);
    expect(() => writer.write(new Uint8Array([0, 1]))).toThrow(
      /4-byte encapsulation header, but this one has 2 bytes/,
    );
    expect(() => writer.writeBatch([new Uint8Array([0, 1, 0, 0]), new Uint8Array(0)])).toThrow(
      expect.objectContaining({ code: 'DDS_PAYLOAD_INVALID' }) as Error,
    );
  });

  it('refuses one topic with two types in one transport', () => {
    const t = transport();
    t.createWriter(`${prefix}/typed`, 'std_msgs/msg/String', QOS);
    expect(() => t.createReader(`${prefix}/typed`, 'sensor_msgs/msg/Image', QOS, () => undefined)).toThrow(
      expect.objectContaining({ code: 'DDS_TOPIC_TYPE_CONFLICT' }) as Error,
    );
  });

  it('refuses a second configuration for a domain already open in this process', () => {
    transport();
    const conflicting = (): DdsTransport =>
      new DdsTransport({ domainId: network.domainId, discoveryRange: 'off', env: {} });
    expect(conflicting).toThrow(DdsError);
    expect(conflicting).toThrow(/already open in this process with another Cyclone configuration/);
  });

  it('maps ROS names to rmw_cyclonedds DDS names in discovery, and back', async () => {
    const t = transport();
    t.createWriter(`${prefix}/robot_3/camera/image`, 'sensor_msgs/msg/Image', { ...QOS, deadlineMs: 250 });
    await waitUntil(
      () => t.topics().some((x) => x.name === `${prefix}/robot_3/camera/image`),
      'the topic is listed',
    );
    const info = t.topics().find((x) => x.name === `${prefix}/robot_3/camera/image`);
    expect(info?.type).toBe('sensor_msgs/msg/Image');
    expect(info?.writers[0]?.qos).toMatchObject({ reliability: 'reliable', deadlineMs: 250 });
  });

  it('takes the domain and loopback-only discovery from ROS_DOMAIN_ID and ROS_LOCALHOST_ONLY', async () => {
    const first = transport();
    const fromEnv = new DdsTransport({
      env: { ROS_DOMAIN_ID: String(network.domainId), ROS_LOCALHOST_ONLY: '1' },
    });
    open.push(fromEnv);
    expect(fromEnv.domainId).toBe(network.domainId);
    expect(fromEnv.cycloneConfig).toContain('<NetworkInterface address="127.0.0.1" multicast="true"/>');
    const got = new Collector<RosSample>();
    fromEnv.createReader(`${prefix}/env`, 'std_msgs/msg/String', QOS, got.listener);
    const writer = first.createWriter(`${prefix}/env`, 'std_msgs/msg/String', QOS);
    await waitUntil(() => writer.matchedReaders() === 1, 'the reader matches');
    writer.write(encodeRos('std_msgs/String', { data: 'env' }));
    await got.waitFor(1);
  });
});
