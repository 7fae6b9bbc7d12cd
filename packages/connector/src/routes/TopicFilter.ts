import type { TopicPattern } from '../config/connectorConfig.js';

/**
 * Include/exclude matching of ROS topic or type names. A glob's `*` and `?` stay within one
 * name segment (between `/`), `**` crosses segments; `{ regex }` is used as written. A name passes
 * when it matches an include pattern (or the include list is empty) and no exclude pattern.
 */
export class TopicFilter {
  readonly #include: readonly RegExp[];
  readonly #exclude: readonly RegExp[];

  constructor(filter: {
    readonly include: readonly TopicPattern[];
    readonly exclude: readonly TopicPattern[];
  }) {
    this.#include = filter.include.map(compilePattern);
    this.#exclude = filter.exclude.map(compilePattern);
  }

  /** Whether `name` passes the filter. */
  matches(name: string): boolean {
    if (this.#include.length > 0 && !this.#include.some((re) => re.test(name))) return false;
    return !this.#exclude.some((re) => re.test(name));
  }
}

/** Compiles a glob string or `{ regex }` into an anchored regular expression. */
export function compilePattern(pattern: TopicPattern): RegExp {
  if (typeof pattern !== 'string') return new RegExp(pattern.regex);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
