import { describe, expect, it } from 'vitest';
import { OccupancyGrid } from '../expert/OccupancyGrid.js';
import { planPath } from '../expert/planPath.js';
import { ScenarioSuite } from './ScenarioSuite.js';

describe('ScenarioSuite', () => {
  it('names versioned suites and rejects unknown ones with the list', () => {
    expect(ScenarioSuite.names()).toEqual(
      expect.arrayContaining(['nav-v1/train', 'nav-v1/val', 'nav-v1/test', 'nav-v1/hard', 'nav-v1/field']),
    );
    expect(() => ScenarioSuite.get('nav-v9/test')).toThrow(/known suites: nav-v1\/train/);
  });

  it('yields the same worlds for the same suite, disjoint seeds across suites, and solvable worlds', () => {
    const test = ScenarioSuite.get('nav-v1/test');
    const again = ScenarioSuite.get('nav-v1/test');
    const train = ScenarioSuite.get('nav-v1/train');
    expect(again.episode(4)).toEqual(test.episode(4));
    expect(test.episode(4).id).toBe('nav-v1/test#4');
    expect(test.episode(4).seed).not.toBe(train.episode(4).seed);
    const seeds = (name: string): number[] => {
      const suite = ScenarioSuite.get(name);
      return Array.from({ length: suite.size }, (_, i) => suite.seedOf(i));
    };
    const trainSeeds = new Set(seeds('nav-v1/train'));
    const testSeeds = new Set(seeds('nav-v1/test'));
    expect(seeds('nav-v1/val').filter((s) => trainSeeds.has(s) || testSeeds.has(s))).toEqual([]);
    for (const episode of test.episodes(10)) {
      const { start, goal } = episode.world;
      expect(Math.hypot(goal.x - start.x, goal.y - start.y)).toBeGreaterThanOrEqual(4);
      expect(planPath(new OccupancyGrid(episode.world, 0.1), start, goal, { inflation: 0.3 })).toBeDefined();
    }
  });

  it('gives the field variant noisier sensors and slower, laggier dynamics than nav-v1/test', () => {
    const field = ScenarioSuite.get('nav-v1/field').episode(0);
    const test = ScenarioSuite.get('nav-v1/test').episode(0);
    expect(field.sensors.scanNoise).toBeGreaterThan(test.sensors.scanNoise);
    expect(field.sensors.scanDropout).toBeGreaterThan(0);
    expect(field.robot.latencySteps).toBeGreaterThan(test.robot.latencySteps);
    expect(field.robot.velocityScale).toBeLessThan(1);
  });
});
