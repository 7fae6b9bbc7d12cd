import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signDigests, signingKeyId, verifyDigestsSignature } from './packageSignature.js';
import { generateSigningKeyPair, readPrivateKey, readPublicKey } from './signingKeys.js';

describe('signing keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a key pair that signs and verifies a digests manifest, private key readable only by its owner', async () => {
    const pair = await generateSigningKeyPair(dir);
    const privateKey = await readPrivateKey(pair.privateKeyFile);
    const publicKey = await readPublicKey(pair.publicKeyFile);
    expect(signingKeyId(publicKey)).toBe(pair.keyId);
    expect((await stat(pair.privateKeyFile)).mode & 0o077).toBe(0);
    const digests = `${'a'.repeat(64)}  policy.onnx\n`;
    const signature = signDigests(digests, privateKey);
    expect(() => verifyDigestsSignature(signature, digests, publicKey)).not.toThrow();
    expect(() => verifyDigestsSignature(signature, digests.replace('a', 'b'), publicKey)).toThrow(
      /changed after signing/,
    );
  });

  it('refuses to overwrite keys and names a file that is not a key', async () => {
    await generateSigningKeyPair(dir);
    await expect(generateSigningKeyPair(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const bogus = path.join(dir, 'bogus.pem');
    await writeFile(bogus, 'not a key');
    await expect(readPublicKey(bogus)).rejects.toThrow(/bogus\.pem is not a PEM key/);
  });
});
