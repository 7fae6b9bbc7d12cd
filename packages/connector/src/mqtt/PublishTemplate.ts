/** MQTT v5 property identifier of a user property (a UTF-8 string pair). */
const USER_PROPERTY = 0x26;
const PUBLISH = 0x30;
const RETAIN = 0x01;
/** Largest remaining length a variable byte integer can state. */
const MAX_REMAINING_LENGTH = 268_435_455;

/** Bytes of `n` as an MQTT variable byte integer. */
function varIntBytes(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

function writeVarInt(out: Buffer, offset: number, n: number): number {
  let at = offset;
  let rest = n;
  do {
    let byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    if (rest > 0) byte |= 0x80;
    out[at++] = byte;
  } while (rest > 0);
  return at;
}

/** A UTF-8 string as MQTT encodes it: u16 big-endian length, then the bytes. */
function mqttString(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength > 0xffff) {
    throw new RangeError(`${what} is ${bytes.byteLength} bytes of UTF-8; MQTT strings hold at most 65535`);
  }
  const out = Buffer.allocUnsafe(2 + bytes.byteLength);
  out.writeUInt16BE(bytes.byteLength, 0);
  bytes.copy(out, 2);
  return out;
}

/** Options of {@link PublishTemplate}. */
export interface PublishTemplateOptions {
  readonly topic: string;
  readonly retain: boolean;
  /** 5 carries user properties; 3 and 4 (MQTT 3.1 and 3.1.1) leave them out. */
  readonly protocolVersion: 3 | 4 | 5;
  /** User properties every message of the stream carries with the same values. */
  readonly fixedProperties?: Readonly<Record<string, string>>;
  /** Keys of user properties whose values change per message, in the order the values are passed. */
  readonly variableKeys?: readonly string[];
}

/**
 * The QoS 0 PUBLISH packets of one stream of messages (one topic, one retain flag, the same
 * user-property keys), with everything that does not change from message to message encoded once.
 *
 * MQTT.js writes a packet to its socket as a dozen or more small writes (header, length, topic,
 * each property's key and value, payload), which for small messages costs more than the
 * message: the stream machinery, string conversions and a `writev` of many tiny chunks. A template
 * writes the whole packet into one buffer instead, and many packets can share one socket write.
 */
export class PublishTemplate {
  readonly topic: string;
  readonly #first: number;
  readonly #topicField: Buffer;
  readonly #fixedProperties: Buffer;
  /** Per variable property: identifier and key, to which the value is appended. */
  readonly #variableKeys: readonly Buffer[];
  readonly #properties: boolean;

  constructor(options: PublishTemplateOptions) {
    this.topic = options.topic;
    this.#first = PUBLISH | (options.retain ? RETAIN : 0);
    this.#topicField = mqttString(options.topic, `MQTT topic "${options.topic}"`);
    this.#properties = options.protocolVersion === 5;
    const fixed: Buffer[] = [];
    for (const [key, value] of Object.entries(options.fixedProperties ?? {})) {
      fixed.push(
        Buffer.of(USER_PROPERTY),
        mqttString(key, `user property key "${key}"`),
        mqttString(value, `user property ${key}`),
      );
    }
    this.#fixedProperties = Buffer.concat(fixed);
    this.#variableKeys = (options.variableKeys ?? []).map((key) =>
      Buffer.concat([Buffer.of(USER_PROPERTY), mqttString(key, `user property key "${key}"`)]),
    );
  }

  /** Size in bytes of the packet carrying `values` (as many as the template's variable keys) and a payload of `payloadBytes`. */
  packetBytes(values: readonly string[], payloadBytes: number): number {
    const remaining = this.#remainingBytes(this.#propertyBytes(values), payloadBytes);
    return 1 + varIntBytes(remaining) + remaining;
  }

  /**
   * Writes the packet into `out` at `offset` (`out` must have {@link packetBytes} bytes there);
   * returns the offset after it.
   */
  encodeInto(out: Buffer, offset: number, values: readonly string[], payload: Uint8Array): number {
    const propertyBytes = this.#propertyBytes(values);
    let at = offset;
    out[at++] = this.#first;
    at = writeVarInt(out, at, this.#remainingBytes(propertyBytes, payload.byteLength));
    at += this.#topicField.copy(out, at);
    if (this.#properties) {
      at = writeVarInt(out, at, propertyBytes);
      at += this.#fixedProperties.copy(out, at);
      const keys = this.#variableKeys;
      for (let i = 0; i < keys.length; i++) {
        at += (keys[i] as Buffer).copy(out, at);
        const value = values[i] ?? '';
        const length = out.write(value, at + 2, 'utf8');
        out.writeUInt16BE(length, at);
        at += 2 + length;
      }
    }
    out.set(payload, at);
    return at + payload.byteLength;
  }

  #propertyBytes(values: readonly string[]): number {
    if (!this.#properties) return 0;
    let bytes = this.#fixedProperties.byteLength;
    const keys = this.#variableKeys;
    if (values.length !== keys.length) {
      throw new RangeError(
        `PUBLISH to ${this.topic}: ${values.length} user property values for ${keys.length} keys`,
      );
    }
    for (let i = 0; i < keys.length; i++) {
      const value = values[i] as string;
      const length = value.length < 64 && isAscii(value) ? value.length : Buffer.byteLength(value, 'utf8');
      if (length > 0xffff)
        throw new RangeError(`user property value of ${length} bytes on ${this.topic}; at most 65535`);
      bytes += (keys[i] as Buffer).byteLength + 2 + length;
    }
    return bytes;
  }

  #remainingBytes(propertyBytes: number, payloadBytes: number): number {
    const remaining =
      this.#topicField.byteLength +
      (this.#properties ? varIntBytes(propertyBytes) + propertyBytes : 0) +
      payloadBytes;
    if (remaining > MAX_REMAINING_LENGTH) {
      throw new RangeError(
        `PUBLISH to ${this.topic} of ${remaining} bytes; MQTT packets hold at most ${MAX_REMAINING_LENGTH}`,
      );
    }
    return remaining;
  }
}

/** Whether `text` is plain ASCII (its UTF-8 length is its length); short strings only. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
