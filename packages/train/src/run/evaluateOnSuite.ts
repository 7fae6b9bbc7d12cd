import { evaluatePolicy, type EvaluationAggregate, type EvaluationReport } from '@fleetloop/sim';
import { compilePolicy } from '../model/compilePolicy.js';
import type { PolicySnapshot } from '../model/GaussianPolicy.js';

/** Runs the deterministic policy on a scenario suite with the simulator's metrics. */
export async function evaluateOnSuite(
  snapshot: PolicySnapshot,
  suite: string,
  episodes?: number,
): Promise<EvaluationReport> {
  const act = compilePolicy(snapshot);
  return evaluatePolicy((observation) => act(observation), suite, {
    ...(episodes === undefined ? {} : { episodes }),
  });
}

/** Evaluation figures as metric names (`eval/success_rate`, …). */
export function evaluationMetrics(aggregate: EvaluationAggregate): Record<string, number> {
  return {
    'eval/success_rate': aggregate.successRate,
    'eval/collision_rate': aggregate.collisionRate,
    'eval/timeout_rate': aggregate.timeoutRate,
    'eval/path_length_ratio': aggregate.meanPathLengthRatio,
    'eval/time_to_goal_s': aggregate.meanTimeToGoal,
    'eval/mean_min_clearance_m': aggregate.meanMinClearance,
  };
}
