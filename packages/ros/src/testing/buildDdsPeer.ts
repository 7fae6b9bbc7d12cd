import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';

/** What {@link buildDdsPeer} compiles: one IDL file and one C source that includes its header. */
export interface DdsPeerSources {
  /** Executable name; also names the cache directory in os.tmpdir(). */
  readonly name: string;
  /** Absolute path of the IDL file; idlc generates `<its base name>.c/.h`. */
  readonly idl: string;
  /** Absolute path of the C program. */
  readonly source: string;
  /** Flags passed to `cc` before the sources (e.g. `-DDDS_NDEBUG`). Default: none. */
  readonly extraCFlags?: readonly string[];
}

/**
 * Compiles a C Cyclone DDS peer (`idlc` on the IDL file, then `cc … -lddsc`) once per content
 * hash of the sources and flags into os.tmpdir(), and returns the executable's path.
 */
export function buildDdsPeer(sources: DdsPeerSources): string {
  const { name, idl, source } = sources;
  const cflags = ['-O2', ...(sources.extraCFlags ?? [])];
  const hash = createHash('sha256');
  for (const f of [idl, source]) hash.update(readFileSync(f));
  hash.update(cflags.join('\0'));
  const dir = join(tmpdir(), `fleetloop-${name}-${hash.digest('hex').slice(0, 16)}`);
  const exe = join(dir, name);
  if (existsSync(exe)) return exe;
  const work = mkdtempSync(join(tmpdir(), `fleetloop-${name}-build-`));
  try {
    run('idlc', ['-o', work, idl]);
    const built = join(work, name);
    run('cc', [...cflags, `-I${work}`, '-o', built, source, join(work, `${parse(idl).name}.c`), '-lddsc']);
    mkdirSync(dir, { recursive: true });
    // rename is atomic: test files building in parallel never see a half-written executable
    renameSync(built, exe);
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
