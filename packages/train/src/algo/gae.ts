/** Inputs of {@link generalizedAdvantages}, all `steps × envs`, time-major. */
export interface AdvantageInputs {
  readonly rewards: Float32Array;
  readonly values: Float32Array;
  /** 1 where the step ended its episode (terminal or truncated): no bootstrapping across it. */
  readonly dones: Uint8Array;
  /** Value estimates of the observations after the last step, one per env. */
  readonly lastValues: Float32Array;
  readonly envs: number;
  readonly gamma: number;
  readonly lambda: number;
}

/**
 * Generalised advantage estimation (Schulman et al. 2016). Truncated episodes are expected to
 * carry their bootstrap value already folded into the reward of the last step.
 */
export function generalizedAdvantages(inputs: AdvantageInputs): {
  advantages: Float32Array;
  returns: Float32Array;
} {
  const { rewards, values, dones, lastValues, envs, gamma, lambda } = inputs;
  const steps = rewards.length / envs;
  const advantages = new Float32Array(rewards.length);
  const returns = new Float32Array(rewards.length);
  for (let e = 0; e < envs; e++) {
    let next = 0;
    let nextValue = lastValues[e] as number;
    for (let t = steps - 1; t >= 0; t--) {
      const i = t * envs + e;
      const notDone = dones[i] === 1 ? 0 : 1;
      const delta = (rewards[i] as number) + gamma * nextValue * notDone - (values[i] as number);
      next = delta + gamma * lambda * notDone * next;
      advantages[i] = next;
      returns[i] = next + (values[i] as number);
      nextValue = values[i] as number;
    }
  }
  return { advantages, returns };
}
