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
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
const bearing = NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === 'goal_bearing')?.offset ?? 0;

/** A cheap goal-seeking controller, so episodes run their course instead of ending at once. */
function fillActions(obs: Float32Array, actions: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * NAV_OBSERVATION_SIZE;
    const front = Math.min(obs[o + 31] ?? 4, obs[o + 32] ?? 4, obs[o + 33] ?? 6);
    actions[2 * i] = front < 0.5 ? 0 : 0.4;
    actions[2 * i + 1] =
      front < 0.5 ? 1.2 : 1.5 * Math.atan2(obs[o + bearing] ?? 0, obs[o + bearing + 1] ?? 1);
  }
}

/** One configuration under test: `run()` does a batch of steps and returns how many env steps. */
interface Contender {
  readonly label: string;
  run(): number;
  close(): void;
  steps: number;
  ms: number;
}

async function vectorContender(label: string, n: number): Promise<Contender & { episodes: number }> {
  const env = await VectorNavEnv.create(n, { suite: 'nav-v1/train' });
  const actions = new Float32Array(n * 2);
  env.reset(1);
  const contender = {
    label,
    steps: 0,
    ms: 0,
    episodes: 0,
    run(): number {
      for (let k = 0; k < 20; k++) {
        fillActions(env.observations, actions, n);
        env.step(actions);
        for (const f of env.finished) if (f !== undefined) contender.episodes++;
      }
      return 20 * n;
    },
    close: () => env.close(),
  };
  return contender;
}

/** The same worlds and motion, with each ray a Rapier `castRay` (a WebAssembly call per ray). */
async function rapierScanContender(n: number): Promise<Contender> {
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
  return {
    label: `${n} worlds, Rapier castRay scans`,
    steps: 0,
    ms: 0,
    run(): number {
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
      }
      return n;
    },
    close: () => {
      for (const { world, rapier } of setups) {
        world.free();
        rapier.free();
      }
    },
  };
}

const single = await vectorContender('single-world env', 1);
const rapierScan = await rapierScanContender(WORLDS);
const vector = await vectorContender(`${WORLDS} worlds, vector env`, WORLDS);
const contenders: Contender[] = [single, rapierScan, vector];
// Warm-up (JIT, the suite's world cache), then interleaved slices so that load from other
// processes hits every contender alike and the ratios stay meaningful on a busy machine.
for (const c of contenders) for (const end = performance.now() + 500; performance.now() < end;) c.run();
const deadline = performance.now() + SECONDS * 1000;
while (performance.now() < deadline) {
  for (const c of contenders) {
    const start = performance.now();
    const end = start + 100;
    while (performance.now() < end) c.steps += c.run();
    c.ms += performance.now() - start;
  }
}
for (const c of contenders) c.close();
const rate = (c: Contender): number => c.steps / (c.ms / 1000);
for (const c of contenders) console.log(`${c.label} steps/s: ${rate(c).toFixed(0)}`);
console.log(`episodes ended in the vector env: ${vector.episodes}`);
console.log(`ratio vector / single-world: ${(rate(vector) / rate(single)).toFixed(2)}`);
console.log(`ratio vector / Rapier-castRay scans: ${(rate(vector) / rate(rapierScan)).toFixed(2)}`);
console.log(`sim-steps-per-second: ${rate(vector).toFixed(0)}`);
