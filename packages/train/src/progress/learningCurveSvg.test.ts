import { describe, expect, it } from 'vitest';
import { learningCurveSvg } from './learningCurveSvg.js';

describe('learningCurveSvg', () => {
  it('draws one panel per series with finite points and escapes the title', () => {
    const svg = learningCurveSvg('bc <run>', [
      {
        name: 'train/loss',
        points: [
          [0, 1],
          [1, 0.5],
          [2, 0.25],
        ],
      },
      { name: 'eval/success_rate', points: [[2, Number.NaN]] },
    ]);
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('bc &lt;run&gt;');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toMatch(/points="64\.0,28\.0 [\d.]+,[\d.]+ 624\.0,188\.0"/);
  });
});
