import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePolicyPackage } from '../contract/policyPackage.js';
import { signingKeyId } from '../signing/packageSignature.js';
import { buildLinearPolicyOnnx } from '../testing/buildLinearPolicyOnnx.js';
import { navContract } from '../testing/exampleContracts.js';
import type { ModelRegistry } from './ModelRegistry.js';
import { openLocalRegistry, resolveRegistryDir } from './openLocalRegistry.js';

describe('ModelRegistry', () => {
  let dir: string;
  let registry: ModelRegistry;
  let tick = 0;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-registry-'));
    registry = await openLocalRegistry({
      dir: path.join(dir, 'store'),
      now: () => new Date(Date.UTC(2026, 11, 1, 0, 0, tick++)),
    });
  });
  afterEach(async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function makePackage(
    sub: string,
    metrics: Record<string, number> = { successRate: 0.9 },
  ): Promise<string> {
    const pkgDir = path.join(dir, sub);
    await writePolicyPackage(pkgDir, {
      onnx: buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2 }),
      contract: navContract({ metrics }),
    });
    return pkgDir;
  }

  it('registers packages as consecutive versions with lineage from the contract and exports them byte for byte', async () => {
    const first = await registry.register(await makePackage('a'), { tags: ['sim'] });
    const second = await registry.register(await makePackage('b', { successRate: 0.95 }), {
      lineage: { runId: 'run-2' },
    });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.lineage).toEqual({ runId: 'run-2', datasetVersion: 'nav-demos@3', codeVersion: 'abc123' });
    expect(second.metrics).toEqual({ successRate: 0.95 });
    expect(first.files.map((f) => f.path)).toEqual(['card.md', 'digests', 'policy.onnx', 'policy.yaml']);
    const out = path.join(dir, 'out');
    const exported = await registry.exportPackage(await registry.resolve('nav-bc:1'), out);
    expect(exported.digestsSha256).toBe(first.digestsSha256);
    expect(await readFile(path.join(out, 'policy.onnx'))).toEqual(
      await readFile(path.join(dir, 'a', 'policy.onnx')),
    );
    expect((await registry.resolve('nav-bc')).version).toBe(2);
  });

  it('resolves aliases and explains unknown references', async () => {
    await registry.register(await makePackage('a'));
    await registry.register(await makePackage('b'));
    await registry.moveAlias('nav-bc', 'champion', 1);
    expect((await registry.resolve('nav-bc@champion')).version).toBe(1);
    expect((await registry.resolve('nav-bc:champion')).version).toBe(1);
    await expect(registry.resolve('nav-bc@challenger')).rejects.toThrow(/nav-bc@challenger is not set/);
    await expect(registry.resolve('nav-bc:7')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    await expect(registry.resolve('arm')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(registry.moveAlias('nav-bc', 'Champion!', 1)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('registers a graph and contract directly, signed, under another name; refuses a foreign signer', async () => {
    const signer = generateKeyPairSync('ed25519');
    const onnx = buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2 });
    const version = await registry.registerContent(
      { onnx, contract: navContract(), signingKey: signer.privateKey },
      { name: 'nav-field', publicKey: signer.publicKey },
    );
    expect(version).toMatchObject({
      name: 'nav-field',
      version: 1,
      signatureKeyId: signingKeyId(signer.publicKey),
    });
    expect(version.contract.name).toBe('nav-field');
    expect(version.files.map((f) => f.path)).toContain('signature.json');
    const stranger = generateKeyPairSync('ed25519');
    await expect(
      registry.registerContent(
        { onnx, contract: navContract(), signingKey: signer.privateKey },
        { publicKey: stranger.publicKey },
      ),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('resolves the local store location from option, environment and data directory', () => {
    expect(resolveRegistryDir({ store: 's', env: { FLEETLOOP_REGISTRY_DIR: '/r' }, cwd: '/w' })).toBe('/w/s');
    expect(resolveRegistryDir({ env: { FLEETLOOP_REGISTRY_DIR: '/r' }, cwd: '/w' })).toBe('/r');
    expect(resolveRegistryDir({ env: { FLEETLOOP_DATA_DIR: 'data' }, cwd: '/w' })).toBe('/w/data/registry');
    expect(resolveRegistryDir({ dataDir: '/var/lib/fleetloop', env: {}, cwd: '/w' })).toBe(
      '/var/lib/fleetloop/registry',
    );
    expect(resolveRegistryDir({ env: {}, cwd: '/w' })).toBe('/w/.fleetloop/registry');
  });
});
