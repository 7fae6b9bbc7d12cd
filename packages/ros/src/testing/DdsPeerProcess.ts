import { spawn, type ChildProcess } from 'node:child_process';

/** A running peer process (a C DDS program, or node): its stdout lines as they come, and its exit. */
export class DdsPeerProcess {
  readonly lines: string[] = [];
  /** The exit code; 128 when killed by a signal. Rejects if the process could not be spawned. */
  readonly exited: Promise<number>;
  readonly #child: ChildProcess;
  #stderr = '';
  #waiters: { match: RegExp; resolve: (line: string) => void }[] = [];

  constructor(exe: string, args: readonly (string | number)[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(exe, args.map(String), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.#line(line);
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.exited = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      this.#child.on('exit', (code, signal) => resolve(code ?? (signal === null ? -1 : 128)));
    });
  }

  /** Resolves with the first stdout line matching `match` (already printed or still to come). */
  waitForLine(match: RegExp): Promise<string> {
    const seen = this.lines.find((l) => match.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ match, resolve });
      this.exited.then(
        (code) =>
          reject(new Error(`C peer exited (${code}) before printing ${match}; stderr: ${this.#stderr}`)),
        reject,
      );
    });
  }

  /** Resolves when the peer exits 0; rejects with its exit code, stderr and stdout otherwise. */
  async success(): Promise<void> {
    const code = await this.exited;
    if (code !== 0)
      throw new Error(`C peer exited with ${code}: ${this.#stderr}\nstdout: ${this.lines.join('\n')}`);
  }

  /** SIGKILLs the process unless it has already exited. */
  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }

  #line(line: string): void {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }
}
