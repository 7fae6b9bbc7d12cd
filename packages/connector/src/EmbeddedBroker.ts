import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';

/**
 * An in-process MQTT broker (aedes) on a loopback port, for `fleetloop up` and tests. aedes speaks
 * MQTT 3.1.1, so connectors pointed at it use `broker.protocolVersion: 4`: payloads and topics are
 * the same, the v5 user properties (`ros-type`, `encoding`, `seq`, `stamp-ns`) are not carried.
 */
export class EmbeddedBroker {
  readonly #host: string;
  readonly #requestedPort: number;
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #port: number | undefined;

  constructor(options: { readonly port?: number; readonly host?: string } = {}) {
    this.#host = options.host ?? '127.0.0.1';
    this.#requestedPort = options.port ?? 0;
  }

  /** The bound port (a free one when started with port 0). */
  get port(): number {
    if (this.#port === undefined) throw new Error('EmbeddedBroker is not started');
    return this.#port;
  }

  /** `mqtt://host:port` of the running broker. */
  get url(): string {
    return `mqtt://${this.#host}:${this.port}`;
  }

  /** Starts the broker; resolves to its URL. */
  async start(): Promise<string> {
    const aedes = await Aedes.createBroker();
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#requestedPort, this.#host, () => resolve());
    });
    this.#aedes = aedes;
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** Closes every client connection and the listening socket. */
  async stop(): Promise<void> {
    const aedes = this.#aedes;
    const server = this.#server;
    this.#aedes = undefined;
    this.#server = undefined;
    if (aedes !== undefined) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
