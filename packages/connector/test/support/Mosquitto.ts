import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Extra configuration lines and files for a test broker. */
export interface MosquittoOptions {
  /** Lines added to the listener section (TLS files, password file, ...). */
  readonly lines?: readonly string[];
  readonly allowAnonymous?: boolean;
  /** Scheme of the URL handed to clients. */
  readonly scheme?: 'mqtt' | 'mqtts';
  /** Keep sessions and queued messages across a restart (saved on SIGTERM). */
  readonly persistence?: boolean;
  /** Port to listen on; a free one when omitted. */
  readonly port?: number;
}

/** Finds a free loopback TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real Mosquitto broker on a loopback port, started and stopped by the test. */
export class Mosquitto {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'fleetloop-mosquitto-'));
  readonly #options: MosquittoOptions;
  #port = 0;
  #child: ChildProcess | undefined;
  #log = '';

  constructor(options: MosquittoOptions = {}) {
    this.#options = options;
    this.#port = options.port ?? 0;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `${this.#options.scheme ?? 'mqtt'}://127.0.0.1:${this.#port}`;
  }

  /** Starts the broker (on the same port as before when restarted). */
  async start(): Promise<void> {
    if (this.#port === 0) this.#port = await freePort();
    const conf = path.join(this.dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        'per_listener_settings false',
        // Started as root, mosquitto would switch to the `mosquitto` user, which cannot read the
        // test's private temporary directory.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        ...(this.#options.persistence === true
          ? [
              'persistence true',
              `persistence_location ${this.dir}/`,
              'max_queued_messages 0',
              'max_inflight_messages 0',
            ]
          : ['persistence false']),
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        `allow_anonymous ${this.#options.allowAnonymous ?? true}`,
        `listener ${this.#port} 127.0.0.1`,
        ...(this.#options.lines ?? []),
        '',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => {
      this.#log += chunk.toString();
    });
    this.#child = child;
    await this.#waitListening(child);
  }

  /** Stops the broker and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  async #waitListening(child: ChildProcess): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${this.#log}`);
      const ok = await new Promise<boolean>((resolve) => {
        const socket = createConnection({ port: this.#port, host: '127.0.0.1' });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`mosquitto did not listen on ${this.#port}: ${this.#log}`);
  }
}
