/** One outbound MQTT message as the store-and-forward queue keeps it. */
export interface QueuedMessage {
  /** Per-route sequence number; a message read again after a crash keeps it. */
  readonly seq: bigint;
  /** ROS source timestamp, nanoseconds since the Unix epoch. */
  readonly stampNs: bigint;
  readonly rosTopic: string;
  readonly rosType: string;
  readonly mqttTopic: string;
  readonly encoding: 'cdr' | 'json';
  readonly retain: boolean;
  readonly payload: Uint8Array;
}

const FLAG_RETAIN = 1;
const FLAG_JSON = 2;

/**
 * Serialises a message as `u64 seq | u64 stampNs | u8 flags | (u16 length | utf-8) × 3 | payload`
 * (little-endian).
 */
export function encodeQueuedMessage(message: QueuedMessage): Uint8Array {
  const strings = [message.rosTopic, message.rosType, message.mqttTopic].map((s) => Buffer.from(s, 'utf8'));
  const headerBytes = 17 + strings.reduce((sum, s) => sum + 2 + s.byteLength, 0);
  const out = Buffer.allocUnsafe(headerBytes + message.payload.byteLength);
  out.writeBigUInt64LE(message.seq, 0);
  out.writeBigUInt64LE(message.stampNs, 8);
  out.writeUInt8((message.retain ? FLAG_RETAIN : 0) | (message.encoding === 'json' ? FLAG_JSON : 0), 16);
  let offset = 17;
  for (const s of strings) {
    out.writeUInt16LE(s.byteLength, offset);
    s.copy(out, offset + 2);
    offset += 2 + s.byteLength;
  }
  out.set(message.payload, offset);
  return out;
}

/** Reads back what {@link encodeQueuedMessage} wrote. */
export function decodeQueuedMessage(bytes: Uint8Array): QueuedMessage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = buffer.readUInt8(16);
  let offset = 17;
  const strings: string[] = [];
  for (let i = 0; i < 3; i++) {
    const length = buffer.readUInt16LE(offset);
    strings.push(buffer.toString('utf8', offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  const [rosTopic = '', rosType = '', mqttTopic = ''] = strings;
  return {
    seq: buffer.readBigUInt64LE(0),
    stampNs: buffer.readBigUInt64LE(8),
    rosTopic,
    rosType,
    mqttTopic,
    encoding: (flags & FLAG_JSON) !== 0 ? 'json' : 'cdr',
    retain: (flags & FLAG_RETAIN) !== 0,
    payload: buffer.subarray(offset),
  };
}
