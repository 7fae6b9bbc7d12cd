import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../eval/evaluatePolicy.js';
import { NAV_OBSERVATION_LAYOUT } from '../observation/navLayout.js';
import { OperatorModel } from './OperatorModel.js';
import { ScriptedExpert } from './ScriptedExpert.js';

const bearing = NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === 'goal_bearing')?.offset ?? -1;

/** Heads for the goal in a straight line, blind to obstacles. */
const beeline = (obs: Float32Array): [number, number] => [
  0.5,
  2 * Math.atan2(obs[bearing] ?? 0, obs[bearing + 1] ?? 1),
];

describe('OperatorModel', () => {
  it('takes over before a blind policy collides and records the takeovers as labelled samples', async () => {
    const alone = await evaluatePolicy(beeline, 'nav-v1/test', { episodes: 8 });
    expect(alone.aggregate.collisionRate).toBeGreaterThan(0);

    const operator = new OperatorModel();
    const supervised = await evaluatePolicy(operator.supervise(beeline), 'nav-v1/test', { episodes: 8 });
    expect(supervised.aggregate.collisionRate).toBe(0);
    expect(supervised.aggregate.successRate).toBeGreaterThan(alone.aggregate.successRate);
    expect(operator.takeovers).toBeGreaterThan(0);
    const first = operator.interventions[0];
    expect(first?.reason).toBe('takeover');
    expect(first?.observation.length).toBe(NAV_OBSERVATION_LAYOUT.size);
    expect(first?.operatorAction).not.toEqual(first?.policyAction);
    expect(operator.drain().length).toBeGreaterThan(operator.takeovers - 1);
    expect(operator.interventions).toHaveLength(0);
  });

  it('rarely steps in for the expert itself', async () => {
    const operator = new OperatorModel();
    const report = await evaluatePolicy(operator.supervise(new ScriptedExpert()), 'nav-v1/test', {
      episodes: 4,
    });
    expect(report.aggregate.successRate).toBe(1);
    const steps = report.episodes.reduce((n, e) => n + e.steps, 0);
    expect(operator.interventions.length / steps).toBeLessThan(0.1);
  });
});
