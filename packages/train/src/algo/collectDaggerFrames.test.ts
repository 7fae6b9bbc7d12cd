import { describe, expect, it } from 'vitest';
import { seededRng } from '../model/random.js';
import { collectDaggerFrames } from './collectDaggerFrames.js';

// A learner that ignores its observation and drives straight ahead at full speed.
const reckless = (): Float32Array => Float32Array.from([0.5, 0]);

describe('collectDaggerFrames', () => {
  it('labels every state the learner visits with the expert', async () => {
    const round = await collectDaggerFrames({
      learner: reckless,
      suite: 'nav-v1/train',
      episodes: [500],
      beta: 0,
      rng: seededRng(1),
    });
    expect(round.frames).toBeGreaterThan(5);
    expect(round.observations).toHaveLength(round.frames * 69);
    // The expert turns where the reckless learner does not.
    const angular = Array.from({ length: round.frames }, (_, i) => round.actions[2 * i + 1] as number);
    expect(angular.some((w) => Math.abs(w) > 0.1)).toBe(true);
  });

  it('keeps only operator takeovers as labels with the operator labeller', async () => {
    const round = await collectDaggerFrames({
      learner: reckless,
      labeller: 'operator',
      suite: 'nav-v1/train',
      episodes: [500, 501],
      beta: 0,
      rng: seededRng(1),
    });
    expect(round.frames).toBeGreaterThan(0);
    const labels = Array.from({ length: round.frames }, (_, i) => [
      round.actions[2 * i],
      round.actions[2 * i + 1],
    ]);
    expect(labels.every(([v, w]) => !(v === 0.5 && w === 0))).toBe(true);
  });
});
