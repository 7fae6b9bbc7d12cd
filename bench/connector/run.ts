/**
 * Connector benchmark: ROS 2 publisher → (Cyclone DDS) → connector → Mosquitto → MQTT subscriber,
 * against the two raw hops it is made of, measured in the same run on the same machine: the DDS
 * hop alone (publisher → subscriber process) and an MQTT.js publish → subscribe through the same
 * Mosquitto of the same MQTT messages (topic depth and v5 user properties as the connector sends
 * them). Every role is its own process (bench/connector/roles.ts).
 *
 * - latency: 256 B at 1000 msg/s; the baseline p99 is the sum of the two hops' p99s; the paths
 *   take turns over three rounds and the median round's ratio is reported.
 * - throughput: the highest offered rate a path sustains (≥ 99 % delivered, at ≥ 90 % of the
 *   offered rate) for 256 B messages (msg/s) and for 1 MB images (MB/s). Offered rates step up by
 *   a quarter (256 B from 8,000 msg/s, 1 MB from 100 msg/s); a path is no longer offered more
 *   after it missed two steps in a row; then two finer steps (+8 %, +16 %) above the highest rate
 *   it sustained. The baseline is the slower of the two raw hops. A paced
 *   offer measures what each path carries without loss; offering images as fast as the publisher
 *   can instead measures how each path sheds an overload it cannot carry.
 *
 * Prints, last, `connector-latency-p99-ratio` (target ≤ 1.5) and `connector-throughput-ratio`
 * (the lower of the 256 B and 1 MB ratios; target ≥ 0.8).
 *
 * BENCH_SCALE=<x> scales every step's duration; BENCH_CONNECTOR_ONLY=latency|small|image runs one
 * part (while working on it; the figures it does not measure print as NaN).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROLES = fileURLToPath(new URL('./roles.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));
const NODE_ARGS = ['--conditions=@fleetloop/source', '--import', 'tsx'];
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const ONLY = process.env['BENCH_CONNECTOR_ONLY'];
const runs = (part: 'latency' | 'small' | 'image'): boolean => ONLY === undefined || ONLY === part;
const dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-bench-connector-'));
const children: ChildProcess[] = [];
// Whatever ends this process (a failed role included), the broker and connector go with it.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

interface HopResult {
  readonly received: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly msgsPerS: number;
  readonly mbPerS: number;
}

interface Scenario {
  readonly name: string;
  readonly size: number;
  readonly count: number;
  /** Offered msg/s; 0 = as fast as the publisher can. */
  readonly rate: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function start(
  args: string[],
  command = ROLES,
): { child: ChildProcess; ready: Promise<void>; result: Promise<HopResult | undefined> } {
  const child = spawn(process.execPath, [...NODE_ARGS, command, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('ready\n')) markReady();
  });
  const result = new Promise<HopResult | undefined>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) reject(new Error(`${args[0] ?? command} exited with ${code}`));
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve(line === undefined ? undefined : (JSON.parse(line) as HopResult));
    });
  });
  return { child, ready, result };
}

function load(s: Scenario): string[] {
  return ['--size', String(s.size), '--count', String(s.count), '--rate', String(s.rate)];
}

async function hop(subArgs: string[], pubArgs: string[]): Promise<HopResult> {
  const sub = start(subArgs);
  await sub.ready;
  const pub = start(pubArgs);
  const [result] = await Promise.all([sub.result, pub.result]);
  if (result === undefined) throw new Error('the subscriber printed no result');
  return result;
}

// --- Mosquitto -----------------------------------------------------------------------------------
const mqttPort = await freePort();
writeFileSync(
  path.join(dir, 'mosquitto.conf'),
  [
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    'persistence false',
    'allow_anonymous true',
    'set_tcp_nodelay true',
    'log_dest stderr',
    'log_type error',
    `listener ${mqttPort} 127.0.0.1`,
    '',
  ].join('\n'),
);
const mosquitto = spawn('/usr/sbin/mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], {
  stdio: 'inherit',
});
children.push(mosquitto);
const url = `mqtt://127.0.0.1:${mqttPort}`;
await waitFor(
  () =>
    new Promise((resolve) => {
      const socket = createConnection({ port: mqttPort, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    }),
  'mosquitto',
);

// --- The connector (fleetloop connector over Cyclone DDS) ----------------------------------------
const baseDomain = 150 + (process.pid % 50);
const connectorDomain = baseDomain + 1;
const opsPort = await freePort();
writeFileSync(
  path.join(dir, 'connector.yaml'),
  [
    'robot: bench',
    `dataDir: ${dir}`,
    `ros: { domainId: ${connectorDomain}, localhostOnly: true }`,
    'log: { level: warn, format: json }',
    `ops: { port: ${opsPort} }`,
    `broker: { url: "${url}" }`,
    'routes:',
    '  - { name: bench, topics: { include: ["/bench/**"] }, qos: 0, reliability: reliable, history: keep_all }',
    '',
  ].join('\n'),
);
start(['connector', '--config', path.join(dir, 'connector.yaml')], CLI);
await waitFor(
  () =>
    fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    ),
  'the connector to connect to the broker',
);

/** Messages the connector has taken from ROS so far (its `/status`). */
async function connectorReceived(): Promise<number> {
  const status = (await fetch(`http://127.0.0.1:${opsPort}/status`).then((r) => r.json())) as {
    counts: Record<string, { received: number }>;
  };
  return status.counts['bench']?.received ?? 0;
}

type PathName = 'dds' | 'mqtt' | 'connector';
const PATHS: readonly PathName[] = ['dds', 'mqtt', 'connector'];
const PATH_LABELS: Record<PathName, string> = {
  dds: 'DDS hop',
  mqtt: 'MQTT hop (MQTT.js → Mosquitto)',
  connector: 'connector path',
};

/** Runs one scenario over the chosen paths (all three by default), one after the other. */
async function paths(
  scenario: Scenario,
  id: string,
  which: readonly PathName[] = PATHS,
): Promise<Partial<Record<PathName, HopResult>>> {
  const rosTopic = `/bench/${id}`;
  const results: Partial<Record<PathName, HopResult>> = {};
  if (which.includes('dds')) {
    results.dds = await hop(
      ['dds-sub', '--domain', String(baseDomain), '--topic', rosTopic, ...load(scenario)],
      ['dds-pub', '--domain', String(baseDomain), '--topic', rosTopic, ...load(scenario)],
    );
  }
  if (which.includes('mqtt')) {
    const mqttTopic = `fleetloop/v1/lab/bench/raw/bench/${id}`;
    results.mqtt = await hop(
      ['mqtt-sub', '--url', url, '--mqtt-topic', mqttTopic, ...load(scenario)],
      ['mqtt-pub', '--url', url, '--mqtt-topic', mqttTopic, ...load(scenario)],
    );
  }
  if (which.includes('connector')) {
    const before = await connectorReceived();
    results.connector = await hop(
      ['mqtt-sub', '--url', url, '--mqtt-topic', `fleetloop/v1/lab/bench/ros/bench/${id}`, ...load(scenario)],
      ['dds-pub', '--domain', String(connectorDomain), '--topic', rosTopic, ...load(scenario)],
    );
    const took = (await connectorReceived()) - before;
    if (took < scenario.count) console.log(`  (the connector took ${took} of ${scenario.count} from DDS)`);
  }
  return results;
}

function row(name: string, r: HopResult, s: Scenario): string {
  return `  ${name.padEnd(30)} received ${String(r.received).padStart(6)}/${s.count}  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ${r.msgsPerS.toFixed(0)} msg/s  ${r.mbPerS.toFixed(1)} MB/s`;
}

function report(name: string, s: Scenario, r: Partial<Record<PathName, HopResult>>): void {
  const rows = PATHS.flatMap((key) => {
    const result = r[key];
    return result === undefined ? [] : [row(PATH_LABELS[key], result, s)];
  });
  console.log([name, ...rows].join('\n'));
}

/**
 * A path sustains a rate when at least 99 % of the messages offered at it arrive and they arrive
 * at ≥ 90 % of the offered rate (otherwise a backlog is building up somewhere).
 */
const sustains = (r: HopResult, s: Scenario): boolean =>
  r.received >= 0.99 * s.count && r.msgsPerS >= 0.9 * s.rate;

/**
 * The highest offered rate each path sustains, offered rates growing by a quarter from `from`
 * up to `upTo` msg/s, `seconds` per step. A busy machine can make a path miss one step, so a path
 * is dropped only after two misses in a row, and the highest rate it sustained counts.
 */
async function maxSustained(
  label: string,
  size: number,
  from: number,
  upTo: number,
  seconds: number,
): Promise<Record<PathName, number>> {
  const best: Record<PathName, number> = { dds: 0, mqtt: 0, connector: 0 };
  const misses: Record<PathName, number> = { dds: 0, mqtt: 0, connector: 0 };
  for (let rate = from; rate <= upTo; rate = Math.round(rate * 1.25)) {
    const active = PATHS.filter((key) => misses[key] < 2);
    if (active.length === 0) break;
    const step: Scenario = {
      name: `${label} at ${rate}`,
      size,
      count: Math.round(rate * seconds * SCALE),
      rate,
    };
    const r = await paths(step, `b${size}_r${rate}`, active);
    report(`${label} offered at ${rate} msg/s for ${(seconds * SCALE).toFixed(1)} s`, step, r);
    for (const key of active) {
      const result = r[key];
      if (result !== undefined && sustains(result, step)) {
        best[key] = rate;
        misses[key] = 0;
      } else {
        misses[key] += 1;
      }
    }
  }
  // Between the highest rate a path sustained and the step above it, two finer steps (+8 %, +16 %)
  // bring the resolution of a ratio from 25 % to 8 %.
  for (const key of PATHS) {
    const coarse = best[key];
    if (coarse === 0 || coarse * 1.25 > upTo) continue;
    for (const factor of [1.08, 1.16]) {
      const rate = Math.round(coarse * factor);
      const step: Scenario = {
        name: `${label} at ${rate}`,
        size,
        count: Math.round(rate * seconds * SCALE),
        rate,
      };
      const result = (await paths(step, `b${size}_f${rate}`, [key]))[key];
      if (result === undefined) break;
      report(`${label} offered at ${rate} msg/s for ${(seconds * SCALE).toFixed(1)} s (finer step)`, step, {
        [key]: result,
      });
      if (!sustains(result, step)) break;
      best[key] = rate;
    }
  }
  return best;
}

let latencyRatio = NaN;
let smallRatio = NaN;
let imageRatio = NaN;
try {
  // The machine is shared: the three paths take turns, three rounds, and the median ratio counts.
  const latency: Scenario = { name: 'latency', size: 256, count: Math.round(1500 * SCALE), rate: 1000 };
  const ratios: number[] = [];
  for (let round = 1; round <= 3 && runs('latency'); round++) {
    const l = await paths(latency, `latency${round}`);
    report(`latency round ${round}: 256 B at 1000 msg/s`, latency, l);
    ratios.push((l.connector?.p99Ms ?? NaN) / ((l.dds?.p99Ms ?? NaN) + (l.mqtt?.p99Ms ?? NaN)));
  }
  latencyRatio = ratios.sort((a, b) => a - b)[1] ?? NaN;
  if (runs('latency')) {
    console.log(
      `p99 ratios per round (connector / (DDS + MQTT)): ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
    );
  }

  if (runs('small')) {
    const small = await maxSustained('256 B', 256, Number(process.env['FROM'] ?? 8_000), 100_000, 2);
    console.log(
      `max sustained 256 B rate: DDS hop ${small.dds} msg/s, MQTT hop ${small.mqtt} msg/s, connector path ${small.connector} msg/s`,
    );
    smallRatio = small.connector / Math.min(small.dds, small.mqtt);
  }

  if (runs('image')) {
    const image = await maxSustained('1 MB', 1 << 20, 100, 1_000, 2);
    const mb = (rate: number): string => `${((rate * (1 << 20)) / 1e6).toFixed(1)} MB/s`;
    console.log(
      `max sustained 1 MB rate: DDS hop ${mb(image.dds)}, MQTT hop ${mb(image.mqtt)}, connector path ${mb(image.connector)}`,
    );
    imageRatio = image.connector / Math.min(image.dds, image.mqtt);
  }
} finally {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
}

console.log(
  `throughput ratio 256 B (max sustained msg/s against the slower raw hop): ${smallRatio.toFixed(2)}`,
);
console.log(
  `throughput ratio 1 MB (max sustained MB/s against the slower raw hop): ${imageRatio.toFixed(2)}`,
);
console.log(
  'ROS hop: Cyclone DDS (fleetloop DdsTransport), localhost discovery, reliable keep_all (reader holds ≤ 1000); ' +
    'the raw MQTT hop publishes the same messages (topic depth, v5 user properties) as the connector, QoS 0.',
);
console.log(`connector-latency-p99-ratio: ${latencyRatio.toFixed(2)}`);
console.log(`connector-throughput-ratio: ${Math.min(smallRatio, imageRatio).toFixed(2)}`);
