/**
 * Simulator throughput: vectorised env steps per second with 16 worlds and 64-ray scans, against
 * a baseline measured in the same run (one world stepped alone, and the same 16 worlds scanning
 * through Rapier's castRay instead of the JavaScript ray caster). Prints `sim-steps-per-second`
 * last.
 */
import {
  initPhysics,
  NAV_OBSERVATION_LAYOUT,
  NAV_OBSERVATION_SIZE,
  NavWorld,
  ScenarioSuite,
  SeededRandom,
  VectorNavEnv,
} from '@fleetloop/sim';
import RAPIER from '@dimforge/rapier2d-compat';

const WORLDS = 16;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 4);
const bearing = NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === 'goal_bearing')?.offset ?? 0;

/** A cheap goal-seeking controller, so episodes run their course instead of ending at once. */
function fillActions(obs: Float32Array, actions: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * NAV_OBSERVATION_SIZE;
    const front = Math.min(obs[o + 31] ?? 4, obs[o + 32] ?? 4, obs[o + 33] ?? 4);
    actions[2 * i] = front < 0.5 ? 0 : 0.4;
    actions[2 * i + 1] =
      front < 0.5 ? 1.2 : 1.5 * Math.atan2(obs[o + bearing] ?? 0, obs[o + bearing + 1] ?? 1);
  }
}

async function vectorStepsPerSecond(n: number): Promise<{ rate: number; episodes: number }> {
  const env = await VectorNavEnv.create(n, { suite: 'nav-v1/train' });
  const actions = new Float32Array(n * 2);
  env.reset(1);
  // Warm-up: JIT and the suite's world cache.
  for (let i = 0; i < 300; i++) {
    fillActions(env.observations, actions, n);
    env.step(actions);
  }
  let steps = 0;
  let episodes = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    for (let k = 0; k < 50; k++) {
      fillActions(env.observations, actions, n);
      env.step(actions);
      for (const f of env.finished) if (f !== undefined) episodes++;
    }
    steps += 50 * n;
  }
  const rate = steps / ((performance.now() - start) / 1000);
  env.close();
  return { rate, episodes };
}

/** The same worlds and motion, with each ray a Rapier `castRay` (a WebAssembly call per ray). */
async function rapierScanStepsPerSecond(n: number): Promise<number> {
  await initPhysics();
  const suite = ScenarioSuite.get('nav-v1/train');
  const rng = new SeededRandom(1);
  const setups = Array.from({ length: n }, (_, i) => {
    const episode = suite.episode(i);
    const world = new NavWorld(episode, rng.fork(i));
    const rapier = new RAPIER.World({ x: 0, y: 0 });
    for (const s of [...episode.world.walls, ...episode.world.obstacles]) {
      const desc =
        s.kind === 'box'
          ? RAPIER.ColliderDesc.cuboid(s.halfWidth, s.halfHeight).setRotation(s.angle)
          : RAPIER.ColliderDesc.ball(s.radius);
      rapier.createCollider(desc.setTranslation(s.x, s.y));
    }
    rapier.step();
    return { world, rapier };
  });
  const ray = new RAPIER.Ray({ x: 0, y: 0 }, { x: 1, y: 0 });
  const ranges = new Float32Array(64);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    for (const { world, rapier } of setups) {
      world.step(0.2, 0.3);
      for (let k = 0; k < 64; k++) {
        const a = world.theta - Math.PI + (k * 2 * Math.PI) / 64;
        ray.origin.x = world.x;
        ray.origin.y = world.y;
        ray.dir.x = Math.cos(a);
        ray.dir.y = Math.sin(a);
        ranges[k] = rapier.castRay(ray, 6, true)?.timeOfImpact ?? Infinity;
      }
      steps++;
    }
  }
  const rate = steps / ((performance.now() - start) / 1000);
  for (const { world, rapier } of setups) {
    world.free();
    rapier.free();
  }
  return rate;
}

const single = await vectorStepsPerSecond(1);
const rapierScan = await rapierScanStepsPerSecond(WORLDS);
const vector = await vectorStepsPerSecond(WORLDS);
console.log(`single-world env steps/s: ${single.rate.toFixed(0)}`);
console.log(`16 worlds, Rapier castRay scans, steps/s: ${rapierScan.toFixed(0)}`);
console.log(`16 worlds, vector env steps/s: ${vector.rate.toFixed(0)} (${vector.episodes} episodes ended)`);
console.log(`ratio vector / single-world: ${(vector.rate / single.rate).toFixed(2)}`);
console.log(`ratio vector / Rapier-castRay scans: ${(vector.rate / rapierScan).toFixed(2)}`);
console.log(`sim-steps-per-second: ${vector.rate.toFixed(0)}`);
