import { RosError } from './RosError.js';

/** Where a CDR payload stopped matching its definition. */
export interface RosDecodeErrorDetails {
  /** ROS topic the payload came from, when known. */
  readonly topic: string | undefined;
  /** ROS type name the payload was decoded as. */
  readonly type: string;
  /** Byte offset (from the start of the buffer, header included) of the field that failed to decode. */
  readonly offset: number;
  /** Total payload length in bytes. */
  readonly byteLength: number;
  /** Dotted path of the field being read when decoding failed, e.g. `ranges[12]`. */
  readonly field: string | undefined;
}

/** A payload that is truncated, garbage, or of another type than the one it was decoded as. */
export class RosDecodeError extends RosError implements RosDecodeErrorDetails {
  readonly topic: string | undefined;
  readonly type: string;
  readonly offset: number;
  readonly byteLength: number;
  readonly field: string | undefined;

  constructor(details: RosDecodeErrorDetails, reason: string, options?: { cause?: unknown }) {
    const where = details.topic === undefined ? '' : ` on topic ${details.topic}`;
    const field = details.field === undefined ? '' : ` (field ${details.field})`;
    super(
      'ROS_DECODE_FAILED',
      `Cannot decode ${details.type}${where}: ${reason} at byte offset ${details.offset} of ${details.byteLength}${field}. ` +
        'Check that publisher and subscriber use the same message definition.',
      options,
    );
    this.topic = details.topic;
    this.type = details.type;
    this.offset = details.offset;
    this.byteLength = details.byteLength;
    this.field = details.field;
  }
}
