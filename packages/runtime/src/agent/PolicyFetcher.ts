import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DIGESTS_FILE,
  OciRegistryClient,
  parseDigests,
  parseOciReference,
  pullPolicyArtifact,
  SIGNATURE_FILE,
} from '@fleetloop/registry';
import { RuntimeError } from '../RuntimeError.js';

/** Options for {@link PolicyFetcher}. */
export interface PolicyFetcherOptions {
  /** Where fetched packages are written (one directory per fetch). */
  readonly cacheDir: string;
  /** Plain HTTP for `oci://` sources (local test registries). */
  readonly ociInsecure?: boolean;
  readonly fetch?: typeof fetch;
}

/**
 * Brings a policy package to a local directory from where the desired state says it is: a
 * directory (`/path` or `dir:/path`, used in place), an HTTP base URL serving the package files
 * (`digests` lists them; `signature.json` is fetched when present), or an OCI registry
 * (`oci://host/repo:tag`, verified layer by layer). Verification of the package itself is the
 * loader's job; the fetcher only transfers.
 */
export class PolicyFetcher {
  readonly #options: PolicyFetcherOptions;

  constructor(options: PolicyFetcherOptions) {
    this.#options = options;
  }

  /** Resolves to a local package directory. */
  async fetch(source: string): Promise<string> {
    if (source.startsWith('oci://')) return this.#pullOci(source);
    if (source.startsWith('http://') || source.startsWith('https://')) return this.#download(source);
    if (source.startsWith('dir:')) return path.resolve(source.slice('dir:'.length));
    if (source.includes('://')) {
      throw new RuntimeError(
        'POLICY_FETCH_FAILED',
        `policy source "${source}" has an unknown scheme; use a directory, dir:PATH, http(s)://URL/ or oci://HOST/REPO:TAG`,
      );
    }
    return path.resolve(source);
  }

  async #download(source: string): Promise<string> {
    const base = source.endsWith('/') ? source : `${source}/`;
    const get = async (file: string, optional: boolean): Promise<Uint8Array | undefined> => {
      const url = new URL(file, base);
      let response: Response;
      try {
        response = await (this.#options.fetch ?? fetch)(url);
      } catch (error) {
        throw new RuntimeError('POLICY_FETCH_FAILED', `GET ${url.href} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (optional && response.status === 404) return undefined;
      if (!response.ok) {
        throw new RuntimeError(
          'POLICY_FETCH_FAILED',
          `GET ${url.href} answered ${response.status} ${response.statusText}`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    };
    const digests = (await get(DIGESTS_FILE, false)) as Uint8Array;
    const listed = parseDigests(Buffer.from(digests).toString('utf8'), new URL(DIGESTS_FILE, base).href);
    const dir = await this.#newDir('http');
    await writeFile(path.join(dir, DIGESTS_FILE), digests);
    for (const file of listed.keys()) {
      if (file.split('/').some((part) => part === '..' || part === '')) {
        throw new RuntimeError(
          'POLICY_FETCH_FAILED',
          `${base}${DIGESTS_FILE} lists "${file}", which leaves the package`,
        );
      }
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, (await get(file, false)) as Uint8Array);
    }
    const signature = await get(SIGNATURE_FILE, true);
    if (signature !== undefined) await writeFile(path.join(dir, SIGNATURE_FILE), signature);
    return dir;
  }

  async #pullOci(source: string): Promise<string> {
    const ref = parseOciReference(source);
    const client = new OciRegistryClient({
      registry: ref.registry,
      insecure: this.#options.ociInsecure ?? false,
      ...(this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch }),
    });
    const outDir = path.join(this.#options.cacheDir, `oci-${randomBytes(6).toString('hex')}`);
    await mkdir(this.#options.cacheDir, { recursive: true });
    const pulled = await pullPolicyArtifact({
      client,
      repository: ref.repository,
      reference: ref.reference,
      outDir,
    });
    return pulled.package.dir;
  }

  async #newDir(kind: string): Promise<string> {
    const dir = path.join(this.#options.cacheDir, `${kind}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }
}
