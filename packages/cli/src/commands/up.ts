import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  ConfigError,
  createLogger,
  fleetConfigSchema,
  loadConfig,
  OpsServer,
  ShutdownController,
  validateConfig,
  type Logger,
} from '@fleetloop/core';
import { Connector, connectorConfigSchema, EmbeddedBroker, rosMessageCodecs } from '@fleetloop/connector';
import { readPolicyPackage } from '@fleetloop/registry';
import {
  DdsTransport,
  InProcessTransport,
  MessageDefinitionRegistry,
  type RosTransport,
} from '@fleetloop/ros';
import { PolicyRuntime, runtimeConfigSchema } from '@fleetloop/runtime';
import { SimFleet, type SimRobot } from '@fleetloop/sim';
import { trainBehaviourCloning } from '@fleetloop/train';
import { configOption } from '../globalConfig.js';

interface UpOptions {
  config?: string;
  robots: string;
  transport: 'dds' | 'inprocess';
  duration?: string;
  dataDir?: string;
  policy?: string;
}

/** One simulated robot with the connector and runtime that serve it. */
interface FleetMember {
  readonly robot: SimRobot;
  readonly runtime: PolicyRuntime;
}

/**
 * `fleetloop up`: the whole loop on one machine with embedded defaults — an aedes MQTT broker,
 * simulated robots on ROS 2 (Cyclone DDS, or in-process), a connector and a policy runtime per
 * robot driving it with a behaviour-cloning policy (trained from expert demonstrations on the first
 * start and cached in the data directory) — and a live table of the robots. Ctrl-C (or the end of
 * `--duration`) stops everything cleanly.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole loop on one machine: MQTT broker, simulated robots, connectors, runtimes')
    .addOption(configOption())
    .option('--robots <n>', 'number of simulated robots', '4')
    .addOption(
      new Option(
        '--transport <kind>',
        'ROS 2 transport (dds falls back to inprocess when Cyclone cannot load)',
      )
        .choices(['dds', 'inprocess'])
        .default('dds'),
    )
    .option('--duration <seconds>', 'stop cleanly after this many seconds')
    .option(
      '--data-dir <dir>',
      'directory for the cached policy, queues and caches (default: dataDir of the config)',
    )
    .option('--policy <dir>', 'drive with this policy package instead of the cached behaviour-cloning policy')
    .action(async (options: UpOptions) => {
      const config = await loadConfig({ schema: fleetConfigSchema, file: options.config });
      const robots = positiveInt(options.robots, '--robots');
      const durationS =
        options.duration === undefined ? undefined : positiveNumber(options.duration, '--duration');
      const dataDir = path.resolve(options.dataDir ?? config.dataDir);
      const logger = createLogger({ name: 'up', ...config.log });
      await runUp({ site: config.site, robots, durationS, dataDir, logger, options });
    });
}

async function runUp(args: {
  site: string;
  robots: number;
  durationS: number | undefined;
  dataDir: string;
  logger: Logger;
  options: UpOptions;
}): Promise<void> {
  const { site, robots, dataDir, logger, options } = args;
  const out = process.stdout;
  const shutdown = new ShutdownController({ logger, timeoutMs: 15_000 }).listen();

  out.write(`fleetloop up: ${robots} robots, data in ${dataDir}\n`);
  const packageDir =
    options.policy === undefined ? await cachedPolicy(dataDir, logger) : path.resolve(options.policy);
  const contract = (await readPolicyPackage(packageDir)).contract;
  out.write(`policy: ${contract.name} from ${packageDir}\n`);

  const transport = openTransport(options.transport, logger);
  shutdown.add('transport', () => transport.close());
  const broker = new EmbeddedBroker();
  const brokerUrl = await broker.start();
  shutdown.add('broker', () => broker.stop());
  // One second between missions (the default is three) keeps the table moving.
  const fleet = await SimFleet.create({ transport, robots, cameraHz: 0, idleS: 1 });
  shutdown.add('simulated robots', () => fleet.close());

  // The table is the output; the services log only errors unless debugging was asked for.
  const quiet = createLogger({ name: 'fleet', level: logger.level === 'debug' ? 'debug' : 'error' });
  const metricsRegistry = OpsServer.createRegistry();
  const codecs = rosMessageCodecs(new MessageDefinitionRegistry());
  const members: FleetMember[] = [];
  for (const robot of fleet.robots) {
    const connector = new Connector({
      config: validateConfig(connectorConfigSchema, {
        site,
        dataDir,
        robot: robot.name,
        transport: transport.kind,
        broker: { url: brokerUrl, protocolVersion: 4 },
        ops: { enabled: false },
        routes: [
          {
            name: 'telemetry',
            topics: { include: [`/${robot.name}/odom`, `/${robot.name}/mission_state`] },
            encoding: 'json',
            maxRateHz: 2,
          },
          { name: 'safety', topics: { include: [`/${robot.name}/runtime/interventions`] }, encoding: 'json' },
        ],
      }),
      transport,
      codecs,
      logger: quiet.child({ component: 'connector', robot: robot.name }),
      registry: metricsRegistry,
      ops: false,
    });
    await connector.start();
    shutdown.add(`connector ${robot.name}`, () => connector.stop({ drainTimeoutMs: 1000 }));
    const runtime = new PolicyRuntime({
      config: validateConfig(runtimeConfigSchema, {
        site,
        dataDir,
        runtime: {
          robot: {
            name: robot.name,
            type: contract.robotType,
            latchedTopics: ['goal_pose', 'mission_state'],
          },
          transport: transport.kind,
          safety: { staleExemptTopics: ['goal_pose'], minClearanceM: 0.22 },
          mqtt: { url: brokerUrl, protocolVersion: 4 },
          desired: { initial: { policy: { source: packageDir } } },
        },
      }),
      transport,
      logger: quiet.child({ component: 'runtime', robot: robot.name }),
      metricsRegistry,
    });
    await runtime.start();
    shutdown.add(`runtime ${robot.name}`, () => runtime.close());
    members.push({ robot, runtime });
  }
  fleet.start();
  shutdown.add('ticking', () => fleet.stop());

  const table = new FleetTable(out, members);
  table.start();
  shutdown.add('table', () => table.stop());
  if (args.durationS !== undefined) {
    const timer = setTimeout(() => void shutdown.shutdown(), args.durationS * 1000);
    shutdown.add('duration', () => clearTimeout(timer));
  }
  await shutdown.requested;
  await shutdown.shutdown();
  out.write(`\n${table.summary()}\nfleetloop up: stopped\n`);
}

/** The behaviour-cloning policy of the data directory, trained from expert demonstrations on first use. */
async function cachedPolicy(dataDir: string, logger: Logger): Promise<string> {
  const outputDir = path.join(dataDir, 'policies', 'quickstart');
  process.stdout.write(
    `loading the behaviour-cloning policy cached in ${outputDir} (the first start trains it from expert demonstrations: a few minutes)\n`,
  );
  const trained = await trainBehaviourCloning({ outputDir, logger: logger.child({ component: 'train' }) });
  if (!trained.cached) {
    process.stdout.write(
      `trained run ${trained.runId}: success ${formatRate(trained.successRate)} in evaluation\n`,
    );
  }
  return trained.packageDir;
}

function openTransport(kind: 'dds' | 'inprocess', logger: Logger): RosTransport {
  if (kind === 'inprocess') return new InProcessTransport();
  try {
    return new DdsTransport();
  } catch (error) {
    logger.warn(
      { err: error },
      'Cyclone DDS could not be loaded; running on the in-process transport instead (robots, connectors and runtimes stay inside this process). ' +
        'Run `fleetloop doctor` to see what is missing.',
    );
    process.stderr.write(
      `fleetloop up: WARNING: DDS unavailable (${error instanceof Error ? error.message : String(error)}); using --transport inprocess\n`,
    );
    return new InProcessTransport();
  }
}

/** The live table of robots: redrawn in place on a terminal, a line per robot every few seconds otherwise. */
class FleetTable {
  readonly #out: NodeJS.WriteStream;
  readonly #members: readonly FleetMember[];
  #timer: NodeJS.Timeout | undefined;
  #drawnLines = 0;
  #final: string[] = [];

  constructor(out: NodeJS.WriteStream, members: readonly FleetMember[]) {
    this.#out = out;
    this.#members = members;
  }

  start(): void {
    const tty = this.#out.isTTY;
    this.#timer = setInterval(() => (tty ? this.#redraw() : this.#printLines()), tty ? 1000 : 5000);
    this.#timer.unref();
  }

  /** Stops redrawing and keeps the final figures for {@link summary}. */
  stop(): void {
    clearInterval(this.#timer);
    this.#final = this.#members.map(({ robot, runtime }) => {
      const m = robot.missionState;
      const reasons = Object.entries(runtime.status().health.interventions)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', ');
      return (
        `${robot.name}: ${m.missionsDone} missions, ${m.successes} reached the goal, ${m.collisions} collisions; ` +
        `safety interventions: ${reasons === '' ? 'none' : reasons}`
      );
    });
  }

  /** One line per robot with the final figures (after {@link stop}). */
  summary(): string {
    return this.#final.join('\n');
  }

  #redraw(): void {
    const rows = this.#rows();
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
    const up = this.#drawnLines > 0 ? `\u001b[${this.#drawnLines}F` : '';
    this.#out.write(`${up}${lines.map((l) => `\u001b[2K${l}`).join('\n')}\n`);
    this.#drawnLines = lines.length;
  }

  #printLines(): void {
    const [header, ...rows] = this.#rows();
    for (const row of rows) {
      this.#out.write(`${row.map((cell, i) => `${header?.[i] ?? ''}=${cell}`).join(' ')}\n`);
    }
  }

  #rows(): string[][] {
    const header = ['robot', 'status', 'policy', 'missions', 'success', 'interventions', 'step p50/p99 ms'];
    return [
      header,
      ...this.#members.map(({ robot, runtime }) => {
        const status = runtime.status();
        const mission = robot.missionState;
        const interventions = Object.values(status.health.interventions).reduce((a, b) => a + (b ?? 0), 0);
        const latency = status.health.stepLatencyMs;
        return [
          robot.name,
          `${status.state}/${mission.state}`,
          status.active?.version ?? '-',
          String(mission.missionsDone),
          mission.missionsDone === 0 ? '-' : formatRate(mission.successes / mission.missionsDone),
          String(interventions),
          `${latency.p50?.toFixed(2) ?? '-'}/${latency.p99?.toFixed(2) ?? '-'}`,
        ];
      }),
    ];
  }
}

function formatRate(rate: number): string {
  return Number.isFinite(rate) ? `${Math.round(rate * 100)}%` : '-';
}

function positiveInt(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${option} must be a whole number of at least 1, got "${text}"`, {});
  }
  return value;
}

function positiveNumber(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${option} must be a positive number of seconds, got "${text}"`, {});
  }
  return value;
}
