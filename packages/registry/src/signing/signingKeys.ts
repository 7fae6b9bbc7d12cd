import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@fleetloop/core';
import { signingKeyId } from './packageSignature.js';

/** File names written by {@link generateSigningKeyPair}. */
export const PRIVATE_KEY_FILE = 'signing.key';
export const PUBLIC_KEY_FILE = 'signing.pub';

/** Paths and id of a generated key pair. */
export interface GeneratedKeyPair {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly keyId: string;
}

/**
 * Generates an ed25519 key pair and writes it to `dir` as PEM: `signing.key` (PKCS#8, mode 0600)
 * and `signing.pub` (SPKI). Existing files are not overwritten.
 */
export async function generateSigningKeyPair(dir: string): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(dir, { recursive: true });
  const privateKeyFile = path.join(dir, PRIVATE_KEY_FILE);
  const publicKeyFile = path.join(dir, PUBLIC_KEY_FILE);
  try {
    await writeFile(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
    await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConfigError(`${dir} already holds a signing key; choose another --out directory`, {
        cause: error,
      });
    }
    throw error;
  }
  return { privateKeyFile, publicKeyFile, keyId: signingKeyId(publicKey) };
}

/** Reads an ed25519 private key (PEM). @throws {ConfigError} when unreadable or not ed25519. */
export async function readPrivateKey(file: string): Promise<KeyObject> {
  const pem = await readKeyFile(file);
  return checkEd25519(
    file,
    parseKey(file, () => createPrivateKey(pem)),
    'private',
  );
}

/** Reads an ed25519 public key (PEM; a private key file gives its public half). */
export async function readPublicKey(file: string): Promise<KeyObject> {
  const pem = await readKeyFile(file);
  return checkEd25519(
    file,
    parseKey(file, () => createPublicKey(pem)),
    'public',
  );
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new ConfigError(`Cannot read key file ${file}: ${reason}`, { file, cause: error });
  }
}

function parseKey(file: string, parse: () => KeyObject): KeyObject {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(`${file} is not a PEM key: ${(error as Error).message}`, { file, cause: error });
  }
}

function checkEd25519(file: string, key: KeyObject, kind: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      `${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; an ed25519 ${kind} key is needed (fleetloop model keygen makes one)`,
      { file },
    );
  }
  return key;
}
