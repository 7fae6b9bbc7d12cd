/**
 * The fleetloop side of bench:dds, run as its own process (a DDS peer across loopback, like the C
 * program): the same modes and output lines as dds_bench.c, through DdsTransport.
 *
 *   sub WARMUP_S WINDOW_S | pub SIZE SECONDS | ping COUNT | pong SECONDS
 */
import { DdsTransport, type DdsQosProfile, type RosSample } from '@fleetloop/ros';

const TYPE = 'fleetloop_bench/msg/Payload';
const FLOW_CONTROLLED: DdsQosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_all' },
  maxBlockingMs: 10_000,
  maxSamples: 4096,
};
const LATEST: DdsQosProfile = {
  reliability: 'reliable',
  durability: 'volatile',
  history: { kind: 'keep_last', depth: 1 },
  maxBlockingMs: 10_000,
};

/** CDR of fleetloop_bench::msg::dds_::Payload_ { sequence<octet> data } with `size` zero bytes. */
function payload(size: number): Uint8Array {
  const cdr = new Uint8Array(8 + size);
  cdr.set([0x00, 0x01, 0x00, 0x00]);
  new DataView(cdr.buffer).setUint32(4, size, true);
  return cdr;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const ros = new DdsTransport();
const [mode = '', a = '0', b = '0'] = process.argv.slice(2);

switch (mode) {
  case 'sub': {
    const warmupNs = BigInt(Math.round(Number(a) * 1e9));
    const windowNs = BigInt(Math.round(Number(b) * 1e9));
    let start = 0n;
    let end = 0n;
    let counted = 0;
    await new Promise<void>((resolve) => {
      // Counts and lets go, like the C reader's take and return_loan: a loaning reader.
      const onSample = (_s: RosSample): void => {
        const now = process.hrtime.bigint();
        if (start === 0n) {
          start = now + warmupNs;
          end = start + windowNs;
        }
        if (now < start) return;
        counted++;
        if (now >= end && end !== 0n) {
          console.log(`RATE ${(counted / (Number(now - start) / 1e9)).toFixed(1)}`);
          end = 0n;
          resolve();
        }
      };
      ros.createReader('/bench/throughput', TYPE, FLOW_CONTROLLED, onSample, { loan: true });
      console.log('READY');
    });
    break;
  }
  case 'pub': {
    const size = Number(a);
    const writer = ros.createWriter('/bench/throughput', TYPE, FLOW_CONTROLLED);
    await until(() => writer.matchedReaders() > 0);
    // one native call per batch of small samples; large ones one by one
    const batch = Array.from({ length: size >= 65_536 ? 1 : 64 }, () => payload(size));
    const end = performance.now() + Number(b) * 1000;
    let written = 0;
    while (performance.now() < end) {
      writer.writeBatch(batch);
      written += batch.length;
    }
    console.log(`WROTE ${written}`);
    break;
  }
  case 'ping': {
    const count = Number(a);
    const warmup = Math.floor(count / 10);
    const writer = ros.createWriter('/bench/ping', TYPE, LATEST);
    const rtt: number[] = [];
    let sentAt = 0n;
    let i = 0;
    const ping = payload(12);
    await new Promise<void>((resolve) => {
      const reader = ros.createReader('/bench/pong', TYPE, LATEST, () => {
        const now = process.hrtime.bigint();
        if (i++ >= warmup) rtt.push(Number(now - sentAt) / 1e3);
        if (i >= count + warmup) {
          resolve();
          return;
        }
        sentAt = process.hrtime.bigint();
        writer.write(ping);
      });
      void until(() => writer.matchedReaders() > 0 && reader.matchedWriters() > 0).then(() => {
        sentAt = process.hrtime.bigint();
        writer.write(ping);
      });
    });
    rtt.sort((x, y) => x - y);
    console.log(`P50_US ${(rtt[Math.floor(count / 2)] ?? NaN).toFixed(1)}`);
    console.log(`P99_US ${(rtt[Math.floor((count * 99) / 100)] ?? NaN).toFixed(1)}`);
    break;
  }
  case 'pong': {
    const writer = ros.createWriter('/bench/pong', TYPE, LATEST);
    ros.createReader('/bench/ping', TYPE, LATEST, (s) => writer.write(s.data));
    console.log('READY');
    await new Promise((resolve) => setTimeout(resolve, Number(a) * 1000));
    break;
  }
  default:
    console.error(`unknown mode "${mode}": sub | pub | ping | pong`);
    process.exitCode = 2;
}
await ros.close();
