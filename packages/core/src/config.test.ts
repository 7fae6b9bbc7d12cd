import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './FleetloopError.js';
import { loadConfig } from './config.js';
import { fleetConfigSchema } from './fleetConfig.js';

async function writeConfig(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-config-'));
  const file = path.join(dir, 'fleetloop.yaml');
  await writeFile(file, text);
  return file;
}

describe('loadConfig', () => {
  it('fills defaults for an empty file', async () => {
    const file = await writeConfig('');
    const config = await loadConfig({ schema: fleetConfigSchema, file, env: {} });
    expect(config).toEqual({
      site: 'lab',
      dataDir: '.fleetloop',
      log: { level: 'info', format: 'auto' },
      ros: {},
    });
  });

  it('names the file, field path, expectation and found value for a wrong type', async () => {
    const file = await writeConfig('ros:\n  domainId: five\n');
    const error = await loadConfig({ schema: fleetConfigSchema, file, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.file).toBe(file);
    expect(configError.problems).toEqual([
      { path: 'ros.domainId', expected: 'number', found: 'string "five"', source: file },
    ]);
    expect(configError.message).toContain(`Invalid configuration in ${file}`);
    expect(configError.message).toContain('ros.domainId: expected number, found string "five"');
  });

  it('applies environment overrides with their type and names the variable when they are wrong', async () => {
    const file = await writeConfig('site: depot-7\n');
    const config = await loadConfig({
      schema: fleetConfigSchema,
      file,
      env: { FLEETLOOP_ROS__DOMAIN_ID: '42', FLEETLOOP_LOG__LEVEL: 'debug' },
    });
    expect(config.ros.domainId).toBe(42);
    expect(config.log.level).toBe('debug');
    expect(config.site).toBe('depot-7');

    const error = (await loadConfig({
      schema: fleetConfigSchema,
      file,
      env: { FLEETLOOP_ROS__DOMAIN_ID: '500' },
    }).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems[0]).toMatchObject({
      path: 'ros.domainId',
      expected: '<= 232',
      found: 'integer 500',
      source: 'environment variable FLEETLOOP_ROS__DOMAIN_ID',
    });
  });

  it('rejects unknown fields and reports YAML syntax errors with a line number', async () => {
    const typo = await writeConfig('sitee: lab\n');
    await expect(loadConfig({ schema: fleetConfigSchema, file: typo, env: {} })).rejects.toThrow(
      /\(root\): expected only known fields, found unknown field "sitee"/,
    );
    const broken = await writeConfig('log:\n  level: [info\n');
    await expect(loadConfig({ schema: fleetConfigSchema, file: broken, env: {} })).rejects.toThrow(
      new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ is not valid YAML`),
    );
  });

  it('says when the file does not exist', async () => {
    await expect(
      loadConfig({ schema: fleetConfigSchema, file: '/nonexistent/fleet.yaml', env: {} }),
    ).rejects.toThrow('Cannot read configuration file /nonexistent/fleet.yaml: the file does not exist');
  });
});
