import { RuntimeError } from '../RuntimeError.js';

interface Segment {
  readonly name: string;
  /** `[i]` selects one item, `[a:b]` items a..b-1. */
  readonly index?: { readonly start: number; readonly end: number | undefined };
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)(?::(\d+))?\])?$/;

/**
 * A compiled field path of the policy contract (`ranges`, `pose.pose.position`, `position[0:12]`)
 * that reads the numbers it names from a decoded ROS message. A number gives one value, a numeric
 * array all its items, a message its numeric fields in definition order, recursively.
 */
export class FieldPath {
  readonly text: string;
  readonly #segments: readonly Segment[];

  constructor(text: string) {
    this.text = text;
    this.#segments = text.split('.').map((part) => {
      const match = SEGMENT.exec(part);
      if (match === null) {
        throw new RuntimeError(
          'FIELD_PATH_INVALID',
          `field path "${text}": "${part}" is not a field name with an optional [i] or [a:b] index`,
        );
      }
      const [, name = '', start, end] = match;
      if (start === undefined) return { name };
      const from = Number(start);
      return { name, index: { start: from, end: end === undefined ? undefined : Number(end) } };
    });
  }

  /**
   * Reads the value at the path; `undefined` when a field is missing. Typed arrays are returned
   * without copying.
   */
  read(message: unknown): ArrayLike<number> | undefined {
    let node: unknown = message;
    for (let i = 0; i < this.#segments.length; i++) {
      const segment = this.#segments[i] as Segment;
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<string, unknown>)[segment.name];
      if (segment.index !== undefined) {
        if (!isArrayLike(node)) return undefined;
        const { start, end } = segment.index;
        if (end === undefined) {
          if (start >= node.length) return undefined;
          node = node[start];
        } else {
          if (end > node.length) return undefined;
          const slice = sliceOf(node, start, end);
          if (i === this.#segments.length - 1) return flatten(slice);
          node = slice;
        }
      }
    }
    return flatten(node);
  }
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

function sliceOf(value: ArrayLike<unknown>, start: number, end: number): unknown {
  if (ArrayBuffer.isView(value)) return (value as unknown as Float64Array).subarray(start, end);
  return (value as unknown[]).slice(start, end);
}

function flatten(value: unknown): ArrayLike<number> | undefined {
  if (typeof value === 'number') return [value];
  if (typeof value === 'bigint') return [Number(value)];
  if (typeof value === 'boolean') return [value ? 1 : 0];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Array.from(value, Number);
    return value as unknown as ArrayLike<number>;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const out: number[] = [];
  const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) {
    const flat = flatten(item);
    if (flat === undefined) continue;
    for (let i = 0; i < flat.length; i++) out.push(flat[i] as number);
  }
  return out;
}
