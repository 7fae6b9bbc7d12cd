import { createLogger, loadConfig } from '@fleetloop/core';
import { runTraining, trainConfigSchema, type TrainingResult } from '@fleetloop/train';
import type { Command } from 'commander';

/**
 * `fleetloop train --config train.yaml`: one training run (BC, DAgger or PPO) as the file
 * describes it: checkpoints, evaluation, the exported policy package and run tracking. Every
 * field can also be set by environment variable (`FLEETLOOP_TRACKING__TOKEN`, `FLEETLOOP_OUTPUT_DIR`).
 * Pointed at the output directory of an interrupted run, it resumes from the last checkpoint.
 */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'train a policy (bc | dagger | ppo), evaluate it and export policy.onnx, policy.yaml and card.md',
    )
    .requiredOption('-c, --config <file>', 'training configuration (train.yaml)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { config: string; json?: boolean }) => {
      const config = await loadConfig({ schema: trainConfigSchema, file: options.config });
      const logger = createLogger({ name: 'train' });
      const result = await runTraining(config, { logger });
      process.stdout.write(
        options.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result),
      );
    });
}

function formatResult(r: TrainingResult): string {
  const e = r.evaluation;
  const figure = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  return [
    `run ${r.runId} (${r.algorithm})${r.resumed ? ', resumed from checkpoint' : ''}: ${r.minutes.toFixed(1)} min`,
    `evaluation: success ${figure(e.successRate)}, collisions ${figure(e.collisionRate)}, path-length ratio ${figure(e.meanPathLengthRatio)} over ${e.episodes} episodes`,
    `policy package: ${r.packageDir} (ONNX vs TF.js max abs error ${r.onnxMaxAbsError.toExponential(2)})`,
    `run directory: ${r.runDir}`,
    '',
  ].join('\n');
}
