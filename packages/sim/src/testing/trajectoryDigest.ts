import { createHash } from 'node:crypto';
import { NavEnv } from '../env/NavEnv.js';
import { ScriptedExpert } from '../expert/ScriptedExpert.js';

/**
 * SHA-256 over every observation and reward of `steps` expert-driven steps from `reset(seed)`:
 * equal digests mean bit-identical trajectories.
 */
export async function trajectoryDigest(
  seed: number,
  steps: number,
  variant = 'nav-v1/field',
): Promise<string> {
  const env = await NavEnv.create({ variant });
  const expert = new ScriptedExpert();
  const hash = createHash('sha256');
  let observation = env.reset(seed);
  hash.update(Buffer.from(observation.buffer));
  for (let i = 0; i < steps; i++) {
    const result = env.step(expert.act(observation, env.state()));
    observation = result.observation;
    hash.update(Buffer.from(observation.buffer));
    hash.update(Buffer.from(new Float64Array([result.reward]).buffer));
    if (result.terminated || result.truncated) observation = env.reset(seed + i + 1);
  }
  env.close();
  return hash.digest('hex');
}

// Run as a script (`node --import tsx src/testing/trajectoryDigest.ts <seed> <steps>`) it prints
// the digest, so a test can compare trajectories across processes.
if (process.argv[1]?.endsWith('trajectoryDigest.ts') === true) {
  const digest = await trajectoryDigest(Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 100));
  process.stdout.write(`${digest}\n`);
}
