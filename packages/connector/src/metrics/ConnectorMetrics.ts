import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Why a message did not reach the broker. */
export type DropReason =
  | 'rate-limit'
  | 'too-large'
  | 'offline'
  | 'congested'
  | 'queue-full'
  | 'queue-overflow'
  | 'encode-failed'
  | 'rejected'
  | 'unknown-type'
  | 'not-allowed';

type Direction = 'ros-to-mqtt' | 'mqtt-to-ros';

/** Message counts not yet handed to prom-client, for one label set. */
interface PendingCount {
  readonly labels: { robot: string; route: string; direction: Direction };
  n: number;
}

/** Pending counts by direction, then by route (no key string to build per message). */
type PendingCounts = Record<Direction, Map<string, PendingCount>>;

function pendingCounts(): PendingCounts {
  return { 'ros-to-mqtt': new Map(), 'mqtt-to-ros': new Map() };
}

/** The connectors sharing a registry: whichever of them is scraped hands over all their counts. */
const connectorsOf = new WeakMap<Registry, Set<ConnectorMetrics>>();

/**
 * The connector's Prometheus metrics. Several connectors may share one registry (`fleetloop up`
 * runs one per simulated robot), so each metric is looked up before it is created and every
 * series carries the `robot` label.
 */
export class ConnectorMetrics {
  readonly #robot: string;
  /**
   * Messages in and out are counted in plain numbers and handed to prom-client when the registry
   * is read (the counters' `collect`): at tens of thousands of messages a second, prom-client's
   * per-call label hashing was a few per cent of the connector's CPU.
   */
  readonly #pendingIn = pendingCounts();
  readonly #pendingOut = pendingCounts();
  readonly messagesIn: Counter<'robot' | 'route' | 'direction'>;
  readonly messagesOut: Counter<'robot' | 'route' | 'direction'>;
  readonly messagesDropped: Counter<'robot' | 'route' | 'reason'>;
  readonly queueBytes: Gauge<'robot' | 'route'>;
  readonly queueMessages: Gauge<'robot' | 'route'>;
  readonly latency: Histogram<'robot' | 'route'>;
  readonly connected: Gauge<'robot'>;

  constructor(registry: Registry, robot: string) {
    this.#robot = robot;
    let connectors = connectorsOf.get(registry);
    if (connectors === undefined) {
      connectors = new Set();
      connectorsOf.set(registry, connectors);
    }
    connectors.add(this);
    const handOver = (): void => {
      for (const connector of connectorsOf.get(registry) ?? []) connector.flush();
    };
    this.messagesIn = getOrCreate(
      registry,
      'fleetloop_connector_messages_in_total',
      () =>
        new Counter({
          name: 'fleetloop_connector_messages_in_total',
          help: 'Messages received per route (direction ros-to-mqtt from ROS, mqtt-to-ros from MQTT).',
          labelNames: ['robot', 'route', 'direction'] as const,
          registers: [registry],
          collect: handOver,
        }),
    );
    this.messagesOut = getOrCreate(
      registry,
      'fleetloop_connector_messages_out_total',
      () =>
        new Counter({
          name: 'fleetloop_connector_messages_out_total',
          help: 'Messages delivered per route (acknowledged by the broker for QoS 1, written to ROS for commands).',
          labelNames: ['robot', 'route', 'direction'] as const,
          registers: [registry],
          collect: handOver,
        }),
    );
    this.messagesDropped = getOrCreate(
      registry,
      'fleetloop_connector_messages_dropped_total',
      () =>
        new Counter({
          name: 'fleetloop_connector_messages_dropped_total',
          help: 'Messages dropped per route and reason.',
          labelNames: ['robot', 'route', 'reason'] as const,
          registers: [registry],
        }),
    );
    this.queueBytes = getOrCreate(
      registry,
      'fleetloop_connector_queue_bytes',
      () =>
        new Gauge({
          name: 'fleetloop_connector_queue_bytes',
          help: 'Bytes on disk of store-and-forward messages not yet acknowledged by the broker.',
          labelNames: ['robot', 'route'] as const,
          registers: [registry],
        }),
    );
    this.queueMessages = getOrCreate(
      registry,
      'fleetloop_connector_queue_messages',
      () =>
        new Gauge({
          name: 'fleetloop_connector_queue_messages',
          help: 'Store-and-forward messages not yet acknowledged by the broker.',
          labelNames: ['robot', 'route'] as const,
          registers: [registry],
        }),
    );
    this.latency = getOrCreate(
      registry,
      'fleetloop_connector_latency_seconds',
      () =>
        new Histogram({
          name: 'fleetloop_connector_latency_seconds',
          help: 'From the ROS source timestamp to delivery to the broker (PUBACK for QoS 1).',
          labelNames: ['robot', 'route'] as const,
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers: [registry],
        }),
    );
    this.connected = getOrCreate(
      registry,
      'fleetloop_connector_broker_connected',
      () =>
        new Gauge({
          name: 'fleetloop_connector_broker_connected',
          help: '1 while connected to the MQTT broker.',
          labelNames: ['robot'] as const,
          registers: [registry],
        }),
    );
  }

  received(route: string, direction: Direction): void {
    this.#count(this.#pendingIn, route, direction);
  }

  delivered(route: string, direction: Direction, latencySeconds?: number): void {
    this.#count(this.#pendingOut, route, direction);
    if (latencySeconds !== undefined) this.latency.observe({ robot: this.#robot, route }, latencySeconds);
  }

  dropped(route: string, reason: DropReason, count = 1): void {
    this.messagesDropped.inc({ robot: this.#robot, route, reason }, count);
  }

  queue(route: string, messages: number, bytes: number): void {
    this.queueMessages.set({ robot: this.#robot, route }, messages);
    this.queueBytes.set({ robot: this.#robot, route }, bytes);
  }

  setConnected(connected: boolean): void {
    this.connected.set({ robot: this.#robot }, connected ? 1 : 0);
  }

  /** Hands the counts since the last call to the Prometheus counters (done when they are read). */
  flush(): void {
    for (const [pending, counter] of [
      [this.#pendingIn, this.messagesIn],
      [this.#pendingOut, this.messagesOut],
    ] as const) {
      for (const byRoute of Object.values(pending)) {
        for (const entry of byRoute.values()) {
          if (entry.n === 0) continue;
          counter.inc(entry.labels, entry.n);
          entry.n = 0;
        }
      }
    }
  }

  #count(pending: PendingCounts, route: string, direction: Direction): void {
    const byRoute = pending[direction];
    const entry = byRoute.get(route);
    if (entry !== undefined) entry.n += 1;
    else byRoute.set(route, { labels: { robot: this.#robot, route, direction }, n: 1 });
  }
}

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
