import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/dds/', import.meta.url));
const SOURCES = ['ros2_types.idl', 'ros_peer.c'];

/**
 * Compiles the C peer (test/fixtures/dds/ros_peer.c with idlc-generated ROS 2 types) once per
 * content hash into os.tmpdir(), and returns the executable's path.
 */
export function buildCPeer(): string {
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(readFileSync(join(FIXTURES, f)));
  const dir = join(tmpdir(), `fleetloop-dds-peer-${hash.digest('hex').slice(0, 16)}`);
  const exe = join(dir, 'ros_peer');
  if (existsSync(exe)) return exe;
  const work = mkdtempSync(join(tmpdir(), 'fleetloop-dds-peer-build-'));
  try {
    run('idlc', ['-o', work, join(FIXTURES, 'ros2_types.idl')]);
    run('cc', [
      '-O2',
      '-DDDS_NDEBUG',
      `-I${work}`,
      '-o',
      join(work, 'ros_peer'),
      join(FIXTURES, 'ros_peer.c'),
      join(work, 'ros2_types.c'),
      '-lddsc',
    ]);
    mkdirSync(dir, { recursive: true });
    // rename is atomic: test files building in parallel never see a half-written executable
    renameSync(join(work, 'ros_peer'), exe);
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

/** A running C peer: its stdout lines as they come, and its exit. */
export class CPeerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number>;
  readonly #child: ChildProcess;
  #stderr = '';
  #waiters: { match: RegExp; resolve: (line: string) => void }[] = [];

  constructor(exe: string, args: string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(exe, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

  /** Resolves with the exit code; rejects with stderr when it is not 0. */
  async success(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`C peer exited with ${code}: ${this.#stderr}`);
  }

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

/** Reads a dump written by the C peer: per sample a u32 (little-endian) length, then the CDR bytes. */
export function readDump(path: string): Uint8Array[] {
  const buf = readFileSync(path);
  const out: Uint8Array[] = [];
  for (let off = 0; off < buf.length;) {
    const len = buf.readUInt32LE(off);
    out.push(new Uint8Array(buf.subarray(off + 4, off + 4 + len)));
    off += 4 + len;
  }
  return out;
}
