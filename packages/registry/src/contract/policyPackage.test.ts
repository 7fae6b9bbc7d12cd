import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLinearPolicyOnnx } from '../testing/buildLinearPolicyOnnx.js';
import { navContract } from '../testing/exampleContracts.js';
import { readPolicyPackage, verifyPolicyPackage, writePolicyPackage } from './policyPackage.js';

describe('policy package', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-pkg-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const onnx = buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2 });

  it('writes a package whose digests manifest is sha256sum-compatible and reads it back', async () => {
    const written = await writePolicyPackage(dir, { onnx, contract: navContract() });
    const read = await readPolicyPackage(dir);
    expect(read.files.map((f) => f.path)).toEqual(['card.md', 'policy.onnx', 'policy.yaml']);
    expect(read.digestsSha256).toBe(written.digestsSha256);
    expect(read.contract.name).toBe('nav-bc');
    const digests = await readFile(path.join(dir, 'digests'), 'utf8');
    expect(digests).toMatch(/^[0-9a-f]{64} {2}card\.md\n[0-9a-f]{64} {2}policy\.onnx\n/);
  });

  it('names the modified file when a layer was tampered with', async () => {
    await writePolicyPackage(dir, { onnx, contract: navContract() });
    const tampered = Buffer.from(onnx);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1);
    await writeFile(path.join(dir, 'policy.onnx'), tampered);
    await expect(readPolicyPackage(dir)).rejects.toThrow(
      /policy\.onnx has sha256 [0-9a-f]{64} but digests lists/,
    );
  });

  it('rejects a file that the manifest does not list', async () => {
    await writePolicyPackage(dir, { onnx, contract: navContract() });
    await writeFile(path.join(dir, 'extra.bin'), 'x');
    await expect(readPolicyPackage(dir)).rejects.toThrow(/extra\.bin is not listed/);
  });

  it('verifies the signature with the trusted key and refuses another key', async () => {
    const signer = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    await writePolicyPackage(dir, { onnx, contract: navContract(), signingKey: signer.privateKey });
    await expect(verifyPolicyPackage(dir, { publicKey: signer.publicKey })).resolves.toHaveProperty(
      'signature',
    );
    await expect(verifyPolicyPackage(dir, { publicKey: other.publicKey })).rejects.toThrow(
      /made with key [0-9a-f]{16}/,
    );
  });

  it('reports an unsigned package when a public key is configured', async () => {
    const signer = generateKeyPairSync('ed25519');
    await writePolicyPackage(dir, { onnx, contract: navContract() });
    await expect(verifyPolicyPackage(dir, { publicKey: signer.publicKey })).rejects.toThrow(
      expect.objectContaining({ code: 'SIGNATURE_MISSING' }),
    );
  });

  it('refuses to write a package whose graph does not match the contract', async () => {
    const wrong = buildLinearPolicyOnnx({ inputSize: 20, outputSize: 2 });
    await expect(writePolicyPackage(dir, { onnx: wrong, contract: navContract() })).rejects.toThrow(
      /shape\[1\]/,
    );
  });
});
