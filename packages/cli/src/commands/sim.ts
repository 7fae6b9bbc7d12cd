import { InvalidArgumentError, type Command } from 'commander';
import { createLogger, ShutdownController } from '@fleetloop/core';
import {
  evaluatePolicy,
  ScenarioSuite,
  ScriptedExpert,
  SimFleet,
  type EvaluationReport,
} from '@fleetloop/sim';
import { ExitCode } from '../ExitCode.js';

/**
 * `fleetloop sim`: the simulator from the command line. `sim expert` evaluates the scripted
 * expert on a scenario suite; `sim fleet` runs simulated robots on the ROS transport until
 * Ctrl-C (or `--duration`).
 */
export function registerSimCommand(program: Command): void {
  const sim = program.command('sim').description('simulated worlds, expert evaluation and a simulated fleet');

  sim
    .command('expert')
    .description('evaluate the scripted expert on a scenario suite and print its success rate and metrics')
    .option(
      '--suite <name>',
      `scenario suite (${ScenarioSuite.names().join(', ')})`,
      suiteName,
      'nav-v1/test',
    )
    .option('--episodes <n>', 'run only the first n episodes of the suite', positiveInteger)
    .option('--min-success <rate>', 'exit with code 1 when the success rate is below this (0-1)', rate)
    .option('--json', 'print the full report (every episode) as JSON')
    .action(async (options: { suite: string; episodes?: number; minSuccess?: number; json?: boolean }) => {
      const suite = ScenarioSuite.get(options.suite);
      const report = await evaluatePolicy(
        new ScriptedExpert(),
        suite,
        options.episodes === undefined ? {} : { episodes: options.episodes },
      );
      process.stdout.write(
        options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report),
      );
      process.exitCode =
        options.minSuccess !== undefined && report.aggregate.successRate < options.minSuccess
          ? ExitCode.Failure
          : ExitCode.Ok;
    });

  sim
    .command('fleet')
    .description('run simulated robots on the ROS transport until Ctrl-C')
    .option('--robots <n>', 'number of robots, named robot_1 … robot_N', positiveInteger, 4)
    .option(
      '--transport <kind>',
      'dds (Cyclone DDS, ROS_DOMAIN_ID honoured) or inprocess',
      transportKind,
      'dds',
    )
    .option('--driver <who>', 'external (obey cmd_vel) or expert (drive themselves)', driverKind, 'external')
    .option('--suite <name>', 'scenario suite missions are drawn from', suiteName, 'nav-v1/test')
    .option('--idle <seconds>', 'idle time between missions', nonNegative, 3)
    .option('--camera-hz <hz>', 'camera frames per second (0 = no camera)', nonNegative, 10)
    .option('--operator', 'an operator takes over cmd_vel that would collide and publishes each intervention')
    .option('--duration <seconds>', 'stop after this long instead of waiting for Ctrl-C', nonNegative)
    .action(
      async (options: {
        robots: number;
        transport: 'dds' | 'inprocess';
        driver: 'external' | 'expert';
        suite: string;
        idle: number;
        cameraHz: number;
        operator?: boolean;
        duration?: number;
      }) => {
        const logger = createLogger({ name: 'sim-fleet' });
        ScenarioSuite.get(options.suite);
        const shutdown = new ShutdownController({ logger }).listen();
        const fleet = await SimFleet.create({
          transport: options.transport,
          robots: options.robots,
          suite: options.suite,
          driver: options.driver,
          idleS: options.idle,
          cameraHz: options.cameraHz,
          operator: options.operator === true,
          onError: (error) => {
            logger.error({ err: error }, 'simulation tick failed; stopping');
            void shutdown.shutdown();
          },
        });
        shutdown.add('fleet', () => fleet.close());
        fleet.start();
        logger.info(
          {
            robots: fleet.robots.map((r) => r.namespace),
            transport: options.transport,
            driver: options.driver,
          },
          'simulated fleet running',
        );
        const report = setInterval(() => {
          for (const robot of fleet.robots)
            logger.info({ robot: robot.name, ...robot.missionState }, 'mission state');
        }, 10_000);
        shutdown.add('report', () => clearInterval(report));
        if (options.duration !== undefined) {
          const timer = setTimeout(() => void shutdown.shutdown(), options.duration * 1000);
          shutdown.add('duration', () => clearTimeout(timer));
        }
        await shutdown.requested;
        await shutdown.shutdown();
        for (const robot of fleet.robots) {
          const s = robot.missionState;
          process.stdout.write(
            `${robot.name}: ${s.missionsDone} missions, ${s.successes} successes, ${s.collisions} collisions, ` +
              `${robot.interventions} operator interventions\n`,
          );
        }
      },
    );
}

function formatReport(report: EvaluationReport): string {
  const a = report.aggregate;
  const f = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
  return [
    `suite: ${report.suite} (${a.episodes} episodes)`,
    `collision rate: ${f(a.collisionRate)}`,
    `timeout rate: ${f(a.timeoutRate)}`,
    `mean time to goal: ${f(a.meanTimeToGoal, 2)} s`,
    `mean path length / shortest path: ${f(a.meanPathLengthRatio)}`,
    `min clearance: ${f(a.minClearance)} m (mean per episode ${f(a.meanMinClearance)} m)`,
    `success rate: ${f(a.successRate)}`,
    '',
  ].join('\n');
}

function suiteName(value: string): string {
  if (!ScenarioSuite.names().includes(value)) {
    throw new InvalidArgumentError(
      `unknown scenario suite "${value}"; known suites: ${ScenarioSuite.names().join(', ')}`,
    );
  }
  return value;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a rate between 0 and 1, got "${value}"`);
  return n;
}

function transportKind(value: string): 'dds' | 'inprocess' {
  if (value !== 'dds' && value !== 'inprocess') {
    throw new InvalidArgumentError(`expected dds or inprocess, got "${value}"`);
  }
  return value;
}

function driverKind(value: string): 'external' | 'expert' {
  if (value !== 'external' && value !== 'expert') {
    throw new InvalidArgumentError(`expected external or expert, got "${value}"`);
  }
  return value;
}
