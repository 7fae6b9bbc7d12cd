import {
  clampNavAction,
  NAV_ACTION_SIZE,
  NavEnv,
  OperatorModel,
  ScenarioSuite,
  ScriptedExpert,
  type NavAction,
  type NavState,
} from '@fleetloop/sim';
import { concat, type Demonstrations } from '../data/loadDemonstrations.js';
import type { PolicyFunction } from '../model/compilePolicy.js';
import type { Rng } from '../model/random.js';

/**
 * Who labels: `expert` labels every visited state (DAgger); `operator` is the simulator's
 * operator model, which takes over only when it predicts a collision, and only its takeover
 * steps become labels (HG-DAgger, as interventions recorded in the field would).
 */
export type DaggerLabeller = 'expert' | 'operator';

/** Options for {@link collectDaggerFrames}. */
export interface CollectDaggerFramesOptions {
  /** The current learner (deterministic). */
  readonly learner: PolicyFunction;
  readonly labeller?: DaggerLabeller;
  readonly suite: string;
  /** Suite episode indices to roll out. */
  readonly episodes: readonly number[];
  /** With the expert labeller: probability of executing the expert's action instead of the learner's. */
  readonly beta: number;
  readonly rng: Rng;
}

/** Labelled frames of one DAgger round and how the learner fared while collecting them. */
export interface DaggerRound extends Demonstrations {
  /** Share of rolled-out episodes that reached the goal (with the labeller's help). */
  readonly successRate: number;
}

/**
 * One DAgger round (Ross et al. 2011): the learner drives and the states it visits are labelled,
 * so the aggregated dataset covers the learner's own mistakes.
 */
export async function collectDaggerFrames(options: CollectDaggerFramesOptions): Promise<DaggerRound> {
  const suite = ScenarioSuite.get(options.suite);
  const env = await NavEnv.create({ variant: suite.variant });
  const obsParts: Float32Array[] = [];
  const actParts: Float32Array[] = [];
  const expert = new ScriptedExpert();
  const operator = new OperatorModel();
  const supervised = operator.supervise((observation: Float32Array) => options.learner(observation));
  const step =
    options.labeller === 'operator'
      ? (observation: Float32Array, state: NavState): NavAction => supervised.act(observation, state)
      : (observation: Float32Array, state: NavState): NavAction => {
          const label = Float32Array.from(clampNavAction(expert.act(observation, state)));
          obsParts.push(observation);
          actParts.push(label);
          return options.rng() < options.beta ? label : options.learner(observation);
        };
  let successes = 0;
  try {
    for (const index of options.episodes) {
      const spec = suite.episode(index);
      if (options.labeller === 'operator') supervised.reset?.(spec);
      else expert.reset(spec);
      let observation = env.resetEpisode(spec);
      for (;;) {
        const result = env.step(step(observation, env.state()));
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
  for (const intervention of operator.drain()) {
    obsParts.push(intervention.observation);
    actParts.push(Float32Array.from(intervention.operatorAction));
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
