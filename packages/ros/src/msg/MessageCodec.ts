import type { MessageDefinition } from '@foxglove/message-definition';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import { locateCdrFailure } from './cdrFailureLocation.js';
import { installUtf8CdrStrings } from './cdrStringWriter.js';
import { RosDecodeError } from './RosDecodeError.js';
import { RosError } from './RosError.js';

installUtf8CdrStrings();

/** Encapsulation kinds ROS 2 payloads use: plain CDR (XCDR1) and plain CDR2, either byte order. */
const SUPPORTED_KINDS = new Set([0x00, 0x01, 0x06, 0x07]);

/**
 * The serialisers take the first definition that is not all constants as the root, so a
 * constants-only message (`rcl_interfaces/msg/ParameterType`) would find none. Without its
 * constants the root is an empty struct, which ROS 2 sends as one placeholder byte.
 */
function withDataRoot(definitions: readonly MessageDefinition[]): MessageDefinition[] {
  const [root, ...rest] = definitions;
  if (root === undefined || !root.definitions.every((field) => field.isConstant === true)) {
    return [...definitions];
  }
  return [{ ...root, definitions: [] }, ...rest];
}

/**
 * Encodes and decodes one ROS 2 message type as CDR. Writes XCDR1 little-endian with the 4-byte
 * encapsulation header (options bytes zero); reads either byte order and ignores the options
 * bytes. Get one from {@link MessageDefinitionRegistry.codec}.
 *
 * Decoded arrays of numbers are typed arrays (`Uint8Array`, `Float32Array`, …) and may share
 * memory with the input buffer: copy them before mutating the buffer.
 */
export class MessageCodec<T = unknown> {
  /** ROS type name, `pkg/msg/Type`. */
  readonly type: string;
  /** The root definition first, then every definition it depends on. */
  readonly definitions: readonly MessageDefinition[];
  readonly #reader: MessageReader<T>;
  readonly #writer: MessageWriter;

  constructor(type: string, definitions: readonly MessageDefinition[]) {
    this.type = type;
    this.definitions = definitions;
    const serialisable = withDataRoot(definitions);
    this.#reader = new MessageReader<T>(serialisable);
    this.#writer = new MessageWriter(serialisable);
  }

  /** Serialises a message; missing fields are written as zero / empty. */
  encode(message: T): Uint8Array {
    try {
      return this.#writer.writeMessage(message);
    } catch (error) {
      throw new RosError(
        'ROS_ENCODE_FAILED',
        `Cannot encode ${this.type}: ${error instanceof Error ? error.message : String(error)}. ` +
          'Check the message object against the definition.',
        { cause: error },
      );
    }
  }

  /**
   * Deserialises a CDR payload. Throws {@link RosDecodeError} (with `topic` when given, the byte
   * offset and the field) for a truncated or garbage payload.
   */
  decode(data: Uint8Array, topic?: string): T {
    const details = { topic, type: this.type, byteLength: data.byteLength };
    if (data.byteLength < 4) {
      throw new RosDecodeError(
        { ...details, offset: 0, field: undefined },
        'the payload is shorter than the 4-byte CDR encapsulation header',
      );
    }
    const kind = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
    if (!SUPPORTED_KINDS.has(kind)) {
      throw new RosDecodeError(
        { ...details, offset: 0, field: undefined },
        `unsupported CDR encapsulation kind 0x${kind.toString(16).padStart(4, '0')} (expected 0x0000/0x0001 CDR or 0x0006/0x0007 CDR2)`,
      );
    }
    let message: T;
    try {
      message = this.#reader.readMessage(data);
    } catch (error) {
      throw this.#failure(data, topic, error);
    }
    // The reader bounds-checks against the whole ArrayBuffer, not the view: a truncated payload
    // that is a slice of a larger buffer (a DDS receive buffer, an MCAP chunk) reads on into the
    // neighbouring bytes. Reading past the view's end means the payload was too short.
    if (this.#reader.lastReadByteLength() > data.byteLength) {
      throw this.#failure(data, topic, undefined);
    }
    return message;
  }

  #failure(data: Uint8Array, topic: string | undefined, cause: unknown): RosDecodeError {
    // A copy has its own ArrayBuffer, so every out-of-range read throws where it happens.
    const location = locateCdrFailure(this.definitions, new Uint8Array(data));
    return new RosDecodeError(
      { topic, type: this.type, byteLength: data.byteLength, offset: location.offset, field: location.field },
      location.reason,
      cause === undefined ? undefined : { cause },
    );
  }
}
