import {
  clampNavAction,
  NAV_ACTION_SIZE,
  NavEnv,
  ScenarioSuite,
  ScriptedExpert,
  type NavPolicy,
} from '@fleetloop/sim';
import { concat, type Demonstrations } from '../data/loadDemonstrations.js';
import type { PolicyFunction } from '../model/compilePolicy.js';
import type { Rng } from '../model/random.js';

/** Options for {@link collectDaggerFrames}. */
export interface CollectDaggerFramesOptions {
  /** The current learner (deterministic). */
  readonly learner: PolicyFunction;
  /** Labeller of visited states (default: the scripted expert). */
  readonly labeller?: NavPolicy;
  readonly suite: string;
  /** Suite episode indices to roll out. */
  readonly episodes: readonly number[];
  /** Probability of executing the labeller's action instead of the learner's at each step. */
  readonly beta: number;
  readonly rng: Rng;
}

/** Labelled frames of one DAgger round and how the learner fared while collecting them. */
export interface DaggerRound extends Demonstrations {
  /** Share of rolled-out episodes that reached the goal (with the beta mixture acting). */
  readonly successRate: number;
}

/**
 * One DAgger round (Ross et al. 2011): the learner drives (the labeller's action is executed
 * instead with probability `beta`), and every state visited is labelled with the labeller's
 * action, so the aggregated dataset covers the learner's own mistakes.
 */
export async function collectDaggerFrames(options: CollectDaggerFramesOptions): Promise<DaggerRound> {
  const suite = ScenarioSuite.get(options.suite);
  const env = await NavEnv.create({ variant: suite.variant });
  const labeller = options.labeller ?? new ScriptedExpert();
  const obsParts: Float32Array[] = [];
  const actParts: Float32Array[] = [];
  let successes = 0;
  try {
    for (const index of options.episodes) {
      const spec = suite.episode(index);
      labeller.reset?.(spec);
      let observation = env.resetEpisode(spec);
      for (;;) {
        const label = Float32Array.from(clampNavAction(labeller.act(observation, env.state())));
        obsParts.push(observation);
        actParts.push(label);
        const action = options.rng() < options.beta ? label : options.learner(observation);
        const result = env.step(action);
        observation = result.observation;
        if (result.terminated || result.truncated) {
          if (result.info.success) successes += 1;
          break;
        }
      }
    }
  } finally {
    env.close();
  }
  const frames = obsParts.length;
  return {
    observations: concat(obsParts, frames * env.observationSize),
    actions: concat(actParts, frames * NAV_ACTION_SIZE),
    frames,
    episodes: options.episodes.length,
    successRate: options.episodes.length === 0 ? Number.NaN : successes / options.episodes.length,
  };
}
