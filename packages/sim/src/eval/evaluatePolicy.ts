import { NavEnv } from '../env/NavEnv.js';
import type { EpisodeMetrics, NavPolicy, NavState } from '../env/types.js';
import { shortestPathLength } from '../expert/shortestPathLength.js';
import type { NavAction } from '../observation/navObservation.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';

/** A policy as a plain function of the observation (and, for experts, the privileged state). */
export type NavPolicyFn = (observation: Float32Array, state: NavState) => NavAction;

/** Options of {@link evaluatePolicy}. */
export interface EvaluateOptions {
  /** Run only the first `episodes` of the suite (default all). */
  readonly episodes?: number;
  /** Physics steps per control period (default 2). */
  readonly substeps?: number;
  /** Called after each episode, e.g. for progress output. */
  readonly onEpisode?: (metrics: EpisodeMetrics, index: number) => void;
}

/** Suite-level figures; means skip episodes where a metric does not apply (NaN when none do). */
export interface EvaluationAggregate {
  readonly episodes: number;
  readonly successRate: number;
  readonly collisionRate: number;
  /** Share of episodes that ran out of time without success or collision. */
  readonly timeoutRate: number;
  /** Seconds, over successful episodes. */
  readonly meanTimeToGoal: number;
  /** Travelled / shortest path, over successful episodes. */
  readonly meanPathLengthRatio: number;
  /** Smallest clearance seen in any episode, metres. */
  readonly minClearance: number;
  /** Mean over episodes of each episode's smallest clearance, metres. */
  readonly meanMinClearance: number;
}

/** Per-episode metrics and aggregates of one evaluation. */
export interface EvaluationReport {
  readonly suite: string;
  readonly episodes: readonly EpisodeMetrics[];
  readonly aggregate: EvaluationAggregate;
}

/**
 * Runs `policy` on every episode of `suite` (in order, one world at a time) and reports success,
 * collision, time to goal, path length over the shortest path and minimum clearance.
 */
export async function evaluatePolicy(
  policy: NavPolicy | NavPolicyFn,
  suite: ScenarioSuite | string,
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const resolved = typeof suite === 'string' ? ScenarioSuite.get(suite) : suite;
  const env = await NavEnv.create({ variant: resolved.variant, substeps: options.substeps ?? 2 });
  const act: NavPolicyFn = typeof policy === 'function' ? policy : (obs, state) => policy.act(obs, state);
  const episodes: EpisodeMetrics[] = [];
  try {
    for (const [index, episode] of resolved.episodes(options.episodes).entries()) {
      if (typeof policy !== 'function') policy.reset?.(episode);
      let observation = env.resetEpisode(episode);
      for (;;) {
        const result = env.step(act(observation, env.state()));
        observation = result.observation;
        const metrics = result.info.episode;
        if (metrics !== undefined) {
          const shortest = shortestPathLength(episode);
          const final: EpisodeMetrics = {
            ...metrics,
            shortestPathLength: shortest,
            pathLengthRatio: metrics.success ? metrics.pathLength / shortest : Number.NaN,
          };
          episodes.push(final);
          options.onEpisode?.(final, index);
          break;
        }
      }
    }
  } finally {
    env.close();
  }
  return { suite: resolved.name, episodes, aggregate: aggregate(episodes) };
}

/** Aggregates per-episode metrics. */
export function aggregate(episodes: readonly EpisodeMetrics[]): EvaluationAggregate {
  const n = episodes.length;
  const share = (pick: (m: EpisodeMetrics) => boolean): number =>
    n === 0 ? Number.NaN : episodes.filter(pick).length / n;
  const mean = (values: number[]): number =>
    values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  const succeeded = episodes.filter((m) => m.success);
  return {
    episodes: n,
    successRate: share((m) => m.success),
    collisionRate: share((m) => m.collision),
    timeoutRate: share((m) => m.truncated && !m.success && !m.collision),
    meanTimeToGoal: mean(succeeded.map((m) => m.timeToGoal)),
    meanPathLengthRatio: mean(succeeded.map((m) => m.pathLengthRatio).filter((r) => Number.isFinite(r))),
    minClearance: n === 0 ? Number.NaN : Math.min(...episodes.map((m) => m.minClearance)),
    meanMinClearance: mean(episodes.map((m) => m.minClearance)),
  };
}
