import type { MovingObstacle } from './WorldSpec.js';

/**
 * Where a moving obstacle's centre is `t` seconds into the episode: it goes from its shape's
 * position to `to` and back at constant speed. The world and the expert's predictions share it.
 */
export function movingObstaclePosition(m: MovingObstacle, t: number, out: { x: number; y: number }): void {
  const dx = m.to.x - m.shape.x;
  const dy = m.to.y - m.shape.y;
  const length = Math.hypot(dx, dy);
  if (length <= 0) {
    out.x = m.shape.x;
    out.y = m.shape.y;
    return;
  }
  const along = (m.speed * t) % (2 * length);
  const f = (along < length ? along : 2 * length - along) / length;
  out.x = m.shape.x + dx * f;
  out.y = m.shape.y + dy * f;
}

/** Radius of the disc that bounds a moving obstacle's shape. */
export function movingObstacleRadius(m: MovingObstacle): number {
  return m.shape.kind === 'circle' ? m.shape.radius : Math.hypot(m.shape.halfWidth, m.shape.halfHeight);
}
