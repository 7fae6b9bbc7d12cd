import { describe, expect, it } from 'vitest';
import { formatModelRef, parseModelRef } from './modelRef.js';

describe('model references', () => {
  it('parses versions, aliases and bare names', () => {
    expect(parseModelRef('nav-bc:3')).toEqual({ kind: 'version', name: 'nav-bc', version: 3 });
    expect(parseModelRef('nav-bc@champion')).toEqual({ kind: 'alias', name: 'nav-bc', alias: 'champion' });
    expect(parseModelRef('nav-bc:candidate')).toEqual({ kind: 'alias', name: 'nav-bc', alias: 'candidate' });
    expect(parseModelRef('nav-bc')).toEqual({ kind: 'latest', name: 'nav-bc' });
    expect(formatModelRef(parseModelRef('nav-bc:candidate'))).toBe('nav-bc@candidate');
  });

  it('rejects malformed references with the accepted forms', () => {
    expect(() => parseModelRef('Nav:1')).toThrow(/NAME:VERSION/);
    expect(() => parseModelRef('nav:0')).toThrow(/NAME:VERSION/);
  });
});
