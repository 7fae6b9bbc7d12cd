import { describe, expect, it } from 'vitest';
import { initPhysics } from '../world/physics.js';
import { NavWorld } from '../world/NavWorld.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { SeededRandom } from '../random/SeededRandom.js';
import { CameraRenderer } from './CameraRenderer.js';

describe('CameraRenderer', () => {
  it('renders a 160x120 RGB view that changes as the robot turns', async () => {
    await initPhysics();
    const world = new NavWorld(ScenarioSuite.get('nav-v1/test').episode(0), new SeededRandom(1));
    const camera = new CameraRenderer();
    const before = camera.render(world);
    expect(before.length).toBe(160 * 120 * 3);
    // Top-left is sky, bottom-left is floor (or an object, never sky).
    expect([before[0], before[1], before[2]]).toEqual([176, 196, 222]);
    for (let i = 0; i < 10; i++) world.step(0, 1.5);
    const after = camera.render(world);
    let changed = 0;
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed++;
    expect(changed).toBeGreaterThan(after.length / 20);
    world.free();
  });
});
