import Fastify, { type FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';

/** A readiness check: resolves to `true` when the service can do its work. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** Options for {@link OpsServer}. */
export interface OpsServerOptions {
  /** Metrics registry to expose; a new one with Node process metrics is made if absent. */
  readonly registry?: Registry;
  /** Named readiness checks; `/readyz` is 200 only when all pass. */
  readonly readiness?: Record<string, ReadinessCheck>;
  /** Extra routes (e.g. `/status`) added by the service. */
  readonly routes?: (app: FastifyInstance) => void;
}

/**
 * The operations endpoint every long-running service exposes: `/healthz` (the process is alive),
 * `/readyz` (every readiness check passes) and `/metrics` (Prometheus text format).
 */
export class OpsServer {
  readonly registry: Registry;
  readonly #app: FastifyInstance;
  readonly #readiness: Record<string, ReadinessCheck>;

  constructor(options: OpsServerOptions = {}) {
    this.registry = options.registry ?? OpsServer.createRegistry();
    this.#readiness = options.readiness ?? {};
    this.#app = Fastify({ logger: false });
    this.#app.get('/healthz', () => ({ status: 'ok' }));
    this.#app.get('/readyz', async (_request, reply) => {
      const checks: Record<string, boolean> = {};
      for (const [name, check] of Object.entries(this.#readiness)) {
        try {
          checks[name] = await check();
        } catch {
          checks[name] = false;
        }
      }
      const ready = Object.values(checks).every(Boolean);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    });
    this.#app.get('/metrics', async (_request, reply) => {
      const text = await this.registry.metrics();
      return reply.type(this.registry.contentType).send(text);
    });
    options.routes?.(this.#app);
  }

  /** A registry with the default Node process metrics. */
  static createRegistry(): Registry {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return registry;
  }

  /** Listens on `host:port` (port 0 picks a free one); resolves to the bound URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    return this.#app.listen({ port, host });
  }

  async close(): Promise<void> {
    await this.#app.close();
  }
}
