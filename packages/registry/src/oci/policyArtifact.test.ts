import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPolicyPackage, writePolicyPackage } from '../contract/policyPackage.js';
import { buildLinearPolicyOnnx } from '../testing/buildLinearPolicyOnnx.js';
import { navContract } from '../testing/exampleContracts.js';
import { startOciRegistry, type TestOciRegistry } from '../testing/startOciRegistry.js';
import { OciRegistryClient } from './OciRegistryClient.js';
import { POLICY_ARTIFACT_TYPE, pullPolicyArtifact, pushPolicyArtifact } from './policyArtifact.js';

describe('policy package as an OCI artifact (CNCF distribution)', () => {
  let registry: TestOciRegistry;
  let dir: string;
  let pkgDir: string;
  let client: OciRegistryClient;
  const signer = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    registry = await startOciRegistry();
    dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-oci-test-'));
    pkgDir = path.join(dir, 'pkg');
    await writePolicyPackage(pkgDir, {
      onnx: buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2 }),
      contract: navContract(),
      signingKey: signer.privateKey,
    });
    client = new OciRegistryClient({ registry: registry.host, insecure: true });
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function packageFiles(from: string): Promise<{ path: string; bytes: Uint8Array }[]> {
    const names = (await readdir(from)).sort();
    return Promise.all(
      names.map(async (name) => ({ path: name, bytes: await readFile(path.join(from, name)) })),
    );
  }

  async function push(repository: string, tag: string): Promise<string> {
    const result = await pushPolicyArtifact({
      client,
      repository,
      tag,
      files: await packageFiles(pkgDir),
      name: 'nav-bc',
      version: '1',
      robotType: 'diffdrive-nav',
    });
    return result.digest;
  }

  it('round-trips byte for byte by tag and by digest, keeping the signature valid', async () => {
    const digest = await push('fleet/nav-bc', 'v1');
    const byTag = path.join(dir, 'by-tag');
    const pulled = await pullPolicyArtifact({
      client,
      repository: 'fleet/nav-bc',
      reference: 'v1',
      outDir: byTag,
    });
    expect(pulled.manifestDigest).toBe(digest);
    expect(pulled.annotations['org.opencontainers.image.version']).toBe('1');
    const original = await packageFiles(pkgDir);
    const copy = await packageFiles(byTag);
    expect(copy.map((f) => f.path)).toEqual([
      'card.md',
      'digests',
      'policy.onnx',
      'policy.yaml',
      'signature.json',
    ]);
    expect(copy).toEqual(original);
    await expect(verifyPolicyPackage(byTag, { publicKey: signer.publicKey })).resolves.toHaveProperty(
      'signature',
    );

    const byDigest = path.join(dir, 'by-digest');
    await pullPolicyArtifact({ client, repository: 'fleet/nav-bc', reference: digest, outDir: byDigest });
    expect(await packageFiles(byDigest)).toEqual(original);

    const manifest = JSON.parse(
      new TextDecoder().decode((await client.getManifest('fleet/nav-bc', digest)).bytes),
    ) as {
      artifactType: string;
      config: { mediaType: string };
      layers: { annotations: Record<string, string> }[];
    };
    expect(manifest.artifactType).toBe(POLICY_ARTIFACT_TYPE);
    expect(manifest.config.mediaType).toBe('application/vnd.oci.empty.v1+json');
    expect(manifest.layers.map((l) => l.annotations['org.opencontainers.image.title'])).toContain(
      'policy.onnx',
    );
  });

  it('skips layers the registry already holds', async () => {
    await push('fleet/nav-bc', 'v1-again');
    const again = await pushPolicyArtifact({
      client,
      repository: 'fleet/nav-bc',
      tag: 'v1-third',
      files: await packageFiles(pkgDir),
      name: 'nav-bc',
      version: '1',
    });
    expect(again.layers.every((l) => !l.uploaded)).toBe(true);
  });

  it('fails the pull naming the digest of a blob corrupted in the registry storage', async () => {
    // A package of its own, so that corrupting its graph blob affects no other test.
    const source = path.join(dir, 'corrupt-source');
    await writePolicyPackage(source, {
      onnx: buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2, bias: [0.5, -0.5] }),
      contract: navContract(),
    });
    const files = await packageFiles(source);
    await pushPolicyArtifact({
      client,
      repository: 'fleet/corrupt',
      tag: 'v1',
      files,
      name: 'nav-bc',
      version: '1',
    });
    const line = (await readFile(path.join(source, 'digests'), 'utf8'))
      .split('\n')
      .find((l) => l.endsWith('policy.onnx'));
    const digest = `sha256:${line?.slice(0, 64)}`;
    const blobFile = registry.blobPath(digest);
    const bytes = await readFile(blobFile);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    await writeFile(blobFile, bytes);
    await expect(
      pullPolicyArtifact({
        client,
        repository: 'fleet/corrupt',
        reference: 'v1',
        outDir: path.join(dir, 'corrupt-out'),
      }),
    ).rejects.toThrow(new RegExp(`blob ${digest} \\(policy\\.onnx\\) .* does not match its digest`));
  });

  it('refuses an output directory that is not empty', async () => {
    await expect(
      pullPolicyArtifact({ client, repository: 'fleet/nav-bc', reference: 'v1', outDir: pkgDir }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
