import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOciRegistry, type TestOciRegistry } from '../testing/startOciRegistry.js';
import { startTokenServer, type TestTokenServer } from '../testing/startTokenServer.js';
import { OciRegistryClient } from './OciRegistryClient.js';

describe('OCI Bearer token flow against a registry with token authentication', () => {
  let tokens: TestTokenServer;
  let registry: TestOciRegistry;
  const credentials = { username: 'robot-ci', password: 's3cret' };

  beforeAll(async () => {
    tokens = await startTokenServer(credentials);
    registry = await startOciRegistry({ extraConfig: tokens.registryAuthConfig });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
  });

  it('obtains a token for the repository scope and pushes and reads back a blob', async () => {
    const client = new OciRegistryClient({ registry: registry.host, credentials });
    const bytes = new TextEncoder().encode('layer through a token');
    const pushed = await client.pushBlob('fleet/auth', bytes);
    expect(pushed.uploaded).toBe(true);
    expect(await client.getBlob('fleet/auth', pushed.digest, bytes.length)).toEqual(bytes);
    // distribution lists the challenge's actions in no fixed order ("pull,push" or "push,pull").
    const pushScopes = tokens.requests
      .filter((r) => r.granted)
      .map((r) =>
        r.scope.replace(/:([a-z,]+)$/, (_, actions: string) => `:${actions.split(',').sort().join(',')}`),
      );
    expect(pushScopes).toContain('repository:fleet/auth:pull,push');
  });

  it('reports refused credentials as an authentication failure', async () => {
    const client = new OciRegistryClient({
      registry: registry.host,
      credentials: { ...credentials, password: 'wrong' },
    });
    await expect(client.hasBlob('fleet/auth', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'OCI_AUTH_FAILED',
      message: expect.stringMatching(/token service .* answered 401/) as unknown,
    });
  });

  it('without credentials gets no access', async () => {
    const client = new OciRegistryClient({ registry: registry.host });
    await expect(client.hasBlob('fleet/auth', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'OCI_AUTH_FAILED',
    });
  });
});
