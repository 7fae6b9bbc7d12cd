import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { sha256Hex } from '../contract/digests.js';
import { RegistryError } from '../RegistryError.js';

/** Name of the signature file inside a policy package. */
export const SIGNATURE_FILE = 'signature.json';

/** `signature.json`: an ed25519 signature over the digest of the package's `digests` manifest. */
export const packageSignatureSchema = z.strictObject({
  algorithm: z.literal('ed25519'),
  /** First 16 hex characters of the sha256 of the public key (SPKI DER), to tell keys apart. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** `sha256:<hex>` of the `digests` file; the signed message is this string in UTF-8. */
  digestsSha256: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** Base64 ed25519 signature. */
  signature: z.string().min(1),
});

export type PackageSignature = z.output<typeof packageSignatureSchema>;

/** Identifier of a public key: the first 16 hex characters of the sha256 of its SPKI DER form. */
export function signingKeyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

/** Signs the `digests` manifest text of a package with an ed25519 private key. */
export function signDigests(digestsText: string, privateKey: KeyObject): PackageSignature {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new RegistryError(
      'SIGNING_KEY_INVALID',
      `the signing key is a ${privateKey.asymmetricKeyType ?? 'symmetric'} ${privateKey.type} key; an ed25519 private key is needed (fleetloop model keygen makes one)`,
    );
  }
  const digestsSha256 = `sha256:${sha256Hex(digestsText)}`;
  return {
    algorithm: 'ed25519',
    keyId: signingKeyId(privateKey),
    digestsSha256,
    signature: sign(null, Buffer.from(digestsSha256, 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * Checks a package signature against the `digests` manifest text and a trusted public key.
 *
 * @throws {RegistryError} `SIGNATURE_INVALID` saying whether the manifest changed, the key differs,
 *   or the signature bytes do not verify.
 */
export function verifyDigestsSignature(
  signature: PackageSignature,
  digestsText: string,
  publicKey: KeyObject,
): void {
  const actual = `sha256:${sha256Hex(digestsText)}`;
  if (actual !== signature.digestsSha256) {
    throw new RegistryError(
      'SIGNATURE_INVALID',
      `the digests manifest is ${actual} but the signature covers ${signature.digestsSha256}: the package was changed after signing`,
    );
  }
  const keyId = signingKeyId(publicKey);
  const ok = verify(
    null,
    Buffer.from(signature.digestsSha256, 'utf8'),
    publicKey,
    Buffer.from(signature.signature, 'base64'),
  );
  if (!ok) {
    const which =
      keyId === signature.keyId
        ? 'the signature bytes do not verify'
        : `it was made with key ${signature.keyId}, the trusted key is ${keyId}`;
    throw new RegistryError(
      'SIGNATURE_INVALID',
      `signature of ${signature.digestsSha256} is not valid: ${which}`,
    );
  }
}
