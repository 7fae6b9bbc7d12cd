import { describe, expect, it } from 'vitest';
import { ProgressReporter } from './ProgressReporter.js';

function sink(isTTY: boolean): {
  stream: NodeJS.WritableStream & { isTTY: boolean; columns: number };
  text: () => string;
} {
  let text = '';
  const stream = {
    isTTY,
    columns: 100,
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number };
  return { stream, text: () => text };
}

describe('ProgressReporter', () => {
  it('writes one JSON object per update when the stream is not a terminal', () => {
    const out = sink(false);
    let clock = 0;
    const progress = new ProgressReporter({ stream: out.stream, now: () => clock });
    progress.begin('bc', 10);
    clock = 2500;
    progress.update(3, { loss: 0.123456789, success: Number.NaN });
    progress.end();
    expect(
      out
        .text()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ stage: 'bc', step: 3, total: 10, elapsedS: 2.5, loss: 0.1235, success: null }]);
  });

  it('redraws a bar in place on a terminal', () => {
    const out = sink(true);
    const progress = new ProgressReporter({ stream: out.stream, now: () => 0 });
    progress.begin('ppo', 4);
    progress.update(1, { kl: 0.01 });
    progress.update(4, { kl: 0.02 });
    progress.end();
    const frames = out
      .text()
      .split('\r')
      .filter((f) => f.length > 0);
    expect(frames).toHaveLength(2);
    expect(frames[1]).toMatch(/^ppo \[#{24}\] 4\/4 0s {2}kl 0\.0200/);
    expect(out.text().endsWith('\n')).toBe(true);
  });
});
