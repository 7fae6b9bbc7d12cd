import { sha256Hex } from '../contract/digests.js';
import { RegistryError } from '../RegistryError.js';
import { basicAuthorization, parseAuthChallenge, type OciCredentials } from './ociAuth.js';

/** Options for {@link OciRegistryClient}. */
export interface OciRegistryClientOptions {
  /** `host[:port]`. */
  readonly registry: string;
  /**
   * Use plain HTTP instead of HTTPS. Loopback registries (`localhost`, `127.x.x.x`, `[::1]`) use
   * plain HTTP without it, as Docker treats them.
   */
  readonly insecure?: boolean;
  /** Username/password for basic auth or for the token endpoint of a Bearer challenge. */
  readonly credentials?: OciCredentials | undefined;
  /** `fetch` implementation (default: Node's global fetch). */
  readonly fetch?: typeof fetch;
}

/** A manifest as fetched, with its verified digest. */
export interface FetchedManifest {
  readonly bytes: Uint8Array;
  /** `sha256:<hex>` of `bytes`. */
  readonly digest: string;
  readonly mediaType: string;
}

interface RequestOptions {
  readonly method: string;
  /** Path on the registry, or an absolute URL (an upload `Location` may point elsewhere). */
  readonly path: string;
  readonly repository: string;
  readonly actions: 'pull' | 'pull,push';
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
}

/** Manifest media types this client asks for. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * A small client for the OCI distribution API (blobs and manifests) with the Bearer token flow and
 * basic auth. Every blob and manifest it downloads is checked against its sha256 digest, because
 * a registry serves stored bytes without checking them.
 */
export class OciRegistryClient {
  readonly #base: string;
  readonly #registry: string;
  readonly #credentials: OciCredentials | undefined;
  readonly #fetch: typeof fetch;
  /** Authorization header per `repository|actions` scope, reused until the registry refuses it. */
  readonly #authorizations = new Map<string, string>();

  constructor(options: OciRegistryClientOptions) {
    this.#registry = options.registry;
    const plain = options.insecure === true || isLoopback(options.registry);
    this.#base = `${plain ? 'http' : 'https'}://${options.registry}`;
    this.#credentials = options.credentials;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Whether the repository holds a blob. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.#request({
      method: 'HEAD',
      path: `/v2/${repository}/blobs/${digest}`,
      repository,
      actions: 'pull,push',
    });
    if (response.status === 404) return false;
    await this.#expect(response, [200], `checking blob ${digest} in ${repository}`);
    return true;
  }

  /** Uploads a blob in one request (POST then PUT with the digest), unless it is already there. */
  async pushBlob(
    repository: string,
    bytes: Uint8Array,
  ): Promise<{ digest: string; size: number; uploaded: boolean }> {
    const digest = `sha256:${sha256Hex(bytes)}`;
    if (await this.hasBlob(repository, digest)) return { digest, size: bytes.length, uploaded: false };
    const started = await this.#request({
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      repository,
      actions: 'pull,push',
    });
    await this.#expect(started, [202], `starting the upload of ${digest} to ${repository}`);
    const location = started.headers.get('location');
    if (location === null) {
      throw new RegistryError(
        'OCI_REQUEST_FAILED',
        `${this.#registry} started an upload without a Location header`,
      );
    }
    const url = new URL(location, this.#base);
    url.searchParams.set('digest', digest);
    const put = await this.#request({
      method: 'PUT',
      path: url.href,
      repository,
      actions: 'pull,push',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await this.#expect(put, [201], `uploading ${digest} to ${repository}`);
    return { digest, size: bytes.length, uploaded: true };
  }

  /** Stores a manifest under a tag (or its digest); resolves to its digest. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    const digest = `sha256:${sha256Hex(bytes)}`;
    const response = await this.#request({
      method: 'PUT',
      path: `/v2/${repository}/manifests/${reference}`,
      repository,
      actions: 'pull,push',
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    await this.#expect(response, [201], `storing the manifest ${repository}:${reference}`);
    const returned = response.headers.get('docker-content-digest');
    if (returned !== null && returned !== digest) {
      throw new RegistryError(
        'OCI_DIGEST_MISMATCH',
        `${this.#registry} stored manifest ${repository}:${reference} as ${returned}, but its sha256 is ${digest}`,
      );
    }
    return digest;
  }

  /**
   * Fetches a manifest by tag or digest and verifies it: against the requested digest, or against
   * the `Docker-Content-Digest` the registry states for a tag.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const response = await this.#request({
      method: 'GET',
      path: `/v2/${repository}/manifests/${reference}`,
      repository,
      actions: 'pull',
      headers: { accept: MANIFEST_ACCEPT },
    });
    await this.#expect(response, [200], `fetching the manifest ${repository}:${reference}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = `sha256:${sha256Hex(bytes)}`;
    const expected = reference.startsWith('sha256:')
      ? reference
      : response.headers.get('docker-content-digest');
    if (expected !== null && expected !== digest) {
      throw new RegistryError(
        'OCI_DIGEST_MISMATCH',
        `manifest ${expected} of ${this.#registry}/${repository} has sha256 ${digest}: the registry returned different bytes`,
      );
    }
    return { bytes, digest, mediaType: response.headers.get('content-type') ?? '' };
  }

  /** Downloads a blob and verifies its size and sha256; the error names the digest that failed. */
  async getBlob(repository: string, digest: string, size?: number, label = digest): Promise<Uint8Array> {
    const response = await this.#request({
      method: 'GET',
      path: `/v2/${repository}/blobs/${digest}`,
      repository,
      actions: 'pull',
    });
    await this.#expect(response, [200], `fetching blob ${label}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const actual = `sha256:${sha256Hex(bytes)}`;
    if (actual !== digest || (size !== undefined && bytes.length !== size)) {
      throw new RegistryError(
        'OCI_DIGEST_MISMATCH',
        `blob ${digest} (${label}) from ${this.#registry}/${repository} does not match its digest: got ${actual}, ` +
          `${bytes.length} bytes${size === undefined ? '' : ` (expected ${size})`}; the registry holds corrupted data`,
      );
    }
    return bytes;
  }

  async #request(options: RequestOptions): Promise<Response> {
    const scope = `${options.repository}|${options.actions}`;
    const send = (authorization: string | undefined): Promise<Response> =>
      this.#send(options, authorization === undefined ? {} : { authorization });
    const first = await send(this.#authorizations.get(scope));
    if (first.status !== 401) return first;
    const challenge = parseAuthChallenge(first.headers.get('www-authenticate'));
    await first.body?.cancel();
    const authorization = await this.#authorize(challenge, options);
    this.#authorizations.set(scope, authorization);
    const second = await send(authorization);
    if (second.status === 401) {
      await second.body?.cancel();
      throw new RegistryError(
        'OCI_AUTH_FAILED',
        `${this.#registry} refused the credentials for ${options.repository} (${options.actions}); check --username/--password`,
      );
    }
    return second;
  }

  async #send(options: RequestOptions, headers: Record<string, string>): Promise<Response> {
    const url = new URL(options.path, this.#base);
    try {
      return await this.#fetch(url, {
        method: options.method,
        headers: { ...options.headers, ...headers },
        ...(options.body === undefined ? {} : { body: options.body }),
        redirect: 'follow',
      });
    } catch (error) {
      throw new RegistryError(
        'OCI_REQUEST_FAILED',
        `cannot reach ${url.origin} (${options.method} ${url.pathname}): ${describeFetchError(error)}` +
          (url.protocol === 'https:' ? '; for a plain-HTTP registry add --insecure' : ''),
        { cause: error },
      );
    }
  }

  async #authorize(
    challenge: ReturnType<typeof parseAuthChallenge>,
    options: RequestOptions,
  ): Promise<string> {
    if (challenge?.scheme === 'basic') {
      if (this.#credentials === undefined) {
        throw new RegistryError(
          'OCI_AUTH_FAILED',
          `${this.#registry} asks for a username and password (--username/--password)`,
        );
      }
      return basicAuthorization(this.#credentials);
    }
    const realm = challenge?.params.realm;
    if (challenge === undefined || realm === undefined) {
      throw new RegistryError(
        'OCI_AUTH_FAILED',
        `${this.#registry} answered 401 without a usable WWW-Authenticate challenge`,
      );
    }
    const url = new URL(realm);
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set(
      'scope',
      challenge.params.scope ?? `repository:${options.repository}:${options.actions}`,
    );
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers:
          this.#credentials === undefined ? {} : { authorization: basicAuthorization(this.#credentials) },
      });
    } catch (error) {
      throw new RegistryError(
        'OCI_AUTH_FAILED',
        `cannot reach the token service ${url.origin}: ${describeFetchError(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) {
      throw new RegistryError(
        'OCI_AUTH_FAILED',
        `the token service ${url.origin}${url.pathname} answered ${response.status} for ${url.searchParams.get('scope') ?? ''}: ${(await response.text()).slice(0, 200)}`,
      );
    }
    const body = (await response.json()) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError('OCI_AUTH_FAILED', `the token service ${url.origin} returned no token`);
    }
    return `Bearer ${token}`;
  }

  async #expect(response: Response, ok: readonly number[], doing: string): Promise<void> {
    if (ok.includes(response.status)) return;
    const text = response.bodyUsed ? '' : await response.text().catch(() => '');
    throw new RegistryError(
      'OCI_REQUEST_FAILED',
      `${this.#registry} answered ${response.status} ${response.statusText} while ${doing}${text === '' ? '' : `: ${text.slice(0, 300)}`}`,
    );
  }
}

/** Whether `host[:port]` names this machine. */
export function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(1, registry.indexOf(']'))
    : registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
