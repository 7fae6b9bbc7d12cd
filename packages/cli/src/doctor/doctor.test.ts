import { describe, expect, it } from 'vitest';
import { localSystem, runDoctor, systemChecks, type SystemProbe } from './doctor.js';
import { formatDoctorTable } from './formatTable.js';

/** A machine that has everything, so each test removes one thing. */
function fullMachine(overrides: Partial<SystemProbe> = {}): SystemProbe {
  const outputs: Record<string, string> = {
    ldconfig: '\tlibddsc.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libddsc.so.0\n',
    'dpkg-query': '0.10.2-2',
    idlc: 'idlc (Eclipse Cyclone DDS) 0.10.2',
    cc: 'cc (Debian 12.2.0) 12.2.0',
    ffmpeg: 'ffmpeg version 5.1 ... V....D libx264  libx264 H.264',
    mosquitto: 'mosquitto version 2.0.11',
    'docker-registry': 'docker-registry 2.8.2',
    '/usr/lib/postgresql/15/bin/postgres': 'postgres (PostgreSQL) 15.18',
    chromium: 'Chromium 120',
  };
  return {
    run: (file) => Promise.resolve(outputs[file]),
    exists: () => true,
    listDir: () => Promise.resolve(['15']),
    freeBytes: () => Promise.resolve(50 * 1024 ** 3),
    env: {},
    nodeVersion: '20.20.2',
    ...overrides,
  };
}

const byName = async (
  system: SystemProbe,
): Promise<Map<string, Awaited<ReturnType<typeof runDoctor>>[number]>> =>
  new Map((await runDoctor(systemChecks('/data'), system)).map((r) => [r.name, r]));

describe('doctor', () => {
  it('passes every check on a complete machine', async () => {
    const results = await runDoctor(systemChecks('/data'), fullMachine());
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
  });

  it('flags missing ffmpeg as required with the install command', async () => {
    const base = fullMachine();
    const system = fullMachine({
      run: (file, args) => (file === 'ffmpeg' ? Promise.resolve(undefined) : base.run(file, args)),
    });
    const result = (await byName(system)).get('ffmpeg with libx264');
    expect(result).toMatchObject({ required: true, status: 'missing', fix: 'apt-get install -y ffmpeg' });
    expect(formatDoctorTable([...(await byName(system)).values()])).toContain(
      'ffmpeg with libx264 (required, for recorder (MP4 segments), datasets (LeRobot videos)): apt-get install -y ffmpeg',
    );
  });

  it('flags ffmpeg built without libx264', async () => {
    const base = fullMachine();
    const system = fullMachine({
      run: (file, args) =>
        file === 'ffmpeg' ? Promise.resolve('ffmpeg version 5.1 (no h264)') : base.run(file, args),
    });
    expect((await byName(system)).get('ffmpeg with libx264')?.status).toBe('missing');
  });

  it('names the Debian package when libddsc is missing', async () => {
    const base = fullMachine();
    const system = fullMachine({
      run: (file, args) => (file === 'ldconfig' ? Promise.resolve('') : base.run(file, args)),
    });
    expect((await byName(system)).get('Cyclone DDS (libddsc)')).toMatchObject({
      status: 'missing',
      fix: 'apt-get install -y cyclonedds-dev cyclonedds-tools',
    });
  });

  it('checks ROS_DOMAIN_ID, ROS_LOCALHOST_ONLY and CYCLONEDDS_URI', async () => {
    const results = await byName(
      fullMachine({
        env: { ROS_DOMAIN_ID: 'abc', ROS_LOCALHOST_ONLY: 'yes', CYCLONEDDS_URI: 'file:///etc/cyclone.xml' },
        exists: (file) => file !== '/etc/cyclone.xml',
      }),
    );
    expect(results.get('ROS_DOMAIN_ID')?.status).toBe('missing');
    expect(results.get('ROS_LOCALHOST_ONLY')?.status).toBe('missing');
    expect(results.get('CYCLONEDDS_URI')?.detail).toBe('file /etc/cyclone.xml does not exist');
    const inline = await byName(
      fullMachine({ env: { ROS_DOMAIN_ID: '150', CYCLONEDDS_URI: '<General><Interfaces/></General>' } }),
    );
    expect(inline.get('ROS_DOMAIN_ID')?.status).toBe('warn');
    expect(inline.get('CYCLONEDDS_URI')?.status).toBe('ok');
  });

  it('warns on low disk and fails below 1 GiB', async () => {
    const low = await byName(fullMachine({ freeBytes: () => Promise.resolve(5 * 1024 ** 3) }));
    expect(low.get('Free disk')?.status).toBe('warn');
    const none = await byName(fullMachine({ freeBytes: () => Promise.resolve(100 * 1024 ** 2) }));
    expect(none.get('Free disk')?.status).toBe('missing');
  });

  it('reads real versions on this machine', async () => {
    const results = await runDoctor(systemChecks('.'), localSystem);
    const node = results.find((r) => r.name === 'Node.js');
    expect(node?.detail).toBe(`v${process.versions.node}`);
    expect(results.find((r) => r.name === 'Free disk')?.detail).toMatch(/GiB free at \//);
  });
});
