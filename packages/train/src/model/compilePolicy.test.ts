import { beforeAll, describe, expect, it } from 'vitest';
import { initTensorflow } from '../tf/backend.js';
import { compilePolicy } from './compilePolicy.js';
import { GaussianPolicy } from './GaussianPolicy.js';
import { gaussian, seededRng } from './random.js';

beforeAll(async () => {
  await initTensorflow();
});

describe('compilePolicy', () => {
  it.each([
    ['tanh', 1],
    ['relu', 1],
    ['tanh', 4],
  ] as const)(
    'computes the same action as the TF.js policy (%s, %i ensemble member(s))',
    (activation, ensembleMembers) => {
      const rng = seededRng(3);
      const policy = new GaussianPolicy(
        {
          observationSize: 5,
          actionSize: 2,
          hidden: [8, 8],
          activation,
          actionLow: [-0.2, -1.5],
          actionHigh: [0.5, 1.5],
          ensembleMembers,
        },
        { rng },
      );
      const data = Float32Array.from({ length: 500 }, () => 2 + 3 * gaussian(rng));
      policy.normalizer.update(data);
      policy.syncNormalizer();
      const act = compilePolicy(policy.snapshot());
      const batch = policy.act(data);
      for (let row = 0; row < 100; row++) {
        const single = act(data.subarray(row * 5, row * 5 + 5));
        expect(single[0]).toBeCloseTo(batch[row * 2] as number, 5);
        expect(single[1]).toBeCloseTo(batch[row * 2 + 1] as number, 5);
      }
      policy.dispose();
    },
  );
});
