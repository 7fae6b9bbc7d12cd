import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/contract/digests.js';
import { writePolicyPackage } from '../src/contract/policyPackage.js';
import { parsePolicyContract } from '../src/contract/policyContractYaml.js';
import { OciRegistryClient } from '../src/oci/OciRegistryClient.js';
import { pushPolicyArtifact } from '../src/oci/policyArtifact.js';
import { openLocalRegistry } from '../src/registry/openLocalRegistry.js';
import { generateSigningKeyPair } from '../src/signing/signingKeys.js';
import { buildLinearPolicyOnnx } from '../src/testing/buildLinearPolicyOnnx.js';
import { startOciRegistry, type TestOciRegistry } from '../src/testing/startOciRegistry.js';

const CLI = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const README = fileURLToPath(new URL('../README.md', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `fleetloop ARGS` from source in `cwd`, with no FLEETLOOP_* variables but `env`. */
function fleetloop(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FLEETLOOP_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@fleetloop/source', '--import', TSX, CLI, ...args], {
      cwd,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort())
    out[name] = (await readFile(path.join(dir, name))).toString('base64');
  return out;
}

describe('fleetloop model (CLI against a real OCI registry)', () => {
  let registry: TestOciRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startOciRegistry();
    work = await mkdtemp(path.join(tmpdir(), 'fleetloop-cli-model-'));
    // An external (Isaac-Lab-style) policy: input "obs" [batch, 8], output "actions" [batch, 2],
    // described by the hand-written contract from the README.
    await writeFile(path.join(work, 'policy.onnx'), buildLinearPolicyOnnx({ inputSize: 8, outputSize: 2 }));
    const readme = await readFile(README, 'utf8');
    await writeFile(path.join(work, 'policy.yaml'), /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '');
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it(
    'registers, pushes, pulls and verifies a signed external policy; a tampered file fails verify',
    { timeout: 120_000 },
    async () => {
      await generateSigningKeyPair(path.join(work, 'keys'));
      const signing = { FLEETLOOP_SIGNING_KEY: path.join(work, 'keys/signing.key') };
      const verifying = { FLEETLOOP_PUBLIC_KEY: path.join(work, 'keys/signing.pub') };

      const register = await fleetloop(
        work,
        ['model', 'register', '--name', 'jetbot-nav', '--onnx', 'policy.onnx', '--contract', 'policy.yaml'],
        signing,
      );
      expect(register.stderr).toBe('');
      expect(register.stdout).toMatch(
        /^registered jetbot-nav:1 digests sha256:[0-9a-f]{64} signed by [0-9a-f]{16}/,
      );
      expect(register.code).toBe(0);

      const target = `oci://${registry.host}/fleet/jetbot-nav:v1`;
      const push = await fleetloop(work, ['model', 'push', 'jetbot-nav:1', target, '--insecure']);
      expect(push.stderr).toBe('');
      expect(push.stdout).toMatch(/pushed jetbot-nav:1 .*5 of 5 layers uploaded/);
      expect(push.code).toBe(0);

      const pull = await fleetloop(work, ['model', 'pull', target, '--out', 'pulled']);
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);

      // The pulled package is byte-identical to what the default store (.fleetloop/registry) holds.
      const store = await openLocalRegistry({ dir: path.join(work, '.fleetloop/registry') });
      try {
        const version = await store.resolve('jetbot-nav:1');
        expect(version.contract.name).toBe('jetbot-nav');
        await store.exportPackage(version, path.join(work, 'exported'));
      } finally {
        await store.close();
      }
      expect(await files(path.join(work, 'pulled'))).toEqual(await files(path.join(work, 'exported')));
      expect((await files(path.join(work, 'pulled')))['policy.onnx']).toBe(
        (await readFile(path.join(work, 'policy.onnx'))).toString('base64'),
      );

      const verify = await fleetloop(work, ['model', 'verify', 'pulled'], verifying);
      expect(verify.stdout).toMatch(/^ok jetbot-nav: 3 files match .* signature by [0-9a-f]{16} valid/);
      expect(verify.code).toBe(0);

      const onnxPath = path.join(work, 'pulled/policy.onnx');
      const onnx = await readFile(onnxPath);
      onnx.writeUInt8(onnx.readUInt8(onnx.length - 1) ^ 0x01, onnx.length - 1);
      await writeFile(onnxPath, onnx);
      const tampered = await fleetloop(work, ['model', 'verify', 'pulled'], verifying);
      expect(tampered.stderr).toMatch(/pulled\/policy\.onnx has sha256 .* but digests lists/);
      expect(tampered.code).toBe(1);
    },
  );

  it(
    'exits 2 on a contract that does not parse and 1 on a graph that does not match it',
    { timeout: 60_000 },
    async () => {
      await writeFile(
        path.join(work, 'broken.yaml'),
        'apiVersion: fleetloop.dev/v1\nkind: PolicyContract\nname: x\n',
      );
      const broken = await fleetloop(work, [
        'model',
        'register',
        '--onnx',
        'policy.onnx',
        '--contract',
        'broken.yaml',
      ]);
      expect(broken.stderr).toMatch(/broken\.yaml[\s\S]*robotType/);
      expect(broken.code).toBe(2);

      await writeFile(path.join(work, 'wide.onnx'), buildLinearPolicyOnnx({ inputSize: 9, outputSize: 2 }));
      const wide = await fleetloop(work, [
        'model',
        'register',
        '--onnx',
        'wide.onnx',
        '--contract',
        'policy.yaml',
      ]);
      expect(wide.stderr).toMatch(/onnx\.inputs\[0\]\.shape\[1\]: contract says 8, graph has 9/);
      expect(wide.code).toBe(1);
    },
  );

  it('exits 1 naming the digest when a blob in the registry was corrupted', { timeout: 60_000 }, async () => {
    const source = path.join(work, 'corrupt-source');
    const onnx = buildLinearPolicyOnnx({ inputSize: 8, outputSize: 2, bias: [0.25, 0.75] });
    const contract = parsePolicyContract(await readFile(path.join(work, 'policy.yaml'), 'utf8'));
    await writePolicyPackage(source, { onnx, contract });
    const client = new OciRegistryClient({ registry: registry.host });
    const files = await Promise.all(
      (await readdir(source)).map(async (name) => ({
        path: name,
        bytes: await readFile(path.join(source, name)),
      })),
    );
    await pushPolicyArtifact({
      client,
      repository: 'fleet/corrupt',
      tag: 'v1',
      files,
      name: 'x',
      version: '1',
    });
    const digest = `sha256:${sha256Hex(onnx)}`;
    await writeFile(registry.blobPath(digest), Buffer.concat([Buffer.from(onnx), Buffer.from([0])]));
    const pull = await fleetloop(work, [
      'model',
      'pull',
      `oci://${registry.host}/fleet/corrupt:v1`,
      '--out',
      'corrupt-out',
    ]);
    expect(pull.stderr).toContain(`blob ${digest} (policy.onnx)`);
    expect(pull.code).toBe(1);
  });
});
