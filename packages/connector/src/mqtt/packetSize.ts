/**
 * Upper bound of the size in bytes of an MQTT v5 PUBLISH packet: fixed header (at most 5),
 * topic, packet identifier, properties (user properties as key/value strings) and payload. Used to
 * drop a message the broker would refuse (CONNACK `maximumPacketSize`) before sending it, since a
 * broker disconnects a client that sends an oversized packet.
 */
export function publishPacketBytes(
  topic: string,
  payloadBytes: number,
  userProperties: Readonly<Record<string, string>>,
): number {
  let properties = 0;
  for (const [key, value] of Object.entries(userProperties)) {
    properties += 1 + 2 + Buffer.byteLength(key) + 2 + Buffer.byteLength(value);
  }
  const variableHeader = 2 + Buffer.byteLength(topic) + 2 + 4 + properties;
  return 5 + variableHeader + payloadBytes;
}
