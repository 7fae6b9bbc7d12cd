import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig } from '@fleetloop/core';
import { OciRegistryClient, pushPolicyArtifact } from '@fleetloop/registry';
import { InProcessDomain, InProcessTransport } from '@fleetloop/ros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyRuntime, runtimeConfigSchema } from '@fleetloop/runtime';
import { writeTestPackage } from '@fleetloop/runtime/testing';

const REGISTRY_BINARY = '/usr/bin/docker-registry';
const root = await mkdtemp(path.join(tmpdir(), 'runtime-oci-'));
let registry: ChildProcess | undefined;
let host = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the CNCF distribution registry (Debian's docker-registry) on a free loopback port. */
beforeAll(async () => {
  if (!existsSync(REGISTRY_BINARY)) return;
  const port = await freePort();
  const config = path.join(root, 'registry.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(root, 'storage')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  registry = child;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/listening on/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`docker-registry exited with ${String(code)}: ${output}`)));
  });
  host = `127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  if (registry !== undefined && registry.exitCode === null) {
    const exited = new Promise((resolve) => registry?.once('exit', resolve));
    registry.kill('SIGTERM');
    await exited;
  }
  await rm(root, { recursive: true, force: true });
});

describe.runIf(existsSync(REGISTRY_BINARY))('policy source in an OCI registry', () => {
  it('pulls a pushed package by tag, verifies it and runs it', async () => {
    const pkg = await writeTestPackage(path.join(root, 'pkg'), { bias: [0.2, 0] });
    const files = await Promise.all(
      (await readdir(pkg.dir))
        .sort()
        .map(async (name) => ({ path: name, bytes: await readFile(path.join(pkg.dir, name)) })),
    );
    const client = new OciRegistryClient({ registry: host, insecure: true });
    await pushPolicyArtifact({
      client,
      repository: 'fleet/nav-test',
      tag: '3',
      files,
      name: 'nav-test',
      version: '3',
    });
    const transport = new InProcessTransport({ domain: new InProcessDomain() });
    const runtime = new PolicyRuntime({
      transport,
      config: validateConfig(runtimeConfigSchema, {
        dataDir: path.join(root, 'data'),
        log: { level: 'silent' },
        runtime: {
          robot: { name: 'robot_1', type: 'diffdrive' },
          policy: { ociInsecure: true, warmupRuns: 1 },
          desired: {
            initial: {
              policy: {
                source: `oci://${host}/fleet/nav-test:3`,
                version: 'nav-test@3',
                digest: pkg.digestsSha256,
              },
            },
          },
        },
      }),
    });
    try {
      await runtime.start();
      expect(runtime.status()).toMatchObject({
        active: {
          version: 'nav-test@3',
          digest: pkg.digestsSha256,
          source: `oci://${host}/fleet/nav-test:3`,
        },
        lastError: null,
      });
      await runtime.applyDesired({ policy: { source: `oci://${host}/fleet/nav-test:404` } });
      expect(runtime.status()).toMatchObject({
        active: { version: 'nav-test@3' },
        lastError: { code: 'OCI_REQUEST_FAILED' },
      });
    } finally {
      await runtime.close();
      await transport.close();
    }
  });
});
