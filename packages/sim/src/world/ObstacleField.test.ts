import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../random/SeededRandom.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { ObstacleField } from './ObstacleField.js';
import { initPhysics, RAPIER } from './physics.js';
import type { ObstacleShape } from './WorldSpec.js';

beforeAll(async () => {
  await initPhysics();
});

describe('ObstacleField', () => {
  it('casts rays to the same distances as Rapier castRay on the same colliders', () => {
    const spec = ScenarioSuite.get('nav-v1/hard').episode(3).world;
    const shapes: ObstacleShape[] = [...spec.walls, ...spec.obstacles];
    const field = new ObstacleField(shapes);
    const world = new RAPIER.World({ x: 0, y: 0 });
    for (const s of shapes) {
      const desc =
        s.kind === 'box'
          ? RAPIER.ColliderDesc.cuboid(s.halfWidth, s.halfHeight).setRotation(s.angle)
          : RAPIER.ColliderDesc.ball(s.radius);
      world.createCollider(desc.setTranslation(s.x, s.y));
    }
    world.step();
    const rng = new SeededRandom(5);
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const ox = rng.uniform(0.3, spec.width - 0.3);
      const oy = rng.uniform(0.3, spec.height - 0.3);
      if (field.distance(ox, oy) <= 0.01) continue;
      const a = rng.uniform(-Math.PI, Math.PI);
      const ray = new RAPIER.Ray({ x: ox, y: oy }, { x: Math.cos(a), y: Math.sin(a) });
      const hit = world.castRay(ray, 6, true);
      const ours = field.castRay(ox, oy, Math.cos(a), Math.sin(a), 6);
      if (hit === null) expect(ours).toBe(Infinity);
      else expect(ours).toBeCloseTo(hit.timeOfImpact, 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
    world.free();
  });

  it('reports signed distances and follows moved shapes', () => {
    const field = new ObstacleField([
      { kind: 'box', x: 0, y: 0, halfWidth: 1, halfHeight: 0.5, angle: 0 },
      { kind: 'circle', x: 5, y: 0, radius: 0.5 },
    ]);
    expect(field.distance(0, 1.5)).toBeCloseTo(1);
    expect(field.distance(0, 0)).toBeCloseTo(-0.5);
    expect(field.castRay(3, 0, 1, 0, 10)).toBeCloseTo(1.5);
    expect(field.lastHitShape).toBe(1);
    field.setPosition(1, 8, 0);
    expect(field.castRay(3, 0, 1, 0, 10)).toBeCloseTo(4.5);
    expect(field.castRay(3, 0, 0, 1, 10)).toBe(Infinity);
    expect(field.lastHitShape).toBe(-1);
  });
});

describe('ObstacleField.castFan', () => {
  it('returns exactly what castRay returns for every ray, from anywhere in a cluttered world', () => {
    const spec = ScenarioSuite.get('nav-v1/hard').episode(5).world;
    const field = new ObstacleField([...spec.walls, ...spec.obstacles]);
    const n = 64;
    const rayCos = Float64Array.from({ length: n }, (_, i) => Math.cos(-Math.PI + (i * 2 * Math.PI) / n));
    const raySin = Float64Array.from({ length: n }, (_, i) => Math.sin(-Math.PI + (i * 2 * Math.PI) / n));
    const rng = new SeededRandom(9);
    const fan = new Float64Array(n);
    for (let trial = 0; trial < 300; trial++) {
      const ox = rng.uniform(0, spec.width);
      const oy = rng.uniform(0, spec.height);
      const heading = rng.uniform(-Math.PI, Math.PI);
      const hc = Math.cos(heading);
      const hs = Math.sin(heading);
      const range = rng.uniform(0.5, 8);
      field.castFan(ox, oy, hc, hs, rayCos, raySin, range, fan, 0);
      for (let i = 0; i < n; i++) {
        const rc = rayCos[i]!;
        const rs = raySin[i]!;
        expect(fan[i]).toBe(field.castRay(ox, oy, hc * rc - hs * rs, hs * rc + hc * rs, range));
      }
    }
  });
});
