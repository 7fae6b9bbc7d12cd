/**
 * The processes of the connector benchmark, one role per process so that no two hops share an
 * event loop: `dds-pub`, `dds-sub`, `mqtt-pub`, `mqtt-sub`. Each prints `ready` when it can take
 * part and one JSON line with its result at the end.
 *
 * Payload (the same bytes on every path): CDR encapsulation header, u64 send time (ns since the
 * Unix epoch), u32 index, padding to the message size.
 */
import { DdsTransport, type DdsQosProfile } from '@fleetloop/ros';
import type { Socket } from 'node:net';
import mqtt from 'mqtt';

const [role = '', ...args] = process.argv.slice(2);
const option = (name: string, fallback?: string): string => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? args[i + 1] : fallback;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
};
const nowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
/**
 * Reliable and flow-controlled, like the throughput peers of bench:dds: a reader holding 1000
 * untaken samples slows the writer down. A reliable keep-last writer is never held back by
 * Cyclone, so past what the reader takes it overwrites unacknowledged samples and the run turns
 * into a retransmission storm that measures loss recovery rather than throughput.
 */
const QOS: DdsQosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_all' },
  maxSamples: 1000,
  maxBlockingMs: 10_000,
};

/** Offered load: `rate` messages/s, or as fast as the sender takes them when `rate` is 0. */
interface Load {
  readonly size: number;
  readonly count: number;
  readonly rate: number;
}

function load(): Load {
  return { size: Number(option('size')), count: Number(option('count')), rate: Number(option('rate', '0')) };
}

function payload(size: number, index: number, into?: Buffer): Buffer {
  const data = into ?? Buffer.alloc(size);
  data.writeUInt32BE(0x00010000, 0);
  data.writeBigUInt64LE(nowNs(), 4);
  data.writeUInt32LE(index, 12);
  return data;
}

/** Sends `count` messages at the offered rate through `send`, which reports back-pressure as `false`. */
async function offer(l: Load, send: (data: Buffer) => boolean | Promise<void>): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < l.count; i++) {
    if (l.rate > 0) {
      const due = started + (i * 1000) / l.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const result = send(payload(l.size, i));
    if (result instanceof Promise) await result;
    else if (l.rate === 0 && i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Like {@link offer}, for a sender that takes several messages in one call and copies them before
 * returning (a DDS writeBatch): every message due by now goes in one batch (at most 256 and 8 MiB),
 * so a fast rate does not cost the publisher one native call per message.
 */
async function offerBatches(l: Load, send: (batch: Buffer[]) => void): Promise<void> {
  const max = Math.max(1, Math.min(256, Math.floor((8 << 20) / l.size)));
  const buffers = Array.from({ length: max }, () => Buffer.alloc(l.size));
  const dueAt = (i: number): number => started + (i * 1000) / l.rate;
  const started = performance.now();
  for (let i = 0; i < l.count;) {
    if (l.rate > 0) {
      const wait = dueAt(i) - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const now = performance.now();
    let n = 1;
    while (n < max && i + n < l.count && (l.rate === 0 || dueAt(i + n) <= now)) n++;
    send(buffers.slice(0, n).map((buffer, k) => payload(l.size, i + k, buffer)));
    i += n;
    if (l.rate === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Collects latency and arrival times; prints the result after `count` messages or 3 s of silence. */
function collector(count: number, size: number): (data: Uint8Array) => void {
  const latencies: number[] = [];
  let first = 0;
  let last = 0;
  let idle: NodeJS.Timeout | undefined;
  const finish = (): void => {
    latencies.sort((a, b) => a - b);
    const at = (q: number): number =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    const seconds = (last - first) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        received: latencies.length,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        msgsPerS: seconds > 0 ? (latencies.length - 1) / seconds : NaN,
        mbPerS: seconds > 0 ? ((latencies.length - 1) * size) / 1e6 / seconds : NaN,
      })}\n`,
    );
    process.exit(0);
  };
  return (data) => {
    const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    latencies.push(Number(nowNs() - view.readBigUInt64LE(4)) / 1e6);
    const now = performance.now();
    if (latencies.length === 1) first = now;
    last = now;
    clearTimeout(idle);
    if (latencies.length >= count) finish();
    else idle = setTimeout(finish, 3_000);
  };
}

const domainId = Number(option('domain', '0'));
const topic = option('topic', '/bench');
switch (role) {
  case 'dds-pub': {
    const ros = new DdsTransport({ domainId, discoveryRange: 'localhost' });
    const writer = ros.createWriter(topic, 'sensor_msgs/msg/CompressedImage', QOS);
    process.stdout.write('ready\n');
    while (writer.matchedReaders() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await offerBatches(load(), (batch) => writer.writeBatch(batch));
    // Let reliable retransmissions finish before the participant goes.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await ros.close();
    break;
  }
  case 'dds-sub': {
    const l = load();
    const ros = new DdsTransport({ domainId, discoveryRange: 'localhost' });
    const collect = collector(l.count, l.size);
    ros.createReader(topic, 'sensor_msgs/msg/CompressedImage', QOS, (sample) => collect(sample.data));
    process.stdout.write('ready\n');
    break;
  }
  case 'mqtt-pub': {
    const client = await mqtt.connectAsync(option('url'), { protocolVersion: 5 });
    // The connector sets TCP_NODELAY on its broker socket; the raw hop gets the same.
    (client.stream as Partial<Pick<Socket, 'setNoDelay'>>).setNoDelay?.(true);
    process.stdout.write('ready\n');
    let sent = 0;
    await offer(load(), (data) => {
      // Every 100th message waits until MQTT.js has written it: the publisher follows the socket.
      // The same MQTT message the connector sends: v5 user properties ros-type, encoding, seq, stamp-ns.
      const options = {
        qos: 0 as const,
        properties: {
          userProperties: {
            'ros-type': 'sensor_msgs/msg/CompressedImage',
            encoding: 'cdr',
            seq: String(sent),
            'stamp-ns': data.readBigUInt64LE(4).toString(),
          },
        },
      };
      if (++sent % 100 !== 0) {
        client.publish(option('mqtt-topic'), data, options);
        return true;
      }
      return new Promise<void>((resolve) =>
        client.publish(option('mqtt-topic'), data, options, () => resolve()),
      );
    });
    await client.endAsync();
    break;
  }
  case 'mqtt-sub': {
    const l = load();
    const collect = collector(l.count, l.size);
    const client = await mqtt.connectAsync(option('url'), { protocolVersion: 5 });
    (client.stream as Partial<Pick<Socket, 'setNoDelay'>>).setNoDelay?.(true);
    client.on('message', (_topic, data) => collect(data));
    await client.subscribeAsync(option('mqtt-topic'), { qos: 0 });
    process.stdout.write('ready\n');
    break;
  }
  default:
    throw new Error(`unknown role ${role}`);
}
