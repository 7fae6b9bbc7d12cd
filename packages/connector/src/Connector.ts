import path from 'node:path';
import { createLogger, OpsServer, type Logger } from '@fleetloop/core';
import type { DdsQosProfile, DiscoveryEvent, RosReader, RosTransport } from '@fleetloop/ros';
import { QOS_DEFAULT } from '@fleetloop/ros';
import type { Registry } from 'prom-client';
import { ForwardRoute, type RouteCounts } from './bridge/ForwardRoute.js';
import { PayloadPool } from './bridge/PayloadPool.js';
import type { MessageCodecs } from './bridge/MessageCodecs.js';
import { ReverseRoute } from './bridge/ReverseRoute.js';
import type { ConnectorConfig, RouteConfig } from './config/connectorConfig.js';
import { ConnectorMetrics } from './metrics/ConnectorMetrics.js';
import { MqttLink, type BrokerSession, type LinkTimers } from './mqtt/MqttLink.js';
import { StoreAndForwardQueue } from './queue/StoreAndForwardQueue.js';
import { definitionTopic, statusTopic } from './routes/topicTemplate.js';

/** Version written in the retained `status/connector` message. */
export const CONNECTOR_VERSION = '0.1.0';

/** Options for {@link Connector}. */
export interface ConnectorOptions {
  /** Validated configuration (see `connectorConfigSchema` and `loadConfig`). */
  readonly config: ConnectorConfig;
  /** ROS 2 transport the routes read from and the reverse routes write to. */
  readonly transport: RosTransport;
  /** Definitions and CDR ↔ object conversion: needed by JSON routes, reverse routes, `types/`. */
  readonly codecs?: MessageCodecs;
  readonly logger?: Logger;
  /** Metrics registry; connectors may share one (series carry a `robot` label). */
  readonly registry?: Registry;
  /** Serve `/healthz`, `/readyz`, `/metrics` on `config.ops` (default: `config.ops.enabled`). */
  readonly ops?: boolean;
  readonly rng?: () => number;
  readonly timers?: LinkTimers;
  readonly nowMs?: () => number;
  readonly nowNs?: () => bigint;
}

/** A snapshot of what the connector is doing, for status pages and tests. */
export interface ConnectorStatus {
  readonly connected: boolean;
  readonly lastError: string | undefined;
  /** ROS topics each route carries. */
  readonly routes: Readonly<Record<string, readonly string[]>>;
  /** Messages waiting in each QoS 1 route's queue. */
  readonly queued: Readonly<Record<string, number>>;
  /** Messages each route (forward and reverse) received, delivered and dropped, by reason. */
  readonly counts: Readonly<Record<string, Readonly<RouteCounts>>>;
}

/**
 * Carries chosen ROS 2 topics to an MQTT broker and commands back, for one robot. Routes follow
 * topics as they appear on the ROS network; QoS 1 routes survive broker outages and crashes through
 * their on-disk queues.
 *
 * @example
 * const config = await loadConfig({ schema: connectorConfigSchema, file: 'connector.yaml' });
 * const connector = new Connector({ config, transport: new InProcessTransport() });
 * await connector.start();
 * // ...
 * await connector.stop();
 */
/** Untaken samples a keep-all route reader holds before reliable writers wait. */
const KEEP_ALL_MAX_SAMPLES = 1000;

/** QoS of the DDS reader of a route (see `history` in the route configuration). */
function readerQos(route: RouteConfig | undefined): DdsQosProfile {
  const history = route?.history ?? 1000;
  return {
    ...QOS_DEFAULT,
    reliability: route?.reliability ?? 'reliable',
    ...(history === 'keep_all'
      ? { history: { kind: 'keep_all' }, maxSamples: KEEP_ALL_MAX_SAMPLES }
      : { history: { kind: 'keep_last', depth: history } }),
  };
}

export class Connector {
  readonly #options: ConnectorOptions;
  readonly #config: ConnectorConfig;
  readonly #logger: Logger;
  readonly #registry: Registry;
  readonly #metrics: ConnectorMetrics;
  readonly #forward: ForwardRoute[] = [];
  readonly #queues = new Map<string, StoreAndForwardQueue>();
  readonly #reverse: ReverseRoute[] = [];
  readonly #readers = new Map<string, { route: ForwardRoute; reader: RosReader }>();
  /** Buffers for large payloads of every route (see PayloadPool). */
  readonly #pool = new PayloadPool();
  readonly #knownTypes = new Set<string>();
  readonly #announcedTypes = new Set<string>();
  #link: MqttLink | undefined;
  #ops: OpsServer | undefined;
  #opsUrl: string | undefined;
  #unwatch: (() => void) | undefined;
  #started = false;

  constructor(options: ConnectorOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#logger =
      options.logger ??
      createLogger({ name: 'connector', ...options.config.log }).child({ robot: options.config.robot });
    this.#registry = options.registry ?? OpsServer.createRegistry();
    this.#metrics = new ConnectorMetrics(this.#registry, options.config.robot);
  }

  /** The metrics registry (shared or own). */
  get registry(): Registry {
    return this.#registry;
  }

  /** Base URL of the operations endpoint, once started with it enabled. */
  get opsUrl(): string | undefined {
    return this.#opsUrl;
  }

  /** Whether the broker connection is up. */
  get connected(): boolean {
    return this.#link?.connected ?? false;
  }

  /** Opens the queues, starts the ops endpoint, connects to the broker and follows ROS topics. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      await this.#start();
    } catch (error) {
      // A queue that cannot be opened or a taken ops port: release what was opened already.
      await this.stop({ drainTimeoutMs: 0 });
      throw error;
    }
  }

  async #start(): Promise<void> {
    const config = this.#config;
    const timers = this.#options.timers ?? {
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    };
    const queueDir = config.queue.dir ?? path.join(config.dataDir, 'connector', config.robot, 'queue');
    for (const route of config.reverse) {
      this.#reverse.push(
        new ReverseRoute({
          config: route,
          site: config.site,
          robot: config.robot,
          transport: this.#options.transport,
          ...(this.#options.codecs === undefined ? {} : { codecs: this.#options.codecs }),
          metrics: this.#metrics,
          logger: this.#logger,
        }),
      );
    }
    const link = new MqttLink({
      broker: config.broker,
      clientId: config.broker.clientId ?? `fleetloop-connector-${config.site}-${config.robot}`,
      will: { topic: this.#statusTopic, payload: JSON.stringify({ state: 'offline' }) },
      subscriptions: this.#reverse.map((r) => ({ topic: r.subscription, qos: r.qos })),
      logger: this.#logger,
      ...(this.#options.rng === undefined ? {} : { rng: this.#options.rng }),
      timers,
      onConnected: (session) => this.#onConnected(session),
      onDisconnected: () => this.#onDisconnected(),
      onMessage: (topic, payload, properties) => this.#onMessage(topic, payload, properties),
    });
    this.#link = link;
    for (const route of config.routes) {
      let queue: StoreAndForwardQueue | undefined;
      if (route.qos === 1) {
        queue = StoreAndForwardQueue.open({
          dir: path.join(queueDir, route.name),
          maxBytes: route.queueBytes ?? config.queue.maxBytes,
          overflow: route.overflow,
          segmentBytes: config.queue.segmentBytes,
          fsync: config.queue.fsync,
          fsyncIntervalMs: config.queue.fsyncIntervalMs,
        });
        this.#queues.set(route.name, queue);
        const { pendingRecords, truncatedBytes } = queue.recovery;
        if (pendingRecords > 0 || truncatedBytes > 0) {
          this.#logger.info(
            { route: route.name, pendingRecords, truncatedBytes },
            'store-and-forward queue recovered',
          );
        }
      }
      this.#forward.push(
        new ForwardRoute({
          config: route,
          site: config.site,
          robot: config.robot,
          link,
          ...(queue === undefined ? {} : { queue }),
          maxInflight: config.queue.maxInflight,
          metrics: this.#metrics,
          ...(this.#options.codecs === undefined ? {} : { codecs: this.#options.codecs }),
          logger: this.#logger,
          timers,
          nowMs: this.#options.nowMs ?? Date.now,
          nowNs: this.#options.nowNs ?? wallClockNs,
          loaned: true,
          pool: this.#pool,
        }),
      );
    }
    if (this.#options.ops ?? config.ops.enabled) {
      this.#ops = new OpsServer({
        registry: this.#registry,
        readiness: { broker: () => this.connected },
        routes: (app) => app.get('/status', () => this.status()),
      });
      this.#opsUrl = await this.#ops.listen(config.ops.port, config.ops.host);
    }
    this.#metrics.setConnected(false);
    link.start();
    this.#unwatch = this.#options.transport.watchDiscovery((event) => this.#onDiscovery(event));
    this.#logger.info(
      {
        broker: config.broker.url,
        routes: config.routes.length,
        reverse: config.reverse.length,
        ops: this.#opsUrl,
      },
      'connector started',
    );
  }

  /**
   * Stops following topics, waits up to `drainTimeoutMs` for queued and in-flight messages to be
   * acknowledged, publishes the retained `offline` status, disconnects and closes the queue files.
   */
  async stop(options: { readonly drainTimeoutMs?: number } = {}): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#unwatch?.();
    await Promise.all([...this.#readers.values()].map(({ reader }) => reader.close()));
    this.#readers.clear();
    const drainTimeoutMs = options.drainTimeoutMs ?? 5_000;
    if (this.connected) await Promise.all(this.#forward.map((route) => route.drained(drainTimeoutMs)));
    for (const route of this.#forward) route.close();
    await Promise.all(this.#reverse.map((route) => route.close()));
    await this.#link?.stop({ topic: this.#statusTopic, payload: JSON.stringify({ state: 'offline' }) });
    for (const queue of this.#queues.values()) queue.close();
    this.#queues.clear();
    this.#forward.length = 0;
    this.#reverse.length = 0;
    await this.#ops?.close();
    this.#ops = undefined;
    this.#logger.info('connector stopped');
  }

  /** What the connector is doing now. */
  status(): ConnectorStatus {
    const routes: Record<string, string[]> = {};
    for (const [topic, { route }] of this.#readers) (routes[route.name] ??= []).push(topic);
    const queued: Record<string, number> = {};
    for (const [name, queue] of this.#queues) queued[name] = queue.pendingMessages;
    const counts: Record<string, RouteCounts> = {};
    for (const route of [...this.#forward, ...this.#reverse]) {
      counts[route.name] = { ...route.counts, dropped: { ...route.counts.dropped } };
    }
    return { connected: this.connected, lastError: this.#link?.lastError?.message, routes, queued, counts };
  }

  get #statusTopic(): string {
    return statusTopic(this.#config.site, this.#config.robot, 'connector');
  }

  #onDiscovery(event: DiscoveryEvent): void {
    if (event.kind !== 'endpoint-added' || event.endpoint.kind !== 'writer') return;
    const { topic, type } = event.endpoint;
    if (this.#readers.has(topic)) return;
    if (this.#reverse.some((r) => r.rosTopics.has(topic))) return;
    const route = this.#forward.find((r) => r.matches(topic, type));
    if (route === undefined) return;
    const config = this.#config.routes.find((r) => r.name === route.name);
    const reader = this.#options.transport.createReader(
      topic,
      type,
      readerQos(config),
      (sample) => route.accept(sample),
      // the route copies what it keeps; large images then cost a copy instead of a full GC
      { loan: true },
    );
    this.#readers.set(topic, { route, reader });
    this.#logger.info({ topic, type, route: route.name }, 'following topic');
    this.#announceType(type);
  }

  #onConnected(session: BrokerSession): void {
    this.#metrics.setConnected(true);
    this.#announcedTypes.clear();
    const link = this.#link;
    link?.publish(
      this.#statusTopic,
      Buffer.from(JSON.stringify({ state: 'online', version: CONNECTOR_VERSION, robot: this.#config.robot })),
      { qos: 1, retain: true },
      () => undefined,
    );
    for (const type of this.#knownTypes) this.#announceType(type);
    for (const route of this.#forward) route.connected(session);
  }

  #onDisconnected(): void {
    this.#metrics.setConnected(false);
    for (const route of this.#forward) route.disconnected();
  }

  #onMessage(topic: string, payload: Buffer, properties: Readonly<Record<string, string>>): void {
    for (const route of this.#reverse) {
      if (route.rosTopicOf(topic) !== undefined) {
        route.handle(topic, payload, properties);
        return;
      }
    }
  }

  /** Publishes a type's definition (retained) once per connection. */
  #announceType(type: string): void {
    this.#knownTypes.add(type);
    const link = this.#link;
    if (link === undefined || !link.connected || this.#announcedTypes.has(type)) return;
    const text = this.#options.codecs?.definitionText(type);
    if (text === undefined) return;
    this.#announcedTypes.add(type);
    link.publish(
      definitionTopic(this.#config.site, this.#config.robot, type),
      Buffer.from(text),
      { qos: 1, retain: true },
      (outcome) => {
        if (outcome !== undefined) this.#announcedTypes.delete(type);
      },
    );
  }
}

function wallClockNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}
