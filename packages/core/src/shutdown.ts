import type { Logger } from 'pino';

/** A step run on shutdown: close a server, drain a queue, flush a file. */
export type ShutdownStep = () => Promise<void> | void;

/** Options for {@link ShutdownController}. */
export interface ShutdownOptions {
  readonly logger?: Logger;
  /** Longest time the steps may take together before the process exits anyway. */
  readonly timeoutMs?: number;
  /** Process to attach to; injected in tests. */
  readonly process?: Pick<NodeJS.Process, 'once' | 'off' | 'exit'>;
}

/**
 * Runs registered shutdown steps in reverse order of registration on SIGINT or SIGTERM (or on
 * {@link ShutdownController.shutdown}), once, with a deadline. A second signal exits at once.
 */
export class ShutdownController {
  readonly #steps: { name: string; step: ShutdownStep }[] = [];
  readonly #options: ShutdownOptions;
  readonly #signalled: Promise<NodeJS.Signals | 'requested'>;
  #resolveSignalled!: (signal: NodeJS.Signals | 'requested') => void;
  #running: Promise<void> | undefined;
  #handlers: { signal: NodeJS.Signals; handler: () => void }[] = [];

  constructor(options: ShutdownOptions = {}) {
    this.#options = options;
    this.#signalled = new Promise((resolve) => {
      this.#resolveSignalled = resolve;
    });
  }

  /** Registers a step; steps run last-registered first, like nested `finally` blocks. */
  add(name: string, step: ShutdownStep): void {
    this.#steps.push({ name, step });
  }

  /** Resolves when a signal (or {@link shutdown}) asked the process to stop. */
  get requested(): Promise<NodeJS.Signals | 'requested'> {
    return this.#signalled;
  }

  /** Starts listening for SIGINT and SIGTERM. */
  listen(): this {
    const proc = this.#options.process ?? process;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => {
        if (this.#running !== undefined) {
          this.#options.logger?.warn({ signal }, 'second signal during shutdown: exiting now');
          proc.exit(130);
          return;
        }
        this.#options.logger?.info({ signal }, 'shutting down');
        this.#resolveSignalled(signal);
        void this.shutdown();
        // Stay subscribed so a second signal takes the fast path above.
        proc.once(signal, handler);
      };
      proc.once(signal, handler);
      this.#handlers.push({ signal, handler });
    }
    return this;
  }

  /** Runs every step once; later calls return the same promise. Never rejects. */
  shutdown(): Promise<void> {
    this.#resolveSignalled('requested');
    this.#running ??= this.#run();
    return this.#running;
  }

  async #run(): Promise<void> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const steps = (async () => {
      for (const { name, step } of [...this.#steps].reverse()) {
        try {
          await step();
        } catch (error) {
          this.#options.logger?.error({ err: error, step: name }, 'shutdown step failed');
        }
      }
    })();
    const outcome = await Promise.race([steps.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#options.logger?.error({ timeoutMs }, 'shutdown steps did not finish in time');
    }
    const proc = this.#options.process ?? process;
    for (const { signal, handler } of this.#handlers) proc.off(signal, handler);
  }
}
