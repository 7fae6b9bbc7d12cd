import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Logger } from '@fleetloop/core';
import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { BrokerConfig } from '../config/connectorConfig.js';
import { ConnectorError } from '../ConnectorError.js';
import { backoffDelay } from './backoff.js';
import type { PublishTemplate } from './PublishTemplate.js';

/** What the broker granted on a connection (CONNACK properties). */
export interface BrokerSession {
  /** Largest packet the broker accepts; `undefined` = no limit announced. */
  readonly maximumPacketSize: number | undefined;
  /** Most unacknowledged QoS 1 publishes the broker accepts at once. */
  readonly receiveMaximum: number;
}

/** Timers used for reconnect delays; injected in tests. */
export interface LinkTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A message published on the broker's last-will or status topic. */
export interface StatusMessage {
  readonly topic: string;
  readonly payload: string;
}

/** Options for {@link MqttLink}. */
export interface MqttLinkOptions {
  readonly broker: BrokerConfig;
  readonly clientId: string;
  /** Published by the broker (retained, QoS 1) when the connection is lost without a DISCONNECT. */
  readonly will?: StatusMessage;
  /** Subscribed to on every connection. */
  readonly subscriptions?: readonly { readonly topic: string; readonly qos: 0 | 1 }[];
  readonly logger: Logger;
  readonly rng?: () => number;
  readonly timers?: LinkTimers;
  /**
   * Bytes that may wait in the socket's stream past its high-water mark (default 8 MiB), so that
   * large messages follow one another without the socket running empty.
   */
  readonly socketBufferBytes?: number;
  readonly onConnected?: (session: BrokerSession) => void;
  readonly onDisconnected?: () => void;
  readonly onMessage?: (
    topic: string,
    payload: Buffer,
    userProperties: Readonly<Record<string, string>>,
  ) => void;
}

/** Options of one publish. */
export interface LinkPublishOptions {
  readonly qos: 0 | 1;
  readonly retain: boolean;
  /** MQTT v5 user properties; left out on a 3.1.1 connection. */
  readonly userProperties?: Readonly<Record<string, string>>;
}

/**
 * Outcome of a publish: `undefined` on success (PUBACK for QoS 1, written for QoS 0), `rejected`
 * when the broker answered with an error reason code, `lost` when the connection went away first.
 */
export type PublishOutcome =
  undefined | { readonly kind: 'rejected'; readonly reason: string } | { readonly kind: 'lost' };

/** Longest wait for the broker while disconnecting. */
const STOP_TIMEOUT_MS = 2_000;
const EMPTY = Buffer.alloc(0);
/** Publishes that may go past the stream's high-water mark before callers wait for `drain`. */
const MAX_PARKED_PUBLISHES = 16;
/** Bytes that may wait in the stream before callers wait for `drain` (see {@link MqttLink.writable}). */
const DEFAULT_SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;
/** Size of the buffers QoS 0 packets are encoded into (see {@link MqttLink.publishQos0}). */
const STAGING_BYTES = 64 * 1024;
const CREDENTIAL_REASON_CODES = new Set([134, 135, 140]);
const CREDENTIAL_RETURN_CODES_V4 = new Set([4, 5]);

/**
 * The connector's connection to the MQTT broker. Each connection attempt is a fresh MQTT.js client
 * with automatic reconnect off, so that credentials, certificates and the Kubernetes
 * service-account token are read again for every attempt (tokens rotate), and so that messages in
 * flight on a lost connection are reported `lost` and resent from the store-and-forward queue
 * rather than from MQTT.js's memory. Reconnects wait a jittered exponential backoff.
 */
export class MqttLink {
  readonly #options: MqttLinkOptions;
  readonly #rng: () => number;
  readonly #timers: LinkTimers;
  #client: MqttClient | undefined;
  #session: BrokerSession | undefined;
  #attempt = 0;
  #timer: unknown;
  #stopped = true;
  #lastError: Error | undefined;
  #drainWaiters: (() => void)[] = [];
  readonly #socketBufferBytes: number;
  /** Publishes written past the high-water mark of `#parkedStream` since it last drained. */
  #parked = 0;
  #parkedStream: MqttClient['stream'] | undefined;
  /**
   * QoS 0 packets are encoded one after the other into this buffer; the bytes from `#stagedFrom`
   * to `#stagedTo` are not yet written to the socket. Written bytes are left as they are (the
   * socket may still hold them), so a buffer serves many writes until it is full.
   */
  #staging: Buffer | undefined;
  #stagedFrom = 0;
  #stagedTo = 0;
  #flushQueued = false;
  readonly #flushStaged = (): void => {
    this.#flushQueued = false;
    this.#writeStaged();
  };

  constructor(options: MqttLinkOptions) {
    this.#options = options;
    this.#rng = options.rng ?? Math.random;
    this.#socketBufferBytes = options.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
  }

  /** The current session, or `undefined` while not connected. */
  get session(): BrokerSession | undefined {
    return this.#session;
  }

  get connected(): boolean {
    return this.#session !== undefined;
  }

  /** The error of the last failed attempt, cleared on success. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /**
   * Whether the socket takes more data now; callers wait with {@link whenWritable} otherwise.
   * Past the stream's high-water mark MQTT.js parks one `drain` listener per message, which costs
   * more than small messages themselves, so only a few messages (at most
   * {@link MAX_PARKED_PUBLISHES}) may go past it, and only while less than `socketBufferBytes` wait
   * in the stream: enough that large messages (camera images) follow one another without the socket
   * running empty between them, waiting for the next turn of the event loop.
   */
  get writable(): boolean {
    const stream = this.#client?.stream;
    if (!this.connected || stream === undefined) return false;
    if (!stream.writableNeedDrain) return true;
    const parked = this.#parkedStream === stream ? this.#parked : 0;
    return parked < MAX_PARKED_PUBLISHES && stream.writableLength < this.#socketBufferBytes;
  }

  /** Calls `callback` once the socket drained (or at once when it is writable). */
  whenWritable(callback: () => void): void {
    if (this.writable) {
      callback();
      return;
    }
    this.#drainWaiters.push(callback);
    const client = this.#client;
    if (this.#drainWaiters.length > 1 || client === undefined) return;
    client.stream.once('drain', () => this.#releaseDrainWaiters());
  }

  /**
   * Calls `callback` once everything written to the broker socket so far has left the process
   * (the socket's own write callbacks run in order, so an empty write placed after a message
   * completes after it), or at once when there is no socket. Returns false, without calling,
   * for streams other than TCP or TLS sockets (MQTT over WebSocket), which may frame an empty
   * write.
   */
  afterFlush(callback: () => void): boolean {
    this.#writeStaged();
    const stream = this.#client?.stream;
    if (stream === undefined || stream.destroyed) {
      callback();
      return true;
    }
    if (!(stream instanceof Socket)) return false;
    stream.write(EMPTY, () => callback());
    return true;
  }

  /** MQTT protocol version of the connection (5, or 4 for 3.1.1). */
  get protocolVersion(): 4 | 5 {
    return this.#options.broker.protocolVersion;
  }

  /** Whether user properties are carried (MQTT v5). */
  get userPropertiesSupported(): boolean {
    return this.#options.broker.protocolVersion === 5;
  }

  /** Starts connecting; keeps reconnecting until {@link stop}. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /**
   * Publishes one message; `done` gets the outcome. Must only be called while connected.
   */
  publish(
    topic: string,
    payload: Uint8Array,
    options: LinkPublishOptions,
    done: (outcome: PublishOutcome) => void,
  ): void {
    const client = this.#client;
    if (client === undefined || this.#session === undefined) {
      done({ kind: 'lost' });
      return;
    }
    // QoS 0 packets encoded before this message go first.
    this.#writeStaged();
    if (client.stream.writableNeedDrain) this.#countParked(client);
    const publishOptions: IClientPublishOptions = { qos: options.qos, retain: options.retain };
    if (options.userProperties !== undefined && this.userPropertiesSupported) {
      publishOptions.properties = { userProperties: options.userProperties };
    }
    client.publish(
      topic,
      Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      publishOptions,
      (error) => {
        if (error === undefined || error === null) done(undefined);
        else if (
          typeof (error as { code?: unknown }).code === 'number' &&
          client === this.#client &&
          this.connected
        )
          done({ kind: 'rejected', reason: error.message });
        else done({ kind: 'lost' });
      },
    );
  }

  /**
   * Publishes one QoS 0 message of a stream encoded by `template` with the user property `values`
   * of its variable keys (`bytes`: the packet's size, `template.packetBytes(values,
   * payload.byteLength)`, which the caller needed for the broker's size limit); returns false,
   * sending nothing, while not connected. The packet is written with the other QoS 0 packets of
   * this turn of the event loop in one socket write (a full staging buffer is written at once),
   * and before any later {@link publish}. As with MQTT.js
   * at QoS 0, once this returns true the message is the socket's: a connection lost before it
   * was written loses it.
   */
  publishQos0(
    template: PublishTemplate,
    values: readonly string[],
    payload: Uint8Array,
    bytes: number,
  ): boolean {
    if (this.#client === undefined || this.#session === undefined) return false;
    let staging = this.#staging;
    if (staging === undefined || this.#stagedTo + bytes > staging.byteLength) {
      this.#writeStaged();
      staging = Buffer.allocUnsafeSlow(Math.max(STAGING_BYTES, bytes));
      this.#staging = staging;
      this.#stagedFrom = 0;
      this.#stagedTo = 0;
    }
    this.#stagedTo = template.encodeInto(staging, this.#stagedTo, values, payload);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      process.nextTick(this.#flushStaged);
    }
    return true;
  }

  /** Disconnects cleanly (no last will); `final` is published first when connected. */
  async stop(final?: StatusMessage): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#writeStaged();
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    if (final !== undefined && this.#session !== undefined) {
      // A broker that stopped answering must not hold up shutdown: wait for the PUBACK briefly.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.publishAsync(final.topic, final.payload, { qos: 1, retain: true }).catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    this.#session = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => client.end(true, () => resolve()), STOP_TIMEOUT_MS);
      client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #connect(): void {
    let options: IClientOptions;
    try {
      options = this.#clientOptions();
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    const client = mqtt.connect(this.#options.broker.url, options);
    this.#client = client;
    let closed = false;
    client.on('connect', (connack) => {
      // Small telemetry messages should leave at once rather than wait for Nagle's algorithm.
      (client.stream as Partial<Pick<Socket, 'setNoDelay'>>).setNoDelay?.(true);
      this.#attempt = 0;
      this.#lastError = undefined;
      const properties = connack.properties;
      this.#session = {
        maximumPacketSize: properties?.maximumPacketSize,
        receiveMaximum: properties?.receiveMaximum ?? 65535,
      };
      this.#options.logger.info(
        { broker: this.#options.broker.url, maximumPacketSize: this.#session.maximumPacketSize },
        'connected to the MQTT broker',
      );
      const subscriptions = this.#options.subscriptions ?? [];
      if (subscriptions.length > 0) {
        client.subscribe(
          subscriptions.map((s) => s.topic),
          { qos: subscriptions[0]?.qos ?? 1 },
          (error) => {
            if (error) this.#options.logger.error({ err: error }, 'subscription refused by the broker');
          },
        );
      }
      this.#options.onConnected?.(this.#session);
    });
    client.on('message', (topic, payload, packet) => {
      const userProperties: Record<string, string> = {};
      for (const [key, value] of Object.entries(packet.properties?.userProperties ?? {})) {
        userProperties[key] = Array.isArray(value) ? (value[0] ?? '') : value;
      }
      this.#options.onMessage?.(topic, payload, userProperties);
    });
    client.on('error', (error) => {
      this.#lastError = describeError(error, this.#options.broker);
    });
    client.on('close', () => {
      if (closed || client !== this.#client) return;
      closed = true;
      // what was not yet written went with the connection
      this.#stagedFrom = this.#stagedTo;
      const wasConnected = this.#session !== undefined;
      this.#session = undefined;
      this.#releaseDrainWaiters();
      client.end(true);
      if (wasConnected) this.#options.onDisconnected?.();
      if (!this.#stopped) this.#fail(this.#lastError ?? new Error('connection closed'));
    });
  }

  /** Writes the QoS 0 packets staged since the last write to the socket. */
  #writeStaged(): void {
    const staging = this.#staging;
    if (staging === undefined || this.#stagedFrom === this.#stagedTo) return;
    const bytes = staging.subarray(this.#stagedFrom, this.#stagedTo);
    this.#stagedFrom = this.#stagedTo;
    const client = this.#client;
    if (client === undefined || client.stream.destroyed) return;
    if (client.stream.writableNeedDrain) this.#countParked(client);
    client.stream.write(bytes);
  }

  #countParked(client: MqttClient): void {
    if (this.#parkedStream !== client.stream || this.#parked === 0) {
      this.#parkedStream = client.stream;
      this.#parked = 0;
      client.stream.once('drain', () => {
        if (this.#parkedStream === client.stream) this.#parked = 0;
      });
    }
    this.#parked += 1;
  }

  #releaseDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter();
  }

  #fail(error: Error): void {
    this.#lastError = error;
    const delayMs = backoffDelay(this.#attempt, this.#options.broker.backoff, this.#rng);
    this.#attempt += 1;
    // Refused credentials are always worth an error line; an unreachable broker is reported on the
    // first attempt and every tenth after it, so a long outage does not flood the log.
    const refused = error instanceof ConnectorError && error.code === 'CONNECTOR_BROKER_AUTH';
    const level = refused ? 'error' : this.#attempt % 10 === 1 ? 'warn' : 'debug';
    this.#options.logger[level](
      { err: error, retryInMs: delayMs, attempt: this.#attempt },
      'MQTT connection failed',
    );
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#connect();
    }, delayMs);
  }

  #clientOptions(): IClientOptions {
    const broker = this.#options.broker;
    const options: IClientOptions = {
      protocolVersion: broker.protocolVersion,
      clientId: this.#options.clientId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: broker.connectTimeoutMs,
      keepalive: broker.keepaliveS,
      resubscribe: false,
    };
    if (broker.username !== undefined) options.username = broker.username;
    if (broker.password !== undefined) options.password = broker.password;
    if (broker.passwordFile !== undefined)
      options.password = readText(broker.passwordFile, 'password file').trimEnd();
    if (broker.tls !== undefined) {
      const tls = broker.tls;
      if (tls.ca !== undefined) options.ca = readBytes(tls.ca, 'CA bundle');
      if (tls.cert !== undefined) options.cert = readBytes(tls.cert, 'client certificate');
      if (tls.key !== undefined) options.key = readBytes(tls.key, 'client key');
      if (tls.servername !== undefined) options.servername = tls.servername;
      options.rejectUnauthorized = tls.rejectUnauthorized;
    }
    if (broker.serviceAccountTokenFile !== undefined) {
      options.properties = {
        authenticationMethod: 'K8S-SAT',
        authenticationData: readBytes(broker.serviceAccountTokenFile, 'service-account token'),
      };
    }
    const will = this.#options.will;
    if (will !== undefined)
      options.will = { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true };
    return options;
  }
}

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConnectorError(
      'CONNECTOR_BROKER_TLS',
      `Cannot read the ${what} ${file}: ${(error as Error).message}. Fix the path in broker settings or mount the file.`,
      { cause: error },
    );
  }
}

function readText(file: string, what: string): string {
  return readBytes(file, what).toString('utf8');
}

function describeError(error: Error, broker: BrokerConfig): Error {
  const code = (error as { code?: unknown }).code;
  const refused =
    typeof code === 'number' &&
    (broker.protocolVersion === 5 ? CREDENTIAL_REASON_CODES.has(code) : CREDENTIAL_RETURN_CODES_V4.has(code));
  if (refused) {
    const how =
      broker.serviceAccountTokenFile !== undefined
        ? `service-account token ${broker.serviceAccountTokenFile}`
        : broker.username !== undefined
          ? `username "${broker.username}"`
          : broker.tls?.cert !== undefined
            ? `client certificate ${broker.tls.cert}`
            : 'anonymous login';
    return new ConnectorError(
      'CONNECTOR_BROKER_AUTH',
      `The broker ${broker.url} refused the credentials (${how}): ${error.message} (reason code ${code}). ` +
        'Check broker.username/password(File), broker.tls or broker.serviceAccountTokenFile.',
      { cause: error },
    );
  }
  return new ConnectorError(
    'CONNECTOR_BROKER_UNREACHABLE',
    `Cannot connect to the broker ${broker.url}: ${error.message}`,
    { cause: error },
  );
}
