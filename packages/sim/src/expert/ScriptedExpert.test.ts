import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../eval/evaluatePolicy.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { ScriptedExpert } from './ScriptedExpert.js';

describe('ScriptedExpert', () => {
  it('solves the first nav-v1/test episodes without collisions and near the shortest path', async () => {
    const report = await evaluatePolicy(new ScriptedExpert(), 'nav-v1/test', { episodes: 12 });
    expect(report.episodes).toHaveLength(12);
    expect(report.aggregate.successRate).toBeGreaterThanOrEqual(0.95);
    expect(report.aggregate.collisionRate).toBe(0);
    expect(report.aggregate.meanPathLengthRatio).toBeGreaterThan(0.9);
    expect(report.aggregate.meanPathLengthRatio).toBeLessThan(1.4);
    expect(report.aggregate.minClearance).toBeGreaterThan(0);
    expect(report.aggregate.meanTimeToGoal).toBeGreaterThan(0);
  });

  it('gets out of the way of moving obstacles (nav-v1/dynamic episodes 7 and 9 were collisions without it)', async () => {
    const report = await evaluatePolicy(new ScriptedExpert(), 'nav-v1/dynamic', { episodes: 10 });
    expect(report.aggregate.collisionRate).toBe(0);
    expect(report.aggregate.successRate).toBeGreaterThanOrEqual(0.9);
  });

  it('plans a path that starts at the start and ends at the goal', () => {
    const episode = ScenarioSuite.get('nav-v1/hard').episode(0);
    const expert = new ScriptedExpert();
    expert.reset(episode);
    const points = expert.path?.points ?? [];
    expect(points[0]).toEqual({ x: episode.world.start.x, y: episode.world.start.y });
    expect(points.at(-1)).toEqual(episode.world.goal);
  });
});

describe('evaluatePolicy', () => {
  it('reports a robot that stays put as timed out, never successful', async () => {
    const report = await evaluatePolicy(() => [0, 0], 'nav-v1/test', { episodes: 2 });
    expect(report.aggregate.successRate).toBe(0);
    expect(report.aggregate.timeoutRate).toBe(1);
    expect(report.aggregate.meanTimeToGoal).toBeNaN();
    expect(report.episodes[0]?.pathLength).toBeLessThan(0.01);
  });
});
