import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/lint/floating-promise.ts', import.meta.url));

describe('lint setup', () => {
  it('rejects a floating promise as an error', async () => {
    // The fixture is excluded from `npm run lint` by eslint.config.js; lint it explicitly here.
    const eslint = new ESLint({ cwd: root, ignore: false });
    const [result] = await eslint.lintFiles([fixture]);
    const floating =
      result?.messages.filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises') ?? [];
    expect(floating).toHaveLength(1);
    expect(floating[0]?.severity).toBe(2);
    expect(floating[0]?.line).toBe(8);
  });
});
