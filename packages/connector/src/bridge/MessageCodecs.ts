/**
 * Message definitions and CDR ↔ object conversion, as JSON routes, reverse routes and the retained
 * `types/` topics need them. {@link rosMessageCodecs} adapts `@fleetloop/ros`'s registry to it.
 */
export interface MessageCodecs {
  /** The `.msg` text of a type with its dependencies, or `undefined` when the type is unknown. */
  definitionText(type: string): string | undefined;
  /** Decodes a CDR buffer (with encapsulation header) to a plain object. */
  decode(type: string, data: Uint8Array): unknown;
  /** Encodes a plain object (as parsed from JSON) to a CDR buffer. */
  encode(type: string, value: unknown): Uint8Array;
}

/**
 * JSON text of a decoded message: 64-bit integers become numbers when exact and strings
 * otherwise, typed arrays become arrays, so any MQTT client can read it with a JSON parser.
 */
export function messageToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint')
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      return Array.from(v as unknown as ArrayLike<number | bigint>, (n) =>
        typeof n === 'bigint' ? Number(n) : n,
      );
    return v;
  });
}
