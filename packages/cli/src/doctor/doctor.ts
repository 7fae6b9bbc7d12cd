import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import path from 'node:path';

/** Outcome of one check. */
export type CheckStatus = 'ok' | 'warn' | 'missing';

/** One line of the doctor's table. */
export interface DoctorResult {
  readonly name: string;
  readonly required: boolean;
  readonly status: CheckStatus;
  /** What was found (a version, a path, a size) or why it is a problem. */
  readonly detail: string;
  /** The command that fixes it, when it is not ok. */
  readonly fix?: string;
  /** What in fleetloop needs it. */
  readonly usedBy: string;
}

/** A check of one thing fleetloop uses. */
export interface DoctorCheck {
  readonly name: string;
  readonly required: boolean;
  readonly usedBy: string;
  run(system: SystemProbe): Promise<Omit<DoctorResult, 'name' | 'required' | 'usedBy'>>;
}

/** What the checks may look at; injected so the checks are testable on any machine. */
export interface SystemProbe {
  /** Runs a program; resolves to its output, or `undefined` when it cannot be started or fails. */
  run(file: string, args: readonly string[]): Promise<string | undefined>;
  exists(file: string): boolean;
  listDir(dir: string): Promise<string[]>;
  freeBytes(dir: string): Promise<number>;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeVersion: string;
}

/** The probe of the machine this process runs on. */
export const localSystem: SystemProbe = {
  run: (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { timeout: 10_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
        // Some tools (mosquitto -h) print their version and exit non-zero: a program that ran and
        // printed something counts; one that could not start does not.
        const output = `${stdout}${stderr}`;
        resolve(
          error === null || (typeof error.code === 'number' && output.trim() !== '') ? output : undefined,
        );
      });
    }),
  exists: (file) => existsSync(file),
  listDir: async (dir) => readdir(dir).catch(() => []),
  freeBytes: async (dir) => {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  },
  env: process.env,
  nodeVersion: process.versions.node,
};

const APT = 'apt-get install -y';
const MIN_NODE = [20, 11] as const;
const GIB = 1024 ** 3;

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** Every check the doctor runs, in the order it prints them. */
export function systemChecks(dataDir: string): DoctorCheck[] {
  return [
    {
      name: 'Node.js',
      required: true,
      usedBy: 'everything',
      run: (system) => {
        const [major = 0, minor = 0] = system.nodeVersion.split('.').map(Number);
        const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
        return Promise.resolve(
          ok
            ? { status: 'ok', detail: `v${system.nodeVersion}` }
            : {
                status: 'missing',
                detail: `v${system.nodeVersion}; need >= ${MIN_NODE.join('.')}`,
                fix: `${APT} nodejs (Node 20 LTS or newer)`,
              },
        );
      },
    },
    {
      name: 'Cyclone DDS (libddsc)',
      required: true,
      usedBy: 'ros DDS transport, connector, runtime, simulated robots',
      run: async (system) => {
        const libs = await system.run('ldconfig', ['-p']);
        const found = libs?.split('\n').find((l) => l.includes('libddsc.so'));
        const headers = system.exists('/usr/include/dds/dds.h');
        if (found === undefined || !headers) {
          return {
            status: 'missing',
            detail:
              found === undefined
                ? 'libddsc not found by ldconfig'
                : 'headers /usr/include/dds/dds.h missing',
            fix: `${APT} cyclonedds-dev cyclonedds-tools`,
          };
        }
        const version = await system.run('dpkg-query', ['-W', '-f=${Version}', 'cyclonedds-dev']);
        return {
          status: 'ok',
          detail: `${version?.trim() ?? 'version unknown'} (${found.split('=>').pop()?.trim() ?? ''})`,
        };
      },
    },
    {
      name: 'Cyclone DDS tools (idlc, ddsperf)',
      required: false,
      usedBy: 'interop tests and DDS benchmark',
      run: async (system) => {
        const idlc = await system.run('idlc', ['-v']);
        return idlc === undefined
          ? { status: 'missing', detail: 'idlc not found', fix: `${APT} cyclonedds-tools` }
          : { status: 'ok', detail: firstLine(idlc) };
      },
    },
    {
      name: 'C compiler',
      required: true,
      usedBy: 'building the DDS addon at install',
      run: async (system) => {
        const cc = await system.run('cc', ['--version']);
        return cc === undefined
          ? { status: 'missing', detail: 'cc not found', fix: `${APT} build-essential` }
          : { status: 'ok', detail: firstLine(cc) };
      },
    },
    {
      name: 'ffmpeg with libx264',
      required: true,
      usedBy: 'recorder (MP4 segments), datasets (LeRobot videos)',
      run: async (system) => {
        const version = await system.run('ffmpeg', ['-hide_banner', '-version']);
        if (version === undefined)
          return { status: 'missing', detail: 'ffmpeg not found', fix: `${APT} ffmpeg` };
        const encoders = (await system.run('ffmpeg', ['-hide_banner', '-encoders'])) ?? '';
        return encoders.includes('libx264')
          ? { status: 'ok', detail: firstLine(version) }
          : {
              status: 'missing',
              detail: `${firstLine(version)} without libx264`,
              fix: `${APT} ffmpeg libavcodec-extra`,
            };
      },
    },
    {
      name: 'Mosquitto',
      required: false,
      usedBy: 'broker for production-like runs and connector tests',
      run: async (system) => {
        const out = await system.run('mosquitto', ['-h']);
        const line = out?.split('\n').find((l) => /mosquitto version/i.test(l));
        return line === undefined
          ? { status: 'missing', detail: 'mosquitto not found', fix: `${APT} mosquitto mosquitto-clients` }
          : { status: 'ok', detail: line.trim() };
      },
    },
    {
      name: 'OCI registry (docker-registry)',
      required: false,
      usedBy: 'registry OCI push/pull tests',
      run: async (system) => {
        const out = await system.run('docker-registry', ['--version']);
        return out === undefined
          ? { status: 'missing', detail: 'docker-registry not found', fix: `${APT} docker-registry` }
          : { status: 'ok', detail: firstLine(out) };
      },
    },
    {
      name: 'PostgreSQL server',
      required: false,
      usedBy: 'registry and server metadata on PostgreSQL (tests)',
      run: async (system) => {
        const versions = (await system.listDir('/usr/lib/postgresql')).sort();
        const newest = versions.at(-1);
        const binary =
          newest === undefined ? undefined : path.join('/usr/lib/postgresql', newest, 'bin', 'postgres');
        if (binary === undefined || !system.exists(binary)) {
          return { status: 'missing', detail: 'postgres server binary not found', fix: `${APT} postgresql` };
        }
        const out = await system.run(binary, ['--version']);
        return { status: 'ok', detail: firstLine(out ?? binary) };
      },
    },
    {
      name: 'Chromium',
      required: false,
      usedBy: 'web console end-to-end tests',
      run: async (system) => {
        const out = await system.run('chromium', ['--version']);
        return out === undefined
          ? { status: 'missing', detail: 'chromium not found', fix: `${APT} chromium` }
          : { status: 'ok', detail: firstLine(out) };
      },
    },
    {
      name: 'Free disk',
      required: true,
      usedBy: 'store-and-forward queues, lake, recordings',
      run: async (system) => {
        let dir = path.resolve(dataDir);
        while (!system.exists(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
        const free = await system.freeBytes(dir);
        const detail = `${(free / GIB).toFixed(1)} GiB free at ${dir}`;
        if (free < 1 * GIB)
          return { status: 'missing', detail, fix: `free disk space under ${dir} (need >= 1 GiB)` };
        if (free < 10 * GIB)
          return { status: 'warn', detail: `${detail} (below 10 GiB)`, fix: `free disk space under ${dir}` };
        return { status: 'ok', detail };
      },
    },
    {
      name: 'ROS_DOMAIN_ID',
      required: true,
      usedBy: 'DDS domain of every ROS 2 participant',
      run: (system) => {
        const raw = system.env.ROS_DOMAIN_ID;
        if (raw === undefined || raw === '')
          return Promise.resolve({ status: 'ok', detail: 'unset (domain 0)' });
        const id = Number(raw);
        if (!/^\d+$/.test(raw) || id > 232) {
          return Promise.resolve({
            status: 'missing',
            detail: `"${raw}" is not a domain id (an integer 0-232)`,
            fix: 'export ROS_DOMAIN_ID=<0-101>',
          });
        }
        return Promise.resolve(
          id > 101
            ? {
                status: 'warn',
                detail: `${id}: above 101 may collide with ephemeral ports on Linux`,
                fix: 'export ROS_DOMAIN_ID=<0-101>',
              }
            : { status: 'ok', detail: String(id) },
        );
      },
    },
    {
      name: 'ROS_LOCALHOST_ONLY',
      required: true,
      usedBy: 'DDS network interface selection',
      run: (system) => {
        const raw = system.env.ROS_LOCALHOST_ONLY;
        if (raw === undefined || raw === '' || raw === '0' || raw === '1') {
          return Promise.resolve({ status: 'ok', detail: raw === '1' ? '1 (loopback only)' : 'off' });
        }
        return Promise.resolve({
          status: 'missing',
          detail: `"${raw}" is neither 0 nor 1`,
          fix: 'export ROS_LOCALHOST_ONLY=1 (or 0)',
        });
      },
    },
    {
      name: 'CYCLONEDDS_URI',
      required: true,
      usedBy: 'Cyclone DDS configuration',
      run: (system) => Promise.resolve(checkCycloneUri(system)),
    },
  ];
}

function checkCycloneUri(system: SystemProbe): Omit<DoctorResult, 'name' | 'required' | 'usedBy'> {
  const raw = system.env.CYCLONEDDS_URI?.trim();
  if (raw === undefined || raw === '') return { status: 'ok', detail: 'unset (Cyclone defaults)' };
  const problems: string[] = [];
  // Cyclone accepts a comma-separated list of file URIs, plain paths and inline XML fragments.
  for (const part of raw
    .split(/,(?![^<]*>)/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (part.startsWith('<')) {
      const opens = (part.match(/<[A-Za-z]/g) ?? []).length;
      const closes = (part.match(/<\/|\/>/g) ?? []).length;
      if (opens !== closes) problems.push(`inline XML has ${opens} opening and ${closes} closing tags`);
      continue;
    }
    const file = part.startsWith('file://') ? part.slice('file://'.length) : part;
    if (!system.exists(file)) problems.push(`file ${file} does not exist`);
  }
  return problems.length === 0
    ? { status: 'ok', detail: raw.length > 60 ? `${raw.slice(0, 57)}...` : raw }
    : { status: 'missing', detail: problems.join('; '), fix: 'fix or unset CYCLONEDDS_URI' };
}

/** Runs every check; checks run concurrently but results keep the table's order. */
export async function runDoctor(
  checks: readonly DoctorCheck[],
  system: SystemProbe = localSystem,
): Promise<DoctorResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      try {
        const result = await check.run(system);
        return { name: check.name, required: check.required, usedBy: check.usedBy, ...result };
      } catch (error) {
        return {
          name: check.name,
          required: check.required,
          usedBy: check.usedBy,
          status: 'missing' as const,
          detail: `check failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }),
  );
}
