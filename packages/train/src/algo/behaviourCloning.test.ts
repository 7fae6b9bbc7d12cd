import { beforeAll, describe, expect, it } from 'vitest';
import type { Demonstrations } from '../data/loadDemonstrations.js';
import { GaussianPolicy } from '../model/GaussianPolicy.js';
import { gaussian, seededRng } from '../model/random.js';
import { initTensorflow, tf } from '../tf/backend.js';
import { fitBehaviourCloning } from './behaviourCloning.js';

beforeAll(async () => {
  await initTensorflow();
});

/** A smooth demonstrator: both action components are functions of the observation plus noise. */
function demonstrations(frames: number): Demonstrations {
  const rng = seededRng(11);
  const observations = Float32Array.from({ length: frames * 3 }, () => gaussian(rng));
  const actions = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const [a, b, c] = [0, 1, 2].map((k) => observations[i * 3 + k] as number) as [number, number, number];
    actions[i * 2] = 0.5 + 0.3 * Math.tanh(a - b) + 0.01 * gaussian(rng);
    actions[i * 2 + 1] = 0.8 * Math.sin(c) * Math.tanh(a) + 0.01 * gaussian(rng);
  }
  return { observations, actions, frames, episodes: 1 };
}

describe('behaviour cloning', () => {
  it('fits every member of an ensemble on its own and acts with their mean', async () => {
    const data = demonstrations(3000);
    const policy = new GaussianPolicy(
      {
        observationSize: 3,
        actionSize: 2,
        hidden: [32, 32],
        activation: 'tanh',
        actionLow: [0, -1],
        actionHigh: [1, 1],
        ensembleMembers: 3,
      },
      { rng: seededRng(5) },
    );
    policy.normalizer.update(data.observations);
    policy.syncNormalizer();
    const losses = await fitBehaviourCloning(policy, data, {
      epochs: 15,
      batchSize: 100,
      learningRate: 3e-3,
      rng: seededRng(6),
    });
    expect(losses[losses.length - 1]).toBeLessThan(0.1 * (losses[0] as number));

    const rows = 500;
    const x = tf.tensor2d(data.observations.subarray(0, rows * 3), [rows, 3]);
    const y = tf.tensor2d(policy.toNormalized(data.actions.subarray(0, rows * 2)), [rows, 2]);
    const members = policy.mlp.applyMembers(policy.normalize(x));
    const memberErrors = members.map((m) => tf.mean(tf.square(tf.sub(m, y))).dataSync()[0] as number);
    const ensembleError = tf.mean(tf.square(tf.sub(policy.meanNormalized(x), y))).dataSync()[0] as number;
    // Each member matches the demonstrator by itself (a jointly trained sum would not need to)…
    for (const e of memberErrors) expect(e).toBeLessThan(3 * ensembleError + 1e-3);
    // …the members are different networks, and the policy's mean is their average.
    const outputs = members.map((m) => m.dataSync() as Float32Array);
    expect(Math.abs((outputs[0]?.[0] as number) - (outputs[1]?.[0] as number))).toBeGreaterThan(1e-4);
    const averaged = (policy.meanNormalized(x).dataSync() as Float32Array)[0] as number;
    expect(averaged).toBeCloseTo(outputs.reduce((s, o) => s + (o[0] as number), 0) / 3, 5);
    policy.dispose();
  }, 60_000);
});
