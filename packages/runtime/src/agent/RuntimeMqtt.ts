import mqtt, { type MqttClient } from 'mqtt';
import type { DesiredState } from './desiredState.js';
import { parseDesiredState } from './parseDesiredState.js';

/** Options for {@link RuntimeMqtt}. */
export interface RuntimeMqttOptions {
  readonly url: string;
  /** MQTT protocol version; default 5. */
  readonly protocolVersion?: 4 | 5;
  readonly site: string;
  readonly robot: string;
  /** Follow the retained desired-state topic. */
  readonly followDesired: boolean;
  readonly onDesired: (desired: DesiredState) => void;
  readonly onError: (error: unknown) => void;
}

/** `fleetloop/v1/<site>/<robot>/desired/runtime`. */
export function desiredTopic(site: string, robot: string): string {
  return `fleetloop/v1/${site}/${robot}/desired/runtime`;
}

/** `fleetloop/v1/<site>/<robot>/status/runtime`. */
export function statusTopic(site: string, robot: string): string {
  return `fleetloop/v1/${site}/${robot}/status/runtime`;
}

/**
 * The runtime's MQTT session: reports status retained on `…/status/runtime` (with a last will of
 * `offline`) and follows the retained desired state on `…/desired/runtime`.
 */
export class RuntimeMqtt {
  readonly #options: RuntimeMqttOptions;
  readonly #client: MqttClient;
  readonly #status: string;
  readonly #desired: string;

  constructor(options: RuntimeMqttOptions) {
    this.#options = options;
    this.#status = statusTopic(options.site, options.robot);
    this.#desired = desiredTopic(options.site, options.robot);
    this.#client = mqtt.connect(options.url, {
      protocolVersion: options.protocolVersion ?? 5,
      clientId: `fleetloop-runtime-${options.site}-${options.robot}`,
      reconnectPeriod: 1000,
      will: { topic: this.#status, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.#client.on('error', (error) => options.onError(error));
    this.#client.on('connect', () => {
      if (!options.followDesired) return;
      this.#client.subscribe(this.#desired, { qos: 1 }, (error) => {
        if (error) options.onError(error);
      });
    });
    this.#client.on('message', (topic, payload) => {
      if (topic !== this.#desired || payload.length === 0) return;
      try {
        options.onDesired(parseDesiredState(payload.toString('utf8'), `MQTT ${topic}`));
      } catch (error) {
        options.onError(error);
      }
    });
  }

  /** Publishes the status document retained (queued while disconnected). */
  publishStatus(status: unknown): void {
    this.#client.publish(this.#status, JSON.stringify(status), { qos: 1, retain: true }, (error) => {
      if (error) this.#options.onError(error);
    });
  }

  /** Publishes `offline` retained and disconnects. */
  async close(): Promise<void> {
    if (this.#client.connected) {
      await this.#client
        .publishAsync(this.#status, 'offline', { qos: 1, retain: true })
        .catch((error: unknown) => this.#options.onError(error));
    }
    await this.#client.endAsync();
  }
}
