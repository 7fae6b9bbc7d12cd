import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/index.js';

describe('fleetloop CLI', () => {
  it('prints help and version with exit code 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: fleetloop');
    expect(help.stdout).toContain('doctor');
    const doctorHelp = await runCli(['doctor', '--help']);
    expect(doctorHelp.code).toBe(0);
    expect(doctorHelp.stdout).toContain('Usage: fleetloop doctor');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on an unknown option or command', async () => {
    const run = await runCli(['doctor', '--no-such-option']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--no-such-option'");
    expect((await runCli(['no-such-command'])).code).toBe(2);
  });

  it('reports a config field of the wrong type with file, field path, expected and found, exit 2', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-cli-'));
    const file = path.join(dir, 'fleetloop.yaml');
    await writeFile(file, 'site: depot\nros:\n  domainId: "seven"\n');
    const run = await runCli(['doctor', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid configuration in ${file}`);
    expect(run.stderr).toContain('ros.domainId: expected number, found string "seven"');
  });

  it('validates a file with `config check` and prints it with defaults', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-cli-'));
    const file = path.join(dir, 'fleetloop.yaml');
    await writeFile(file, 'site: depot\n');
    const run = await runCli(['config', 'check', file], {
      env: { ...process.env, FLEETLOOP_LOG__LEVEL: 'debug' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('site: depot');
    expect(run.stdout).toContain('level: debug');
  });
});
