import type { PolicyArchitecture } from '../model/GaussianPolicy.js';

/** What a model card reports. */
export interface ModelCardInput {
  readonly name: string;
  readonly algorithm: string;
  readonly runId: string;
  readonly architecture: PolicyArchitecture;
  readonly dataset?:
    { readonly version: string; readonly episodes: number; readonly frames: number } | undefined;
  readonly parentRunId?: string | undefined;
  readonly codeVersion?: string | undefined;
  readonly evaluationSuite: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly onnxMaxAbsError: number;
  readonly trainingMinutes: number;
  /** How reinforcement learning scored steps (PPO runs), one line. */
  readonly reward?: string | undefined;
  /** The imitation terms beside that reward (PPO runs that have any), one line. */
  readonly imitation?: string | undefined;
}

/** `card.md`: what the policy was trained on, how it scored, and where it is known to fall short. */
export function modelCard(input: ModelCardInput): string {
  const a = input.architecture;
  const metricRows = Object.entries(input.metrics)
    .map(([k, v]) => `| ${k} | ${Number.isFinite(v) ? Number(v.toFixed(4)) : 'n/a'} |`)
    .join('\n');
  const data =
    input.dataset === undefined
      ? '- No demonstrations: trained by reinforcement learning in the simulator.'
      : `- Dataset \`${input.dataset.version}\`: ${input.dataset.episodes} episodes, ${input.dataset.frames} frames.`;
  return `# ${input.name}

Algorithm: **${input.algorithm}**, run \`${input.runId}\`${input.parentRunId === undefined ? '' : `, fine-tuned from run \`${input.parentRunId}\``}.
Code version: ${input.codeVersion === undefined ? 'unknown (not built from a git checkout)' : `\`${input.codeVersion}\``}.
Training time: ${input.trainingMinutes.toFixed(1)} minutes.

## Model

- ${(a.ensembleMembers ?? 1) > 1 ? `Mean of an ensemble of ${a.ensembleMembers} MLPs` : 'MLP'} ${[a.observationSize, ...a.hidden, a.actionSize].join(' → ')}, ${a.activation} hidden activations.
- Observation normaliser inside the graph (Sub/Div); action components scaled onto ${a.actionLow.map((lo, i) => `[${lo}, ${a.actionHigh[i]}]`).join(', ')} and clipped there (Max/Min).
- Deterministic: the exported action is the mean of the training policy.
- ONNX Runtime vs TF.js on 1,000 random observations: max abs error ${input.onnxMaxAbsError.toExponential(2)}.

## Data

${data}${input.reward === undefined ? '' : `\n- Reinforcement learning reward: ${input.reward}.`}${input.imitation === undefined ? '' : `\n- Imitation beside the reward: ${input.imitation}.`}

## Evaluation on \`${input.evaluationSuite}\`

| metric | value |
|---|---|
${metricRows}

## Known limits

- Trained and evaluated only in simulation (nav-v1 worlds: static obstacles, simulated 64-beam scan, odometry with noise); behaviour on a physical robot is unvalidated until staged validation passes.
- Moving obstacles, other robots and sensor failures outside the scenario suites were not seen in training.
- The policy has no memory: it reacts to the current scan and goal only, and can oscillate in dead ends.
`;
}
