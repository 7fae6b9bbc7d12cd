import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, validateConfig } from '@fleetloop/core';
import mqtt, { type MqttClient } from 'mqtt';
import { connectorConfigSchema, type ConnectorConfig, type ConnectorConfigInput } from '../../src/index.js';

/** A silent logger for tests. */
export const quietLogger = createLogger({ name: 'connector-test', level: 'silent' });

/** A validated configuration with a temporary data directory and no ops server. */
export function testConfig(
  input: Partial<ConnectorConfigInput> & { broker: ConnectorConfigInput['broker'] },
): ConnectorConfig {
  return validateConfig(connectorConfigSchema, {
    robot: 'robot-1',
    dataDir: mkdtempSync(path.join(tmpdir(), 'fleetloop-connector-')),
    ops: { enabled: false },
    ...input,
    broker: { backoff: { initialMs: 50, maxMs: 500 }, ...input.broker },
  });
}

/** One message as a plain subscriber sees it. */
export interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly retain: boolean;
  readonly userProperties: Record<string, string>;
}

/** A plain MQTT.js v5 subscriber collecting what arrives. */
export class Subscriber {
  readonly messages: Received[] = [];
  readonly client: MqttClient;
  #waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      const userProperties: Record<string, string> = {};
      for (const [k, v] of Object.entries(packet.properties?.userProperties ?? {}))
        userProperties[k] = String(v);
      this.messages.push({ topic, payload, retain: packet.retain, userProperties });
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.predicate()) return true;
        w.resolve();
        return false;
      });
    });
  }

  static async connect(url: string, filter: string, options: mqtt.IClientOptions = {}): Promise<Subscriber> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 200, ...options });
    const subscriber = new Subscriber(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return subscriber;
  }

  /** Resolves when `predicate` holds over the collected messages. */
  async until(predicate: (messages: Received[]) => boolean): Promise<void> {
    if (predicate(this.messages)) return;
    await new Promise<void>((resolve) =>
      this.#waiters.push({ predicate: () => predicate(this.messages), resolve }),
    );
  }

  on(topicSuffix: string): Received[] {
    return this.messages.filter((m) => m.topic.endsWith(topicSuffix));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
