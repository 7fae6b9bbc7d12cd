import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianPolicy } from '../model/GaussianPolicy.js';
import { gaussian, seededRng } from '../model/random.js';
import { initTensorflow } from '../tf/backend.js';
import { TrainError } from '../TrainError.js';
import { buildPolicyOnnx } from './onnxGraph.js';
import { verifyOnnxAgainstPolicy } from './verifyOnnx.js';

beforeAll(async () => {
  await initTensorflow();
});

function trainedLookingPolicy(activation: 'tanh' | 'relu', ensembleMembers = 1): GaussianPolicy {
  const rng = seededRng(7);
  const policy = new GaussianPolicy(
    {
      observationSize: 6,
      actionSize: 2,
      hidden: [16, 16],
      activation,
      actionLow: [0, -2],
      actionHigh: [1, 2],
      ensembleMembers,
    },
    { rng },
  );
  const obs = new Float32Array(600);
  for (let i = 0; i < obs.length; i++) obs[i] = 3 + 5 * gaussian(rng) * ((i % 6) + 1);
  policy.normalizer.update(obs);
  policy.syncNormalizer();
  // Larger output weights so some actions hit the clipping bounds.
  const layers = policy.mlp.layers();
  const perMember = policy.mlp.sizes.length - 1;
  layers.forEach((layer, i) => {
    if ((i + 1) % perMember === 0)
      for (let k = 0; k < layer.w.length; k++) layer.w[k] = (layer.w[k] as number) * 40;
  });
  policy.mlp.setLayers(layers);
  return policy;
}

describe('ONNX export', () => {
  it.each([
    ['tanh', 1],
    ['relu', 1],
    ['tanh', 3],
  ] as const)(
    'matches the TF.js policy on 1,000 observations (%s, %i ensemble member(s))',
    async (activation, members) => {
      const policy = trainedLookingPolicy(activation, members);
      const bytes = buildPolicyOnnx(policy.snapshot());
      const check = await verifyOnnxAgainstPolicy(bytes, policy, { rng: seededRng(1) });
      expect(check.samples).toBe(1000);
      expect(check.maxAbsError).toBeLessThanOrEqual(1e-5);
      const actions = policy.act(new Float32Array(6).fill(1e4));
      expect(actions[0]).toBeGreaterThanOrEqual(0);
      expect(actions[0]).toBeLessThanOrEqual(1);
      policy.dispose();
    },
  );

  it('fails when the graph disagrees with the model', async () => {
    const policy = trainedLookingPolicy('tanh');
    const snapshot = policy.snapshot();
    const other = trainedLookingPolicy('tanh');
    const layers = other.mlp.layers();
    const first = layers[0];
    if (first !== undefined) first.b[0] = 0.5;
    other.mlp.setLayers(layers);
    const error = await verifyOnnxAgainstPolicy(buildPolicyOnnx(snapshot), other, {
      rng: seededRng(2),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).code).toBe('TRAIN_EXPORT_MISMATCH');
    expect((error as TrainError).message).toMatch(/max abs error/);
    policy.dispose();
    other.dispose();
  });
});
