import type { NavWorld } from '../world/NavWorld.js';

/** Options of {@link CameraRenderer}. */
export interface CameraRendererOptions {
  /** Image size in pixels (default 160 x 120). */
  readonly width?: number;
  readonly height?: number;
  /** Horizontal field of view, radians (default 90 degrees). */
  readonly fieldOfView?: number;
  /** Farthest distance drawn, metres (default 8). */
  readonly range?: number;
}

const SKY = [176, 196, 222] as const;
const FLOOR = [96, 96, 96] as const;
const WALL = [200, 200, 200] as const;
const OBSTACLE = [214, 140, 60] as const;
const MOVING = [200, 50, 50] as const;
const GOAL = [40, 190, 70] as const;
/** Metres the camera sits above the floor and obstacles rise above it. */
const CAMERA_HEIGHT = 0.3;
const OBSTACLE_HEIGHT = 0.6;
const GOAL_RADIUS = 0.1;

/**
 * Renders the robot's forward camera as an `rgb8` image by ray casting one column per pixel
 * (walls light grey, static obstacles orange, moving obstacles red, the goal a green post),
 * shaded by distance. Enough for image pipelines (recording, video, bandwidth) to see a moving
 * scene; it is not a photorealistic sensor.
 */
export class CameraRenderer {
  readonly width: number;
  readonly height: number;
  readonly #fov: number;
  readonly #range: number;
  readonly #focal: number;

  constructor(options: CameraRendererOptions = {}) {
    this.width = options.width ?? 160;
    this.height = options.height ?? 120;
    this.#fov = options.fieldOfView ?? Math.PI / 2;
    this.#range = options.range ?? 8;
    this.#focal = this.width / 2 / Math.tan(this.#fov / 2);
  }

  /** Renders the current view of `world`'s robot into a new row-major RGB buffer (`width * 3` per row). */
  render(world: NavWorld): Uint8Array {
    const { width: w, height: h } = this;
    const image = new Uint8Array(w * h * 3);
    const spec = world.episode.world;
    const statics = spec.walls.length;
    const obstacles = statics + spec.obstacles.length;
    const horizon = h / 2;
    const goalDx = spec.goal.x - world.x;
    const goalDy = spec.goal.y - world.y;
    const goalDistance = Math.hypot(goalDx, goalDy);
    for (let col = 0; col < w; col++) {
      // Column 0 is the left edge: angles grow to the left (counter-clockwise).
      const rel = Math.atan((w / 2 - col - 0.5) / this.#focal);
      const a = world.theta + rel;
      const dx = Math.cos(a);
      const dy = Math.sin(a);
      const hit = world.field.castRay(world.x, world.y, dx, dy, this.#range);
      const shape = world.field.lastHitShape;
      const depth = hit * Math.cos(rel);
      let top = h;
      let bottom = h;
      let color: readonly [number, number, number] = WALL;
      if (Number.isFinite(hit)) {
        const objectHeight = shape < statics ? 1.0 : OBSTACLE_HEIGHT;
        color = shape < statics ? WALL : shape < obstacles ? OBSTACLE : MOVING;
        top = Math.max(0, Math.floor(horizon - ((objectHeight - CAMERA_HEIGHT) * this.#focal) / depth));
        bottom = Math.min(h, Math.ceil(horizon + (CAMERA_HEIGHT * this.#focal) / depth));
      }
      // The goal post, when it is in this column and in front of the hit.
      const along = goalDx * dx + goalDy * dy;
      const across = Math.abs(goalDx * dy - goalDy * dx);
      const goalInColumn = along > 0 && across < GOAL_RADIUS && goalDistance < hit;
      const shade = Number.isFinite(hit) ? Math.max(0.35, 1 - hit / this.#range) : 1;
      for (let row = 0; row < h; row++) {
        let c: readonly [number, number, number];
        let s = 1;
        if (
          goalInColumn &&
          row > horizon - (0.7 * this.#focal) / along &&
          row < horizon + (CAMERA_HEIGHT * this.#focal) / along
        ) {
          c = GOAL;
        } else if (row >= top && row < bottom) {
          c = color;
          s = shade;
        } else {
          c = row < horizon ? SKY : FLOOR;
        }
        const p = (row * w + col) * 3;
        image[p] = c[0] * s;
        image[p + 1] = c[1] * s;
        image[p + 2] = c[2] * s;
      }
    }
    return image;
  }
}
