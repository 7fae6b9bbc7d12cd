import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/dds/', import.meta.url));
const SOURCES = ['sim_twist.idl', 'sim_peer.c'];

/**
 * Compiles the C peer (fixtures/dds/sim_peer.c with the idlc-generated Twist type) once per
 * content hash into the temp directory and returns the executable's path.
 */
export function buildSimPeer(): string {
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(readFileSync(join(FIXTURES, f)));
  const dir = join(tmpdir(), `fleetloop-sim-peer-${hash.digest('hex').slice(0, 16)}`);
  const exe = join(dir, 'sim_peer');
  if (existsSync(exe)) return exe;
  const work = mkdtempSync(join(tmpdir(), 'fleetloop-sim-peer-build-'));
  try {
    run('idlc', ['-o', work, join(FIXTURES, 'sim_twist.idl')]);
    run('cc', [
      '-O2',
      `-I${work}`,
      '-o',
      join(work, 'sim_peer'),
      join(FIXTURES, 'sim_peer.c'),
      join(work, 'sim_twist.c'),
      '-lddsc',
    ]);
    mkdirSync(dir, { recursive: true });
    // rename is atomic: a parallel build never leaves a half-written executable behind
    renameSync(join(work, 'sim_peer'), exe);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return exe;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.error?.message ?? ''}${r.stderr}`,
    );
  }
}

/** A running C peer: its stdout lines, and its exit. */
export class SimPeerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number>;
  readonly #child: ChildProcess;
  #stderr = '';

  constructor(exe: string, args: readonly (string | number)[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(exe, args.map(String), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      this.#child.on('exit', (code, signal) => resolve(code ?? (signal === null ? -1 : 128)));
    });
  }

  /** Resolves when the peer exits 0; rejects with its exit code and stderr otherwise. */
  async success(): Promise<void> {
    const code = await this.exited;
    if (code !== 0)
      throw new Error(`C peer exited with ${code}: ${this.#stderr}\nstdout: ${this.lines.join('\n')}`);
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}
