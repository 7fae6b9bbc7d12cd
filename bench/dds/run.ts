/**
 * bench:dds — fleetloop's Cyclone DDS transport against plain C Cyclone DDS, measured in the same
 * run on the same machine: writer → reader throughput across processes (64 B, 4 KB, 1 MB) and
 * 12-byte ping-pong latency. Each round measures C and fleetloop back to back (who goes first
 * alternates); a ratio is the median over rounds of fleetloop / C within a round, so load from
 * other processes, which drifts slowly, hurts both sides of a ratio alike.
 *
 * Last lines: dds-throughput-ratio (4 KB), dds-throughput-ratio-1mb, dds-latency-p99-ratio
 * (fleetloop / C; throughput higher is better, latency lower is better).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cycloneConfigString } from '@fleetloop/ros';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Throughput rounds per side; latency rounds are cheap, so there are more of them. */
const ROUNDS = Number(process.env['BENCH_DDS_ROUNDS'] ?? 3);
const LATENCY_ROUNDS = 2 * ROUNDS + 1;
const SIZES = [
  { label: '64 B', bytes: 64 },
  { label: '4 KB', bytes: 4096 },
  { label: '1 MB', bytes: 1 << 20 },
];
const PINGS = 5000;

/** Compiles dds_bench.c with its idlc-generated type, cached by content hash under os.tmpdir(). */
function buildCBench(): string {
  const hash = createHash('sha256');
  for (const f of ['bench.idl', 'dds_bench.c']) hash.update(readFileSync(join(HERE, f)));
  const dir = join(tmpdir(), `fleetloop-dds-bench-${hash.digest('hex').slice(0, 16)}`);
  const exe = join(dir, 'dds_bench');
  if (existsSync(exe)) return exe;
  const work = mkdtempSync(join(tmpdir(), 'fleetloop-dds-bench-build-'));
  try {
    for (const [cmd, args] of [
      ['idlc', ['-o', work, join(HERE, 'bench.idl')]],
      [
        'cc',
        [
          '-O2',
          `-I${work}`,
          '-o',
          join(work, 'dds_bench'),
          join(HERE, 'dds_bench.c'),
          join(work, 'bench.c'),
          '-lddsc',
        ],
      ],
    ] as const) {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}${r.error?.message ?? ''}`);
    }
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, 'dds_bench'), exe);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return exe;
}

type Side = 'c' | 'fleetloop';

interface Proc {
  line(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

function start(side: Side, args: string[], env: NodeJS.ProcessEnv, cExe: string): Proc {
  const child =
    side === 'c'
      ? spawn(cExe, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(
          process.execPath,
          ['--import', 'tsx', '--conditions=@fleetloop/source', join(HERE, 'fleetloopPeer.ts'), ...args],
          { env, stdio: ['ignore', 'pipe', 'inherit'] },
        );
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      for (const w of waiters.filter((x) => l.startsWith(x.prefix))) w.resolve(l);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    line: (prefix) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen !== undefined) return resolve(seen);
        waiters.push({ prefix, resolve });
        void exited.then(() =>
          reject(new Error(`${side} ${args.join(' ')} exited before printing ${prefix}`)),
        );
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function value(line: string): number {
  return Number(line.split(' ')[1]);
}

async function throughput(side: Side, bytes: number, env: NodeJS.ProcessEnv, cExe: string): Promise<number> {
  const sub = start(side, ['sub', '0.5', '2'], env, cExe);
  await sub.line('READY');
  const pub = start(side, ['pub', String(bytes), '30'], env, cExe);
  try {
    return value(await sub.line('RATE'));
  } finally {
    await pub.stop();
    await sub.stop();
  }
}

async function latency(
  side: Side,
  env: NodeJS.ProcessEnv,
  cExe: string,
): Promise<{ p50: number; p99: number }> {
  const pong = start(side, ['pong', '60'], env, cExe);
  await pong.line('READY');
  const ping = start(side, ['ping', String(PINGS)], env, cExe);
  try {
    const p99 = value(await ping.line('P99_US'));
    const p50 = value(await ping.line('P50_US'));
    return { p50, p99 };
  } finally {
    await ping.stop();
    await pong.stop();
  }
}

const cExe = buildCBench();
const domainId = randomInt(1, 233);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ROS_DOMAIN_ID: String(domainId),
  CYCLONEDDS_URI: cycloneConfigString({ discoveryRange: 'localhost', staticPeers: [], userUri: undefined }),
};
console.log(
  `bench:dds — Cyclone DDS on loopback, domain ${domainId}; ${ROUNDS} rounds (throughput) and ` +
    `${LATENCY_ROUNDS} rounds (latency), C and fleetloop back to back in each\n`,
);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
/** Each round measures both sides back to back (alternating who goes first). */
const order = (round: number): readonly Side[] => (round % 2 === 0 ? ['c', 'fleetloop'] : ['fleetloop', 'c']);

const rows: string[][] = [['measure', 'C → C (median)', 'fleetloop → fleetloop (median)', 'ratio']];
const ratios = new Map<number, number>();
for (const size of SIZES) {
  const rates: Record<Side, number[]> = { c: [], fleetloop: [] };
  const pairRatios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of order(r)) {
      const rate = await throughput(side, size.bytes, env, cExe);
      console.log(`  ${size.label} round ${r + 1} ${side}: ${fmt(rate)} samples/s`);
      rates[side].push(rate);
    }
    pairRatios.push((rates.fleetloop[r] ?? NaN) / (rates.c[r] ?? NaN));
  }
  const ratio = median(pairRatios);
  ratios.set(size.bytes, ratio);
  const mbs = (rate: number): string => `${fmt((rate * size.bytes) / 1e6, 1)} MB/s`;
  const c = median(rates.c);
  const f = median(rates.fleetloop);
  rows.push([
    `throughput ${size.label}`,
    `${fmt(c)}/s (${mbs(c)})`,
    `${fmt(f)}/s (${mbs(f)})`,
    ratio.toFixed(2),
  ]);
}
const lat: Record<Side, { p50: number[]; p99: number[] }> = {
  c: { p50: [], p99: [] },
  fleetloop: { p50: [], p99: [] },
};
for (let r = 0; r < LATENCY_ROUNDS; r++) {
  for (const side of order(r)) {
    const l = await latency(side, env, cExe);
    console.log(`  ping-pong round ${r + 1} ${side}: p50 ${l.p50} µs, p99 ${l.p99} µs`);
    lat[side].p50.push(l.p50);
    lat[side].p99.push(l.p99);
  }
}
const pairRatio = (key: 'p50' | 'p99'): number =>
  median(lat.fleetloop[key].map((f, i) => f / (lat.c[key][i] ?? NaN)));
rows.push([
  'round trip 12 B p50',
  `${median(lat.c.p50)} µs`,
  `${median(lat.fleetloop.p50)} µs`,
  pairRatio('p50').toFixed(2),
]);
const p99Ratio = pairRatio('p99');
rows.push([
  'round trip 12 B p99',
  `${median(lat.c.p99)} µs`,
  `${median(lat.fleetloop.p99)} µs`,
  p99Ratio.toFixed(2),
]);

const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
console.log('');
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
console.log('');
console.log('ratio: median over rounds of fleetloop / C measured back to back');
console.log(`dds-throughput-ratio: ${(ratios.get(4096) ?? NaN).toFixed(2)}`);
console.log(`dds-throughput-ratio-1mb: ${(ratios.get(1 << 20) ?? NaN).toFixed(2)}`);
console.log(`dds-latency-p99-ratio: ${p99Ratio.toFixed(2)}`);
