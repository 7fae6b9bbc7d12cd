import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A token service for a CNCF distribution registry configured with `auth: token`. */
export interface TestTokenServer {
  /** The `auth:` section to add to the registry config. */
  readonly registryAuthConfig: string;
  /** Token requests served so far (scope and whether the credentials were accepted). */
  readonly requests: { scope: string; granted: boolean }[];
  stop(): Promise<void>;
}

const SERVICE = 'fleetloop-test-registry';
const ISSUER = 'fleetloop-test-token-issuer';

/**
 * Starts a token service on 127.0.0.1 that accepts one username/password (HTTP basic) and issues
 * ES256 JWTs with the signing certificate in `x5c`; the registry trusts that certificate through
 * `rootcertbundle`. This is the Docker token authentication protocol registries such as Harbor and
 * ACR speak.
 */
export async function startTokenServer(credentials: {
  username: string;
  password: string;
}): Promise<TestTokenServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-token-'));
  const keyFile = path.join(dir, 'token.key');
  const certFile = path.join(dir, 'token.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=fleetloop-test-token',
  ]);
  const key = createPrivateKey(await readFile(keyFile));
  const certDer = new X509Certificate(await readFile(certFile)).raw.toString('base64');
  const requests: { scope: string; granted: boolean }[] = [];
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scope = url.searchParams.get('scope') ?? '';
    const granted = req.headers.authorization === expected;
    requests.push({ scope, granted });
    if (!granted) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const [type, name, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer] };
    const claims = {
      iss: ISSUER,
      sub: credentials.username,
      aud: url.searchParams.get('service') ?? SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access:
        type === undefined || name === undefined ? [] : [{ type, name, actions: (actions ?? '').split(',') }],
    };
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode(header)}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString(
      'base64url',
    );
    const token = `${input}.${signature}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, expires_in: 300 }));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    registryAuthConfig: [
      'auth:',
      '  token:',
      `    realm: http://127.0.0.1:${port}/token`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${certFile}`,
    ].join('\n'),
    requests,
    stop: async () => {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
