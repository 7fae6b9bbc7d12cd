import { CdrReader } from '@foxglove/cdr';
import type { MessageDefinition, MessageDefinitionField } from '@foxglove/message-definition';

/** Where a walk over a CDR payload stopped. */
export interface CdrFailureLocation {
  /** Byte offset (header included) where the field being read when the payload ran out starts. */
  readonly offset: number;
  /** Dotted path of that field, e.g. `header.frame_id` or `ranges`. */
  readonly field: string | undefined;
  readonly reason: string;
}

type ArrayRead = (reader: CdrReader, count: number) => unknown;

const ARRAY_READERS = new Map<string, ArrayRead>([
  ['bool', (r, n) => r.int8Array(n)],
  ['int8', (r, n) => r.int8Array(n)],
  ['uint8', (r, n) => r.uint8Array(n)],
  ['int16', (r, n) => r.int16Array(n)],
  ['uint16', (r, n) => r.uint16Array(n)],
  ['int32', (r, n) => r.int32Array(n)],
  ['uint32', (r, n) => r.uint32Array(n)],
  ['int64', (r, n) => r.int64Array(n)],
  ['uint64', (r, n) => r.uint64Array(n)],
  ['float32', (r, n) => r.float32Array(n)],
  ['float64', (r, n) => r.float64Array(n)],
  ['string', (r, n) => r.stringArray(n)],
  ['time', (r, n) => r.int32Array(2 * n)],
  ['duration', (r, n) => r.int32Array(2 * n)],
]);

/**
 * Walks a payload the way `MessageReader` decodes it, only to say where it fails: the library
 * reports "Offset is outside the bounds of the DataView" without an offset or a field, and a user
 * with a mismatched definition needs both. Runs only after a decode has already failed.
 */
export function locateCdrFailure(
  definitions: readonly MessageDefinition[],
  data: Uint8Array,
): CdrFailureLocation {
  if (data.byteLength < 4) {
    return { offset: 0, field: undefined, reason: 'shorter than the 4-byte CDR encapsulation header' };
  }
  const byName = new Map(definitions.map((d) => [d.name ?? '', d.definitions]));
  const root = definitions[0]?.definitions ?? [];
  const reader = new CdrReader(data);
  let field: string | undefined;
  let fieldOffset = 4;
  try {
    walk(root, '');
  } catch (error) {
    return {
      offset: Math.min(fieldOffset, data.byteLength),
      field,
      reason: error instanceof RangeError ? 'the payload ends early' : String(error),
    };
  }
  return { offset: reader.offset, field: undefined, reason: 'the payload does not match the definition' };

  function walk(fields: readonly MessageDefinitionField[], prefix: string): void {
    const data = fields.filter((f) => f.isConstant !== true);
    if (data.length === 0) {
      field = `${prefix}(empty message placeholder)`;
      fieldOffset = reader.offset;
      reader.uint8();
      return;
    }
    for (const f of data) {
      field = `${prefix}${f.name}`;
      fieldOffset = reader.offset;
      const count = f.isArray === true ? (f.arrayLength ?? reader.sequenceLength()) : undefined;
      if (f.isComplex === true) {
        const nested = byName.get(f.type) ?? [];
        if (count === undefined) {
          walk(nested, `${prefix}${f.name}.`);
        } else {
          for (let i = 0; i < count; i++) {
            walk(nested, `${prefix}${f.name}[${i}].`);
          }
        }
      } else {
        readPrimitive(f.type, count);
      }
    }
  }

  function readPrimitive(type: string, count: number | undefined): void {
    if (count !== undefined) {
      const read = ARRAY_READERS.get(type);
      if (read === undefined) {
        throw new Error(`unsupported primitive array type ${type}[]`);
      }
      read(reader, count);
      return;
    }
    switch (type) {
      case 'string':
        reader.string();
        return;
      case 'time':
      case 'duration':
        reader.int32();
        reader.uint32();
        return;
      default: {
        const read = ARRAY_READERS.get(type);
        if (read === undefined) {
          throw new Error(`unsupported primitive type ${type}`);
        }
        read(reader, 1);
      }
    }
  }
}
